// FakeCleverReach: call accounting, bearer-token checks and fault injection.
//
// Dropping a connection: httplib 0.11 gives a handler no access to its socket, so DropConnection
// finds it. It walks /proc/self/fd for the TCP socket whose local port is the fake's and whose
// peer port is the request's remote port (client and fake share this process, so the client's own
// socket has those two swapped and is not matched), and shuts it down (SHUT_RDWR, no close: httplib
// still owns the descriptor). httplib's answer then fails to write (EPIPE; SIGPIPE is ignored) and
// the client sees the connection end without a byte of answer.
#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

#include "tests/fakes/fake_cleverreach.h"
#include "tests/fakes/fake_http_util.h"

namespace optin::test {
namespace {

int Port(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  }
  return -1;
}

bool DropConnection(int local_port, int remote_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  bool dropped = false;
  while (dirent* entry = readdir(dir)) {
    int fd = std::atoi(entry->d_name);
    if (fd <= 2) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
    if (Port(local) == local_port && Port(peer) == remote_port) {
      shutdown(fd, SHUT_RDWR);
      dropped = true;
    }
  }
  closedir(dir);
  return dropped;
}

}  // namespace

void FakeCleverReach::InjectFault(const std::string& route, Fault fault, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < times; ++i) faults_[route].push_back(fault);
}

void FakeCleverReach::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.clear();
}

bool FakeCleverReach::ApplyFault(const std::string& name, const httplib::Request& req,
                                 httplib::Response& res) {
  std::unique_lock<std::mutex> lock(mu_);
  ++calls_[name];
  client_ports_.insert(req.remote_port);
  if (name != "token") last_authorization_ = req.get_header_value("Authorization");
  std::deque<Fault>* queue = nullptr;
  for (const std::string& key : {name, std::string()}) {
    auto it = faults_.find(key);
    if (it != faults_.end() && !it->second.empty()) {
      queue = &it->second;
      break;
    }
  }
  if (queue == nullptr) return false;
  Fault fault = queue->front();
  queue->pop_front();
  switch (fault.kind) {
    case Fault::Kind::kStatus:
      fake::SendError(res, fault.status, fault.status == 502 ? "Bad Gateway" : "Server Error");
      return true;
    case Fault::Kind::kRateLimited:
      fake::SendError(res, 429, "Too Many Requests");
      if (fault.retry_after >= 0) res.set_header("Retry-After", std::to_string(fault.retry_after));
      return true;
    case Fault::Kind::kUnauthorized:
      fake::SendError(res, 401, "Unauthorized: token expired");
      return true;
    case Fault::Kind::kDelay:
      stop_cv_.wait_for(lock, fault.delay, [this] { return stopping_; });
      return false;
    case Fault::Kind::kDrop:
      lock.unlock();
      DropConnection(port_, req.remote_port);
      res.status = 500;
      return true;
    case Fault::Kind::kMalformedJson:
      res.status = 200;
      res.set_content(R"({"id": 12, "email": "trunc)", "application/json");
      return true;
  }
  return false;
}

bool FakeCleverReach::Authorized(const httplib::Request& req, httplib::Response& res) {
  std::string auth = req.get_header_value("Authorization");
  std::lock_guard<std::mutex> lock(mu_);
  if (auth.rfind("Bearer ", 0) == 0) {
    auto it = tokens_.find(auth.substr(7));
    if (it != tokens_.end() && std::chrono::steady_clock::now() < it->second) return true;
  }
  fake::SendError(res, 401, "Unauthorized: invalid or expired token");
  return false;
}

}  // namespace optin::test
