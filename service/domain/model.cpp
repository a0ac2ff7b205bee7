#include "service/domain/model.h"

namespace optin {

const char* ChannelName(UnsubscribeChannel channel) {
  switch (channel) {
    case UnsubscribeChannel::kLink:
      return "link";
    case UnsubscribeChannel::kOneClick:
      return "one-click";
    case UnsubscribeChannel::kCleverReach:
      return "cleverreach";
    case UnsubscribeChannel::kAdmin:
      return "admin";
    case UnsubscribeChannel::kPrivacy:
      return "privacy";
  }
  return "link";
}

}  // namespace optin
