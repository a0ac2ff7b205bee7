#include "service/domain/sync_outbox.h"

#include <charconv>

namespace optin {

Result<int64_t> ParseGroupId(const std::string& text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  bool digits_only = !text.empty() && text.size() <= 19 &&
                     text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits_only || ec != std::errc() || ptr != end || value <= 0) {
    return Status::InvalidArgument(
        "invalid_group_id", "CleverReach group id must be a number from 1 to 9223372036854775807");
  }
  return value;
}

}  // namespace optin
