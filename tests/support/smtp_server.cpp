#include "tests/support/smtp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/wait.h"

namespace optin::test {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int FreePort() {
  std::string cmd = std::string(OPTIN_SOURCE_DIR) + "/scripts/free-port.sh";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[32] = {0};
  bool got = fgets(buf, sizeof buf, p) != nullptr;
  REQUIRE(pclose(p) == 0);
  REQUIRE(got);
  return std::stoi(buf);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

}  // namespace

SmtpServer::SmtpServer(SmtpServerOptions options) : options_(std::move(options)) {
  dir_ = MakeTempDir("smtp");
  port_ = FreePort();
  Start();
}

SmtpServer::~SmtpServer() { Stop(); }

void SmtpServer::Start() {
  REQUIRE(pid_ <= 0);
  std::string script = std::string(OPTIN_SOURCE_DIR) + "/tests/support/smtp_server.py";
  std::string port = std::to_string(port_);
  std::string log = dir_ + "/server.log";
  std::vector<std::string> args = {"python3", script, "--port", port,
                                   "--dir",   dir_,   "--tls",  options_.tls};
  if (options_.tls != "none") {
    args.insert(args.end(), {"--cert", options_.cert_file, "--key", options_.key_file});
  }
  if (options_.auth) args.push_back("--auth");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv("/usr/bin/python3", argv.data());
    _exit(127);
  }
  bool up = WaitUntil(
      [&] {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          return true;
        }
        return Accepts(port_);
      },
      std::chrono::seconds(20));
  INFO("smtp server log:\n" << ReadAll(log));
  REQUIRE(up);
  REQUIRE(pid_ > 0);
}

void SmtpServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  bool gone =
      WaitUntil([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, std::chrono::seconds(10));
  if (!gone) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

std::vector<ReceivedMail> SmtpServer::Messages() const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("msg-", 0) == 0 && name.size() > 4 && name.substr(name.size() - 4) == ".eml") {
      names.push_back(name.substr(0, name.size() - 4));
    }
  }
  std::sort(names.begin(), names.end());
  std::vector<ReceivedMail> out;
  for (const auto& base : names) {
    ReceivedMail m;
    m.data = ReadAll(dir_ + "/" + base + ".eml");
    std::istringstream env(ReadAll(dir_ + "/" + base + ".env"));
    std::string line;
    while (std::getline(env, line)) {
      if (line.rfind("from ", 0) == 0) m.mail_from = line.substr(5);
      if (line.rfind("to ", 0) == 0) m.rcpt_to.push_back(line.substr(3));
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> SmtpServer::Commands() const {
  std::vector<std::string> out;
  std::istringstream in(ReadAll(dir_ + "/commands.log"));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

void SmtpServer::SetControl(const std::string& text) {
  std::string tmp = dir_ + "/.control.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text << "\n";
  }
  std::filesystem::rename(tmp, dir_ + "/control");
}

void SmtpServer::AcceptAll() { SetControl("ok"); }
void SmtpServer::FailTransient() { SetControl("451"); }
void SmtpServer::FailPermanent() { SetControl("550"); }
void SmtpServer::BeSlow(std::chrono::milliseconds delay) {
  SetControl("slow " + std::to_string(delay.count() / 1000.0));
}

}  // namespace optin::test
