// Named queries: sql/queries/*.sql hold blocks that start with "-- name: some-name" followed by a
// one-line description comment and the statement. Every QueryName declared in storage/ registers
// itself at static-initialisation time; start-up fails when one has no SQL. Immutable after
// start-up; safe for concurrent use.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "service/base/status.h"

namespace optin {

// A query name used by code. Declare at namespace scope: `const QueryName kFoo("foo");`.
class QueryName {
 public:
  explicit QueryName(const char* name);
  const char* c_str() const { return name_; }
  operator std::string() const { return name_; }  // NOLINT: used with exec_prepared

 private:
  const char* name_;
};

// Every QueryName registered so far.
const std::vector<std::string>& RegisteredQueryNames();

// Parses the text of one query file into name -> SQL. Fails on a duplicate or empty name.
Result<std::map<std::string, std::string>> ParseNamedQueries(const std::string& file_text);

// Loads all embedded sql/queries/*.sql and checks that every registered QueryName is present.
Result<std::map<std::string, std::string>> LoadNamedQueries();

}  // namespace optin
