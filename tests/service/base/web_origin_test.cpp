#include "service/base/web_origin.h"

#include <catch2/catch.hpp>

using namespace optin;

TEST_CASE("origins of URLs", "[unit]") {
  CHECK(UrlOrigin("https://Example.COM/thanks?x=1") == "https://example.com");
  CHECK(UrlOrigin("https://example.com:443/a") == "https://example.com");
  CHECK(UrlOrigin("http://127.0.0.1:8123/t") == "http://127.0.0.1:8123");
  CHECK(UrlOrigin("http://[::1]:9/") == "http://[::1]:9");
  CHECK(UrlOrigin("ftp://example.com/") == "");
  CHECK(UrlOrigin("https://user@example.com/") == "");
  CHECK(UrlOrigin("https:///path") == "");
  CHECK(UrlOrigin("https://exa mple.com/") == "");
  CHECK(UrlOrigin("https://example.com;script-src *") == "");
  CHECK(UrlOrigin("") == "");
}

TEST_CASE("redirect URLs an admin may set: https, or http on localhost", "[unit]") {
  CHECK(IsAllowedRedirectUrl("https://www.example.com/danke"));
  CHECK(IsAllowedRedirectUrl("http://localhost:3000/thanks"));
  CHECK(IsAllowedRedirectUrl("http://127.0.0.1/thanks"));
  CHECK_FALSE(IsAllowedRedirectUrl("http://www.example.com/danke"));
  CHECK_FALSE(IsAllowedRedirectUrl("javascript:alert(1)"));
  CHECK_FALSE(IsAllowedRedirectUrl("https://example.com/a b"));
  CHECK_FALSE(IsAllowedRedirectUrl("https://example.com/\r\nSet-Cookie: x"));
  CHECK_FALSE(IsAllowedRedirectUrl("https://example.com:99999/"));
  CHECK(IsAllowedOrigin("https://example.com"));
  CHECK(IsAllowedOrigin("https://example.com/"));
  CHECK_FALSE(IsAllowedOrigin("https://example.com/page"));
  CHECK_FALSE(IsAllowedOrigin("*"));
}

TEST_CASE("the CSP of a page", "[unit]") {
  CHECK(ContentSecurityPolicy({}) ==
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'");
  PagePolicy p;
  p.form_action = {"https://example.com"};
  p.frame_ancestors = {"https://a.example", "https://b.example"};
  p.script_src = {"'self'"};
  CHECK(ContentSecurityPolicy(p) ==
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; base-uri 'none'; "
        "form-action 'self' https://example.com; frame-ancestors https://a.example "
        "https://b.example");
}
