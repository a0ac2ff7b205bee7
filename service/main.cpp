// optin's entry point: parses the command line, reads the configuration and hands over to the
// command. Exit codes: 0 success, 1 runtime failure, 2 usage error.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "service/base/config.h"
#include "service/base/log.h"
#include "service/wiring/app.h"
#include "service/wiring/commands.h"
#include "service/wiring/parts.h"
#include "storage/migrations.h"

namespace {

const char kUsage[] =
    "usage: optin <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve [--no-migrate]   run the HTTP service and its workers (mailer, sync, retention)\n"
    "  migrate                apply the database migrations\n"
    "  sync [--once]          run the CleverReach sync alone (--once: drain, pull, exit)\n"
    "  purge                  run the retention job once and print what it deleted\n"
    "  verify-ledger [--email E]  recompute the consent ledger's hash chains (exit 1 if broken)\n"
    "\n"
    "options:\n"
    "  --help, -h             show this help (also: optin <command> --help)\n"
    "  --version              print the version\n"
    "\n"
    "Configuration comes from OPTIN_* environment variables; see README.md.\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "optin: %s (see optin --help)\n", message.c_str());
  return 2;
}

const char* CommandHelp(const std::string& cmd) {
  if (cmd == "serve")
    return "usage: optin serve [--no-migrate]\n  Runs the HTTP service and its background workers; "
           "migrates first unless --no-migrate.\n";
  if (cmd == "migrate")
    return "usage: optin migrate\n  Applies the SQL migrations in order, idempotently.\n";
  if (cmd == "sync")
    return "usage: optin sync [--once]\n  Runs the CleverReach sync. --once: drain what is due, "
           "pull unsubscribes once, exit.\n";
  if (cmd == "purge")
    return "usage: optin purge\n  Deletes what the retention rules say is due and prints the "
           "counts.\n";
  if (cmd == "verify-ledger")
    return "usage: optin verify-ledger [--email E]\n  Recomputes every consent-event chain (or "
           "that "
           "address's); exit 0 when all verify, 1 naming each broken one.\n";
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string cmd = args[0];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "--version") {
    std::printf("optin %s\n", OPTIN_VERSION);
    return 0;
  }
  if (!CommandHelp(cmd))
    return UsageError(cmd[0] == '-' ? "unknown option " + cmd : "unknown command " + cmd);

  bool no_migrate = false, once = false;
  std::string ledger_email;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(CommandHelp(cmd), stdout);
      return 0;
    }
    if (cmd == "serve" && a == "--no-migrate")
      no_migrate = true;
    else if (cmd == "sync" && a == "--once")
      once = true;
    else if (cmd == "verify-ledger" && a == "--email" && i + 1 < args.size() &&
             !args[i + 1].empty())
      ledger_email = args[++i];
    else if (cmd == "verify-ledger" && a.rfind("--email=", 0) == 0 && a.size() > 8)
      ledger_email = a.substr(8);
    else
      return UsageError((a[0] == '-' ? "unknown option " : "unexpected argument ") + a + " for " +
                        cmd);
  }

  auto config = optin::LoadConfig(optin::ProcessEnvironment(),
                                  /*require_secret=*/cmd == "serve" || cmd == "sync");
  if (!config.ok()) {
    std::fprintf(stderr, "optin: %s\n", config.status().message().c_str());
    return 1;
  }
  optin::SetAddressTagSecret(config->secret);
  if (config->database_url.empty()) {
    std::fputs("optin: OPTIN_DATABASE_URL: is required\n", stderr);
    return 1;
  }

  if (cmd == "migrate" || (cmd == "serve" && !no_migrate)) {
    auto applied = optin::Migrate(config->database_url);
    if (!applied.ok()) {
      std::fprintf(stderr, "optin: %s\n", applied.status().message().c_str());
      return 1;
    }
    if (cmd == "migrate") {
      std::printf("applied %d migration(s)\n", *applied);
      return 0;
    }
  }
  if (cmd == "serve") {
    auto app = optin::App::Create(*config);
    if (!app.ok()) {
      std::fprintf(stderr, "optin: %s\n", app.status().message().c_str());
      return 1;
    }
    optin::App* raw = app->get();
    optin::StartSignalThread([raw] { raw->Stop(); });
    return raw->Serve();
  }
  if (cmd == "sync") return optin::RunSyncCommand(*config, once);
  if (cmd == "purge") return optin::RunPurgeCommand(*config);
  if (cmd == "verify-ledger") return optin::RunVerifyLedgerCommand(*config, ledger_email);
  return 2;
}
