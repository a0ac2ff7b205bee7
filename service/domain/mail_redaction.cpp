#include "service/domain/mail_redaction.h"

#include <algorithm>

#include "service/domain/tokens.h"

namespace optin {

const char kRedactedToken[] = "REDACTEDREDACTEDREDACTEDREDACTED";

namespace {

constexpr size_t kTokenChars = sizeof kRedactedToken - 1;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> RedactConfirmationToken(const std::string& message,
                                                   const std::vector<std::string>& token_hashes) {
  // The message as its reader sees it: soft line breaks ("=" CRLF) dropped, "=XX" decoded. `at`
  // maps each decoded character to the byte it came from (a literal one when at[i] is a single
  // byte equal to it).
  std::string text;
  std::vector<size_t> at;
  std::vector<bool> literal;
  for (size_t i = 0; i < message.size();) {
    if (message[i] == '=' && i + 2 < message.size() && message.compare(i + 1, 2, "\r\n") == 0) {
      i += 3;
      continue;
    }
    if (message[i] == '=' && i + 2 < message.size() && HexValue(message[i + 1]) >= 0 &&
        HexValue(message[i + 2]) >= 0) {
      text.push_back(static_cast<char>(HexValue(message[i + 1]) * 16 + HexValue(message[i + 2])));
      at.push_back(i);
      literal.push_back(false);
      i += 3;
      continue;
    }
    text.push_back(message[i]);
    at.push_back(i);
    literal.push_back(true);
    ++i;
  }
  std::string out = message;
  bool found = false;
  static const std::string kKey = "token=";
  for (size_t p = text.find(kKey); p != std::string::npos; p = text.find(kKey, p + 1)) {
    size_t start = p + kKey.size();
    if (start + kTokenChars > text.size()) break;
    std::string hash = RandomTokenHash(text.substr(start, kTokenChars));
    if (hash.empty() ||
        std::find(token_hashes.begin(), token_hashes.end(), hash) == token_hashes.end())
      continue;
    bool all_literal = true;
    for (size_t k = 0; k < kTokenChars; ++k) all_literal = all_literal && literal[start + k];
    if (!all_literal) continue;
    for (size_t k = 0; k < kTokenChars; ++k) out[at[start + k]] = kRedactedToken[k];
    found = true;
  }
  if (!found) return std::nullopt;
  return out;
}

}  // namespace optin
