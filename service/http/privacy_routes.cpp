#include "service/http/privacy_routes.h"

#include "service/http/admin_routes.h"
#include "service/http/page_response.h"
#include "service/http/pow_routes.h"
#include "service/http/privacy_export.h"
#include "service/http/request_fields.h"
#include "service/http/respond.h"
#include "service/pages/pages.h"

namespace optin::http {
namespace {

// `lang` when given, else the visitor's Accept-Language (else German).
Language PageLanguage(const httplib::Request& req) {
  if (req.has_param("lang") && IsSupportedLanguage(req.get_param_value("lang")))
    return ParseLanguage(req.get_param_value("lang"));
  return RequestLanguage(req);
}

std::string TokenOf(const httplib::Request& req, const RequestFields& fields) {
  std::string token = fields.Get("token");
  if (token.empty() && req.has_param("token")) token = req.get_param_value("token");
  return token;
}

void Request(const PrivacyDeps& d, const httplib::Request& req, httplib::Response& res) {
  int retry_after = 0;
  bool client_ok = d.per_client.Allow(ClientAddress(req, d.config.trusted_proxies), &retry_after);
  if (!client_ok && d.pow.mode() != PowMode::kAdaptive) {
    return RespondError(
        req, res,
        Status(StatusCode::kRateLimited, "rate_limited", "too many requests; try again later")
            .WithRetryAfter(retry_after));
  }
  auto fields = ParseRequestFields(req);
  if (!fields.ok()) return RespondError(req, res, fields.status());
  // The form's language field, else the visitor's Accept-Language: the mail's and the pages'.
  const std::string language = IsSupportedLanguage(fields->Get("language"))
                                   ? fields->Get("language")
                                   : std::string(LanguageCode(RequestLanguage(req)));
  const Language lang = ParseLanguage(language);
  bool pow_solved = false;
  Status pow = CheckPow(d.pow, *fields, !client_ok, &pow_solved);
  if (!pow.ok()) return RespondError(req, res, pow, lang);
  PrivacyRequestInput in{fields->Get("email"), fields->Get("type"), language,
                         fields->Get("format")};
  auto result = d.privacy.Request(in);
  if (!result.ok()) return RespondError(req, res, result.status(), lang);
  if (WantsHtml(req) && !fields->json) {
    res.status = 303;
    return res.set_header("Location", "/privacy/requested?lang=" +
                                          std::string(LanguageCode(ParseLanguage(in.language))));
  }
  WriteJson(res, 202, {{"status", "pending"}});
}

void ConfirmPage(const PrivacyDeps& d, const httplib::Request& req, httplib::Response& res) {
  std::string token = req.get_param_value("token");
  auto ticket = d.privacy.Peek(token);
  if (!ticket.ok()) return RespondPageError(res, ticket.status(), PageLanguage(req));
  WriteHtml(res, 200,
            PrivacyConfirmFormPage(ParseLanguage(ticket->language), PrivacyTypeName(ticket->type),
                                   token, ticket->format));
}

void Confirm(const PrivacyDeps& d, const httplib::Request& req, httplib::Response& res) {
  auto fields = ParseRequestFields(req);
  if (!fields.ok()) return RespondError(req, res, fields.status());
  // The export's format: the one chosen on the confirmation page (or in the POST), else the one
  // chosen with the request. Checked before anything is carried out.
  std::string format_field = fields->Get("format");
  if (format_field.empty() && req.has_param("format")) format_field = req.get_param_value("format");
  auto format = ParseExportFormat(format_field);
  if (!format) {
    return RespondError(req, res,
                        Status::InvalidArgument("invalid_request", "format must be json or csv"));
  }
  auto ticket = d.privacy.Confirm(TokenOf(req, *fields));
  if (!ticket.ok()) return RespondError(req, res, ticket.status());
  if (ticket->type == PrivacyRequestType::kAccess) {
    // One download for people and programs alike, saved as a file: indented JSON or CSV.
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    nlohmann::json doc = ExportJson(*ticket, d.subscriptions);
    if ((format_field.empty() ? ticket->format : *format) == "csv") {
      res.set_header("Content-Disposition", "attachment; filename=\"personal-data.csv\"");
      return res.set_content(ExportCsv(doc), "text/csv; charset=utf-8; header=present");
    }
    res.set_header("Content-Disposition", "attachment; filename=\"personal-data.json\"");
    return res.set_content(doc.dump(2) + "\n", "application/json; charset=utf-8");
  }
  if (WantsHtml(req) && !fields->json) {
    return WriteHtml(
        res, 200, PrivacyDonePage(ParseLanguage(ticket->language), PrivacyTypeName(ticket->type)));
  }
  WriteJson(res, 200, {{"status", "completed"}, {"type", PrivacyTypeName(ticket->type)}});
}

void AdminErase(const PrivacyDeps& d, const std::string& admin, const httplib::Request& req,
                httplib::Response& res) {
  auto counts = d.privacy.EraseByAdmin(req.get_param_value("email"), admin);
  if (!counts.ok()) return WriteError(res, counts.status());
  WriteJson(res, 200,
            {{"status", "erased"},
             {"subscriber_deleted", counts->subscriber_deleted},
             {"subscriptions", counts->subscriptions},
             {"consent_events", counts->consent_events},
             {"queued_mails", counts->queued_mails},
             {"cleverreach_delete_queued", counts->cleverreach_notified}});
}

void AdminLiftRestriction(const PrivacyDeps& d, const std::string& admin,
                          const httplib::Request& req, httplib::Response& res) {
  auto resumed = d.privacy.LiftRestrictionByAdmin(req.get_param_value("email"), admin);
  if (!resumed.ok()) return WriteError(res, resumed.status());
  if (*resumed < 0)
    return WriteError(res, Status::NotFound("not_found", "this address is not restricted"));
  WriteJson(res, 200, {{"status", "lifted"}, {"subscriptions_resumed", *resumed}});
}

}  // namespace

void RegisterPrivacyRoutes(HttpServer& server, PrivacyDeps deps) {
  auto bind = [deps](void (*fn)(const PrivacyDeps&, const httplib::Request&, httplib::Response&)) {
    return [deps, fn](const httplib::Request& req, httplib::Response& res) { fn(deps, req, res); };
  };
  const ProofOfWork* pow = &deps.pow;
  server.Handle("GET", "/privacy", [pow](const httplib::Request& req, httplib::Response& res) {
    WriteHtml(res, 200, PrivacyRequestFormPage(PageLanguage(req), PowWidgetFor(*pow)));
    if (pow->mode() != PowMode::kOff) AllowPowSolver(res);
  });
  server.Handle("GET", "/privacy/requested",
                [](const httplib::Request& req, httplib::Response& res) {
                  WriteHtml(res, 200, PrivacyRequestedPage(PageLanguage(req)));
                });
  server.Handle("POST", "/privacy/request", bind(Request));
  server.Handle("GET", "/privacy/confirm", bind(ConfirmPage));
  server.Handle("POST", "/privacy/confirm", bind(Confirm));
  server.Handle("DELETE", "/admin/subscribers",
                AdminChange(deps.config,
                            [deps](const std::string& admin, const httplib::Request& req,
                                   httplib::Response& res) { AdminErase(deps, admin, req, res); }));
  server.Handle(
      "DELETE", "/admin/restrictions",
      AdminChange(deps.config,
                  [deps](const std::string& admin, const httplib::Request& req,
                         httplib::Response& res) { AdminLiftRestriction(deps, admin, req, res); }));
}

}  // namespace optin::http
