// The languages optin speaks to people in (pages and mails): German, Dutch, English.
#pragma once

#include <string>
#include <vector>

namespace optin {

enum class Language { kDe, kNl, kEn };

// "de", "nl", "en" (also "de-DE", "nl_NL", "EN"...). Anything else: `fallback`.
Language ParseLanguage(const std::string& text, Language fallback = Language::kDe);
// Whether `text` is exactly one of "de", "nl", "en".
bool IsSupportedLanguage(const std::string& text);
const char* LanguageCode(Language language);

// All three, in the order de, nl, en.
std::vector<Language> AllLanguages();
// The languages a list offers: its own (`own`, a code) first, then each of `also` (codes; what
// PUT /admin/lists `languages` set), each once; unsupported codes are left out.
std::vector<Language> OfferedLanguages(const std::string& own,
                                       const std::vector<std::string>& also);
// Accept-Language (RFC 9110 §12.5.4) against `offered`: the offered language with the highest
// q-value (a tie goes to the one named first; "de-AT" counts as de; q=0 refuses; "*" stands for
// any offered language not named). Nothing when none of the offered is acceptable or the header
// is empty or malformed.
bool NegotiateLanguage(const std::string& accept_language, const std::vector<Language>& offered,
                       Language* chosen);
// The language a visitor gets: `requested` (a form's `language` field or a page's `lang`
// parameter) when it is offered; else Accept-Language among the offered; else the first offered
// (the list's own). `offered` must not be empty.
Language ChooseLanguage(const std::string& requested, const std::string& accept_language,
                        const std::vector<Language>& offered);
// The language of a page that belongs to no list or subscription (an unknown link, an unknown
// list): Accept-Language among all three, else German.
Language VisitorLanguage(const std::string& accept_language);

}  // namespace optin
