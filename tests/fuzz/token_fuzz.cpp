// Tokens: RandomTokenHash accepts exactly 32 base64url characters; an unsubscribe token verifies
// only as the very string MakeUnsubscribeToken made (any changed, cut or extended token, or
// another secret, fails); base64url decoding is canonical (decode then encode gives the input).
#include "service/base/crypto.h"
#include "service/domain/tokens.h"
#include "tests/fuzz/fuzz_util.h"

using namespace optin;
using namespace optin::fuzz;

namespace {

const std::string kSecret = "fuzz-secret-0123456789-0123456789-abcdef";

bool IsBase64Url(const std::string& s) {
  return s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
         std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input = AsString(data, size);

  std::string hash = RandomTokenHash(input);
  FUZZ_CHECK(hash.empty() == (input.size() != 32 || !IsBase64Url(input)));
  if (!hash.empty()) FUZZ_CHECK(hash == Sha256Hex(input));

  if (auto id = VerifyUnsubscribeToken(kSecret, input)) {
    FUZZ_CHECK(MakeUnsubscribeToken(kSecret, *id) == input);
  }
  FUZZ_CHECK(!VerifyUnsubscribeToken(input.substr(0, 31), MakeUnsubscribeToken(kSecret, 1)));

  std::string raw;
  if (Base64UrlDecode(input, &raw)) FUZZ_CHECK(Base64UrlEncode(raw) == input);

  // A real token, then tampered with as the input says.
  if (size < 10) return 0;
  int64_t id = 0;
  for (size_t i = 0; i < 8; ++i)
    id = static_cast<int64_t>((static_cast<uint64_t>(id) << 8) | data[i]);
  std::string token = MakeUnsubscribeToken(kSecret, id);
  auto verified = VerifyUnsubscribeToken(kSecret, token);
  FUZZ_CHECK(verified && *verified == id);
  FUZZ_CHECK(!VerifyUnsubscribeToken(kSecret + "x", token));
  std::string tampered = token;
  size_t pos = data[8] % (token.size() + 2);
  std::string rest = input.substr(9);
  if (pos < token.size()) {
    if (rest.empty())
      tampered.erase(pos, 1);  // cut
    else
      tampered[pos] = rest[0];  // change one character
  } else if (pos == token.size()) {
    tampered += rest;
  } else {
    tampered = rest + tampered;
  }
  if (tampered != token) FUZZ_CHECK(!VerifyUnsubscribeToken(kSecret, tampered));
  return 0;
}
