// A real SMTP server for tests: runs tests/support/smtp_server.py (Debian's /usr/bin/python3 with
// aiosmtpd) on a free port, stores every received message as a file, and can be told to answer
// 451 or 550 or to be slow. Can be stopped and restarted on the same port. One per test; not
// shared between threads.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace optin::test {

struct ReceivedMail {
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;  // the message as received
};

class SmtpServer {
 public:
  SmtpServer();   // starts on a free port and waits until it accepts connections
  ~SmtpServer();  // stops
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  void Start();  // on the same port as before
  void Stop();
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // Every message received so far, oldest first.
  std::vector<ReceivedMail> Messages() const;
  size_t MessageCount() const { return Messages().size(); }

  void AcceptAll();                              // 250
  void FailTransient();                          // 451 to DATA
  void FailPermanent();                          // 550 to DATA
  void BeSlow(std::chrono::milliseconds delay);  // waits before answering DATA

 private:
  void SetControl(const std::string& text);
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace optin::test
