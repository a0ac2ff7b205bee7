// Response helpers for the HTTP adapter: JSON bodies and the single Status -> HTTP mapping.
// Stateless; safe for concurrent use.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "service/base/status.h"

namespace optin::http {

// The one place that turns a Status into an HTTP status and {"error","message"} body.
void WriteError(httplib::Response& res, const Status& status);
int HttpStatusFor(StatusCode code);
void WriteJson(httplib::Response& res, int status, const nlohmann::json& body);
void WriteHtml(httplib::Response& res, int status, const std::string& html);

}  // namespace optin::http
