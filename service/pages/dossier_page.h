// The consent dossier as a self-contained, printable HTML document (GET /admin/proof): German,
// Dutch or English labels, the facts themselves as stored. Stateless; safe for concurrent use.
#pragma once

#include <string>

#include "service/domain/dossier.h"
#include "service/domain/language.h"

namespace optin {

std::string RenderDossierPage(const Dossier& dossier, Language lang);

// The explanation how to check the confirmation mail's hashes, in `lang` (also in the JSON form).
std::string MailVerificationHowTo(Language lang);

}  // namespace optin
