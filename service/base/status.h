// Status and Result<T>: errors as values across layers (storage -> service -> http).
// Value types; safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace optin {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // bad input: 400 (or a more specific code chosen by the caller)
  kNotFound,          // 404
  kGone,              // 410: existed, expired
  kConflict,          // 409
  kUnavailable,       // 503: database or dependency down
  kUnauthorized,      // 401
  kRateLimited,       // 429
  kPayloadTooLarge,   // 413
  kUnsupportedMedia,  // 415
  kUnprocessable,     // 422
  kInternal,          // 500
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string error, std::string message)
      : code_(code), error_(std::move(error)), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string error, std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(error), std::move(message));
  }
  static Status NotFound(std::string error, std::string message) {
    return Status(StatusCode::kNotFound, std::move(error), std::move(message));
  }
  static Status Gone(std::string error, std::string message) {
    return Status(StatusCode::kGone, std::move(error), std::move(message));
  }
  static Status Conflict(std::string message) {
    return Status(StatusCode::kConflict, "conflict", std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, "unavailable", std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, "internal", std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // Machine-readable code for the {"error": ...} body, e.g. "invalid_email".
  const std::string& error() const { return error_; }
  // Human-readable text; never contains an address or a secret.
  const std::string& message() const { return message_; }
  // Seconds to wait, for kRateLimited.
  int retry_after() const { return retry_after_; }
  Status& WithRetryAfter(int seconds) {
    retry_after_ = seconds;
    return *this;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string error_;
  std::string message_;
  int retry_after_ = 0;
};

// Either a value or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace optin
