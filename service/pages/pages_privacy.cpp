// The pages of privacy requests (GDPR access, erasure, objection, unsubscribe).
#include "service/pages/page_layout.h"
#include "service/pages/pages.h"
#include "service/pages/text_util.h"

namespace optin {

using i18n::Heading;
using i18n::Paragraph;
using i18n::Pick;
using i18n::RenderPage;

namespace {

struct RequestTexts {
  const char* type;
  const char* choice[3];  // the option on the request form (de, nl, en)
  const char* effect[3];  // what confirming will do
  const char* done[3];    // what has been done
};

constexpr RequestTexts kRequests[] = {
    {"access",
     {"Auskunft – welche Daten haben Sie zu meiner Adresse gespeichert?",
      "Inzage – welke gegevens hebt u over mijn adres opgeslagen?",
      "Access – what data do you store about my address?"},
     {"Nach der Bestätigung lädt Ihr Browser eine Datei (JSON oder CSV) herunter, die alles "
      "enthält, was wir zu Ihrer E-Mail-Adresse gespeichert haben.",
      "Na bevestiging downloadt uw browser een bestand (JSON of CSV) met alles wat wij over uw "
      "e-mailadres hebben opgeslagen.",
      "After you confirm, your browser downloads a file (JSON or CSV) containing everything we "
      "store about your email address."},
     {"Ihre Anfrage wurde ausgeführt.", "Uw verzoek is uitgevoerd.",
      "Your request has been carried out."}},
    {"erasure",
     {"Löschung – alle Daten zu meiner Adresse löschen",
      "Verwijdering – alle gegevens over mijn adres verwijderen",
      "Erasure – delete all data about my address"},
     {"Wir löschen alle zu Ihrer E-Mail-Adresse gespeicherten Daten. Nur ein nicht umkehrbarer "
      "Prüfwert (Hash) der Adresse bleibt auf unserer Sperrliste, damit Ihnen nie wieder "
      "versehentlich etwas geschickt wird. Das lässt sich nicht rückgängig machen.",
      "Wij verwijderen alle gegevens die over uw e-mailadres zijn opgeslagen. Alleen een "
      "onomkeerbare controlewaarde (hash) van het adres blijft op onze blokkeerlijst staan, zodat "
      "u nooit meer per ongeluk iets van ons ontvangt. Dit kan niet ongedaan worden gemaakt.",
      "We delete all data stored about your email address. Only an irreversible fingerprint "
      "(hash) of the address stays on our suppression list, so that you are never mailed again "
      "by mistake. This cannot be undone."},
     {"Ihre Daten wurden gelöscht. Behalten haben wir nur einen nicht umkehrbaren Prüfwert (Hash) "
      "Ihrer Adresse, damit Ihnen nie wieder versehentlich etwas geschickt wird.",
      "Uw gegevens zijn verwijderd. Wij hebben alleen een onomkeerbare controlewaarde (hash) van "
      "uw adres bewaard, zodat u nooit meer per ongeluk iets van ons ontvangt.",
      "Your data has been deleted. We only kept an irreversible fingerprint (hash) of your "
      "address, so that you are never mailed again by mistake."}},
    {"objection",
     {"Widerspruch – meine Adresse von der Sperrliste nehmen",
      "Bezwaar – mijn adres van de blokkeerlijst halen",
      "Objection – remove my address from the suppression list"},
     {"Wir entfernen Ihre E-Mail-Adresse von unserer Sperrliste. Danach kann die Adresse wieder "
      "für unsere Newsletter angemeldet werden – wie immer nur mit Bestätigung per E-Mail.",
      "Wij halen uw e-mailadres van onze blokkeerlijst. Daarna kan het adres weer worden "
      "aangemeld voor onze nieuwsbrieven – zoals altijd alleen na bevestiging per e-mail.",
      "We remove your email address from our suppression list. Afterwards the address can be "
      "subscribed to our newsletters again – as always, only after confirmation by email."},
     {"Ihre Adresse steht nicht mehr auf unserer Sperrliste. Newsletter erhalten Sie erst wieder, "
      "wenn Sie sich erneut anmelden und das bestätigen.",
      "Uw adres staat niet meer op onze blokkeerlijst. U ontvangt pas weer nieuwsbrieven als u "
      "zich opnieuw aanmeldt en dat bevestigt.",
      "Your address is no longer on our suppression list. You will only receive newsletters "
      "again if you sign up once more and confirm it."}},
    {"unsubscribe",
     {"Abmeldung – keine Newsletter mehr an meine Adresse",
      "Afmelding – geen nieuwsbrieven meer naar mijn adres",
      "Unsubscribe – no more newsletters to my address"},
     {"Wir melden Ihre E-Mail-Adresse von unseren Newslettern ab; danach erhalten Sie keine "
      "Newsletter mehr von uns.",
      "Wij melden uw e-mailadres af voor onze nieuwsbrieven; daarna ontvangt u geen "
      "nieuwsbrieven meer van ons.",
      "We unsubscribe your email address from our newsletters; afterwards you will receive no "
      "more newsletters from us."},
     {"Ihre Adresse wurde von unseren Newslettern abgemeldet. Sie erhalten keine Newsletter mehr "
      "von uns.",
      "Uw adres is afgemeld voor onze nieuwsbrieven. U ontvangt geen nieuwsbrieven meer van ons.",
      "Your address has been unsubscribed from our newsletters. You will receive no more "
      "newsletters from us."}},
    {"restriction",
     {"Einschränkung – meine Daten behalten, aber vorerst nicht mehr verwenden",
      "Beperking – mijn gegevens bewaren, maar voorlopig niet meer gebruiken",
      "Restriction – keep my data, but stop using it for now"},
     {"Wir pausieren alle Anmeldungen Ihrer E-Mail-Adresse: Sie erhalten keine E-Mails mehr von "
      "uns, auch nicht bei CleverReach, aber Ihre Daten bleiben unverändert gespeichert, bis Sie "
      "die Einschränkung aufheben lassen.",
      "Wij pauzeren alle aanmeldingen van uw e-mailadres: u ontvangt geen e-mails meer van ons, "
      "ook niet via CleverReach, maar uw gegevens blijven ongewijzigd bewaard tot u de beperking "
      "laat opheffen.",
      "We pause every subscription of your email address: you will receive no emails from us, "
      "including through CleverReach, but your data stays stored unchanged until you have the "
      "restriction lifted."},
     {"Die Verarbeitung Ihrer Daten ist eingeschränkt: Sie erhalten keine E-Mails mehr von uns, "
      "Ihre Daten bleiben gespeichert.",
      "De verwerking van uw gegevens is beperkt: u ontvangt geen e-mails meer van ons, uw "
      "gegevens blijven bewaard.",
      "Processing of your data is restricted: you will receive no emails from us, and your data "
      "stays stored."}},
    {"lift_restriction",
     {"Einschränkung aufheben – meine Anmeldungen fortsetzen",
      "Beperking opheffen – mijn aanmeldingen hervatten",
      "Lift the restriction – resume my subscriptions"},
     {"Wir heben die Einschränkung auf: Ihre Anmeldungen laufen dort weiter, wo sie pausiert "
      "wurden.",
      "Wij heffen de beperking op: uw aanmeldingen gaan verder waar ze gepauzeerd werden.",
      "We lift the restriction: your subscriptions continue where they were paused."},
     {"Die Einschränkung ist aufgehoben; Ihre Anmeldungen laufen weiter.",
      "De beperking is opgeheven; uw aanmeldingen lopen verder.",
      "The restriction has been lifted; your subscriptions continue."}},
};

const char* In(Language lang, const char* const (&texts)[3]) {
  return Pick(lang, texts[0], texts[1], texts[2]);
}

// nullptr for an unknown type: its text is never shown, so nothing typed is echoed.
const RequestTexts* FindRequest(const std::string& type) {
  for (const auto& r : kRequests) {
    if (type == r.type) return &r;
  }
  return nullptr;
}

// The access confirmation: the token and a choice of the export's format.
std::string ExportFormatForm(Language lang, const std::string& token, const std::string& format,
                             const char* button) {
  std::string form = "<form method=\"post\" action=\"/privacy/confirm\">\n";
  form += "<input type=\"hidden\" name=\"token\" value=\"" + HtmlEscape(token) + "\">\n";
  form += "<fieldset>\n<legend>" +
          HtmlEscape(Pick(lang, "Format der Datei", "Formaat van het bestand", "File format")) +
          "</legend>\n";
  struct Choice {
    const char* value;
    const char* label[3];
  };
  static const Choice kChoices[] = {
      {"json", {"JSON (für Programme)", "JSON (voor programma's)", "JSON (for programs)"}},
      {"csv",
       {"CSV (für Tabellenkalkulationen)", "CSV (voor spreadsheets)", "CSV (for spreadsheets)"}}};
  for (const auto& c : kChoices) {
    const std::string id = std::string("format-") + c.value;
    form += "<label class=\"choice\" for=\"" + id + "\"><input type=\"radio\" id=\"" + id +
            "\" name=\"format\" value=\"" + c.value + "\"" + (format == c.value ? " checked" : "") +
            "> <span>" + HtmlEscape(Pick(lang, c.label[0], c.label[1], c.label[2])) +
            "</span></label>\n";
  }
  form +=
      "</fieldset>\n<p><button type=\"submit\">" + HtmlEscape(button) + "</button></p>\n</form>\n";
  return form;
}

}  // namespace

std::string PrivacyConfirmFormPage(Language lang, const std::string& request_type,
                                   const std::string& token, const std::string& format) {
  const std::string title = Pick(lang, "Datenschutz-Anfrage bestätigen",
                                 "Privacyverzoek bevestigen", "Confirm your privacy request");
  const RequestTexts* request = FindRequest(request_type);
  std::string body = Heading(title);
  body += Paragraph(Pick(lang, "Bitte bestätigen Sie Ihre Anfrage. Das geschieht danach:",
                         "Bevestig uw verzoek. Dit gebeurt daarna:",
                         "Please confirm your request. This is what will happen:"));
  body += Paragraph(HtmlEscape(request != nullptr ? In(lang, request->effect)
                                                  : Pick(lang, "Wir führen Ihre Anfrage aus.",
                                                         "Wij voeren uw verzoek uit.",
                                                         "We carry out your request.")));
  const char* button = Pick(lang, "Anfrage bestätigen", "Verzoek bevestigen", "Confirm request");
  if (request_type == "access") {
    body += ExportFormatForm(lang, token, format, button);
  } else {
    body += i18n::TokenForm("/privacy/confirm", token, button);
  }
  body += Paragraph(Pick(lang,
                         "Sie haben diese Anfrage nicht gestellt? Dann schließen Sie diese Seite "
                         "einfach – es geschieht nichts.",
                         "Hebt u dit verzoek niet gedaan? Sluit deze pagina dan gewoon; er gebeurt "
                         "niets.",
                         "Didn’t make this request? Just close this page – nothing will happen."),
                    true);
  return RenderPage(lang, title, body);
}

std::string PrivacyDonePage(Language lang, const std::string& request_type) {
  const std::string title =
      Pick(lang, "Anfrage ausgeführt", "Verzoek uitgevoerd", "Request carried out");
  const RequestTexts* request = FindRequest(request_type);
  std::string body = Heading(title);
  body += Paragraph(
      HtmlEscape(request != nullptr ? In(lang, request->done) : In(lang, kRequests[0].done)));
  return RenderPage(lang, title, body);
}

std::string PrivacyRequestFormPage(Language lang, PowWidget pow) {
  const std::string title = Pick(lang, "Datenschutz-Anfrage", "Privacyverzoek", "Privacy request");
  std::string body = Heading(title);
  body += Paragraph(Pick(
      lang,
      "Hier können Sie Auskunft über Ihre gespeicherten Daten verlangen, sie löschen lassen, der "
      "Speicherung auf unserer Sperrliste widersprechen oder sich von allen Newslettern abmelden. "
      "Damit niemand anderes das in Ihrem Namen tun kann, schicken wir Ihnen zuerst eine E-Mail "
      "mit einem Bestätigungslink.",
      "Hier kunt u inzage vragen in uw opgeslagen gegevens, ze laten verwijderen, bezwaar maken "
      "tegen de opname op onze blokkeerlijst of zich afmelden voor alle nieuwsbrieven. Zodat "
      "niemand anders dit namens u kan doen, sturen wij u eerst een e-mail met een "
      "bevestigingslink.",
      "Here you can ask what data we store about you, have it deleted, object to being on our "
      "suppression list, or unsubscribe from all newsletters. So that nobody else can do this on "
      "your behalf, we first send you an email with a confirmation link."));
  body += "<form method=\"post\" action=\"/privacy/request\" accept-charset=\"utf-8\">\n";
  body += "<label for=\"email\">" +
          HtmlEscape(Pick(lang, "E-Mail-Adresse", "E-mailadres", "Email address")) + "</label>\n";
  body +=
      "<input type=\"email\" id=\"email\" name=\"email\" required maxlength=\"254\" "
      "autocomplete=\"email\" spellcheck=\"false\">\n";
  body += "<fieldset>\n<legend>" +
          HtmlEscape(Pick(lang, "Was möchten Sie tun?", "Wat wilt u doen?",
                          "What would you like to do?")) +
          "</legend>\n";
  for (const auto& r : kRequests) {
    const std::string id = std::string("type-") + r.type;
    body += "<label class=\"choice\" for=\"" + id + "\"><input type=\"radio\" id=\"" + id +
            "\" name=\"type\" value=\"" + r.type + "\" required> <span>" +
            HtmlEscape(In(lang, r.choice)) + "</span></label>\n";
  }
  body += "</fieldset>\n";
  body += "<input type=\"hidden\" name=\"language\" value=\"" + std::string(LanguageCode(lang)) +
          "\">\n";
  body += PowFormFields(lang, pow);
  body += "<p><button type=\"submit\">" +
          HtmlEscape(Pick(lang, "Anfrage senden", "Verzoek versturen", "Send request")) +
          "</button></p>\n</form>\n";
  return RenderPage(lang, title, body);
}

std::string PrivacyRequestedPage(Language lang) {
  const std::string title =
      Pick(lang, "Bitte prüfen Sie Ihr Postfach", "Controleer uw inbox", "Please check your inbox");
  std::string body = Heading(title);
  body += Paragraph(Pick(
      lang,
      "Vielen Dank. Wenn wir Daten zu dieser Adresse gespeichert haben, erhalten Sie in wenigen "
      "Minuten eine E-Mail mit einem Bestätigungslink. Erst nach Ihrer Bestätigung führen wir die "
      "Anfrage aus.",
      "Bedankt. Als wij gegevens over dit adres hebben opgeslagen, ontvangt u binnen enkele "
      "minuten een e-mail met een bevestigingslink. Pas na uw bevestiging voeren wij het verzoek "
      "uit.",
      "Thank you. If we store any data about this address, you will receive an email with a "
      "confirmation link within a few minutes. We only carry out the request after you confirm."));
  body += Paragraph(Pick(lang, "Keine E-Mail bekommen? Bitte sehen Sie auch im Spam-Ordner nach.",
                         "Geen e-mail ontvangen? Kijk dan ook in uw spammap.",
                         "No email? Please check your spam folder too."),
                    true);
  return RenderPage(lang, title, body);
}

}  // namespace optin
