// GET /admin/subscribers?email=E: everything stored about one address.
#include "service/domain/address.h"
#include "service/http/admin_routes.h"
#include "service/http/respond.h"
#include "service/http/subscriber_json.h"

namespace optin::http {

void RegisterSubscriberAdminRoutes(HttpServer& server, const AdminDeps& d) {
  server.Handle("GET", "/admin/subscribers",
                AdminOnly(d.config, [d](const httplib::Request& req, httplib::Response& res) {
                  auto email = NormalizeAddress(req.get_param_value("email"));
                  if (!email.ok()) return WriteError(res, email.status());
                  auto record = d.subscribers.Describe(*email);
                  if (!record.ok()) return WriteError(res, record.status());
                  if (!record->known())
                    return WriteError(
                        res, Status::NotFound("not_found", "nothing is stored about this address"));
                  WriteJson(res, 200, SubscriberJson(*record, d.subscriptions));
                }));
}

}  // namespace optin::http
