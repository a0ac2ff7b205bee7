// GET /admin/proof?email=E (issue 15): the consent dossier of one address, as printable HTML or,
// with Accept: application/json, the same content as JSON; `language` = de | nl | en.
#pragma once

#include <nlohmann/json.hpp>

#include "service/base/config.h"
#include "service/domain/dossier.h"
#include "service/domain/language.h"
#include "service/http/server.h"
#include "storage/database.h"

namespace optin::http {

void RegisterProofRoutes(HttpServer& server, const Config& config, ConnectionPool& pool);

nlohmann::json DossierJson(const Dossier& d, Language lang);

}  // namespace optin::http
