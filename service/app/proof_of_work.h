// ProofOfWork: the use case behind GET /pow/challenge and the `altcha` field (issue 17) — hands
// out signed ALTCHA challenges and redeems a solution once, across every instance (spent
// challenges live in PostgreSQL until they expire). The key is derived from OPTIN_SECRET, so all
// instances agree. Safe for concurrent use (immutable after construction).
#pragma once

#include <chrono>
#include <string>

#include "service/base/config.h"
#include "service/base/status.h"
#include "service/domain/altcha.h"

namespace optin {

class PowStore;

class ProofOfWork {
 public:
  // How long a challenge may be solved and sent: long enough to fill in a form slowly.
  static constexpr std::chrono::seconds kChallengeTtl{20 * 60};

  // REQUIRES: config.secret set (serve refuses to start without it).
  ProofOfWork(const Config& config, PowStore& store);

  PowMode mode() const { return mode_; }
  AltchaChallenge NewChallenge() const;

  // Checks the `altcha` field and spends its challenge. Errors: 400 pow_required when `payload`
  // is empty; 400 pow_invalid when it is malformed, forged, expired or already spent (here or
  // on another instance); 503 unavailable when the database cannot be reached.
  Status Redeem(const std::string& payload) const;

 private:
  const PowMode mode_;
  const int64_t maxnumber_;
  const std::string key_;
  PowStore& store_;
};

// The errors, shared with the HTTP adapter.
Status PowRequired();

}  // namespace optin
