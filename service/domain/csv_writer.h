// CSV output for people's spreadsheets (the access export, CONTRACT §7): RFC 4180 records (CRLF,
// a field in double quotes when it holds a comma, quote, CR or LF, quotes doubled) whose cells
// cannot start a spreadsheet formula. Stateless; safe for concurrent use.
#pragma once

#include <string>
#include <vector>

namespace optin {

// One cell: a value starting with = + - @ TAB or CR gets a leading ' (OWASP "CSV injection"), so
// Excel, LibreOffice and Google Sheets show it as text instead of evaluating it; then quoted as
// RFC 4180 asks.
std::string CsvCell(const std::string& value);

// One record of cells, ending in CRLF.
std::string CsvRecordLine(const std::vector<std::string>& cells);

}  // namespace optin
