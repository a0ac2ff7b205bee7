// HttpServer: cpp-httplib tuned for optin (thread pool, TCP_NODELAY, keep-alive, timeouts, body
// limits), with every route registered through Handle() so that each request is timed, counted by
// route template, logged without personal data, and shielded from exceptions. Routes are added
// before Bind(); after that the server is driven by Serve() on one thread and Stop() from another.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "service/base/config.h"
#include "service/base/status.h"

namespace optin::http {

// Called once per request after the handler ran: method, route template (e.g. "/confirm"; the
// raw path never, it may carry a token), status, duration and the client address (as
// ClientAddress() sees it, before OPTIN_IP_MODE). Requests that matched no route (404, 405, or
// refused before routing) are reported with route kUnmatchedRoute. Called on the handler thread.
using RequestObserver =
    std::function<void(const std::string& method, const std::string& route, int status,
                       double seconds, const std::string& client_ip)>;
constexpr const char* kUnmatchedRoute = "unmatched";

// httplib::Server with its own connection loop. httplib 0.11.4 builds a fresh read buffer for
// every request of a keep-alive connection, so bytes of a next request that arrived in the same
// recv() were dropped silently (pipelining; a smuggled body). This loop keeps one buffer per
// connection, and closes the connection after any response that carries "Connection: close".
class ConnectionServer : public httplib::Server {
 private:
  bool process_and_close_socket(socket_t sock) override;
};

struct RouteInfo {
  std::string method;
  std::string pattern;
};

class HttpServer {
 public:
  // Bodies above kMaxPublicBody on routes outside /admin/ answer 413.
  static constexpr size_t kMaxPublicBody = 64 * 1024;
  static constexpr size_t kMaxUnreadPublicBody = 1024 * 1024;
  static constexpr size_t kMaxAdminBody = 64 * 1024 * 1024;

  explicit HttpServer(const Config& config);

  // Registers a handler. `pattern` is a cpp-httplib regex pattern; `route` is the template used
  // for metrics and logs (defaults to the pattern).
  void Handle(const std::string& method, const std::string& pattern,
              httplib::Server::Handler handler, const std::string& route = "");
  // The same for a handler that streams the body itself (ContentReader) instead of having it
  // buffered: for large admin uploads. Only POST and PUT.
  void HandleWithReader(const std::string& method, const std::string& pattern,
                        httplib::Server::HandlerWithContentReader handler,
                        const std::string& route = "");
  void SetObserver(RequestObserver observer) { observer_ = std::move(observer); }
  // A check on the request head for every path that starts with `prefix` (first match wins), run
  // before the body is read: a non-Ok status is answered at once and the connection closed.
  // E.g. the admin token, so that an unauthenticated upload costs nothing. Before Bind() only.
  using HeadCheck = std::function<Status(const httplib::Request&)>;
  void GuardPrefix(const std::string& prefix, HeadCheck check);
  const std::vector<RouteInfo>& routes() const { return routes_; }

  // Binds to config.listen; returns the bound port.
  Result<int> Bind();
  // Serves until Stop(); returns after in-flight requests finished.
  void Serve();
  // Thread-safe; returns at once, Serve() returns once drained.
  void Stop();
  bool running() { return server_.is_running(); }

 private:
  // Answers requests refused on their head alone (too large, bad framing, compressed, a guard
  // says no); true when `res` holds the refusal. `arm_guard`: check a chunked body as it is read.
  bool RefuseEarly(const httplib::Request& req, httplib::Response& res, bool arm_guard);
  // Runs `handler` timed, observed and shielded from exceptions.
  void RunObserved(const httplib::Request& req, const std::string& method, const std::string& route,
                   httplib::Response& res, const std::function<void()>& handler);

  const Config& config_;
  ConnectionServer server_;
  std::vector<RouteInfo> routes_;
  RequestObserver observer_;
  struct Guard {
    std::string prefix;
    HeadCheck check;
  };
  std::vector<Guard> guards_;
};

// The client address of a request: the socket peer, or X-Forwarded-For's last untrusted hop when
// the peer is a trusted proxy.
std::string ClientAddress(const httplib::Request& req, const std::vector<Cidr>& trusted_proxies);
// Whether `ip` (text) lies inside `cidr`.
bool CidrContains(const Cidr& cidr, const std::string& ip);

}  // namespace optin::http
