#include "service/http/request_fields.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "service/base/text.h"

namespace optin::http {
namespace {

bool Decode(const std::string& in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out->push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexDigitValue(in[i + 1]), lo = HexDigitValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(c);
    }
  }
  return true;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Status BadRequest(const std::string& message) {
  return Status::InvalidArgument("invalid_request", message);
}

}  // namespace

bool ParseUrlEncoded(const std::string& body, std::map<std::string, std::string>* out) {
  size_t start = 0;
  while (start <= body.size()) {
    size_t amp = body.find('&', start);
    std::string pair =
        body.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key, value;
      if (!Decode(pair.substr(0, eq), &key)) return false;
      if (eq != std::string::npos && !Decode(pair.substr(eq + 1), &value)) return false;
      out->emplace(key, value);  // the first of repeated keys wins
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return true;
}

Result<RequestFields> ParseRequestFields(const httplib::Request& req,
                                         const std::string& bool_field) {
  RequestFields fields;
  std::string type = Lower(req.get_header_value("Content-Type"));
  if (type.empty() && req.body.empty()) return fields;
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    if (!ParseUrlEncoded(req.body, &fields.values))
      return BadRequest("the form body is not valid URL encoding");
    return fields;
  }
  if (type.rfind("multipart/form-data", 0) == 0) {
    for (const auto& [name, part] : req.files) fields.values.emplace(name, part.content);
    return fields;
  }
  if (type.rfind("application/json", 0) == 0) {
    fields.json = true;
    nlohmann::json doc = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return BadRequest("the body is not valid JSON");
    if (!doc.is_object()) return BadRequest("the JSON body must be an object");
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      if (it.value().is_string()) {
        fields.values[it.key()] = it.value().get<std::string>();
      } else if (it.value().is_boolean() && it.key() == bool_field) {
        fields.values[it.key()] = it.value().get<bool>() ? "true" : "false";
      } else if (!it.value().is_null()) {
        return BadRequest("field '" + it.key().substr(0, 40) + "' has the wrong JSON type");
      }
    }
    return fields;
  }
  return Status(StatusCode::kUnsupportedMedia, "unsupported_media_type",
                "send application/x-www-form-urlencoded, multipart/form-data or application/json");
}

bool IsConsentGiven(const std::string& value) {
  std::string v = Lower(value);
  return v == "on" || v == "yes" || v == "true" || v == "1";
}

bool WantsHtml(const httplib::Request& req) {
  std::string accept = req.get_header_value("Accept");
  return accept.find("text/html") != std::string::npos;
}

}  // namespace optin::http
