// The JSON shape of everything stored about an address: the admin look-up and the data-access
// export (Art. 15/20) share it, so both always show the same facts.
#pragma once

#include <nlohmann/json.hpp>

#include "service/app/subscription_service.h"
#include "storage/subscriber_store.h"

namespace optin::http {

nlohmann::json SubscriberJson(const SubscriberRecord& record,
                              const SubscriptionService& subscriptions);

}  // namespace optin::http
