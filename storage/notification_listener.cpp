#include "storage/notification_listener.h"

#include <poll.h>

#include <cerrno>
#include <pqxx/notification>
#include <pqxx/pqxx>

#include "service/base/log.h"
#include "storage/pool.h"

namespace optin {
namespace {

class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel)
      : pqxx::notification_receiver(conn, channel) {}
  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override { ++count; }
  int count = 0;
};

}  // namespace

struct NotificationListener::Impl {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<Receiver> receiver;
};

NotificationListener::NotificationListener(std::string url, std::string channel)
    : url_(WithConnectTimeout(url, 2)), channel_(std::move(channel)) {}

// pqxx's receiver destructor UNLISTENs and swallows errors on a dead connection.
NotificationListener::~NotificationListener() = default;

bool NotificationListener::connected() const { return impl_ != nullptr; }

Status NotificationListener::Connect() {
  if (impl_ != nullptr) return Status::Ok();
  try {
    auto impl = std::make_unique<Impl>();
    impl->conn = std::make_unique<pqxx::connection>(url_);
    impl->receiver = std::make_unique<Receiver>(*impl->conn, channel_);
    impl->conn->get_notifs();  // makes sure the LISTEN has been sent
    impl_ = std::move(impl);
    return Status::Ok();
  } catch (const std::exception& e) {
    LogWarn("db_listen_failed",
            {{"channel", channel_}, {"error", std::string(e.what()).substr(0, 200)}});
    return Status::Unavailable("cannot listen for database notifications");
  }
}

Result<bool> NotificationListener::Wait(std::chrono::milliseconds timeout) {
  if (impl_ == nullptr) return Status::Unavailable("not listening");
  try {
    // Polls the socket here rather than via await_notification(), which would silently reconnect
    // a broken connection (pqxx 6 "reactivation") instead of reporting it.
    impl_->receiver->count = 0;
    impl_->conn->get_notifs();
    if (impl_->receiver->count == 0) {
      int fd = impl_->conn->sock();
      if (fd < 0) throw pqxx::broken_connection("no socket");
      pollfd p{fd, POLLIN, 0};
      int ready = poll(&p, 1, static_cast<int>(timeout.count()));
      if (ready < 0 && errno != EINTR) throw pqxx::broken_connection("poll failed");
      if (ready > 0) impl_->conn->get_notifs();
    }
    if (!impl_->conn->is_open()) throw pqxx::broken_connection("connection closed");
    return impl_->receiver->count > 0;
  } catch (const std::exception& e) {
    LogWarn("db_listen_lost",
            {{"channel", channel_}, {"error", std::string(e.what()).substr(0, 200)}});
    impl_.reset();
    return Status::Unavailable("lost the database notification connection");
  }
}

}  // namespace optin
