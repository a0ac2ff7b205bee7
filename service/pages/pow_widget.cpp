#include "service/pages/pow_widget.h"

#include "service/pages/page_layout.h"
#include "service/pages/pages.h"
#include "service/pages/text_util.h"

namespace optin {

using i18n::Pick;

std::string PowFormFields(Language lang, PowWidget widget) {
  if (widget == PowWidget::kNone) return "";
  std::string html = "<input type=\"hidden\" name=\"altcha\" value=\"\">\n";
  html += std::string("<script src=\"") + kPowSolverPath + "\" defer></script>\n";
  if (widget == PowWidget::kRequired) {
    html += "<noscript><p><strong>" +
            HtmlEscape(Pick(
                lang,
                "Dieses Formular braucht JavaScript: Ihr Browser löst vor dem Absenden eine kleine "
                "Rechenaufgabe, die uns ohne Captcha und ohne Drittanbieter vor Spam-Anmeldungen "
                "schützt. Bitte erlauben Sie JavaScript für diese Seite.",
                "Dit formulier heeft JavaScript nodig: uw browser lost vóór het versturen een "
                "kleine rekenopgave op die ons zonder captcha en zonder derde partij tegen "
                "spamaanmeldingen beschermt. Sta JavaScript toe voor deze pagina.",
                "This form needs JavaScript: before sending, your browser solves a small "
                "computation that protects us against spam signups without a captcha or a third "
                "party. Please allow JavaScript for this page.")) +
            "</strong></p></noscript>\n";
  }
  return html;
}

const std::string& PowSolverScript() {
  // Plain ES2017, no dependencies. Hashes in batches so that WebCrypto's promises run in
  // parallel; gives up (and sends the form as is, the server then explains) when WebCrypto is
  // missing, e.g. on a page not served over https.
  static const std::string kScript = R"JS('use strict';
(function () {
  function hex(buf) {
    var b = new Uint8Array(buf), s = '';
    for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    return s;
  }
  async function solve(c) {
    var enc = new TextEncoder(), batch = 500;
    for (var start = 0; start <= c.maxnumber; start += batch) {
      var jobs = [];
      for (var n = start; n < start + batch && n <= c.maxnumber; n++) {
        jobs.push(crypto.subtle.digest('SHA-256', enc.encode(c.salt + n)));
      }
      var hashes = await Promise.all(jobs);
      for (var i = 0; i < hashes.length; i++) {
        if (hex(hashes[i]) === c.challenge) return start + i;
      }
    }
    return -1;
  }
  function attach(field) {
    var form = field.form, busy = false;
    if (!form) return;
    // A page restored from the back/forward cache must not resend a spent solution.
    window.addEventListener('pageshow', function () { field.value = ''; });
    form.addEventListener('submit', async function (ev) {
      if (field.value || !(window.crypto && crypto.subtle)) return;
      ev.preventDefault();
      if (busy) return;
      busy = true;
      var button = form.querySelector('button[type=submit]');
      if (button) button.disabled = true;
      try {
        var res = await fetch('/pow/challenge', {cache: 'no-store', credentials: 'omit'});
        var c = await res.json();
        var number = await solve(c);
        field.value = btoa(JSON.stringify({algorithm: c.algorithm, challenge: c.challenge,
                                           number: number, salt: c.salt, signature: c.signature}));
      } catch (e) {
        field.value = '';
      }
      if (button) button.disabled = false;
      busy = false;
      form.submit();
    });
  }
  function init() {
    var fields = document.querySelectorAll('input[name="altcha"]');
    for (var i = 0; i < fields.length; i++) attach(fields[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
)JS";
  return kScript;
}

}  // namespace optin
