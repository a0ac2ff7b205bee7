#include "service/http/chunked_guard.h"

#include <algorithm>

#include "service/base/text.h"

namespace optin::http {

// Legitimate clients send chunks of kilobytes; framing beyond 1/16 of the body cap means tiny
// chunks or padded extensions, which only cost the server time.
ChunkedGuard::ChunkedGuard(size_t max_body)
    : max_body_(max_body), framing_budget_(std::max(kMinFramingBudget, max_body / 16)) {}

ChunkedGuard::Verdict ChunkedGuard::Feed(const char* data, size_t n) {
  size_t i = 0;
  while (i < n && verdict_ == Verdict::kMore) {
    if (state_ == State::kData) {
      size_t take = std::min(chunk_, n - i);
      chunk_ -= take;
      i += take;
      if (chunk_ == 0) state_ = State::kDataCr;
      continue;
    }
    verdict_ = Step(data[i++]);
  }
  return verdict_;
}

ChunkedGuard::Verdict ChunkedGuard::Step(char c) {
  if (++framing_ > framing_budget_) return Verdict::kBadFraming;
  switch (state_) {
    case State::kSize: {
      int v = HexDigitValue(c);
      if (v >= 0) {
        // A size that cannot fit the rest of the cap is refused before any of its data is read.
        if (++digits_ > 16) return Verdict::kTooLarge;
        chunk_ = chunk_ * 16 + static_cast<size_t>(v);
        if (chunk_ > max_body_ - body_) return Verdict::kTooLarge;
        return Verdict::kMore;
      }
      if (digits_ == 0) return Verdict::kBadFraming;
      if (c == ';' || c == ' ' || c == '\t') {
        state_ = State::kExtension;
        extension_ = 0;
        return Verdict::kMore;
      }
      if (c == '\r') {
        state_ = State::kSizeLf;
        return Verdict::kMore;
      }
      return Verdict::kBadFraming;
    }
    case State::kExtension:
      if (c == '\r') {
        state_ = State::kSizeLf;
        return Verdict::kMore;
      }
      // Visible characters, space and tab only (token, quoted-string, BWS); no bare LF.
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
        return Verdict::kBadFraming;
      return ++extension_ > kMaxExtensionBytes ? Verdict::kBadFraming : Verdict::kMore;
    case State::kSizeLf:
      if (c != '\n') return Verdict::kBadFraming;
      digits_ = 0;
      if (chunk_ == 0) {
        state_ = State::kTrailerCr;
      } else {
        body_ += chunk_;
        state_ = State::kData;
      }
      return Verdict::kMore;
    case State::kDataCr:
      if (c != '\r') return Verdict::kBadFraming;
      state_ = State::kDataLf;
      return Verdict::kMore;
    case State::kDataLf:
      if (c != '\n') return Verdict::kBadFraming;
      state_ = State::kSize;
      return Verdict::kMore;
    case State::kTrailerCr:
      // httplib cannot read trailer fields; none are accepted.
      if (c != '\r') return Verdict::kBadFraming;
      state_ = State::kTrailerLf;
      return Verdict::kMore;
    case State::kTrailerLf:
      return c == '\n' ? Verdict::kDone : Verdict::kBadFraming;
    case State::kData:
      break;
  }
  return Verdict::kBadFraming;
}

}  // namespace optin::http
