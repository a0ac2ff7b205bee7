#include "service/http/admin_routes.h"

#include <algorithm>
#include <cstdint>

#include "service/base/crypto.h"
#include "service/base/text.h"
#include "service/domain/address.h"
#include "service/domain/language.h"
#include "service/http/respond.h"

namespace optin::http {
namespace {

Status BadRequest(const std::string& message) {
  return Status::InvalidArgument("invalid_request", message);
}

nlohmann::json LanguageCodes(const std::vector<Language>& languages) {
  nlohmann::json out = nlohmann::json::array();
  for (Language l : languages) out.push_back(LanguageCode(l));
  return out;
}

nlohmann::json ListJson(const ListInfo& l) {
  auto opt = [](const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
  };
  return {{"slug", l.slug},
          {"name", l.name},
          {"language", l.language},
          {"cleverreach_group_id", opt(l.cleverreach_group_id)},
          {"require_consent_checkbox", l.require_consent_checkbox},
          {"consent_text", l.consent_text},
          {"thank_you_url", opt(l.thank_you_url)},
          {"confirmed_url", opt(l.confirmed_url)},
          {"languages", LanguageCodes(OfferedLanguages(l.language, l.languages))}};
}

// Reads one optional field of a list update; false (and *error) when its type or value is wrong.
Status ReadListUpdate(const nlohmann::json& body, ListUpdate* u) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& k = it.key();
    const auto& v = it.value();
    if (k == "require_consent_checkbox") {
      if (!v.is_boolean()) return BadRequest("require_consent_checkbox must be true or false");
      u->require_consent_checkbox = v.get<bool>();
      continue;
    }
    if (k == "cleverreach_group_id" && v.is_number_unsigned()) {
      // Group ids are handled as signed 64-bit numbers everywhere after this point.
      if (v.get<uint64_t>() == 0 || v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
        return BadRequest("cleverreach_group_id must be between 1 and 9223372036854775807");
      }
      u->cleverreach_group_id = std::to_string(v.get<uint64_t>());
      continue;
    }
    if (k == "languages") {
      // The set offered; the list's own is always offered, so it need not be named.
      if (!v.is_array() || v.size() > 3)
        return BadRequest("languages must be an array of de, nl, en");
      std::vector<std::string> codes;
      for (const auto& code : v) {
        if (!code.is_string() || !IsSupportedLanguage(code.get<std::string>()))
          return BadRequest("languages must be an array of de, nl, en");
        if (std::find(codes.begin(), codes.end(), code.get<std::string>()) == codes.end())
          codes.push_back(code.get<std::string>());
      }
      u->languages = codes;
      continue;
    }
    if (k == "slug") continue;
    std::string text;
    if (v.is_null())
      text = "";
    else if (v.is_string())
      text = v.get<std::string>();
    else
      return BadRequest(k.substr(0, 40) + " has the wrong JSON type");
    if (k == "name") {
      if (!IsCleanText(text, 200) || text.empty())
        return BadRequest("name must be 1–200 characters of text");
      u->name = text;
    } else if (k == "language") {
      if (!IsSupportedLanguage(text)) return BadRequest("language must be de, nl or en");
      u->language = text;
    } else if (k == "cleverreach_group_id") {
      if (text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) {
        return BadRequest("cleverreach_group_id must be the numeric group id");
      }
      if (!text.empty() &&
          (text.size() > 19 || std::stoull(text) > static_cast<uint64_t>(INT64_MAX) ||
           std::stoull(text) == 0)) {
        return BadRequest("cleverreach_group_id must be between 1 and 9223372036854775807");
      }
      u->cleverreach_group_id = text;
    } else if (k == "consent_text") {
      if (!IsValidUtf8(text) || text.size() > 10000)
        return BadRequest("consent_text must be UTF-8, at most 10000 bytes");
      u->consent_text = text;
    } else if (k == "thank_you_url" || k == "confirmed_url") {
      if (!text.empty() && !IsAllowedRedirectUrl(text)) {
        return BadRequest(k + " must be an https URL (http only on localhost)");
      }
      (k == "thank_you_url" ? u->thank_you_url : u->confirmed_url) = text;
    } else {
      return BadRequest("unknown field " + k.substr(0, 40));
    }
  }
  return Status::Ok();
}

void PutList(const AdminDeps& d, const httplib::Request& req, httplib::Response& res) {
  std::string slug = req.matches[1];
  auto body = AdminJsonBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  ListUpdate update;
  if (Status s = ReadListUpdate(*body, &update); !s.ok()) return WriteError(res, s);
  auto list = d.lists.Put(slug, update);
  if (!list.ok()) return WriteError(res, list.status());
  d.subscriptions.InvalidateLists();
  WriteJson(res, 200, ListJson(*list));
}

void GetLists(const AdminDeps& d, const httplib::Request&, httplib::Response& res) {
  auto lists = d.lists.All();
  if (!lists.ok()) return WriteError(res, lists.status());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : *lists) out.push_back(ListJson(l));
  WriteJson(res, 200, {{"lists", out}});
}

}  // namespace

Result<nlohmann::json> AdminJsonBody(const httplib::Request& req) {
  if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
    return Status(StatusCode::kUnsupportedMedia, "unsupported_media_type", "send application/json");
  }
  auto doc = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return BadRequest("the body is not valid JSON");
  if (!doc.is_object()) return BadRequest("the JSON body must be an object");
  return doc;
}

Status CheckAdminToken(const Config& config, const httplib::Request& req) {
  if (config.admin_token.empty()) return Status::NotFound("not_found", "no such resource");
  std::string auth = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  std::string presented = auth.rfind(prefix, 0) == 0 ? auth.substr(prefix.size()) : "";
  // Compare digests so that the comparison time does not depend on the token's length either.
  if (presented.empty() || !ConstantTimeEquals(Sha256(presented), Sha256(config.admin_token))) {
    return Status(StatusCode::kUnauthorized, "unauthorized",
                  "a valid admin bearer token is required");
  }
  return Status::Ok();
}

httplib::Server::Handler AdminOnly(const Config& config, httplib::Server::Handler handler) {
  return
      [&config, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        if (Status s = CheckAdminToken(config, req); !s.ok()) return WriteError(res, s);
        handler(req, res);
      };
}

void RegisterSubscriberAdminRoutes(HttpServer& server, const AdminDeps& deps);
void RegisterSuppressionAdminRoutes(HttpServer& server, const AdminDeps& deps);

void RegisterAdminRoutes(HttpServer& server, AdminDeps deps) {
  const Config& c = deps.config;
  server.Handle("GET", "/admin/lists",
                AdminOnly(c, [deps](const auto& req, auto& res) { GetLists(deps, req, res); }));
  server.Handle("PUT", R"(/admin/lists/([a-z0-9][a-z0-9_-]{0,62}))",
                AdminOnly(c, [deps](const auto& req, auto& res) { PutList(deps, req, res); }),
                "/admin/lists/{slug}");
  RegisterSubscriberAdminRoutes(server, deps);
  RegisterSuppressionAdminRoutes(server, deps);
}

}  // namespace optin::http
