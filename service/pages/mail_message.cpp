#include "service/pages/mail_message.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <vector>

#include "service/base/crypto.h"

namespace optin {
namespace {

constexpr size_t kQpLineLimit = 76;
constexpr size_t kHeaderLineLimit = 78;
const char kCrlf[] = "\r\n";

bool HasLineBreakOrNul(const std::string& s) {
  return s.find_first_of(std::string("\r\n\0", 3)) != std::string::npos;
}

bool IsPlainAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// A deliberately strict check: optin only ever sends to normalised addresses and from its own.
bool IsSimpleAddress(const std::string& a) {
  auto at = a.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 >= a.size() || a.size() > 254) return false;
  for (unsigned char c : a) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == '"' || c == '\\' || c == '[' || c == ']') {
      return false;
    }
  }
  return true;
}

// Splits UTF-8 text into pieces of at most `max_bytes` without cutting a character.
std::vector<std::string> SplitUtf8(const std::string& s, size_t first_max, size_t max_bytes) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t limit = out.empty() ? first_max : max_bytes;
    size_t end = std::min(s.size(), i + limit);
    while (end < s.size() && end > i + 1 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
      --end;
    }
    out.push_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

// RFC 2047 B encoded-words, folded so that no line exceeds 78 characters. `prefix_len` is the
// length of "Name: " on the first line.
std::string EncodeWords(const std::string& text, size_t prefix_len) {
  // An encoded word is "=?UTF-8?B?" + base64 + "?=" (12 characters of overhead), at most 75 long.
  auto bytes_for = [](size_t room) { return ((std::min<size_t>(room, 75) - 12) / 4) * 3; };
  auto pieces =
      SplitUtf8(text, bytes_for(kHeaderLineLimit - prefix_len), bytes_for(kHeaderLineLimit - 1));
  std::string out;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64Encode(pieces[i]) + "?=";
  }
  return out;
}

// Plain ASCII text folded at spaces so that lines stay within 78 characters where possible.
std::string FoldAscii(const std::string& text, size_t prefix_len) {
  std::string out;
  size_t line_len = prefix_len;
  size_t i = 0;
  while (i < text.size()) {
    size_t space = text.find(' ', i + 1);
    std::string word = text.substr(i, space == std::string::npos ? std::string::npos : space - i);
    // Only before a word with text: a folded line of nothing but spaces is not RFC 5322
    // (3.2.2), and some parsers end the header there.
    if (!out.empty() && line_len + word.size() > kHeaderLineLimit && word[0] == ' ' &&
        word.size() > 1) {
      out += "\r\n";
      line_len = 0;
    }
    out += word;
    line_len += word.size();
    i += word.size();
  }
  return out;
}

std::string UnstructuredHeader(const std::string& name, const std::string& value) {
  size_t prefix = name.size() + 2;
  if (IsPlainAscii(value) && value.find("=?") == std::string::npos) {
    return name + ": " + FoldAscii(value, prefix) + kCrlf;
  }
  return name + ": " + EncodeWords(value, prefix) + kCrlf;
}

std::string FromHeader(const std::string& name, const std::string& address) {
  if (name.empty()) return "From: " + address + kCrlf;
  std::string display;
  if (IsPlainAscii(name) && name.find("=?") == std::string::npos) {
    display = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') display.push_back('\\');
      display.push_back(c);
    }
    display += "\"";
  } else {
    display = EncodeWords(name, 6);
  }
  size_t nl = display.rfind('\n');
  size_t last_line = nl == std::string::npos ? 6 + display.size() : display.size() - nl - 1;
  std::string sep = (last_line + address.size() + 3 > kHeaderLineLimit) ? "\r\n " : " ";
  return "From: " + display + sep + "<" + address + ">" + kCrlf;
}

std::string RfcDate(std::chrono::system_clock::time_point date) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = std::chrono::system_clock::to_time_t(date);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

// Quoted-printable (RFC 2045 §6.7) of UTF-8 text with '\n' (or "\r\n") line ends: hard breaks
// become CRLF, lines are soft-broken to at most 76 characters, and a leading '.' or "From " is
// encoded so that no transport mangles it.
std::string QuotedPrintable(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::string line;
  auto flush_line = [&](bool hard) {
    out += line;
    out += hard ? "\r\n" : "=\r\n";
    line.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') {
      flush_line(true);
      continue;
    }
    bool at_line_end = i + 1 == text.size() || text[i + 1] == '\n' ||
                       (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n');
    bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end);
    // Keep room for the '=' of a soft break. Break before deciding on the line-start rule: a
    // soft break starts a line too.
    if (line.size() + (literal ? 1 : 3) > kQpLineLimit - 1) flush_line(false);
    if (line.empty() && (c == '.' || (c == 'F' && text.compare(i, 5, "From ") == 0)))
      literal = false;
    line += literal ? std::string(1, static_cast<char>(c))
                    : std::string{'=', kHex[c >> 4], kHex[c & 15]};
  }
  if (!line.empty()) flush_line(true);
  return out;
}

Status CheckHeaderValue(const char* field, const std::string& value) {
  if (HasLineBreakOrNul(value)) {
    return Status::InvalidArgument(
        "invalid_mail", std::string("the mail's ") + field + " contains a line break or NUL");
  }
  return Status::Ok();
}

}  // namespace

Result<RenderedMail> RenderMail(const OutgoingMail& mail,
                                std::chrono::system_clock::time_point date) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"from", &mail.from},
      {"from name", &mail.from_name},
      {"to", &mail.to},
      {"subject", &mail.subject},
      {"language", &mail.language},
      {"unsubscribe URL", &mail.list_unsubscribe_url}};
  for (const auto& [field, value] : fields) {
    if (Status s = CheckHeaderValue(field, *value); !s.ok()) return s;
  }
  if (!IsSimpleAddress(mail.from))
    return Status::InvalidArgument("invalid_mail", "bad From address");
  if (!IsSimpleAddress(mail.to)) return Status::InvalidArgument("invalid_mail", "bad To address");
  for (char c : mail.language) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return Status::InvalidArgument("invalid_mail", "bad language tag");
    }
  }
  if (!mail.list_unsubscribe_url.empty() &&
      (!IsPlainAscii(mail.list_unsubscribe_url) ||
       mail.list_unsubscribe_url.find_first_of(" <>") != std::string::npos)) {
    return Status::InvalidArgument("invalid_mail", "bad unsubscribe URL");
  }

  RenderedMail out;
  std::string domain = mail.from.substr(mail.from.rfind('@') + 1);
  out.message_id = HexEncode(RandomBytes(16)) + "@" + domain;
  std::string boundary = "=_optin_" + HexEncode(RandomBytes(12));

  std::string& d = out.data;
  d += FromHeader(mail.from_name, mail.from);
  d += "To: " + mail.to + kCrlf;
  d += UnstructuredHeader("Subject", mail.subject);
  d += "Date: " + RfcDate(date) + kCrlf;
  d += "Message-ID: <" + out.message_id + ">" + kCrlf;
  d += "MIME-Version: 1.0\r\n";
  if (!mail.language.empty()) d += "Content-Language: " + mail.language + kCrlf;
  d += "Auto-Submitted: auto-generated\r\n";
  if (!mail.list_unsubscribe_url.empty()) {
    std::string value = "<" + mail.list_unsubscribe_url + ">";
    bool fits = std::string("List-Unsubscribe: ").size() + value.size() <= kHeaderLineLimit;
    d += std::string("List-Unsubscribe:") + (fits ? " " : "\r\n ") + value + kCrlf;
    d += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  d += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
  d += kCrlf;
  d += "This is a multi-part message in MIME format.\r\n";
  const std::pair<const char*, const std::string*> parts[] = {{"text/plain", &mail.text_body},
                                                              {"text/html", &mail.html_body}};
  for (const auto& [type, body] : parts) {
    d += "\r\n--" + boundary + kCrlf;
    d += std::string("Content-Type: ") + type + "; charset=utf-8\r\n";
    d += "Content-Transfer-Encoding: quoted-printable\r\n";
    d += kCrlf;
    d += QuotedPrintable(*body);
  }
  d += "\r\n--" + boundary + "--\r\n";
  return out;
}

}  // namespace optin
