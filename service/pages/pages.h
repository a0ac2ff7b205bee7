// The HTML pages optin serves to people (CONTRACT §3): small, self-contained (inline CSS only,
// no scripts, no external assets, no cookies), in de, nl or en, working without JavaScript.
// Every interpolated string is HTML-escaped. Stateless.
#pragma once

#include <string>

#include "service/domain/language.h"
#include "service/pages/pow_widget.h"

namespace optin {

// HTML-escapes & < > " '.
std::string HtmlEscape(const std::string& text);

// After a browser signup: "check your inbox" (same page whatever the address's state).
std::string SubscribeThanksPage(Language lang, const std::string& list_name);
// GET /confirm: explains and shows a button that POSTs `token` to /confirm.
std::string ConfirmFormPage(Language lang, const std::string& list_name, const std::string& token);
// After POST /confirm succeeded.
std::string ConfirmedPage(Language lang, const std::string& list_name);
// 410: the link expired; offers to sign up again (link to `signup_url`, may be empty).
std::string ConfirmExpiredPage(Language lang, const std::string& signup_url);
// 404 for any unknown, tampered or foreign link (confirm, unsubscribe, privacy).
std::string InvalidLinkPage(Language lang);
// GET /unsubscribe: a button that POSTs to /unsubscribe?token=...
std::string UnsubscribeFormPage(Language lang, const std::string& list_name,
                                const std::string& token);
// After POST /unsubscribe.
std::string UnsubscribedPage(Language lang, const std::string& list_name);
// GET /privacy/confirm: says what `request_type` (access, erasure, objection, unsubscribe) will
// do, and a button that POSTs `token` to /privacy/confirm; for access also the export's format
// (json or csv, `format` preselected).
std::string PrivacyConfirmFormPage(Language lang, const std::string& request_type,
                                   const std::string& token, const std::string& format = "json");
// After POST /privacy/confirm for erasure, objection or unsubscribe.
std::string PrivacyDonePage(Language lang, const std::string& request_type);
// GET /privacy: a form to request access, erasure, objection or unsubscribe by address.
std::string PrivacyRequestFormPage(Language lang, PowWidget pow = PowWidget::kNone);
// After POST /privacy/request from a browser: "if we know the address, a mail is on its way".
std::string PrivacyRequestedPage(Language lang);
// A generic error page (status text and a short explanation), e.g. for 400/429/503 in browsers.
std::string ErrorPage(Language lang, int http_status);
// The consent text a signup form shows: the list's configured text, or the built-in one naming
// the list. Its SHA-256 goes into the consent ledger with every signup. Plain text (unescaped).
std::string ConsentText(Language lang, const std::string& list_name, const std::string& configured);
// GET /form/{list}: a ready signup form posting to `action_url` with email, optional name,
// hidden list, honeypot field "website" (visually hidden, tabindex -1, autocomplete off), and
// a consent checkbox when `require_consent` (label = consent_text, or a default text), and a
// hidden `form_page` = `form_page_url` (when not empty) so the signup records the page without
// a Referer.
std::string SignupFormPage(Language lang, const std::string& list_slug,
                           const std::string& list_name, const std::string& action_url,
                           bool require_consent, const std::string& consent_text,
                           PowWidget pow = PowWidget::kNone, const std::string& form_page_url = "");

}  // namespace optin
