#include "tests/support/mail_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace optin::test {

std::vector<std::string> ReadEmlFiles(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".eml") names.push_back(entry.path().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> out;
  for (const auto& n : names) {
    std::ifstream in(n, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

std::string DecodeQuotedPrintable(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=' && i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;
    } else if (text[i] == '=' && i + 1 < text.size() && text[i + 1] == '\n') {
      i += 1;
    } else if (text[i] == '=' && i + 2 < text.size() &&
               std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string FindLink(const std::string& mail, const std::string& path) {
  std::string decoded = DecodeQuotedPrintable(mail);
  size_t at = decoded.find(path);
  if (at == std::string::npos) return "";
  size_t start = decoded.rfind("http", at);
  size_t end = decoded.find_first_of(" \r\n\"<>'", at);
  return decoded.substr(start, end - start);
}

std::string QueryValue(const std::string& url, const std::string& key) {
  size_t at = url.find(key + "=");
  if (at == std::string::npos) return "";
  size_t start = at + key.size() + 1;
  size_t end = url.find('&', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace optin::test
