#include "service/http/admin_proof.h"

#include "service/domain/address.h"
#include "service/domain/mail_redaction.h"
#include "service/http/admin_routes.h"
#include "service/http/respond.h"
#include "service/pages/dossier_page.h"
#include "storage/proof_store.h"

namespace optin::http {
namespace {

nlohmann::json TimeJson(const DossierTime& t) {
  if (t.utc.empty()) return nullptr;
  return {{"utc", t.utc}, {"europe_berlin", t.berlin}};
}

bool AcceptsJson(const httplib::Request& req) {
  return req.get_header_value("Accept").find("application/json") != std::string::npos;
}

}  // namespace

nlohmann::json DossierJson(const Dossier& d, Language lang) {
  nlohmann::json j;
  j["language"] = LanguageCode(lang);
  j["erased"] = d.erased;
  j["email"] = d.erased || d.email.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.email);
  j["email_sha256"] = d.email_hash;
  j["first_stored"] = TimeJson(d.created);
  j["generated"] = TimeJson(d.generated);
  j["ledger"] = {{"verified", d.ledger.ok}, {"events", d.ledger.events}};
  if (!d.ledger.ok) {
    j["ledger"]["broken_reason"] = d.ledger.broken_reason;
    j["ledger"]["broken_event_id"] = d.ledger.broken_event_id;
  }
  j["subscriptions"] = nlohmann::json::array();
  for (const auto& s : d.subscriptions) {
    nlohmann::json history = nlohmann::json::array();
    for (const auto& c : s.history)
      history.push_back({{"status", c.status}, {"at", TimeJson(c.at)}, {"event_id", c.event_id}});
    j["subscriptions"].push_back(
        {{"list", s.list},
         {"list_name", s.list_name},
         {"status", s.status},
         {"language", s.language},
         {"source", s.source},
         {"signed_up", TimeJson(s.signed_up)},
         {"confirmed", TimeJson(s.confirmed)},
         {"unsubscribed", TimeJson(s.unsubscribed)},
         {"status_history", history},
         {"cleverreach", {{"state", s.sync.state}, {"detail", s.sync.detail}}}});
  }
  j["suppressions"] = nlohmann::json::array();
  for (const auto& s : d.suppressions)
    j["suppressions"].push_back({{"scope", s.scope},
                                 {"reason", s.reason},
                                 {"source", s.source},
                                 {"since", TimeJson(s.since)},
                                 {"hash_only", s.hash_only}});
  j["blocked_domain"] =
      d.blocked_domain.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.blocked_domain);
  j["suppressed"] = !d.suppressions.empty() || !d.blocked_domain.empty();
  j["events"] = nlohmann::json::array();
  for (const auto& e : d.events) {
    nlohmann::json ev = {{"id", e.id},
                         {"kind", e.kind},
                         {"at", TimeJson(e.at)},
                         {"sha256", e.sha256},
                         {"prev_sha256", e.prev_sha256}};
    auto put = [&ev](const char* key, const std::string& v) {
      if (!v.empty()) ev[key] = v;
    };
    put("list", e.list);
    put("channel", e.channel);
    put("ip", e.ip);
    put("user_agent", e.user_agent);
    put("page_url", e.page_url);
    put("actor", e.actor);
    put("consent_text_sha256", e.consent_text_sha256);
    put("consent_text", e.consent_text);
    put("message_id", e.message_id);
    put("mail_sha256", e.mail_sha256);
    put("mail_redacted", e.mail_redacted);
    put("mail_redacted_sha256", e.mail_redacted_sha256);
    if (!e.mail_redacted.empty()) {
      ev["mail_redaction_placeholder"] = std::string(kRedactedToken);
      ev["mail_verification"] = MailVerificationHowTo(lang);
    }
    auto detail = nlohmann::json::parse(e.detail_json, nullptr, false);
    if (!detail.is_discarded() && !detail.empty()) ev["detail"] = detail;
    j["events"].push_back(std::move(ev));
  }
  return j;
}

void RegisterProofRoutes(HttpServer& server, const Config& config, ConnectionPool& pool) {
  server.Handle("GET", "/admin/proof",
                AdminOnly(config, [&pool](const httplib::Request& req, httplib::Response& res) {
                  auto email = NormalizeAddress(req.get_param_value("email"));
                  if (!email.ok()) return WriteError(res, email.status());
                  std::string lang_param = req.get_param_value("language");
                  if (!lang_param.empty() && !IsSupportedLanguage(lang_param))
                    return WriteError(res, Status::InvalidArgument(
                                               "invalid_request", "language must be de, nl or en"));
                  Language lang = ParseLanguage(lang_param, Language::kDe);
                  auto dossier = ProofStore(pool).Read(*email);
                  if (!dossier.ok()) return WriteError(res, dossier.status());
                  if (!dossier->known())
                    return WriteError(
                        res, Status::NotFound("not_found", "nothing is stored about this address"));
                  if (AcceptsJson(req)) return WriteJson(res, 200, DossierJson(*dossier, lang));
                  WriteHtml(res, 200, RenderDossierPage(*dossier, lang));
                }));
}

}  // namespace optin::http
