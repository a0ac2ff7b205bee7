// The access export (Art. 15 and 20): everything stored about an address as one JSON document,
// and the same document as CSV in one fixed layout (README "Access export as CSV"). Stateless.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "service/app/subscription_service.h"
#include "storage/privacy_store.h"

namespace optin::http {

// The export of a carried-out access request: the admin look-up's shape plus privacy_requests.
nlohmann::json ExportJson(const PrivacyTicket& ticket, const SubscriptionService& subscriptions);

// The export document as CSV: a header `section,item,field,value`, then one record per value.
// The document's top-level scalars are section `subscriber`, item 1; each top-level array
// (subscriptions, consent_events, suppressions, privacy_requests, in that order) is its own
// section with item = 1-based position; `field` is the key, nested keys joined by "." and nested
// array positions as ".N"; null is an empty value, booleans true/false.
std::string ExportCsv(const nlohmann::json& doc);

}  // namespace optin::http
