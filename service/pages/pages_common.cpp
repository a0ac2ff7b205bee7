// HtmlEscape, the page frame and the pages not tied to one flow (invalid link, errors).
#include "service/pages/page_layout.h"
#include "service/pages/pages.h"
#include "service/pages/text_util.h"

namespace optin {
namespace i18n {
namespace {

// System fonts only; colours keep at least 4.5:1 contrast (text #1f2328 and #57606a on white,
// white on #0a58ca); focus stays visible for keyboard users.
constexpr const char kStyle[] = R"css(
*,*::before,*::after{box-sizing:border-box}
body{margin:0;padding:2rem 1rem;background:#f4f4f1;color:#1f2328;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:34rem;margin:0 auto;background:#fff;padding:2rem 1.5rem;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 1rem}
p{margin:0 0 1rem}
.muted{color:#57606a;font-size:.9375rem}
a{color:#0a58ca}
label{display:block;font-weight:600;margin:0 0 .25rem}
input[type=email],input[type=text]{display:block;width:100%;font:inherit;padding:.6rem .75rem;border:1px solid #6e7781;border-radius:6px;margin:0 0 1rem;background:#fff;color:inherit}
fieldset{border:0;padding:0;margin:0 0 1rem}
legend{font-weight:600;margin:0 0 .25rem;padding:0}
.choice{display:flex;gap:.6rem;align-items:flex-start;font-weight:normal;margin:0 0 .5rem}
.choice input{flex:none;width:1.15rem;height:1.15rem;margin:.3rem 0 0}
button,.button{display:inline-block;font:inherit;font-weight:600;line-height:1.3;color:#fff;background:#0a58ca;border:0;border-radius:8px;padding:.8rem 1.5rem;min-height:44px;cursor:pointer;text-decoration:none}
button:hover,.button:hover{background:#084298}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #1f2328;outline-offset:2px}
.status{color:#57606a;font-size:.875rem;text-transform:uppercase;letter-spacing:.05em;margin:0 0 .25rem}
)css";

}  // namespace

std::string RenderPage(Language lang, const std::string& title, const std::string& main_html) {
  std::string page = "<!doctype html>\n<html lang=\"";
  page += LanguageCode(lang);
  page +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"robots\" content=\"noindex\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  page += HtmlEscape(title);
  page += "</title>\n<style>";
  page += kStyle;
  page += "</style>\n</head>\n<body>\n<main>\n";
  page += main_html;
  page += "</main>\n</body>\n</html>\n";
  return page;
}

std::string Heading(const std::string& text) { return "<h1>" + HtmlEscape(text) + "</h1>\n"; }

std::string Paragraph(const std::string& html, bool muted) {
  return (muted ? "<p class=\"muted\">" : "<p>") + html + "</p>\n";
}

std::string TokenForm(const std::string& action, const std::string& token,
                      const std::string& button_label) {
  return "<form method=\"post\" action=\"" + HtmlEscape(action) +
         "\">\n<input type=\"hidden\" name=\"token\" value=\"" + HtmlEscape(token) +
         "\">\n<p><button type=\"submit\">" + HtmlEscape(button_label) + "</button></p>\n</form>\n";
}

std::string ListName(const std::string& list_name) {
  return "<strong>" + HtmlEscape(list_name) + "</strong>";
}

std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

}  // namespace i18n

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string InvalidLinkPage(Language lang) {
  using i18n::Paragraph;
  using i18n::Pick;
  const std::string title = Pick(lang, "Ungültiger Link", "Ongeldige link", "Invalid link");
  std::string body = i18n::Heading(title);
  body +=
      Paragraph(Pick(lang,
                     "Dieser Link ist ungültig oder unvollständig. Bitte prüfen Sie, ob Sie ihn "
                     "vollständig aus der E-Mail übernommen haben – manche E-Mail-Programme "
                     "brechen lange Links um.",
                     "Deze link is ongeldig of onvolledig. Controleer of u de volledige link uit "
                     "de e-mail hebt gebruikt; sommige e-mailprogramma’s breken lange links af.",
                     "This link is invalid or incomplete. Please check that you used the complete "
                     "link from the email – some email programs break long links."));
  body += Paragraph(Pick(lang, "Es wurde nichts geändert.", "Er is niets gewijzigd.",
                         "Nothing has been changed."),
                    true);
  return i18n::RenderPage(lang, title, body);
}

}  // namespace optin
