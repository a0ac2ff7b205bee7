// Which privacy request kind does what (CarryOutPrivacyRequest), against an in-memory fake of the
// store's primitive operations. No database.
#include <catch2/catch.hpp>

#include "service/app/privacy_service.h"
#include "tests/fakes/fake_privacy_actions.h"

namespace optin {

TEST_CASE("each privacy request kind carries out exactly its own operation", "[app][privacy]") {
  struct Row {
    PrivacyRequestType type;
    std::vector<std::string> calls;
    bool record_event;
    bool export_data;
    int64_t changed;
    const char* outcome;
  };
  auto row = GENERATE(
      Row{PrivacyRequestType::kAccess, {}, true, true, 0, R"({"type":"access"})"},
      Row{PrivacyRequestType::kErasure,
          {"erase"},
          false,
          false,
          0,
          R"({"erased":{"cleverreach_notified":true,"consent_events":5,"queued_mails":1,)"
          R"("subscriber_deleted":true,"subscriptions":3,"sync_rows_replaced":2},"type":"erasure"})"},
      Row{PrivacyRequestType::kObjection,
          {"lift"},
          true,
          false,
          4,
          R"({"suppressions_lifted":4,"type":"objection"})"},
      Row{PrivacyRequestType::kUnsubscribe,
          {"unsubscribe"},
          true,
          false,
          2,
          R"({"subscriptions_ended":2,"type":"unsubscribe"})"},
      Row{PrivacyRequestType::kRestriction,
          {"restrict"},
          true,
          false,
          3,
          R"({"subscriptions_restricted":3,"type":"restriction"})"},
      Row{PrivacyRequestType::kLiftRestriction,
          {"lift_restriction"},
          true,
          false,
          1,
          R"({"subscriptions_resumed":1,"type":"lift_restriction","was_restricted":true})"});
  CAPTURE(PrivacyTypeName(row.type));
  test::FakePrivacyActions actions;
  PrivacyDone done = CarryOutPrivacyRequest(row.type, actions);
  CHECK(actions.calls == row.calls);
  CHECK(done.record_event == row.record_event);
  CHECK(done.export_data == row.export_data);
  CHECK(done.changed == row.changed);
  CHECK(done.outcome.dump() == row.outcome);
  if (row.type == PrivacyRequestType::kErasure) {
    CHECK(done.erasure.subscriptions == 3);
    CHECK(done.erasure.subscriber_deleted);
  }
}

}  // namespace optin
