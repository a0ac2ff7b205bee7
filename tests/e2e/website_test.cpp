// optin behind a company's website: each page's CSP, framing of /form/{list}, the redirect URLs
// an admin may set, and the complete signup record in the consent ledger.
#include <catch2/catch.hpp>

#include "tests/support/mail_reader.h"
#include "tests/support/optin_fixture.h"

using namespace optin::test;
using nlohmann::json;

namespace {

std::string Csp(const httplib::Result& r) {
  REQUIRE(r);
  return r->get_header_value("Content-Security-Policy");
}

std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string Sha256Of(OptinFixture& f, const std::string& text) {
  return f.db().Scalar("SELECT encode(sha256(convert_to(" + Quote(text) + ", 'UTF8')), 'hex')");
}

}  // namespace

TEST_CASE(
    "each page gets its own CSP: form and confirm pages may redirect to the list's pages, only the "
    "form is frameable",
    "[e2e][db]") {
  OptinFixture f(Env{{"OPTIN_FRAME_ANCESTORS", "https://www.example.com http://localhost:3000"}});
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter",
                  {{"thank_you_url", "https://www.example.com/danke"},
                   {"confirmed_url", "https://shop.example.org:8443/bestaetigt"}})
              ->status == 200);

  const std::string form = Csp(f.client().Get("/form/newsletter"));
  CHECK(form.find("form-action 'self' https://www.example.com;") != std::string::npos);
  CHECK(form.find("frame-ancestors https://www.example.com http://localhost:3000") !=
        std::string::npos);
  CHECK(form.find("default-src 'none'") != std::string::npos);
  CHECK(form.find("script-src") == std::string::npos);

  f.Subscribe("csp@example.com");
  std::string token = f.ConfirmTokenFor("csp@example.com");
  const std::string confirm = Csp(f.client().Get(("/confirm?token=" + token).c_str()));
  CHECK(confirm.find("form-action 'self' https://shop.example.org:8443;") != std::string::npos);
  CHECK(confirm.find("frame-ancestors 'none'") != std::string::npos);

  httplib::Headers browser = {{"Accept", "text/html"}};
  auto confirmed =
      f.client().Post("/confirm", browser, "token=" + token, "application/x-www-form-urlencoded");
  REQUIRE(confirmed);
  CHECK(confirmed->status == 303);
  CHECK(confirmed->get_header_value("Location") == "https://shop.example.org:8443/bestaetigt");

  auto who = f.Admin("GET", "/admin/subscribers?email=csp@example.com");
  std::string unsubscribe = json::parse(who->body)["subscriptions"][0]["unsubscribe_url"];
  unsubscribe = unsubscribe.substr(unsubscribe.find("/unsubscribe"));
  const std::string unsub = Csp(f.client().Get(unsubscribe.c_str()));
  CHECK(unsub.find("form-action 'self';") != std::string::npos);
  CHECK(unsub.find("frame-ancestors 'none'") != std::string::npos);

  // The built-in thank-you page is where the framed form lands: frameable like the form.
  CHECK(Csp(f.client().Get("/subscribed?list=newsletter"))
            .find("frame-ancestors https://www.example.com") != std::string::npos);
  CHECK(Csp(f.client().Get("/confirm?token=nonsense")).find("frame-ancestors 'none'") !=
        std::string::npos);
  CHECK(Csp(f.client().Get("/privacy")).find("frame-ancestors 'none'") != std::string::npos);
}

TEST_CASE("without OPTIN_FRAME_ANCESTORS no page is frameable and forms post to 'self' only",
          "[e2e][db]") {
  OptinFixture f;
  CHECK(Csp(f.client().Get("/form/newsletter")) ==
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'");
}

TEST_CASE("an admin's thank-you and confirmed URLs must be https (http only on localhost)",
          "[e2e][db]") {
  OptinFixture f;
  for (const char* bad : {"http://www.example.com/danke", "javascript:alert(1)",
                          "https://exa mple.com/", "https://user@example.com/", "/relative"}) {
    INFO(bad);
    for (const char* field : {"thank_you_url", "confirmed_url"}) {
      auto r = f.Admin("PUT", "/admin/lists/newsletter", {{field, bad}});
      CHECK(r->status == 400);
      CHECK(json::parse(r->body)["error"] == "invalid_request");
    }
  }
  CHECK(f.db().Scalar(
            "SELECT coalesce(thank_you_url, '') || coalesce(confirmed_url, '') FROM lists") == "");
  CHECK(f.Admin("PUT", "/admin/lists/newsletter", {{"thank_you_url", "http://localhost:3000/t"}})
            ->status == 200);
  CHECK(f.Admin("PUT", "/admin/lists/newsletter", {{"thank_you_url", nullptr}})->status == 200);
}

TEST_CASE("the signup record: page, IP, user agent, consent text shown, language, channel",
          "[e2e][db]") {
  OptinFixture f;
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"languages", {"de", "en"}}})->status == 200);
  // 1. The built-in form, posted as a browser does with Referrer-Policy: no-referrer: the form's
  //    hidden form_page field names the page; the consent hash is of the words the form showed.
  auto page = f.client().Get("/form/newsletter");
  REQUIRE(page);
  std::string form_page = "http://localhost:8080/form/newsletter";
  CHECK(page->body.find("name=\"form_page\" value=\"" + form_page + "\"") != std::string::npos);
  httplib::Headers ua = {{"User-Agent", "Mozilla/5.0 (record test)"}, {"Accept", "text/html"}};
  auto posted = f.client().Post("/subscribe", ua,
                                "email=form%40example.com&list=newsletter&language=en&form_page="
                                "http%3A%2F%2Flocalhost%3A8080%2Fform%2Fnewsletter",
                                "application/x-www-form-urlencoded");
  REQUIRE(posted);
  CHECK(posted->status == 303);
  const std::string where =
      "kind = 'signup_requested' AND email_hash = (SELECT email_hash FROM subscribers WHERE email "
      "= 'form@example.com')";
  CHECK(f.db().Scalar("SELECT page_url FROM consent_events WHERE " + where) == form_page);
  CHECK(f.db().Scalar("SELECT host(ip) FROM consent_events WHERE " + where) == "127.0.0.1");
  CHECK(f.db().Scalar("SELECT user_agent FROM consent_events WHERE " + where) ==
        "Mozilla/5.0 (record test)");
  CHECK(f.db().Scalar("SELECT channel FROM consent_events WHERE " + where) == "form");
  CHECK(f.db().Scalar("SELECT detail->>'language' FROM consent_events WHERE " + where) == "en");
  CHECK(f.db().Scalar("SELECT detail->>'consent_checkbox' FROM consent_events WHERE " + where) ==
        "false");
  const std::string shown_en =
      "Yes, I would like to receive Newsletter by email. I can withdraw my consent at any time "
      "using the "
      "unsubscribe link in every email.";
  std::string hash = f.db().Scalar("SELECT consent_text_sha256 FROM consent_events WHERE " + where);
  CHECK(hash.size() == 64);
  CHECK(f.db().Scalar("SELECT text FROM consent_texts WHERE sha256 = " + Quote(hash)) ==
        f.db().Scalar("SELECT replace(" + Quote(shown_en) +
                      ", 'Newsletter', name) FROM lists WHERE slug = 'newsletter'"));
  CHECK(Sha256Of(f, f.db().Scalar("SELECT text FROM consent_texts WHERE sha256 = " +
                                  Quote(hash))) == hash);

  // 2. The company's own form: the Referer is the page; a form_page naming anything but this
  //    list's built-in form is not believed.
  httplib::Headers site = {{"Referer", "https://www.example.com/newsletter?utm=x"}};
  CHECK(
      f.client()
          .Post("/subscribe", site, "email=site%40example.com", "application/x-www-form-urlencoded")
          ->status == 202);
  CHECK(
      f.db().Scalar(
          "SELECT page_url FROM consent_events e JOIN subscribers s ON s.email_hash = e.email_hash "
          "WHERE s.email = 'site@example.com' AND kind = 'signup_requested'") ==
      "https://www.example.com/newsletter?utm=x");
  CHECK(f.PostJson("/subscribe", {{"email", "liar@example.com"},
                                  {"form_page", "https://evil.example/form/newsletter"}})
            ->status == 202);
  CHECK(f.db().Scalar("SELECT coalesce(page_url, '<none>') FROM consent_events e JOIN subscribers "
                      "s ON s.email_hash = e.email_hash "
                      "WHERE s.email = 'liar@example.com' AND kind = 'signup_requested'") ==
        "<none>");

  // 3. A list with its own consent text and checkbox: that text's hash, the checkbox recorded.
  REQUIRE(f.Admin("PUT", "/admin/lists/strict",
                  {{"name", "Strict"},
                   {"language", "de"},
                   {"require_consent_checkbox", true},
                   {"consent_text", "Ich will den Strict-Brief."}})
              ->status == 200);
  CHECK(f.PostJson("/subscribe",
                   {{"email", "strict@example.com"}, {"list", "strict"}, {"consent", true}})
            ->status == 202);
  CHECK(
      f.db().Scalar("SELECT t.text || '|' || (e.detail->>'consent_checkbox') FROM consent_events e "
                    "JOIN consent_texts t ON t.sha256 = e.consent_text_sha256 JOIN subscribers s "
                    "ON s.email_hash = e.email_hash "
                    "WHERE s.email = 'strict@example.com'") == "Ich will den Strict-Brief.|true");
  // Never empty: every signup event has a hash that resolves in consent_texts.
  CHECK(f.db().Scalar("SELECT count(*) FROM consent_events e LEFT JOIN consent_texts t ON t.sha256 "
                      "= e.consent_text_sha256 "
                      "WHERE kind = 'signup_requested' AND t.text IS NULL") == "0");

  // 4. The confirmation records who confirmed.
  std::string token = f.ConfirmTokenFor("form@example.com");
  httplib::Headers confirmer = {{"User-Agent", "Confirmer/1.0"}};
  CHECK(f.client()
            .Post("/confirm", confirmer, "token=" + token, "application/x-www-form-urlencoded")
            ->status == 200);
  const std::string confirmed =
      "kind = 'confirmed' AND email_hash = (SELECT email_hash FROM subscribers WHERE email = "
      "'form@example.com')";
  CHECK(f.db().Scalar(
            "SELECT host(ip) || '|' || user_agent || '|' || channel FROM consent_events WHERE " +
            confirmed) == "127.0.0.1|Confirmer/1.0|link");
}

TEST_CASE("the signup record's IP follows OPTIN_IP_MODE", "[e2e][db]") {
  for (auto [mode, expected] : std::vector<std::pair<std::string, std::string>>{
           {"full", "127.0.0.1"}, {"truncated", "127.0.0.0"}, {"none", "<none>"}}) {
    INFO(mode);
    OptinFixture f(Env{{"OPTIN_IP_MODE", mode}});
    f.Subscribe("ip@example.com");
    CHECK(f.db().Scalar("SELECT coalesce(host(ip), '<none>') FROM consent_events WHERE kind = "
                        "'signup_requested'") == expected);
    std::string token = f.ConfirmTokenFor("ip@example.com");
    CHECK(f.PostJson("/confirm", {{"token", token}})->status == 200);
    CHECK(f.db().Scalar(
              "SELECT coalesce(host(ip), '<none>') FROM consent_events WHERE kind = 'confirmed'") ==
          expected);
  }
}
