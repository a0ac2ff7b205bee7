#include "service/http/server.h"

#include <arpa/inet.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>
#include <utility>

#include "service/base/log.h"
#include "service/http/chunked_guard.h"
#include "service/http/elastic_task_queue.h"
#include "service/http/respond.h"

namespace optin::http {
namespace {

Status PayloadTooLarge() {
  return Status(StatusCode::kPayloadTooLarge, "payload_too_large",
                "the request body is larger than 64 KiB");
}

// httplib handles one request at a time per thread: routing, the handler and the logger run on
// it in that order. These let the logger report requests that no Handle() wrapper observed.
thread_local bool t_observed = false;
thread_local std::chrono::steady_clock::time_point t_started;
// Set by the logger when the response just written says "Connection: close".
thread_local bool t_close_connection = false;

// One connection's socket with a read buffer that lives as long as the connection (see
// ConnectionServer). Timeouts as httplib's own SocketStream.
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(int sock, int read_timeout_ms, int write_timeout_ms)
      : sock_(sock), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

  bool buffered() const { return off_ < len_; }
  // From now until the next request, body bytes pass a strict chunked-framing check: a read that
  // would hand httplib a malformed or oversized chunked body fails instead.
  void GuardChunked(size_t max_body) { guard_.emplace(max_body); }
  void ResetGuard() { guard_.reset(); }
  // The guard's verdict when it refused the body, else kMore.
  ChunkedGuard::Verdict refused() const {
    if (!guard_) return ChunkedGuard::Verdict::kMore;
    auto v = guard_->verdict();
    return v == ChunkedGuard::Verdict::kDone ? ChunkedGuard::Verdict::kMore : v;
  }
  // Waits up to `ms` for request bytes; true when some are buffered or readable.
  bool WaitReadable(int ms) const { return buffered() || Poll(POLLIN, ms); }

  bool is_readable() const override { return WaitReadable(read_timeout_ms_); }
  bool is_writable() const override { return Poll(POLLOUT, write_timeout_ms_); }
  ssize_t read(char* ptr, size_t size) override {
    if (guard_ && guard_->verdict() != ChunkedGuard::Verdict::kMore &&
        guard_->verdict() != ChunkedGuard::Verdict::kDone)
      return -1;
    ssize_t n = ReadRaw(ptr, size);
    if (n > 0 && guard_ && guard_->verdict() == ChunkedGuard::Verdict::kMore) {
      auto v = guard_->Feed(ptr, static_cast<size_t>(n));
      if (v == ChunkedGuard::Verdict::kBadFraming || v == ChunkedGuard::Verdict::kTooLarge)
        return -1;
    }
    return n;
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    return send(sock_, ptr, size, MSG_NOSIGNAL);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    Address(true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    Address(false, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  ssize_t ReadRaw(char* ptr, size_t size) {
    if (!buffered()) {
      if (!Poll(POLLIN, read_timeout_ms_)) return -1;
      if (size >= sizeof buf_) return recv(sock_, ptr, size, 0);
      ssize_t n = recv(sock_, buf_, sizeof buf_, 0);
      if (n <= 0) return n;
      off_ = 0;
      len_ = static_cast<size_t>(n);
    }
    size_t n = std::min(size, len_ - off_);
    std::memcpy(ptr, buf_ + off_, n);
    off_ += n;
    return static_cast<ssize_t>(n);
  }
  bool Poll(short events, int ms) const {
    pollfd p{sock_, events, 0};
    int r;
    do r = poll(&p, 1, ms);
    while (r < 0 && errno == EINTR);
    return r > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
  }
  void Address(bool peer, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto* a = reinterpret_cast<sockaddr*>(&addr);
    if ((peer ? getpeername(sock_, a, &len) : getsockname(sock_, a, &len)) != 0) return;
    char host[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(&addr);
      inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
      port = ntohs(in->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
      inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
      port = ntohs(in6->sin6_port);
    }
    ip = host;
  }

  int sock_;
  int read_timeout_ms_;
  int write_timeout_ms_;
  char buf_[4096];
  size_t off_ = 0, len_ = 0;
  std::optional<ChunkedGuard> guard_;
};

// The stream of the connection this thread serves (set by ConnectionServer).
thread_local ConnectionStream* t_stream = nullptr;

// httplib 0.11 limits each header line (8 KiB, else 400) but neither their number nor their sum:
// it reads whatever arrives into memory. Refuse such a head afterwards, at least; the memory was
// spent by then (see README, "Connection limits").
constexpr size_t kMaxHeaderCount = 100;
constexpr size_t kMaxHeaderBytes = 32 * 1024;

bool HeadTooLarge(const httplib::Request& req) {
  if (req.headers.size() > kMaxHeaderCount) return true;
  size_t bytes = 0;
  for (const auto& [name, value] : req.headers) bytes += name.size() + value.size() + 4;
  return bytes > kMaxHeaderBytes;
}

Status BadFraming(const std::string& message = "the request body is not framed correctly") {
  return Status::InvalidArgument("bad_request", message);
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool EqualsIgnoreCase(const std::string& a, const char* b) { return strcasecmp(a.c_str(), b) == 0; }

struct BodyFraming {
  bool chunked = false;
  uint64_t length = 0;  // Content-Length, 0 when absent
};

// RFC 9112 §6.1–6.3: the only transfer coding accepted is a lone "chunked" (anything else would
// be read by httplib differently from a proxy in front), never together with Content-Length;
// Content-Length is digits, and repeated only with the same value.
Result<BodyFraming> CheckFraming(const httplib::Request& req) {
  BodyFraming f;
  size_t te_count = req.get_header_value_count("Transfer-Encoding");
  size_t cl_count = req.get_header_value_count("Content-Length");
  if (te_count > 0) {
    if (te_count > 1 ||
        !EqualsIgnoreCase(Trim(req.get_header_value("Transfer-Encoding")), "chunked"))
      return BadFraming("the only transfer coding accepted is chunked");
    if (cl_count > 0)
      return BadFraming("Content-Length and Transfer-Encoding must not both be sent");
    if (req.version == "HTTP/1.0") return BadFraming("HTTP/1.0 has no chunked transfer coding");
    f.chunked = true;
  }
  std::string first;
  for (size_t i = 0; i < cl_count; ++i) {
    std::string v = Trim(req.get_header_value("Content-Length", i));
    if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
      return BadFraming("Content-Length is not a number");
    if (i == 0)
      first = v;
    else if (v != first)
      return BadFraming("conflicting Content-Length headers");
  }
  if (!first.empty()) f.length = std::stoull(first);
  return f;
}

// The method as a metrics label: one of the known ones, so garbage cannot grow the label set.
std::string MethodLabel(const std::string& method) {
  static const char* kKnown[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  for (const char* m : kKnown) {
    if (method == m) return method;
  }
  return "OTHER";
}

}  // namespace

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  ConnectionStream strm(sock,
                        static_cast<int>(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000),
                        static_cast<int>(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000));
  bool ret = false;
  auto idle_deadline = [this] {
    return std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
  };
  for (size_t count = keep_alive_max_count_; count > 0 && svr_sock_ != INVALID_SOCKET; --count) {
    // Idle: wait in short steps so that Stop() (svr_sock_ reset) is noticed.
    auto deadline = idle_deadline();
    bool readable = false;
    while (!(readable = strm.WaitReadable(50)) && svr_sock_ != INVALID_SOCKET &&
           std::chrono::steady_clock::now() < deadline) {
    }
    if (!readable) break;
    bool connection_closed = false;
    t_close_connection = false;
    strm.ResetGuard();
    t_stream = &strm;
    ret = process_request(strm, count == 1, connection_closed, nullptr);
    t_stream = nullptr;
    if (!ret || connection_closed || std::exchange(t_close_connection, false)) break;
  }
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return ret;
}

HttpServer::HttpServer(const Config& config) : config_(config) {
  server_.set_tcp_nodelay(true);
  // httplib keeps a thread per open connection; idle and slow clients would starve the rest (see
  // elastic_task_queue.h). Up to 8x the configured threads are started under pressure.
  size_t threads = static_cast<size_t>(config.http_threads);
  server_.new_task_queue = [threads] {
    return new ElasticTaskQueue(threads, std::min<size_t>(threads * 8, 4096));
  };
  server_.set_keep_alive_max_count(1000);
  // An idle keep-alive connection holds a thread this long.
  server_.set_keep_alive_timeout(2);
  server_.set_read_timeout(10, 0);
  server_.set_write_timeout(10, 0);
  server_.set_payload_max_length(kMaxAdminBody);

  // Requests refused on their head alone are answered before any of the body is read, and the
  // connection is closed (the unread body must not be parsed as a next request).
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_started = std::chrono::steady_clock::now();
    t_observed = false;
    return RefuseEarly(req, res, /*arm_guard=*/true) ? httplib::Server::HandlerResponse::Handled
                                                     : httplib::Server::HandlerResponse::Unhandled;
  });
  // "Expect: 100-continue" is answered before routing: a refused head gets its refusal instead.
  server_.set_expect_100_continue_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        return RefuseEarly(req, res, /*arm_guard=*/false) ? res.status : 100;
      });
  server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    // httplib's own 400 and 413 (a body it could not read): where the next request would begin
    // is unknown, so the connection ends.
    if (res.status == 400 || res.status == 413) res.set_header("Connection", "close");
    if (res.status == 400 && t_stream && t_stream->refused() == ChunkedGuard::Verdict::kTooLarge)
      res.status = 413;
    switch (res.status) {
      case 404:
        WriteError(res, Status::NotFound("not_found", "no such resource"));
        break;
      case 413:
        WriteError(res, PayloadTooLarge());
        break;
      case 405:
        WriteJson(res, 405, {{"error", "method_not_allowed"}, {"message", "method not allowed"}});
        break;
      default:
        WriteJson(res, res.status,
                  {{"error", "bad_request"}, {"message", "the request could not be processed"}});
    }
  });
  server_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    if (res.get_header_value("Connection") == "close") t_close_connection = true;
    bool observed = std::exchange(t_observed, false);
    auto started = std::exchange(t_started, {});
    if (observed || !observer_) return;
    double seconds =
        started == std::chrono::steady_clock::time_point()
            ? 0
            : std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    observer_(MethodLabel(req.method), kUnmatchedRoute, res.status, seconds,
              ClientAddress(req, config_.trusted_proxies));
  });
  server_.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        WriteError(res, Status::Internal("internal error"));
      });
}

void HttpServer::Handle(const std::string& method, const std::string& pattern,
                        httplib::Server::Handler handler, const std::string& route) {
  std::string name = route.empty() ? pattern : route;
  routes_.push_back(RouteInfo{method, name});
  auto wrapped = [this, method, name, handler = std::move(handler)](const httplib::Request& req,
                                                                    httplib::Response& res) {
    RunObserved(req, method, name, res, [&] {
      if (req.body.size() > kMaxPublicBody && req.path.rfind("/admin/", 0) != 0) {
        WriteError(res, PayloadTooLarge());
      } else {
        handler(req, res);
      }
    });
  };
  if (method == "GET")
    server_.Get(pattern, wrapped);
  else if (method == "POST")
    server_.Post(pattern, wrapped);
  else if (method == "PUT")
    server_.Put(pattern, wrapped);
  else if (method == "DELETE")
    server_.Delete(pattern, wrapped);
  else if (method == "PATCH")
    server_.Patch(pattern, wrapped);
}

void HttpServer::HandleWithReader(const std::string& method, const std::string& pattern,
                                  httplib::Server::HandlerWithContentReader handler,
                                  const std::string& route) {
  std::string name = route.empty() ? pattern : route;
  routes_.push_back(RouteInfo{method, name});
  auto wrapped = [this, method, name, handler = std::move(handler)](
                     const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& reader) {
    RunObserved(req, method, name, res, [&] {
      bool drained = false;
      httplib::ContentReader tracked(
          [&](httplib::ContentReceiver receiver) { return drained = reader(std::move(receiver)); },
          [&](httplib::MultipartContentHeader header, httplib::ContentReceiver receiver) {
            return drained = reader(std::move(header), std::move(receiver));
          });
      handler(req, res, tracked);
      if (auto refused = t_stream ? t_stream->refused() : ChunkedGuard::Verdict::kMore;
          refused != ChunkedGuard::Verdict::kMore) {
        res = httplib::Response();
        WriteError(res,
                   refused == ChunkedGuard::Verdict::kTooLarge ? PayloadTooLarge() : BadFraming());
        res.set_header("Connection", "close");
        return;
      }
      // An answer that leaves body bytes unread ends the connection: else they would be parsed
      // as the next request (a CL.0 desync behind a connection-reusing proxy).
      bool has_body =
          req.has_header("Transfer-Encoding") ||
          (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
      if (!drained && has_body) res.set_header("Connection", "close");
    });
  };
  if (method == "POST")
    server_.Post(pattern, wrapped);
  else if (method == "PUT")
    server_.Put(pattern, wrapped);
}

void HttpServer::GuardPrefix(const std::string& prefix, HeadCheck check) {
  guards_.push_back({prefix, std::move(check)});
}

bool HttpServer::RefuseEarly(const httplib::Request& req, httplib::Response& res, bool arm_guard) {
  auto refuse = [&res](const Status& status) {
    WriteError(res, status);
    res.set_header("Connection", "close");
    return true;
  };
  if (HeadTooLarge(req)) {
    WriteJson(
        res, 431,
        {{"error", "header_fields_too_large"}, {"message", "the request headers are too large"}});
    res.set_header("Connection", "close");
    return true;
  }
  auto framing = CheckFraming(req);
  if (!framing.ok()) return refuse(framing.status());
  const BodyFraming& body = *framing;
  // Compressed request bodies are not accepted: nothing here needs them, and inflating one is
  // how a 200 KB request becomes hundreds of megabytes.
  if (req.has_header("Content-Encoding") &&
      !EqualsIgnoreCase(Trim(req.get_header_value("Content-Encoding")), "identity")) {
    return refuse(Status(StatusCode::kUnsupportedMedia, "unsupported_media_type",
                         "compressed request bodies (Content-Encoding) are not accepted"));
  }
  for (const auto& guard : guards_) {
    if (req.path.compare(0, guard.prefix.size(), guard.prefix) != 0) continue;
    if (Status s = guard.check(req); !s.ok()) return refuse(s);
    break;
  }
  bool admin = req.path.rfind("/admin/", 0) == 0;
  // Public bodies above 1 MiB are refused before they are read; smaller ones are read (so the
  // client sees a clean answer rather than a reset) and refused above 64 KiB in Handle().
  if (body.length > (admin ? kMaxAdminBody : kMaxUnreadPublicBody)) {
    return refuse(PayloadTooLarge());
  }
  if (body.chunked && arm_guard && t_stream) {
    t_stream->GuardChunked(admin ? kMaxAdminBody : kMaxPublicBody);
  }
  // httplib reads no body for GET, HEAD and OPTIONS: whatever follows the head would be parsed as
  // a next request, so the connection ends after this answer.
  bool body_read = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                   req.method == "DELETE" || req.method == "PRI";
  if (!body_read && (body.chunked || body.length > 0)) t_close_connection = true;
  return false;
}

void HttpServer::RunObserved(const httplib::Request& req, const std::string& method,
                             const std::string& route, httplib::Response& res,
                             const std::function<void()>& handler) {
  auto start = std::chrono::steady_clock::now();
  try {
    handler();
  } catch (const std::exception& e) {
    LogError("handler_exception",
             {{"route", route}, {"what", std::string(e.what()).substr(0, 200)}});
    res = httplib::Response();
    WriteError(res, Status::Internal("internal error"));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (observer_)
    observer_(method, route, res.status, seconds, ClientAddress(req, config_.trusted_proxies));
  t_observed = true;
}

Result<int> HttpServer::Bind() {
  int port = config_.listen.port;
  if (port == 0) {
    port = server_.bind_to_any_port(config_.listen.host);
  } else if (!server_.bind_to_port(config_.listen.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return Status::Unavailable("cannot listen on " + config_.listen.host + ":" +
                               std::to_string(config_.listen.port));
  }
  return port;
}

void HttpServer::Serve() { server_.listen_after_bind(); }

void HttpServer::Stop() {
  // stop() is ignored until the server runs; Serve() may not have reached listen yet.
  for (int i = 0; i < 500 && !server_.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server_.stop();
}

bool CidrContains(const Cidr& cidr, const std::string& ip) {
  unsigned char buf[16];
  size_t len = 0;
  if (inet_pton(AF_INET, ip.c_str(), buf) == 1)
    len = 4;
  else if (inet_pton(AF_INET6, ip.c_str(), buf) == 1)
    len = 16;
  if (len == 0 || len != cidr.network.size()) return false;
  int bits = cidr.prefix;
  for (size_t i = 0; i < len && bits > 0; ++i, bits -= 8) {
    unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
    if ((buf[i] & mask) != (cidr.network[i] & mask)) return false;
  }
  return true;
}

std::string ClientAddress(const httplib::Request& req, const std::vector<Cidr>& trusted_proxies) {
  auto trusted = [&](const std::string& ip) {
    for (const auto& c : trusted_proxies) {
      if (CidrContains(c, ip)) return true;
    }
    return false;
  };
  std::string peer = req.remote_addr;
  if (trusted_proxies.empty() || !trusted(peer) || !req.has_header("X-Forwarded-For")) return peer;
  // Walk X-Forwarded-For from the right: the first hop that is not a trusted proxy is the client.
  std::string xff = req.get_header_value("X-Forwarded-For");
  std::vector<std::string> hops;
  size_t start = 0;
  while (start <= xff.size()) {
    size_t comma = xff.find(',', start);
    std::string hop =
        xff.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    hop.erase(0, hop.find_first_not_of(' '));
    hop.erase(hop.find_last_not_of(' ') + 1);
    if (!hop.empty()) hops.push_back(hop);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    unsigned char buf[16];
    bool valid =
        inet_pton(AF_INET, it->c_str(), buf) == 1 || inet_pton(AF_INET6, it->c_str(), buf) == 1;
    if (!valid) return peer;
    if (!trusted(*it)) return *it;
  }
  return hops.empty() ? peer : hops.front();
}

}  // namespace optin::http
