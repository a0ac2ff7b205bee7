#include "service/app/proof_of_work.h"

#include "service/base/log.h"
#include "storage/pow_store.h"

namespace optin {
namespace {

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status PowRequired() {
  return Status::InvalidArgument("pow_required",
                                 "this form needs a proof of work (the altcha field): get a "
                                 "challenge from GET /pow/challenge and solve it");
}

ProofOfWork::ProofOfWork(const Config& config, PowStore& store)
    : mode_(config.pow),
      maxnumber_(config.pow_maxnumber),
      key_(AltchaKey(config.secret)),
      store_(store) {}

AltchaChallenge ProofOfWork::NewChallenge() const {
  return MakeAltchaChallenge(key_, maxnumber_, UnixNow() + kChallengeTtl.count());
}

Status ProofOfWork::Redeem(const std::string& payload) const {
  if (payload.empty()) return PowRequired();
  auto solution = ParseAltchaPayload(payload);
  if (!solution.ok()) return solution.status();
  Status verified = VerifyAltchaSolution(key_, *solution, UnixNow());
  if (!verified.ok()) return verified;
  auto first = store_.Spend(solution->challenge, solution->expires);
  if (!first.ok()) return first.status();
  if (!*first) {
    LogInfo("pow_replayed");
    return Status::InvalidArgument(
        "pow_invalid", "the proof of work is not valid: this challenge was already used");
  }
  return Status::Ok();
}

}  // namespace optin
