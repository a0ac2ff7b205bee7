#include "service/app/importer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "service/base/text.h"
#include "service/domain/address.h"

namespace optin {
namespace {

constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxSourceBytes = 500;
const char* const kColumns[] = {"email", "name", "list", "consented_at", "source"};

bool Digits(const std::string& s, size_t pos, size_t n, int* value) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *value = v;
  return true;
}

std::string TwoDigits(int v) {
  return std::string(1, static_cast<char>('0' + v / 10 % 10)) + static_cast<char>('0' + v % 10);
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<std::string> NormalizeConsentTime(const std::string& input) {
  std::string s = TrimSpaces(input);
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d)) {
    return std::nullopt;
  }
  if (y < 1990 || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return std::nullopt;
  size_t pos = 10;
  std::string fraction;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
    if (!Digits(s, pos + 1, 2, &h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &mi)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!Digits(s, pos + 1, 2, &sec)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        size_t end = pos + 1;
        while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end])) && end - pos <= 6)
          ++end;
        if (end == pos + 1) return std::nullopt;
        fraction = s.substr(pos, end - pos);
        pos = end;
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
  }
  std::string offset = "+00:00";
  if (pos < s.size()) {
    std::string rest = s.substr(pos);
    int oh, om = 0;
    if (rest == "Z" || rest == "z") {
      // UTC
    } else if ((rest[0] == '+' || rest[0] == '-') && Digits(rest, 1, 2, &oh) &&
               (rest.size() == 3 ||
                (rest.size() == 6 && rest[3] == ':' && Digits(rest, 4, 2, &om)) ||
                (rest.size() == 5 && Digits(rest, 3, 2, &om))) &&
               oh <= 14 && om <= 59) {
      offset = std::string(1, rest[0]) + TwoDigits(oh) + ":" + TwoDigits(om);
    } else {
      return std::nullopt;
    }
  }
  char out[96];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, sec);
  return std::string(out) + fraction + offset;
}

Importer::~Importer() {
  for (auto& batch : in_flight_) batch.outcomes.wait();
}

Status Importer::Feed(const char* data, size_t size) {
  csv_.Feed(data, size, [this](const CsvRecord& r) { return OnRecord(r); });
  return error_;
}

Status Importer::Finish() {
  if (error_.ok()) csv_.Finish([this](const CsvRecord& r) { return OnRecord(r); });
  if (error_.ok()) error_ = Flush();
  while (!in_flight_.empty()) {
    Status s = SettleOldest();
    if (error_.ok()) error_ = s;
  }
  // Rejections arrive out of line order (a batch's outcomes after later rows were parsed).
  auto& rejected = report_.rejected;
  std::sort(rejected.begin(), rejected.end(),
            [](const auto& a, const auto& b) { return a.line < b.line; });
  if (rejected.size() > kMaxRejected) rejected.resize(kMaxRejected);
  return error_;
}

void Importer::Reject(size_t line, const char* reason) {
  // The first kMaxRejected by line are kept; room for twice that bounds the memory.
  auto& rejected = report_.rejected;
  rejected.push_back({line, reason});
  if (rejected.size() >= 2 * kMaxRejected) {
    std::sort(rejected.begin(), rejected.end(),
              [](const auto& a, const auto& b) { return a.line < b.line; });
    rejected.resize(kMaxRejected);
  }
}

std::string Importer::Field(const CsvRecord& r, const char* column) const {
  auto it = columns_.find(column);
  if (it == columns_.end() || it->second >= r.fields.size()) return "";
  return TrimSpaces(r.fields[it->second]);
}

bool Importer::OnRecord(const CsvRecord& r) {
  if (first_record_) {
    first_record_ = false;
    bool header = !r.fields.empty() && TrimSpaces(r.fields[0]) == "email";
    for (size_t i = 0; i < r.fields.size() && header; ++i) columns_[TrimSpaces(r.fields[i])] = i;
    if (header) return true;
    for (size_t i = 0; i < 5; ++i) columns_[kColumns[i]] = i;
  }
  ++report_.rows;
  auto email = NormalizeAddress(Field(r, "email"));
  auto consented = NormalizeConsentTime(Field(r, "consented_at"));
  std::string name = Field(r, "name");
  if (r.malformed || !email.ok() || !consented || !IsCleanText(name, kMaxNameBytes)) {
    ++report_.invalid;
    Reject(r.line, "invalid");
    return true;
  }
  std::string slug = Field(r, "list").empty() ? "newsletter" : Field(r, "list");
  auto known = list_ids_.find(slug);
  if (known == list_ids_.end()) {
    auto list = lists_(slug);
    if (!list.ok() && list.status().code() != StatusCode::kNotFound) {
      error_ = list.status();
      return false;
    }
    if (list_ids_.size() > 1000) list_ids_.clear();
    known = list_ids_.emplace(slug, list.ok() ? list->id : 0).first;
  }
  if (known->second == 0) {
    ++report_.unknown_list;
    Reject(r.line, "unknown_list");
    return true;
  }
  ImportRow row;
  row.email = *email;
  row.email_hash = AddressHash(row.email);
  row.domain = AddressDomain(row.email);
  row.name = name;
  row.list_id = known->second;
  row.consented_at = *consented;
  row.source = Truncate(SanitizedText(Field(r, "source")), kMaxSourceBytes);
  batch_.push_back(std::move(row));
  batch_lines_.push_back(r.line);
  if (batch_.size() >= kBatchSize) error_ = Flush();
  return error_.ok();
}

Status Importer::Flush() {
  if (batch_.empty()) return Status::Ok();
  if (in_flight_.size() >= kBatchesInFlight) {
    Status s = SettleOldest();
    if (!s.ok()) return s;
  }
  InFlight batch;
  batch.lines = std::move(batch_lines_);
  batch.outcomes = std::async(
      std::launch::async, [this, rows = std::move(batch_)] { return store_.ImportBatch(rows); });
  in_flight_.push_back(std::move(batch));
  batch_.clear();
  batch_lines_.clear();
  return Status::Ok();
}

Status Importer::SettleOldest() {
  InFlight batch = std::move(in_flight_.front());
  in_flight_.pop_front();
  auto outcomes = batch.outcomes.get();
  if (!outcomes.ok()) return outcomes.status();
  for (size_t i = 0; i < outcomes->size(); ++i) {
    switch ((*outcomes)[i]) {
      case ImportOutcome::kImported:
        ++report_.imported;
        break;
      case ImportOutcome::kAlreadySubscribed:
        ++report_.already_subscribed;
        break;
      case ImportOutcome::kSuppressed:
        ++report_.suppressed;
        Reject(batch.lines[i], "suppressed");
        break;
      case ImportOutcome::kInvalid:
        ++report_.invalid;
        Reject(batch.lines[i], "invalid");
        break;
    }
  }
  return Status::Ok();
}

}  // namespace optin
