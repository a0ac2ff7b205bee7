// Composing the token-carrying mails optin sends (confirmation, privacy verification): texts in
// the person's language, rendered to RFC 5322, with the token's hash and lifetime for the outbox
// row. Stateless.
#pragma once

#include <chrono>
#include <string>

#include "service/config.h"
#include "service/i18n/mails.h"
#include "service/model.h"
#include "service/status.h"
#include "service/tokens.h"

namespace optin {

// `from_name` may be empty. The mail is dated now.
Result<PendingMail> ComposeTokenMail(const Config& config, const std::string& from_name, const std::string& to,
                                     const std::string& language, const MailText& text, const RandomToken& token,
                                     std::chrono::seconds ttl);

}  // namespace optin
