// In-memory fakes of the mailer's ports (no database, no SMTP): FakeMailOutbox hands out queued
// mails in order and settles each by the domain's mail retry rule (DecideMailFailure), like
// MailOutboxStore; RecordingMailSender answers every send from a test-given function. Both are
// safe for concurrent use (the mailer runs on its own thread).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "integrations/mail/mail_sender.h"
#include "service/domain/mail_outbox.h"

namespace optin::test {

class FakeMailOutbox : public MailOutbox {
 public:
  explicit FakeMailOutbox(MailRetryPolicy policy) : policy_(policy) {}

  void Add(OutboxMail mail) {
    std::lock_guard<std::mutex> lock(mu_);
    due_.push_back(std::move(mail));
  }
  // Waits (up to `deadline`) until the outbox has been found empty `n` times.
  bool WaitIdle(int n, std::chrono::milliseconds deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, deadline, [&] { return idle_ >= n; });
  }
  // The settled outcome of each mail id (the last one when retried).
  std::map<int64_t, Delivery> settled() const {
    std::lock_guard<std::mutex> lock(mu_);
    return settled_;
  }
  // Failed mails waiting for their retry, with their attempt count.
  std::vector<OutboxMail> waiting() const {
    std::lock_guard<std::mutex> lock(mu_);
    return later_;
  }

  Result<Delivery> DeliverNext(const SendFn& send) override {
    OutboxMail mail;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (due_.empty()) {
        ++idle_;
        cv_.notify_all();
        return Delivery{};
      }
      mail = due_.front();
      due_.pop_front();
    }
    Delivery d;
    d.kind = mail.kind;
    d.message_id = mail.message_id;
    Status result = send(mail);
    if (result.ok()) {
      d.outcome = DeliveryOutcome::kSent;
    } else {
      MailFailure f = DecideMailFailure(policy_, mail.attempts, result, 0.5);
      d.outcome = f.dead ? DeliveryOutcome::kDead : DeliveryOutcome::kRetryLater;
      d.retry_in = f.retry_in;
      d.error = result;
    }
    std::lock_guard<std::mutex> lock(mu_);
    settled_[mail.id] = d;
    if (d.outcome == DeliveryOutcome::kRetryLater) {
      ++mail.attempts;
      later_.push_back(mail);
    }
    return d;
  }

 private:
  const MailRetryPolicy policy_;
  mutable std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  std::deque<OutboxMail> due_;
  std::vector<OutboxMail> later_;
  std::map<int64_t, Delivery> settled_;
  int idle_ = 0;
};

class RecordingMailSender : public MailSender {
 public:
  struct Sent {
    std::string from, to, message_id, data;
  };
  // Answers a send by the message id; Ok by default.
  std::function<Status(const std::string& message_id)> answer = [](const std::string&) {
    return Status::Ok();
  };
  std::vector<Sent>* log;  // outlives the mailer that owns this sender; read after it stopped

  explicit RecordingMailSender(std::vector<Sent>* sent) : log(sent) {}

  Status Send(const std::string& from, const std::string& to, const std::string& message_id,
              const std::string& data) override {
    log->push_back({from, to, message_id, data});
    return answer(message_id);
  }
};

}  // namespace optin::test
