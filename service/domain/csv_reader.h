// CsvReader: an incremental RFC 4180 parser (comma-separated, fields optionally in double quotes
// with "" for a quote, quoted fields may span lines, CRLF or LF line ends). Fed chunk by chunk,
// it hands out one record at a time and holds at most one record in memory, so inputs of any
// size stream through it. One per input; not safe for concurrent use.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace optin {

struct CsvRecord {
  std::vector<std::string> fields;
  size_t line = 0;         // 1-based line on which the record starts
  bool malformed = false;  // stray quote, unterminated quote, too long or too many fields
};

class CsvReader {
 public:
  // Returns false to stop reading.
  using Sink = std::function<bool(const CsvRecord&)>;

  static constexpr size_t kMaxRecordBytes = 16 * 1024;
  static constexpr size_t kMaxFields = 64;

  // Feeds the next chunk; records completed by it go to `sink`. False when the sink stopped.
  bool Feed(const char* data, size_t size, const Sink& sink);
  // Ends the input: the last record (if any) goes to `sink`.
  bool Finish(const Sink& sink);

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  void Append(char c);
  void EndField();
  bool EndRecord(const Sink& sink);

  State state_ = State::kFieldStart;
  CsvRecord record_;
  std::string field_;
  size_t bytes_ = 0;  // of the current record
  size_t line_ = 1;
  bool record_started_ = false;
};

}  // namespace optin
