#include "service/http/pow_routes.h"

#include "service/http/respond.h"

namespace optin::http {

void RegisterPowRoutes(HttpServer& server, const ProofOfWork& pow) {
  const ProofOfWork* p = &pow;
  server.Handle("GET", "/pow/challenge", [p](const httplib::Request&, httplib::Response& res) {
    AltchaChallenge c = p->NewChallenge();
    // The official widget may fetch it from a company's own page on another origin; the answer
    // holds nothing personal and no credentials are involved.
    res.set_header("Access-Control-Allow-Origin", "*");
    WriteJson(res, 200,
              {{"algorithm", c.algorithm},
               {"challenge", c.challenge},
               {"maxnumber", c.maxnumber},
               {"salt", c.salt},
               {"signature", c.signature}});
  });
  server.Handle(
      "GET", R"(/pow/solver\.js)",
      [](const httplib::Request&, httplib::Response& res) {
        res.status = 200;
        res.set_header("Cache-Control", "public, max-age=3600");
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_content(PowSolverScript(), "text/javascript; charset=utf-8");
      },
      kPowSolverPath);
}

Status CheckPow(const ProofOfWork& pow, const RequestFields& fields, bool over_limit,
                bool* solved) {
  *solved = false;
  if (pow.mode() == PowMode::kOff) return Status::Ok();
  std::string payload = fields.Get("altcha");
  if (pow.mode() == PowMode::kAdaptive && payload.empty()) {
    return over_limit ? PowRequired() : Status::Ok();
  }
  Status s = pow.Redeem(payload);
  *solved = s.ok();
  return s;
}

PowWidget PowWidgetFor(const ProofOfWork& pow) {
  switch (pow.mode()) {
    case PowMode::kOff:
      return PowWidget::kNone;
    case PowMode::kOn:
      return PowWidget::kRequired;
    case PowMode::kAdaptive:
      return PowWidget::kOptional;
  }
  return PowWidget::kNone;
}

void AllowPowSolver(httplib::Response& res) {
  std::string csp = res.get_header_value("Content-Security-Policy");
  const std::string directive = "script-src 'self'; connect-src 'self'; ";
  size_t after_default = csp.find("default-src 'none'; ");
  if (after_default == std::string::npos) {
    csp = directive + csp;
  } else {
    csp.insert(after_default + std::string("default-src 'none'; ").size(), directive);
  }
  res.headers.erase("Content-Security-Policy");
  res.set_header("Content-Security-Policy", csp);
}

}  // namespace optin::http
