// What carrying out a verified privacy request can do to the stored data of its address: the
// primitive operations PrivacyStore offers inside the request's transaction. Which request kind
// does what is decided by the use case (CarryOutPrivacyRequest in service/app/privacy_service.h).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "service/domain/privacy_model.h"

namespace optin {

class PrivacyActions {
 public:
  virtual ~PrivacyActions() = default;
  // Deletes everything stored about the address (queues delete_receiver when the sync runs).
  virtual ErasureCounts Erase() = 0;
  // Lifts every suppression of the address; returns how many entries were removed.
  virtual int64_t LiftSuppressions() = 0;
  // Ends the address's subscriptions and suppresses it (per the unsubscribe scope); returns how
  // many subscriptions ended.
  virtual int64_t Unsubscribe() = 0;
  // Restricts the address (Art. 18): its live subscriptions are paused; returns how many.
  virtual int64_t Restrict() = 0;
  // Lifts its restriction; returns how many subscriptions resumed, -1 when it was not restricted.
  virtual int64_t LiftRestriction() = 0;
};

// What an erasure removed, as recorded in a request's outcome.
nlohmann::json ErasureCountsJson(const ErasureCounts& counts);

// What was done, for the store to record.
struct PrivacyDone {
  nlohmann::json outcome;    // stored with the completed request (and its event)
  bool record_event = true;  // false after an erasure: the address no longer exists
  bool export_data = false;  // access: the ticket gets everything stored about the address
  ErasureCounts erasure;     // erasure
  int64_t changed = 0;       // objection: entries lifted; unsubscribe: subscriptions ended;
                             // restriction: paused; lift_restriction: resumed
};

}  // namespace optin
