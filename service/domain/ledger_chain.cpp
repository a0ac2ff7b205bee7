#include "service/domain/ledger_chain.h"

#include <algorithm>

#include "service/base/crypto.h"

namespace optin {

bool LawfulRemoval(const std::string& reason) {
  return reason == "retention" || reason == "erasure";
}

namespace {
// A tombstone: retention's ledger_removed, or the erased event an erasure leaves.
bool LawfulTombstone(const LedgerEvent& e) {
  return (e.kind == "ledger_removed" || e.kind == "erased") && LawfulRemoval(e.removal_reason);
}
}  // namespace

void ChainVerifier::Add(const LedgerEvent& e) {
  if (!open_ || e.email_hash != hash_) {
    CloseChain();
    hash_ = e.email_hash;
    open_ = true;
  }
  chain_.push_back(e);
  ++events_;
}

namespace {

// Why the chain `chain` (one address, id order) does not verify, or nullptr. A link may skip
// events only where a lawful tombstone of the same address, at or after that link, lists the
// event it points to as removed; any recomputed hash that differs, any other gap and any removal
// without a lawful reason break the chain.
const char* ChainFault(const std::vector<LedgerEvent>& chain, const std::string& anchor,
                       int64_t* at) {
  for (const LedgerEvent& e : chain) {
    if (e.kind == "ledger_removed" && !LawfulRemoval(e.removal_reason)) {
      *at = e.id;
      return "unexplained_removal";
    }
  }
  std::string expected = anchor;
  for (size_t i = 0; i < chain.size(); ++i) {
    const LedgerEvent& e = chain[i];
    *at = e.id;
    if (!ConstantTimeEquals(Sha256Hex(e.canonical), e.sha256)) return "altered";
    if (e.prev_sha256 != expected) {
      bool covered = false;
      for (size_t j = i; j < chain.size() && !covered; ++j) {
        const LedgerEvent& t = chain[j];
        if (!LawfulTombstone(t)) continue;
        covered = std::find(t.removed_sha256.begin(), t.removed_sha256.end(), e.prev_sha256) !=
                  t.removed_sha256.end();
      }
      if (!covered) return "broken_link";
    }
    expected = e.sha256;
  }
  return nullptr;
}

}  // namespace

void ChainVerifier::CloseChain() {
  if (!open_) return;
  open_ = false;
  ++chains_;
  int64_t at = 0;
  if (const char* fault = ChainFault(chain_, anchor_, &at))
    broken_.push_back(BrokenChain{hash_, at, fault});
  chain_.clear();
}

std::vector<BrokenChain> ChainVerifier::Finish() {
  CloseChain();
  return broken_;
}

}  // namespace optin
