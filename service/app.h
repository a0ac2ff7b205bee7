// App: the composition root of `optin serve`. Builds the pool, stores, services, workers and the
// HTTP server from a Config, runs them, and stops them in order on Stop(). One per process; Stop()
// may be called from any thread (e.g. the signal thread).
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "service/config.h"
#include "service/status.h"
#include "service/stop_signal.h"

namespace optin {

// A background loop (mailer, sync, retention). Run() returns once `stop` is signalled, after
// finishing its current step.
class Worker {
 public:
  virtual ~Worker() = default;
  virtual const char* name() const = 0;
  virtual void Run(StopSignal& stop) = 0;
};

class App {
 public:
  // REQUIRES: config validated by LoadConfig with require_secret.
  static Result<std::unique_ptr<App>> Create(const Config& config);
  ~App();

  // Binds, starts the workers, logs "listening on http://HOST:PORT" and serves until Stop().
  // Returns 0 after a clean shutdown.
  int Serve();
  void Stop();

  // Every registered route as (method, route template), e.g. ("GET", "/form/{list}"), in
  // registration order (docs/openapi.yaml is checked against it).
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Parts;
  explicit App(const Config& config);
  const Config config_;
  std::unique_ptr<Parts> parts_;
  StopSignal stop_;
};

}  // namespace optin
