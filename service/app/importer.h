// Importer: one CSV import (POST /admin/import) of subscribers who gave double opt-in elsewhere.
// Columns email,name,list,consented_at,source (a header row, in any column order, is optional).
// Rows are validated here and written in batches through ImportStore, so memory stays bounded
// however long the input is. Up to kBatchesInFlight batches are written at once, each in its own
// transaction on its own connection, while parsing goes on (one PostgreSQL backend writing
// batches was the import's limit). One per request; not safe for concurrent use.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "service/base/status.h"
#include "service/domain/csv_reader.h"
#include "service/domain/model.h"
#include "storage/import_store.h"

namespace optin {

struct ImportReport {
  int64_t rows = 0;
  int64_t imported = 0;
  int64_t already_subscribed = 0;
  int64_t suppressed = 0;
  int64_t invalid = 0;
  int64_t unknown_list = 0;
  struct Rejected {
    size_t line = 0;
    std::string reason;  // invalid, suppressed, unknown_list
  };
  std::vector<Rejected> rejected;  // the first kMaxRejected rejected rows
};

// "2024-05-01", "2024-05-01T10:00[:00[.123]]" or with a space, optionally with "Z" or "+02:00";
// without an offset the time is UTC. Returns ISO 8601 with an explicit offset, or nullopt.
std::optional<std::string> NormalizeConsentTime(const std::string& text);

class Importer {
 public:
  static constexpr size_t kBatchSize = 1000;
  static constexpr size_t kBatchesInFlight = 2;
  static constexpr size_t kMaxRejected = 20;
  using ListResolver = std::function<Result<ListInfo>(const std::string& slug)>;

  Importer(ImportStore& store, ListResolver lists) : store_(store), lists_(std::move(lists)) {}
  ~Importer();  // waits for batches still being written

  // Feeds the next chunk of the body; a database failure stops the import (batches written by
  // then stay imported — with batches in flight, possibly one after the failed one; importing
  // the same file again is safe: imported rows count as already subscribed).
  Status Feed(const char* data, size_t size);
  // Ends the input and writes the last batch.
  Status Finish();
  const ImportReport& report() const { return report_; }

 private:
  bool OnRecord(const CsvRecord& record);
  // Hands the current batch to a writer; when kBatchesInFlight are busy, first settles the oldest.
  Status Flush();
  // Waits for the oldest batch in flight and counts its outcomes.
  Status SettleOldest();
  void Reject(size_t line, const char* reason);
  std::string Field(const CsvRecord& record, const char* column) const;

  ImportStore& store_;
  ListResolver lists_;
  CsvReader csv_;
  bool first_record_ = true;
  std::map<std::string, size_t> columns_;    // column name -> index
  std::map<std::string, int64_t> list_ids_;  // slug -> id (0 = unknown)
  std::vector<ImportRow> batch_;
  std::vector<size_t> batch_lines_;
  struct InFlight {
    std::vector<size_t> lines;
    std::future<Result<std::vector<ImportOutcome>>> outcomes;
  };
  std::deque<InFlight> in_flight_;  // oldest first
  Status error_;
  ImportReport report_;
};

}  // namespace optin
