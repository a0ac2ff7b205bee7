// Building RFC 5322 / MIME messages: UTF-8 subject (RFC 2047 encoded-word), multipart/alternative
// with text/plain and text/html parts (quoted-printable), Message-ID, Date, optional RFC 2369 /
// RFC 8058 List-Unsubscribe headers. CRLF line ends, lines <= 78 characters. Stateless; safe for
// concurrent use.
#pragma once

#include <chrono>
#include <string>

#include "service/base/status.h"

namespace optin {

struct OutgoingMail {
  std::string from;                  // plain address, e.g. newsletter@example.com
  std::string from_name;             // display name (optional)
  std::string to;                    // normalised address
  std::string subject;               // UTF-8
  std::string text_body;             // UTF-8, '\n' line ends
  std::string html_body;             // UTF-8, '\n' line ends
  std::string language;              // Content-Language: de, nl, en
  std::string list_unsubscribe_url;  // when set: List-Unsubscribe + List-Unsubscribe-Post headers
};

struct RenderedMail {
  std::string message_id;  // without angle brackets, e.g. "3f2a...@example.com"
  std::string data;        // the whole message, CRLF line ends
};

// Renders `mail` dated `date`. The Message-ID's right-hand side is the From address's domain.
// InvalidArgument when a header field would contain CR, LF or NUL, or an address is malformed.
Result<RenderedMail> RenderMail(const OutgoingMail& mail,
                                std::chrono::system_clock::time_point date);

}  // namespace optin
