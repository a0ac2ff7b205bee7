#include "service/base/web_origin.h"

#include <algorithm>
#include <cctype>

namespace optin {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool PrintableNoSpace(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

struct Parts {
  std::string scheme, host, port, rest;  // rest: path, query, fragment (from the first / ? #)
};

bool Split(const std::string& url, Parts* p) {
  size_t colon = url.find("://");
  if (colon == std::string::npos) return false;
  p->scheme = Lower(url.substr(0, colon));
  if (p->scheme != "http" && p->scheme != "https") return false;
  size_t auth_begin = colon + 3;
  size_t auth_end = url.find_first_of("/?#", auth_begin);
  std::string authority = url.substr(
      auth_begin, auth_end == std::string::npos ? std::string::npos : auth_end - auth_begin);
  p->rest = auth_end == std::string::npos ? "" : url.substr(auth_end);
  if (authority.empty() || authority.find('@') != std::string::npos) return false;  // no userinfo
  size_t port_colon = std::string::npos;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) return false;
    p->host = Lower(authority.substr(0, close + 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return false;
      port_colon = close + 1;
    }
  } else {
    port_colon = authority.find(':');
    p->host = Lower(authority.substr(0, port_colon));
  }
  if (p->host.empty() || p->host == "[]") return false;
  if (p->host.front() != '[' && !std::all_of(p->host.begin(), p->host.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.';
      })) {
    return false;
  }
  p->port.clear();
  if (port_colon != std::string::npos) {
    p->port = authority.substr(port_colon + 1);
    if (p->port.empty() || p->port.size() > 5 ||
        p->port.find_first_not_of("0123456789") != std::string::npos || std::stoi(p->port) == 0 ||
        std::stoi(p->port) > 65535) {
      return false;
    }
    if ((p->scheme == "http" && p->port == "80") || (p->scheme == "https" && p->port == "443"))
      p->port.clear();
  }
  return true;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

void Append(std::string* out, const std::vector<std::string>& items) {
  for (const auto& i : items) *out += " " + i;
}

}  // namespace

std::string UrlOrigin(const std::string& url) {
  Parts p;
  if (!PrintableNoSpace(url) || !Split(url, &p)) return "";
  return p.scheme + "://" + p.host + (p.port.empty() ? "" : ":" + p.port);
}

bool IsAllowedRedirectUrl(const std::string& url) {
  Parts p;
  if (url.size() > 2000 || !PrintableNoSpace(url) || !Split(url, &p)) return false;
  return p.scheme == "https" || IsLoopbackHost(p.host);
}

bool IsAllowedOrigin(const std::string& text) {
  Parts p;
  if (!IsAllowedRedirectUrl(text) || !Split(text, &p)) return false;
  return p.rest.empty() || p.rest == "/";
}

std::string ContentSecurityPolicy(const PagePolicy& policy) {
  std::string csp = "default-src 'none'; style-src 'unsafe-inline'";
  if (!policy.script_src.empty()) {
    csp += "; script-src";
    Append(&csp, policy.script_src);
  }
  csp += "; base-uri 'none'; form-action 'self'";
  Append(&csp, policy.form_action);
  csp += "; frame-ancestors";
  if (policy.frame_ancestors.empty())
    csp += " 'none'";
  else
    Append(&csp, policy.frame_ancestors);
  return csp;
}

}  // namespace optin
