// RenderMail with fuzzed display name, subject, bodies, language and unsubscribe URL: it refuses
// exactly the header values with CR, LF or NUL; otherwise only CRLF line ends, no line over 998
// characters, exactly the expected header fields once each (no injection), no whitespace-only
// folded line, the Subject decodes back to the input, both parts decode back to their bodies, no
// line starts with "." or "From ", and the boundary appears only where it belongs.
#include <map>

#include "service/pages/mail_message.h"
#include "tests/fuzz/fuzz_util.h"

using namespace optin;
using namespace optin::fuzz;

namespace {

std::vector<std::string> Lines(const std::string& data) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < data.size()) {
    size_t e = data.find("\r\n", i);
    FUZZ_CHECK(e != std::string::npos);  // the message ends with CRLF
    out.push_back(data.substr(i, e - i));
    i = e + 2;
  }
  return out;
}

std::string Base64Decode(const std::string& in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    size_t v = kAlphabet.find(c);
    FUZZ_CHECK(v != std::string::npos);
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

// An unstructured header value, unfolded, with RFC 2047 B words decoded.
std::string DecodeHeader(const std::string& folded) {
  std::string value;
  for (size_t i = 0; i < folded.size(); ++i) {
    if (folded.compare(i, 2, "\r\n") == 0)
      ++i;
    else
      value += folded[i];
  }
  if (value.rfind("=?UTF-8?B?", 0) != 0) return value;
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    if (value[i] == ' ') ++i;
    FUZZ_CHECK(value.compare(i, 10, "=?UTF-8?B?") == 0);
    size_t end = value.find("?=", i + 10);
    FUZZ_CHECK(end != std::string::npos);
    out += Base64Decode(value.substr(i + 10, end - i - 10));
    i = end + 2;
  }
  return out;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  FUZZ_CHECK(c >= 'A' && c <= 'F');
  return c - 'A' + 10;
}

std::string DecodeQuotedPrintable(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    FUZZ_CHECK(line.size() <= 76);
    bool soft = !line.empty() && line.back() == '=';
    std::string text = soft ? line.substr(0, line.size() - 1) : line;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '=') {
        FUZZ_CHECK(i + 2 < text.size());
        out.push_back(static_cast<char>(Hex(text[i + 1]) * 16 + Hex(text[i + 2])));
        i += 2;
      } else {
        out.push_back(text[i]);
      }
    }
    if (!soft) out += "\n";
  }
  return out;
}

std::string Normalized(std::string body) {
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
    out += body[i];
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  auto f = Fields(AsString(data + 2, size - 2), 4);
  static const char* kLanguages[] = {"de", "nl", "en", ""};
  OutgoingMail mail;
  mail.from = "newsletter@example.org";
  mail.to = "anna@example.com";
  mail.from_name = f[0];
  mail.subject = f[1];
  mail.text_body = f[2];
  mail.html_body = f[3];
  mail.language = kLanguages[data[0] % 4];
  if (data[0] & 4)
    mail.list_unsubscribe_url =
        "https://example.org/unsubscribe?token=" + std::string(data[1] % 80, 'A');
  auto date = std::chrono::system_clock::from_time_t(946684800 + data[1] * 12345678LL);

  auto rendered = RenderMail(mail, date);
  const std::string kBreaks("\r\n\0", 3);
  bool bad_header = HasAny(mail.from_name, kBreaks) || HasAny(mail.subject, kBreaks);
  FUZZ_CHECK(rendered.ok() == !bad_header);
  if (!rendered.ok()) return 0;
  const std::string& d = rendered->data;

  for (size_t i = 0; i < d.size(); ++i) {
    if (d[i] == '\n') FUZZ_CHECK(i > 0 && d[i - 1] == '\r');
    if (d[i] == '\r') FUZZ_CHECK(i + 1 < d.size() && d[i + 1] == '\n');
    FUZZ_CHECK(d[i] != '\0');
  }
  size_t end_of_headers = d.find("\r\n\r\n");
  FUZZ_CHECK(end_of_headers != std::string::npos);
  auto header_lines = Lines(d.substr(0, end_of_headers + 2));
  auto body_lines = Lines(d.substr(end_of_headers + 4));

  std::map<std::string, std::string> headers;  // name -> folded value
  std::string current;
  for (const auto& line : header_lines) {
    FUZZ_CHECK(line.size() <= 998 && !line.empty());
    if (line[0] == ' ' || line[0] == '\t') {
      FUZZ_CHECK(!current.empty());
      FUZZ_CHECK(line.find_first_not_of(" \t") != std::string::npos);  // RFC 5322 3.2.2
      headers[current] += "\r\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    FUZZ_CHECK(colon != std::string::npos);
    current = line.substr(0, colon);
    FUZZ_CHECK(headers.count(current) == 0);
    headers[current] = line.substr(colon + 1);
  }
  std::vector<std::string> expected = {"From",           "To",          "Subject",
                                       "Date",           "Message-ID",  "MIME-Version",
                                       "Auto-Submitted", "Content-Type"};
  if (!mail.language.empty()) expected.push_back("Content-Language");
  if (!mail.list_unsubscribe_url.empty()) {
    expected.push_back("List-Unsubscribe");
    expected.push_back("List-Unsubscribe-Post");
  }
  FUZZ_CHECK(headers.size() == expected.size());
  for (const auto& name : expected) FUZZ_CHECK(headers.count(name) == 1);
  FUZZ_CHECK(headers["To"] == " " + mail.to);
  std::string subject = headers["Subject"];
  FUZZ_CHECK(subject.rfind(" ", 0) == 0);
  FUZZ_CHECK(DecodeHeader(subject.substr(1)) == mail.subject);
  std::string from = headers["From"];
  std::string angle = "<" + mail.from + ">";
  if (mail.from_name.empty())
    FUZZ_CHECK(from == " " + mail.from);
  else
    FUZZ_CHECK(from.size() > angle.size() &&
               from.compare(from.size() - angle.size(), angle.size(), angle) == 0);

  // Body: preamble, two parts, the closing delimiter.
  const std::string& ct = headers["Content-Type"];
  size_t b = ct.find("boundary=\"");
  FUZZ_CHECK(b != std::string::npos);
  std::string boundary = ct.substr(b + 10, ct.find('"', b + 10) - b - 10);
  std::vector<size_t> delimiters;
  for (size_t i = 0; i < body_lines.size(); ++i) {
    const auto& line = body_lines[i];
    FUZZ_CHECK(line.size() <= 998);
    FUZZ_CHECK(line.rfind(".", 0) != 0 && line.rfind("From ", 0) != 0);
    if (line.find(boundary) != std::string::npos) {
      FUZZ_CHECK(line == "--" + boundary || line == "--" + boundary + "--");
      delimiters.push_back(i);
    }
  }
  FUZZ_CHECK(delimiters.size() == 3 && body_lines[delimiters[2]] == "--" + boundary + "--");
  const std::string* bodies[] = {&mail.text_body, &mail.html_body};
  for (int part = 0; part < 2; ++part) {
    size_t first = delimiters[part] + 1;
    size_t last = delimiters[part + 1] - 1;  // the CRLF before a delimiter belongs to it
    FUZZ_CHECK(body_lines[first].rfind("Content-Type: ", 0) == 0);
    FUZZ_CHECK(body_lines[first + 1] == "Content-Transfer-Encoding: quoted-printable");
    FUZZ_CHECK(body_lines[first + 2].empty());
    FUZZ_CHECK(body_lines[last].empty());
    std::vector<std::string> qp(body_lines.begin() + first + 3, body_lines.begin() + last);
    FUZZ_CHECK(DecodeQuotedPrintable(qp) == Normalized(*bodies[part]));
  }
  return 0;
}
