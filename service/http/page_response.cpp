#include "service/http/page_response.h"

#include "service/http/request_fields.h"
#include "service/http/respond.h"
#include "service/pages/pages.h"

namespace optin::http {

void RespondPageError(httplib::Response& res, const Status& status, Language lang) {
  int code = HttpStatusFor(status.code());
  if (status.code() == StatusCode::kRateLimited && status.retry_after() > 0) {
    res.set_header("Retry-After", std::to_string(status.retry_after()));
  }
  WriteHtml(res, code, code == 404 ? InvalidLinkPage(lang) : ErrorPage(lang, code));
}

Language RequestLanguage(const httplib::Request& req) {
  return VisitorLanguage(req.get_header_value("Accept-Language"));
}

void RespondError(const httplib::Request& req, httplib::Response& res, const Status& status,
                  Language lang) {
  if (WantsHtml(req) && req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
    return RespondPageError(res, status, lang);
  }
  WriteError(res, status);
}

void RespondError(const httplib::Request& req, httplib::Response& res, const Status& status) {
  RespondError(req, res, status, RequestLanguage(req));
}

}  // namespace optin::http
