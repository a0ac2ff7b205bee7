// Reads the fields of a request body — application/x-www-form-urlencoded, multipart/form-data or
// a JSON object — into one map, so handlers do not care how a form was posted. Stateless.
#pragma once

#include <httplib.h>

#include <map>
#include <string>

#include "service/base/status.h"

namespace optin::http {

struct RequestFields {
  std::map<std::string, std::string> values;  // strings (JSON booleans become "true"/"false")
  bool json = false;                          // the body was JSON

  std::string Get(const std::string& key) const {
    auto it = values.find(key);
    return it == values.end() ? "" : it->second;
  }
  bool Has(const std::string& key) const { return values.count(key) > 0; }
};

// Errors: 415 unsupported_media_type for another or missing Content-Type (an empty body with no
// type yields no fields), 400 invalid_request for malformed encoding, JSON that is not an object,
// or a field of the wrong JSON type (only strings, and a boolean for `bool_field`, are accepted).
Result<RequestFields> ParseRequestFields(const httplib::Request& req,
                                         const std::string& bool_field = "consent");

// Decodes application/x-www-form-urlencoded text; false on a malformed %-escape.
bool ParseUrlEncoded(const std::string& body, std::map<std::string, std::string>* out);

// "on", "yes", "true", "1" (any case) count as a given consent.
bool IsConsentGiven(const std::string& value);

// Whether the client prefers an HTML page (a browser form) over JSON.
bool WantsHtml(const httplib::Request& req);

}  // namespace optin::http
