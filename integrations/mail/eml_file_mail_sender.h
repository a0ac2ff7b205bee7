// EmlFileMailSender: "sends" mail by writing it as <dir>/<message-id>.eml (for local runs and
// tests without an SMTP server). Writes are atomic (temp file, fsync, rename), so a reader never
// sees half a mail and sending the same message twice leaves one file. Stateless apart from the
// directory; safe for concurrent use.
#pragma once

#include <string>

#include "integrations/mail/mail_sender.h"

namespace optin {

class EmlFileMailSender : public MailSender {
 public:
  explicit EmlFileMailSender(std::string dir);

  // Creates the directory when missing. Unavailable when it cannot be written (read-only, full).
  Status Send(const std::string& from, const std::string& to, const std::string& message_id,
              const std::string& data) override;

  // The file name used for `message_id`: characters outside [A-Za-z0-9._@-] become '_'.
  static std::string FileName(const std::string& message_id);

 private:
  const std::string dir_;
};

}  // namespace optin
