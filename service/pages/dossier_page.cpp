#include "service/pages/dossier_page.h"

#include "service/domain/mail_redaction.h"
#include "service/pages/pages.h"
#include "service/pages/text_util.h"

namespace optin {
namespace {

using i18n::Pick;

std::string E(const std::string& s) { return HtmlEscape(s); }

std::string When(const DossierTime& t) {
  if (t.utc.empty()) return "—";
  return "<span class=\"utc\">" + E(t.utc) + " UTC</span><br><span class=\"local\">" + E(t.berlin) +
         " Europe/Berlin</span>";
}

std::string Row(const std::string& label, const std::string& value_html) {
  return "<tr><th>" + E(label) + "</th><td>" + value_html + "</td></tr>\n";
}

std::string KindName(const std::string& kind, Language l) {
  if (kind == "signup_requested")
    return Pick(l, "Anmeldung angefordert", "Aanmelding aangevraagd", "Signup requested");
  if (kind == "confirmation_mail_sent")
    return Pick(l, "Bestätigungsmail versandt", "Bevestigingsmail verzonden",
                "Confirmation mail sent");
  if (kind == "confirmed") return Pick(l, "Bestätigt", "Bevestigd", "Confirmed");
  if (kind == "unsubscribed") return Pick(l, "Abgemeldet", "Afgemeld", "Unsubscribed");
  if (kind == "suppressed") return Pick(l, "Gesperrt", "Geblokkeerd", "Suppressed");
  if (kind == "suppression_lifted")
    return Pick(l, "Sperre aufgehoben", "Blokkering opgeheven", "Suppression lifted");
  if (kind == "imported") return Pick(l, "Importiert", "Geïmporteerd", "Imported");
  if (kind == "privacy_requested")
    return Pick(l, "Datenschutzanfrage", "Privacyverzoek", "Privacy request");
  if (kind == "privacy_completed")
    return Pick(l, "Datenschutzanfrage ausgeführt", "Privacyverzoek uitgevoerd",
                "Privacy request carried out");
  if (kind == "erased")
    return Pick(l, "Gelöscht (Art. 17)", "Gewist (art. 17)", "Erased (Art. 17)");
  if (kind == "ledger_removed")
    return Pick(l, "Aufbewahrungsfrist: Einträge entfernt", "Bewaartermijn: items verwijderd",
                "Retention: entries removed");
  return kind;
}

std::string StatusName(const std::string& status, Language l) {
  if (status == "pending") return Pick(l, "ausstehend", "in afwachting", "pending");
  if (status == "confirmed") return Pick(l, "bestätigt", "bevestigd", "confirmed");
  if (status == "unsubscribed") return Pick(l, "abgemeldet", "afgemeld", "unsubscribed");
  return status;
}

std::string SyncName(const std::string& state, Language l) {
  if (state == "no_group")
    return Pick(l, "keine CleverReach-Gruppe für diese Liste",
                "geen CleverReach-groep voor deze lijst", "no CleverReach group for this list");
  if (state == "sync_off")
    return Pick(l, "Synchronisation ausgeschaltet", "synchronisatie uitgeschakeld",
                "sync turned off");
  if (state == "pending")
    return Pick(l, "Änderung wartet auf Übertragung", "wijziging wacht op verzending",
                "change waiting to be sent");
  if (state == "dead_letter")
    return Pick(l, "Übertragung aufgegeben (Dead Letter)", "verzending opgegeven (dead letter)",
                "given up (dead letter)");
  if (state == "synced") return Pick(l, "übertragen", "verzonden", "delivered");
  return state;
}

std::string Mono(const std::string& s) { return s.empty() ? "—" : "<code>" + E(s) + "</code>"; }
std::string Text(const std::string& s) { return s.empty() ? "—" : E(s); }

const char kStyle[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#111;margin:2em;}"
    "h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.6em 0 .4em;border-bottom:1px "
    "solid #999}"
    "h3{font-size:1em;margin:1em 0 .3em}table{border-collapse:collapse;width:100%;margin:.3em 0 "
    "1em}"
    "th,td{border:1px solid #bbb;padding:.25em .45em;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2;width:14em;font-weight:600}code,pre{font:12px/1.35 "
    "ui-monospace,monospace;"
    "word-break:break-all;white-space:pre-wrap}pre{border:1px solid "
    "#bbb;padding:.5em;background:#fafafa}"
    ".ok{color:#060;font-weight:600}.bad{color:#a00;font-weight:600}.muted{color:#555}"
    ".event{page-break-inside:avoid;break-inside:avoid}"
    "@media print{body{margin:0;font-size:11px}pre{font-size:9px}h2{page-break-after:avoid}}";

std::string EventHtml(const DossierEvent& e, Language l) {
  std::string h = "<div class=\"event\"><h3>#" + std::to_string(e.id) + " " +
                  E(KindName(e.kind, l)) + "</h3>\n<table>\n";
  h += Row(Pick(l, "Zeit", "Tijd", "Time"), When(e.at));
  if (!e.list.empty()) h += Row(Pick(l, "Liste", "Lijst", "List"), E(e.list));
  h += Row(Pick(l, "Kanal", "Kanaal", "Channel"), Text(e.channel));
  h += Row(Pick(l, "IP-Adresse (wie gespeichert)", "IP-adres (zoals opgeslagen)",
                "IP address (as stored)"),
           Text(e.ip));
  h += Row(Pick(l, "User-Agent", "User-agent", "User agent"), Text(e.user_agent));
  h += Row(Pick(l, "Seite des Formulars", "Pagina van het formulier", "Page of the form"),
           Text(e.page_url));
  if (!e.actor.empty()) h += Row(Pick(l, "Admin", "Beheerder", "Admin"), E(e.actor));
  if (!e.consent_text_sha256.empty()) {
    h += Row(Pick(l, "SHA-256 des Einwilligungstexts", "SHA-256 van de toestemmingstekst",
                  "SHA-256 of the consent text"),
             Mono(e.consent_text_sha256));
    h += Row(Pick(l, "Einwilligungstext (genauer Wortlaut)", "Toestemmingstekst (exacte woorden)",
                  "Consent text (exact words)"),
             e.consent_text.empty()
                 ? E(Pick(l, "nicht gespeichert", "niet opgeslagen", "not stored"))
                 : "<blockquote class=\"consent\">" + E(e.consent_text) + "</blockquote>");
  }
  if (!e.message_id.empty()) h += Row("Message-ID", Mono("<" + e.message_id + ">"));
  if (!e.mail_sha256.empty())
    h += Row(Pick(l, "SHA-256 der Mail wie versandt", "SHA-256 van de mail zoals verzonden",
                  "SHA-256 of the mail as sent"),
             Mono(e.mail_sha256));
  if (!e.mail_redacted_sha256.empty())
    h += Row(Pick(l, "SHA-256 der geschwärzten Form", "SHA-256 van de geanonimiseerde vorm",
                  "SHA-256 of the redacted form"),
             Mono(e.mail_redacted_sha256));
  if (e.detail_json != "{}" && !e.detail_json.empty())
    h += Row(Pick(l, "Details", "Details", "Details"), Mono(e.detail_json));
  h += Row(Pick(l, "Kette: SHA-256 dieses Eintrags", "Keten: SHA-256 van dit item",
                "Chain: SHA-256 of this entry"),
           Mono(e.sha256));
  h += Row(Pick(l, "Kette: SHA-256 des vorigen", "Keten: SHA-256 van het vorige",
                "Chain: SHA-256 of the previous"),
           Mono(e.prev_sha256));
  h += "</table>\n";
  if (!e.mail_redacted.empty()) {
    h += "<p>" +
         E(Pick(l, "Die Bestätigungsmail, wie sie versandt wurde, der Bestätigungslink geschwärzt:",
                "De bevestigingsmail zoals verzonden, de bevestigingslink geanonimiseerd:",
                "The confirmation mail as it was sent, its confirmation link redacted:")) +
         "</p>\n<pre class=\"mail\">" + E(e.mail_redacted) + "</pre>\n";
    h += "<p class=\"muted\">" + E(MailVerificationHowTo(l)) + "</p>\n";
  }
  return h + "</div>\n";
}

}  // namespace

std::string MailVerificationHowTo(Language l) {
  return i18n::Fill(
      Pick(l,
           "So wird geprüft: Die geschwärzte Form ist die Mail Byte für Byte wie versandt "
           "(CRLF-Zeilenenden; exakt in der "
           "JSON-Form, Feld mail_redacted), nur dass jedes Vorkommen des 32-stelligen Tokens "
           "hinter \"token=\" durch "
           "{placeholder} ersetzt ist (ein weicher Zeilenumbruch \"=\" CRLF kann es teilen). Ihr "
           "SHA-256 ist der "
           "angegebene. Wer das Token aus dem Link der erhaltenen Mail wieder an die Stelle des "
           "Platzhalters setzt, "
           "erhält die Mail, deren SHA-256 beim Versand aufgezeichnet wurde (sha256sum mail.eml).",
           "Zo controleert u het: de geanonimiseerde vorm is de mail byte voor byte zoals "
           "verzonden (CRLF-regeleinden; "
           "exact in de JSON-vorm, veld mail_redacted), behalve dat elk voorkomen van het token "
           "van 32 tekens na "
           "\"token=\" is vervangen door {placeholder} (een zachte regelafbreking \"=\" CRLF kan "
           "het splitsen). De "
           "SHA-256 daarvan is de vermelde. Wie het token uit de link van de ontvangen mail "
           "terugzet op de plaats van de "
           "plaatshouder, krijgt de mail waarvan de SHA-256 bij verzending is vastgelegd "
           "(sha256sum mail.eml).",
           "How to verify: the redacted form is the mail byte for byte as sent (CRLF line ends; "
           "exact in the JSON form, "
           "field mail_redacted) except that every occurrence of the 32-character token after "
           "\"token=\" is replaced "
           "by {placeholder} (a soft line break \"=\" CRLF may split it). Its SHA-256 is the one "
           "shown. Putting the "
           "token from the link in the received mail back in place of the placeholder gives the "
           "mail whose SHA-256 "
           "was recorded when it was sent (sha256sum mail.eml)."),
      {{"placeholder", kRedactedToken}});
}

std::string RenderDossierPage(const Dossier& d, Language l) {
  std::string title = Pick(l, "Einwilligungsnachweis", "Toestemmingsdossier", "Consent dossier");
  std::string h =
      "<!doctype html>\n<html lang=\"" + std::string(LanguageCode(l)) +
      "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"robots\" content=\"noindex\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>" +
      E(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" + E(title) +
      "</h1>\n<table>\n";
  if (d.erased) {
    h += Row(Pick(l, "Adresse", "Adres", "Address"),
             E(Pick(l, "gelöscht (Art. 17 DSGVO) – nur noch Fakten ohne Personenbezug (Hashwerte)",
                    "gewist (art. 17 AVG) – alleen nog feiten zonder persoonsgegevens (hashes)",
                    "erased (GDPR Art. 17) – only hash-only facts remain")));
  } else {
    h += Row(Pick(l, "Adresse", "Adres", "Address"), Text(d.email));
  }
  h += Row(Pick(l, "SHA-256 der Adresse", "SHA-256 van het adres", "SHA-256 of the address"),
           Mono(d.email_hash));
  if (d.subscriber)
    h += Row(Pick(l, "Erstmals gespeichert", "Eerst opgeslagen", "First stored"), When(d.created));
  h += Row(Pick(l, "Erstellt", "Opgesteld", "Generated"), When(d.generated));
  std::string ledger = d.ledger.ok ? "<span class=\"ok\">" +
                                         E(Pick(l, "unverändert – die Hash-Kette ist vollständig",
                                                "ongewijzigd – de hashketen is volledig",
                                                "intact – the hash chain verifies")) +
                                         "</span>"
                                   : "<span class=\"bad\">" +
                                         E(Pick(l, "GEBROCHEN", "GEBROKEN", "BROKEN")) + ": " +
                                         E(d.ledger.broken_reason) + " (#" +
                                         std::to_string(d.ledger.broken_event_id) + ")</span>";
  ledger += " <span class=\"muted\">(" + std::to_string(d.ledger.events) + " " +
            E(Pick(l, "Einträge; optin verify-ledger", "items; optin verify-ledger",
                   "entries; optin verify-ledger")) +
            ")</span>";
  h += Row(Pick(l, "Prüfung des Protokolls", "Controle van het logboek", "Ledger verification"),
           ledger);
  h += "</table>\n";

  if (!d.erased) {
    h += "<h2>" + E(Pick(l, "Abonnements", "Abonnementen", "Subscriptions")) + "</h2>\n";
    if (d.subscriptions.empty()) h += "<p>—</p>\n";
    for (const auto& s : d.subscriptions) {
      h += "<h3>" + E(s.list_name) + " (" + E(s.list) + ")</h3>\n<table>\n";
      h += Row(Pick(l, "Status", "Status", "Status"), E(StatusName(s.status, l)));
      h += Row(Pick(l, "Sprache", "Taal", "Language"), E(s.language));
      h += Row(Pick(l, "Quelle", "Bron", "Source"), Text(s.source));
      h += Row(Pick(l, "Angemeldet", "Aangemeld", "Signed up"), When(s.signed_up));
      h += Row(Pick(l, "Bestätigt", "Bevestigd", "Confirmed"), When(s.confirmed));
      h += Row(Pick(l, "Abgemeldet", "Afgemeld", "Unsubscribed"), When(s.unsubscribed));
      std::string hist;
      for (const auto& c : s.history)
        hist += E(StatusName(c.status, l)) + " — " + E(c.at.utc) + " UTC / " + E(c.at.berlin) +
                " (#" + std::to_string(c.event_id) + ")<br>";
      h += Row(Pick(l, "Statusverlauf", "Statusverloop", "Status history"),
               hist.empty() ? "—" : hist);
      h += Row("CleverReach", E(SyncName(s.sync.state, l)) +
                                  (s.sync.detail.empty() ? "" : ": " + Mono(s.sync.detail)));
      h += "</table>\n";
    }
  }

  h += "<h2>" + E(Pick(l, "Sperrliste", "Blokkeerlijst", "Suppression list")) + "</h2>\n";
  if (d.suppressions.empty() && d.blocked_domain.empty())
    h += "<p>" + E(Pick(l, "nicht gesperrt", "niet geblokkeerd", "not suppressed")) + "</p>\n";
  if (!d.suppressions.empty()) {
    h += "<table>\n<tr><th>" + E(Pick(l, "Geltung", "Bereik", "Scope")) + "</th><th>" +
         E(Pick(l, "Grund", "Reden", "Reason")) + "</th><th>" +
         E(Pick(l, "Quelle", "Bron", "Source")) + "</th><th>" +
         E(Pick(l, "Seit", "Sinds", "Since")) + "</th></tr>\n";
    for (const auto& s : d.suppressions) {
      h += "<tr><td>" +
           E(s.scope == "global" ? Pick(l, "alle Listen", "alle lijsten", "all lists") : s.scope) +
           "</td><td>" + E(s.reason) + "</td><td>" + E(s.source) +
           (s.hash_only ? E(Pick(l, " (nur Hash)", " (alleen hash)", " (hash only)")) : "") +
           "</td><td>" + When(s.since) + "</td></tr>\n";
    }
    h += "</table>\n";
  }
  if (!d.blocked_domain.empty())
    h += "<p>" + E(Pick(l, "Domain gesperrt: ", "Domein geblokkeerd: ", "Domain blocked: ")) +
         Mono(d.blocked_domain) + "</p>\n";

  h += "<h2>" +
       E(Pick(l, "Einwilligungsprotokoll (in Reihenfolge)", "Toestemmingslogboek (op volgorde)",
              "Consent ledger (in order)")) +
       "</h2>\n";
  if (d.events.empty()) h += "<p>—</p>\n";
  for (const auto& e : d.events) h += EventHtml(e, l);
  h +=
      "<p class=\"muted\">" +
      E(Pick(
          l,
          "Jeder Eintrag enthält den SHA-256 des vorigen Eintrags derselben Adresse (der erste den "
          "Anker der Datenbank); die kanonische Form ist im README beschrieben (Proof of consent).",
          "Elk item bevat de SHA-256 van het vorige item van hetzelfde adres (het eerste het anker "
          "van de database); de canonieke vorm staat in de README (Proof of consent).",
          "Each entry holds the SHA-256 of the previous entry of the same address (the first the "
          "database's anchor); the canonical form is described in the README (Proof of "
          "consent).")) +
      "</p>\n";
  return h + "</body>\n</html>\n";
}

}  // namespace optin
