// The consent dossier end to end (issue 15): GET /admin/proof for a confirmed, an unsubscribed
// and an erased address, as HTML in German and English and as JSON — the real binary, a real
// PostgreSQL and a real SMTP server. Also `optin verify-ledger` on the same database.

#include <catch2/catch.hpp>

#include "service/base/crypto.h"
#include "tests/support/privacy_helpers.h"

using namespace optin::test;
using nlohmann::json;

namespace {

const char kConsent[] = "Ja, ich will den Newsletter – jederzeit abbestellbar.";

httplib::Result Proof(OptinFixture& f, const std::string& query, bool as_json) {
  httplib::Headers headers = {{"Authorization", std::string("Bearer ") + kAdminToken}};
  if (as_json) headers.emplace("Accept", "application/json");
  auto r = f.client().Get(("/admin/proof?" + query).c_str(), headers);
  REQUIRE(r);
  return r;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A list with a consent checkbox and its own words, and `email` signed up with consent and
// confirmed; returns the confirmation mail as the SMTP server received it.
ReceivedMail ConfirmedWithConsent(OptinFixture& f, SmtpServer& smtp, const std::string& email,
                                  size_t n) {
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter",
                  {{"require_consent_checkbox", true}, {"consent_text", kConsent}})
              ->status < 300);
  f.Subscribe(email, {{"consent", true}, {"form_page", "/form/newsletter"}});
  auto mail = WaitForMail(smtp, n);
  REQUIRE(f.PostJson("/confirm", {{"token", TokenIn(mail, "/confirm?token=")}})->status == 200);
  return mail;
}

// `optin verify-ledger` on the fixture's database: its exit code and all it printed.
std::string VerifyLedger(OptinFixture& f, int* exit_code) {
  auto r = RunOptin({"verify-ledger"}, BaseEnv(f.db().url()));
  *exit_code = r.exit_code;
  return r.out + r.err;
}

}  // namespace

TEST_CASE("dossier: a confirmed address, in German and English, HTML and JSON",
          "[e2e][db][proof]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  auto mail = ConfirmedWithConsent(f, smtp, "anna@example.com", 1);
  // The mailer's consent event commits after the SMTP server has the mail.
  REQUIRE(WaitUntil(
      [&] { return Count(f, "consent_events", "kind = 'confirmation_mail_sent'") == "1"; },
      std::chrono::seconds(20)));

  auto j = Proof(f, "email=Anna@Example.com&language=en", true);
  REQUIRE(j->status == 200);
  auto doc = json::parse(j->body);
  CHECK(doc["email"] == "anna@example.com");
  CHECK(doc["erased"] == false);
  CHECK(doc["ledger"]["verified"] == true);
  REQUIRE(doc["subscriptions"].size() == 1);
  CHECK(doc["subscriptions"][0]["status"] == "confirmed");
  CHECK(doc["subscriptions"][0]["status_history"].size() == 2);
  CHECK(doc["subscriptions"][0]["status_history"][1]["status"] == "confirmed");
  CHECK(doc["subscriptions"][0]["cleverreach"]["state"] == "no_group");
  CHECK(doc["suppressed"] == false);
  std::vector<std::string> kinds;
  json sent;
  for (const auto& e : doc["events"]) {
    kinds.push_back(e["kind"]);
    if (e["kind"] == "confirmation_mail_sent") sent = e;
    CHECK(e["at"]["utc"].get<std::string>().back() == 'Z');
    CHECK(e["at"]["europe_berlin"].get<std::string>().find("+0") != std::string::npos);
  }
  CHECK(kinds ==
        std::vector<std::string>{"signup_requested", "confirmation_mail_sent", "confirmed"});
  CHECK(doc["events"][0]["consent_text"] == kConsent);
  CHECK(doc["events"][0]["page_url"] == "http://localhost:8080/form/newsletter");
  CHECK(doc["events"][0]["ip"] == "127.0.0.1");
  CHECK(doc["events"][1]["prev_sha256"] == doc["events"][0]["sha256"]);

  // The mail as received hashes to the recorded SHA-256; with its token replaced by the
  // placeholder it is the redacted copy, whose own SHA-256 is recorded too.
  const std::string token = TokenIn(mail, "/confirm?token=");
  CHECK(sent["mail_sha256"] == optin::Sha256Hex(mail.data));
  const std::string redacted = sent["mail_redacted"];
  CHECK(sent["mail_redacted_sha256"] == optin::Sha256Hex(redacted));
  CHECK_FALSE(Has(redacted, token));
  CHECK(Has(redacted, sent["mail_redaction_placeholder"].get<std::string>()));
  CHECK(Has(redacted, sent["message_id"].get<std::string>()));
  CHECK(redacted.size() == mail.data.size());

  auto en = Proof(f, "email=anna@example.com&language=en", false);
  REQUIRE(en->status == 200);
  CHECK(Has(en->get_header_value("Content-Type"), "text/html"));
  CHECK(Has(en->body, "<html lang=\"en\">"));
  CHECK(Has(en->body, "Consent dossier"));
  CHECK(Has(en->body, "anna@example.com"));
  CHECK(Has(en->body, "Ja, ich will den Newsletter – jederzeit abbestellbar."));
  CHECK(Has(en->body, "Europe/Berlin"));
  CHECK(Has(en->body, "intact – the hash chain verifies"));
  CHECK(Has(en->body, "&lt;" + sent["message_id"].get<std::string>() + "&gt;"));
  CHECK_FALSE(Has(en->body, token));
  auto de = Proof(f, "email=anna@example.com&language=de", false);
  REQUIRE(de->status == 200);
  CHECK(Has(de->body, "<html lang=\"de\">"));
  CHECK(Has(de->body, "Einwilligungsnachweis"));
  CHECK(Has(de->body, "Bestätigungsmail versandt"));
  CHECK(Has(de->body, "Ja, ich will den Newsletter"));

  CHECK(Proof(f, "email=nobody@example.com", false)->status == 404);
  CHECK(Proof(f, "email=not-an-address", false)->status == 400);
  CHECK(Proof(f, "email=anna@example.com&language=fr", false)->status == 400);
  CHECK(f.client().Get("/admin/proof?email=anna@example.com")->status == 401);
}

TEST_CASE(
    "dossier: an unsubscribed address shows the withdrawal and its suppression, and a "
    "tampered ledger shows as broken",
    "[e2e][db][proof]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  ConfirmedWithConsent(f, smtp, "bert@example.com", 1);
  REQUIRE(RequestPrivacy(f, "bert@example.com", "unsubscribe")->status == 202);
  auto verification = WaitForMail(smtp, 2);
  REQUIRE(
      f.PostJson("/privacy/confirm", {{"token", TokenIn(verification, "/privacy/confirm?token=")}})
          ->status == 200);

  auto doc = json::parse(Proof(f, "email=bert@example.com&language=en", true)->body);
  CHECK(doc["subscriptions"][0]["status"] == "unsubscribed");
  CHECK(doc["subscriptions"][0]["status_history"].back()["status"] == "unsubscribed");
  CHECK(doc["suppressed"] == true);
  CHECK(doc["suppressions"][0]["scope"] == "global");
  CHECK(doc["ledger"]["verified"] == true);
  auto de = Proof(f, "email=bert@example.com&language=de", false);
  CHECK(Has(de->body, "Abgemeldet"));
  CHECK(Has(de->body, "alle Listen"));
  auto en = Proof(f, "email=bert@example.com&language=en", false);
  CHECK(Has(en->body, "Unsubscribed"));
  CHECK(Has(en->body, "all lists"));

  int code = -1;
  std::string out = VerifyLedger(f, &code);
  CHECK(code == 0);
  CHECK(Has(out, "ok:"));
  // Someone with database access edits an event: the dossier and verify-ledger both say so.
  f.db().Exec("ALTER TABLE consent_events DISABLE TRIGGER consent_events_no_update");
  f.db().Exec("UPDATE consent_events SET user_agent = 'forged' WHERE kind = 'signup_requested'");
  f.db().Exec("ALTER TABLE consent_events ENABLE TRIGGER consent_events_no_update");
  doc = json::parse(Proof(f, "email=bert@example.com", true)->body);
  CHECK(doc["ledger"]["verified"] == false);
  CHECK(doc["ledger"]["broken_reason"] == "altered");
  CHECK(Has(Proof(f, "email=bert@example.com&language=en", false)->body, "BROKEN"));
  out = VerifyLedger(f, &code);
  CHECK(code == 1);
  CHECK(Has(out, "bert@example.com"));
}

TEST_CASE("dossier: an erased address shows only hash-only facts", "[e2e][db][proof]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  ConfirmedWithConsent(f, smtp, "carl@example.com", 1);
  REQUIRE(WaitUntil(
      [&] { return Count(f, "consent_events", "kind = 'confirmation_mail_sent'") == "1"; },
      std::chrono::seconds(20)));
  REQUIRE(f.Admin("DELETE", "/admin/subscribers?email=carl@example.com")->status == 200);

  auto j = Proof(f, "email=carl@example.com", true);
  REQUIRE(j->status == 200);
  auto doc = json::parse(j->body);
  CHECK(doc["erased"] == true);
  CHECK(doc["email"].is_null());
  CHECK(doc["email_sha256"] == optin::Sha256Hex("carl@example.com"));
  CHECK(doc["subscriptions"].empty());
  REQUIRE(doc["events"].size() == 1);
  CHECK(doc["events"][0]["kind"] == "erased");
  CHECK(doc["events"][0]["detail"]["removed_sha256"].size() == 3);
  CHECK(doc["suppressions"][0]["hash_only"] == true);
  CHECK(doc["ledger"]["verified"] == true);
  CHECK_FALSE(Has(j->body, "carl@example.com"));
  CHECK_FALSE(Has(j->body, "127.0.0.1"));
  for (const char* lang : {"de", "en"}) {
    auto page = Proof(f, std::string("email=carl@example.com&language=") + lang, false);
    REQUIRE(page->status == 200);
    CHECK_FALSE(Has(page->body, "carl@example.com"));
    CHECK_FALSE(Has(page->body, "127.0.0.1"));
    CHECK_FALSE(Has(page->body, kConsent));
    CHECK(Has(page->body, optin::Sha256Hex("carl@example.com")));
    CHECK(Has(page->body, std::string(lang) == "de" ? "gelöscht" : "erased"));
  }
}
