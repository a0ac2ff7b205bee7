#include "service/domain/language.h"

#include <cctype>

namespace optin {
namespace {

// The primary subtag of "de", "de-DE", "nl_NL", " EN ", lower-cased; "" when there is none.
std::string PrimarySubtag(const std::string& text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string tag;
  for (size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (c == '-' || c == '_') {
      if (i + 1 == end) return "";  // "de-" is not a tag
      break;
    }
    if (!std::isalpha(static_cast<unsigned char>(c))) return "";
    tag += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return tag;
}

}  // namespace

Language ParseLanguage(const std::string& text, Language fallback) {
  const std::string tag = PrimarySubtag(text);
  if (tag == "de") return Language::kDe;
  if (tag == "nl") return Language::kNl;
  if (tag == "en") return Language::kEn;
  return fallback;
}

bool IsSupportedLanguage(const std::string& text) {
  return text == "de" || text == "nl" || text == "en";
}

const char* LanguageCode(Language language) {
  switch (language) {
    case Language::kDe:
      return "de";
    case Language::kNl:
      return "nl";
    case Language::kEn:
      return "en";
  }
  return "de";
}

}  // namespace optin
