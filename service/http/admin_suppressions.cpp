// Admin suppressions: add (address or domain), lift, and the bulk check.
#include <future>

#include "service/base/text.h"
#include "service/domain/address.h"
#include "service/http/admin_routes.h"
#include "service/http/respond.h"

namespace optin::http {
namespace {

constexpr size_t kMaxCheck = 100'000;
constexpr size_t kParallelNormalize = 10'000;

// One address of a bulk check.
struct Checked {
  bool valid = false;
  bool blocked = false;  // by a domain block, or (later) by an entry
  std::string email;     // normalised
  std::string hash;
};

Status BadRequest(const std::string& message) {
  return Status::InvalidArgument("invalid_request", message);
}

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
  auto str = [&](const char* k) {
    return body->contains(k) && (*body)[k].is_string() ? (*body)[k].get<std::string>() : "";
  };
  std::string reason = str("reason");
  if (!IsCleanText(reason, 500))
    return WriteError(res, BadRequest("reason must be at most 500 characters of text"));
  if (body->contains("domain")) {
    auto domain = ParseDomain(str("domain"));
    if (!domain.ok()) return WriteError(res, domain.status());
    auto ended = d.suppressions.AddDomain(*domain, reason);
    if (!ended.ok()) return WriteError(res, ended.status());
    return WriteJson(res, 201,
                     {{"domain", (domain->include_subdomains ? "*." : "") + domain->domain},
                      {"ended_subscriptions", ended->subscriptions},
                      {"addresses", ended->addresses}});
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
    if (!*removed)
      return WriteError(res, Status::NotFound("not_found", "this domain is not blocked"));
    return WriteJson(res, 200, {{"lifted", 1}});
  }
  auto email = NormalizeAddress(req.get_param_value("email"));
  if (!email.ok()) return WriteError(res, email.status());
  auto removed = d.suppressions.Lift(*email, "admin");
  if (!removed.ok()) return WriteError(res, removed.status());
  if (*removed == 0)
    return WriteError(res, Status::NotFound("not_found", "this address is not suppressed"));
  WriteJson(res, 200, {{"lifted", *removed}});
}

void Check(const AdminDeps& d, const httplib::Request& req, httplib::Response& res) {
  auto body = AdminJsonBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  if (!body->contains("emails") || !(*body)["emails"].is_array()) {
    return WriteError(res, BadRequest("emails must be an array of strings"));
  }
  const auto& emails = (*body)["emails"];
  if (emails.size() > kMaxCheck)
    return WriteError(res, BadRequest("at most 100000 addresses per request"));
  int64_t list_id = 0;
  if (body->contains("list") && !(*body)["list"].is_null()) {
    if (!(*body)["list"].is_string()) return WriteError(res, BadRequest("list must be a slug"));
    auto list = d.subscriptions.List((*body)["list"].get<std::string>());
    if (!list.ok()) return WriteError(res, list.status());
    list_id = list->id;
  }
  auto domains = d.suppressions.Domains();
  if (!domains.ok()) return WriteError(res, domains.status());
  for (const auto& e : emails) {
    if (!e.is_string()) return WriteError(res, BadRequest("emails must be an array of strings"));
  }
  // Normalising and hashing 100 000 addresses takes ~80 ms: large requests use both halves of
  // the input in parallel.
  std::vector<Checked> checked(emails.size());
  auto check_range = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      auto n = NormalizeAddress(emails[i].get_ref<const std::string&>());
      if (!n.ok()) continue;
      checked[i].valid = true;
      checked[i].hash = AddressHash(*n);
      checked[i].blocked = DomainBlocked(AddressDomain(*n), *domains);
      checked[i].email = std::move(*n);
    }
  };
  if (checked.size() >= kParallelNormalize) {
    size_t half = checked.size() / 2;
    auto first = std::async(std::launch::async, check_range, size_t{0}, half);
    check_range(half, checked.size());
    first.get();
  } else {
    check_range(0, checked.size());
  }
  std::vector<std::string> hashes;
  std::vector<size_t> positions;  // index into `checked` of each hash
  nlohmann::json invalid = nlohmann::json::array();
  hashes.reserve(checked.size());
  for (size_t i = 0; i < checked.size(); ++i) {
    if (!checked[i].valid) {
      invalid.push_back(emails[i]);
      continue;
    }
    hashes.push_back(std::move(checked[i].hash));
    positions.push_back(i);
  }
  auto hits = d.suppressions.CheckHashes(hashes, list_id);
  if (!hits.ok()) return WriteError(res, hits.status());
  for (size_t i : *hits) checked[positions[i]].blocked = true;
  nlohmann::json suppressed = nlohmann::json::array();
  for (const auto& c : checked) {
    if (c.valid && c.blocked) suppressed.push_back(c.email);
  }
  WriteJson(res, 200, {{"suppressed", suppressed}, {"invalid", invalid}});
}

}  // namespace

void RegisterSuppressionAdminRoutes(HttpServer& server, const AdminDeps& d) {
  const Config& c = d.config;
  server.Handle("POST", "/admin/suppressions",
                AdminOnly(c, [d](const auto& req, auto& res) { AddSuppression(d, req, res); }));
  server.Handle("DELETE", "/admin/suppressions",
                AdminOnly(c, [d](const auto& req, auto& res) { LiftSuppression(d, req, res); }));
  server.Handle("POST", "/admin/suppressions/check",
                AdminOnly(c, [d](const auto& req, auto& res) { Check(d, req, res); }));
}

}  // namespace optin::http
