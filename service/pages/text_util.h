// Small helpers shared by the page and mail texts: choosing a language's variant and filling
// named placeholders. Internal to service/i18n. Stateless; safe for concurrent use.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "service/domain/language.h"

namespace optin::i18n {

// The variant of a text for `lang`.
inline const char* Pick(Language lang, const char* de, const char* nl, const char* en) {
  switch (lang) {
    case Language::kNl:
      return nl;
    case Language::kEn:
      return en;
    case Language::kDe:
      break;
  }
  return de;
}

using Placeholders = std::vector<std::pair<std::string, std::string>>;

// Replaces each "{name}" in `text` by its value, in one pass: inserted values are never scanned
// again, so a value containing "{x}" stays as it is. Unknown "{...}" are copied unchanged.
// REQUIRES: values are already escaped for where the result goes.
std::string Fill(const std::string& text, const Placeholders& values);

}  // namespace optin::i18n
