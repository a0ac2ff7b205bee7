#include "service/domain/sync_action.h"

#include <utility>

namespace optin {
namespace {

// The one mapping, in the order of CREATE TYPE sync_action.
const std::pair<SyncAction, const char*> kNames[] = {
    {SyncAction::kUpsertReceiver, "upsert_receiver"},
    {SyncAction::kDeactivateReceiver, "deactivate_receiver"},
    {SyncAction::kBlacklistAdd, "blacklist_add"},
    {SyncAction::kBlacklistRemove, "blacklist_remove"},
    {SyncAction::kDeleteReceiver, "delete_receiver"},
    {SyncAction::kActivateReceiver, "activate_receiver"},
};

}  // namespace

const std::vector<SyncAction>& AllSyncActions() {
  static const std::vector<SyncAction> kAll = [] {
    std::vector<SyncAction> all;
    for (const auto& [value, name] : kNames) all.push_back(value);
    return all;
  }();
  return kAll;
}

const char* SyncActionName(SyncAction action) {
  for (const auto& [value, name] : kNames) {
    if (value == action) return name;
  }
  return "unknown";
}

std::optional<SyncAction> ParseSyncAction(const std::string& name) {
  for (const auto& [value, label] : kNames) {
    if (name == label) return value;
  }
  return std::nullopt;
}

bool IsWithdrawal(SyncAction action) {
  switch (action) {
    case SyncAction::kDeactivateReceiver:
    case SyncAction::kBlacklistAdd:
    case SyncAction::kDeleteReceiver:
      return true;
    case SyncAction::kUpsertReceiver:
    case SyncAction::kBlacklistRemove:
    case SyncAction::kActivateReceiver:
      return false;
  }
  return false;
}

}  // namespace optin
