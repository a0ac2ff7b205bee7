#include "service/http/privacy_export.h"

#include <vector>

#include "service/domain/csv_writer.h"
#include "service/http/subscriber_json.h"

namespace optin::http {
namespace {

std::string ScalarText(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// Appends one record per scalar leaf under `v`, its path relative to the item.
void Flatten(const nlohmann::json& v, const std::string& path, const std::string& section,
             const std::string& item, std::string* out) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      Flatten(it.value(), path.empty() ? it.key() : path + "." + it.key(), section, item, out);
    }
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      Flatten(v[i], path + "." + std::to_string(i + 1), section, item, out);
    }
  } else {
    *out += CsvRecordLine({section, item, path, ScalarText(v)});
  }
}

}  // namespace

nlohmann::json ExportJson(const PrivacyTicket& t, const SubscriptionService& subscriptions) {
  nlohmann::json doc = SubscriberJson(t.record, subscriptions);
  nlohmann::json requests = nlohmann::json::array();
  for (const auto& r : t.requests) {
    nlohmann::json item = {
        {"type", r.type},
        {"language", r.language},
        {"requested_at", r.requested_at},
        {"link_expires_at", r.expires_at},
        {"completed_at",
         r.completed_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.completed_at)}};
    auto outcome = nlohmann::json::parse(r.outcome_json, nullptr, false);
    if (!r.outcome_json.empty() && !outcome.is_discarded()) item["outcome"] = outcome;
    requests.push_back(item);
  }
  doc["privacy_requests"] = requests;
  return doc;
}

std::string ExportCsv(const nlohmann::json& doc) {
  std::string out = CsvRecordLine({"section", "item", "field", "value"});
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!it.value().is_array() && !it.value().is_object()) {
      out += CsvRecordLine({"subscriber", "1", it.key(), ScalarText(it.value())});
    }
  }
  static const char* const kOrder[] = {"subscriptions", "consent_events", "suppressions",
                                       "privacy_requests"};
  std::vector<std::string> sections(std::begin(kOrder), std::end(kOrder));
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    bool known = false;
    for (const auto& s : sections) known = known || s == it.key();
    if (!known && (it.value().is_array() || it.value().is_object())) sections.push_back(it.key());
  }
  for (const auto& section : sections) {
    auto found = doc.find(section);
    if (found == doc.end()) continue;
    if (found->is_object()) {
      Flatten(*found, "", section, "1", &out);
      continue;
    }
    for (size_t i = 0; i < found->size(); ++i) {
      Flatten((*found)[i], "", section, std::to_string(i + 1), &out);
    }
  }
  return out;
}

}  // namespace optin::http
