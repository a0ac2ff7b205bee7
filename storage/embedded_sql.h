// The files under sql/, compiled into the binary by cmake/embed_sql.cmake. Immutable; safe for
// concurrent use.
#pragma once

#include <string>
#include <vector>

namespace optin {

struct EmbeddedSqlFile {
  const char* path;  // relative to sql/, e.g. "migrations/V001__core.sql"
  const char* contents;
};

const std::vector<EmbeddedSqlFile>& EmbeddedSqlFiles();

}  // namespace optin
