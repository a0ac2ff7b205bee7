#include "service/domain/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "service/base/crypto.h"

namespace optin {

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempts, double unit) {
  double base = static_cast<double>(std::max<int64_t>(1, policy.base.count()));
  double delay = base * std::pow(2.0, std::clamp(attempts, 0, 40));
  delay = std::min(delay, static_cast<double>(policy.cap.count()));
  delay *= 0.8 + 0.4 * std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds(std::max<int64_t>(1, static_cast<int64_t>(delay)));
}

double RandomUnit() {
  uint32_t r = 0;
  std::string bytes = RandomBytes(sizeof r);
  std::memcpy(&r, bytes.data(), sizeof r);
  return r / 4294967296.0;
}

}  // namespace optin
