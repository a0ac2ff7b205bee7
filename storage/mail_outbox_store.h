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
#include "service/domain/mail_outbox.h"

namespace optin {

class ConnectionPool;

class MailOutboxStore : public MailOutbox {
 public:
  MailOutboxStore(ConnectionPool& pool, MailRetryPolicy policy);

  // Claims the oldest due mail and settles it in one transaction: drops it unsent when the
  // suppression rules forbid it (confirmation mails only), else calls `send` while holding the row
  // and records success or failure. Unavailable when the database cannot be reached.
  Result<Delivery> DeliverNext(const SendFn& send) override;

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
  mutable std::mutex mu_;             // guards sent_unsettled_
  std::set<int64_t> sent_unsettled_;  // rows sent whose outcome did not commit (at most a few)
};

}  // namespace optin
