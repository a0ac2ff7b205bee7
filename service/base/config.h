// Config: every setting optin reads from its environment (CONTRACT §2), parsed and validated once
// at start-up and then passed down read-only. Immutable after LoadConfig; safe for concurrent use.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "service/base/status.h"

namespace optin {

using Millis = std::chrono::milliseconds;

enum class IpMode { kFull, kTruncated, kNone };
enum class UnsubscribeScope { kGlobal, kList };
// OPTIN_POW: off; on = every signup and privacy request; adaptive = only over a rate limit.
enum class PowMode { kOff, kOn, kAdaptive };
// OPTIN_SMTP_TLS: required = TLS or no mail (STARTTLS demanded on smtp://, never a fallback to
// plaintext); opportunistic = STARTTLS when offered (only without credentials); off = plaintext
// (only for a server on localhost).
enum class SmtpTls { kRequired, kOpportunistic, kOff };

struct RateLimit {
  bool enabled = true;
  int requests = 30;  // per window
  Millis window = Millis(60'000);
};

struct HostPort {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port
};

struct Cidr {
  std::vector<uint8_t> network;  // 4 or 16 bytes
  int prefix = 0;
};

struct Config {
  std::string database_url;                          // OPTIN_DATABASE_URL (required by serve)
  HostPort listen;                                   // OPTIN_LISTEN, 127.0.0.1:8080
  std::string public_url = "http://localhost:8080";  // OPTIN_PUBLIC_URL, no trailing slash
  std::string secret;                                // OPTIN_SECRET, >= 32 bytes
  std::string admin_token;                           // OPTIN_ADMIN_TOKEN, empty = admin off
  std::string smtp_url;                              // OPTIN_SMTP_URL, empty = .eml files
  std::string smtp_user;                             // OPTIN_SMTP_USER
  std::string smtp_password;                         // OPTIN_SMTP_PASSWORD
  // OPTIN_SMTP_TLS: required with credentials or smtps://, else opportunistic.
  SmtpTls smtp_tls = SmtpTls::kOpportunistic;
  std::string smtp_ca_file;                        // OPTIN_SMTP_CA_FILE, empty = system CAs
  std::string mail_dir = "var/mail";               // OPTIN_MAIL_DIR
  std::string mail_from = "newsletter@localhost";  // OPTIN_MAIL_FROM
  Millis confirm_ttl = std::chrono::hours(72);     // OPTIN_CONFIRM_TTL
  Millis unconfirmed_retention = std::chrono::hours(24 * 30);      // OPTIN_UNCONFIRMED_RETENTION
  Millis consent_retention = std::chrono::hours(24 * 365 * 3);     // OPTIN_CONSENT_RETENTION
  IpMode ip_mode = IpMode::kFull;                                  // OPTIN_IP_MODE
  RateLimit rate_limit;                                            // OPTIN_RATE_LIMIT, 30/min
  UnsubscribeScope unsubscribe_scope = UnsubscribeScope::kGlobal;  // OPTIN_UNSUBSCRIBE_SCOPE
  std::vector<Cidr> trusted_proxies;                               // OPTIN_TRUSTED_PROXIES
  std::vector<std::string> frame_ancestors;  // OPTIN_FRAME_ANCESTORS, origins; empty = 'none'
  std::string cleverreach_client_id;         // OPTIN_CLEVERREACH_CLIENT_ID
  std::string cleverreach_client_secret;     // OPTIN_CLEVERREACH_CLIENT_SECRET
  std::string cleverreach_api_url = "https://rest.cleverreach.com/v3";  // ..._API_URL
  std::string cleverreach_token_url =
      "https://rest.cleverreach.com/oauth/token.php";  // ..._TOKEN_URL
  Millis sync_interval = Millis(60'000);               // OPTIN_SYNC_INTERVAL
  PowMode pow = PowMode::kOff;                         // OPTIN_POW
  int pow_maxnumber = 100'000;                         // OPTIN_POW_MAXNUMBER

  // Operational knobs beyond the contract (documented in the README).
  int db_pool_size = 8;   // OPTIN_DB_POOL_SIZE: pooled PostgreSQL connections
  int http_threads = 32;  // OPTIN_HTTP_THREADS: one keep-alive connection holds one thread
  Millis db_acquire_timeout = Millis(2'000);  // OPTIN_DB_TIMEOUT: wait for a connection, then 503
  Millis mail_retry_base = Millis(5'000);     // OPTIN_MAIL_RETRY_BASE: first mail retry delay
  Millis sync_retry_base = Millis(5'000);     // OPTIN_SYNC_RETRY_BASE: first sync retry delay
  Millis sync_retry_max = Millis(900'000);    // OPTIN_SYNC_RETRY_MAX: cap of the sync backoff
  Millis sync_rate_limit_backoff = Millis(60'000);  // OPTIN_SYNC_429_BACKOFF: 429 w/o Retry-After
  Millis sync_http_timeout = Millis(30'000);        // OPTIN_SYNC_HTTP_TIMEOUT: per CleverReach call
  std::string cleverreach_webhook_token;            // OPTIN_CLEVERREACH_CALLTOKEN: X-CR-Calltoken
  std::string cleverreach_webhook_verify;  // OPTIN_CLEVERREACH_VERIFY: URL check answer prefix

  bool cleverreach_enabled() const {
    return !cleverreach_client_id.empty() && !cleverreach_client_secret.empty();
  }
};

// Parses digits only (no sign or spaces) giving a number in [lo, hi].
Result<long long> ParseInteger(const std::string& text, long long lo, long long hi);
// Parses "on"/"true" or "off"/"false".
Result<bool> ParseFlag(const std::string& text);
// Parses a duration such as "500ms", "60s", "10m" (minutes), "72h", "7d", "2w", "3y" (365 d);
// at most 100 years.
Result<Millis> ParseDuration(const std::string& text);
// Parses "30/min", "5/s", "1000/h" or "off".
Result<RateLimit> ParseRateLimit(const std::string& text);
// Parses "host:port" or "[v6]:port"; port 0..65535.
Result<HostPort> ParseHostPort(const std::string& text);
// Parses "10.0.0.0/8" or "::1/128"; a bare address is a full-length prefix.
Result<Cidr> ParseCidr(const std::string& text);

// Reads the configuration from `env` (normally the process environment). A bad value gives an
// InvalidArgument whose message is one line naming the variable. `require_secret` is set for
// `serve`, which refuses to start without OPTIN_SECRET.
Result<Config> LoadConfig(const std::map<std::string, std::string>& env, bool require_secret);

// The names of every variable LoadConfig reads, in the order it checks them.
std::vector<std::string> ConfigVariables();

// The process environment as a map, for LoadConfig.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace optin
