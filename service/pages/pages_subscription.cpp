// The pages of the subscription flow: thanks, confirm, expired, unsubscribe.
#include "service/pages/page_layout.h"
#include "service/pages/pages.h"
#include "service/pages/text_util.h"

namespace optin {

using i18n::Fill;
using i18n::Heading;
using i18n::ListName;
using i18n::Paragraph;
using i18n::Pick;
using i18n::RenderPage;

namespace {

const char* UnsubscribeAnyTime(Language lang) {
  return Pick(lang,
              "Sie können sich jederzeit über den Abmeldelink in jeder E-Mail wieder abmelden.",
              "U kunt zich altijd weer afmelden via de afmeldlink in elke e-mail.",
              "You can unsubscribe at any time using the link in every email.");
}

// Only links a browser would follow harmlessly: http(s) URLs and same-site paths. Anything
// else (javascript:, data:, "//host") is not rendered as a link.
bool IsSafeLink(const std::string& url) {
  auto starts_with_nocase = [&url](const std::string& prefix) {
    if (url.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      const char c = url[i];
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      if (lower != prefix[i]) return false;
    }
    return true;
  };
  for (const char* scheme : {"https://", "http://"}) {
    if (starts_with_nocase(scheme)) return url.size() > std::string(scheme).size();
  }
  return !url.empty() && url[0] == '/' && (url.size() == 1 || (url[1] != '/' && url[1] != '\\'));
}

}  // namespace

std::string SubscribeThanksPage(Language lang, const std::string& list_name) {
  const std::string title =
      Pick(lang, "Bitte prüfen Sie Ihr Postfach", "Controleer uw inbox", "Please check your inbox");
  const i18n::Placeholders values = {{"list", ListName(list_name)}};
  std::string body = Heading(title);
  body += Paragraph(
      Fill(Pick(lang,
                "Vielen Dank für Ihr Interesse an {list}. Falls für Ihre Adresse noch eine "
                "Bestätigung nötig ist, erhalten Sie in wenigen Minuten eine E-Mail mit einem "
                "Bestätigungslink.",
                "Bedankt voor uw interesse in {list}. Als uw adres nog bevestigd moet worden, "
                "ontvangt u binnen enkele minuten een e-mail met een bevestigingslink.",
                "Thank you for your interest in {list}. If your address still needs to be "
                "confirmed, you will receive an email with a confirmation link within a few "
                "minutes."),
           values));
  body += Paragraph(Pick(lang,
                         "Erst nach Ihrer Bestätigung über diesen Link sind Sie angemeldet. Keine "
                         "E-Mail bekommen? Bitte sehen Sie auch im Spam-Ordner nach.",
                         "Pas nadat u via die link hebt bevestigd, bent u aangemeld. Geen e-mail "
                         "ontvangen? Kijk dan ook in uw spammap.",
                         "You will only be subscribed once you confirm via that link. No email? "
                         "Please check your spam folder too."),
                    true);
  return RenderPage(lang, title, body);
}

std::string ConfirmFormPage(Language lang, const std::string& list_name, const std::string& token) {
  const std::string title =
      Pick(lang, "Anmeldung bestätigen", "Aanmelding bevestigen", "Confirm your subscription");
  std::string body = Heading(title);
  body += Paragraph(
      Fill(Pick(lang, "Bitte bestätigen Sie, dass Sie {list} per E-Mail erhalten möchten.",
                "Bevestig dat u {list} per e-mail wilt ontvangen.",
                "Please confirm that you would like to receive {list} by email."),
           {{"list", ListName(list_name)}}));
  body += Paragraph(UnsubscribeAnyTime(lang), true);
  body += i18n::TokenForm(
      "/confirm", token,
      Pick(lang, "Anmeldung bestätigen", "Aanmelding bevestigen", "Confirm subscription"));
  body +=
      Paragraph(Pick(lang,
                     "Sie haben sich nicht angemeldet? Dann schließen Sie diese Seite einfach – "
                     "es geschieht nichts.",
                     "Hebt u zich niet aangemeld? Sluit deze pagina dan gewoon; er gebeurt "
                     "niets.",
                     "Didn’t sign up? Just close this page – nothing will happen."),
                true);
  return RenderPage(lang, title, body);
}

std::string ConfirmedPage(Language lang, const std::string& list_name) {
  const std::string title =
      Pick(lang, "Anmeldung bestätigt", "Aanmelding bevestigd", "Subscription confirmed");
  std::string body = Heading(Pick(lang, "Vielen Dank – Ihre Anmeldung ist bestätigt",
                                  "Bedankt – uw aanmelding is bevestigd",
                                  "Thank you – your subscription is confirmed"));
  body += Paragraph(Fill(Pick(lang, "Sie erhalten ab jetzt {list} per E-Mail.",
                              "U ontvangt vanaf nu {list} per e-mail.",
                              "From now on you will receive {list} by email."),
                         {{"list", ListName(list_name)}}));
  body += Paragraph(UnsubscribeAnyTime(lang), true);
  return RenderPage(lang, title, body);
}

std::string ConfirmExpiredPage(Language lang, const std::string& signup_url) {
  const std::string title = Pick(lang, "Link abgelaufen", "Link verlopen", "Link expired");
  std::string body = Heading(title);
  body += Paragraph(Pick(
      lang,
      "Dieser Bestätigungslink ist abgelaufen. Zu Ihrer Sicherheit sind Bestätigungslinks nur "
      "begrenzte Zeit gültig; Ihre Anmeldung wurde daher nicht abgeschlossen.",
      "Deze bevestigingslink is verlopen. Voor uw veiligheid zijn bevestigingslinks maar beperkte "
      "tijd geldig; uw aanmelding is daarom niet afgerond.",
      "This confirmation link has expired. For your security, confirmation links are only valid "
      "for a limited time, so your subscription was not completed."));
  if (IsSafeLink(signup_url)) {
    body += Paragraph(Pick(lang,
                           "Wenn Sie sich weiterhin anmelden möchten, tun Sie das einfach erneut – "
                           "Sie erhalten dann einen neuen Link.",
                           "Wilt u zich toch aanmelden? Doe dat dan gewoon opnieuw; u ontvangt dan "
                           "een nieuwe link.",
                           "If you would still like to subscribe, simply sign up again – you will "
                           "get a new link."));
    body += "<p><a class=\"button\" href=\"" + HtmlEscape(signup_url) + "\">" +
            HtmlEscape(Pick(lang, "Erneut anmelden", "Opnieuw aanmelden", "Sign up again")) +
            "</a></p>\n";
  } else {
    body +=
        Paragraph(Pick(lang,
                       "Wenn Sie sich weiterhin anmelden möchten, nutzen Sie bitte erneut das "
                       "Anmeldeformular – Sie erhalten dann einen neuen Link.",
                       "Wilt u zich toch aanmelden? Gebruik dan opnieuw het aanmeldformulier; u "
                       "ontvangt dan een nieuwe link.",
                       "If you would still like to subscribe, please use the signup form again "
                       "– you will get a new link."));
  }
  return RenderPage(lang, title, body);
}

std::string UnsubscribeFormPage(Language lang, const std::string& list_name,
                                const std::string& token) {
  const std::string title = Pick(lang, "Abmelden", "Afmelden", "Unsubscribe");
  std::string body = Heading(title);
  body += Paragraph(Fill(
      Pick(lang,
           "Möchten Sie {list} nicht mehr erhalten? Mit einem Klick auf die Schaltfläche "
           "melden Sie sich sofort ab.",
           "Wilt u {list} niet meer ontvangen? Met een klik op de knop meldt u zich direct af.",
           "Don’t want to receive {list} anymore? Click the button to unsubscribe right "
           "away."),
      {{"list", ListName(list_name)}}));
  body += i18n::TokenForm("/unsubscribe?token=" + i18n::UrlEncode(token), token,
                          Pick(lang, "Jetzt abmelden", "Nu afmelden", "Unsubscribe now"));
  body += Paragraph(Pick(lang,
                         "Sie möchten doch angemeldet bleiben? Dann schließen Sie diese Seite "
                         "einfach.",
                         "Wilt u toch aangemeld blijven? Sluit deze pagina dan gewoon.",
                         "Changed your mind? Just close this page."),
                    true);
  return RenderPage(lang, title, body);
}

std::string UnsubscribedPage(Language lang, const std::string& list_name) {
  const std::string title = Pick(lang, "Abgemeldet", "Afgemeld", "Unsubscribed");
  std::string body =
      Heading(Pick(lang, "Sie sind abgemeldet", "U bent afgemeld", "You have been unsubscribed"));
  body += Paragraph(Fill(Pick(lang,
                              "Sie erhalten {list} ab sofort nicht mehr. Ihre Abmeldung ist "
                              "gespeichert; Sie müssen nichts weiter tun.",
                              "U ontvangt {list} vanaf nu niet meer. Uw afmelding is opgeslagen; u "
                              "hoeft verder niets te doen.",
                              "You will no longer receive {list}. Your unsubscription has been "
                              "recorded; there is nothing else you need to do."),
                         {{"list", ListName(list_name)}}));
  body += Paragraph(Pick(lang, "Schade, dass Sie gehen – vielen Dank für Ihr bisheriges Interesse.",
                         "Jammer dat u vertrekt – bedankt voor uw interesse.",
                         "We’re sorry to see you go – thank you for your interest."),
                    true);
  return RenderPage(lang, title, body);
}

}  // namespace optin
