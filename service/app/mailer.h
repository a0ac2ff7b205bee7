// Mailer: the background worker that drains mail_outbox through a MailSender. Sends everything
// due, then sleeps on PostgreSQL LISTEN optin_mail (at most kPollInterval, so retries that fall
// due and a stop are noticed quickly); survives database and SMTP outages. Run() on one thread;
// the counters are safe to read from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "integrations/mail/mail_sender.h"
#include "service/app/worker.h"
#include "service/domain/mail_outbox.h"
#include "storage/notification_listener.h"

namespace optin {

struct MailerCounters {
  std::atomic<uint64_t> sent{0};                // accepted by the server (or written as .eml)
  std::atomic<uint64_t> failed{0};              // failed attempts (each retry counts)
  std::atomic<uint64_t> dead{0};                // given up after permanent rejections
  std::atomic<uint64_t> dropped_suppressed{0};  // confirmation mails deleted unsent
};

class Mailer : public Worker {
 public:
  static constexpr std::chrono::milliseconds kPollInterval{500};

  // `from` is the envelope sender (Config::mail_from). `listener` may be null: then it polls.
  Mailer(MailOutbox& store, std::unique_ptr<MailSender> sender, std::string from,
         std::unique_ptr<NotificationListener> listener);

  const char* name() const override { return "mailer"; }
  void Run(StopSignal& stop) override;
  const MailerCounters& counters() const { return counters_; }

 private:
  // Sends until nothing is due; false when the database failed.
  bool Drain(StopSignal& stop);
  void WaitForWork(StopSignal& stop);

  MailOutbox& store_;
  const std::unique_ptr<MailSender> sender_;
  const std::string from_;
  const std::unique_ptr<NotificationListener> listener_;
  MailerCounters counters_;
};

}  // namespace optin
