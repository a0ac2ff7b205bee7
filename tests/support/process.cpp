#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "service/base/crypto.h"
#include "tests/support/wait.h"

namespace optin::test {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<char*> MakeEnvp(const Env& env, std::vector<std::string>& storage) {
  for (const auto& [k, v] : env) storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : storage) envp.push_back(s.data());
  envp.push_back(nullptr);
  return envp;
}

pid_t Spawn(const std::vector<std::string>& args, const Env& env, const std::string& out_path,
            const std::string& err_path) {
  std::vector<std::string> argv_storage = {OPTIN_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  Env full = env;
  // Keep sanitizer settings and PATH from the test runner.
  for (const char* keep : {"PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* v = std::getenv(keep); v != nullptr && !full.count(keep)) full[keep] = v;
  }
  auto envp = MakeEnvp(full, env_storage);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

// A sanitizer build reports on stderr (and for leaks only at exit); tests that ignore the exit
// code, like the fixture's teardown, must still fail on such a report.
void CheckNoSanitizerReport(const std::string& log) {
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
    size_t at = log.find(marker);
    INFO("optin's stderr holds a sanitizer report:\n"
         << (at == std::string::npos ? "" : log.substr(at, 4000)));
    CHECK(at == std::string::npos);
  }
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string MakeTempDir(const std::string& prefix) {
  const char* base = std::getenv("OPTIN_TEST_TMP");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  REQUIRE(mkdtemp(buf.data()) != nullptr);
  return buf.data();
}

Env BaseEnv(const std::string& database_url) {
  return Env{
      {"OPTIN_DATABASE_URL", database_url},
      {"OPTIN_LISTEN", "127.0.0.1:0"},
      {"OPTIN_SECRET", "test-secret-0123456789-0123456789-abcdef"},
      {"OPTIN_ADMIN_TOKEN", "test-admin-token-0123456789"},
      {"OPTIN_MAIL_DIR", MakeTempDir("mail")},
      {"OPTIN_RATE_LIMIT", "off"},
      {"OPTIN_PUBLIC_URL", "http://localhost:8080"},
  };
}

CommandResult RunOptin(const std::vector<std::string>& args, const Env& env) {
  std::string dir = MakeTempDir("cmd");
  pid_t pid = Spawn(args, env, dir + "/out", dir + "/err");
  int status = 0;
  bool done =
      WaitUntil([&] { return waitpid(pid, &status, WNOHANG) == pid; }, std::chrono::seconds(120));
  if (!done) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  CommandResult r;
  r.exit_code = done ? DecodeStatus(status) : -1;
  r.out = ReadFile(dir + "/out");
  r.err = ReadFile(dir + "/err");
  CheckNoSanitizerReport(r.err);
  return r;
}

OptinProcess::OptinProcess(Env env, std::vector<std::string> args)
    : env_(std::move(env)), args_(std::move(args)) {}

OptinProcess::~OptinProcess() {
  if (pid_ > 0) Kill();
}

void OptinProcess::Start() {
  REQUIRE(pid_ <= 0);
  std::string dir = MakeTempDir("proc");
  log_path_ = dir + "/stderr.log";
  port_ = 0;
  pid_ = Spawn(args_, env_, dir + "/stdout.log", log_path_);
}

int OptinProcess::WaitForPort(std::chrono::milliseconds timeout) {
  // The line reads: "listening on http://HOST:PORT"; the port follows the last ':' before '"'.
  bool ok = WaitUntil(
      [&] {
        std::string log = Log();
        size_t at = log.find("listening on http://");
        if (at != std::string::npos) {
          size_t end = log.find('"', at);
          size_t colon = log.rfind(':', end);
          if (end != std::string::npos && colon != std::string::npos && colon > at) {
            port_ = std::atoi(log.substr(colon + 1, end - colon - 1).c_str());
            return port_ > 0;
          }
        }
        return !running();
      },
      timeout);
  INFO("optin log:\n" << Log());
  REQUIRE(ok);
  REQUIRE(port_ > 0);
  return port_;
}

bool OptinProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = status;
    pid_ = -1;
    return false;
  }
  return true;
}

int OptinProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (!WaitUntil([&] { return !running(); }, timeout)) return -1;
  CheckNoSanitizerReport(Log());
  return DecodeStatus(status_);
}

int OptinProcess::Terminate(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) {
    CheckNoSanitizerReport(Log());
    return DecodeStatus(status_);
  }
  kill(pid_, SIGTERM);
  int code = WaitExit(timeout);
  if (code == -1) Kill();
  return code;
}

void OptinProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  status_ = status;
  pid_ = -1;
}

std::string OptinProcess::Log() const { return ReadFile(log_path_); }

}  // namespace optin::test
