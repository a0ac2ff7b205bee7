#include "service/pages/mail_message.h"

#include <catch2/catch.hpp>
#include <regex>

#include "service/base/crypto.h"

using optin::OutgoingMail;
using optin::RenderMail;

namespace {

const auto kDate = std::chrono::system_clock::from_time_t(1700000000);  // Tue, 14 Nov 2023 22:13:20

OutgoingMail SampleMail() {
  OutgoingMail m;
  m.from = "newsletter@example.org";
  m.from_name = "Newsletter";
  m.to = "anna@example.com";
  m.subject = "Bitte bestätigen Sie Ihr Abonnement – Newsletter für Grüße und Äpfel, ganz lang";
  m.text_body = "Hallo,\n\nbitte bestätigen: https://example.org/confirm?token=abc=def\n" +
                std::string(200, 'x') + "\n.leading dot\nFrom here\ntrailing space \nEnde";
  m.html_body = "<p>Grüße &amp; \"Äpfel\"</p>\n<p>" + std::string(150, 'y') + "</p>\n";
  m.language = "de";
  return m;
}

std::vector<std::string> Lines(const std::string& data) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < data.size()) {
    size_t e = data.find("\r\n", i);
    if (e == std::string::npos) e = data.size();
    out.push_back(data.substr(i, e - i));
    i = e + 2;
  }
  return out;
}

std::string Headers(const std::string& data) { return data.substr(0, data.find("\r\n\r\n") + 2); }

// The value of a header, unfolded.
std::string HeaderValue(const std::string& data, const std::string& name) {
  std::string h = Headers(data);
  size_t p = h.find("\r\n" + name + ":");
  if (p == std::string::npos && h.rfind(name + ":", 0) == 0) p = static_cast<size_t>(-2);
  if (p == std::string::npos) return "";
  size_t start = p + 2 + name.size() + 1;
  std::string value;
  size_t i = start;
  while (true) {
    size_t e = h.find("\r\n", i);
    value += h.substr(i, e - i);
    i = e + 2;
    if (i >= h.size() || (h[i] != ' ' && h[i] != '\t')) break;
  }
  size_t b = value.find_first_not_of(' ');
  return b == std::string::npos ? "" : value.substr(b);
}

std::string Base64Decode(const std::string& in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  // Unsigned: the accumulator keeps shifting left, which overflows an int (UBSan).
  unsigned val = 0;
  int bits = -8;
  for (char c : in) {
    if (c == '=') break;
    auto pos = kAlphabet.find(c);
    REQUIRE(pos != std::string::npos);
    val = (val << 6) + static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

// Decodes a header value made of RFC 2047 B encoded-words separated by folding white space.
std::string DecodeEncodedWords(const std::string& value) {
  static const std::regex kWord(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  std::string out;
  for (auto it = std::sregex_iterator(value.begin(), value.end(), kWord);
       it != std::sregex_iterator(); ++it) {
    out += Base64Decode((*it)[1]);
  }
  return out;
}

std::string QpDecode(const std::string& qp) {
  std::string out;
  for (size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] != '=') {
      out.push_back(qp[i]);
      continue;
    }
    if (qp.compare(i, 3, "=\r\n") == 0) {
      i += 2;
      continue;
    }
    REQUIRE(i + 2 < qp.size());
    out.push_back(static_cast<char>(std::stoi(qp.substr(i + 1, 2), nullptr, 16)));
    i += 2;
  }
  return out;
}

// The decoded body of the part with `content_type`.
std::string PartBody(const std::string& data, const std::string& content_type) {
  size_t p = data.find("Content-Type: " + content_type + "; charset=utf-8\r\n");
  REQUIRE(p != std::string::npos);
  size_t body = data.find("\r\n\r\n", p) + 4;
  size_t end = data.find("\r\n--=_optin_", body);
  REQUIRE(end != std::string::npos);
  return QpDecode(data.substr(body, end - body));
}

std::string Crlf(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += "\r\n";
    else
      out.push_back(c);
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

}  // namespace

TEST_CASE("a rendered mail has the expected headers", "[mail]") {
  auto m = SampleMail();
  m.list_unsubscribe_url = "https://example.org/unsubscribe?token=t0k";
  auto r = RenderMail(m, kDate);
  REQUIRE(r.ok());
  const std::string& d = r->data;
  CHECK(HeaderValue(d, "From") == "\"Newsletter\" <newsletter@example.org>");
  CHECK(HeaderValue(d, "To") == "anna@example.com");
  CHECK(HeaderValue(d, "Date") == "Tue, 14 Nov 2023 22:13:20 +0000");
  CHECK(HeaderValue(d, "MIME-Version") == "1.0");
  CHECK(HeaderValue(d, "Content-Language") == "de");
  CHECK(HeaderValue(d, "Auto-Submitted") == "auto-generated");
  CHECK(HeaderValue(d, "List-Unsubscribe") == "<https://example.org/unsubscribe?token=t0k>");
  CHECK(HeaderValue(d, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click");
  CHECK(HeaderValue(d, "Content-Type").rfind("multipart/alternative;", 0) == 0);
  CHECK(std::regex_match(r->message_id, std::regex("[0-9a-f]{32}@example\\.org")));
  CHECK(HeaderValue(d, "Message-ID") == "<" + r->message_id + ">");
  CHECK(d.find("Content-Type: text/plain; charset=utf-8") != std::string::npos);
  CHECK(d.find("Content-Type: text/html; charset=utf-8") != std::string::npos);
}

TEST_CASE("without an unsubscribe URL there are no List-Unsubscribe headers", "[mail]") {
  auto r = RenderMail(SampleMail(), kDate);
  REQUIRE(r.ok());
  CHECK(Headers(r->data).find("List-Unsubscribe") == std::string::npos);
}

TEST_CASE("message ids are random", "[mail]") {
  auto a = RenderMail(SampleMail(), kDate);
  auto b = RenderMail(SampleMail(), kDate);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->message_id != b->message_id);
}

TEST_CASE("header injection is rejected", "[mail]") {
  const std::string bad[] = {"x\r\nBcc: victim@example.net", "x\nBcc: v@example.net", "x\rY",
                             std::string("x\0y", 3)};
  for (const auto& value : bad) {
    for (int field = 0; field < 6; ++field) {
      auto m = SampleMail();
      std::string* target[] = {&m.from,    &m.from_name, &m.to,
                               &m.subject, &m.language,  &m.list_unsubscribe_url};
      *target[field] += value;
      INFO("field " << field);
      auto r = RenderMail(m, kDate);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == optin::StatusCode::kInvalidArgument);
    }
  }
  auto m = SampleMail();
  m.to = "not-an-address";
  CHECK_FALSE(RenderMail(m, kDate).ok());
  m = SampleMail();
  m.to = "a@b.c>, x@y.z";
  CHECK_FALSE(RenderMail(m, kDate).ok());
}

TEST_CASE("a non-ASCII subject and display name are encoded and decode back", "[mail]") {
  auto m = SampleMail();
  m.from_name = "Grüße vom Team";
  auto r = RenderMail(m, kDate);
  REQUIRE(r.ok());
  std::string subject = HeaderValue(r->data, "Subject");
  CHECK(subject.find("ä") == std::string::npos);
  CHECK(DecodeEncodedWords(subject) == m.subject);
  std::string from = HeaderValue(r->data, "From");
  CHECK(DecodeEncodedWords(from) == m.from_name);
  CHECK(from.find("<newsletter@example.org>") != std::string::npos);
  for (const auto& line : Lines(Headers(r->data))) {
    INFO(line);
    CHECK(line.size() <= 78);
  }
}

TEST_CASE("a long ASCII subject is folded and unfolds to itself", "[mail]") {
  auto m = SampleMail();
  m.subject =
      "Please confirm your subscription to the newsletter of a long named organisation today";
  auto r = RenderMail(m, kDate);
  REQUIRE(r.ok());
  CHECK(HeaderValue(r->data, "Subject") == m.subject);
  for (const auto& line : Lines(Headers(r->data))) CHECK(line.size() <= 78);
}

TEST_CASE("every line ends with CRLF and quoted-printable lines stay within 76", "[mail]") {
  auto r = RenderMail(SampleMail(), kDate);
  REQUIRE(r.ok());
  const std::string& d = r->data;
  REQUIRE(d.size() >= 2);
  CHECK(d.compare(d.size() - 2, 2, "\r\n") == 0);
  for (size_t i = 0; i < d.size(); ++i) {
    if (d[i] == '\n') CHECK((i > 0 && d[i - 1] == '\r'));
    if (d[i] == '\r') CHECK((i + 1 < d.size() && d[i + 1] == '\n'));
    CHECK(d[i] != '\0');
  }
  for (const auto& line : Lines(d.substr(d.find("\r\n\r\n") + 4))) {
    INFO(line);
    CHECK(line.size() <= 76);
    for (unsigned char c : line) CHECK((c >= 0x20 && c < 0x7f));
  }
}

TEST_CASE("both bodies round-trip through quoted-printable", "[mail]") {
  auto m = SampleMail();
  auto r = RenderMail(m, kDate);
  REQUIRE(r.ok());
  CHECK(PartBody(r->data, "text/plain") == Crlf(m.text_body));
  CHECK(PartBody(r->data, "text/html") == Crlf(m.html_body));
  CHECK(r->data.find("\r\n.leading") == std::string::npos);
  CHECK(r->data.find("\r\nFrom here") == std::string::npos);
}

// Found by tests/fuzz/mail_fuzz.cpp: the line-start rule was applied before the soft break that
// started the line, so a long run of dots put a bare '.' at the start of a line.
TEST_CASE("a soft line break never starts a line with a dot or From", "[mail]") {
  auto m = SampleMail();
  m.text_body = "x" + std::string(200, '.') + "\n" + std::string(75, 'y') + "From here\n";
  auto r = RenderMail(m, kDate);
  REQUIRE(r.ok());
  for (const auto& line : Lines(r->data)) {
    INFO(line);
    CHECK(line.rfind(".", 0) != 0);
    CHECK(line.rfind("From ", 0) != 0);
  }
  CHECK(PartBody(r->data, "text/plain") == Crlf(m.text_body));
}

// Found by tests/fuzz/mail_fuzz.cpp: folding before each of many spaces gave continuation lines
// of nothing but a space, which RFC 5322 does not allow in a header.
TEST_CASE("folding never leaves a header line of only white space", "[mail]") {
  auto m = SampleMail();
  m.subject = "a" + std::string(100, ' ') + "b" + std::string(100, ' ');
  auto r = RenderMail(m, kDate);
  REQUIRE(r.ok());
  for (const auto& line : Lines(Headers(r->data))) {
    INFO("[" + line + "]");
    CHECK(line.find_first_not_of(" \t") != std::string::npos);
  }
  CHECK(HeaderValue(r->data, "Subject") == m.subject);
}
