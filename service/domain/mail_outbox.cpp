#include "service/domain/mail_outbox.h"

namespace optin {

std::chrono::milliseconds MailRetryDelay(const MailRetryPolicy& policy, int attempts, double unit) {
  return RetryDelay(RetryPolicy{policy.base, policy.cap}, attempts, unit);
}

MailFailure DecideMailFailure(const MailRetryPolicy& policy, int attempts, const Status& result,
                              double unit) {
  bool permanent = result.code() == StatusCode::kInvalidArgument;
  return MailFailure{permanent && attempts + 1 >= policy.permanent_attempts,
                     MailRetryDelay(policy, attempts, unit)};
}

}  // namespace optin
