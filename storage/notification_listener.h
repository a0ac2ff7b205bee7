// NotificationListener: a dedicated PostgreSQL connection (not from the pool, which is for request
// work) that LISTENs on one channel, so a worker wakes as soon as new work is committed. Drops
// the connection on any failure; Connect() again to recover. One per thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "service/base/status.h"

namespace optin {

class NotificationListener {
 public:
  // `url`: libpq connection string; `channel`: a plain identifier such as "optin_mail".
  NotificationListener(std::string url, std::string channel);
  ~NotificationListener();
  NotificationListener(const NotificationListener&) = delete;
  NotificationListener& operator=(const NotificationListener&) = delete;

  // Opens the connection and LISTENs, unless already done. Unavailable when the database cannot
  // be reached.
  Status Connect();
  bool connected() const;

  // REQUIRES: connected(). Waits up to `timeout`: true when a notification arrived (all pending
  // ones are consumed), false on timeout. Unavailable when the connection was lost (then
  // connected() is false).
  Result<bool> Wait(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  const std::string url_;
  const std::string channel_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace optin
