#include "service/http/sync_routes.h"

#include "service/base/crypto.h"
#include "service/http/admin_routes.h"
#include "service/http/respond.h"

namespace optin::http {
namespace {

nlohmann::json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

void SyncState(const Config& config, SyncOutboxStore& outbox, httplib::Response& res) {
  auto st = outbox.Snapshot();
  if (!st.ok()) return WriteError(res, st.status());
  auto dead = outbox.DeadLetters();
  if (!dead.ok()) return WriteError(res, dead.status());
  nlohmann::json letters = nlohmann::json::array();
  for (const auto& d : *dead) {
    letters.push_back({{"id", d.id},
                       {"action", d.action},
                       {"email", OrNull(d.email)},
                       {"attempts", d.attempts},
                       {"last_error", d.last_error},
                       {"dead_at", d.dead_at}});
  }
  WriteJson(res, 200,
            {{"enabled", config.cleverreach_enabled()},
             {"queue_depth", st->queued},
             {"due", st->due},
             {"oldest_due_age_seconds", st->oldest_due_age_seconds},
             {"unsubscribe_pending_oldest_seconds", st->unsubscribe_pending_oldest_seconds},
             {"last_success_at", OrNull(st->last_success_at)},
             {"last_error_at", OrNull(st->last_error_at)},
             {"last_error", OrNull(st->last_error)},
             {"last_pull_at", OrNull(st->last_pull_at)},
             {"dead_letter_count", st->dead},
             {"dead_letters", letters}});
}

void Retry(SyncOutboxStore& outbox, const httplib::Request& req, httplib::Response& res) {
  int64_t id = 0;
  if (req.has_param("id")) {
    std::string text = req.get_param_value("id");
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return WriteError(
          res, Status::InvalidArgument("invalid_request", "id must be a dead letter's numeric id"));
    }
    id = std::stoll(text);
  }
  auto n = outbox.RetryDead(id);
  if (!n.ok()) return WriteError(res, n.status());
  WriteJson(res, 200, {{"requeued", *n}});
}

void WebhookCheck(const Config& config, const httplib::Request& req, httplib::Response& res) {
  if (config.cleverreach_webhook_verify.empty())
    return WriteError(res, Status::NotFound("not_found", "no such resource"));
  std::string secret = req.get_param_value("secret");
  res.status = 200;
  res.set_content(config.cleverreach_webhook_verify + " " + secret, "text/plain");
}

void WebhookDelivery(const Config& config, SyncOutboxStore& outbox, const httplib::Request& req,
                     httplib::Response& res) {
  if (config.cleverreach_webhook_token.empty())
    return WriteError(res, Status::NotFound("not_found", "no such resource"));
  if (!ConstantTimeEquals(Sha256(req.get_header_value("X-CR-Calltoken")),
                          Sha256(config.cleverreach_webhook_token))) {
    return WriteError(res, Status(StatusCode::kUnauthorized, "unauthorized", "unknown call token"));
  }
  auto doc = nlohmann::json::parse(req.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("event") || !doc["event"].is_string()) {
    return WriteError(
        res, Status::InvalidArgument("invalid_request", "expected a CleverReach event object"));
  }
  if (doc["event"] != "receiver.unsubscribed") return WriteJson(res, 200, {{"status", "ignored"}});
  const auto& payload = doc.value("payload", nlohmann::json::object());
  auto text = [](const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    return std::string();
  };
  std::string group = text(payload.value("group_id", doc.value("condition", nlohmann::json())));
  std::string pool_id = text(payload.value("pool_id", nlohmann::json()));
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 20 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (!digits(group) || !digits(pool_id)) {
    return WriteError(res, Status::InvalidArgument("invalid_request",
                                                   "payload needs numeric group_id and pool_id"));
  }
  Status s = outbox.InboxAdd("receiver.unsubscribed", group, pool_id);
  if (!s.ok()) return WriteError(res, s);
  WriteJson(res, 200, {{"status", "queued"}});
}

}  // namespace

void RegisterSyncRoutes(HttpServer& server, const Config& config, SyncOutboxStore& outbox) {
  server.Handle(
      "GET", "/admin/sync",
      AdminOnly(config, [&config, &outbox](const httplib::Request&, httplib::Response& res) {
        SyncState(config, outbox, res);
      }));
  server.Handle("POST", "/admin/sync/retry",
                AdminOnly(config, [&outbox](const httplib::Request& req, httplib::Response& res) {
                  Retry(outbox, req, res);
                }));
  server.Handle("GET", "/webhooks/cleverreach",
                [&config](const httplib::Request& req, httplib::Response& res) {
                  WebhookCheck(config, req, res);
                });
  server.Handle("POST", "/webhooks/cleverreach",
                [&config, &outbox](const httplib::Request& req, httplib::Response& res) {
                  WebhookDelivery(config, outbox, req, res);
                });
}

}  // namespace optin::http
