// Admin suppressions: add (address or domain), lift, and the bulk check.
#include "service/address.h"
#include "service/http/admin_routes.h"
#include "service/http/respond.h"
#include "service/text.h"

namespace optin::http {
namespace {

constexpr size_t kMaxCheck = 100'000;

Status BadRequest(const std::string& message) { return Status::InvalidArgument("invalid_request", message); }

// "example.com" or "*.example.com" → normalised domain; validated through the address rules.
Result<DomainSuppression> ParseDomain(const std::string& text) {
  DomainSuppression d;
  std::string domain = TrimSpaces(text);
  if (domain.rfind("*.", 0) == 0) {
    d.include_subdomains = true;
    domain = domain.substr(2);
  }
  auto probe = NormalizeAddress("postmaster@" + domain);
  if (!probe.ok()) return BadRequest("domain is not a valid domain name");
  d.domain = AddressDomain(*probe);
  return d;
}

void AddSuppression(const AdminDeps& d, const httplib::Request& req, httplib::Response& res) {
  auto body = AdminJsonBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto str = [&](const char* k) { return body->contains(k) && (*body)[k].is_string() ? (*body)[k].get<std::string>() : ""; };
  std::string reason = str("reason");
  if (!IsCleanText(reason, 500)) return WriteError(res, BadRequest("reason must be at most 500 characters of text"));
  if (body->contains("domain")) {
    auto domain = ParseDomain(str("domain"));
    if (!domain.ok()) return WriteError(res, domain.status());
    if (Status s = d.suppressions.AddDomain(*domain, reason); !s.ok()) return WriteError(res, s);
    return WriteJson(res, 201, {{"domain", (domain->include_subdomains ? "*." : "") + domain->domain}});
  }
  auto email = NormalizeAddress(str("email"));
  if (!email.ok()) return WriteError(res, email.status());
  std::string scope = body->contains("scope") ? str("scope") : "global";
  int64_t list_id = 0;
  if (scope != "global") {
    auto list = d.subscriptions.List(scope);
    if (!list.ok()) return WriteError(res, list.status());
    list_id = list->id;
  }
  auto added = d.suppressions.Suppress(*email, list_id, "admin", reason.empty() ? "admin" : reason);
  if (!added.ok()) return WriteError(res, added.status());
  WriteJson(res, *added ? 201 : 200, {{"email", *email}, {"scope", scope}, {"created", *added}});
}

void LiftSuppression(const AdminDeps& d, const httplib::Request& req, httplib::Response& res) {
  if (req.has_param("domain")) {
    auto domain = ParseDomain(req.get_param_value("domain"));
    if (!domain.ok()) return WriteError(res, domain.status());
    auto removed = d.suppressions.RemoveDomain(domain->domain);
    if (!removed.ok()) return WriteError(res, removed.status());
    if (!*removed) return WriteError(res, Status::NotFound("not_found", "this domain is not blocked"));
    return WriteJson(res, 200, {{"lifted", 1}});
  }
  auto email = NormalizeAddress(req.get_param_value("email"));
  if (!email.ok()) return WriteError(res, email.status());
  auto removed = d.suppressions.Lift(*email, "admin");
  if (!removed.ok()) return WriteError(res, removed.status());
  if (*removed == 0) return WriteError(res, Status::NotFound("not_found", "this address is not suppressed"));
  WriteJson(res, 200, {{"lifted", *removed}});
}

void Check(const AdminDeps& d, const httplib::Request& req, httplib::Response& res) {
  auto body = AdminJsonBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  if (!body->contains("emails") || !(*body)["emails"].is_array()) {
    return WriteError(res, BadRequest("emails must be an array of strings"));
  }
  const auto& emails = (*body)["emails"];
  if (emails.size() > kMaxCheck) return WriteError(res, BadRequest("at most 100000 addresses per request"));
  int64_t list_id = 0;
  if (body->contains("list") && !(*body)["list"].is_null()) {
    if (!(*body)["list"].is_string()) return WriteError(res, BadRequest("list must be a slug"));
    auto list = d.subscriptions.List((*body)["list"].get<std::string>());
    if (!list.ok()) return WriteError(res, list.status());
    list_id = list->id;
  }
  auto domains = d.suppressions.Domains();
  if (!domains.ok()) return WriteError(res, domains.status());
  std::vector<std::string> normalized, hashes;
  std::vector<bool> blocked;
  nlohmann::json invalid = nlohmann::json::array();
  normalized.reserve(emails.size());
  hashes.reserve(emails.size());
  for (const auto& e : emails) {
    if (!e.is_string()) return WriteError(res, BadRequest("emails must be an array of strings"));
    auto n = NormalizeAddress(e.get<std::string>());
    if (!n.ok()) {
      invalid.push_back(e);
      continue;
    }
    hashes.push_back(AddressHash(*n));
    blocked.push_back(DomainBlocked(AddressDomain(*n), *domains));
    normalized.push_back(std::move(*n));
  }
  auto hits = d.suppressions.CheckHashes(hashes, list_id);
  if (!hits.ok()) return WriteError(res, hits.status());
  for (size_t i : *hits) blocked[i] = true;
  nlohmann::json suppressed = nlohmann::json::array();
  for (size_t i = 0; i < normalized.size(); ++i) {
    if (blocked[i]) suppressed.push_back(normalized[i]);
  }
  WriteJson(res, 200, {{"suppressed", suppressed}, {"invalid", invalid}});
}

}  // namespace

void RegisterSuppressionAdminRoutes(HttpServer& server, const AdminDeps& d) {
  const Config& c = d.config;
  server.Handle("POST", "/admin/suppressions", AdminOnly(c, [d](const auto& req, auto& res) { AddSuppression(d, req, res); }));
  server.Handle("DELETE", "/admin/suppressions", AdminOnly(c, [d](const auto& req, auto& res) { LiftSuppression(d, req, res); }));
  server.Handle("POST", "/admin/suppressions/check", AdminOnly(c, [d](const auto& req, auto& res) { Check(d, req, res); }));
}

}  // namespace optin::http
