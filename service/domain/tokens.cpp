#include "service/domain/tokens.h"

#include "service/base/crypto.h"

namespace optin {
namespace {

constexpr size_t kRandomBytes = 24;
constexpr size_t kRandomTokenChars = 32;  // base64url of 24 bytes, no padding needed
constexpr char kUnsubscribeKind = 'U';
constexpr size_t kIdBytes = 8;
constexpr size_t kMacBytes = 16;  // truncated HMAC-SHA256: 128 bits is ample for a link
constexpr size_t kUnsubscribeBytes = 1 + kIdBytes + kMacBytes;
constexpr size_t kUnsubscribeChars = (kUnsubscribeBytes * 8 + 5) / 6;  // unpadded base64url
constexpr size_t kMinSecret = 32;
// The domain label keeps these MACs apart from any other HMAC made with OPTIN_SECRET.
constexpr char kUnsubscribeLabel[] = "optin/unsubscribe/v1";

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string EncodeId(int64_t id) {
  auto value = static_cast<uint64_t>(id);
  std::string bytes(kIdBytes, '\0');
  for (size_t i = 0; i < kIdBytes; ++i) {
    bytes[kIdBytes - 1 - i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return bytes;
}

int64_t DecodeId(const std::string& bytes) {
  uint64_t value = 0;
  for (unsigned char c : bytes) value = (value << 8) | c;
  return static_cast<int64_t>(value);
}

// `body` is the kind byte followed by the id bytes.
std::string UnsubscribeMac(const std::string& secret, const std::string& body) {
  std::string message(kUnsubscribeLabel);
  message.push_back('\0');
  message += body;
  return HmacSha256(secret, message).substr(0, kMacBytes);
}

}  // namespace

RandomToken NewRandomToken() {
  RandomToken t;
  t.token = Base64UrlEncode(RandomBytes(kRandomBytes));
  t.hash = Sha256Hex(t.token);
  return t;
}

std::string RandomTokenHash(const std::string& presented) {
  if (presented.size() != kRandomTokenChars) return "";
  for (char c : presented) {
    if (!IsBase64UrlChar(c)) return "";
  }
  return Sha256Hex(presented);
}

std::string MakeUnsubscribeToken(const std::string& secret, int64_t subscription_id) {
  std::string body(1, kUnsubscribeKind);
  body += EncodeId(subscription_id);
  return Base64UrlEncode(body + UnsubscribeMac(secret, body));
}

std::optional<int64_t> VerifyUnsubscribeToken(const std::string& secret, const std::string& token) {
  // A short secret breaks Make's precondition; refusing here keeps a misconfigured process from
  // accepting tokens anyone could forge.
  if (secret.size() < kMinSecret) return std::nullopt;
  if (token.size() != kUnsubscribeChars) return std::nullopt;
  std::string raw;
  if (!Base64UrlDecode(token, &raw) || raw.size() != kUnsubscribeBytes) return std::nullopt;
  if (raw[0] != kUnsubscribeKind) return std::nullopt;
  std::string body = raw.substr(0, 1 + kIdBytes);
  if (!ConstantTimeEquals(UnsubscribeMac(secret, body), raw.substr(1 + kIdBytes))) {
    return std::nullopt;
  }
  return DecodeId(raw.substr(1, kIdBytes));
}

}  // namespace optin
