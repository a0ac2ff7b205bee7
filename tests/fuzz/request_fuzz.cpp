// POST /subscribe's input path: a form, multipart or JSON body (or another Content-Type) through
// ParseRequestFields into a SignupInput and ValidateSignup. Errors are only 400 invalid_request /
// invalid_email or 415; decoded forms re-encode to the same fields; JSON fields are the object's
// strings; a validated signup's address is NormalizeAddress's and its texts are clean.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "service/base/text.h"
#include "service/domain/address.h"
#include "service/domain/signup.h"
#include "service/http/request_fields.h"
#include "tests/fuzz/fuzz_util.h"

using namespace optin;
using namespace optin::fuzz;

namespace {

std::string PercentEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

void CheckForm(const std::map<std::string, std::string>& values) {
  std::string encoded;
  for (const auto& [k, v] : values) {
    if (!encoded.empty()) encoded += '&';
    encoded += PercentEncode(k) + "=" + PercentEncode(v);
  }
  std::map<std::string, std::string> again;
  FUZZ_CHECK(http::ParseUrlEncoded(encoded, &again));
  // An empty key with an empty value encodes as "=", which is a field named "" again.
  FUZZ_CHECK(again == values);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  int mode = data[0] % 4;
  std::string rest = AsString(data + 1, size - 1);
  httplib::Request req;
  req.method = "POST";
  req.path = "/subscribe";
  switch (mode) {
    case 0:
      req.set_header("Content-Type", "application/x-www-form-urlencoded");
      req.body = rest;
      break;
    case 1: {
      // httplib has already split the multipart body into req.files: name, content, ... repeated.
      req.set_header("Content-Type", "multipart/form-data; boundary=fuzz");
      auto parts = Fields(rest, 16);
      for (size_t i = 0; i + 1 < parts.size(); i += 2) {
        if (parts[i].empty() && parts[i + 1].empty()) continue;
        req.files.emplace(parts[i], httplib::MultipartFormData{parts[i], parts[i + 1], "", ""});
      }
      break;
    }
    case 2:
      req.set_header("Content-Type", "application/json; charset=utf-8");
      req.body = rest;
      break;
    default: {
      auto parts = Fields(rest, 2);
      if (!parts[0].empty()) req.set_header("Content-Type", parts[0]);
      req.body = parts[1];
    }
  }

  auto fields = http::ParseRequestFields(req);
  if (!fields.ok()) {
    const Status& s = fields.status();
    FUZZ_CHECK(
        (s.code() == StatusCode::kInvalidArgument && s.error() == "invalid_request") ||
        (s.code() == StatusCode::kUnsupportedMedia && s.error() == "unsupported_media_type"));
    FUZZ_CHECK(mode != 1);  // multipart fields are already decoded: nothing can be malformed
    return 0;
  }
  if (mode == 0) CheckForm(fields->values);
  if (mode == 1) {
    for (const auto& [name, value] : fields->values) {
      FUZZ_CHECK(req.files.count(name) > 0 && req.files.find(name)->second.content == value);
    }
    FUZZ_CHECK(fields->values.size() <= req.files.size());
  }
  if (mode == 2) {
    FUZZ_CHECK(fields->json);
    auto doc = nlohmann::json::parse(req.body);
    for (const auto& [key, value] : fields->values) {
      const auto& v = doc.at(key);
      FUZZ_CHECK(
          (v.is_string() && v.get<std::string>() == value) ||
          (key == "consent" && v.is_boolean() && value == (v.get<bool>() ? "true" : "false")));
    }
  }

  // As POST /subscribe builds its SignupInput.
  SignupInput in;
  in.email = fields->Get("email");
  in.list = fields->Get("list").empty() ? "newsletter" : fields->Get("list");
  in.name = fields->Get("name");
  in.language = fields->Get("language");
  in.consent_given = http::IsConsentGiven(fields->Get("consent"));
  auto email = ValidateSignup(in);
  auto normalized = NormalizeAddress(in.email);
  if (!normalized.ok()) {
    FUZZ_CHECK(!email.ok() && email.status().error() == "invalid_email");
    return 0;
  }
  if (!email.ok()) {
    FUZZ_CHECK(email.status().error() == "invalid_request");
    FUZZ_CHECK(!IsCleanText(in.name, kMaxSignupNameBytes) ||
               !IsCleanText(in.language, kMaxSignupLanguageBytes) ||
               !IsCleanText(in.list, kMaxSignupListBytes));
    return 0;
  }
  FUZZ_CHECK(*email == *normalized);
  for (const std::string* text : {&in.name, &in.language, &in.list}) {
    FUZZ_CHECK(IsValidUtf8(*text) && !HasAny(*text, std::string("\r\n\0", 3)));
  }
  return 0;
}
