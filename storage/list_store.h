// ListStore: reads and writes newsletter lists. Safe for concurrent use (each call leases its
// own connection).
#pragma once

#include <vector>

#include "service/base/status.h"
#include "service/domain/model.h"

namespace optin {

class ConnectionPool;

class ListStore {
 public:
  explicit ListStore(ConnectionPool& pool) : pool_(pool) {}

  // NotFound "unknown_list" when there is no such list.
  Result<ListInfo> Get(const std::string& slug);
  Result<std::vector<ListInfo>> All();
  // Creates or updates `slug`. When the CleverReach group changes, every confirmed subscriber
  // of the list is queued for the new group in the same transaction.
  Result<ListInfo> Put(const std::string& slug, const ListUpdate& update);

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
