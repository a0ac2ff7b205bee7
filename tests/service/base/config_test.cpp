#include "service/base/config.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

using optin::Config;
using optin::LoadConfig;
using optin::Millis;

namespace {
const std::string kSecret = "0123456789abcdef0123456789abcdef";
}

TEST_CASE("durations parse with their units", "[config]") {
  struct Case {
    const char* text;
    long long ms;  // -1 = invalid
  };
  const Case cases[] = {
      {"500ms", 500},
      {"60s", 60'000},
      {"10m", 600'000},
      {"10min", 600'000},
      {"72h", 259'200'000},
      {"7d", 604'800'000},
      {"2w", 1'209'600'000},
      {"3y", 94'608'000'000},
      {"0s", 0},
      {"", -1},
      {"h", -1},
      {"72", -1},
      {"72 h", -1},
      {"-5s", -1},
      {"5x", -1},
      {"1.5h", -1},
      {"99999999999d", -1},
      {"3Y", -1},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto d = optin::ParseDuration(c.text);
    if (c.ms < 0) {
      CHECK_FALSE(d.ok());
    } else {
      REQUIRE(d.ok());
      CHECK(d->count() == c.ms);
    }
  }
}

// Found by tests/fuzz/config_fuzz.cpp: "99999y" was accepted, and "now + d" in nanoseconds
// overflows past ~292 years (e.g. OPTIN_SYNC_INTERVAL in a condition-variable wait).
TEST_CASE("durations are capped at 100 years", "[config]") {
  CHECK(optin::ParseDuration("100y").ok());
  CHECK(optin::ParseDuration("36500d").ok());
  for (const char* too_long : {"101y", "36501d", "99999y", "999999999w", "1000000000h"}) {
    INFO(too_long);
    CHECK_FALSE(optin::ParseDuration(too_long).ok());
  }
  std::map<std::string, std::string> env = {{"OPTIN_SYNC_INTERVAL", "99999y"}};
  CHECK_FALSE(LoadConfig(env, false).ok());
}

TEST_CASE("rate limits parse", "[config]") {
  auto r = optin::ParseRateLimit("30/min");
  REQUIRE(r.ok());
  CHECK(r->requests == 30);
  CHECK(r->window == Millis(60'000));
  CHECK(optin::ParseRateLimit("5/s")->window == Millis(1000));
  CHECK(optin::ParseRateLimit("1000/h")->requests == 1000);
  CHECK_FALSE(optin::ParseRateLimit("off")->enabled);
  for (const char* bad : {"", "30", "0/min", "x/min", "30/day", "/min", "30/"}) {
    INFO(bad);
    CHECK_FALSE(optin::ParseRateLimit(bad).ok());
  }
}

TEST_CASE("host:port parses, port 0 included", "[config]") {
  CHECK(optin::ParseHostPort("127.0.0.1:8080")->port == 8080);
  CHECK(optin::ParseHostPort("0.0.0.0:0")->port == 0);
  CHECK(optin::ParseHostPort("[::1]:9000")->host == "::1");
  CHECK(optin::ParseHostPort("localhost:80")->host == "localhost");
  for (const char* bad :
       {"", "8080", ":8080", "host:", "host:65536", "host:-1", "ho st:80", "[::1:80"}) {
    INFO(bad);
    CHECK_FALSE(optin::ParseHostPort(bad).ok());
  }
}

TEST_CASE("defaults follow the contract", "[config]") {
  auto c = LoadConfig({{"OPTIN_SECRET", kSecret}}, true);
  REQUIRE(c.ok());
  CHECK(c->listen.host == "127.0.0.1");
  CHECK(c->listen.port == 8080);
  CHECK(c->public_url == "http://localhost:8080");
  CHECK(c->mail_dir == "var/mail");
  CHECK(c->mail_from == "newsletter@localhost");
  CHECK(c->confirm_ttl == std::chrono::hours(72));
  CHECK(c->unconfirmed_retention == std::chrono::hours(24 * 30));
  CHECK(c->consent_retention == std::chrono::hours(24 * 365 * 3));
  CHECK(c->ip_mode == optin::IpMode::kFull);
  CHECK(c->rate_limit.requests == 30);
  CHECK(c->unsubscribe_scope == optin::UnsubscribeScope::kGlobal);
  CHECK(c->sync_interval == Millis(60'000));
  CHECK(c->cleverreach_api_url == "https://rest.cleverreach.com/v3");
  CHECK_FALSE(c->cleverreach_enabled());
  CHECK(c->admin_token.empty());
}

TEST_CASE("a bad value names its variable in one line", "[config]") {
  struct Case {
    const char* var;
    const char* value;
  };
  const Case cases[] = {
      {"OPTIN_LISTEN", "nope"},
      {"OPTIN_PUBLIC_URL", "ftp://x"},
      {"OPTIN_PUBLIC_URL", "localhost:8080"},
      {"OPTIN_SECRET", "short"},
      {"OPTIN_ADMIN_TOKEN", "tiny"},
      {"OPTIN_SMTP_URL", "http://mail"},
      {"OPTIN_MAIL_FROM", "no-at-sign"},
      {"OPTIN_MAIL_FROM", "a@b\r\nBcc: x@y"},
      {"OPTIN_CONFIRM_TTL", "3 days"},
      {"OPTIN_CONFIRM_TTL", "0h"},
      {"OPTIN_UNCONFIRMED_RETENTION", "30"},
      {"OPTIN_CONSENT_RETENTION", "forever"},
      {"OPTIN_IP_MODE", "partial"},
      {"OPTIN_RATE_LIMIT", "lots"},
      {"OPTIN_UNSUBSCRIBE_SCOPE", "planet"},
      {"OPTIN_TRUSTED_PROXIES", "10.0.0.0/33"},
      {"OPTIN_TRUSTED_PROXIES", "not-an-ip"},
      {"OPTIN_CLEVERREACH_API_URL", "rest.cleverreach.com"},
      {"OPTIN_CLEVERREACH_TOKEN_URL", "://"},
      {"OPTIN_SYNC_INTERVAL", "often"},
      {"OPTIN_DB_POOL_SIZE", "0"},
      {"OPTIN_HTTP_THREADS", "many"},
  };
  for (const auto& c : cases) {
    INFO(c.var << "=" << c.value);
    std::map<std::string, std::string> env = {{"OPTIN_SECRET", kSecret}};
    env[c.var] = c.value;
    auto r = LoadConfig(env, true);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().rfind(c.var, 0) == 0);
    CHECK(r.status().message().find('\n') == std::string::npos);
    CHECK(r.status().message().find(kSecret) == std::string::npos);
  }
}

TEST_CASE("good values are taken", "[config]") {
  auto c = LoadConfig({{"OPTIN_SECRET", kSecret},
                       {"OPTIN_LISTEN", "0.0.0.0:0"},
                       {"OPTIN_PUBLIC_URL", "https://news.example.com/"},
                       {"OPTIN_SMTP_URL", "smtps://mail.example.com:465"},
                       {"OPTIN_CONFIRM_TTL", "7d"},
                       {"OPTIN_IP_MODE", "truncated"},
                       {"OPTIN_RATE_LIMIT", "5/s"},
                       {"OPTIN_UNSUBSCRIBE_SCOPE", "list"},
                       {"OPTIN_TRUSTED_PROXIES", "10.0.0.0/8, ::1"},
                       {"OPTIN_CLEVERREACH_CLIENT_ID", "id"},
                       {"OPTIN_CLEVERREACH_CLIENT_SECRET", "secret"}},
                      true);
  REQUIRE(c.ok());
  CHECK(c->listen.port == 0);
  CHECK(c->public_url == "https://news.example.com");
  CHECK(c->confirm_ttl == std::chrono::hours(24 * 7));
  CHECK(c->ip_mode == optin::IpMode::kTruncated);
  CHECK(c->rate_limit.window == Millis(1000));
  CHECK(c->unsubscribe_scope == optin::UnsubscribeScope::kList);
  CHECK(c->trusted_proxies.size() == 2);
  CHECK(c->cleverreach_enabled());
}

TEST_CASE("serve requires a secret, migrate does not", "[config]") {
  auto serve = LoadConfig({}, true);
  REQUIRE_FALSE(serve.ok());
  CHECK(serve.status().message().rfind("OPTIN_SECRET", 0) == 0);
  CHECK(LoadConfig({}, false).ok());
}

TEST_CASE("OPTIN_FRAME_ANCESTORS: space-separated origins, default none", "[config]") {
  auto none = LoadConfig({}, false);
  REQUIRE(none.ok());
  CHECK(none->frame_ancestors.empty());
  auto two = LoadConfig(
      {{"OPTIN_FRAME_ANCESTORS", " https://www.Example.com  http://localhost:3000/ "}}, false);
  REQUIRE(two.ok());
  CHECK(two->frame_ancestors ==
        std::vector<std::string>{"https://www.example.com", "http://localhost:3000"});
  CHECK(LoadConfig({{"OPTIN_FRAME_ANCESTORS", "'none'"}}, false)->frame_ancestors.empty());
  for (const char* bad : {"*", "http://www.example.com", "https://example.com/page",
                          "https://a.example;script-src"}) {
    INFO(bad);
    auto r = LoadConfig({{"OPTIN_FRAME_ANCESTORS", bad}}, false);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("OPTIN_FRAME_ANCESTORS") != std::string::npos);
  }
}

TEST_CASE("OPTIN_POW and OPTIN_POW_MAXNUMBER", "[config][pow]") {
  auto defaults = LoadConfig({{"OPTIN_SECRET", kSecret}}, true);
  REQUIRE(defaults.ok());
  CHECK(defaults->pow == optin::PowMode::kOff);
  CHECK(defaults->pow_maxnumber == 100000);
  auto on = LoadConfig(
      {{"OPTIN_SECRET", kSecret}, {"OPTIN_POW", "adaptive"}, {"OPTIN_POW_MAXNUMBER", "5000"}},
      true);
  REQUIRE(on.ok());
  CHECK(on->pow == optin::PowMode::kAdaptive);
  CHECK(on->pow_maxnumber == 5000);
  for (auto [var, value] : {std::pair<const char*, const char*>{"OPTIN_POW", "yes"},
                            {"OPTIN_POW_MAXNUMBER", "0"},
                            {"OPTIN_POW_MAXNUMBER", "lots"}}) {
    INFO(var << "=" << value);
    auto r = LoadConfig({{"OPTIN_SECRET", kSecret}, {var, value}}, true);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().rfind(var, 0) == 0);
  }
}

TEST_CASE("OPTIN_SMTP_TLS: defaults and the combinations that are refused", "[config][smtp]") {
  using optin::SmtpTls;
  using Env = std::map<std::string, std::string>;
  auto load = [](Env env) {
    env["OPTIN_SECRET"] = kSecret;
    return LoadConfig(env, true);
  };
  struct Case {
    Env env;
    int expect;  // SmtpTls as int, or -1 = refused naming OPTIN_SMTP_TLS
  };
  const int kReq = static_cast<int>(SmtpTls::kRequired);
  const int kOpp = static_cast<int>(SmtpTls::kOpportunistic);
  const int kOff = static_cast<int>(SmtpTls::kOff);
  const Case cases[] = {
      {{{"OPTIN_SMTP_URL", "smtp://mail.example.com:587"}}, kOpp},
      {{{"OPTIN_SMTP_URL", "smtp://mail.example.com:587"}, {"OPTIN_SMTP_USER", "u"}}, kReq},
      {{{"OPTIN_SMTP_URL", "smtps://mail.example.com:465"}}, kReq},
      {{{"OPTIN_SMTP_URL", "smtp://mail.example.com:25"}, {"OPTIN_SMTP_TLS", "required"}}, kReq},
      {{{"OPTIN_SMTP_URL", "smtp://mail.example.com:587"},
        {"OPTIN_SMTP_USER", "u"},
        {"OPTIN_SMTP_TLS", "opportunistic"}},
       -1},
      {{{"OPTIN_SMTP_URL", "smtps://mail.example.com:465"}, {"OPTIN_SMTP_TLS", "opportunistic"}},
       -1},
      {{{"OPTIN_SMTP_URL", "smtp://mail.example.com:25"}, {"OPTIN_SMTP_TLS", "off"}}, -1},
      {{{"OPTIN_SMTP_URL", "smtp://localhost.example.com:25"}, {"OPTIN_SMTP_TLS", "off"}}, -1},
      {{{"OPTIN_SMTP_URL", "smtp://127.0.0.1.nip.io:25"}, {"OPTIN_SMTP_TLS", "off"}}, -1},
      {{{"OPTIN_SMTP_URL", "smtps://localhost:465"}, {"OPTIN_SMTP_TLS", "off"}}, -1},
      {{{"OPTIN_SMTP_URL", "smtp://localhost:25"}, {"OPTIN_SMTP_TLS", "off"}}, kOff},
      {{{"OPTIN_SMTP_URL", "smtp://127.0.0.1:2525"}, {"OPTIN_SMTP_TLS", "off"}}, kOff},
      {{{"OPTIN_SMTP_URL", "smtp://[::1]:25"}, {"OPTIN_SMTP_TLS", "off"}}, kOff},
      {{{"OPTIN_SMTP_URL", "smtp://mail.example.com:25"}, {"OPTIN_SMTP_TLS", "yes"}}, -1},
  };
  for (const auto& c : cases) {
    std::string text;
    for (const auto& [k, v] : c.env) text += k + "=" + v + " ";
    INFO(text);
    auto r = load(c.env);
    if (c.expect < 0) {
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().message().rfind("OPTIN_SMTP_TLS: ", 0) == 0);
      CHECK(r.status().message().find('\n') == std::string::npos);
    } else {
      REQUIRE(r.ok());
      CHECK(static_cast<int>(r->smtp_tls) == c.expect);
    }
  }
}

TEST_CASE("OPTIN_SMTP_CA_FILE must be readable", "[config][smtp]") {
  auto missing =
      LoadConfig({{"OPTIN_SECRET", kSecret}, {"OPTIN_SMTP_CA_FILE", "/nonexistent/ca.pem"}}, true);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().rfind("OPTIN_SMTP_CA_FILE: ", 0) == 0);
  const std::string readable = std::string(OPTIN_SOURCE_DIR) + "/README.md";
  auto ok = LoadConfig({{"OPTIN_SECRET", kSecret}, {"OPTIN_SMTP_CA_FILE", readable}}, true);
  REQUIRE(ok.ok());
  CHECK(ok->smtp_ca_file == readable);
}

// The exact refusal of each kind of setting (one per shared parser and per own parser), so a
// change to the table keeps the messages operators see.
TEST_CASE("each kind of refusal reads as documented", "[config]") {
  struct Case {
    const char* var;
    const char* value;
    const char* message;
  };
  const Case cases[] = {
      {"OPTIN_LISTEN", "nope",
       "OPTIN_LISTEN: 'nope' is not host:port (listen: expected host:port)"},
      {"OPTIN_PUBLIC_URL", "ftp://x", "OPTIN_PUBLIC_URL: expected an http(s):// URL"},
      {"OPTIN_PUBLIC_URL", "https:///path", "OPTIN_PUBLIC_URL: expected an http(s):// URL"},
      {"OPTIN_PUBLIC_URL", "https://a b", "OPTIN_PUBLIC_URL: expected an http(s):// URL"},
      {"OPTIN_SECRET", "short", "OPTIN_SECRET: must be at least 32 bytes long"},
      {"OPTIN_ADMIN_TOKEN", "tiny", "OPTIN_ADMIN_TOKEN: must be at least 16 bytes long"},
      {"OPTIN_SMTP_URL", "http://mail",
       "OPTIN_SMTP_URL: expected smtp://host:port or smtps://host:port"},
      {"OPTIN_SMTP_CA_FILE", "/nonexistent", "OPTIN_SMTP_CA_FILE: cannot read '/nonexistent'"},
      {"OPTIN_MAIL_FROM", "x",
       "OPTIN_MAIL_FROM: expected a plain address such as newsletter@example.com"},
      {"OPTIN_CONFIRM_TTL", "3 days",
       "OPTIN_CONFIRM_TTL: '3 days' is not a duration (e.g. 60s, 72h, 7d, 3y)"},
      {"OPTIN_SYNC_RETRY_MAX", "0s", "OPTIN_SYNC_RETRY_MAX: must be greater than zero"},
      {"OPTIN_DB_POOL_SIZE", "257", "OPTIN_DB_POOL_SIZE: expected a number from 1 to 256"},
      {"OPTIN_HTTP_THREADS", "1", "OPTIN_HTTP_THREADS: expected a number from 2 to 4096"},
      {"OPTIN_HTTP_THREADS", "+8", "OPTIN_HTTP_THREADS: expected a number from 2 to 4096"},
      {"OPTIN_POW_MAXNUMBER", "0", "OPTIN_POW_MAXNUMBER: expected a number from 1 to 100000000"},
      {"OPTIN_IP_MODE", "Full", "OPTIN_IP_MODE: expected full, truncated or none"},
      {"OPTIN_POW", "yes", "OPTIN_POW: expected off, on or adaptive"},
      {"OPTIN_UNSUBSCRIBE_SCOPE", "all", "OPTIN_UNSUBSCRIBE_SCOPE: expected global or list"},
      {"OPTIN_RATE_LIMIT", "lots", "OPTIN_RATE_LIMIT: 'lots': expected N/s, N/min, N/h or off"},
      {"OPTIN_TRUSTED_PROXIES", "10.0.0.0/8, nope", "OPTIN_TRUSTED_PROXIES: 'nope' is not a CIDR"},
      {"OPTIN_FRAME_ANCESTORS", "https://ok.example http://x.example",
       "OPTIN_FRAME_ANCESTORS: 'http://x.example' is not an https origin (http only on "
       "localhost)"},
      {"OPTIN_CLEVERREACH_API_URL", "x", "OPTIN_CLEVERREACH_API_URL: expected an http(s):// URL"},
      {"OPTIN_CLEVERREACH_TOKEN_URL", "x",
       "OPTIN_CLEVERREACH_TOKEN_URL: expected an http(s):// URL"},
      {"OPTIN_SMTP_TLS", "yes", "OPTIN_SMTP_TLS: expected required, opportunistic or off"},
  };
  for (const auto& c : cases) {
    INFO(c.var << "=" << c.value);
    std::map<std::string, std::string> env = {{"OPTIN_SECRET", kSecret}};
    env[c.var] = c.value;
    auto r = LoadConfig(env, true);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().error() == "invalid_config");
    CHECK(r.status().message() == c.message);
  }
  auto missing = LoadConfig({}, true);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() ==
        "OPTIN_SECRET: is required (at least 32 bytes, e.g. openssl rand -hex 32)");
}

TEST_CASE("an empty variable is the same as an unset one", "[config]") {
  std::map<std::string, std::string> env = {{"OPTIN_SECRET", kSecret}};
  for (const auto& name : optin::ConfigVariables()) {
    if (name != "OPTIN_SECRET") env[name] = "";
  }
  auto c = LoadConfig(env, true);
  REQUIRE(c.ok());
  CHECK(c->public_url == "http://localhost:8080");
  CHECK(c->db_pool_size == 8);
  CHECK(c->smtp_tls == optin::SmtpTls::kOpportunistic);
  CHECK(LoadConfig({{"OPTIN_SECRET", ""}}, false).ok());
  CHECK_FALSE(LoadConfig({{"OPTIN_SECRET", ""}}, true).ok());
}

TEST_CASE("trailing slashes: dropped from base URLs, kept in the token URL", "[config]") {
  auto c = LoadConfig({{"OPTIN_CLEVERREACH_API_URL", "https://cr.example/v3//"},
                       {"OPTIN_CLEVERREACH_TOKEN_URL", "https://cr.example/token/"}},
                      false);
  REQUIRE(c.ok());
  CHECK(c->cleverreach_api_url == "https://cr.example/v3");
  CHECK(c->cleverreach_token_url == "https://cr.example/token/");
}

TEST_CASE("integers and flags parse strictly", "[config]") {
  CHECK(*optin::ParseInteger("0", 0, 10) == 0);
  CHECK(*optin::ParseInteger("10", 0, 10) == 10);
  for (const char* bad : {"", "11", "-1", "+1", " 1", "1 ", "1e3", "0x1", "9999999999999"}) {
    INFO(bad);
    CHECK_FALSE(optin::ParseInteger(bad, 0, 10).ok());
  }
  CHECK_FALSE(optin::ParseInteger("4", 5, 10).ok());
  CHECK(*optin::ParseFlag("on"));
  CHECK(*optin::ParseFlag("true"));
  CHECK_FALSE(*optin::ParseFlag("off"));
  CHECK_FALSE(*optin::ParseFlag("false"));
  for (const char* bad : {"", "yes", "ON", "1", "0"}) {
    INFO(bad);
    CHECK_FALSE(optin::ParseFlag(bad).ok());
  }
}

// The README's "Configuration" section documents exactly the variables LoadConfig reads.
TEST_CASE("README documents every configuration variable", "[config]") {
  std::ifstream in(std::string(OPTIN_SOURCE_DIR) + "/README.md");
  REQUIRE(in.good());
  std::string line;
  std::string section;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) inside = line == "## Configuration";
    if (inside && line.rfind("| `OPTIN_", 0) == 0)
      section += line.substr(0, line.find(" | ")) + "\n";
  }
  REQUIRE_FALSE(section.empty());
  std::set<std::string> documented;
  std::regex name("`(OPTIN_[A-Z0-9_]+)`");
  for (std::sregex_iterator it(section.begin(), section.end(), name), end; it != end; ++it) {
    documented.insert((*it)[1]);
  }
  const auto read = optin::ConfigVariables();
  CHECK(documented == std::set<std::string>(read.begin(), read.end()));
}
