// GET /metrics and the access log end to end: request counters and latency histograms by route
// template, domain counters, outbox gauges, and no personal data or secret in either.
#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "tests/support/optin_fixture.h"
#include "tests/support/wait.h"

using namespace optin::test;
using nlohmann::json;

namespace {

std::string Scrape(OptinFixture& f) {
  auto r = f.client().Get("/metrics");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  return r->body;
}

// The value of the sample whose name and labels are exactly `series`; -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

std::vector<json> AccessLog(OptinFixture& f) {
  std::vector<json> lines;
  std::istringstream in(f.process().Log());
  std::string line;
  while (std::getline(in, line)) {
    auto doc = json::parse(line, nullptr, false);
    if (!doc.is_discarded() && doc.value("event", "") == "request") lines.push_back(doc);
  }
  return lines;
}

const char* kHealthz = R"(optin_http_requests_total{method="GET",route="/healthz",status="200"})";

}  // namespace

TEST_CASE(
    "metrics count requests by route template, with cumulative latency buckets and outbox gauges",
    "[e2e][db][metrics]") {
  OptinFixture f;
  std::string before = Scrape(f);
  double healthz_before = std::max(0.0, Sample(before, kHealthz));
  for (int i = 0; i < 3; ++i) REQUIRE(f.client().Get("/healthz")->status == 200);

  const std::string email = "metrics.person@example.org";
  std::string unsubscribe = f.SubscribeAndConfirm(email);
  std::string confirm_token = f.ConfirmTokenFor(email);
  REQUIRE(f.client().Post(unsubscribe.c_str(), "", "application/x-www-form-urlencoded")->status ==
          200);
  REQUIRE(f.client().Get("/confirm?token=not-a-token")->status == 404);
  REQUIRE(f.client().Get("/no/such/path/secret-looking-thing")->status == 404);

  // The mailer counts a mail just after writing it.
  REQUIRE(WaitUntil([&] { return Sample(Scrape(f), "optin_mails_sent_total") == 1; }));
  std::string text = Scrape(f);
  CHECK(Sample(text, kHealthz) == healthz_before + 3);
  CHECK(Sample(text,
               R"(optin_http_requests_total{method="POST",route="/subscribe",status="202"})") == 1);
  CHECK(Sample(text, R"(optin_http_requests_total{method="GET",route="/confirm",status="404"})") ==
        1);
  CHECK(Sample(text, R"(optin_http_requests_total{method="GET",route="unmatched",status="404"})") ==
        1);
  CHECK(Sample(text, R"(optin_signups_total{list="newsletter",outcome="mail_queued"})") == 1);
  CHECK(Sample(text, R"(optin_confirmations_total{list="newsletter"})") == 1);
  CHECK(Sample(text, R"(optin_unsubscribes_total{list="newsletter",channel="link"})") == 1);
  CHECK(Sample(text, "optin_mails_failed_total") == 0);
  CHECK(Sample(text, "optin_db_pool_size") == 8);
  CHECK(text.find("# TYPE optin_http_request_duration_seconds histogram") != std::string::npos);

  SECTION("histogram buckets are cumulative and end in the count") {
    const std::string prefix =
        R"(optin_http_request_duration_seconds_bucket{method="GET",route="/healthz",le=")";
    std::vector<double> buckets;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(prefix, 0) == 0)
        buckets.push_back(std::stod(line.substr(line.rfind(' ') + 1)));
    }
    REQUIRE(buckets.size() == 13);
    for (size_t i = 1; i < buckets.size(); ++i) CHECK(buckets[i] >= buckets[i - 1]);
    CHECK(text.find(prefix + "+Inf\"} " + std::to_string(static_cast<int>(buckets.back()))) !=
          std::string::npos);
    CHECK(Sample(text,
                 R"(optin_http_request_duration_seconds_count{method="GET",route="/healthz"})") ==
          buckets.back());
    CHECK(buckets.back() >= 3);
  }

  SECTION("outbox gauges come from the database") {
    CHECK(Sample(text, "optin_outbox_query_up") == 1);
    CHECK(Sample(text, "optin_mail_outbox_depth") == 0);
    CHECK(Sample(text, "optin_mail_outbox_oldest_due_seconds") == 0);
    // Sync is off here, so the unsubscribe queued nothing holding an address (issue 12); an
    // upsert (a subscription id only) stands for CleverReach work no sync worker drains.
    f.db().Exec("INSERT INTO sync_outbox (action, email_hash) VALUES ('upsert_receiver', 'h')");
    text = Scrape(f);
    CHECK(Sample(text, "optin_sync_outbox_depth") >= 1);
    CHECK(Sample(text, "optin_sync_outbox_oldest_seconds") >= 0);
    CHECK(Sample(text, "optin_sync_outbox_dead") == 0);
    f.db().Exec("UPDATE sync_outbox SET dead_at = now(), created_at = now() - interval '1 hour'");
    std::string later = Scrape(f);
    CHECK(Sample(later, "optin_sync_outbox_dead") >= 1);
    CHECK(Sample(later, "optin_sync_outbox_depth") == 0);
  }

  SECTION("neither metrics nor the access log carry an address, a token or a secret") {
    std::string token = unsubscribe.substr(unsubscribe.find("token=") + 6);
    std::string log = f.process().Log();
    for (const std::string& secret :
         {email, std::string("metrics.person"), confirm_token, token,
          f.process().env().at("OPTIN_SECRET"), std::string(kAdminToken),
          std::string("secret-looking-thing"), std::string("not-a-token")}) {
      INFO(secret);
      CHECK(text.find(secret) == std::string::npos);
      CHECK(log.find(secret) == std::string::npos);
    }
  }

  SECTION("one access-log line per request, by route template, with the client address") {
    auto lines = AccessLog(f);
    int probes = 0, confirm_404 = 0;
    bool unmatched = false;
    for (const auto& l : lines) {
      CHECK(l.contains("method"));
      CHECK(l.contains("status"));
      CHECK(l["duration_ms"].is_number());
      CHECK(l.value("client_ip", "") == "127.0.0.1");
      if (l["route"] == "/healthz" || l["route"] == "/metrics") ++probes;
      if (l["route"] == "/confirm" && l["status"] == 404) ++confirm_404;
      if (l["route"] == "unmatched" && l["status"] == 404) unmatched = true;
      CHECK(l.dump().find("/no/such") == std::string::npos);
    }
    // Successful probes are counted (above) but not logged; everything else is.
    CHECK(probes == 0);
    CHECK(confirm_404 == 1);
    CHECK(unmatched);
  }
}

TEST_CASE("the access log stores the client address per OPTIN_IP_MODE", "[e2e][db][metrics]") {
  SECTION("truncated") {
    OptinFixture f(Env{{"OPTIN_IP_MODE", "truncated"}});
    REQUIRE(f.client().Get("/subscribed")->status == 200);
    REQUIRE(WaitUntil([&] { return !AccessLog(f).empty(); }));
    CHECK(AccessLog(f).back()["client_ip"] == "127.0.0.0");
  }
  SECTION("none") {
    OptinFixture f(Env{{"OPTIN_IP_MODE", "none"}});
    REQUIRE(f.client().Get("/subscribed")->status == 200);
    REQUIRE(WaitUntil([&] { return !AccessLog(f).empty(); }));
    CHECK_FALSE(AccessLog(f).back().contains("client_ip"));
  }
}
