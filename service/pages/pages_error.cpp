// ErrorPage: a friendly explanation per HTTP status for browsers.
#include <string>

#include "service/pages/page_layout.h"
#include "service/pages/pages.h"
#include "service/pages/text_util.h"

namespace optin {
namespace {

struct ErrorTexts {
  int status;
  const char* title[3];        // de, nl, en
  const char* explanation[3];  // de, nl, en
};

constexpr ErrorTexts kErrors[] = {
    {400,
     {"Ungültige Anfrage", "Ongeldig verzoek", "Bad request"},
     {"Die Anfrage war unvollständig oder fehlerhaft. Bitte prüfen Sie Ihre Eingaben, zum Beispiel "
      "die E-Mail-Adresse, und versuchen Sie es erneut.",
      "Het verzoek was onvolledig of onjuist. Controleer uw invoer, bijvoorbeeld het e-mailadres, "
      "en probeer het opnieuw.",
      "The request was incomplete or invalid. Please check what you entered, such as the email "
      "address, and try again."}},
    {404,
     {"Nicht gefunden", "Niet gevonden", "Not found"},
     {"Diese Seite gibt es nicht. Bitte prüfen Sie die Adresse.",
      "Deze pagina bestaat niet. Controleer het adres.",
      "This page does not exist. Please check the address."}},
    {410,
     {"Nicht mehr verfügbar", "Niet meer beschikbaar", "No longer available"},
     {"Dieser Link ist abgelaufen.", "Deze link is verlopen.", "This link has expired."}},
    {413,
     {"Zu viele Daten", "Te veel gegevens", "Too much data"},
     {"Die gesendeten Daten waren zu umfangreich. Bitte kürzen Sie Ihre Eingaben und versuchen "
      "Sie es erneut.",
      "De verzonden gegevens waren te groot. Maak uw invoer korter en probeer het opnieuw.",
      "The data sent was too large. Please shorten your input and try again."}},
    {415,
     {"Format nicht unterstützt", "Formaat niet ondersteund", "Unsupported format"},
     {"Die Anfrage kam in einem Format, das wir nicht verarbeiten können. Bitte verwenden Sie das "
      "Formular.",
      "Het verzoek is verzonden in een formaat dat wij niet kunnen verwerken. Gebruik het "
      "formulier.",
      "The request was sent in a format we cannot process. Please use the form."}},
    {422,
     {"Angaben unvollständig", "Gegevens onvolledig", "Details incomplete"},
     {"Bitte füllen Sie alle Pflichtangaben aus – zum Beispiel Ihre Einwilligung im "
      "Kontrollkästchen – und senden Sie das Formular erneut.",
      "Vul alle verplichte onderdelen in – bijvoorbeeld uw toestemming in het selectievakje – en "
      "verstuur het formulier opnieuw.",
      "Please complete all required parts – for example your consent in the checkbox – and submit "
      "the form again."}},
    {429,
     {"Zu viele Anfragen", "Te veel verzoeken", "Too many requests"},
     {"Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.",
      "Wacht een paar minuten en probeer het dan opnieuw.",
      "Please wait a few minutes and try again."}},
    {500,
     {"Interner Fehler", "Interne fout", "Something went wrong"},
     {"Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal.",
      "Er is bij ons iets misgegaan. Probeer het later opnieuw.",
      "Something went wrong on our side. Please try again later."}},
    {503,
     {"Vorübergehend nicht verfügbar", "Tijdelijk niet beschikbaar", "Temporarily unavailable"},
     {"Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.",
      "De dienst is op dit moment niet bereikbaar. Probeer het over een paar minuten opnieuw.",
      "The service is not available right now. Please try again in a few minutes."}},
};

constexpr ErrorTexts kOtherError = {
    0,
    {"Fehler", "Fout", "Error"},
    {"Die Anfrage konnte nicht bearbeitet werden. Bitte versuchen Sie es später noch einmal.",
     "Het verzoek kon niet worden verwerkt. Probeer het later opnieuw.",
     "The request could not be processed. Please try again later."}};

const char* In(Language lang, const char* const (&texts)[3]) {
  return i18n::Pick(lang, texts[0], texts[1], texts[2]);
}

}  // namespace

std::string ErrorPage(Language lang, int http_status) {
  const ErrorTexts* texts = &kOtherError;
  for (const auto& e : kErrors) {
    if (e.status == http_status) texts = &e;
  }
  const std::string title = In(lang, texts->title);
  std::string body = "<p class=\"status\">" +
                     HtmlEscape(i18n::Pick(lang, "Fehler ", "Fout ", "Error ")) +
                     std::to_string(http_status) + "</p>\n";
  body += i18n::Heading(title);
  body += i18n::Paragraph(HtmlEscape(In(lang, texts->explanation)));
  return i18n::RenderPage(lang, title, body);
}

}  // namespace optin
