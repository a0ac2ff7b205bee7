#include "storage/pool.h"

#include <type_traits>

#include "service/base/log.h"

namespace optin {

Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), broken_(other.broken_) {
  other.pool_ = nullptr;
}

Lease::~Lease() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->Return(std::move(conn_), broken_);
}

ConnectionPool::ConnectionPool(std::string url, int size, std::chrono::milliseconds acquire_timeout,
                               std::map<std::string, std::string> queries)
    : url_(WithConnectTimeout(url,
                              std::max<int>(1, static_cast<int>(acquire_timeout.count() / 1000)))),
      size_(size),
      acquire_timeout_(acquire_timeout),
      queries_(std::move(queries)) {}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<pqxx::connection> ConnectionPool::Connect() {
  auto conn = std::make_unique<pqxx::connection>(url_);
  for (const auto& [name, sql] : queries_) conn->prepare(name, sql);
  return conn;
}

Result<Lease> ConnectionPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
  ++waiting_;
  bool got = cv_.wait_until(lock, deadline, [this] { return !idle_.empty() || open_ < size_; });
  --waiting_;
  if (!got) return Status::Unavailable("no database connection became free in time");
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(this, Connect());
  } catch (const std::exception& e) {
    lock.lock();
    --open_;
    cv_.notify_one();
    LogWarn("db_connect_failed", {{"error", std::string(e.what()).substr(0, 200)}});
    return Status::Unavailable("the database cannot be reached");
  }
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> conn, bool broken) {
  std::lock_guard<std::mutex> lock(mu_);
  if (broken || !conn->is_open()) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

void ConnectionPool::Reset() {
  std::lock_guard<std::mutex> lock(mu_);
  open_ -= static_cast<int>(idle_.size());
  idle_.clear();
  cv_.notify_all();
}

PoolStats ConnectionPool::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return PoolStats{size_, open_ - static_cast<int>(idle_.size()), waiting_};
}

namespace {

// Txn is pqxx::work or, for a single autocommitted statement, pqxx::nontransaction: then any
// statement may have committed, so a lost connection is never retried.
template <typename Txn>
Status RunOnce(Lease& lease, const std::function<Status(Txn&)>& fn, bool* retry_connection,
               bool* retry_serialization) {
  *retry_connection = false;
  *retry_serialization = false;
  bool committing = std::is_same_v<Txn, pqxx::nontransaction>;
  try {
    Txn txn(lease.conn());
    Status s = fn(txn);
    if (!s.ok()) return s;  // the transaction is rolled back by its destructor
    committing = true;
    txn.commit();
    return Status::Ok();
  } catch (const pqxx::in_doubt_error&) {
    lease.MarkBroken();
    return Status::Unavailable("the database connection was lost while committing");
  } catch (const pqxx::broken_connection&) {
    lease.MarkBroken();
    *retry_connection = !committing;
    return Status::Unavailable("the database connection was lost");
  } catch (const pqxx::unique_violation&) {
    return Status::Conflict("a record with the same key exists");
  } catch (const pqxx::check_violation&) {
    return Status::InvalidArgument("invalid_request", "a value is outside what the schema allows");
  } catch (const pqxx::deadlock_detected&) {
    // libpqxx 6.4 derives transaction_rollback (SQLSTATE class 40) from pqxx::failure, not from
    // pqxx::sql_error: these must be caught by type, or they end up below as "unexpected".
    *retry_serialization = true;
    return Status::Unavailable("the database is busy");
  } catch (const pqxx::serialization_failure&) {
    *retry_serialization = true;
    return Status::Unavailable("the database is busy");
  } catch (const pqxx::statement_completion_unknown&) {
    return Status::Unavailable("the database could not say whether the statement completed");
  } catch (const pqxx::sql_error& e) {
    if (std::string(e.sqlstate()).rfind("08", 0) == 0 || std::string(e.sqlstate()) == "57P01") {
      lease.MarkBroken();
      *retry_connection = !committing;
      return Status::Unavailable("the database connection was lost");
    }
    LogError("db_error", {{"sqlstate", e.sqlstate()}});
    return Status::Internal("database error " + e.sqlstate());
  } catch (const std::exception& e) {
    if (!lease.conn().is_open()) {
      lease.MarkBroken();
      *retry_connection = !committing;
      return Status::Unavailable("the database connection was lost");
    }
    LogError("db_exception", {{"what", std::string(e.what()).substr(0, 200)}});
    return Status::Internal("unexpected database error");
  }
}

}  // namespace

Status RunTransaction(Lease& lease, const std::function<Status(pqxx::work&)>& fn) {
  bool retry_connection = false, retry_serialization = false;
  Status s;
  for (int attempt = 0; attempt < 4; ++attempt) {
    s = RunOnce(lease, fn, &retry_connection, &retry_serialization);
    if (!retry_serialization) break;
  }
  return s;
}

namespace {

template <typename Txn>
Status RunOnPool(ConnectionPool& pool, const std::function<Status(Txn&)>& fn) {
  Status s;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto lease = pool.Acquire();
    if (!lease.ok()) return lease.status();
    bool retry_connection = false, retry_serialization = false;
    for (int inner = 0; inner < 4; ++inner) {
      s = RunOnce(*lease, fn, &retry_connection, &retry_serialization);
      if (!retry_serialization) break;
    }
    if (!retry_connection) return s;
  }
  return s;
}

}  // namespace

Status RunTransaction(ConnectionPool& pool, const std::function<Status(pqxx::work&)>& fn) {
  return RunOnPool<pqxx::work>(pool, fn);
}

Status RunStatement(ConnectionPool& pool, const std::function<Status(pqxx::nontransaction&)>& fn) {
  return RunOnPool<pqxx::nontransaction>(pool, fn);
}

std::string WithConnectTimeout(const std::string& url, int seconds) {
  if (url.find("connect_timeout") != std::string::npos) return url;
  std::string param = "connect_timeout=" + std::to_string(seconds);
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
  }
  return url.empty() ? param : url + " " + param;
}

}  // namespace optin
