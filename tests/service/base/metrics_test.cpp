// The metrics registry: exposition format, label escaping, cumulative histograms, collectors.
#include "service/base/metrics.h"

#include <catch2/catch.hpp>
#include <thread>

using namespace optin;

TEST_CASE("label values are escaped per the exposition format", "[metrics]") {
  CHECK(EscapeLabelValue(R"(a"b\c)"
                         "\n"
                         "d") == R"(a\"b\\c\nd)");
  CHECK(FormatLabels({}) == "");
  CHECK(FormatLabels({{"route", "/form/{list}"}, {"status", "200"}}) ==
        R"({route="/form/{list}",status="200"})");
}

TEST_CASE("counters render HELP, TYPE and one sample per label set", "[metrics]") {
  MetricsRegistry m;
  auto& c = m.Counter("optin_things_total", "Things.\nMore");
  CHECK(&m.Counter("optin_things_total", "ignored") == &c);
  c.Inc({{"kind", "a\"b"}});
  c.Inc({{"kind", "a\"b"}}, 2);
  c.Inc({{"kind", "z"}});
  CHECK(c.Value({{"kind", "a\"b"}}) == 3);
  CHECK(m.Render() ==
        "# HELP optin_things_total Things.\\nMore\n"
        "# TYPE optin_things_total counter\n"
        "optin_things_total{kind=\"a\\\"b\"} 3\n"
        "optin_things_total{kind=\"z\"} 1\n");
}

TEST_CASE("histogram buckets are cumulative, +Inf equals the count", "[metrics]") {
  MetricsRegistry m;
  auto& h = m.Histogram("optin_latency_seconds", "Latency.", {0.1, 1});
  h.Observe({{"route", "/x"}}, 0.05);
  h.Observe({{"route", "/x"}}, 0.5);
  h.Observe({{"route", "/x"}}, 0.5);
  h.Observe({{"route", "/x"}}, 7);
  std::string text = m.Render();
  CHECK(text.find("optin_latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("optin_latency_seconds_bucket{route=\"/x\",le=\"1\"} 3\n") != std::string::npos);
  CHECK(text.find("optin_latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n") !=
        std::string::npos);
  CHECK(text.find("optin_latency_seconds_count{route=\"/x\"} 4\n") != std::string::npos);
  CHECK(text.find("optin_latency_seconds_sum{route=\"/x\"} 8.05\n") != std::string::npos);
}

TEST_CASE("collectors append their families at every scrape", "[metrics]") {
  MetricsRegistry m;
  int calls = 0;
  m.AddCollector([&calls](MetricsWriter& out) {
    ++calls;
    out.Gauge("optin_sync_calls", "Calls.", calls, {{"endpoint", "receivers"}});
  });
  CHECK(m.Render() ==
        "# HELP optin_sync_calls Calls.\n# TYPE optin_sync_calls gauge\n"
        "optin_sync_calls{endpoint=\"receivers\"} 1\n");
  CHECK(m.Render().find("} 2\n") != std::string::npos);
}

TEST_CASE("counters are safe for concurrent use", "[metrics]") {
  MetricsRegistry m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) m.Counter("optin_c_total", "C.").Inc({{"t", "x"}});
    });
  }
  for (auto& t : threads) t.join();
  CHECK(m.Counter("optin_c_total", "C.").Value({{"t", "x"}}) == 4000);
}
