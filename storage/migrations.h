// Applies sql/migrations/V<NNN>__<name>.sql in version order, each in its own transaction, and
// records applied versions in schema_migrations. Serialised across processes by a PostgreSQL
// advisory lock, so concurrent `optin migrate` runs are safe. Stateless functions.
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

// The embedded migrations, sorted by version; Internal if a file name is malformed or a version
// repeats.
Result<std::vector<Migration>> EmbeddedMigrations();

// Applies the pending migrations over a fresh connection to `database_url`. Returns the number
// applied (0 when the schema is current).
Result<int> Migrate(const std::string& database_url);

}  // namespace optin
