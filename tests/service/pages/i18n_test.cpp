#include <catch2/catch.hpp>
#include <cctype>
#include <functional>
#include <string>
#include <vector>

#include "service/domain/language.h"
#include "service/pages/mails.h"
#include "service/pages/pages.h"

using optin::Language;

namespace {

const Language kLanguages[] = {Language::kDe, Language::kNl, Language::kEn};

// Interpolated into every page and mail that takes a string: must only ever appear escaped.
const std::string kEvil = "<script>alert(1)</script>\"'&";
const std::string kEvilEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;";

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string RemoveAll(std::string text, const std::string& what) {
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at)) {
    text.erase(at, what.size());
  }
  return text;
}

// No scheme-qualified URL except the `allowed` ones the caller passed in (as they appear).
void CheckNoForeignUrls(const std::string& doc, const std::vector<std::string>& allowed) {
  std::string rest = Lower(doc);
  for (const auto& url : allowed) rest = RemoveAll(rest, Lower(url));
  CHECK(rest.find("http://") == std::string::npos);
  CHECK(rest.find("https://") == std::string::npos);
  CHECK(rest.find("//") == std::string::npos);
}

void CheckNoRawEvil(const std::string& doc) {
  CHECK(Lower(doc).find("<script") == std::string::npos);
  CHECK(doc.find(kEvil) == std::string::npos);
  CHECK(doc.find("\"'&") == std::string::npos);
  CHECK(doc.find('{') == std::string::npos);  // no placeholder left unfilled, no CSS in body
}

void CheckPageShape(Language lang, const std::string& page, bool has_form) {
  const std::string code = optin::LanguageCode(lang);
  CHECK(page.rfind("<!doctype html>\n", 0) == 0);
  CHECK(Count(page, "<html lang=\"" + code + "\">") == 1);
  CHECK(Count(page, "<meta charset=\"utf-8\">") == 1);
  CHECK(page.find("<meta name=\"viewport\"") != std::string::npos);
  CHECK(page.find("<meta name=\"robots\" content=\"noindex\">") != std::string::npos);
  CHECK(page.find("<style>") != std::string::npos);
  CHECK(Count(page, "<title>") == 1);
  CHECK(Count(page, "<h1>") == 1);
  for (const char* tag : {"main", "h1", "form", "label", "fieldset", "title", "style"}) {
    INFO(tag);
    CHECK(Count(page, std::string("<") + tag + ">") + Count(page, std::string("<") + tag + " ") ==
          Count(page, std::string("</") + tag + ">"));
  }
  CHECK(Count(page, "<p>") + Count(page, "<p ") == Count(page, "</p>"));
  CHECK(Count(page, "<main>") == 1);
  CHECK(page.substr(page.size() - 8) == "</html>\n");
  for (const char* banned : {"<script", "<link", "<img", "<iframe", "src=", "@import", "url(",
                             "cookie", "onclick", "onload", "javascript:"}) {
    INFO(banned);
    CHECK(Lower(page).find(banned) == std::string::npos);
  }
  if (has_form) {
    CHECK(Count(page, "<form method=\"post\"") == 1);
    CHECK(page.find("<button type=\"submit\">") != std::string::npos);
  } else {
    CHECK(page.find("<form") == std::string::npos);
  }
}

// The page with its CSS removed (so "{" and "//" checks look at the markup only).
std::string WithoutStyle(const std::string& page) {
  const size_t begin = page.find("<style>");
  const size_t end = page.find("</style>");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  return page.substr(0, begin) + page.substr(end);
}

struct PageCase {
  const char* name;
  std::function<std::string(Language, const std::string&)> render;  // (lang, evil input)
  bool has_form;
  bool echoes_input;  // the evil input is shown (escaped) on the page
};

const std::vector<PageCase>& PageCases() {
  static const std::vector<PageCase> cases = {
      {"SubscribeThanksPage",
       [](Language l, const std::string& s) { return optin::SubscribeThanksPage(l, s); }, false,
       true},
      {"ConfirmFormPage",
       [](Language l, const std::string& s) { return optin::ConfirmFormPage(l, s, s); }, true,
       true},
      {"ConfirmedPage", [](Language l, const std::string& s) { return optin::ConfirmedPage(l, s); },
       false, true},
      {"ConfirmExpiredPage (unsafe signup url)",
       [](Language l, const std::string& s) { return optin::ConfirmExpiredPage(l, s); }, false,
       false},
      {"ConfirmExpiredPage (no signup url)",
       [](Language l, const std::string&) { return optin::ConfirmExpiredPage(l, ""); }, false,
       false},
      {"InvalidLinkPage", [](Language l, const std::string&) { return optin::InvalidLinkPage(l); },
       false, false},
      {"UnsubscribeFormPage",
       [](Language l, const std::string& s) { return optin::UnsubscribeFormPage(l, s, s); }, true,
       true},
      {"UnsubscribedPage",
       [](Language l, const std::string& s) { return optin::UnsubscribedPage(l, s); }, false, true},
      {"PrivacyConfirmFormPage (unknown type)",
       [](Language l, const std::string& s) { return optin::PrivacyConfirmFormPage(l, s, s); },
       true, true},
      {"PrivacyDonePage (unknown type)",
       [](Language l, const std::string& s) { return optin::PrivacyDonePage(l, s); }, false, false},
      {"PrivacyRequestFormPage",
       [](Language l, const std::string&) { return optin::PrivacyRequestFormPage(l); }, true,
       false},
      {"PrivacyRequestedPage",
       [](Language l, const std::string&) { return optin::PrivacyRequestedPage(l); }, false, false},
      {"ErrorPage", [](Language l, const std::string&) { return optin::ErrorPage(l, 429); }, false,
       false},
      {"SignupFormPage",
       [](Language l, const std::string& s) {
         return optin::SignupFormPage(l, s, s, "/subscribe", true, s);
       },
       true, true},
  };
  return cases;
}

}  // namespace

TEST_CASE("languages parse from codes and locale tags", "[i18n]") {
  struct Case {
    const char* text;
    Language expected;
  };
  const Case cases[] = {
      {"de", Language::kDe},    {"nl", Language::kNl},    {"en", Language::kEn},
      {"de-DE", Language::kDe}, {"de-AT", Language::kDe}, {"nl_NL", Language::kNl},
      {"nl-BE", Language::kNl}, {"EN", Language::kEn},    {"en-GB", Language::kEn},
      {" en ", Language::kEn},  {"En_us", Language::kEn},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(optin::ParseLanguage(c.text) == c.expected);
    CHECK(optin::ParseLanguage(c.text, Language::kNl) == c.expected);
  }
  for (const char* unknown :
       {"", "fr", "d", "deu", "de-", "-de", "e n", "en;q=0.8", "xx-EN", "dé", "de\n"}) {
    INFO(unknown);
    if (std::string(unknown) == "de\n") {
      CHECK(optin::ParseLanguage(unknown, Language::kEn) == Language::kDe);  // trimmed
      continue;
    }
    CHECK(optin::ParseLanguage(unknown) == Language::kDe);
    CHECK(optin::ParseLanguage(unknown, Language::kEn) == Language::kEn);
  }
}

TEST_CASE("only exact codes are supported languages", "[i18n]") {
  CHECK(optin::IsSupportedLanguage("de"));
  CHECK(optin::IsSupportedLanguage("nl"));
  CHECK(optin::IsSupportedLanguage("en"));
  for (const char* no : {"", "DE", "de-DE", "fr", " en", "english"}) {
    INFO(no);
    CHECK_FALSE(optin::IsSupportedLanguage(no));
  }
  CHECK(std::string(optin::LanguageCode(Language::kDe)) == "de");
  CHECK(std::string(optin::LanguageCode(Language::kNl)) == "nl");
  CHECK(std::string(optin::LanguageCode(Language::kEn)) == "en");
  for (Language lang : kLanguages) {
    CHECK(optin::ParseLanguage(optin::LanguageCode(lang), Language::kEn) == lang);
    CHECK(optin::IsSupportedLanguage(optin::LanguageCode(lang)));
  }
}

TEST_CASE("HtmlEscape escapes the five special characters", "[i18n]") {
  CHECK(optin::HtmlEscape("") == "");
  CHECK(optin::HtmlEscape("plain text, ümlauts") == "plain text, ümlauts");
  CHECK(optin::HtmlEscape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  CHECK(optin::HtmlEscape("&amp;") == "&amp;amp;");
  CHECK(optin::HtmlEscape(kEvil) == kEvilEscaped);
}

TEST_CASE("every page is a self-contained document with escaped input", "[i18n]") {
  for (const auto& c : PageCases()) {
    for (Language lang : kLanguages) {
      INFO(c.name << " in " << optin::LanguageCode(lang));
      const std::string page = c.render(lang, kEvil);
      CheckPageShape(lang, page, c.has_form);
      const std::string markup = WithoutStyle(page);
      CheckNoRawEvil(markup);
      CheckNoForeignUrls(markup, {});
      if (c.echoes_input) CHECK(page.find(kEvilEscaped) != std::string::npos);
      // Placeholder-looking input is shown as it is, not filled in.
      const bool shown = c.render(lang, "{list}{hours}").find("{list}{hours}") != std::string::npos;
      CHECK(shown == c.echoes_input);
    }
  }
}

TEST_CASE("the same page differs between languages", "[i18n]") {
  for (const auto& c : PageCases()) {
    INFO(c.name);
    const std::string de = c.render(Language::kDe, "Nieuws");
    const std::string nl = c.render(Language::kNl, "Nieuws");
    const std::string en = c.render(Language::kEn, "Nieuws");
    CHECK(de != nl);
    CHECK(nl != en);
    CHECK(de != en);
  }
}

TEST_CASE("token forms post the token to their action", "[i18n]") {
  const std::string token = "Zq3_x-9AbCdEfGhIjKlMnOpQrStUvWxY";
  const std::string hidden = "<input type=\"hidden\" name=\"token\" value=\"" + token + "\">";
  for (Language lang : kLanguages) {
    INFO(optin::LanguageCode(lang));
    const std::string confirm = optin::ConfirmFormPage(lang, "News", token);
    CHECK(confirm.find("<form method=\"post\" action=\"/confirm\">") != std::string::npos);
    CHECK(Count(confirm, hidden) == 1);

    const std::string unsubscribe = optin::UnsubscribeFormPage(lang, "News", token);
    CHECK(unsubscribe.find("<form method=\"post\" action=\"/unsubscribe?token=" + token + "\">") !=
          std::string::npos);
    CHECK(Count(unsubscribe, hidden) == 1);

    for (const char* type : {"access", "erasure", "objection", "unsubscribe"}) {
      INFO(type);
      const std::string privacy = optin::PrivacyConfirmFormPage(lang, type, token);
      CheckPageShape(lang, privacy, true);
      CHECK(privacy.find("<form method=\"post\" action=\"/privacy/confirm\">") !=
            std::string::npos);
      CHECK(Count(privacy, hidden) == 1);
    }
  }
}

TEST_CASE("hostile tokens are escaped in the value and encoded in the URL", "[i18n]") {
  for (Language lang : kLanguages) {
    INFO(optin::LanguageCode(lang));
    const std::string page = optin::UnsubscribeFormPage(lang, "News", kEvil);
    CHECK(page.find(
              "action=\"/unsubscribe?token=%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%27%26\"") !=
          std::string::npos);
    CHECK(page.find("name=\"token\" value=\"" + kEvilEscaped + "\"") != std::string::npos);
    CHECK(optin::ConfirmFormPage(lang, "News", kEvil)
              .find("name=\"token\" value=\"" + kEvilEscaped + "\"") != std::string::npos);
  }
}

TEST_CASE("privacy pages explain each request type in every language", "[i18n]") {
  const char* types[] = {"access",      "erasure",     "objection",
                         "unsubscribe", "restriction", "lift_restriction"};
  for (Language lang : kLanguages) {
    std::vector<std::string> forms;
    std::vector<std::string> done;
    for (const char* type : types) {
      INFO(optin::LanguageCode(lang) << " " << type);
      forms.push_back(optin::PrivacyConfirmFormPage(lang, type, "t"));
      done.push_back(optin::PrivacyDonePage(lang, type));
      CheckPageShape(lang, done.back(), false);
    }
    // Each type says something different about what will happen.
    for (size_t i = 0; i < forms.size(); ++i) {
      for (size_t j = i + 1; j < forms.size(); ++j) CHECK(forms[i] != forms[j]);
    }
    CHECK(done[1] != done[2]);
    CHECK(done[2] != done[3]);
    CHECK(done[1] != done[3]);
  }
}

TEST_CASE("the privacy request form offers the six request types", "[i18n]") {
  for (Language lang : kLanguages) {
    INFO(optin::LanguageCode(lang));
    const std::string page = optin::PrivacyRequestFormPage(lang);
    CHECK(page.find("<form method=\"post\" action=\"/privacy/request\"") != std::string::npos);
    CHECK(page.find("type=\"email\" id=\"email\" name=\"email\" required") != std::string::npos);
    for (const char* type :
         {"access", "erasure", "objection", "unsubscribe", "restriction", "lift_restriction"}) {
      INFO(type);
      CHECK(Count(page, std::string("name=\"type\" value=\"") + type + "\"") == 1);
    }
    CHECK(Count(page, "type=\"radio\"") == 6);
    CHECK(page.find(std::string("name=\"language\" value=\"") + optin::LanguageCode(lang) + "\"") !=
          std::string::npos);
  }
}

TEST_CASE("the signup form has email, hidden fields, honeypot and optional consent", "[i18n]") {
  const std::string action = "https://news.example.com/subscribe?from=a&b=1";
  for (Language lang : kLanguages) {
    for (bool consent : {true, false}) {
      INFO(optin::LanguageCode(lang) << (consent ? " with consent" : " without consent"));
      const std::string page =
          optin::SignupFormPage(lang, "monthly-news", "Monthly <News>", action, consent, "");
      CheckPageShape(lang, page, true);
      CheckNoForeignUrls(WithoutStyle(page), {optin::HtmlEscape(action)});
      CHECK(page.find("<form method=\"post\" action=\"" + optin::HtmlEscape(action) + "\"") !=
            std::string::npos);
      CHECK(page.find("<input type=\"email\" id=\"email\" name=\"email\" required") !=
            std::string::npos);
      CHECK(page.find("autocomplete=\"email\"") != std::string::npos);
      CHECK(page.find("name=\"name\"") != std::string::npos);
      CHECK(page.find("name=\"name\" maxlength=\"200\" autocomplete=\"name\">") !=
            std::string::npos);  // optional: not required
      CHECK(page.find("<input type=\"hidden\" name=\"list\" value=\"monthly-news\">") !=
            std::string::npos);
      CHECK(page.find(std::string("<input type=\"hidden\" name=\"language\" value=\"") +
                      optin::LanguageCode(lang) + "\">") != std::string::npos);
      CHECK(page.find("Monthly &lt;News&gt;") != std::string::npos);
      CHECK(page.find("Monthly <News>") == std::string::npos);

      // The honeypot: off-screen, out of the tab order, hidden from screen readers.
      const size_t honeypot = page.find("name=\"website\"");
      REQUIRE(honeypot != std::string::npos);
      const size_t box = page.rfind("<div", honeypot);
      REQUIRE(box != std::string::npos);
      const std::string wrapper = page.substr(box, page.find("</div>", honeypot) - box);
      CHECK(wrapper.find("position:absolute;left:-10000px") != std::string::npos);
      CHECK(wrapper.find("aria-hidden=\"true\"") != std::string::npos);
      CHECK(wrapper.find("tabindex=\"-1\"") != std::string::npos);
      CHECK(wrapper.find("autocomplete=\"off\"") != std::string::npos);

      if (consent) {
        CHECK(page.find("type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"yes\" "
                        "required") != std::string::npos);
      } else {
        CHECK(page.find("name=\"consent\"") == std::string::npos);
      }
    }
  }
}

TEST_CASE("the signup form shows the list's consent text, escaped", "[i18n]") {
  for (Language lang : kLanguages) {
    INFO(optin::LanguageCode(lang));
    const std::string page =
        optin::SignupFormPage(lang, "news", "News", "/subscribe", true, "I agree & <b>consent</b>");
    CHECK(page.find("I agree &amp; &lt;b&gt;consent&lt;/b&gt;") != std::string::npos);
    CHECK(page.find("<b>") == std::string::npos);
    const std::string defaulted =
        optin::SignupFormPage(lang, "news", "News", "/subscribe", true, "");
    CHECK(defaulted != page);
  }
}

TEST_CASE("the expired page links to the signup url only when it is safe", "[i18n]") {
  for (Language lang : kLanguages) {
    INFO(optin::LanguageCode(lang));
    const std::string url = "https://example.com/newsletter?a=1&b=\"2\"";
    const std::string page = optin::ConfirmExpiredPage(lang, url);
    CHECK(page.find("href=\"" + optin::HtmlEscape(url) + "\"") != std::string::npos);
    CheckNoForeignUrls(WithoutStyle(page), {optin::HtmlEscape(url)});
    CHECK(optin::ConfirmExpiredPage(lang, "/form/news").find("href=\"/form/news\"") !=
          std::string::npos);
    for (const char* unsafe : {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
                               "//evil.example", "/\\evil.example", "http://", ""}) {
      INFO(unsafe);
      CHECK(optin::ConfirmExpiredPage(lang, unsafe).find("href=") == std::string::npos);
    }
  }
}

TEST_CASE("error pages explain each status in every language", "[i18n]") {
  const int statuses[] = {400, 404, 410, 413, 415, 422, 429, 500, 503};
  for (Language lang : kLanguages) {
    std::vector<std::string> titles;
    for (int status : statuses) {
      INFO(optin::LanguageCode(lang) << " " << status);
      const std::string page = optin::ErrorPage(lang, status);
      CheckPageShape(lang, page, false);
      CHECK(page.find(std::to_string(status)) != std::string::npos);
      titles.push_back(
          page.substr(page.find("<title>"), page.find("</title>") - page.find("<title>")));
    }
    for (size_t i = 0; i < titles.size(); ++i) {
      for (size_t j = i + 1; j < titles.size(); ++j) CHECK(titles[i] != titles[j]);
    }
    const std::string other = optin::ErrorPage(lang, 418);
    CheckPageShape(lang, other, false);
    CHECK(other.find("418") != std::string::npos);
  }
  CHECK(optin::ErrorPage(Language::kDe, 418) != optin::ErrorPage(Language::kEn, 418));
}

TEST_CASE("confirmation mails name the list, carry the link and the validity", "[i18n][mail]") {
  struct Case {
    Language lang;
    const char* hours72;
    const char* hours1;
  };
  const Case cases[] = {
      {Language::kDe, "72 Stunden", "1 Stunde"},
      {Language::kNl, "72 uur", "1 uur"},
      {Language::kEn, "72 hours", "1 hour"},
  };
  const std::string url = "https://news.example.com/confirm?token=Zq3_x-9AbC&x=1";
  std::vector<std::string> subjects;
  for (const auto& c : cases) {
    INFO(optin::LanguageCode(c.lang));
    const optin::MailText mail = optin::ConfirmationMail(c.lang, kEvil, url, "72");
    subjects.push_back(mail.subject);
    CHECK_FALSE(mail.subject.empty());
    CHECK(mail.subject.find('\n') == std::string::npos);
    CHECK(mail.subject.find(kEvil) != std::string::npos);  // the admin-set list name, as plain text

    CHECK(mail.text.find("\n" + url + "\n") != std::string::npos);
    CHECK(mail.text.find(kEvil) != std::string::npos);
    CHECK(mail.text.find(c.hours72) != std::string::npos);
    CHECK(mail.text.find('{') == std::string::npos);

    CHECK(mail.html.rfind("<!doctype html>", 0) == 0);
    CHECK(mail.html.find(std::string("<html lang=\"") + optin::LanguageCode(c.lang) + "\">") !=
          std::string::npos);
    CHECK(mail.html.find("href=\"" + optin::HtmlEscape(url) + "\"") != std::string::npos);
    CHECK(mail.html.find(url) == std::string::npos);  // the raw '&' never reaches the HTML
    CHECK(mail.html.find(kEvilEscaped) != std::string::npos);
    CheckNoRawEvil(mail.html);
    CheckNoForeignUrls(mail.html, {optin::HtmlEscape(url)});
    CHECK(Count(mail.html, "<a ") == 1);
    CHECK(mail.html.find("<style") == std::string::npos);  // inline styles only
    CHECK(mail.html.find("<img") == std::string::npos);
    CHECK(mail.html.find(c.hours72) != std::string::npos);

    const optin::MailText one = optin::ConfirmationMail(c.lang, "News", url, "1");
    CHECK(one.text.find(c.hours1) != std::string::npos);
    CHECK(one.html.find(c.hours1) != std::string::npos);
    // Text the caller already rendered is taken as it is.
    CHECK(optin::ConfirmationMail(c.lang, "News", url, "3 Tage").text.find("3 Tage") !=
          std::string::npos);
  }
  CHECK(subjects[0] != subjects[1]);
  CHECK(subjects[1] != subjects[2]);
  CHECK(subjects[0] != subjects[2]);
}

TEST_CASE("a list name cannot break the subject line", "[i18n][mail]") {
  const optin::MailText mail =
      optin::ConfirmationMail(Language::kDe, "News\r\nBcc: x@example.com", "https://e.x/c", "72");
  CHECK(mail.subject.find('\r') == std::string::npos);
  CHECK(mail.subject.find('\n') == std::string::npos);
}

TEST_CASE("privacy verification mails name the request type and carry the link", "[i18n][mail]") {
  const std::string url = "https://news.example.com/privacy/confirm?token=abc&x=1";
  for (const char* type :
       {"access", "erasure", "objection", "unsubscribe", "restriction", "lift_restriction"}) {
    std::vector<std::string> subjects;
    for (Language lang : kLanguages) {
      INFO(type << " in " << optin::LanguageCode(lang));
      const optin::MailText mail = optin::PrivacyVerificationMail(lang, type, url);
      subjects.push_back(mail.subject);
      CHECK_FALSE(mail.subject.empty());
      CHECK(mail.subject.find(" (") != std::string::npos);
      CHECK(mail.text.find("\n" + url + "\n") != std::string::npos);
      CHECK(mail.html.find("href=\"" + optin::HtmlEscape(url) + "\"") != std::string::npos);
      CHECK(mail.html.find(std::string("<html lang=\"") + optin::LanguageCode(lang) + "\">") !=
            std::string::npos);
      CheckNoForeignUrls(mail.html, {optin::HtmlEscape(url)});
      CheckNoForeignUrls(mail.text, {url});
      CHECK(mail.text.find('{') == std::string::npos);
      CHECK(mail.html.find('{') == std::string::npos);
    }
    CHECK(subjects[0] != subjects[1]);
    CHECK(subjects[1] != subjects[2]);
  }
  // The same language names different types differently.
  CHECK(optin::PrivacyVerificationMail(Language::kNl, "erasure", url).subject !=
        optin::PrivacyVerificationMail(Language::kNl, "access", url).subject);
}

TEST_CASE("privacy mails never echo an unknown request type", "[i18n][mail]") {
  for (Language lang : kLanguages) {
    INFO(optin::LanguageCode(lang));
    const optin::MailText mail = optin::PrivacyVerificationMail(lang, kEvil, "https://e.x/p");
    CHECK_FALSE(mail.subject.empty());
    for (const std::string* part : {&mail.subject, &mail.text, &mail.html}) {
      CHECK(Lower(*part).find("script") == std::string::npos);
      CHECK(part->find("alert") == std::string::npos);
    }
  }
}
