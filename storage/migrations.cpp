#include "storage/migrations.h"

#include <algorithm>
#include <map>
#include <pqxx/pqxx>
#include <set>

#include "service/base/crypto.h"
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
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

Result<SchemaFiles> EmbeddedSchema() {
  SchemaFiles out;
  auto migrations = EmbeddedMigrations();
  if (!migrations.ok()) return migrations.status();
  out.migrations = std::move(*migrations);
  const std::string prefix = "functions/";
  for (const auto& file : EmbeddedSqlFiles()) {
    std::string path = file.path;
    if (path.rfind(prefix, 0) != 0) continue;
    std::string name = path.substr(prefix.size());
    if (name.find('/') != std::string::npos)
      return Status::Internal("function files are not nested: " + path);
    out.functions.push_back(FunctionFile{name, file.contents});
  }
  std::sort(out.functions.begin(), out.functions.end(),
            [](const FunctionFile& a, const FunctionFile& b) { return a.name < b.name; });
  return out;
}

namespace {

// The bookkeeping tables, created (and, from a database migrated before checksums, upgraded)
// before anything else. sha256 is NULL only for rows written by such an older optin.
constexpr const char* kBookkeeping =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now());"
    "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS sha256 text NULL;"
    "CREATE TABLE IF NOT EXISTS schema_functions ("
    " name text PRIMARY KEY,"
    " sha256 text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

// Checks the applied migrations against their files, backfilling missing checksums; returns the
// applied versions. Versions the files do not know (a newer optin applied them) are left alone.
Result<std::set<int>> CheckApplied(pqxx::work& t, const std::vector<Migration>& migrations) {
  std::map<int, const Migration*> by_version;
  for (const auto& m : migrations) by_version[m.version] = &m;
  std::set<int> done;
  for (const auto& row : t.exec("SELECT version, sha256 FROM schema_migrations ORDER BY version")) {
    int version = row[0].as<int>();
    done.insert(version);
    auto it = by_version.find(version);
    if (it == by_version.end()) continue;
    std::string file_sha = Sha256Hex(it->second->sql);
    if (row[1].is_null()) {
      // Applied before checksums were recorded: the file as shipped now is taken as the one
      // applied (V006, V007 and V009 lost their function bodies in the same release; see V006).
      t.exec_params("UPDATE schema_migrations SET sha256 = $2 WHERE version = $1", version,
                    file_sha);
    } else if (row[1].c_str() != file_sha) {
      return Status::Internal(
          "migration " + it->second->name + " was edited after it was applied (SHA-256 " +
          file_sha.substr(0, 12) + ", recorded " + std::string(row[1].c_str()).substr(0, 12) +
          "): restore the file and put the change in a new migration");
    }
  }
  return done;
}

Result<MigrationReport> ApplyInTransaction(pqxx::connection& conn, const SchemaFiles& files) {
  MigrationReport report;
  pqxx::work t(conn);
  t.exec(kBookkeeping);
  auto done = CheckApplied(t, files.migrations);
  if (!done.ok()) return done.status();
  for (const auto& m : files.migrations) {
    if (done->count(m.version)) continue;
    t.exec(m.sql);
    t.exec_params("INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)",
                  m.version, m.name, Sha256Hex(m.sql));
    LogInfo("migration_applied", {{"version", m.version}, {"name", m.name}});
    ++report.migrations_applied;
  }
  std::map<std::string, std::string> recorded;
  for (const auto& row : t.exec("SELECT name, sha256 FROM schema_functions"))
    recorded[row[0].c_str()] = row[1].c_str();
  for (const auto& f : files.functions) {
    std::string sha = Sha256Hex(f.sql);
    auto it = recorded.find(f.name);
    if (it != recorded.end() && it->second == sha) {
      ++report.functions_unchanged;
      continue;
    }
    t.exec(f.sql);
    t.exec_params(
        "INSERT INTO schema_functions (name, sha256) VALUES ($1, $2) "
        "ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = now()",
        f.name, sha);
    LogInfo("sql_functions_applied", {{"name", f.name}});
    ++report.functions_applied;
  }
  t.commit();
  return report;
}

}  // namespace

Result<MigrationReport> ApplySchema(const std::string& database_url, const SchemaFiles& files) {
  try {
    pqxx::connection conn(WithConnectTimeout(database_url, 5));
    conn.set_variable("client_min_messages", "warning");
    {
      pqxx::nontransaction n(conn);
      n.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
    }
    Result<MigrationReport> report = Status::Internal("not run");
    try {
      report = ApplyInTransaction(conn, files);
    } catch (...) {
      pqxx::nontransaction n(conn);
      n.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
      throw;
    }
    pqxx::nontransaction n(conn);
    n.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
    return report;
  } catch (const pqxx::broken_connection& e) {
    return Status::Unavailable("cannot connect to the database: " +
                               std::string(e.what()).substr(0, 200));
  } catch (const pqxx::sql_error& e) {
    return Status::Internal("migration failed (SQLSTATE " + e.sqlstate() +
                            "): " + std::string(e.what()).substr(0, 300));
  } catch (const std::exception& e) {
    return Status::Internal(std::string("migration failed: ") + e.what());
  }
}

Result<int> Migrate(const std::string& database_url) {
  auto files = EmbeddedSchema();
  if (!files.ok()) return files.status();
  auto report = ApplySchema(database_url, *files);
  if (!report.ok()) return report.status();
  return report->migrations_applied;
}

}  // namespace optin
