// Cryptographic primitives over OpenSSL: SHA-256, HMAC-SHA256, CSPRNG bytes, base64url and
// constant-time comparison. Stateless; safe for concurrent use.
#pragma once

#include <string>

namespace optin {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(const std::string& data);
// Raw 32-byte SHA-256.
std::string Sha256(const std::string& data);
// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(const std::string& key, const std::string& data);
// `n` bytes from OpenSSL's CSPRNG. Aborts the process if the CSPRNG fails (never weak bytes).
std::string RandomBytes(size_t n);
// URL-safe base64 without padding (RFC 4648 §5).
std::string Base64UrlEncode(const std::string& data);
// Decodes URL-safe base64 without padding; false on any invalid character or length.
bool Base64UrlDecode(const std::string& text, std::string* out);
// Standard base64 with padding (for MIME).
std::string Base64Encode(const std::string& data);
// Compares in time that depends only on the lengths, never on the contents.
bool ConstantTimeEquals(const std::string& a, const std::string& b);
// Lower-case hex of raw bytes.
std::string HexEncode(const std::string& bytes);

}  // namespace optin
