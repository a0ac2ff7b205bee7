// The consent dossier of one address (issue 15, GET /admin/proof): everything needed to prove
// (or to show the lawful end of) its consents, as read in one snapshot. Times come as ISO 8601 in
// UTC ("...Z") and in Europe/Berlin ("...+01:00"). Plain data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace optin {

struct DossierTime {
  std::string utc;     // "2026-12-04T02:35:00Z"; empty = none
  std::string berlin;  // "2026-12-04T03:35:00+01:00"
};

struct DossierEvent {
  int64_t id = 0;
  std::string kind;
  DossierTime at;
  int64_t subscription_id = 0;  // 0 = not tied to a subscription
  std::string list;
  std::string ip, user_agent, page_url, channel, actor;
  std::string consent_text_sha256, consent_text;  // the words behind the hash, when known
  std::string message_id, mail_sha256;
  std::string mail_redacted, mail_redacted_sha256;  // the confirmation mail, its token redacted
  std::string detail_json;
  std::string sha256, prev_sha256;
};

struct DossierStatusChange {
  DossierTime at;
  std::string status;  // pending, confirmed, unsubscribed
  int64_t event_id = 0;
};

struct DossierSync {
  std::string state;   // no_group, sync_off, pending, dead_letter, synced
  std::string detail;  // pending or dead: action, attempts, last error
};

struct DossierSubscription {
  int64_t id = 0;
  std::string list, list_name, status, language, source;
  DossierTime signed_up, confirmed, unsubscribed;
  std::vector<DossierStatusChange> history;  // from the ledger, oldest first
  DossierSync sync;
};

struct DossierSuppression {
  std::string scope;  // "global" or a list slug
  std::string reason, source;
  DossierTime since;
  bool hash_only = false;  // the address itself is no longer stored
};

struct DossierLedger {
  bool ok = true;
  int64_t events = 0;
  std::string broken_reason;  // altered, broken_link, unexplained_removal
  int64_t broken_event_id = 0;
};

struct Dossier {
  bool subscriber = false;  // a subscriber row holds the address
  bool erased = false;      // no address stored, an erasure event is: only hash-only facts
  std::string email;        // empty when erased
  std::string email_hash;
  DossierTime created, generated;
  std::vector<DossierSubscription> subscriptions;
  std::vector<DossierEvent> events;
  std::vector<DossierSuppression> suppressions;
  std::string blocked_domain;  // a domain block matching the address, or ""
  bool sync_enabled = false;
  DossierTime sync_last_success;
  DossierLedger ledger;

  bool known() const { return subscriber || !events.empty() || !suppressions.empty(); }
};

// The subscription status an event of `kind` leads to, or "" when it changes none.
std::string StatusAfterEvent(const std::string& kind);

}  // namespace optin
