#include "service/http/admin_import.h"

#include <algorithm>
#include <chrono>

#include "service/app/importer.h"
#include "service/base/log.h"
#include "service/http/admin_routes.h"
#include "service/http/respond.h"

namespace optin::http {
namespace {

bool IsCsvType(const std::string& content_type) {
  for (const char* t : {"text/csv", "text/plain", "application/csv", "application/octet-stream"}) {
    if (content_type.rfind(t, 0) == 0) return true;
  }
  return content_type.empty();
}

nlohmann::json ReportJson(const ImportReport& r) {
  auto rejected = r.rejected;
  std::sort(rejected.begin(), rejected.end(),
            [](const auto& a, const auto& b) { return a.line < b.line; });
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& x : rejected) lines.push_back({{"line", x.line}, {"reason", x.reason}});
  return {{"rows", r.rows},
          {"imported", r.imported},
          {"already_subscribed", r.already_subscribed},
          {"suppressed", r.suppressed},
          {"invalid", r.invalid},
          {"unknown_list", r.unknown_list},
          {"rejected", lines}};
}

void Import(const ImportDeps& d, const httplib::Request& req, httplib::Response& res,
            const httplib::ContentReader& reader) {
  if (Status s = CheckAdminToken(d.config, req); !s.ok()) return WriteError(res, s);
  if (!IsCsvType(req.get_header_value("Content-Type"))) {
    return WriteError(
        res, Status(StatusCode::kUnsupportedMedia, "unsupported_media_type", "send text/csv"));
  }
  auto start = std::chrono::steady_clock::now();
  Importer importer(d.store, [&d](const std::string& slug) { return d.subscriptions.List(slug); });
  Status failed;
  reader([&](const char* data, size_t size) {
    failed = importer.Feed(data, size);
    return failed.ok();
  });
  if (failed.ok()) failed = importer.Finish();
  nlohmann::json body = ReportJson(importer.report());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  LogInfo("import", {{"rows", importer.report().rows},
                     {"imported", importer.report().imported},
                     {"ok", failed.ok()},
                     {"seconds", seconds}});
  if (!failed.ok()) {
    // Earlier batches are committed: say how far it got.
    body["error"] = failed.error().empty() ? "internal" : failed.error();
    body["message"] =
        "the import stopped: " + failed.message() + "; the rows counted above were processed";
    return WriteJson(res, HttpStatusFor(failed.code()), body);
  }
  WriteJson(res, 200, body);
}

}  // namespace

void RegisterImportRoutes(HttpServer& server, ImportDeps deps) {
  server.HandleWithReader(
      "POST", "/admin/import",
      [deps](const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader& reader) { Import(deps, req, res, reader); });
}

}  // namespace optin::http
