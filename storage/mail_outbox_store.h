// MailOutboxStore: drains mail_outbox one mail at a time. The claimed row stays locked (FOR UPDATE
// SKIP LOCKED) in a transaction held open during the send, so concurrent processes never send the
// same row, a crash releases it, and the outcome commits with it (a crash repeats at most the one
// mail in flight). When the database goes away between the send and its commit, the store
// remembers the sent mail and settles it without sending again once the row is claimed anew.
// Safe for concurrent use: each call leases its own pooled connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "service/base/status.h"

namespace optin {

class ConnectionPool;

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

// base * 2^attempts (attempts failed so far), capped, times a jitter factor in [0.8, 1.2)
// given by `unit` in [0, 1).
std::chrono::milliseconds MailRetryDelay(const MailRetryPolicy& policy, int attempts, double unit);

class MailOutboxStore {
 public:
  // Sends one mail: Ok = accepted, Unavailable = transient failure, InvalidArgument = permanent.
  using SendFn = std::function<Status(const OutboxMail&)>;

  MailOutboxStore(ConnectionPool& pool, MailRetryPolicy policy);

  // Claims the oldest due mail and settles it in one transaction: drops it unsent when the
  // suppression rules forbid it (confirmation mails only), else calls `send` while holding the row
  // and records success or failure. Unavailable when the database cannot be reached.
  Result<Delivery> DeliverNext(const SendFn& send);

  struct Depth {
    int64_t waiting = 0;  // not yet sent, due or not
    int64_t dead = 0;     // given up after permanent rejections
  };
  Result<Depth> CountOutbox();

 private:
  bool SentUnsettled(int64_t id) const;
  void RememberSent(int64_t id);
  void Settled(int64_t id);

  ConnectionPool& pool_;
  const MailRetryPolicy policy_;
  mutable std::mutex mu_;               // guards sent_unsettled_
  std::set<int64_t> sent_unsettled_;  // rows sent whose outcome did not commit (at most a few)
};

}  // namespace optin
