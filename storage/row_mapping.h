// Turning result rows into domain values, shared by the stores. Internal to storage/.
#pragma once

#include <pqxx/pqxx>

#include "service/domain/model.h"

namespace optin {

// Reads the nine list columns starting at `first` (see sql/queries/lists.sql).
inline ListInfo ListFromRow(const pqxx::row& row, int first = 0) {
  ListInfo l;
  l.id = row[first].as<int64_t>();
  l.slug = row[first + 1].c_str();
  l.name = row[first + 2].c_str();
  l.language = row[first + 3].c_str();
  l.cleverreach_group_id = row[first + 4].c_str();
  l.require_consent_checkbox = row[first + 5].as<bool>();
  l.consent_text = row[first + 6].c_str();
  l.thank_you_url = row[first + 7].c_str();
  l.confirmed_url = row[first + 8].c_str();
  return l;
}

// A nullable text parameter: nullptr (SQL NULL) when unset.
inline const char* OptionalParam(const std::optional<std::string>& v) {
  return v ? v->c_str() : nullptr;
}

}  // namespace optin
