// An in-memory PrivacyActions (no database): counts which primitive operations were asked for
// and answers them with fixed figures.
#pragma once

#include <string>
#include <vector>

#include "service/domain/privacy_actions.h"

namespace optin::test {

class FakePrivacyActions : public PrivacyActions {
 public:
  std::vector<std::string> calls;  // "erase", "lift", "unsubscribe", "restrict", "lift_restriction"
  ErasureCounts erased{3, 5, 1, 2, true, true};
  int64_t lifted = 4;
  int64_t ended = 2;
  int64_t paused = 3;
  int64_t resumed = 1;

  ErasureCounts Erase() override {
    calls.push_back("erase");
    return erased;
  }
  int64_t LiftSuppressions() override {
    calls.push_back("lift");
    return lifted;
  }
  int64_t Unsubscribe() override {
    calls.push_back("unsubscribe");
    return ended;
  }
  int64_t Restrict() override {
    calls.push_back("restrict");
    return paused;
  }
  int64_t LiftRestriction() override {
    calls.push_back("lift_restriction");
    return resumed;
  }
};

}  // namespace optin::test
