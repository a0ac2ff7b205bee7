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

struct SmtpServerOptions {
  std::string tls = "none";  // none | starttls | implicit (smtps)
  std::string cert_file;     // PEM certificate chain and key, for tls != none
  std::string key_file;
  bool auth = false;  // offer AUTH (also before TLS) and accept any login
};

class SmtpServer {
 public:
  SmtpServer() : SmtpServer(SmtpServerOptions{}) {}
  // Starts on a free port and waits until it accepts connections.
  explicit SmtpServer(SmtpServerOptions options);
  ~SmtpServer();  // stops
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  void Start();  // on the same port as before
  void Stop();
  int port() const { return port_; }
  std::string url() const {
    return (options_.tls == "implicit" ? "smtps://127.0.0.1:" : "smtp://127.0.0.1:") +
           std::to_string(port_);
  }
  // "EHLO tls=0", "STARTTLS tls=0", "AUTH tls=1", "MAIL tls=1", ... in the order received.
  std::vector<std::string> Commands() const;

  // Every message received so far, oldest first.
  std::vector<ReceivedMail> Messages() const;
  size_t MessageCount() const { return Messages().size(); }

  void AcceptAll();                              // 250
  void FailTransient();                          // 451 to DATA
  void FailPermanent();                          // 550 to DATA
  void BeSlow(std::chrono::milliseconds delay);  // waits before answering DATA

 private:
  void SetControl(const std::string& text);
  SmtpServerOptions options_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace optin::test
