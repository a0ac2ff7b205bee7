// App: the composition root of `optin serve`. Builds the pool, stores, services, workers and the
// HTTP server from a Config, runs them, and stops them in order on Stop(). One per process; Stop()
// may be called from any thread (e.g. the signal thread).
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "service/app/worker.h"
#include "service/base/config.h"
#include "service/base/status.h"
#include "service/base/stop_signal.h"

namespace optin {

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
