// ALTCHA v1 proof of work (CONTRACT §7, issue 17): making a signed challenge and checking a
// solution, as pure functions of a key and the clock. The challenge is hex(SHA-256(salt +
// decimal(number))) with a secret random number, the signature hex(HMAC-SHA-256(key,
// challenge)); a client proves work by finding the number. Whether a solution was already spent
// is not decided here (storage keeps spent challenges). Stateless; safe for concurrent use.
#pragma once

#include <cstdint>
#include <string>

#include "service/base/status.h"

namespace optin {

constexpr const char* kAltchaAlgorithm = "SHA-256";
// A payload longer than this is refused before decoding (a real one is about 300 bytes).
constexpr size_t kMaxAltchaPayloadBytes = 2048;

struct AltchaChallenge {
  std::string algorithm = kAltchaAlgorithm;
  std::string challenge;  // 64 lower-case hex
  int64_t maxnumber = 0;
  std::string salt;       // hex of >= 12 random bytes + "?expires=<unix seconds>&"
  std::string signature;  // 64 lower-case hex
  int64_t expires = 0;    // unix seconds, also inside salt
};

struct AltchaSolution {
  std::string algorithm;
  std::string challenge;
  int64_t number = 0;
  std::string salt;
  std::string signature;
  int64_t expires = 0;  // parsed from salt
};

// The HMAC key every instance derives alike from OPTIN_SECRET (never the secret itself).
std::string AltchaKey(const std::string& secret);

// A fresh challenge with a CSPRNG salt and number in [0, maxnumber].
// REQUIRES: maxnumber >= 0.
AltchaChallenge MakeAltchaChallenge(const std::string& key, int64_t maxnumber,
                                    int64_t expires_unix);
// The same with a given salt prefix (hex) and number, for tests.
AltchaChallenge MakeAltchaChallenge(const std::string& key, const std::string& salt_hex,
                                    int64_t number, int64_t maxnumber, int64_t expires_unix);

// Decodes the `altcha` field: base64 of a JSON object {algorithm, challenge, number, salt,
// signature}. Errors: InvalidArgument "pow_invalid" for anything malformed (bad base64, not a
// JSON object, a missing or mistyped member, a salt without "?expires=<digits>&"), over
// kMaxAltchaPayloadBytes, or a negative number.
Result<AltchaSolution> ParseAltchaPayload(const std::string& payload);

// Checks a parsed solution: algorithm SHA-256, not expired at `now_unix`, both hashes
// recomputed and compared in constant time. Errors: InvalidArgument "pow_invalid".
Status VerifyAltchaSolution(const std::string& key, const AltchaSolution& solution,
                            int64_t now_unix);

}  // namespace optin
