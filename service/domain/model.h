// The domain's plain data: lists, signup requests, outcomes of the subscription state machine,
// suppressions. Value types shared by service/, storage/ and the HTTP adapter; no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optin {

struct ListInfo {
  int64_t id = 0;
  std::string slug;
  std::string name;
  std::string language = "de";
  std::string cleverreach_group_id;  // "" = not synced
  bool require_consent_checkbox = false;
  std::string consent_text;
  std::string thank_you_url;  // "" = built-in page
  std::string confirmed_url;  // "" = built-in page
  // The languages a visitor may choose besides `language` (de/nl/en codes); empty = only the
  // list's own. Read by the list look-ups (list-by-slug, list-all, list-upsert), not by the
  // queries that return a list along with a subscription.
  std::vector<std::string> languages;
};

// What an admin may change on a list (PUT /admin/lists/{slug}); unset fields keep their value.
struct ListUpdate {
  std::optional<std::string> name;
  std::optional<std::string> language;
  std::optional<std::string> cleverreach_group_id;  // "" clears
  std::optional<bool> require_consent_checkbox;
  std::optional<std::string> consent_text;
  std::optional<std::string> thank_you_url;
  std::optional<std::string> confirmed_url;
  std::optional<std::vector<std::string>> languages;  // codes, validated; {} = only its own
};

// Where a request came from, as far as the consent ledger records it.
struct ClientInfo {
  std::string ip;          // already reduced per OPTIN_IP_MODE; "" = not stored
  std::string user_agent;  // truncated to 512 bytes
};

// A validated signup: the address is normalised, the list exists.
struct SignupCommand {
  std::string email;       // normalised
  std::string email_hash;  // AddressHash(email)
  std::string name;        // "" = none given
  std::string language;    // de, nl or en (list default applied)
  // The signup_requested event records (consent_events columns): page_url = the Referer, or the
  // built-in form's URL (public URL + /form/{slug}) when its hidden form_page field says so, ""
  // when neither; ip/user_agent = client; consent_text_sha256 = SHA-256 (hex) of consent_text,
  // the words the form showed (the list's consent_text or the built-in form's text in `language`),
  // never empty, the text itself kept once in consent_texts; detail JSON = language, name_given,
  // consent_checkbox.
  std::string page_url;
  ClientInfo client;
  int64_t list_id = 0;
  std::string consent_text_sha256;
  std::string consent_text;
  bool consent_checkbox = false;  // the list demanded the checkbox (and it was ticked)
};

// The confirmation mail to enqueue if the state machine decides one is due.
struct PendingMail {
  std::string token_hash;
  int64_t ttl_seconds = 0;
  std::string message_id;
  std::string message;  // rendered RFC 5322
};

enum class SignupResult {
  kPendingMailQueued,  // new or pending: a confirmation mail is on its way
  kPendingThrottled,   // pending, but a mail went out less than 10 minutes ago
  kAlreadyConfirmed,   // nothing happens, nothing is sent
  kSuppressed,         // suppressed address or domain: nothing stored, nothing sent
  kRestricted,         // restricted address (Art. 18): nothing changed, nothing sent
};

// What presenting a confirmation token leads to. kConfirmable only from a peek (the GET page):
// a POST would confirm now. kSuppressed: the address (or its domain) was suppressed after the
// mail went out; the link is dead like an expired one.
enum class ConfirmResult {
  kConfirmed,
  kAlreadyConfirmed,
  kExpired,
  kSuppressed,
  kNotFound,
  kConfirmable
};

struct ConfirmOutcome {
  ConfirmResult result = ConfirmResult::kNotFound;
  ListInfo list;
  std::string language;
};

enum class UnsubscribeChannel { kLink, kOneClick, kCleverReach, kAdmin, kPrivacy };
const char* ChannelName(UnsubscribeChannel channel);

struct UnsubscribeOutcome {
  bool found = false;
  bool already = false;  // it was unsubscribed before
  ListInfo list;
  std::string language;
};

// One suppression entry as shown to an admin or in an access export.
struct SuppressionEntry {
  std::string scope;  // "global" or a list slug
  std::string reason;
  std::string source;
  std::string created_at;
};

}  // namespace optin
