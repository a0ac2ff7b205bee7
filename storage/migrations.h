// Brings a database's schema up to date: sql/migrations/V<NNN>__<name>.sql (DDL and data,
// forward-only, each applied once in version order, its SHA-256 recorded in schema_migrations)
// and then sql/functions/*.sql (CREATE OR REPLACE files, applied in name order whenever their
// SHA-256 differs from the one recorded in schema_functions). All of it runs in one transaction
// under a PostgreSQL advisory lock, so concurrent `optin migrate` runs are safe and a failure
// changes nothing. Stateless functions.
#pragma once

#include <string>
#include <vector>

#include "service/base/status.h"

namespace optin {

struct Migration {
  int version = 0;
  std::string name;  // file name
  std::string sql;
};

// A file of sql/functions/: only CREATE OR REPLACE (and DROP of a replaced signature).
struct FunctionFile {
  std::string name;  // file name; the order of application
  std::string sql;
};

struct SchemaFiles {
  std::vector<Migration> migrations;    // ascending versions
  std::vector<FunctionFile> functions;  // ascending names
};

struct MigrationReport {
  int migrations_applied = 0;
  int functions_applied = 0;
  int functions_unchanged = 0;  // skipped: recorded with the same SHA-256
};

// The embedded migrations, sorted by version; Internal if a file name is malformed or a version
// repeats.
Result<std::vector<Migration>> EmbeddedMigrations();

// The embedded migrations and function files.
Result<SchemaFiles> EmbeddedSchema();

// Applies `files` over a fresh connection to `database_url`. Stops with Internal, naming the
// file, when an applied migration's file no longer has the SHA-256 recorded when it was applied.
// Rows applied before checksums were recorded get the current file's SHA-256 (a backfill).
Result<MigrationReport> ApplySchema(const std::string& database_url, const SchemaFiles& files);

// ApplySchema with the embedded files. Returns the number of migrations applied (0 when the
// schema is current).
Result<int> Migrate(const std::string& database_url);

}  // namespace optin
