// SubscriberStore: everything stored about one address, read in one snapshot (admin lookup and
// the access export). Safe for concurrent use.
#pragma once

#include <string>
#include <vector>

#include "service/base/status.h"
#include "service/domain/model.h"

namespace optin {

class ConnectionPool;

struct SubscriptionRecord {
  int64_t id = 0;
  std::string list;
  std::string status;
  std::string language;
  std::string source;
  std::string signed_up_at;
  std::string confirmed_at;     // "" = not confirmed
  std::string unsubscribed_at;  // "" = not unsubscribed
};

struct ConsentEventRecord {
  int64_t id = 0;
  std::string kind;
  std::string occurred_at;
  std::string list;
  std::string ip;
  std::string user_agent;
  std::string page_url;
  std::string consent_text_sha256;
  std::string consent_text;  // the words behind the hash, when known
  std::string channel;
  std::string message_id;
  std::string mail_sha256;
  std::string detail_json;
};

struct SubscriberRecord {
  bool exists = false;  // a subscriber row exists
  std::string email;
  std::string email_hash;
  std::string name;
  std::string created_at;
  std::vector<SubscriptionRecord> subscriptions;
  std::vector<ConsentEventRecord> events;
  std::vector<SuppressionEntry> suppressions;

  bool known() const { return exists || !events.empty() || !suppressions.empty(); }
};

class SubscriberStore {
 public:
  explicit SubscriberStore(ConnectionPool& pool) : pool_(pool) {}

  // Everything about a normalised address (known() is false when nothing is stored).
  Result<SubscriberRecord> Describe(const std::string& email);

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
