// The mailer's port: MailOutbox hands out one due mail at a time and settles it with the outcome
// of the send. storage/ implements it (MailOutboxStore); tests use an in-memory fake. Also the
// mail retry rule: which failed send is retried when, and which is given up (dead).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "service/base/status.h"
#include "service/domain/retry_policy.h"

namespace optin {

// One claimed mail, as the request path rendered it.
struct OutboxMail {
  int64_t id = 0;
  std::string kind;        // "confirmation" or "privacy_verification"
  std::string recipient;   // normalised address: never log it (AddressTag)
  std::string message_id;  // without angle brackets
  std::string message;     // the whole RFC 5322 message
  int attempts = 0;        // failed attempts so far
};

enum class DeliveryOutcome {
  kIdle,               // nothing due
  kSent,               // sent; row deleted (and consent event written for confirmation mails)
  kRetryLater,         // failed; retried after a backoff
  kDead,               // rejected permanently too often; kept with dead_at, never retried
  kDroppedSuppressed,  // a confirmation mail that must not go out; deleted unsent
};

struct Delivery {
  DeliveryOutcome outcome = DeliveryOutcome::kIdle;
  std::string kind;
  std::string address_tag;  // AddressTag of the recipient, for logs
  std::string message_id;
  Status error;  // the send failure, for kRetryLater and kDead
  std::chrono::milliseconds retry_in{0};
};

struct MailRetryPolicy {
  std::chrono::milliseconds base{5'000};     // Config::mail_retry_base
  std::chrono::milliseconds cap{3'600'000};  // no wait is longer than this (before jitter)
  int permanent_attempts = 5;                // a 5xx on this attempt makes the row dead
};

// RetryDelay with the policy's base and cap.
std::chrono::milliseconds MailRetryDelay(const MailRetryPolicy& policy, int attempts, double unit);

// What a failed send leads to: a permanent rejection (InvalidArgument, SMTP 5xx) on attempt
// `permanent_attempts` makes the mail dead; everything else (transient failures at any attempt,
// earlier permanent ones) is retried after MailRetryDelay. `attempts` = failed attempts before
// this one; `unit` in [0, 1) is the jitter.
struct MailFailure {
  bool dead = false;
  std::chrono::milliseconds retry_in{0};
};
MailFailure DecideMailFailure(const MailRetryPolicy& policy, int attempts, const Status& result,
                              double unit);

class MailOutbox {
 public:
  // Sends one mail: Ok = accepted, Unavailable = transient failure, InvalidArgument = permanent.
  using SendFn = std::function<Status(const OutboxMail&)>;
  virtual ~MailOutbox() = default;
  // Claims the oldest due mail, calls `send` for it (unless it must be dropped) and records the
  // outcome. Unavailable when the outbox cannot be reached.
  virtual Result<Delivery> DeliverNext(const SendFn& send) = 0;
};

}  // namespace optin
