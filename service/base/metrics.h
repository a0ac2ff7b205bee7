// Metrics: the registry behind GET /metrics (Prometheus text exposition format 0.0.4). Owns
// counter and histogram families that components update as things happen, plus collectors —
// callbacks run at scrape time that append their own families (gauges read from the database,
// worker counters, pool stats). Safe for concurrent use: families lock per family, the registry
// locks its own lists; collectors run outside those locks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace optin {

// Label name/value pairs, in the order they are rendered. Names are [a-zA-Z_][a-zA-Z0-9_]*;
// values are escaped on output. Values must never carry an address, a token or a secret.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Escapes a label value: backslash, double quote and line feed (the exposition format's rules).
std::string EscapeLabelValue(const std::string& value);
// `{a="x",b="y"}`, or "" for no labels.
std::string FormatLabels(const MetricLabels& labels);

// Appends families to a scrape. Families must be written whole, one at a time.
class MetricsWriter {
 public:
  // Writes the "# HELP" and "# TYPE" lines. `type` is counter, gauge or histogram.
  void Family(const std::string& name, const std::string& type, const std::string& help);
  void Sample(const std::string& name, const MetricLabels& labels, double value);
  // A one-sample family.
  void Gauge(const std::string& name, const std::string& help, double value,
             const MetricLabels& labels = {});
  void Counter(const std::string& name, const std::string& help, double value,
               const MetricLabels& labels = {});
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// A counter family: one monotonically increasing value per label set.
class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help)
      : name_(std::move(name)), help_(std::move(help)) {}
  void Inc(const MetricLabels& labels = {}, double by = 1);
  double Value(const MetricLabels& labels = {}) const;
  void Write(MetricsWriter& out) const;

 private:
  const std::string name_;
  const std::string help_;
  mutable std::mutex mu_;  // guards values_
  std::map<MetricLabels, double> values_;
};

// A histogram family: cumulative buckets (`le`), _sum and _count per label set.
class HistogramFamily {
 public:
  // REQUIRES: `bounds` ascending.
  HistogramFamily(std::string name, std::string help, std::vector<double> bounds)
      : name_(std::move(name)), help_(std::move(help)), bounds_(std::move(bounds)) {}
  void Observe(const MetricLabels& labels, double value);
  void Write(MetricsWriter& out) const;

 private:
  struct Series {
    std::vector<uint64_t> buckets;  // per bound, not cumulative; cumulated when written
    uint64_t count = 0;
    double sum = 0;
  };
  const std::string name_;
  const std::string help_;
  const std::vector<double> bounds_;
  mutable std::mutex mu_;  // guards series_
  std::map<MetricLabels, Series> series_;
};

class MetricsRegistry {
 public:
  using Collector = std::function<void(MetricsWriter&)>;

  // Latency buckets in seconds for request histograms.
  static const std::vector<double>& DefaultLatencyBuckets();

  // Returns the family of that name, creating it on first use; the reference stays valid for
  // the registry's lifetime.
  CounterFamily& Counter(const std::string& name, const std::string& help);
  HistogramFamily& Histogram(const std::string& name, const std::string& help,
                             const std::vector<double>& bounds = DefaultLatencyBuckets());
  // Runs at every scrape, after the registry's own families, in registration order.
  void AddCollector(Collector collector);

  // The whole exposition.
  std::string Render() const;

 private:
  mutable std::mutex mu_;  // guards the three containers (not the families' values)
  std::vector<std::string> order_;
  std::map<std::string, std::unique_ptr<CounterFamily>> counters_;
  std::map<std::string, std::unique_ptr<HistogramFamily>> histograms_;
  std::vector<Collector> collectors_;
};

}  // namespace optin
