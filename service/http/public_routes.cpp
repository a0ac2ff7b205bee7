#include "service/http/public_routes.h"

#include "service/http/page_response.h"
#include "service/http/pow_routes.h"
#include "service/http/request_fields.h"
#include "service/http/respond.h"
#include "service/pages/pages.h"

namespace optin::http {
namespace {

// The form page and what its POST leads to (/subscribe's pages): framed only by
// OPTIN_FRAME_ANCESTORS; the form may redirect to the list's thank-you page.
PagePolicy FormPolicy(const Config& config, const std::string& thank_you_url) {
  PagePolicy p;
  p.frame_ancestors = config.frame_ancestors;
  std::string origin = UrlOrigin(thank_you_url);
  if (!origin.empty()) p.form_action.push_back(origin);
  return p;
}

// A token page (GET /confirm): unframeable; its POST may redirect to the list's confirmed page.
PagePolicy ConfirmPolicy(const std::string& confirmed_url) {
  PagePolicy p;
  std::string origin = UrlOrigin(confirmed_url);
  if (!origin.empty()) p.form_action.push_back(origin);
  return p;
}

// The page the signup form was on: the Referer when the site sends one, else the built-in
// form's URL when the hidden `form_page` field names this list's built-in form (nothing else is
// believed), else "".
std::string SignupPage(const Config& config, const httplib::Request& req,
                       const std::string& form_page, const std::string& slug) {
  std::string referer = req.get_header_value("Referer");
  if (!referer.empty()) return referer;
  const std::string own = config.public_url + "/form/" + slug;
  if (form_page == own || form_page == "/form/" + slug) return own;
  return "";
}

// The languages `list` offers.
std::vector<Language> Offered(const ListInfo& list) {
  return OfferedLanguages(list.language, list.languages);
}

// A page of a list (form, thank-you page) or a signup's error: `requested` (form field or `lang`
// parameter) or Accept-Language among the list's languages — the choice the signup records.
Language ListPageLanguage(const ListInfo& list, const std::string& requested,
                          const httplib::Request& req) {
  return ChooseLanguage(requested, req.get_header_value("Accept-Language"), Offered(list));
}

std::string TokenOf(const httplib::Request& req, const RequestFields& fields) {
  std::string token = fields.Get("token");
  if (token.empty() && req.has_param("token")) token = req.get_param_value("token");
  return token;
}

void Subscribe(const PublicDeps& d, const httplib::Request& req, httplib::Response& res) {
  bool html = WantsHtml(req);
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
  std::string slug = fields->Get("list").empty() ? "newsletter" : fields->Get("list");
  // Every page this request gets is in the signup's language (the list's choice).
  auto list = d.subscriptions.List(slug);
  Language lang =
      list.ok() ? ListPageLanguage(*list, fields->Get("language"), req) : RequestLanguage(req);
  bool pow_solved = false;
  Status pow = CheckPow(d.pow, *fields, !client_ok, &pow_solved);
  if (!pow.ok()) return RespondError(req, res, pow, lang);
  auto accepted = [&](const std::string& list_slug) {
    if (!html) return WriteJson(res, 202, {{"status", "pending"}});
    std::string location = "/subscribed?list=" + list_slug;
    if (list.ok() && Offered(*list).size() > 1)
      location += "&lang=" + std::string(LanguageCode(lang));
    if (list.ok() && !list->thank_you_url.empty())
      location = list->thank_you_url;
    else if (!list.ok())
      location = "/subscribed";
    res.status = 303;
    res.set_header("Location", location);
  };
  // A filled honeypot is a bot: answer as if all went well, store and send nothing.
  if (!fields->Get("website").empty()) return accepted(slug);
  if (!fields->Has("email")) {
    return RespondError(
        req, res, Status::InvalidArgument("invalid_email", "the email field is required"), lang);
  }
  SignupInput in;
  in.email = fields->Get("email");
  in.list = slug;
  in.name = fields->Get("name");
  in.language = fields->Get("language");
  in.accept_language = req.get_header_value("Accept-Language");
  in.consent_given = IsConsentGiven(fields->Get("consent"));
  in.page_url = SignupPage(d.config, req, fields->Get("form_page"), slug);
  in.client.ip = ClientAddress(req, d.config.trusted_proxies);
  in.client.user_agent = req.get_header_value("User-Agent");
  in.pow_solved = pow_solved;
  auto result = d.subscriptions.Subscribe(in);
  if (!result.ok()) return RespondError(req, res, result.status(), lang);
  accepted(slug);
}

// What a confirmation link leads to, answered the same way whether it was only looked at (GET,
// from the peek) or presented (POST, from the confirmation): one decision, one rendering.
// kConfirmable (GET only) shows the button; a confirmed subscription shows the confirmed page (or
// its list's confirmed_url); an expired or suppressed link answers 410.
void RespondConfirmOutcome(const httplib::Request& req, httplib::Response& res,
                           const ConfirmOutcome& outcome, bool html, const std::string& token) {
  Language lang = ParseLanguage(outcome.language);
  switch (outcome.result) {
    case ConfirmResult::kConfirmable:
      return WriteHtml(res, 200, ConfirmFormPage(lang, outcome.list.name, token),
                       ConfirmPolicy(outcome.list.confirmed_url));
    case ConfirmResult::kExpired:
    case ConfirmResult::kSuppressed:
      if (!html) {
        return WriteError(
            res,
            Status::Gone("expired", "this confirmation link has expired; please sign up again"));
      }
      // A suppressed address gets no offer to sign up again: no mail would come.
      return WriteHtml(
          res, 410,
          ConfirmExpiredPage(
              lang, outcome.result == ConfirmResult::kExpired ? "/form/" + outcome.list.slug : ""));
    case ConfirmResult::kConfirmed:
    case ConfirmResult::kAlreadyConfirmed:
      if (!html) return WriteJson(res, 200, {{"status", "confirmed"}});
      if (!outcome.list.confirmed_url.empty()) {
        res.status = 303;
        return res.set_header("Location", outcome.list.confirmed_url);
      }
      return WriteHtml(res, 200, ConfirmedPage(lang, outcome.list.name));
    case ConfirmResult::kNotFound:
      break;
  }
  RespondError(req, res, Status::NotFound("invalid_token", "this confirmation link is not valid"));
}

void ConfirmPage(const PublicDeps& d, const httplib::Request& req, httplib::Response& res) {
  std::string token = req.get_param_value("token");
  auto peek = d.subscriptions.PeekConfirmation(token);
  if (!peek.ok()) return RespondPageError(res, peek.status(), RequestLanguage(req));
  RespondConfirmOutcome(req, res, *peek, true, token);
}

void Confirm(const PublicDeps& d, const httplib::Request& req, httplib::Response& res) {
  auto fields = ParseRequestFields(req);
  if (!fields.ok()) return RespondError(req, res, fields.status());
  ClientInfo client{ClientAddress(req, d.config.trusted_proxies),
                    req.get_header_value("User-Agent")};
  std::string token = TokenOf(req, *fields);
  auto outcome = d.subscriptions.Confirm(token, client);
  if (!outcome.ok()) return RespondError(req, res, outcome.status());
  RespondConfirmOutcome(req, res, *outcome, WantsHtml(req) && !fields->json, token);
}

void UnsubscribePage(const PublicDeps& d, const httplib::Request& req, httplib::Response& res) {
  std::string token = req.get_param_value("token");
  auto peek = d.subscriptions.PeekUnsubscribe(token);
  if (!peek.ok()) return RespondPageError(res, peek.status(), RequestLanguage(req));
  WriteHtml(res, 200, UnsubscribeFormPage(ParseLanguage(peek->language), peek->list.name, token));
}

void Unsubscribe(const PublicDeps& d, const httplib::Request& req, httplib::Response& res) {
  auto fields = ParseRequestFields(req);
  if (!fields.ok()) return RespondError(req, res, fields.status());
  // RFC 8058: mail providers POST "List-Unsubscribe=One-Click" to the List-Unsubscribe URL.
  bool one_click = fields->Get("List-Unsubscribe") == "One-Click";
  auto outcome = d.subscriptions.Unsubscribe(
      TokenOf(req, *fields), one_click ? UnsubscribeChannel::kOneClick : UnsubscribeChannel::kLink);
  if (!outcome.ok()) return RespondError(req, res, outcome.status());
  if (WantsHtml(req) && !fields->json && !one_click) {
    return WriteHtml(res, 200,
                     UnsubscribedPage(ParseLanguage(outcome->language), outcome->list.name));
  }
  WriteJson(res, 200, {{"status", "unsubscribed"}});
}

void ThanksPage(const PublicDeps& d, const httplib::Request& req, httplib::Response& res) {
  auto list =
      d.subscriptions.List(req.has_param("list") ? req.get_param_value("list") : "newsletter");
  if (!list.ok()) {
    return WriteHtml(res, 200, SubscribeThanksPage(RequestLanguage(req), ""),
                     FormPolicy(d.config, ""));
  }
  WriteHtml(
      res, 200,
      SubscribeThanksPage(ListPageLanguage(*list, req.get_param_value("lang"), req), list->name),
      FormPolicy(d.config, ""));
}

// GET /form/{list}[?lang=xx]: in `lang` or the visitor's Accept-Language when the list offers
// it, else the list's own; the form's hidden language field carries the choice to the signup.
void FormPage(const PublicDeps& d, const httplib::Request& req, httplib::Response& res) {
  auto list = d.subscriptions.List(req.matches[1]);
  if (!list.ok()) return RespondPageError(res, list.status(), RequestLanguage(req));
  WriteHtml(
      res, 200,
      SignupFormPage(ListPageLanguage(*list, req.get_param_value("lang"), req), list->slug,
                     list->name, "/subscribe", list->require_consent_checkbox, list->consent_text,
                     PowWidgetFor(d.pow), d.config.public_url + "/form/" + list->slug),
      FormPolicy(d.config, list->thank_you_url));
  if (d.pow.mode() != PowMode::kOff) AllowPowSolver(res);
}

}  // namespace

void RegisterPublicRoutes(HttpServer& server, PublicDeps deps) {
  auto bind = [deps](void (*fn)(const PublicDeps&, const httplib::Request&, httplib::Response&)) {
    return [deps, fn](const httplib::Request& req, httplib::Response& res) { fn(deps, req, res); };
  };
  server.Handle("POST", "/subscribe", bind(Subscribe));
  server.Handle("GET", "/subscribed", bind(ThanksPage));
  server.Handle("GET", "/confirm", bind(ConfirmPage));
  server.Handle("POST", "/confirm", bind(Confirm));
  server.Handle("GET", "/unsubscribe", bind(UnsubscribePage));
  server.Handle("POST", "/unsubscribe", bind(Unsubscribe));
  server.Handle("GET", R"(/form/([a-z0-9][a-z0-9_-]{0,62}))", bind(FormPage), "/form/{list}");
}

}  // namespace optin::http
