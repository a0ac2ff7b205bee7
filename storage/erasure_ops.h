// Erasure (GDPR Art. 17) inside a caller's transaction: the one code path behind a verified
// privacy request and DELETE /admin/subscribers. Afterwards the plain address is in no table
// except, when CleverReach is on, one delete_receiver outbox row until the sync delivers it.
// Internal to storage/.
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "service/domain/privacy_model.h"

namespace optin {

// Deletes the subscriber, its subscriptions (with tokens), the consent ledger of the address
// (by subscriber and by hash), queued mails and CleverReach outbox rows; strips the address from
// suppression entries and privacy requests and makes sure a global hash-only suppression exists.
// With `notify_cleverreach` the dropped outbox rows are replaced by one delete_receiver row.
// Leaves one hash-only 'erased' event (channel `channel`: privacy or admin).
ErasureCounts EraseInTxn(pqxx::work& txn, const std::string& email, bool notify_cleverreach,
                         const std::string& channel = "privacy");

}  // namespace optin
