// The shared frame of optin's HTML pages (document, inline stylesheet) and the building blocks
// the page functions compose. Internal to service/i18n. Stateless; safe for concurrent use.
#pragma once

#include <string>

#include "service/domain/language.h"

namespace optin::i18n {

// The complete document: doctype, head (charset, viewport, noindex, no-referrer, inline style)
// and `main_html` inside <main>. `title` is plain text and escaped here.
// REQUIRES: main_html is markup built from constant texts and escaped values.
std::string RenderPage(Language lang, const std::string& title, const std::string& main_html);

// <h1>…</h1>; `text` is plain text and escaped here.
std::string Heading(const std::string& text);

// <p>…</p>; `muted` renders it as a secondary note. REQUIRES: html is escaped markup.
std::string Paragraph(const std::string& html, bool muted = false);

// A POST form to `action` carrying `token` in a hidden input, with one submit button. Both
// `action` and `token` are raw and escaped here; `button_label` is plain text.
std::string TokenForm(const std::string& action, const std::string& token,
                      const std::string& button_label);

// The list's admin-set name, escaped and emphasised for running text.
std::string ListName(const std::string& list_name);

// Percent-encodes every byte outside RFC 3986's unreserved set (for query values).
std::string UrlEncode(const std::string& text);

}  // namespace optin::i18n
