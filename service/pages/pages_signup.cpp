// The ready-made signup form served at GET /form/{list}.
#include "service/pages/page_layout.h"
#include "service/pages/pages.h"
#include "service/pages/text_util.h"

namespace optin {

using i18n::Pick;

namespace {

std::string HiddenInput(const std::string& name, const std::string& value) {
  return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + HtmlEscape(value) + "\">\n";
}

// A field people never see or reach by keyboard and screen readers skip, so only bots fill it.
// Off-screen rather than display:none, which some bots detect.
std::string Honeypot(Language lang) {
  return "<div style=\"position:absolute;left:-10000px;top:auto;width:1px;height:1px;"
         "overflow:hidden\" aria-hidden=\"true\">\n<label for=\"website\">" +
         HtmlEscape(
             Pick(lang, "Bitte leer lassen", "Laat dit veld leeg", "Leave this field empty")) +
         "</label>\n<input type=\"text\" id=\"website\" name=\"website\" value=\"\" "
         "tabindex=\"-1\" autocomplete=\"off\">\n</div>\n";
}

std::string ConsentCheckbox(Language lang, const std::string& list_name,
                            const std::string& consent_text) {
  return "<p><label class=\"choice\" for=\"consent\"><input type=\"checkbox\" id=\"consent\" "
         "name=\"consent\" value=\"yes\" required> <span>" +
         HtmlEscape(ConsentText(lang, list_name, consent_text)) + "</span></label></p>\n";
}

}  // namespace

std::string ConsentText(Language lang, const std::string& list_name,
                        const std::string& configured) {
  if (!configured.empty()) return configured;
  return i18n::Fill(Pick(lang,
                         "Ja, ich möchte {list} per E-Mail erhalten. Meine Einwilligung kann ich "
                         "jederzeit über den Abmeldelink in jeder E-Mail widerrufen.",
                         "Ja, ik wil {list} per e-mail ontvangen. Ik kan mijn toestemming altijd "
                         "intrekken via de afmeldlink in elke e-mail.",
                         "Yes, I would like to receive {list} by email. I can withdraw my consent "
                         "at any time using the unsubscribe link in every email."),
                    {{"list", list_name}});
}

std::string SignupFormPage(Language lang, const std::string& list_slug,
                           const std::string& list_name, const std::string& action_url,
                           bool require_consent, const std::string& consent_text, PowWidget pow,
                           const std::string& form_page_url) {
  const i18n::Placeholders list = {{"list", HtmlEscape(list_name)}};
  const char* title_template =
      Pick(lang, "{list} abonnieren", "Aanmelden voor {list}", "Subscribe to {list}");
  std::string body = "<h1>" + i18n::Fill(title_template, list) + "</h1>\n";
  body += i18n::Paragraph(Pick(
      lang,
      "Tragen Sie Ihre E-Mail-Adresse ein. Sie erhalten danach eine E-Mail mit einem "
      "Bestätigungslink – erst wenn Sie darauf klicken, sind Sie angemeldet.",
      "Vul uw e-mailadres in. U ontvangt daarna een e-mail met een bevestigingslink; pas als u "
      "daarop klikt, bent u aangemeld.",
      "Enter your email address. We will then send you an email with a confirmation link – you "
      "are only subscribed once you click it."));

  body +=
      "<form method=\"post\" action=\"" + HtmlEscape(action_url) + "\" accept-charset=\"utf-8\">\n";
  body += "<label for=\"email\">" +
          HtmlEscape(Pick(lang, "E-Mail-Adresse", "E-mailadres", "Email address")) + "</label>\n";
  body +=
      "<input type=\"email\" id=\"email\" name=\"email\" required maxlength=\"254\" "
      "autocomplete=\"email\" spellcheck=\"false\">\n";
  body += "<label for=\"name\">" +
          HtmlEscape(Pick(lang, "Name (freiwillig)", "Naam (optioneel)", "Name (optional)")) +
          "</label>\n";
  body +=
      "<input type=\"text\" id=\"name\" name=\"name\" maxlength=\"200\" autocomplete=\"name\">\n";
  body += HiddenInput("list", list_slug);
  body += HiddenInput("language", LanguageCode(lang));
  if (!form_page_url.empty()) body += HiddenInput("form_page", form_page_url);
  body += Honeypot(lang);
  if (require_consent) body += ConsentCheckbox(lang, list_name, consent_text);
  body += PowFormFields(lang, pow);
  body += "<p><button type=\"submit\">" +
          HtmlEscape(Pick(lang, "Anmelden", "Aanmelden", "Subscribe")) + "</button></p>\n";
  body += "</form>\n";

  body += i18n::Paragraph(
      Pick(
          lang,
          "Nur die E-Mail-Adresse ist erforderlich, alle anderen Angaben sind freiwillig. Als "
          "Nachweis Ihrer Einwilligung protokollieren wir Anmeldung und Bestätigung. Abmelden "
          "können Sie sich jederzeit über den Link in jeder E-Mail.",
          "Alleen het e-mailadres is verplicht; alle andere gegevens zijn vrijwillig. Als bewijs "
          "van uw toestemming leggen wij de aanmelding en de bevestiging vast. Afmelden kan altijd "
          "via de link in elke e-mail.",
          "Only the email address is required; everything else is voluntary. As proof of your "
          "consent we record your signup and confirmation. You can unsubscribe at any time using "
          "the link in every email."),
      true);
  return i18n::RenderPage(lang, i18n::Fill(title_template, {{"list", list_name}}), body);
}

}  // namespace optin
