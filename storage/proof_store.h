// ProofStore: reads the consent dossier of one address (GET /admin/proof) in one snapshot, plus
// the verification of its ledger chain. Safe for concurrent use.
#pragma once

#include <string>

#include "service/base/status.h"
#include "service/domain/dossier.h"

namespace optin {

class ConnectionPool;

class ProofStore {
 public:
  explicit ProofStore(ConnectionPool& pool) : pool_(pool) {}

  // The dossier of a normalised address (known() is false when nothing is stored about it).
  Result<Dossier> Read(const std::string& email);

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
