// LedgerStore: reads the consent ledger's hash chains back and verifies them (`optin
// verify-ledger`, the consent dossier). Reads in pages, so a large ledger never sits in memory at
// once. Safe for concurrent use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "service/base/status.h"
#include "service/domain/ledger_chain.h"

namespace optin {

class ConnectionPool;

struct LedgerReport {
  int64_t events = 0;
  int64_t chains = 0;
  struct Broken {
    BrokenChain chain;
    std::string email;  // the address behind the hash while one is stored; empty after erasure
  };
  std::vector<Broken> broken;
  bool ok() const { return broken.empty(); }
};

class LedgerStore {
 public:
  explicit LedgerStore(ConnectionPool& pool) : pool_(pool) {}

  // Every chain (email_hash empty) or the one of that address hash.
  Result<LedgerReport> Verify(const std::string& email_hash = "");

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
