// SmtpMailSender: delivers mail over SMTP with libcurl (smtp:// with STARTTLS, demanded or when
// offered per SmtpTls; smtps:// with implicit TLS; certificates always verified; optional AUTH,
// never sent before TLS unless TLS is off). Keeps one curl handle, so consecutive mails reuse
// the connection. One per thread (not safe for concurrent use).
#pragma once

#include <string>

#include "integrations/mail/mail_sender.h"

namespace optin {

struct SmtpSettings {
  std::string url;   // smtp://host:port or smtps://host:port
  std::string user;  // empty = no AUTH
  std::string password;
  SmtpTls tls = SmtpTls::kRequired;  // see Config::smtp_tls
  std::string ca_file;               // empty = the system's CAs
  long connect_timeout_seconds = 10;
  long total_timeout_seconds = 60;
};

class SmtpMailSender : public MailSender {
 public:
  explicit SmtpMailSender(SmtpSettings settings);
  ~SmtpMailSender() override;
  SmtpMailSender(const SmtpMailSender&) = delete;
  SmtpMailSender& operator=(const SmtpMailSender&) = delete;

  Status Send(const std::string& from, const std::string& to, const std::string& message_id,
              const std::string& data) override;

 private:
  const SmtpSettings settings_;
  void* curl_ = nullptr;  // CURL*, kept opaque so that curl.h stays inside integrations/
};

}  // namespace optin
