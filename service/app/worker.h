// Worker: a background loop of `optin serve` (mailer, sync, retention). Each worker runs on a
// thread of its own; Run() returns once `stop` is signalled, after finishing its current step.
#pragma once

#include "service/base/stop_signal.h"

namespace optin {

class Worker {
 public:
  virtual ~Worker() = default;
  virtual const char* name() const = 0;
  virtual void Run(StopSignal& stop) = 0;
};

}  // namespace optin
