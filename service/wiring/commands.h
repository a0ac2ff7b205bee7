// The one-shot commands besides serve and migrate: `optin sync` and `optin purge`. Each returns
// the process exit code.
#pragma once

#include "service/base/config.h"

namespace optin {

int RunSyncCommand(const Config& config, bool once);
int RunPurgeCommand(const Config& config);

}  // namespace optin
