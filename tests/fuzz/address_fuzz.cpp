// NormalizeAddress: whatever the input, a normalised address is idempotent, short, lower-case
// ASCII with exactly one '@' and nothing a header or SQL log could trip over; surrounding
// whitespace and ASCII case never change the outcome.
#include "service/domain/address.h"
#include "tests/fuzz/fuzz_util.h"

using namespace optin;
using namespace optin::fuzz;

namespace {

std::string UpperAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input = AsString(data, size);
  auto normalized = NormalizeAddress(input);
  auto variant = NormalizeAddress(" \t" + UpperAscii(input) + "\r\n");
  FUZZ_CHECK(variant.ok() == normalized.ok());
  if (!normalized.ok()) {
    FUZZ_CHECK(normalized.status().code() == StatusCode::kInvalidArgument);
    FUZZ_CHECK(normalized.status().error() == "invalid_email");
    // A fixed sentence, never an echo of the input (which may hold control bytes or UTF-8).
    const std::string& message = normalized.status().message();
    FUZZ_CHECK(!message.empty() && message.size() <= 100);
    for (unsigned char c : message) FUZZ_CHECK(c >= 0x20 && c < 0x7f);
    return 0;
  }
  const std::string& a = *normalized;
  FUZZ_CHECK(*variant == a);
  FUZZ_CHECK(!a.empty() && a.size() <= 254);
  for (unsigned char c : a) {
    FUZZ_CHECK(c > 0x20 && c < 0x7f);  // no CR, LF, NUL, space, control or non-ASCII byte
    FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
  }
  size_t at = a.find('@');
  FUZZ_CHECK(at != std::string::npos && at > 0 && at <= 64 &&
             a.find('@', at + 1) == std::string::npos);
  std::string domain = a.substr(at + 1);
  FUZZ_CHECK(AddressDomain(a) == domain);
  FUZZ_CHECK(domain.find('.') != std::string::npos && domain.front() != '.' &&
             domain.back() != '.');
  FUZZ_CHECK(!HasAny(a, "\"()<>,;:\\[]"));
  std::string hash = AddressHash(a);
  FUZZ_CHECK(hash.size() == 64 && hash.find_first_not_of("0123456789abcdef") == std::string::npos);

  auto again = NormalizeAddress(a);
  FUZZ_CHECK(again.ok() && *again == a);
  return 0;
}
