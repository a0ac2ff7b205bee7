// The CleverReach outbox's actions: the PostgreSQL enum sync_action (V001) as a C++ enum class,
// its one name <-> value mapping, and which actions are withdrawals (the same rule as the SQL
// function optin_is_withdrawal, sql/functions/40_sync.sql; tests/storage/sync_action_test.cpp
// holds both to every value of the PostgreSQL type). Pure; safe for concurrent use.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace optin {

enum class SyncAction {
  kUpsertReceiver,      // subscription_id; group from its list
  kDeactivateReceiver,  // email + group_id captured at unsubscribe time
  kBlacklistAdd,        // email
  kBlacklistRemove,     // email
  kDeleteReceiver,      // email: erasure, receiver deleted everywhere
  kActivateReceiver,    // subscription_id + group_id: a lifted restriction (V086)
};

// Every value, in the PostgreSQL type's order.
const std::vector<SyncAction>& AllSyncActions();
// The PostgreSQL label ("upsert_receiver", ...).
const char* SyncActionName(SyncAction action);
// The value of a PostgreSQL label; nullopt for any other text.
std::optional<SyncAction> ParseSyncAction(const std::string& name);

// A withdrawal (the person unsubscribed, was suppressed or erased) must reach CleverReach within
// 48 hours (CONTRACT §6): it is retried for as long as it takes and never becomes a dead letter.
bool IsWithdrawal(SyncAction action);

}  // namespace optin
