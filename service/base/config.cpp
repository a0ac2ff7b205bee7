#include "service/base/config.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <utility>

#include "service/base/web_origin.h"

extern char** environ;

namespace optin {
namespace {

// How a set (non-empty) variable is read into the Config: "" when the value is taken, else the
// reason it is refused; LoadConfig puts the variable's name in front ("OPTIN_X: <reason>").
using Apply = std::function<std::string(const std::string& value, Config* c)>;
// What an unset (or empty) variable means beyond the default beside its field in config.h:
// "" or the reason start-up stops. `require_secret` is LoadConfig's argument.
using Unset = std::function<std::string(bool require_secret, Config* c)>;

struct Setting {
  const char* name;
  Apply apply;
  Unset unset = nullptr;
};

// ---- The shared parsers, each bound to the Config field it fills. ----

Apply Text(std::string Config::*field) {
  return [field](const std::string& v, Config* c) {
    c->*field = v;
    return std::string();
  };
}

Apply MinLength(std::string Config::*field, size_t bytes) {
  return [field, bytes](const std::string& v, Config* c) {
    if (v.size() < bytes) return "must be at least " + std::to_string(bytes) + " bytes long";
    c->*field = v;
    return std::string();
  };
}

// A duration (ParseDuration) greater than zero.
Apply Duration(Millis Config::*field) {
  return [field](const std::string& v, Config* c) {
    auto d = ParseDuration(v);
    if (!d.ok()) return "'" + v + "' is not a duration (e.g. 60s, 72h, 7d, 3y)";
    if (d->count() <= 0) return std::string("must be greater than zero");
    c->*field = *d;
    return std::string();
  };
}

// An integer in [lo, hi].
Apply Integer(int Config::*field, int lo, int hi) {
  return [field, lo, hi](const std::string& v, Config* c) {
    auto n = ParseInteger(v, lo, hi);
    if (!n.ok())
      return "expected a number from " + std::to_string(lo) + " to " + std::to_string(hi);
    c->*field = static_cast<int>(*n);
    return std::string();
  };
}

// A boolean (ParseFlag: on/off, true/false). No variable is one yet.
[[maybe_unused]] Apply Flag(bool Config::*field) {
  return [field](const std::string& v, Config* c) {
    auto b = ParseFlag(v);
    if (!b.ok()) return std::string("expected on, off, true or false");
    c->*field = *b;
    return std::string();
  };
}

// One of the spelled-out `names`; the refusal lists them ("expected a, b or c").
template <typename E>
Apply Enum(E Config::*field, std::initializer_list<std::pair<const char*, E>> names) {
  std::vector<std::pair<std::string, E>> table(names.begin(), names.end());
  std::string expected = "expected ";
  for (size_t i = 0; i < table.size(); ++i) {
    if (i > 0) expected += i + 1 == table.size() ? " or " : ", ";
    expected += table[i].first;
  }
  return [field, table, expected](const std::string& v, Config* c) {
    for (const auto& [name, value] : table) {
      if (v == name) {
        c->*field = value;
        return std::string();
      }
    }
    return expected;
  };
}

// An absolute URL with one of `schemes`, a host part and no whitespace or control characters.
bool ValidUrl(const std::string& url, const std::vector<std::string>& schemes) {
  for (const auto& scheme : schemes) {
    std::string prefix = scheme + "://";
    if (url.rfind(prefix, 0) == 0 && url.size() > prefix.size()) {
      for (char c : url) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
      }
      return url[prefix.size()] != '/';
    }
  }
  return false;
}

enum class Slash { kKeep, kTrim };  // kTrim: trailing slashes dropped (a base for paths)

Apply Url(std::string Config::*field, std::vector<std::string> schemes, std::string refusal,
          Slash slash) {
  return [field, schemes, refusal, slash](const std::string& v, Config* c) {
    if (!ValidUrl(v, schemes)) return refusal;
    std::string url = v;
    if (slash == Slash::kTrim) {
      while (!url.empty() && url.back() == '/') url.pop_back();
    }
    c->*field = url;
    return std::string();
  };
}
const std::vector<std::string> kHttp = {"http", "https"};
const char kHttpRefusal[] = "expected an http(s):// URL";

// The items of a list separated by any of `separators`, spaces around an item dropped, empty
// items skipped; each item read by `item`, whose refusal stops the list.
Apply List(const char* separators, Apply item) {
  return [separators, item](const std::string& v, Config* c) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find_first_of(separators, start);
      std::string one = v.substr(start, end == std::string::npos ? std::string::npos : end - start);
      while (!one.empty() && one.front() == ' ') one.erase(0, 1);
      while (!one.empty() && one.back() == ' ') one.pop_back();
      if (!one.empty()) {
        if (auto why = item(one, c); !why.empty()) return why;
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return std::string();
  };
}

// ---- Parsers of one variable each. ----

std::string Listen(const std::string& v, Config* c) {
  auto hp = ParseHostPort(v);
  if (!hp.ok()) return "'" + v + "' is not host:port (" + hp.status().message() + ")";
  c->listen = *hp;
  return "";
}

std::string Secret(bool require_secret, Config*) {
  return require_secret ? "is required (at least 32 bytes, e.g. openssl rand -hex 32)" : "";
}

std::string MailFrom(const std::string& v, Config* c) {
  if (v.find('@') == std::string::npos || v.find_first_of("\r\n<> ") != std::string::npos) {
    return "expected a plain address such as newsletter@example.com";
  }
  c->mail_from = v;
  return "";
}

std::string RateLimitValue(const std::string& v, Config* c) {
  auto r = ParseRateLimit(v);
  if (!r.ok()) return "'" + v + "': expected N/s, N/min, N/h or off";
  c->rate_limit = *r;
  return "";
}

std::string TrustedProxy(const std::string& item, Config* c) {
  auto cidr = ParseCidr(item);
  if (!cidr.ok()) return "'" + item + "' is not a CIDR";
  c->trusted_proxies.push_back(*cidr);
  return "";
}

std::string FrameAncestor(const std::string& item, Config* c) {
  if (item == "'none'") return "";  // the default, spelled out
  if (!IsAllowedOrigin(item)) {
    return "'" + item.substr(0, 80) + "' is not an https origin (http only on localhost)";
  }
  c->frame_ancestors.push_back(UrlOrigin(item));
  return "";
}

std::string ReadableCaFile(const std::string& v, Config* c) {
  std::ifstream probe(v);
  if (!probe.good()) return "cannot read '" + v + "'";
  c->smtp_ca_file = v;
  return "";
}

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

// OPTIN_SMTP_TLS, checked against the URL and the credentials (read before it): no setting may
// let the password, or mail meant for a remote server, travel in the clear.
std::string SmtpTlsValue(const std::string& v, Config* c) {
  const bool implicit_tls = c->smtp_url.rfind("smtps://", 0) == 0;
  const bool credentials = !c->smtp_user.empty();
  if (v == "required") {
    c->smtp_tls = SmtpTls::kRequired;
  } else if (v == "opportunistic") {
    if (credentials) {
      return "opportunistic is refused with OPTIN_SMTP_USER (the login could be sent in the "
             "clear); use required";
    }
    if (implicit_tls) return "smtps:// always uses TLS; use required or leave it unset";
    c->smtp_tls = SmtpTls::kOpportunistic;
  } else if (v == "off") {
    if (implicit_tls) return "off contradicts smtps://; use smtp:// for a plaintext server";
    if (!c->smtp_url.empty() && !IsLoopbackHost(UrlHost(c->smtp_url))) {
      return "off is allowed only for an SMTP server on localhost";
    }
    c->smtp_tls = SmtpTls::kOff;
  } else {
    return "expected required, opportunistic or off";
  }
  return "";
}

// Unset OPTIN_SMTP_TLS: required with credentials or smtps://, else opportunistic.
std::string SmtpTlsDefault(bool, Config* c) {
  const bool implicit_tls = c->smtp_url.rfind("smtps://", 0) == 0;
  c->smtp_tls =
      (!c->smtp_user.empty() || implicit_tls) ? SmtpTls::kRequired : SmtpTls::kOpportunistic;
  return "";
}

// ---- The table. ----
// Every variable optin reads, in the order they are checked (the first refusal stops start-up).
// To add one: a field with its default and a comment in Config (config.h), one line here binding
// the variable to that field through a shared parser (Text, MinLength, Duration, Integer, Flag,
// Enum, Url, List) or a small function of its own (std::string(const std::string&, Config*),
// "" = taken), and a row in README.md "Configuration" (config_test checks that every variable
// here is documented there). A setting that depends on another comes after it.
const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"OPTIN_DATABASE_URL", Text(&Config::database_url)},
      {"OPTIN_LISTEN", Listen},
      {"OPTIN_PUBLIC_URL", Url(&Config::public_url, kHttp, kHttpRefusal, Slash::kTrim)},
      {"OPTIN_SECRET", MinLength(&Config::secret, 32), Secret},
      {"OPTIN_ADMIN_TOKEN", MinLength(&Config::admin_token, 16)},
      {"OPTIN_SMTP_URL", Url(&Config::smtp_url, {"smtp", "smtps"},
                             "expected smtp://host:port or smtps://host:port", Slash::kKeep)},
      {"OPTIN_SMTP_USER", Text(&Config::smtp_user)},
      {"OPTIN_SMTP_PASSWORD", Text(&Config::smtp_password)},
      {"OPTIN_SMTP_TLS", SmtpTlsValue, SmtpTlsDefault},  // after the URL and the user
      {"OPTIN_SMTP_CA_FILE", ReadableCaFile},
      {"OPTIN_MAIL_DIR", Text(&Config::mail_dir)},
      {"OPTIN_MAIL_FROM", MailFrom},
      {"OPTIN_CONFIRM_TTL", Duration(&Config::confirm_ttl)},
      {"OPTIN_UNCONFIRMED_RETENTION", Duration(&Config::unconfirmed_retention)},
      {"OPTIN_CONSENT_RETENTION", Duration(&Config::consent_retention)},
      {"OPTIN_SYNC_INTERVAL", Duration(&Config::sync_interval)},
      {"OPTIN_DB_TIMEOUT", Duration(&Config::db_acquire_timeout)},
      {"OPTIN_MAIL_RETRY_BASE", Duration(&Config::mail_retry_base)},
      {"OPTIN_SYNC_RETRY_BASE", Duration(&Config::sync_retry_base)},
      {"OPTIN_SYNC_RETRY_MAX", Duration(&Config::sync_retry_max)},
      {"OPTIN_SYNC_429_BACKOFF", Duration(&Config::sync_rate_limit_backoff)},
      {"OPTIN_SYNC_HTTP_TIMEOUT", Duration(&Config::sync_http_timeout)},
      {"OPTIN_DB_POOL_SIZE", Integer(&Config::db_pool_size, 1, 256)},
      {"OPTIN_HTTP_THREADS", Integer(&Config::http_threads, 2, 4096)},
      {"OPTIN_IP_MODE",
       Enum(&Config::ip_mode,
            {{"full", IpMode::kFull}, {"truncated", IpMode::kTruncated}, {"none", IpMode::kNone}})},
      {"OPTIN_RATE_LIMIT", RateLimitValue},
      {"OPTIN_POW",
       Enum(&Config::pow,
            {{"off", PowMode::kOff}, {"on", PowMode::kOn}, {"adaptive", PowMode::kAdaptive}})},
      {"OPTIN_POW_MAXNUMBER", Integer(&Config::pow_maxnumber, 1, 100'000'000)},
      {"OPTIN_UNSUBSCRIBE_SCOPE",
       Enum(&Config::unsubscribe_scope,
            {{"global", UnsubscribeScope::kGlobal}, {"list", UnsubscribeScope::kList}})},
      {"OPTIN_TRUSTED_PROXIES", List(",", TrustedProxy)},
      {"OPTIN_FRAME_ANCESTORS", List(" \t", FrameAncestor)},
      {"OPTIN_CLEVERREACH_CLIENT_ID", Text(&Config::cleverreach_client_id)},
      {"OPTIN_CLEVERREACH_CLIENT_SECRET", Text(&Config::cleverreach_client_secret)},
      {"OPTIN_CLEVERREACH_API_URL",
       Url(&Config::cleverreach_api_url, kHttp, kHttpRefusal, Slash::kTrim)},
      {"OPTIN_CLEVERREACH_TOKEN_URL",
       Url(&Config::cleverreach_token_url, kHttp, kHttpRefusal, Slash::kKeep)},
      {"OPTIN_CLEVERREACH_CALLTOKEN", Text(&Config::cleverreach_webhook_token)},
      {"OPTIN_CLEVERREACH_VERIFY", Text(&Config::cleverreach_webhook_verify)},
  };
  return kSettings;
}

}  // namespace

Result<Config> LoadConfig(const std::map<std::string, std::string>& env, bool require_secret) {
  Config c;
  for (const Setting& s : Settings()) {
    auto it = env.find(s.name);
    std::string why;
    if (it != env.end() && !it->second.empty()) {
      why = s.apply(it->second, &c);
    } else if (s.unset) {
      why = s.unset(require_secret, &c);
    }
    if (!why.empty()) return Status::InvalidArgument("invalid_config", s.name + (": " + why));
  }
  return c;
}

std::vector<std::string> ConfigVariables() {
  std::vector<std::string> names;
  for (const Setting& s : Settings()) names.push_back(s.name);
  return names;
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
