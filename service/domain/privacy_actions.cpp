#include "service/domain/privacy_actions.h"

namespace optin {

nlohmann::json ErasureCountsJson(const ErasureCounts& c) {
  return {{"subscriptions", c.subscriptions},
          {"consent_events", c.consent_events},
          {"queued_mails", c.queued_mails},
          {"subscriber_deleted", c.subscriber_deleted},
          {"sync_rows_replaced", c.sync_rows_replaced},
          {"cleverreach_notified", c.cleverreach_notified}};
}

}  // namespace optin
