// MailSender: hands one finished RFC 5322 message to the outside world (an SMTP server, or an
// .eml file for local use). Implementations are not thread-safe: one sender per worker thread.
#pragma once

#include <memory>
#include <string>

#include "service/base/config.h"
#include "service/base/status.h"

namespace optin {

class MailSender {
 public:
  virtual ~MailSender() = default;
  // Sends `data` (CRLF line ends) from `from` to `to`. Ok when accepted; Unavailable for a
  // transient failure (network, 4xx: retry later); InvalidArgument for a permanent rejection
  // (5xx). Error messages never contain an address or a secret.
  virtual Status Send(const std::string& from, const std::string& to, const std::string& message_id,
                      const std::string& data) = 0;
};

// SMTP when config.smtp_url is set, else .eml files into config.mail_dir.
std::unique_ptr<MailSender> MakeMailSender(const Config& config);

}  // namespace optin
