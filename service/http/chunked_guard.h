// ChunkedGuard: checks a request body's chunked framing (RFC 9112 §7.1) strictly, on the bytes
// as they are read from the socket and before cpp-httplib decodes them. httplib 0.11.4 parses
// chunk sizes with strtoul (accepting "0x", signs, spaces), ends the body early when a chunk is
// not followed by CRLF (the rest then reads as a next request), and has no size cap at all.
// One per request; not thread-safe.
#pragma once

#include <cstddef>

namespace optin::http {

class ChunkedGuard {
 public:
  enum class Verdict { kMore, kDone, kBadFraming, kTooLarge };

  // `max_body`: the most decoded body bytes accepted.
  explicit ChunkedGuard(size_t max_body);

  // Feeds the next `n` body bytes. Once kDone, kBadFraming or kTooLarge, the verdict stays.
  Verdict Feed(const char* data, size_t n);
  Verdict verdict() const { return verdict_; }

  // Bytes of one chunk-size line's extension, and of all framing (size lines, CRLFs) together.
  static constexpr size_t kMaxExtensionBytes = 256;
  static constexpr size_t kMinFramingBudget = 4096;

 private:
  enum class State { kSize, kExtension, kSizeLf, kData, kDataCr, kDataLf, kTrailerCr, kTrailerLf };
  Verdict Step(char c);

  size_t max_body_;
  size_t framing_budget_;
  size_t body_ = 0;
  size_t framing_ = 0;
  size_t chunk_ = 0;  // remaining bytes of the chunk being read, or the size being parsed
  size_t digits_ = 0;
  size_t extension_ = 0;
  State state_ = State::kSize;
  Verdict verdict_ = Verdict::kMore;
};

}  // namespace optin::http
