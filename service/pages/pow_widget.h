// The proof-of-work parts of optin's own forms (issue 17): a hidden `altcha` field, the
// same-origin solver script that fills it (WebCrypto, no external asset) and, for browsers
// without JavaScript, a sentence saying why the form cannot be sent. Stateless.
#pragma once

#include <string>

#include "service/domain/language.h"

namespace optin {

enum class PowWidget {
  kNone,      // OPTIN_POW=off: nothing
  kOptional,  // adaptive: solved when scripts run; without them the form still works mostly
  kRequired,  // on: the form cannot be sent without the solver
};

// The path the forms load the solver from (served by GET, CSP script-src 'self').
constexpr const char* kPowSolverPath = "/pow/solver.js";

// The HTML to put inside a form, before its submit button; "" for kNone.
std::string PowFormFields(Language lang, PowWidget widget);

// The solver (JavaScript): on submit, fetches GET /pow/challenge, finds the number whose
// SHA-256(salt + number) is the challenge, puts the ALTCHA payload into the `altcha` field and
// sends the form.
const std::string& PowSolverScript();

}  // namespace optin
