// The address tag in logs: keyed with the deployment's secret, so a reader of the log cannot test
// a guessed address against it, yet stable within one deployment.
#include "service/base/log.h"

#include <catch2/catch.hpp>

#include "service/base/crypto.h"

namespace optin {
namespace {

const char kSecretA[] = "0123456789abcdef0123456789abcdef-a";
const char kSecretB[] = "0123456789abcdef0123456789abcdef-b";

}  // namespace

TEST_CASE("address tags are keyed, stable for one secret and differ across secrets", "[log]") {
  const std::string address = "alice@example.com";
  SetAddressTagSecret(kSecretA);
  std::string a1 = AddressTag(address);
  std::string a2 = AddressTag(address);
  CHECK(a1 == a2);
  CHECK(a1.size() == 12);
  CHECK(a1.find_first_not_of("0123456789abcdef") == std::string::npos);
  // Not the unsalted SHA-256 prefix a reader of the log could compute from a guess.
  CHECK(a1 != Sha256Hex(address).substr(0, 12));
  // Nor an HMAC keyed with the raw secret (the key is derived with its own label).
  CHECK(a1 != HexEncode(HmacSha256(kSecretA, address)).substr(0, 12));
  CHECK(AddressTag("bob@example.com") != a1);

  SetAddressTagSecret(kSecretB);
  std::string b = AddressTag(address);
  CHECK(b != a1);
  CHECK(b.size() == 12);

  SetAddressTagSecret(kSecretA);
  CHECK(AddressTag(address) == a1);  // the same secret gives the same tag again
  SetAddressTagSecret("");
}

}  // namespace optin
