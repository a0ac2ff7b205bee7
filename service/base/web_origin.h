// Web origins and the URLs an admin may point browsers to (thank-you, confirmed pages), and the
// Content-Security-Policy they shape. Stateless; safe for concurrent use.
#pragma once

#include <string>
#include <vector>

namespace optin {

// "scheme://host[:port]" of an http(s) URL, scheme and host lower-cased, default ports dropped;
// "" when `url` is not an absolute http(s) URL with a host.
std::string UrlOrigin(const std::string& url);
// Whether browsers may be sent to `url`: https, or http only on localhost, 127.0.0.1 or [::1];
// printable ASCII without spaces, at most 2000 bytes.
bool IsAllowedRedirectUrl(const std::string& url);
// Whether `text` is exactly an origin (no path, query or fragment; a lone trailing "/" is
// allowed) that IsAllowedRedirectUrl accepts.
bool IsAllowedOrigin(const std::string& text);

// The CSP of one HTML page. Every page: nothing loads but inline styles (and `script_src`
// when set); forms post to 'self' plus `form_action`; framing only by `frame_ancestors`.
struct PagePolicy {
  std::vector<std::string> form_action;      // extra origins a form POST may redirect to
  std::vector<std::string> frame_ancestors;  // empty: 'none' (unframeable)
  std::vector<std::string> script_src;       // e.g. "'self'" for a page with a script; empty: none
  std::string referrer_policy = "no-referrer";
};
std::string ContentSecurityPolicy(const PagePolicy& policy);

}  // namespace optin
