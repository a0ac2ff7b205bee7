#include "service/http/respond.h"

namespace optin::http {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthorized:
      return 401;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kGone:
      return 410;
    case StatusCode::kPayloadTooLarge:
      return 413;
    case StatusCode::kUnsupportedMedia:
      return 415;
    case StatusCode::kUnprocessable:
      return 422;
    case StatusCode::kRateLimited:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

void WriteJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                  "application/json; charset=utf-8");
}

void WriteHtml(httplib::Response& res, int status, const std::string& html,
               const PagePolicy& policy) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Security-Policy", ContentSecurityPolicy(policy));
  res.set_header("Referrer-Policy", policy.referrer_policy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(html, "text/html; charset=utf-8");
}

void WriteError(httplib::Response& res, const Status& status) {
  if (status.code() == StatusCode::kRateLimited && status.retry_after() > 0) {
    res.set_header("Retry-After", std::to_string(status.retry_after()));
  }
  if (status.code() == StatusCode::kUnauthorized) res.set_header("WWW-Authenticate", "Bearer");
  std::string error = status.error().empty() ? "internal" : status.error();
  WriteJson(res, HttpStatusFor(status.code()), {{"error", error}, {"message", status.message()}});
}

}  // namespace optin::http
