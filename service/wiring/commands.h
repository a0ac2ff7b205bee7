// The one-shot commands besides serve and migrate: `optin sync`, `optin purge` and
// `optin verify-ledger`. Each returns
// the process exit code.
#pragma once

#include <string>

#include "service/base/config.h"

namespace optin {

int RunSyncCommand(const Config& config, bool once);
int RunPurgeCommand(const Config& config);
// `optin verify-ledger [--email E]`: 0 when every chain (or that address's) verifies, 1 naming each
// broken one on stdout, or on a failure.
int RunVerifyLedgerCommand(const Config& config, const std::string& email);

}  // namespace optin
