// Runs the real `optin` binary for end-to-end tests: with a chosen environment, its stderr kept
// in a file, its port read from the "listening on" log line, stopped by SIGTERM or SIGKILL.
// A sanitizer report on its stderr fails the test once the process has exited by itself or on
// SIGTERM. One per test; not shared between threads.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace optin::test {

using Env = std::map<std::string, std::string>;

// A fresh temporary directory (removed by the test script's cleanup).
std::string MakeTempDir(const std::string& prefix);

// The environment for an optin process against `database_url`: random port, test secret,
// admin token "test-admin-token-0123456789", mail into a fresh temp directory, rate limit off.
Env BaseEnv(const std::string& database_url);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `optin ARGS...` to completion (with a 120 s deadline).
CommandResult RunOptin(const std::vector<std::string>& args, const Env& env);

class OptinProcess {
 public:
  OptinProcess(Env env, std::vector<std::string> args = {"serve"});
  ~OptinProcess();
  OptinProcess(const OptinProcess&) = delete;
  OptinProcess& operator=(const OptinProcess&) = delete;

  void Start();
  // Waits for the "listening on http://HOST:PORT" line; returns the port (fails the test on
  // timeout).
  int WaitForPort(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  // SIGTERM, then waits for exit; returns the exit code (-1 on timeout, after a SIGKILL).
  int Terminate(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // SIGKILL and reap.
  void Kill();
  // Waits for the process to exit by itself; exit code or -1 on timeout.
  int WaitExit(std::chrono::milliseconds timeout);
  bool running();
  // Everything written to stderr so far.
  std::string Log() const;
  const Env& env() const { return env_; }

 private:
  Env env_;
  std::vector<std::string> args_;
  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
  int status_ = 0;
};

}  // namespace optin::test
