// Set-up and state checks the CleverReach end-to-end tests share: a running optin (OptinFixture)
// against the fake CleverReach.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "tests/fakes/fake_cleverreach.h"
#include "tests/support/optin_fixture.h"

namespace optin::test {

// A group at the fake, set as the newsletter list's CleverReach group; returns its id.
inline int64_t SetUpGroup(OptinFixture& f, FakeCleverReach& fake) {
  int64_t gid = fake.AddGroup("Newsletter");
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"cleverreach_group_id", std::to_string(gid)}})
              ->status == 200);
  return gid;
}

// The receiver is in the group at the fake and active.
inline bool Active(FakeCleverReach& fake, int64_t gid, const std::string& email) {
  auto r = fake.Receiver(gid, email);
  return r && r->active;
}

// The receiver is in the group at the fake and inactive (deactivated).
inline bool Deactivated(FakeCleverReach& fake, int64_t gid, const std::string& email) {
  auto r = fake.Receiver(gid, email);
  return r && !r->active;
}

// The address is on the fake's global blacklist.
inline bool Blacklisted(FakeCleverReach& fake, const std::string& email) {
  for (const auto& b : fake.Blacklist()) {
    if (b.email == email) return true;
  }
  return false;
}

}  // namespace optin::test
