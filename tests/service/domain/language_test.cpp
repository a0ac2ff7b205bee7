#include "service/domain/language.h"

#include <catch2/catch.hpp>

using namespace optin;

TEST_CASE("Accept-Language picks the offered language with the highest q", "[language]") {
  const std::vector<Language> all = AllLanguages();
  const std::vector<Language> de_en = {Language::kDe, Language::kEn};
  struct Case {
    const char* header;
    const std::vector<Language>* offered;
    bool found;
    Language expected;
  };
  const std::vector<Case> cases = {
      {"nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", &all, true, Language::kNl},
      {"nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", &de_en, true, Language::kEn},
      {"EN-gb", &all, true, Language::kEn},
      {"en;q=0.5, de;q=0.5", &all, true, Language::kEn},  // a tie: the first named
      {"en;q=0.4, de;q=0.5", &all, true, Language::kDe},
      {"fr, *;q=0.1", &de_en, true, Language::kDe},
      {"en;q=0.2, *", &de_en, true, Language::kDe},  // "*" (q=1) beats en (0.2)
      {"de;q=0, en;q=0", &de_en, false, Language::kDe},
      {"de;q=0, *", &de_en, true, Language::kEn},
      {"fr-FR, ja", &all, false, Language::kDe},
      {"", &all, false, Language::kDe},
      {"en;q=2", &all, false, Language::kDe},  // malformed q: the item is ignored
      {"en;q=abc, nl", &all, true, Language::kNl},
      {"en;level=1", &all, false, Language::kDe},
      {",,, ;", &all, false, Language::kDe},
  };
  for (const auto& c : cases) {
    CAPTURE(c.header);
    Language got = Language::kDe;
    CHECK(NegotiateLanguage(c.header, *c.offered, &got) == c.found);
    if (c.found) CHECK(got == c.expected);
  }
  Language ignored = Language::kDe;
  CHECK_FALSE(NegotiateLanguage(std::string(2000, 'e'), all, &ignored));
}

TEST_CASE("a visitor's language: the request if offered, else Accept-Language, else the list's",
          "[language]") {
  const auto offered = OfferedLanguages("nl", {"en", "nl", "fr"});
  CHECK(offered == std::vector<Language>{Language::kNl, Language::kEn});
  CHECK(OfferedLanguages("de", {}) == std::vector<Language>{Language::kDe});
  CHECK(ChooseLanguage("en", "nl", offered) == Language::kEn);
  CHECK(ChooseLanguage("de", "en", offered) == Language::kEn);    // not offered: the header decides
  CHECK(ChooseLanguage("", "de, fr", offered) == Language::kNl);  // nothing offered: the list's own
  CHECK(ChooseLanguage("EN", "", offered) == Language::kNl);      // exactly a code, or nothing
  CHECK(VisitorLanguage("nl-BE") == Language::kNl);
  CHECK(VisitorLanguage("fr") == Language::kDe);
}
