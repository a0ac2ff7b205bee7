// Response helpers for the HTTP adapter: JSON bodies and the single Status -> HTTP mapping.
// Stateless; safe for concurrent use.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "service/base/status.h"
#include "service/base/web_origin.h"

namespace optin::http {

// The one place that turns a Status into an HTTP status and {"error","message"} body.
void WriteError(httplib::Response& res, const Status& status);
int HttpStatusFor(StatusCode code);
void WriteJson(httplib::Response& res, int status, const nlohmann::json& body);
// An HTML page with its own Content-Security-Policy (default: nothing but inline styles, forms
// post to 'self' only, unframeable, no referrer).
void WriteHtml(httplib::Response& res, int status, const std::string& html,
               const PagePolicy& policy = {});

}  // namespace optin::http
