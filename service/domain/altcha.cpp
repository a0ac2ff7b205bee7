#include "service/domain/altcha.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "service/base/crypto.h"

namespace optin {
namespace {

constexpr size_t kSaltRandomBytes = 12;
constexpr const char* kExpiresPrefix = "?expires=";

Status Invalid(const std::string& why) {
  return Status::InvalidArgument("pow_invalid", "the proof of work is not valid: " + why);
}

// Standard base64 (btoa) with or without padding, decoded through the URL-safe decoder, which
// refuses non-canonical trailing bits.
bool DecodeStandardBase64(std::string text, std::string* out) {
  size_t pad = 0;
  while (!text.empty() && text.back() == '=' && pad < 2) {
    text.pop_back();
    ++pad;
  }
  if (pad > 0 && (text.size() + pad) % 4 != 0) return false;
  for (char& c : text) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
    else if (c == '-' || c == '_')
      return false;
  }
  return Base64UrlDecode(text, out);
}

// "<hex>?expires=<digits>&" -> the expiry; -1 when the salt has another shape.
int64_t SaltExpiry(const std::string& salt) {
  size_t q = salt.find('?');
  if (q == std::string::npos || q < 2 * kSaltRandomBytes || q % 2 != 0) return -1;
  if (salt.find_first_not_of("0123456789abcdef") != q) return -1;
  const size_t prefix = std::char_traits<char>::length(kExpiresPrefix);
  if (salt.compare(q, prefix, kExpiresPrefix) != 0) return -1;
  size_t start = q + prefix;
  size_t amp = salt.find('&', start);
  // The closing '&' is what stops digits moving between the salt and the number.
  if (amp == std::string::npos || amp + 1 != salt.size() || amp == start || amp - start > 12)
    return -1;
  int64_t expires = 0;
  for (size_t i = start; i < amp; ++i) {
    if (salt[i] < '0' || salt[i] > '9') return -1;
    expires = expires * 10 + (salt[i] - '0');
  }
  return expires;
}

std::string ChallengeOf(const std::string& salt, int64_t number) {
  return Sha256Hex(salt + std::to_string(number));
}

std::string SignatureOf(const std::string& key, const std::string& challenge) {
  return HexEncode(HmacSha256(key, challenge));
}

}  // namespace

std::string AltchaKey(const std::string& secret) {
  return HmacSha256(secret, "optin proof-of-work key v1");
}

AltchaChallenge MakeAltchaChallenge(const std::string& key, int64_t maxnumber,
                                    int64_t expires_unix) {
  std::string r = RandomBytes(8);
  uint64_t n = 0;
  for (unsigned char c : r) n = (n << 8) | c;
  // The modulo bias is below 2^-40 for any sensible maxnumber.
  int64_t number = static_cast<int64_t>(n % (static_cast<uint64_t>(maxnumber) + 1));
  return MakeAltchaChallenge(key, HexEncode(RandomBytes(kSaltRandomBytes)), number, maxnumber,
                             expires_unix);
}

AltchaChallenge MakeAltchaChallenge(const std::string& key, const std::string& salt_hex,
                                    int64_t number, int64_t maxnumber, int64_t expires_unix) {
  AltchaChallenge c;
  c.maxnumber = maxnumber;
  c.expires = expires_unix;
  c.salt = salt_hex + kExpiresPrefix + std::to_string(expires_unix) + "&";
  c.challenge = ChallengeOf(c.salt, number);
  c.signature = SignatureOf(key, c.challenge);
  return c;
}

Result<AltchaSolution> ParseAltchaPayload(const std::string& payload) {
  if (payload.size() > kMaxAltchaPayloadBytes) return Invalid("too long");
  std::string text;
  if (!DecodeStandardBase64(payload, &text)) return Invalid("not base64");
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Invalid("not a JSON object");
  AltchaSolution s;
  for (auto [name, field] : {std::pair<const char*, std::string*>{"algorithm", &s.algorithm},
                             {"challenge", &s.challenge},
                             {"salt", &s.salt},
                             {"signature", &s.signature}}) {
    auto it = doc.find(name);
    if (it == doc.end() || !it->is_string()) return Invalid(std::string(name) + " missing");
    *field = it->get<std::string>();
  }
  auto number = doc.find("number");
  if (number == doc.end() || !number->is_number_integer()) return Invalid("number missing");
  if (number->is_number_unsigned()) {
    auto n = number->get<uint64_t>();
    if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return Invalid("number out of range");
    s.number = static_cast<int64_t>(n);
  } else {
    s.number = number->get<int64_t>();
  }
  if (s.number < 0) return Invalid("number out of range");
  s.expires = SaltExpiry(s.salt);
  if (s.expires < 0) return Invalid("malformed salt");
  return s;
}

Status VerifyAltchaSolution(const std::string& key, const AltchaSolution& s, int64_t now_unix) {
  if (s.algorithm != kAltchaAlgorithm) return Invalid("unsupported algorithm");
  if (SaltExpiry(s.salt) != s.expires || s.expires < 0) return Invalid("malformed salt");
  if (now_unix >= s.expires) return Invalid("expired");
  // Both compares always run, so the time does not tell which one failed.
  bool challenge_ok = ConstantTimeEquals(ChallengeOf(s.salt, s.number), s.challenge);
  bool signature_ok = ConstantTimeEquals(SignatureOf(key, s.challenge), s.signature);
  if (!(challenge_ok & signature_ok)) return Invalid("wrong solution or signature");
  return Status::Ok();
}

}  // namespace optin
