// The one place where an address is unsubscribed and suppressed inside a caller's transaction:
// used by unsubscribe links, admin suppressions, CleverReach pulls and privacy requests alike, so
// the rules (events, profile deletion, CleverReach outbox rows) cannot drift apart. Internal to
// storage/.
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "service/base/status.h"

namespace optin {

struct SuppressArgs {
  int64_t subscriber_id = 0;  // 0 = the address has no subscriber row
  std::string email;          // normalised
  std::string email_hash;
  int64_t list_id = 0;  // 0 = global suppression (every list)
  std::string channel;  // link, one-click, cleverreach, admin, privacy
  std::string reason;
};

struct SuppressResult {
  int ended_subscriptions = 0;
  bool new_suppression = false;
};

// Ends the subscriptions in scope, writes the suppression entry (a global one also goes to
// CleverReach's blacklist), records the events and drops profile data when nothing is active.
SuppressResult UnsubscribeAndSuppress(pqxx::work& txn, const SuppressArgs& args);

// The same for a normalised address that may or may not have a subscriber row.
SuppressResult SuppressAddressInTxn(pqxx::work& txn, const std::string& email, int64_t list_id,
                                    const std::string& channel, const std::string& reason);

// Lifts every suppression of a normalised address (objection or admin), records the event and
// queues the removal from CleverReach's blacklist when a global entry went. Returns how many
// entries were removed.
int LiftSuppressionsInTxn(pqxx::work& txn, const std::string& email, const std::string& channel);

}  // namespace optin
