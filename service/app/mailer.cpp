#include "service/app/mailer.h"

#include <algorithm>

#include "service/base/log.h"

namespace optin {
namespace {

constexpr std::chrono::milliseconds kFirstDbBackoff{500};
constexpr std::chrono::milliseconds kMaxDbBackoff{10'000};
constexpr std::chrono::milliseconds kListenRetry{5'000};  // polling covers the gap meanwhile

}  // namespace

Mailer::Mailer(MailOutbox& store, std::unique_ptr<MailSender> sender, std::string from,
               std::unique_ptr<NotificationListener> listener)
    : store_(store),
      sender_(std::move(sender)),
      from_(std::move(from)),
      listener_(std::move(listener)) {}

void Mailer::Run(StopSignal& stop) {
  auto backoff = kFirstDbBackoff;
  bool db_ok = true;
  auto next_listen_attempt = std::chrono::steady_clock::now();
  while (!stop.stopped()) {
    // LISTEN before draining, so that a mail committed while draining still wakes us.
    if (db_ok && listener_ != nullptr && !listener_->connected() &&
        std::chrono::steady_clock::now() >= next_listen_attempt) {
      if (!listener_->Connect().ok())
        next_listen_attempt = std::chrono::steady_clock::now() + kListenRetry;
    }
    if (!Drain(stop)) {
      if (db_ok) LogWarn("mailer_database_unavailable");
      db_ok = false;
      if (!stop.SleepFor(backoff)) break;
      backoff = std::min(backoff * 2, kMaxDbBackoff);
      continue;
    }
    if (!db_ok) LogInfo("mailer_database_available");
    db_ok = true;
    backoff = kFirstDbBackoff;
    WaitForWork(stop);
  }
}

bool Mailer::Drain(StopSignal& stop) {
  auto send = [this](const OutboxMail& mail) {
    return sender_->Send(from_, mail.recipient, mail.message_id, mail.message);
  };
  while (!stop.stopped()) {
    auto delivery = store_.DeliverNext(send);
    if (!delivery.ok()) return false;
    const Delivery& d = *delivery;
    nlohmann::json fields = {
        {"kind", d.kind}, {"address", d.address_tag}, {"message_id", d.message_id}};
    switch (d.outcome) {
      case DeliveryOutcome::kIdle:
        return true;
      case DeliveryOutcome::kSent:
        ++counters_.sent;
        LogInfo("mail_sent", fields);
        break;
      case DeliveryOutcome::kDroppedSuppressed:
        ++counters_.dropped_suppressed;
        LogInfo("mail_dropped_suppressed", fields);
        break;
      case DeliveryOutcome::kRetryLater:
        ++counters_.failed;
        fields["error"] = d.error.message();
        fields["retry_in_ms"] = d.retry_in.count();
        LogWarn("mail_failed", fields);
        break;
      case DeliveryOutcome::kDead:
        ++counters_.failed;
        ++counters_.dead;
        fields["error"] = d.error.message();
        LogError("mail_dead", fields);
        break;
    }
  }
  return true;
}

void Mailer::WaitForWork(StopSignal& stop) {
  if (listener_ != nullptr && listener_->connected()) {
    listener_->Wait(kPollInterval);  // a lost connection is logged and re-opened next round
    return;
  }
  stop.SleepFor(kPollInterval);
}

}  // namespace optin
