// PrivacyService: GDPR requests by address (CONTRACT §3 privacy, §5) — validates a request,
// renders the verification mail with a single-use expiring link, and carries verified requests
// out through PrivacyStore. Safe for concurrent use (immutable after construction).
#pragma once

#include <chrono>
#include <string>

#include "service/base/config.h"
#include "service/base/status.h"
#include "service/domain/privacy_actions.h"
#include "service/domain/privacy_model.h"
#include "storage/privacy_store.h"

namespace optin {

struct PrivacyRequestInput {
  std::string email;
  std::string type;      // access, erasure, objection, unsubscribe, restriction, lift_restriction
  std::string language;  // optional: de, nl, en
  std::string format;    // optional: the access export's format, json (default) or csv
};

// Which request kind does what: access changes nothing (the ticket gets the export), erasure
// deletes everything about the address, objection lifts its suppressions, unsubscribe ends its
// subscriptions and suppresses it, restriction pauses them (Art. 18) and lift_restriction resumes
// them. Called by PrivacyStore::CarryOut inside the transaction.
PrivacyDone CarryOutPrivacyRequest(PrivacyRequestType type, PrivacyActions& actions);

class PrivacyService {
 public:
  static constexpr std::chrono::hours kLinkTtl{24};

  PrivacyService(const Config& config, PrivacyStore& store) : config_(config), store_(store) {}

  // Ok whatever the address's state (the caller answers 202 alike). Errors: invalid_email,
  // invalid_request (400), unavailable (503).
  Result<PrivacyRequestResult> Request(const PrivacyRequestInput& input);

  // What a verification link leads to, changing nothing. NotFound for a malformed, tampered or
  // unknown token, Gone for a used or expired one.
  Result<PrivacyTicket> Peek(const std::string& token);
  // Carries the verified request out; the same errors as Peek.
  Result<PrivacyTicket> Confirm(const std::string& token);

  // DELETE /admin/restrictions: lifts a restriction (Art. 18) without verification, audited as
  // `admin`'s action "restriction.lift"; the subscriptions resumed, -1 when the address was not
  // restricted. invalid_email for a bad address.
  Result<int64_t> LiftRestrictionByAdmin(const std::string& email, const std::string& admin);

  // DELETE /admin/subscribers: erasure without verification, audited as `admin`'s action
  // "subscriber.erase". invalid_email for a bad address.
  Result<ErasureCounts> EraseByAdmin(const std::string& email, const std::string& admin);

 private:
  Result<PendingMail> RenderVerificationMail(const std::string& email, PrivacyRequestType type,
                                             const std::string& language) const;

  const Config& config_;
  PrivacyStore& store_;
};

}  // namespace optin
