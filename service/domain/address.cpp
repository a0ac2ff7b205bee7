#include "service/domain/address.h"

#include <idn2.h>

#include <cstddef>
#include <cstring>

#include "service/base/crypto.h"

namespace optin {
namespace {

constexpr size_t kMaxAddress = 254;  // RFC 5321 path limit minus the angle brackets
constexpr size_t kMaxLocal = 64;
constexpr size_t kMaxLabel = 63;
// Raw input is capped before any Unicode work; a UTF-8 domain may be longer in bytes than its
// punycode form, so the real limit is checked only after normalising.
constexpr size_t kMaxRawInput = 4 * kMaxAddress;

Status Invalid(const char* message) { return Status::InvalidArgument("invalid_email", message); }

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::string Trim(const std::string& s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && IsAsciiSpace(s[begin])) ++begin;
  while (end > begin && IsAsciiSpace(s[end - 1])) --end;
  return s.substr(begin, end - begin);
}

// Strict RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    size_t extra = 0;
    unsigned min_second = 0x80, max_second = 0xbf;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      if (c == 0xe0) min_second = 0xa0;  // overlong
      if (c == 0xed) max_second = 0x9f;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      if (c == 0xf0) min_second = 0x90;  // overlong
      if (c == 0xf4) max_second = 0x8f;  // above U+10FFFF
    } else {
      return false;
    }
    if (s.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char next = s[i + k];
      unsigned lo = k == 1 ? min_second : 0x80;
      unsigned hi = k == 1 ? max_second : 0xbf;
      if (next < lo || next > hi) return false;
    }
    i += extra + 1;
  }
  return true;
}

void LowerAscii(std::string* s) {
  for (char& c : *s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// The dot-atom subset every common ESP accepts. UTF-8 local parts (RFC 6531) are rejected: they
// need SMTPUTF8 end to end, which neither our mailer nor CleverReach promises.
Status CheckLocalPart(const std::string& local) {
  if (local.empty()) return Invalid("local part is empty");
  if (!IsAscii(local)) return Invalid("local part must be plain ASCII");
  if (local.find('"') != std::string::npos) return Invalid("quoted local parts are not accepted");
  if (local.size() > kMaxLocal) return Invalid("local part is longer than 64 characters");
  static const char kSpecials[] = "!#$%&'*+/=?^_`{|}~.-";
  for (char c : local) {
    if (!IsAlnum(c) && std::strchr(kSpecials, c) == nullptr) {
      return Invalid("local part contains a character that is not allowed");
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
    return Invalid("local part must not start or end with a dot or contain two dots in a row");
  }
  return Status::Ok();
}

bool Idn2ToAscii(const std::string& domain, std::string* out) {
  char* ascii = nullptr;
  int rc = idn2_to_ascii_8z(domain.c_str(), &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  // As curl does: only a code point that IDNA2008 disallows (e.g. symbols) gets the TR46
  // transitional retry; other failures are real defects that the retry would map away silently.
  if (rc == IDN2_DISALLOWED) {
    idn2_free(ascii);
    ascii = nullptr;
    rc = idn2_to_ascii_8z(domain.c_str(), &ascii, IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
  }
  if (rc == IDN2_OK && ascii != nullptr) out->assign(ascii);
  idn2_free(ascii);
  return rc == IDN2_OK;
}

bool HasALabel(const std::string& domain) {
  return domain.compare(0, 4, "xn--") == 0 || domain.find(".xn--") != std::string::npos;
}

// Turns a UTF-8 or punycode domain into its lower-case punycode form; plain ASCII passes as is.
Status ToAsciiDomain(const std::string& domain, std::string* out) {
  bool ascii_input = IsAscii(domain);
  if (ascii_input && !HasALabel(domain)) {
    *out = domain;
    return Status::Ok();
  }
  static const char kBadIdn[] = "domain is not a valid internationalised domain name";
  if (!Idn2ToAscii(domain, out)) return Invalid(kBadIdn);
  // libidn2 decodes and checks existing xn-- labels only when its whole input is ASCII, so a
  // domain mixing UTF-8 and punycode labels gets a second pass over the result.
  std::string checked;
  if (!ascii_input && (!Idn2ToAscii(*out, &checked) || checked != *out)) return Invalid(kBadIdn);
  return Status::Ok();
}

Status CheckAsciiDomain(const std::string& domain) {
  size_t last_dot = domain.rfind('.');
  if (last_dot == std::string::npos) return Invalid("domain must contain a dot");
  size_t start = 0;
  while (true) {
    size_t dot = domain.find('.', start);
    size_t end = dot == std::string::npos ? domain.size() : dot;
    size_t length = end - start;
    if (length == 0 || length > kMaxLabel) {
      return Invalid("domain label is empty or longer than 63 characters");
    }
    for (size_t i = start; i < end; ++i) {
      if (!IsAlnum(domain[i]) && domain[i] != '-') {
        return Invalid("domain contains a character that is not allowed");
      }
    }
    if (domain[start] == '-' || domain[end - 1] == '-') {
      return Invalid("domain label must not start or end with a hyphen");
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  bool numeric_tld = true;
  for (size_t i = last_dot + 1; i < domain.size(); ++i) {
    numeric_tld = numeric_tld && domain[i] >= '0' && domain[i] <= '9';
  }
  // Also what rejects bare IPv4 addresses such as user@192.168.0.1.
  if (numeric_tld) return Invalid("top-level domain must not be all digits");
  return Status::Ok();
}

// Checks that need no parsing: emptiness, size, and bytes that never belong in an address.
Status CheckRawText(const std::string& text) {
  if (text.empty()) return Invalid("address is empty");
  if (text.size() > kMaxRawInput) return Invalid("address is longer than 254 characters");
  for (unsigned char c : text) {
    if (IsControl(c)) return Invalid("address contains a control character");
  }
  if (text.find(' ') != std::string::npos) return Invalid("address contains a space");
  if (!IsValidUtf8(text)) return Invalid("address is not valid UTF-8");
  return Status::Ok();
}

}  // namespace

Result<std::string> NormalizeAddress(const std::string& input) {
  std::string text = Trim(input);
  Status status = CheckRawText(text);
  if (!status.ok()) return status;
  LowerAscii(&text);

  size_t at = text.find('@');
  if (at == std::string::npos || text.find('@', at + 1) != std::string::npos) {
    return Invalid("address must contain exactly one @");
  }
  std::string local = text.substr(0, at);
  std::string domain = text.substr(at + 1);
  status = CheckLocalPart(local);
  if (!status.ok()) return status;

  if (domain.empty()) return Invalid("domain is empty");
  if (domain.front() == '[') return Invalid("IP-literal domains are not accepted");
  std::string ascii_domain;
  status = ToAsciiDomain(domain, &ascii_domain);
  if (!status.ok()) return status;
  status = CheckAsciiDomain(ascii_domain);
  if (!status.ok()) return status;

  std::string normalized = local + "@" + ascii_domain;
  if (normalized.size() > kMaxAddress) return Invalid("address is longer than 254 characters");
  return normalized;
}

std::string AddressHash(const std::string& normalized) { return Sha256Hex(normalized); }

std::string AddressDomain(const std::string& normalized) {
  size_t at = normalized.find('@');
  return at == std::string::npos ? std::string() : normalized.substr(at + 1);
}

}  // namespace optin
