#include "integrations/mail/mail_sender.h"

#include "integrations/mail/eml_file_mail_sender.h"
#include "integrations/mail/smtp_mail_sender.h"

namespace optin {

std::unique_ptr<MailSender> MakeMailSender(const Config& config) {
  if (!config.smtp_url.empty()) {
    SmtpSettings s;
    s.url = config.smtp_url;
    s.user = config.smtp_user;
    s.password = config.smtp_password;
    s.tls = config.smtp_tls;
    s.ca_file = config.smtp_ca_file;
    return std::make_unique<SmtpMailSender>(std::move(s));
  }
  return std::make_unique<EmlFileMailSender>(config.mail_dir);
}

}  // namespace optin
