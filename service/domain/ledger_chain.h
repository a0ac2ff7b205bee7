// The consent ledger's hash chains (CONTRACT §5, issue 15): checks the events of each address, fed
// in chain order (email_hash, then id), against their stored SHA-256 and the link to the event
// before. Pure logic; one ChainVerifier per verification run (not safe for concurrent use).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace optin {

struct LedgerEvent {
  int64_t id = 0;
  std::string email_hash;
  std::string kind;
  std::string prev_sha256;
  std::string sha256;
  std::string canonical;  // consent_event_canonical(): what sha256 is the SHA-256 of
  // Tombstones (kind ledger_removed, or erased with reason erasure) only: why events went and the
  // SHA-256 of each of them.
  std::string removal_reason;
  std::vector<std::string> removed_sha256;
};

struct BrokenChain {
  std::string email_hash;
  int64_t event_id = 0;  // the first event found wrong
  std::string reason;    // altered, broken_link, unexplained_removal
};

class ChainVerifier {
 public:
  // REQUIRES: anchor is the database's ledger anchor.
  explicit ChainVerifier(std::string anchor) : anchor_(std::move(anchor)) {}

  // REQUIRES: events arrive grouped by email_hash, in id order within one.
  void Add(const LedgerEvent& e);
  // Ends the run; returns every broken chain (one entry per address).
  std::vector<BrokenChain> Finish();

  int64_t events() const { return events_; }
  int64_t chains() const { return chains_; }

 private:
  void CloseChain();

  const std::string anchor_;
  std::string hash_;
  bool open_ = false;
  std::vector<LedgerEvent> chain_;  // the current address's events (a few dozen at most)
  std::vector<BrokenChain> broken_;
  int64_t events_ = 0, chains_ = 0;
};

// True for the removal reasons that are lawful (retention, erasure).
bool LawfulRemoval(const std::string& reason);

}  // namespace optin
