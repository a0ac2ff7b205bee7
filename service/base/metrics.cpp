#include "service/base/metrics.h"

#include <cmath>
#include <cstdio>

namespace optin {
namespace {

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[40];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.9g", v);
  }
  return buf;
}

std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

MetricLabels With(MetricLabels labels, const std::string& name, const std::string& value) {
  labels.emplace_back(name, value);
  return labels;
}

}  // namespace

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string FormatLabels(const MetricLabels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ",";
    out += labels[i].first + "=\"" + EscapeLabelValue(labels[i].second) + "\"";
  }
  return out + "}";
}

void MetricsWriter::Family(const std::string& name, const std::string& type,
                           const std::string& help) {
  text_ += "# HELP " + name + " " + EscapeHelp(help) + "\n";
  text_ += "# TYPE " + name + " " + type + "\n";
}

void MetricsWriter::Sample(const std::string& name, const MetricLabels& labels, double value) {
  text_ += name + FormatLabels(labels) + " " + FormatValue(value) + "\n";
}

void MetricsWriter::Gauge(const std::string& name, const std::string& help, double value,
                          const MetricLabels& labels) {
  Family(name, "gauge", help);
  Sample(name, labels, value);
}

void MetricsWriter::Counter(const std::string& name, const std::string& help, double value,
                            const MetricLabels& labels) {
  Family(name, "counter", help);
  Sample(name, labels, value);
}

void CounterFamily::Inc(const MetricLabels& labels, double by) {
  std::lock_guard<std::mutex> lock(mu_);
  values_[labels] += by;
}

double CounterFamily::Value(const MetricLabels& labels) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = values_.find(labels);
  return it == values_.end() ? 0 : it->second;
}

void CounterFamily::Write(MetricsWriter& out) const {
  out.Family(name_, "counter", help_);
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [labels, value] : values_) out.Sample(name_, labels, value);
}

void HistogramFamily::Observe(const MetricLabels& labels, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = series_[labels];
  if (s.buckets.empty()) s.buckets.assign(bounds_.size(), 0);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      ++s.buckets[i];
      break;
    }
  }
  ++s.count;
  s.sum += value;
}

void HistogramFamily::Write(MetricsWriter& out) const {
  out.Family(name_, "histogram", help_);
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [labels, s] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += s.buckets[i];
      out.Sample(name_ + "_bucket", With(labels, "le", FormatValue(bounds_[i])),
                 static_cast<double>(cumulative));
    }
    out.Sample(name_ + "_bucket", With(labels, "le", "+Inf"), static_cast<double>(s.count));
    out.Sample(name_ + "_sum", labels, s.sum);
    out.Sample(name_ + "_count", labels, static_cast<double>(s.count));
  }
}

const std::vector<double>& MetricsRegistry::DefaultLatencyBuckets() {
  static const std::vector<double> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                               0.25,  0.5,   1,    2.5,   5,    10};
  return kBuckets;
}

CounterFamily& MetricsRegistry::Counter(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = counters_[name];
  if (!slot) {
    slot = std::make_unique<CounterFamily>(name, help);
    order_.push_back(name);
  }
  return *slot;
}

HistogramFamily& MetricsRegistry::Histogram(const std::string& name, const std::string& help,
                                            const std::vector<double>& bounds) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = histograms_[name];
  if (!slot) {
    slot = std::make_unique<HistogramFamily>(name, help, bounds);
    order_.push_back(name);
  }
  return *slot;
}

void MetricsRegistry::AddCollector(Collector collector) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::Render() const {
  std::vector<const CounterFamily*> counters;
  std::vector<const HistogramFamily*> histograms;
  std::vector<Collector> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& name : order_) {
      if (auto c = counters_.find(name); c != counters_.end()) counters.push_back(c->second.get());
      if (auto h = histograms_.find(name); h != histograms_.end())
        histograms.push_back(h->second.get());
    }
    collectors = collectors_;
  }
  MetricsWriter out;
  for (const auto* c : counters) c->Write(out);
  for (const auto* h : histograms) h->Write(out);
  for (const auto& collect : collectors) collect(out);
  return out.text();
}

}  // namespace optin
