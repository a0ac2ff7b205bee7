#include "storage/mail_outbox_store.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "service/base/crypto.h"
#include "service/base/log.h"
#include "service/domain/mail_redaction.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {

const QueryName kClaimDueMail("claim-due-mail");
const QueryName kMarkMailSent("mark-mail-sent");
const QueryName kMarkMailFailed("mark-mail-failed");
const QueryName kCountMailOutbox("count-mail-outbox");

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t p = text.find(sep); p != std::string::npos; p = text.find(sep, start)) {
    out.push_back(text.substr(start, p - start));
    start = p + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

}  // namespace

MailOutboxStore::MailOutboxStore(ConnectionPool& pool, MailRetryPolicy policy)
    : pool_(pool), policy_(policy) {}

Result<Delivery> MailOutboxStore::DeliverNext(const SendFn& send) {
  Delivery delivery;
  // RunTransaction may run the function again (lost connection before commit, deadlock). The mail
  // was sent by then: remember the outcome so that a re-claimed row is settled, not re-sent. A
  // successful send is also remembered across calls (sent_unsettled_) until its outcome commits:
  // the database may be gone for longer than RunTransaction retries.
  std::optional<std::pair<int64_t, Status>> sent;
  int64_t claimed = 0;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) -> Status {
    delivery = Delivery{};
    pqxx::result rows = txn.exec_prepared(kClaimDueMail);
    if (rows.empty()) return Status::Ok();
    const pqxx::row& row = rows[0];
    OutboxMail mail;
    mail.id = row["id"].as<int64_t>();
    mail.kind = row["kind"].as<std::string>();
    mail.recipient = row["recipient"].as<std::string>();
    mail.message_id = row["message_id"].as<std::string>();
    mail.message = row["message"].as<std::string>();
    mail.attempts = row["attempts"].as<int>();
    delivery.kind = mail.kind;
    delivery.address_tag = AddressTag(mail.recipient);
    delivery.message_id = mail.message_id;
    if (row["blocked"].as<bool>()) {
      delivery.outcome = DeliveryOutcome::kDroppedSuppressed;  // deleted by the claim itself
      return Status::Ok();
    }
    claimed = mail.id;
    if (SentUnsettled(mail.id)) {
      sent.emplace(mail.id, Status::Ok());
    } else if (!sent || sent->first != mail.id) {
      sent.emplace(mail.id, send(mail));
      if (sent->second.ok()) RememberSent(mail.id);
    }
    const Status& result = sent->second;
    if (result.ok()) {
      // The dossier's copy of a confirmation mail: its token redacted, and that form's hash.
      std::optional<std::string> redacted;
      if (mail.kind == "confirmation" && !row["token_hashes"].is_null())
        redacted = RedactConfirmationToken(mail.message, Split(row["token_hashes"].c_str(), ','));
      std::string redacted_sha256 = redacted ? Sha256Hex(*redacted) : "";
      txn.exec_prepared(kMarkMailSent, mail.id, Sha256Hex(mail.message),
                        redacted ? redacted->c_str() : nullptr,
                        redacted ? redacted_sha256.c_str() : nullptr);
      delivery.outcome = DeliveryOutcome::kSent;
      return Status::Ok();
    }
    MailFailure failure = DecideMailFailure(policy_, mail.attempts, result, RandomUnit());
    bool dead = failure.dead;
    delivery.retry_in = failure.retry_in;
    delivery.error = result;
    delivery.outcome = dead ? DeliveryOutcome::kDead : DeliveryOutcome::kRetryLater;
    txn.exec_prepared(kMarkMailFailed, mail.id, result.message().substr(0, 500),
                      static_cast<double>(delivery.retry_in.count()), dead);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (claimed != 0) Settled(claimed);
  return delivery;
}

bool MailOutboxStore::SentUnsettled(int64_t id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return sent_unsettled_.count(id) > 0;
}

void MailOutboxStore::RememberSent(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  // Rows whose commit succeeded although it was reported lost stay here; keep the set small.
  if (sent_unsettled_.size() >= 1000) sent_unsettled_.erase(sent_unsettled_.begin());
  sent_unsettled_.insert(id);
}

void MailOutboxStore::Settled(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  sent_unsettled_.erase(id);
}

Result<MailOutboxStore::Depth> MailOutboxStore::CountOutbox() {
  Depth depth;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    pqxx::row row = txn.exec_prepared1(kCountMailOutbox);
    depth.waiting = row["waiting"].as<int64_t>();
    depth.dead = row["dead"].as<int64_t>();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return depth;
}

}  // namespace optin
