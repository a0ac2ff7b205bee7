// The mailer and the mail retry rule against in-memory fakes (tests/fakes/fake_mail_outbox.h):
// temporary versus permanent failures, the backoff, dead mails. No database, no SMTP.
#include "service/app/mailer.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "service/base/stop_signal.h"
#include "tests/fakes/fake_mail_outbox.h"

using namespace std::chrono_literals;

namespace optin {

TEST_CASE("the mail retry rule: transient failures are retried, permanent ones die at the limit",
          "[app][mail]") {
  struct Row {
    int attempts;  // failed before this one
    StatusCode code;
    bool dead;
    std::chrono::milliseconds retry_in;  // base 100 ms, cap 1 s, jitter unit 0.5 (factor 1.0)
  };
  auto row = GENERATE(Row{0, StatusCode::kUnavailable, false, 100ms},
                      Row{1, StatusCode::kUnavailable, false, 200ms},
                      Row{3, StatusCode::kUnavailable, false, 800ms},
                      Row{4, StatusCode::kUnavailable, false, 1000ms},  // capped
                      Row{30, StatusCode::kUnavailable, false, 1000ms},
                      Row{0, StatusCode::kInvalidArgument, false, 100ms},
                      Row{3, StatusCode::kInvalidArgument, false, 800ms},
                      Row{4, StatusCode::kInvalidArgument, true, 1000ms},
                      Row{9, StatusCode::kInvalidArgument, true, 1000ms});
  CAPTURE(row.attempts, static_cast<int>(row.code));
  MailRetryPolicy policy{100ms, 1000ms, 5};
  MailFailure f = DecideMailFailure(policy, row.attempts, Status(row.code, "e", "m"), 0.5);
  CHECK(f.dead == row.dead);
  CHECK(f.retry_in == row.retry_in);
}

TEST_CASE("one retry delay for mail and sync: doubling, capped, jittered by ±20 %",
          "[app][mail][sync]") {
  RetryPolicy p{1000ms, 60'000ms};
  CHECK(RetryDelay(p, 0, 0.0) == 800ms);
  CHECK(RetryDelay(p, 0, 0.5) == 1000ms);
  CHECK(RetryDelay(p, 2, 0.5) == 4000ms);
  CHECK(RetryDelay(p, 2, 0.999) < 4800ms);
  CHECK(RetryDelay(p, 2, 0.999) >= 4795ms);
  CHECK(RetryDelay(p, 10, 0.5) == 60'000ms);
  CHECK(RetryDelay(p, -1, 0.5) == 1000ms);
  CHECK(RetryDelay(RetryPolicy{0ms, 0ms}, 0, 0.0) == 1ms);  // never a busy loop
  for (int i = 0; i < 1000; ++i) {
    double u = RandomUnit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
}

TEST_CASE("the mailer sends, retries temporary failures and gives up on permanent ones",
          "[app][mail]") {
  MailRetryPolicy policy{100ms, 3'600'000ms, 5};
  test::FakeMailOutbox outbox(policy);
  std::vector<test::RecordingMailSender::Sent> sent;
  auto sender = std::make_unique<test::RecordingMailSender>(&sent);
  sender->answer = [](const std::string& id) {
    if (id == "temp") return Status::Unavailable("421 try again later");
    if (id == "perm") return Status::InvalidArgument("rejected", "550 no such user");
    return Status::Ok();
  };
  outbox.Add(OutboxMail{1, "confirmation", "a@example.org", "ok", "Subject: a\r\n\r\nA\r\n", 0});
  outbox.Add(OutboxMail{2, "confirmation", "b@example.org", "temp", "Subject: b\r\n\r\nB\r\n", 2});
  outbox.Add(
      OutboxMail{3, "privacy_verification", "c@example.org", "perm", "Subject: c\r\n\r\nC\r\n", 4});
  outbox.Add(OutboxMail{4, "confirmation", "d@example.org", "perm", "Subject: d\r\n\r\nD\r\n", 0});

  Mailer mailer(outbox, std::move(sender), "optin@example.net", nullptr);
  StopSignal stop;
  std::thread worker([&] { mailer.Run(stop); });
  bool idle = outbox.WaitIdle(1, 10s);
  stop.Stop();
  worker.join();
  REQUIRE(idle);

  REQUIRE(sent.size() == 4);
  CHECK(sent[0].from == "optin@example.net");
  CHECK(sent[0].to == "a@example.org");
  CHECK(sent[0].data == "Subject: a\r\n\r\nA\r\n");
  auto settled = outbox.settled();
  CHECK(settled.at(1).outcome == DeliveryOutcome::kSent);
  CHECK(settled.at(2).outcome == DeliveryOutcome::kRetryLater);
  CHECK(settled.at(2).retry_in == 400ms);                        // 100 ms · 2^2
  CHECK(settled.at(3).outcome == DeliveryOutcome::kDead);        // permanent on the 5th attempt
  CHECK(settled.at(4).outcome == DeliveryOutcome::kRetryLater);  // permanent, but only the 1st
  CHECK(settled.at(4).retry_in == 100ms);
  auto waiting = outbox.waiting();
  REQUIRE(waiting.size() == 2);
  CHECK(waiting[0].id == 2);
  CHECK(waiting[0].attempts == 3);
  CHECK(mailer.counters().sent == 1);
  CHECK(mailer.counters().failed == 3);
  CHECK(mailer.counters().dead == 1);
}

}  // namespace optin
