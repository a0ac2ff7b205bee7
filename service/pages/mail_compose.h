// Composing the token-carrying mails optin sends (confirmation, privacy verification): texts in
// the person's language, rendered to RFC 5322, with the token's hash and lifetime for the outbox
// row. Stateless.
#pragma once

#include <chrono>
#include <string>

#include "service/base/config.h"
#include "service/base/status.h"
#include "service/domain/model.h"
#include "service/domain/tokens.h"
#include "service/pages/mails.h"

namespace optin {

// `from_name` may be empty. The mail is dated now.
Result<PendingMail> ComposeTokenMail(const Config& config, const std::string& from_name,
                                     const std::string& to, const std::string& language,
                                     const MailText& text, const RandomToken& token,
                                     std::chrono::seconds ttl);

}  // namespace optin
