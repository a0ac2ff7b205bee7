#include "service/base/admin_tokens.h"

#include <set>

#include "service/base/crypto.h"

namespace optin {
namespace {

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ValidTokenChars(const std::string& token) {
  for (unsigned char c : token) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

Result<std::vector<AdminToken>> ParseAdminTokens(const std::string& text) {
  std::vector<AdminToken> out;
  std::set<std::string> seen;
  size_t start = 0, position = 1;
  while (true) {
    size_t comma = text.find(',', start);
    std::string entry = text.substr(start, comma == std::string::npos ? comma : comma - start);
    const std::string where = "entry " + std::to_string(position);
    size_t colon = entry.find(':');
    if (colon == std::string::npos) {
      return Status::InvalidArgument("invalid_config", where + " is not name:token");
    }
    AdminToken t{entry.substr(0, colon), entry.substr(colon + 1)};
    if (!ValidName(t.name)) {
      return Status::InvalidArgument("invalid_config",
                                     where + ": the name must be 1-64 of a-z 0-9 _ . -");
    }
    if (t.token.size() < kMinAdminTokenBytes) {
      return Status::InvalidArgument("invalid_config",
                                     where + " (" + t.name + "): the token must be at least " +
                                         std::to_string(kMinAdminTokenBytes) + " bytes long");
    }
    if (!ValidTokenChars(t.token)) {
      return Status::InvalidArgument(
          "invalid_config", where + " (" + t.name + "): the token contains spaces or controls");
    }
    if (!seen.insert(t.token).second) {
      return Status::InvalidArgument("invalid_config",
                                     where + " (" + t.name + "): the same token is given twice");
    }
    out.push_back(std::move(t));
    if (comma == std::string::npos) break;
    start = comma + 1;
    ++position;
  }
  return out;
}

std::string AdminNameForToken(const std::vector<AdminToken>& tokens, const std::string& presented) {
  const std::string digest = Sha256(presented);
  size_t match = 0;  // index + 1 of the matching token, 0 = none
  for (size_t i = 0; i < tokens.size(); ++i) {
    // No branch on the result: the loop runs over every token whatever matched.
    size_t equal = static_cast<size_t>(ConstantTimeEquals(digest, Sha256(tokens[i].token)));
    size_t mask = size_t{0} - equal;
    match = (match & ~mask) | ((i + 1) & mask);
  }
  if (presented.empty() || match == 0) return "";
  return tokens[match - 1].name;
}

}  // namespace optin
