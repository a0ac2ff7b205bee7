#include "service/commands.h"

#include <cstdio>

namespace optin {

int RunSyncCommand(const Config& config, bool once) {
  (void)config;
  (void)once;
  std::fputs("optin: sync is not implemented yet\n", stderr);
  return 1;
}

int RunPurgeCommand(const Config& config) {
  (void)config;
  std::fputs("optin: purge is not implemented yet\n", stderr);
  return 1;
}

}  // namespace optin
