// Errors for people and programs: a page for browsers, the JSON error body otherwise. Both take
// their HTTP status from the one Status mapping in respond.h.
#pragma once

#include <httplib.h>

#include "service/base/status.h"
#include "service/domain/language.h"

namespace optin::http {

// An HTML error page with the status's HTTP code (404 gets the "invalid link" page).
void RespondPageError(httplib::Response& res, const Status& status, Language lang);
// A page in `lang` when the client wants HTML, JSON otherwise.
void RespondError(const httplib::Request& req, httplib::Response& res, const Status& status,
                  Language lang);
// The same for a request that belongs to no list or subscription: the page in the visitor's
// language (Accept-Language, else German).
void RespondError(const httplib::Request& req, httplib::Response& res, const Status& status);
// VisitorLanguage of the request's Accept-Language.
Language RequestLanguage(const httplib::Request& req);

}  // namespace optin::http
