// A client of ALTCHA v1 written from the spec in issue 17, independent of optin's code (its own
// SHA-256 and base64 over OpenSSL): solves a challenge JSON and builds the `altcha` payload, as
// the official widget does. For tests and the bench's load generator. Stateless.
#pragma once

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace optin::test {

inline std::string AltchaSha256Hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

inline std::string AltchaBase64(const std::string& data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// The number n in [0, maxnumber] with SHA-256(salt + n) == challenge, or -1.
inline int64_t AltchaSolve(const nlohmann::json& challenge) {
  const std::string salt = challenge.at("salt").get<std::string>();
  const std::string target = challenge.at("challenge").get<std::string>();
  const int64_t max = challenge.at("maxnumber").get<int64_t>();
  for (int64_t n = 0; n <= max; ++n) {
    if (AltchaSha256Hex(salt + std::to_string(n)) == target) return n;
  }
  return -1;
}

// base64(JSON{algorithm, challenge, number, salt, signature}).
inline std::string AltchaPayloadFor(const nlohmann::json& challenge, int64_t number) {
  nlohmann::json doc = {{"algorithm", challenge.at("algorithm")},
                        {"challenge", challenge.at("challenge")},
                        {"number", number},
                        {"salt", challenge.at("salt")},
                        {"signature", challenge.at("signature")}};
  return AltchaBase64(doc.dump());
}

inline std::string AltchaSolvedPayload(const nlohmann::json& challenge) {
  return AltchaPayloadFor(challenge, AltchaSolve(challenge));
}

}  // namespace optin::test
