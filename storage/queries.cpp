#include "storage/queries.h"

#include <sstream>

#include "storage/embedded_sql.h"

namespace optin {
namespace {

std::vector<std::string>& Registry() {
  static std::vector<std::string> names;
  return names;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

QueryName::QueryName(const char* name) : name_(name) { Registry().push_back(name); }

const std::vector<std::string>& RegisteredQueryNames() { return Registry(); }

Result<std::map<std::string, std::string>> ParseNamedQueries(const std::string& file_text) {
  std::map<std::string, std::string> queries;
  std::istringstream in(file_text);
  std::string line, name, body;
  auto flush = [&]() -> Status {
    if (name.empty()) return Status::Ok();
    std::string sql = Trim(body);
    while (!sql.empty() && sql.back() == ';') sql = Trim(sql.substr(0, sql.size() - 1));
    if (sql.empty()) return Status::Internal("query '" + name + "' has no SQL");
    if (!queries.emplace(name, sql).second)
      return Status::Internal("query '" + name + "' defined twice");
    return Status::Ok();
  };
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    if (t.rfind("-- name:", 0) == 0) {
      if (auto s = flush(); !s.ok()) return s;
      name = Trim(t.substr(8));
      body.clear();
      if (name.empty()) return Status::Internal("empty query name");
    } else if (t.rfind("--", 0) == 0) {
      continue;  // description and other comments
    } else if (!name.empty()) {
      body += line + "\n";
    }
  }
  if (auto s = flush(); !s.ok()) return s;
  return queries;
}

Result<std::map<std::string, std::string>> LoadNamedQueries() {
  std::map<std::string, std::string> all;
  for (const auto& file : EmbeddedSqlFiles()) {
    std::string path = file.path;
    if (path.rfind("queries/", 0) != 0) continue;
    auto parsed = ParseNamedQueries(file.contents);
    if (!parsed.ok()) return Status::Internal(path + ": " + parsed.status().message());
    for (auto& [n, sql] : *parsed) {
      if (!all.emplace(n, sql).second)
        return Status::Internal("query '" + n + "' defined in two files");
    }
  }
  for (const auto& n : RegisteredQueryNames()) {
    if (!all.count(n))
      return Status::Internal("named query '" + n + "' is missing from sql/queries");
  }
  return all;
}

}  // namespace optin
