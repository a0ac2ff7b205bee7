// PostgreSQL array literals for passing whole batches as one parameter ($1::text[] and friends;
// libpqxx 6 has no array parameters). Internal to storage/. Stateless.
#pragma once

#include <string>
#include <vector>

namespace optin {

// {"a","b\"c"}: every element quoted, backslash and double quote escaped.
inline std::string PgTextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// {1,2,3}
template <typename Int>
std::string PgIntArray(const std::vector<Int>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(items[i]);
  }
  out += '}';
  return out;
}

}  // namespace optin
