#include "service/pages/mail_compose.h"

#include "service/pages/mail_message.h"

namespace optin {

Result<PendingMail> ComposeTokenMail(const Config& config, const std::string& from_name,
                                     const std::string& to, const std::string& language,
                                     const MailText& text, const RandomToken& token,
                                     std::chrono::seconds ttl) {
  OutgoingMail out;
  out.from = config.mail_from;
  out.from_name = from_name;
  out.to = to;
  out.subject = text.subject;
  out.text_body = text.text;
  out.html_body = text.html;
  out.language = language;
  auto rendered = RenderMail(out, std::chrono::system_clock::now());
  if (!rendered.ok()) return rendered.status();
  PendingMail mail;
  mail.token_hash = token.hash;
  mail.ttl_seconds = ttl.count();
  mail.message_id = rendered->message_id;
  mail.message = std::move(rendered->data);
  return mail;
}

}  // namespace optin
