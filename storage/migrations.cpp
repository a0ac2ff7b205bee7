#include "storage/migrations.h"

#include <algorithm>
#include <pqxx/pqxx>
#include <set>

#include "service/base/log.h"
#include "storage/embedded_sql.h"
#include "storage/pool.h"

namespace optin {
namespace {

// An arbitrary constant: the advisory lock key that serialises migrations ("optinmig").
constexpr long long kMigrationLockKey = 0x6f7074696e6d6967LL;

}  // namespace

Result<std::vector<Migration>> EmbeddedMigrations() {
  std::vector<Migration> out;
  std::set<int> seen;
  for (const auto& file : EmbeddedSqlFiles()) {
    std::string path = file.path;
    const std::string prefix = "migrations/";
    if (path.rfind(prefix, 0) != 0) continue;
    std::string name = path.substr(prefix.size());
    auto sep = name.find("__");
    if (name.size() < 6 || name[0] != 'V' || sep == std::string::npos || sep < 2) {
      return Status::Internal("malformed migration file name " + name);
    }
    int version = 0;
    for (size_t i = 1; i < sep; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(name[i]))) {
        return Status::Internal("malformed migration file name " + name);
      }
      version = version * 10 + (name[i] - '0');
    }
    if (!seen.insert(version).second) return Status::Internal("migration version repeats: " + name);
    out.push_back(Migration{version, name, file.contents});
  }
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

Result<int> Migrate(const std::string& database_url) {
  auto migrations = EmbeddedMigrations();
  if (!migrations.ok()) return migrations.status();
  try {
    pqxx::connection conn(WithConnectTimeout(database_url, 5));
    conn.set_variable("client_min_messages", "warning");
    {
      pqxx::nontransaction n(conn);
      n.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
    }
    int applied = 0;
    try {
      {
        pqxx::work t(conn);
        t.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY,"
            " name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())");
        t.commit();
      }
      std::set<int> done;
      {
        pqxx::work t(conn);
        for (const auto& row : t.exec("SELECT version FROM schema_migrations")) done.insert(row[0].as<int>());
        t.commit();
      }
      for (const auto& m : *migrations) {
        if (done.count(m.version)) continue;
        pqxx::work t(conn);
        t.exec(m.sql);
        t.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name);
        t.commit();
        LogInfo("migration_applied", {{"version", m.version}, {"name", m.name}});
        ++applied;
      }
    } catch (...) {
      pqxx::nontransaction n(conn);
      n.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
      throw;
    }
    pqxx::nontransaction n(conn);
    n.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
    return applied;
  } catch (const pqxx::broken_connection& e) {
    return Status::Unavailable("cannot connect to the database: " + std::string(e.what()).substr(0, 200));
  } catch (const pqxx::sql_error& e) {
    return Status::Internal("migration failed (SQLSTATE " + e.sqlstate() + "): " +
                            std::string(e.what()).substr(0, 300));
  } catch (const std::exception& e) {
    return Status::Internal(std::string("migration failed: ") + e.what());
  }
}

}  // namespace optin
