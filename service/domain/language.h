// The languages optin speaks to people in (pages and mails): German, Dutch, English.
#pragma once

#include <string>

namespace optin {

enum class Language { kDe, kNl, kEn };

// "de", "nl", "en" (also "de-DE", "nl_NL", "EN"...). Anything else: `fallback`.
Language ParseLanguage(const std::string& text, Language fallback = Language::kDe);
// Whether `text` is exactly one of "de", "nl", "en".
bool IsSupportedLanguage(const std::string& text);
const char* LanguageCode(Language language);

}  // namespace optin
