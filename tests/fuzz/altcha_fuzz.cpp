// ALTCHA payloads (the `altcha` field, issue 17): ParseAltchaPayload never crashes and accepts
// only a salt of the shape "<hex>?expires=<digits>&" and a non-negative number; a parsed
// solution verifies only when SHA-256(salt + number) is its challenge and the signature is the
// key's; a payload made from the input's own challenge verifies, and fails under another key.
#include "service/base/crypto.h"
#include "service/domain/altcha.h"
#include "tests/fuzz/fuzz_util.h"

using namespace optin;
using namespace optin::fuzz;

namespace {
const std::string kKey = AltchaKey("fuzz-secret-0123456789-0123456789-abcdef");
constexpr int64_t kNow = 1'800'000'000;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input = AsString(data, size);
  auto parsed = ParseAltchaPayload(input);
  if (parsed.ok()) {
    FUZZ_CHECK(input.size() <= kMaxAltchaPayloadBytes);
    FUZZ_CHECK(parsed->number >= 0);
    FUZZ_CHECK(parsed->expires >= 0);
    FUZZ_CHECK(!parsed->salt.empty() && parsed->salt.back() == '&');
    if (VerifyAltchaSolution(kKey, *parsed, kNow).ok()) {
      FUZZ_CHECK(parsed->expires > kNow);
      FUZZ_CHECK(Sha256Hex(parsed->salt + std::to_string(parsed->number)) == parsed->challenge);
      FUZZ_CHECK(HexEncode(HmacSha256(kKey, parsed->challenge)) == parsed->signature);
    }
  } else {
    FUZZ_CHECK(parsed.status().error() == "pow_invalid");
  }

  // A genuine solution whose salt and number come from the input.
  if (size < 4) return 0;
  int64_t number = (data[0] << 8) | data[1];
  std::string salt_hex = HexEncode(input.substr(2, 12));
  if (salt_hex.size() < 24) salt_hex.append(24 - salt_hex.size(), '0');
  auto c = MakeAltchaChallenge(kKey, salt_hex, number, 70000, kNow + data[2] + 1);
  std::string payload = Base64Encode("{\"algorithm\":\"SHA-256\",\"challenge\":\"" + c.challenge +
                                     "\",\"number\":" + std::to_string(number) + ",\"salt\":\"" +
                                     c.salt + "\",\"signature\":\"" + c.signature + "\"}");
  auto good = ParseAltchaPayload(payload);
  FUZZ_CHECK(good.ok());
  FUZZ_CHECK(VerifyAltchaSolution(kKey, *good, kNow).ok());
  FUZZ_CHECK(!VerifyAltchaSolution(kKey, *good, kNow + data[2] + 1).ok());
  FUZZ_CHECK(!VerifyAltchaSolution(kKey + "x", *good, kNow).ok());
  AltchaSolution other = *good;
  other.number = number + 1 + data[3];
  FUZZ_CHECK(!VerifyAltchaSolution(kKey, other, kNow).ok());
  return 0;
}
