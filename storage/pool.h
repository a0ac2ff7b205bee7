// ConnectionPool: a fixed number of PostgreSQL connections, leased to one thread at a time (RAII
// Lease). Connections are opened lazily, get every named query prepared, and are replaced after a
// failure, so the pool survives a PostgreSQL restart. Safe for concurrent use.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "service/base/status.h"
#include "storage/database.h"

namespace optin {

class ConnectionPool;

// One leased connection; returned to the pool on destruction.
class Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  pqxx::connection& conn() { return *conn_; }
  // Drops the connection instead of returning it (after a broken_connection).
  void MarkBroken() { broken_ = true; }

 private:
  friend class ConnectionPool;
  Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  ConnectionPool* pool_;
  std::unique_ptr<pqxx::connection> conn_;
  bool broken_ = false;
};

class ConnectionPool {
 public:
  // REQUIRES: size >= 1. `queries` (name -> SQL) are prepared on every connection.
  ConnectionPool(std::string url, int size, std::chrono::milliseconds acquire_timeout,
                 std::map<std::string, std::string> queries);
  ~ConnectionPool();

  // Waits up to the acquire timeout for a connection; Unavailable when none can be had or the
  // database cannot be reached.
  Result<Lease> Acquire();
  PoolStats Stats() const;
  // Drops all idle connections (e.g. after a failover); leased ones are dropped on return.
  void Reset();

 private:
  friend class Lease;
  void Return(std::unique_ptr<pqxx::connection> conn, bool broken);
  std::unique_ptr<pqxx::connection> Connect();

  const std::string url_;
  const int size_;
  const std::chrono::milliseconds acquire_timeout_;
  const std::map<std::string, std::string> queries_;

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;  // connections leased out or idle, plus ones being opened
  int waiting_ = 0;
  uint64_t generation_ = 0;
};

// Runs `fn` in a transaction on a leased connection and commits. Maps database errors to
// Status: broken connection -> Unavailable (retried once on a fresh connection when nothing was
// committed), unique violation -> Conflict, serialization failure/deadlock -> retried, anything
// else -> Internal (logged with its SQLSTATE, never with parameters).
Status RunTransaction(ConnectionPool& pool, const std::function<Status(pqxx::work&)>& fn);

// The same with a caller-held lease (for workers that keep a connection).
Status RunTransaction(Lease& lease, const std::function<Status(pqxx::work&)>& fn);

// Runs `fn`, which must issue a single statement, without BEGIN/COMMIT (autocommit): the statement
// is atomic by itself and saves two round trips. Errors map as above; a deadlock or serialization
// failure is retried, a lost connection is not (the statement may have committed).
Status RunStatement(ConnectionPool& pool, const std::function<Status(pqxx::nontransaction&)>& fn);

// Appends connect_timeout to a libpq connection string or URI unless it has one.
std::string WithConnectTimeout(const std::string& url, int seconds);

}  // namespace optin
