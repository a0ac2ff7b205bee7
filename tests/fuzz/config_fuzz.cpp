// Configuration values: ParseDuration round-trips through its printed form and stays small enough
// to add to any clock; ParseRateLimit, ParseHostPort and ParseCidr give values in range that print
// back to themselves; LoadConfig of any environment gives a Status or a Config that keeps the
// documented bounds.
#include <map>

#include "service/base/config.h"
#include "tests/fuzz/fuzz_util.h"

using namespace optin;
using namespace optin::fuzz;

namespace {

std::string PrintDuration(Millis d) {
  static const std::pair<long long, const char*> kUnits[] = {
      {365 * 86'400'000LL, "y"}, {7 * 86'400'000LL, "w"}, {86'400'000, "d"},
      {3'600'000, "h"},          {60'000, "m"},           {1000, "s"}};
  long long ms = d.count();
  for (const auto& [size, name] : kUnits) {
    if (ms != 0 && ms % size == 0) return std::to_string(ms / size) + name;
  }
  return std::to_string(ms) + "ms";
}

// Durations end up in "now + d" on steady_clock and system_clock (nanoseconds, int64): anything
// past ~292 years overflows there.
constexpr Millis kClockSafe = std::chrono::hours(24 * 365 * 200);

void CheckDuration(const std::string& text) {
  auto d = ParseDuration(text);
  if (!d.ok()) return;
  FUZZ_CHECK(d->count() >= 0 && *d <= kClockSafe);
  auto again = ParseDuration(PrintDuration(*d));
  FUZZ_CHECK(again.ok() && *again == *d);
}

void CheckRateLimit(const std::string& text) {
  auto r = ParseRateLimit(text);
  if (!r.ok()) return;
  if (!r->enabled) {
    FUZZ_CHECK(text == "off");
    return;
  }
  FUZZ_CHECK(r->requests >= 1 && r->requests <= 1'000'000);
  const char* unit = r->window == Millis(1000)        ? "s"
                     : r->window == Millis(60'000)    ? "min"
                     : r->window == Millis(3'600'000) ? "h"
                                                      : nullptr;
  FUZZ_CHECK(unit != nullptr);
  auto again = ParseRateLimit(std::to_string(r->requests) + "/" + unit);
  FUZZ_CHECK(again.ok() && again->requests == r->requests && again->window == r->window);
}

void CheckHostPort(const std::string& text) {
  auto hp = ParseHostPort(text);
  if (!hp.ok()) return;
  FUZZ_CHECK(hp->port >= 0 && hp->port <= 65535 && !hp->host.empty());
  FUZZ_CHECK(!HasAny(hp->host, std::string(" /[]@\r\n\0", 9)));
  std::string printed =
      (hp->host.find(':') != std::string::npos ? "[" + hp->host + "]" : hp->host) + ":" +
      std::to_string(hp->port);
  auto again = ParseHostPort(printed);
  FUZZ_CHECK(again.ok() && again->host == hp->host && again->port == hp->port);
}

void CheckCidr(const std::string& text) {
  auto c = ParseCidr(text);
  if (!c.ok()) return;
  FUZZ_CHECK(c->network.size() == 4 || c->network.size() == 16);
  FUZZ_CHECK(c->prefix >= 0 && c->prefix <= static_cast<int>(c->network.size() * 8));
}

void CheckLoadConfig(const std::string& text) {
  std::map<std::string, std::string> env;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    size_t eq = line.find('=');
    if (eq != std::string::npos) env["OPTIN_" + line.substr(0, eq)] = line.substr(eq + 1);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  auto c = LoadConfig(env, !text.empty() && text[0] == 'S');
  if (!c.ok()) {
    FUZZ_CHECK(c.status().error() == "invalid_config");
    FUZZ_CHECK(c.status().message().find('\n') == std::string::npos ||
               text.find('\n') != std::string::npos);
    return;
  }
  for (Millis d : {c->confirm_ttl, c->unconfirmed_retention, c->consent_retention, c->sync_interval,
                   c->db_acquire_timeout, c->mail_retry_base, c->sync_retry_base,
                   c->sync_rate_limit_backoff, c->sync_http_timeout}) {
    FUZZ_CHECK(d.count() > 0 && d <= kClockSafe);
  }
  FUZZ_CHECK(c->db_pool_size >= 1 && c->db_pool_size <= 256);
  FUZZ_CHECK(c->http_threads >= 2 && c->http_threads <= 4096);
  FUZZ_CHECK(c->secret.empty() || c->secret.size() >= 32);
  FUZZ_CHECK(c->public_url.empty() || c->public_url.back() != '/');
  FUZZ_CHECK(!HasAny(c->mail_from, "\r\n<> "));
  FUZZ_CHECK(c->listen.port >= 0 && c->listen.port <= 65535);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string text = AsString(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      return CheckDuration(text), 0;
    case 1:
      return CheckRateLimit(text), 0;
    case 2:
      return CheckHostPort(text), 0;
    case 3:
      return CheckCidr(text), 0;
    default:
      return CheckLoadConfig(text), 0;
  }
}
