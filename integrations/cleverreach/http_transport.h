// HttpTransport: one libcurl easy handle that sends HTTP requests to CleverReach and keeps its
// connection alive between them. Knows nothing of CleverReach's JSON or of tokens.
// One per thread: not safe for concurrent use (a curl easy handle belongs to one thread).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "service/base/status.h"

namespace optin::cleverreach {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, DELETE
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // POST and PUT always send one (maybe empty)
  // HTTP Basic credentials; sent only when user is not empty.
  std::string basic_user;
  std::string basic_password;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string retry_after;  // raw Retry-After header value, "" when absent
};

class HttpTransport {
 public:
  // REQUIRES: total_timeout > 0. The connect timeout is capped by the total timeout.
  HttpTransport(std::chrono::milliseconds connect_timeout, std::chrono::milliseconds total_timeout);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Any HTTP answer is a value (also 4xx/5xx); only a failure to get an answer (connect error,
  // timeout, dropped connection) is Unavailable. The message names the curl error, never the
  // URL, a header or the body.
  Result<HttpResponse> Send(const HttpRequest& request);

  // Percent-encodes `text` for use as one path segment or query value.
  std::string Escape(const std::string& text);

 private:
  void* easy_ = nullptr;  // CURL*; kept opaque so that curl.h stays inside this unit
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds total_timeout_;
};

}  // namespace optin::cleverreach
