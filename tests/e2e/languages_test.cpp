// Every page and mail in the signup's language: the list's own, or — where the list offers more
// (PUT /admin/lists `languages`) — the form's language field or the visitor's Accept-Language;
// error pages too; pages of unknown links in the visitor's language.
#include <catch2/catch.hpp>

#include "tests/support/mail_reader.h"
#include "tests/support/optin_fixture.h"

using namespace optin::test;
using nlohmann::json;

namespace {

std::string LangOf(const httplib::Result& page) {
  REQUIRE(page);
  const std::string marker = "<html lang=\"";
  size_t at = page->body.find(marker);
  if (at == std::string::npos) return "<none>";
  return page->body.substr(at + marker.size(), 2);
}

// The newest mail to `email`, decoded.
std::string MailTo(OptinFixture& f, const std::string& email) {
  f.ConfirmTokenFor(email);  // waits for it
  for (const auto& m : ReadEmlFiles(f.mail_dir())) {
    if (m.find("To: " + email) != std::string::npos) return DecodeQuotedPrintable(m);
  }
  FAIL("no mail to " << email);
  return "";
}

std::string Path(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }

}  // namespace

TEST_CASE("a list offers only its own language unless it says otherwise", "[e2e][db]") {
  OptinFixture f;
  // Default: German only, whatever the visitor asks for.
  httplib::Headers english = {{"Accept", "text/html"}, {"Accept-Language", "en-GB,en;q=0.9"}};
  CHECK(LangOf(f.client().Get("/form/newsletter", english)) == "de");
  CHECK(LangOf(f.client().Get("/form/newsletter?lang=en", english)) == "de");
  f.Subscribe("only.de@example.com", {{"language", "en"}});
  CHECK(f.db().Scalar("SELECT language FROM subscriptions") == "de");
  CHECK(MailTo(f, "only.de@example.com").find("Content-Language: de") != std::string::npos);

  auto lists = json::parse(f.Admin("GET", "/admin/lists")->body);
  CHECK(lists["lists"][0]["languages"] == json::array({"de"}));
  // Only de, nl, en, as an array.
  for (const json& bad : {json::array({"fr"}), json("en"), json::array({1}), json(nullptr)}) {
    INFO(bad.dump());
    auto r = f.Admin("PUT", "/admin/lists/newsletter", {{"languages", bad}});
    CHECK(r->status == 400);
  }
  auto put = f.Admin("PUT", "/admin/lists/newsletter", {{"languages", {"en", "nl", "en"}}});
  REQUIRE(put->status == 200);
  CHECK(json::parse(put->body)["languages"] == json::array({"de", "en", "nl"}));
  // The list's own language stays offered when it changes.
  put = f.Admin("PUT", "/admin/lists/newsletter", {{"language", "nl"}});
  CHECK(json::parse(put->body)["languages"] == json::array({"nl", "en"}));
  put = f.Admin("PUT", "/admin/lists/newsletter", {{"languages", json::array()}});
  CHECK(json::parse(put->body)["languages"] == json::array({"nl"}));
}

TEST_CASE("the language field, then Accept-Language, picks among the list's languages",
          "[e2e][db]") {
  OptinFixture f;
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"languages", {"de", "nl", "en"}}})->status ==
          200);
  struct Case {
    const char* accept_language;
    const char* field;  // "" = none
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"", "", "de"},
      {"nl-NL,nl;q=0.9,en;q=0.8", "", "nl"},
      {"fr-FR,fr;q=0.9,en;q=0.5", "", "en"},
      {"en;q=0.2, de;q=0.7", "", "de"},
      {"fr, *;q=0.5", "", "de"},
      {"de;q=0, *", "", "nl"},
      {"ja", "", "de"},
      {"en", "nl", "nl"},  // the field wins
      {"nl", "fr", "nl"},  // an unknown field is ignored
  };
  int n = 0;
  for (const auto& c : cases) {
    CAPTURE(c.accept_language, c.field);
    httplib::Headers h = {{"Accept", "text/html"}};
    if (*c.accept_language) h.emplace("Accept-Language", c.accept_language);
    const std::string query = *c.field ? std::string("?lang=") + c.field : "";
    CHECK(LangOf(f.client().Get(("/form/newsletter" + query).c_str(), h)) == c.expected);

    const std::string email = "lang" + std::to_string(++n) + "@example.com";
    std::string body = "email=" + email.substr(0, email.find('@')) + "%40example.com";
    if (*c.field) body += std::string("&language=") + c.field;
    auto posted = f.client().Post("/subscribe", h, body, "application/x-www-form-urlencoded");
    REQUIRE(posted);
    REQUIRE(posted->status == 303);
    const std::string location = posted->get_header_value("Location");
    CHECK(location == std::string("/subscribed?list=newsletter&lang=") + c.expected);
    CHECK(LangOf(f.client().Get(location.c_str(), h)) == c.expected);
    CHECK(f.db().Scalar("SELECT s.language FROM subscriptions s JOIN subscribers u ON u.id = "
                        "s.subscriber_id WHERE u.email = '" +
                        email + "'") == c.expected);
    CHECK(MailTo(f, email).find(std::string("Content-Language: ") + c.expected) !=
          std::string::npos);
  }
}

TEST_CASE(
    "the mail, its pages and the unsubscribe pages follow the subscription language, "
    "error pages follow the signup or the visitor",
    "[e2e][db]") {
  OptinFixture f;
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"languages", {"nl", "en"}}})->status == 200);
  // A browser that prefers German still sees the Dutch subscription's pages in Dutch.
  httplib::Headers german = {{"Accept", "text/html"}, {"Accept-Language", "de"}};
  f.Subscribe("nl@example.com", {{"language", "nl"}});
  const std::string mail = MailTo(f, "nl@example.com");
  CHECK(mail.find("Content-Language: nl") != std::string::npos);
  CHECK(mail.find("Bevestig uw aanmelding") != std::string::npos);
  // MailTo has decoded the quoted-printable already; FindLink would decode it a second time
  // (and turn a token starting with two hex digits after "=" into a byte).
  const std::string token = f.ConfirmTokenFor("nl@example.com");

  auto confirm_page = f.client().Get(("/confirm?token=" + token).c_str(), german);
  CHECK(LangOf(confirm_page) == "nl");
  CHECK(confirm_page->body.find("Aanmelding bevestigen") != std::string::npos);
  auto confirmed =
      f.client().Post("/confirm", german, "token=" + token, "application/x-www-form-urlencoded");
  CHECK(LangOf(confirmed) == "nl");
  CHECK(LangOf(f.client().Get(("/confirm?token=" + token).c_str(), german)) == "nl");

  auto who = json::parse(f.Admin("GET", "/admin/subscribers?email=nl@example.com")->body);
  const std::string unsubscribe = Path(who["subscriptions"][0]["unsubscribe_url"]);
  CHECK(LangOf(f.client().Get(unsubscribe.c_str(), german)) == "nl");
  auto done = f.client().Post(unsubscribe.c_str(), german, "", "application/x-www-form-urlencoded");
  CHECK(LangOf(done) == "nl");

  // An expired link of an English subscription: English.
  f.Subscribe("en@example.com", {{"language", "en"}});
  std::string en_token = f.ConfirmTokenFor("en@example.com");
  f.db().Exec("UPDATE confirmation_tokens SET expires_at = now() - interval '1 minute'");
  auto expired = f.client().Get(("/confirm?token=" + en_token).c_str(), german);
  CHECK(expired->status == 410);
  CHECK(LangOf(expired) == "en");

  // Error pages of a signup: in the language the signup would have had.
  httplib::Headers english = {{"Accept", "text/html"}, {"Accept-Language", "en"}};
  auto bad = f.client().Post("/subscribe", english, "email=not-an-address",
                             "application/x-www-form-urlencoded");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(LangOf(bad) == "en");
  CHECK(bad->body.find("Bad request") != std::string::npos);
  auto missing = f.client().Post("/subscribe", german, "list=newsletter&language=nl",
                                 "application/x-www-form-urlencoded");
  CHECK(LangOf(missing) == "nl");

  // Pages of links that belong to nobody: the visitor's language (German without a preference).
  for (auto [accept, expected] : std::vector<std::pair<std::string, std::string>>{
           {"nl-BE,nl;q=0.9", "nl"}, {"en-US", "en"}, {"", "de"}, {"fr", "de"}}) {
    CAPTURE(accept);
    httplib::Headers h = {{"Accept", "text/html"}};
    if (!accept.empty()) h.emplace("Accept-Language", accept);
    auto unknown = f.client().Get("/confirm?token=garbled", h);
    CHECK(unknown->status == 404);
    CHECK(LangOf(unknown) == expected);
    CHECK(LangOf(f.client().Post("/confirm", h, "token=garbled",
                                 "application/x-www-form-urlencoded")) == expected);
    CHECK(LangOf(f.client().Get("/unsubscribe?token=garbled", h)) == expected);
    CHECK(LangOf(f.client().Get("/form/no-such-list", h)) == expected);
    CHECK(LangOf(f.client().Get("/privacy", h)) == expected);
  }
}
