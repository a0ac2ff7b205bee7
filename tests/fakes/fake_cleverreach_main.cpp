// fake_cleverreach_server: the in-process FakeCleverReach as a standalone process for the
// benchmarks. Creates one group, prints "port=P group=G api_url=U token_url=T" on one line and
// serves until SIGTERM or SIGINT; then prints "receivers=N upserted_rows=M upsert_calls=K".
#include <signal.h>

#include <cstdio>

#include "tests/fakes/fake_cleverreach.h"

int main() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // the server's threads inherit the mask

  optin::test::FakeCleverReach fake;
  int64_t group = fake.AddGroup("Newsletter");
  std::printf("port=%d group=%lld api_url=%s token_url=%s\n", fake.port(),
              static_cast<long long>(group), fake.api_url().c_str(), fake.token_url().c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::printf("receivers=%zu upserted_rows=%d upsert_calls=%d\n", fake.Receivers(group).size(),
              fake.UpsertedRows(), fake.Calls("receivers.upsert"));
  std::fflush(stdout);
  return 0;
}
