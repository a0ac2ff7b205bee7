// CSV import: CsvReader gives the same records however the input is chunked, keeps records within
// its limits, and a well-formed record written back as CSV reads as itself; the Importer hands the
// store only rows that are normalised (address, consent time) and clean, and its report adds up.
// ImportStore::ImportBatch is defined here (the fuzzer links no storage/) to check each batch.
#include "service/app/importer.h"
#include "service/base/text.h"
#include "service/domain/address.h"
#include "service/domain/csv_reader.h"
#include "storage/import_store.h"
#include "tests/fuzz/fuzz_util.h"

using namespace optin;
using namespace optin::fuzz;

namespace optin {

Result<std::vector<ImportOutcome>> ImportStore::ImportBatch(const std::vector<ImportRow>& rows,
                                                            const std::string& admin) {
  static_cast<void>(pool_);   // a stand-in pool: never used
  FUZZ_CHECK(admin.empty());  // the fuzzer imports as no named admin
  FUZZ_CHECK(!rows.empty() && rows.size() <= Importer::kBatchSize);
  for (const auto& row : rows) {
    auto again = NormalizeAddress(row.email);
    FUZZ_CHECK(again.ok() && *again == row.email);
    FUZZ_CHECK(row.email_hash == AddressHash(row.email) && row.domain == AddressDomain(row.email));
    FUZZ_CHECK(row.list_id == 1 || row.list_id == 2);
    FUZZ_CHECK(IsCleanText(row.name, 200));
    FUZZ_CHECK(row.source.size() <= 500 && IsCleanText(row.source, 500));
    auto time = NormalizeConsentTime(row.consented_at);
    FUZZ_CHECK(time && *time == row.consented_at);
  }
  return std::vector<ImportOutcome>(rows.size(), ImportOutcome::kImported);
}

}  // namespace optin

namespace {

std::vector<CsvRecord> ReadAll(const std::string& text, size_t chunk) {
  std::vector<CsvRecord> records;
  CsvReader reader;
  auto sink = [&](const CsvRecord& r) {
    records.push_back(r);
    return true;
  };
  for (size_t i = 0; i < text.size(); i += chunk) {
    FUZZ_CHECK(reader.Feed(text.data() + i, std::min(chunk, text.size() - i), sink));
  }
  FUZZ_CHECK(reader.Finish(sink));
  return records;
}

bool Same(const CsvRecord& a, const CsvRecord& b) {
  return a.fields == b.fields && a.line == b.line && a.malformed == b.malformed;
}

std::string WriteCsv(const CsvRecord& r) {
  std::string out;
  for (size_t i = 0; i < r.fields.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : r.fields[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
  }
  return out + "\r\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = AsString(data, size);
  auto whole = ReadAll(text, text.size() + 1);
  auto chunked = ReadAll(text, size == 0 ? 1 : 1 + data[0] % 7);
  FUZZ_CHECK(whole.size() == chunked.size());
  size_t last_line = 1;
  for (size_t i = 0; i < whole.size(); ++i) {
    const CsvRecord& r = whole[i];
    FUZZ_CHECK(Same(r, chunked[i]));
    FUZZ_CHECK(r.line >= last_line);
    last_line = r.line;
    FUZZ_CHECK(!r.fields.empty() && r.fields.size() <= CsvReader::kMaxFields);
    size_t bytes = 0;
    for (const auto& f : r.fields) bytes += f.size();
    FUZZ_CHECK(bytes <= CsvReader::kMaxRecordBytes);
    if (!r.malformed) {
      auto again = ReadAll(WriteCsv(r), 5);
      FUZZ_CHECK(again.size() == 1 && again[0].fields == r.fields && !again[0].malformed);
    }
  }

  // The stubbed ImportBatch never touches the pool, so any storage stands in for it.
  alignas(64) static char pool_storage[64];
  ImportStore store(*reinterpret_cast<ConnectionPool*>(pool_storage));
  Importer importer(store, [](const std::string& slug) -> Result<ListInfo> {
    if (slug != "newsletter" && slug != "other") return Status::NotFound("unknown_list", slug);
    ListInfo list;
    list.id = slug == "newsletter" ? 1 : 2;
    list.slug = slug;
    return list;
  });
  FUZZ_CHECK(importer.Feed(text.data(), text.size()).ok());
  FUZZ_CHECK(importer.Finish().ok());
  const ImportReport& report = importer.report();
  FUZZ_CHECK(report.rows == report.imported + report.invalid + report.unknown_list);
  FUZZ_CHECK(report.rejected.size() <= Importer::kMaxRejected);
  FUZZ_CHECK(report.rows <= static_cast<int64_t>(whole.size()));

  auto time = NormalizeConsentTime(text);
  if (time) {
    auto again = NormalizeConsentTime(*time);
    FUZZ_CHECK(again && *again == *time);
  }
  return 0;
}
