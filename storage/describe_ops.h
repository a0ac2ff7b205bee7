// Reading everything stored about one address inside a caller's transaction: shared by the admin
// look-up and the access export so both show the same facts. Internal to storage/.
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "storage/subscriber_store.h"

namespace optin {

// Subscriber row, subscriptions, consent events and suppression entries of a normalised address.
SubscriberRecord DescribeInTxn(pqxx::work& txn, const std::string& email);

}  // namespace optin
