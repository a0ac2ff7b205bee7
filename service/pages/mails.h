// The texts of the mails optin sends, in de, nl and en. A mail never carries text a visitor
// typed (CONTRACT §5): only the list's admin-set name and optin's own links. Stateless.
#pragma once

#include <string>

#include "service/domain/language.h"

namespace optin {

struct MailText {
  std::string subject;
  std::string text;  // text/plain body
  std::string html;  // text/html body, self-contained, no external assets
};

// "Please confirm your subscription to <list_name>": the link leads to a page with a confirm
// button; says that nothing happens if ignored and that the link expires after
// `ttl_hours_text`, a number of hours as text ("72" -> "72 Stunden", "72 uur", "72 hours");
// any other text is taken as already rendered in the language.
MailText ConfirmationMail(Language lang, const std::string& list_name,
                          const std::string& confirm_url, const std::string& ttl_hours_text);

// "Please verify your privacy request (<type>)": type is access, erasure, objection or
// unsubscribe; the link leads to a page that says what will happen and asks to confirm.
MailText PrivacyVerificationMail(Language lang, const std::string& request_type,
                                 const std::string& verify_url);

}  // namespace optin
