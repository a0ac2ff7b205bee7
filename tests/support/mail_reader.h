// Reading the mails optin wrote as .eml files (OPTIN_MAIL_DIR) in end-to-end tests.
#pragma once

#include <string>
#include <vector>

namespace optin::test {

// Contents of every *.eml file in `dir`, sorted by file name.
std::vector<std::string> ReadEmlFiles(const std::string& dir);
// Decodes quoted-printable text (soft line breaks and =XX escapes).
std::string DecodeQuotedPrintable(const std::string& text);
// The first URL in the (decoded) mail whose path starts with `path` (e.g. "/confirm?token="),
// or "" if none.
std::string FindLink(const std::string& mail, const std::string& path);
// The query value `key` of a URL.
std::string QueryValue(const std::string& url, const std::string& key);

}  // namespace optin::test
