// Shared by the libFuzzer targets: FUZZ_CHECK aborts on a broken invariant (libFuzzer then saves
// the input as a crash), and Fields splits an input at 0x1e (ASCII record separator) so that
// seed files stay writable by hand. Each fuzzer runs single-threaded; nothing here is shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "invariant broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace optin::fuzz {

constexpr char kSeparator = '\x1e';

// Exactly `n` fields: missing ones are empty, the last one takes the rest (separators included).
inline std::vector<std::string> Fields(const std::string& input, size_t n) {
  std::vector<std::string> out;
  size_t start = 0;
  while (out.size() + 1 < n) {
    size_t sep = input.find(kSeparator, start);
    if (sep == std::string::npos) break;
    out.push_back(input.substr(start, sep - start));
    start = sep + 1;
  }
  out.push_back(start <= input.size() ? input.substr(start) : "");
  out.resize(n);
  return out;
}

inline std::string AsString(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

inline bool HasAny(const std::string& s, const std::string& chars) {
  return s.find_first_of(chars) != std::string::npos;
}

}  // namespace optin::fuzz
