// The proof-of-work routes (issue 17): GET /pow/challenge (an ALTCHA v1 challenge, also for the
// official widget on a company's own page) and GET /pow/solver.js (optin's own solver), plus the
// check the signup and privacy-request handlers run. Stateless beyond ProofOfWork.
#pragma once

#include <httplib.h>

#include "service/app/proof_of_work.h"
#include "service/http/request_fields.h"
#include "service/http/server.h"
#include "service/pages/pow_widget.h"

namespace optin::http {

void RegisterPowRoutes(HttpServer& server, const ProofOfWork& pow);

// Whether a request passes the proof of work: off → always; on → a valid `altcha` field;
// adaptive → a valid one when present, and one is needed when `over_limit`. Sets *solved when a
// solution was redeemed. Errors: pow_required, pow_invalid (400), unavailable (503).
Status CheckPow(const ProofOfWork& pow, const RequestFields& fields, bool over_limit, bool* solved);

// What optin's own forms embed for the configured mode.
PowWidget PowWidgetFor(const ProofOfWork& pow);

// Lets a page that embeds the solver run it: adds script-src and connect-src 'self' to the CSP
// WriteHtml set (on that page only).
void AllowPowSolver(httplib::Response& res);

}  // namespace optin::http
