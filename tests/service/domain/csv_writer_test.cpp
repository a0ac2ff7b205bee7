#include "service/domain/csv_writer.h"

#include <catch2/catch.hpp>

#include "service/domain/csv_reader.h"

using optin::CsvCell;
using optin::CsvRecordLine;

TEST_CASE("CSV cells are quoted as RFC 4180 asks and never start a formula", "[csv]") {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"", ""},
      {"plain", "plain"},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"cr\rx", "\"cr\rx\""},
      {"=1+2", "'=1+2"},
      {"+49 30", "'+49 30"},
      {"-5", "'-5"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\tx", "'\tx"},
      {"\rx", "\"'\rx\""},
      {"=A1,\"x\"", "\"'=A1,\"\"x\"\"\""},
      {"a=b", "a=b"},
      {"'quoted", "'quoted"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(CsvCell(c.in) == c.out);
  }
}

TEST_CASE("CSV records end in CRLF and read back through the RFC 4180 reader", "[csv]") {
  std::vector<std::string> cells = {"a", "b,c", "\"q\"", "line\r\nbreak", "", "=x"};
  std::string line = CsvRecordLine(cells);
  CHECK(line.substr(line.size() - 2) == "\r\n");
  optin::CsvReader reader;
  std::vector<std::string> back;
  auto sink = [&](const optin::CsvRecord& r) {
    CHECK_FALSE(r.malformed);
    back = r.fields;
    return true;
  };
  reader.Feed(line.data(), line.size(), sink);
  reader.Finish(sink);
  cells.back() = "'=x";
  CHECK(back == cells);
}
