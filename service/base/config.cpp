#include "service/base/config.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>

#include "service/base/web_origin.h"

extern char** environ;

namespace optin {
namespace {

Status Bad(const std::string& var, const std::string& why) {
  return Status::InvalidArgument("invalid_config", var + ": " + why);
}

bool ParseInt(const std::string& text, long long max, long long* out) {
  if (text.empty() || text.size() > 12) return false;
  long long v = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

bool ValidUrl(const std::string& url, std::initializer_list<const char*> schemes) {
  for (const char* scheme : schemes) {
    std::string prefix = std::string(scheme) + "://";
    if (url.rfind(prefix, 0) == 0 && url.size() > prefix.size()) {
      for (char c : url) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
      }
      return url[prefix.size()] != '/';
    }
  }
  return false;
}

std::string TrimTrailingSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

Result<Millis> ParseDuration(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  long long n = 0;
  if (i == 0 || !ParseInt(text.substr(0, i), 1'000'000'000LL, &n)) {
    return Bad("duration", "expected a number and a unit such as 60s, 72h, 7d or 3y");
  }
  static const std::map<std::string, long long> kUnits = {
      {"ms", 1},        {"s", 1000},       {"m", 60'000},           {"min", 60'000},
      {"h", 3'600'000}, {"d", 86'400'000}, {"w", 7 * 86'400'000LL}, {"y", 365 * 86'400'000LL},
  };
  auto unit = kUnits.find(text.substr(i));
  if (unit == kUnits.end()) {
    return Bad("duration", "unknown unit in '" + text + "' (use ms, s, m, h, d, w or y)");
  }
  // Durations are added to clock readings in nanoseconds (int64: about 292 years), so a larger
  // value would overflow there rather than mean "never".
  constexpr long long kMaxMillis = 100 * 365 * 86'400'000LL;
  if (n > kMaxMillis / unit->second) return Bad("duration", "too large (at most 100 years)");
  return Millis(n * unit->second);
}

Result<RateLimit> ParseRateLimit(const std::string& text) {
  RateLimit limit;
  if (text == "off") {
    limit.enabled = false;
    return limit;
  }
  auto slash = text.find('/');
  long long n = 0;
  if (slash == std::string::npos || !ParseInt(text.substr(0, slash), 1'000'000, &n) || n == 0) {
    return Bad("rate", "expected N/s, N/min, N/h or off");
  }
  std::string unit = text.substr(slash + 1);
  if (unit == "s" || unit == "sec") {
    limit.window = Millis(1000);
  } else if (unit == "min" || unit == "m") {
    limit.window = Millis(60'000);
  } else if (unit == "h" || unit == "hour") {
    limit.window = Millis(3'600'000);
  } else {
    return Bad("rate", "expected N/s, N/min, N/h or off");
  }
  limit.requests = static_cast<int>(n);
  return limit;
}

Result<HostPort> ParseHostPort(const std::string& text) {
  HostPort hp;
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return Bad("listen", "expected host:port");
  std::string host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) return Bad("listen", "expected [v6]:port");
    host = host.substr(1, host.size() - 2);
  }
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':') {
      return Bad("listen", "bad host");
    }
  }
  long long port = 0;
  if (!ParseInt(text.substr(colon + 1), 65535, &port)) return Bad("listen", "bad port");
  hp.host = host;
  hp.port = static_cast<int>(port);
  return hp;
}

Result<Cidr> ParseCidr(const std::string& text) {
  Cidr cidr;
  auto slash = text.find('/');
  std::string addr = text.substr(0, slash);
  unsigned char buf[16];
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) {
    cidr.network.assign(buf, buf + 4);
  } else if (inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
    cidr.network.assign(buf, buf + 16);
  } else {
    return Bad("cidr", "bad address '" + addr + "'");
  }
  int max_prefix = static_cast<int>(cidr.network.size() * 8);
  cidr.prefix = max_prefix;
  if (slash != std::string::npos) {
    long long p = 0;
    if (!ParseInt(text.substr(slash + 1), max_prefix, &p)) return Bad("cidr", "bad prefix");
    cidr.prefix = static_cast<int>(p);
  }
  return cidr;
}

namespace {

// The host of an smtp(s):// URL, lower-cased, without brackets, port or path.
std::string UrlHost(const std::string& url) {
  auto start = url.find("://");
  std::string rest = start == std::string::npos ? url : url.substr(start + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  auto at = rest.rfind('@');
  if (at != std::string::npos) rest = rest.substr(at + 1);
  std::string host;
  if (!rest.empty() && rest.front() == '[') {
    host = rest.substr(
        1, rest.find(']') == std::string::npos ? std::string::npos : rest.find(']') - 1);
  } else {
    host = rest.substr(0, rest.find(':'));
  }
  for (char& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return host;
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  unsigned char buf[4];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 && buf[0] == 127;
}

// OPTIN_SMTP_TLS and OPTIN_SMTP_CA_FILE, checked against the URL and the credentials: no setting
// may let the password, or mail meant for a remote server, travel in the clear.
template <typename Get>
Status LoadSmtpTls(const Get& get, Config* c) {
  const bool implicit_tls = c->smtp_url.rfind("smtps://", 0) == 0;
  const bool credentials = !c->smtp_user.empty();
  c->smtp_tls = (credentials || implicit_tls) ? SmtpTls::kRequired : SmtpTls::kOpportunistic;
  std::string v;
  if (get("OPTIN_SMTP_TLS", &v)) {
    if (v == "required") {
      c->smtp_tls = SmtpTls::kRequired;
    } else if (v == "opportunistic") {
      if (credentials) {
        return Bad("OPTIN_SMTP_TLS",
                   "opportunistic is refused with OPTIN_SMTP_USER (the login could be sent in the "
                   "clear); use required");
      }
      if (implicit_tls)
        return Bad("OPTIN_SMTP_TLS", "smtps:// always uses TLS; use required or leave it unset");
      c->smtp_tls = SmtpTls::kOpportunistic;
    } else if (v == "off") {
      if (implicit_tls)
        return Bad("OPTIN_SMTP_TLS",
                   "off contradicts smtps://; use smtp:// for a plaintext server");
      if (!c->smtp_url.empty() && !IsLoopbackHost(UrlHost(c->smtp_url))) {
        return Bad("OPTIN_SMTP_TLS", "off is allowed only for an SMTP server on localhost");
      }
      c->smtp_tls = SmtpTls::kOff;
    } else {
      return Bad("OPTIN_SMTP_TLS", "expected required, opportunistic or off");
    }
  }
  if (get("OPTIN_SMTP_CA_FILE", &v)) {
    std::ifstream probe(v);
    if (!probe.good()) return Bad("OPTIN_SMTP_CA_FILE", "cannot read '" + v + "'");
    c->smtp_ca_file = v;
  }
  return Status::Ok();
}

}  // namespace

Result<Config> LoadConfig(const std::map<std::string, std::string>& env, bool require_secret) {
  Config c;
  auto get = [&env](const char* name, std::string* out) {
    auto it = env.find(name);
    if (it == env.end() || it->second.empty()) return false;
    *out = it->second;
    return true;
  };
  std::string v;
  auto duration = [&](const char* name, Millis* out) -> Status {
    if (!get(name, &v)) return Status::Ok();
    auto d = ParseDuration(v);
    if (!d.ok()) return Bad(name, "'" + v + "' is not a duration (e.g. 60s, 72h, 7d, 3y)");
    if (d->count() <= 0) return Bad(name, "must be greater than zero");
    *out = *d;
    return Status::Ok();
  };
  auto integer = [&](const char* name, int lo, int hi, int* out) -> Status {
    if (!get(name, &v)) return Status::Ok();
    long long n = 0;
    if (!ParseInt(v, hi, &n) || n < lo) {
      return Bad(name,
                 "expected a number from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    *out = static_cast<int>(n);
    return Status::Ok();
  };

  get("OPTIN_DATABASE_URL", &c.database_url);
  if (get("OPTIN_LISTEN", &v)) {
    auto hp = ParseHostPort(v);
    if (!hp.ok())
      return Bad("OPTIN_LISTEN", "'" + v + "' is not host:port (" + hp.status().message() + ")");
    c.listen = *hp;
  }
  if (get("OPTIN_PUBLIC_URL", &v)) {
    if (!ValidUrl(v, {"http", "https"}))
      return Bad("OPTIN_PUBLIC_URL", "expected an http(s):// URL");
    c.public_url = TrimTrailingSlash(v);
  }
  if (get("OPTIN_SECRET", &v)) {
    if (v.size() < 32) return Bad("OPTIN_SECRET", "must be at least 32 bytes long");
    c.secret = v;
  } else if (require_secret) {
    return Bad("OPTIN_SECRET", "is required (at least 32 bytes, e.g. openssl rand -hex 32)");
  }
  get("OPTIN_ADMIN_TOKEN", &c.admin_token);
  if (!c.admin_token.empty() && c.admin_token.size() < 16) {
    return Bad("OPTIN_ADMIN_TOKEN", "must be at least 16 bytes long");
  }
  if (get("OPTIN_SMTP_URL", &v)) {
    if (!ValidUrl(v, {"smtp", "smtps"}))
      return Bad("OPTIN_SMTP_URL", "expected smtp://host:port or smtps://host:port");
    c.smtp_url = v;
  }
  get("OPTIN_SMTP_USER", &c.smtp_user);
  get("OPTIN_SMTP_PASSWORD", &c.smtp_password);
  if (auto s = LoadSmtpTls(get, &c); !s.ok()) return s;
  get("OPTIN_MAIL_DIR", &c.mail_dir);
  if (get("OPTIN_MAIL_FROM", &v)) {
    if (v.find('@') == std::string::npos || v.find_first_of("\r\n<> ") != std::string::npos) {
      return Bad("OPTIN_MAIL_FROM", "expected a plain address such as newsletter@example.com");
    }
    c.mail_from = v;
  }
  for (auto s : {duration("OPTIN_CONFIRM_TTL", &c.confirm_ttl),
                 duration("OPTIN_UNCONFIRMED_RETENTION", &c.unconfirmed_retention),
                 duration("OPTIN_CONSENT_RETENTION", &c.consent_retention),
                 duration("OPTIN_SYNC_INTERVAL", &c.sync_interval),
                 duration("OPTIN_DB_TIMEOUT", &c.db_acquire_timeout),
                 duration("OPTIN_MAIL_RETRY_BASE", &c.mail_retry_base),
                 duration("OPTIN_SYNC_RETRY_BASE", &c.sync_retry_base),
                 duration("OPTIN_SYNC_RETRY_MAX", &c.sync_retry_max),
                 duration("OPTIN_SYNC_429_BACKOFF", &c.sync_rate_limit_backoff),
                 duration("OPTIN_SYNC_HTTP_TIMEOUT", &c.sync_http_timeout),
                 integer("OPTIN_DB_POOL_SIZE", 1, 256, &c.db_pool_size),
                 integer("OPTIN_HTTP_THREADS", 2, 4096, &c.http_threads)}) {
    if (!s.ok()) return s;
  }
  if (get("OPTIN_IP_MODE", &v)) {
    if (v == "full")
      c.ip_mode = IpMode::kFull;
    else if (v == "truncated")
      c.ip_mode = IpMode::kTruncated;
    else if (v == "none")
      c.ip_mode = IpMode::kNone;
    else
      return Bad("OPTIN_IP_MODE", "expected full, truncated or none");
  }
  if (get("OPTIN_RATE_LIMIT", &v)) {
    auto r = ParseRateLimit(v);
    if (!r.ok()) return Bad("OPTIN_RATE_LIMIT", "'" + v + "': expected N/s, N/min, N/h or off");
    c.rate_limit = *r;
  }
  if (get("OPTIN_POW", &v)) {
    if (v == "off")
      c.pow = PowMode::kOff;
    else if (v == "on")
      c.pow = PowMode::kOn;
    else if (v == "adaptive")
      c.pow = PowMode::kAdaptive;
    else
      return Bad("OPTIN_POW", "expected off, on or adaptive");
  }
  if (auto s = integer("OPTIN_POW_MAXNUMBER", 1, 100'000'000, &c.pow_maxnumber); !s.ok()) return s;
  if (get("OPTIN_UNSUBSCRIBE_SCOPE", &v)) {
    if (v == "global")
      c.unsubscribe_scope = UnsubscribeScope::kGlobal;
    else if (v == "list")
      c.unsubscribe_scope = UnsubscribeScope::kList;
    else
      return Bad("OPTIN_UNSUBSCRIBE_SCOPE", "expected global or list");
  }
  if (get("OPTIN_TRUSTED_PROXIES", &v)) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string item =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!item.empty() && item.front() == ' ') item.erase(0, 1);
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (!item.empty()) {
        auto cidr = ParseCidr(item);
        if (!cidr.ok()) return Bad("OPTIN_TRUSTED_PROXIES", "'" + item + "' is not a CIDR");
        c.trusted_proxies.push_back(*cidr);
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (get("OPTIN_FRAME_ANCESTORS", &v)) {
    size_t start = 0;
    while (start < v.size()) {
      size_t end = v.find_first_of(" \t", start);
      std::string item =
          v.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!item.empty()) {
        if (item == "'none'") {  // the default, spelled out
        } else if (!IsAllowedOrigin(item)) {
          return Bad(
              "OPTIN_FRAME_ANCESTORS",
              "'" + item.substr(0, 80) + "' is not an https origin (http only on localhost)");
        } else {
          c.frame_ancestors.push_back(UrlOrigin(item));
        }
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  get("OPTIN_CLEVERREACH_CLIENT_ID", &c.cleverreach_client_id);
  get("OPTIN_CLEVERREACH_CLIENT_SECRET", &c.cleverreach_client_secret);
  if (get("OPTIN_CLEVERREACH_API_URL", &v)) {
    if (!ValidUrl(v, {"http", "https"}))
      return Bad("OPTIN_CLEVERREACH_API_URL", "expected an http(s):// URL");
    c.cleverreach_api_url = TrimTrailingSlash(v);
  }
  if (get("OPTIN_CLEVERREACH_TOKEN_URL", &v)) {
    if (!ValidUrl(v, {"http", "https"}))
      return Bad("OPTIN_CLEVERREACH_TOKEN_URL", "expected an http(s):// URL");
    c.cleverreach_token_url = v;
  }
  get("OPTIN_CLEVERREACH_CALLTOKEN", &c.cleverreach_webhook_token);
  get("OPTIN_CLEVERREACH_VERIFY", &c.cleverreach_webhook_verify);
  return c;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

}  // namespace optin
