#include "service/pages/mails.h"

#include <vector>

#include "service/pages/pages.h"
#include "service/pages/text_util.h"

namespace optin {

using i18n::Fill;
using i18n::Pick;
using i18n::Placeholders;

namespace {

// A mail's wording as templates with {placeholders}: the same paragraphs become the text and
// the HTML body, filled with raw values for one and escaped values for the other.
struct MailTemplate {
  std::string subject;
  std::string greeting;
  std::vector<std::string> before_link;
  std::string button;
  std::vector<std::string> after_link;
};

// Header-safe and single-line: control characters (CR, LF, tab, …) become spaces.
std::string OneLine(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  return out;
}

constexpr char kParagraphStyle[] = "margin:0 0 16px";

std::string HtmlParagraph(const std::string& html) {
  return std::string("<p style=\"") + kParagraphStyle + "\">" + html + "</p>\n";
}

MailText Compose(Language lang, const MailTemplate& mail, const std::string& url,
                 const Placeholders& raw, const Placeholders& escaped) {
  MailText out;
  out.subject = OneLine(Fill(mail.subject, raw));

  out.text = mail.greeting + "\n\n";
  for (const auto& p : mail.before_link) out.text += Fill(p, raw) + "\n\n";
  out.text += url + "\n\n";
  for (size_t i = 0; i < mail.after_link.size(); ++i) {
    out.text += Fill(mail.after_link[i], raw) + (i + 1 < mail.after_link.size() ? "\n\n" : "\n");
  }

  const std::string href = HtmlEscape(url);
  std::string& html = out.html;
  html = "<!doctype html>\n<html lang=\"";
  html += LanguageCode(lang);
  html +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  html += HtmlEscape(out.subject);
  html +=
      "</title>\n</head>\n"
      "<body style=\"margin:0;padding:24px 12px;background:#f4f4f1;color:#1f2328;"
      "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.6\">\n"
      "<div style=\"max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;"
      "padding:24px\">\n";
  html += HtmlParagraph(HtmlEscape(mail.greeting));
  for (const auto& p : mail.before_link) html += HtmlParagraph(Fill(HtmlEscape(p), escaped));
  html += "<p style=\"margin:24px 0\"><a href=\"" + href +
          "\" style=\"display:inline-block;background:#0a58ca;color:#ffffff;text-decoration:none;"
          "font-weight:bold;padding:12px 24px;border-radius:6px\">" +
          HtmlEscape(mail.button) + "</a></p>\n";
  html += "<p style=\"margin:0 0 16px;font-size:14px;color:#57606a\">" +
          HtmlEscape(Pick(lang,
                          "Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in "
                          "Ihren Browser:",
                          "Werkt de knop niet? Kopieer dan deze link naar uw browser:",
                          "If the button doesn’t work, copy this link into your browser:")) +
          "<br><span style=\"word-break:break-all\">" + href + "</span></p>\n";
  for (const auto& p : mail.after_link) html += HtmlParagraph(Fill(HtmlEscape(p), escaped));
  html += "</div>\n</body>\n</html>\n";
  return out;
}

// "72" -> "72 Stunden" / "72 uur" / "72 hours"; text that is not a plain number is taken as
// already rendered by the caller.
std::string Hours(Language lang, const std::string& ttl) {
  const bool number = !ttl.empty() && ttl.find_first_not_of("0123456789") == std::string::npos;
  if (!number) return OneLine(ttl);
  if (ttl == "1") return std::string("1 ") + Pick(lang, "Stunde", "uur", "hour");
  return ttl + " " + Pick(lang, "Stunden", "uur", "hours");
}

const char* RequestLabel(Language lang, const std::string& type) {
  if (type == "access") return Pick(lang, "Auskunft", "inzage", "access");
  if (type == "erasure") return Pick(lang, "Löschung", "verwijdering", "erasure");
  if (type == "objection") return Pick(lang, "Widerspruch", "bezwaar", "objection");
  if (type == "unsubscribe") return Pick(lang, "Abmeldung", "afmelding", "unsubscribe");
  if (type == "restriction")
    return Pick(lang, "Einschränkung der Verarbeitung", "beperking van de verwerking",
                "restriction of processing");
  if (type == "lift_restriction")
    return Pick(lang, "Aufhebung der Einschränkung", "opheffing van de beperking",
                "lifting the restriction");
  return nullptr;  // never echo an unknown type
}

}  // namespace

MailText ConfirmationMail(Language lang, const std::string& list_name,
                          const std::string& confirm_url, const std::string& ttl_hours_text) {
  MailTemplate mail;
  mail.subject = Pick(lang, "Bitte bestätigen Sie Ihre Anmeldung: {list}",
                      "Bevestig uw aanmelding: {list}", "Please confirm your subscription: {list}");
  mail.greeting = Pick(lang, "Hallo,", "Hallo,", "Hello,");
  mail.before_link = {
      Pick(lang,
           "Ihre E-Mail-Adresse wurde soeben für „{list}“ angemeldet. Bevor wir Ihnen etwas "
           "schicken, bitten wir Sie, die Anmeldung zu bestätigen.",
           "Uw e-mailadres is zojuist aangemeld voor “{list}”. Voordat wij u iets sturen, vragen "
           "wij u de aanmelding te bevestigen.",
           "Your email address has just been signed up for “{list}”. Before we send you anything, "
           "we ask you to confirm the subscription."),
      Pick(lang,
           "Der Link unten führt zu einer Seite mit der Schaltfläche „Anmeldung bestätigen“. Erst "
           "wenn Sie dort klicken, sind Sie angemeldet.",
           "De link hieronder leidt naar een pagina met de knop “Aanmelding bevestigen”. Pas als u "
           "daarop klikt, bent u aangemeld.",
           "The link below leads to a page with a “Confirm subscription” button. You will only be "
           "subscribed once you click it."),
  };
  mail.button = Pick(lang, "Anmeldung bestätigen", "Aanmelding bevestigen", "Confirm subscription");
  mail.after_link = {
      Pick(lang, "Der Link ist {hours} gültig.", "De link is {hours} geldig.",
           "The link is valid for {hours}."),
      Pick(lang,
           "Sie haben sich nicht angemeldet oder es sich anders überlegt? Dann ignorieren Sie "
           "diese E-Mail einfach. Es passiert nichts: Sie werden nicht angemeldet und erhalten "
           "keinen Newsletter.",
           "Hebt u zich niet aangemeld of bent u van gedachten veranderd? Negeer deze e-mail dan "
           "gewoon. Er gebeurt niets: u wordt niet aangemeld en ontvangt geen nieuwsbrief.",
           "Didn’t sign up, or changed your mind? Simply ignore this email. Nothing will happen: "
           "you will not be subscribed and will receive no newsletter."),
      Pick(lang, "Abmelden können Sie sich jederzeit über den Link in jeder E-Mail.",
           "Afmelden kan altijd via de link in elke e-mail.",
           "You can unsubscribe at any time using the link in every email."),
  };
  const std::string list = OneLine(list_name);
  const std::string hours = Hours(lang, ttl_hours_text);
  return Compose(lang, mail, confirm_url, {{"list", list}, {"hours", hours}},
                 {{"list", HtmlEscape(list)}, {"hours", HtmlEscape(hours)}});
}

MailText PrivacyVerificationMail(Language lang, const std::string& request_type,
                                 const std::string& verify_url) {
  const char* label = RequestLabel(lang, request_type);
  const std::string type = label != nullptr ? std::string(" (") + label + ")" : "";
  MailTemplate mail;
  mail.subject =
      Pick(lang, "Bitte bestätigen Sie Ihre Datenschutz-Anfrage{type}",
           "Bevestig uw privacyverzoek{type}", "Please confirm your privacy request{type}");
  mail.greeting = Pick(lang, "Hallo,", "Hallo,", "Hello,");
  mail.before_link = {
      Pick(lang, "wir haben für diese E-Mail-Adresse eine Datenschutz-Anfrage erhalten{type}.",
           "Wij hebben voor dit e-mailadres een privacyverzoek ontvangen{type}.",
           "We have received a privacy request for this email address{type}."),
      Pick(lang,
           "Damit niemand anderes in Ihrem Namen handeln kann, führen wir sie erst aus, wenn Sie "
           "bestätigen, dass sie von Ihnen stammt. Der Link unten führt zu einer Seite, die "
           "beschreibt, was dann geschieht, und eine Schaltfläche zur Bestätigung enthält.",
           "Zodat niemand anders namens u kan handelen, voeren wij het pas uit als u bevestigt dat "
           "het van u komt. De link hieronder leidt naar een pagina die beschrijft wat er dan "
           "gebeurt, met een knop om te bevestigen.",
           "So that nobody else can act on your behalf, we only carry it out once you confirm that "
           "it came from you. The link below leads to a page that describes what will happen, "
           "with a button to confirm."),
  };
  mail.button = Pick(lang, "Anfrage bestätigen", "Verzoek bevestigen", "Confirm request");
  mail.after_link = {
      Pick(lang,
           "Sie haben diese Anfrage nicht gestellt? Dann ignorieren Sie diese E-Mail einfach – es "
           "passiert nichts.",
           "Hebt u dit verzoek niet gedaan? Negeer deze e-mail dan gewoon; er gebeurt niets.",
           "Didn’t make this request? Simply ignore this email – nothing will happen."),
  };
  return Compose(lang, mail, verify_url, {{"type", type}}, {{"type", HtmlEscape(type)}});
}

}  // namespace optin
