#include "service/app/privacy_service.h"

#include "service/base/log.h"
#include "service/domain/address.h"
#include "service/domain/links.h"
#include "service/domain/tokens.h"
#include "service/pages/mail_compose.h"
#include "service/pages/mails.h"

namespace optin {
namespace {

Status InvalidToken() {
  return Status::NotFound("invalid_token", "this privacy link is not valid");
}
Status UsedToken() {
  return Status::Gone(
      "expired", "this privacy link was already used or has expired; please make a new request");
}

Result<PrivacyTicket> ToResult(Result<PrivacyTicket> ticket) {
  if (!ticket.ok()) return ticket;
  if (ticket->state == PrivacyTicket::State::kNotFound) return InvalidToken();
  if (ticket->state == PrivacyTicket::State::kGone) return UsedToken();
  return ticket;
}

}  // namespace

PrivacyDone CarryOutPrivacyRequest(PrivacyRequestType type, PrivacyActions& actions) {
  PrivacyDone done;
  done.outcome = {{"type", PrivacyTypeName(type)}};
  switch (type) {
    case PrivacyRequestType::kAccess:
      done.export_data = true;
      break;
    case PrivacyRequestType::kErasure:
      done.erasure = actions.Erase();
      done.outcome["erased"] = ErasureCountsJson(done.erasure);
      done.record_event = false;  // the address no longer exists: the request row is the record
      break;
    case PrivacyRequestType::kObjection:
      done.changed = actions.LiftSuppressions();
      done.outcome["suppressions_lifted"] = done.changed;
      break;
    case PrivacyRequestType::kUnsubscribe:
      done.changed = actions.Unsubscribe();
      done.outcome["subscriptions_ended"] = done.changed;
      break;
    case PrivacyRequestType::kRestriction:
      done.changed = actions.Restrict();
      done.outcome["subscriptions_restricted"] = done.changed;
      break;
    case PrivacyRequestType::kLiftRestriction:
      done.changed = actions.LiftRestriction();
      done.outcome["was_restricted"] = done.changed >= 0;
      done.outcome["subscriptions_resumed"] = done.changed < 0 ? 0 : done.changed;
      break;
  }
  return done;
}

Result<PrivacyRequestResult> PrivacyService::Request(const PrivacyRequestInput& in) {
  auto email = NormalizeAddress(in.email);
  if (!email.ok()) return email.status();
  auto type = ParsePrivacyType(in.type);
  if (!type)
    return Status::InvalidArgument("invalid_request",
                                   "type must be access, erasure, objection, unsubscribe, "
                                   "restriction or lift_restriction");
  auto format = ParseExportFormat(in.format);
  if (!format) return Status::InvalidArgument("invalid_request", "format must be json or csv");
  auto result = store_.Request(
      *email, *type, in.language, *format,
      [&](const std::string& language) { return RenderVerificationMail(*email, *type, language); });
  if (result.ok()) {
    static const char* kNames[] = {"mail_queued", "unknown_address", "throttled"};
    LogInfo("privacy_request", {{"address", AddressTag(*email)},
                                {"type", PrivacyTypeName(*type)},
                                {"outcome", kNames[static_cast<int>(*result)]}});
  }
  return result;
}

Result<PendingMail> PrivacyService::RenderVerificationMail(const std::string& email,
                                                           PrivacyRequestType type,
                                                           const std::string& language) const {
  RandomToken token = NewRandomToken();
  MailText text = PrivacyVerificationMail(ParseLanguage(language), PrivacyTypeName(type),
                                          PrivacyConfirmUrl(config_, token.token));
  return ComposeTokenMail(config_, "", email, language, text, token,
                          std::chrono::duration_cast<std::chrono::seconds>(kLinkTtl));
}

Result<PrivacyTicket> PrivacyService::Peek(const std::string& token) {
  std::string hash = RandomTokenHash(token);
  if (hash.empty()) return InvalidToken();
  return ToResult(store_.Peek(hash));
}

Result<PrivacyTicket> PrivacyService::Confirm(const std::string& token) {
  std::string hash = RandomTokenHash(token);
  if (hash.empty()) return InvalidToken();
  auto ticket = ToResult(store_.CarryOut(hash, CarryOutPrivacyRequest));
  if (ticket.ok()) LogInfo("privacy_request_completed", {{"type", PrivacyTypeName(ticket->type)}});
  return ticket;
}

Result<int64_t> PrivacyService::LiftRestrictionByAdmin(const std::string& email,
                                                       const std::string& admin) {
  auto normalized = NormalizeAddress(email);
  if (!normalized.ok()) return normalized.status();
  const AdminAction action{admin, "restriction.lift", AddressHash(*normalized)};
  auto resumed = store_.LiftRestriction(*normalized, "admin", &action);
  if (resumed.ok() && *resumed >= 0)
    LogInfo("restriction_lifted", {{"channel", "admin"}, {"subscriptions", *resumed}});
  return resumed;
}

Result<ErasureCounts> PrivacyService::EraseByAdmin(const std::string& email,
                                                   const std::string& admin) {
  auto normalized = NormalizeAddress(email);
  if (!normalized.ok()) return normalized.status();
  const AdminAction action{admin, "subscriber.erase", AddressHash(*normalized)};
  auto counts = store_.Erase(*normalized, &action);
  if (counts.ok())
    LogInfo("erased", {{"channel", "admin"}, {"subscriptions", counts->subscriptions}});
  return counts;
}

}  // namespace optin
