#include "service/domain/csv_reader.h"

namespace optin {

void CsvReader::Append(char c) {
  record_started_ = true;
  if (++bytes_ > kMaxRecordBytes) {
    record_.malformed = true;  // keep scanning for the record's end, but stop growing
    return;
  }
  field_ += c;
}

void CsvReader::EndField() {
  record_started_ = true;
  if (record_.fields.size() >= kMaxFields) {
    record_.malformed = true;
  } else {
    record_.fields.push_back(std::move(field_));
  }
  field_.clear();
}

bool CsvReader::EndRecord(const Sink& sink) {
  EndField();
  bool blank = record_.fields.size() == 1 && record_.fields[0].empty() && !record_.malformed;
  bool go_on = blank || sink(record_);
  record_ = CsvRecord();
  record_.line = line_ + 1;
  bytes_ = 0;
  record_started_ = false;
  state_ = State::kFieldStart;
  return go_on;
}

bool CsvReader::Feed(const char* data, size_t size, const Sink& sink) {
  if (record_.line == 0) record_.line = line_;
  for (size_t i = 0; i < size; ++i) {
    char c = data[i];
    switch (state_) {
      case State::kFieldStart:
      case State::kUnquoted:
        if (c == ',') {
          EndField();
          state_ = State::kFieldStart;
        } else if (c == '\n') {
          if (!EndRecord(sink)) return false;
          ++line_;
        } else if (c == '\r') {
          // CR of a CRLF line end (a lone CR outside quotes is dropped).
        } else if (c == '"' && state_ == State::kFieldStart) {
          record_started_ = true;
          state_ = State::kQuoted;
        } else {
          if (c == '"') record_.malformed = true;  // a quote inside an unquoted field
          Append(c);
          state_ = State::kUnquoted;
        }
        break;
      case State::kQuoted:
        if (c == '"') {
          state_ = State::kQuoteInQuoted;
        } else {
          if (c == '\n') ++line_;
          Append(c);
        }
        break;
      case State::kQuoteInQuoted:
        if (c == '"') {
          Append('"');
          state_ = State::kQuoted;
        } else if (c == ',') {
          EndField();
          state_ = State::kFieldStart;
        } else if (c == '\n') {
          if (!EndRecord(sink)) return false;
          ++line_;
        } else if (c != '\r') {
          record_.malformed = true;  // text after a closing quote
          Append(c);
          state_ = State::kUnquoted;
        }
        break;
    }
  }
  return true;
}

bool CsvReader::Finish(const Sink& sink) {
  if (record_.line == 0) record_.line = line_;
  if (state_ == State::kQuoted) record_.malformed = true;
  if (!record_started_ && field_.empty()) return true;
  return EndRecord(sink);
}

}  // namespace optin
