#include "integrations/mail/smtp_mail_sender.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

namespace optin {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadCallback(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  size_t n = std::min(size * nitems, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

// 5xx is a permanent rejection of this mail; anything else (4xx, no answer) may pass later.
// Authentication failures are the operator's to fix, not the mail's fault: retried.
Status MapFailure(CURLcode code, long smtp_code) {
  std::string what = std::string("smtp: ") + curl_easy_strerror(code);
  if (code == CURLE_USE_SSL_FAILED)
    what = "smtp: the server offers no STARTTLS and OPTIN_SMTP_TLS is required";
  if (code == CURLE_PEER_FAILED_VERIFICATION)
    what += " (check OPTIN_SMTP_CA_FILE and the host name in OPTIN_SMTP_URL)";
  if (smtp_code > 0) what += " (server said " + std::to_string(smtp_code) + ")";
  if (smtp_code >= 500 && smtp_code < 600 && code != CURLE_LOGIN_DENIED) {
    return Status::InvalidArgument("mail_rejected", what);
  }
  return Status::Unavailable(what);
}

}  // namespace

SmtpMailSender::SmtpMailSender(SmtpSettings settings) : settings_(std::move(settings)) {
  GlobalInit();
  curl_ = curl_easy_init();
}

SmtpMailSender::~SmtpMailSender() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Status SmtpMailSender::Send(const std::string& from, const std::string& to,
                            const std::string& /*message_id*/, const std::string& data) {
  if (curl_ == nullptr) curl_ = curl_easy_init();
  if (curl_ == nullptr) return Status::Unavailable("smtp: cannot initialise libcurl");
  CURL* curl = static_cast<CURL*>(curl_);
  // Options persist on the handle; set all of them each time so that nothing leaks between mails.
  Upload upload{&data};
  std::string mail_from = "<" + from + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  if (rcpt == nullptr) return Status::Unavailable("smtp: out of memory");
  curl_easy_setopt(curl, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // required: STARTTLS or the transfer fails before any AUTH or MAIL (CURLE_USE_SSL_FAILED).
  long use_ssl = settings_.tls == SmtpTls::kRequired        ? CURLUSESSL_ALL
                 : settings_.tls == SmtpTls::kOpportunistic ? CURLUSESSL_TRY
                                                            : CURLUSESSL_NONE;
  curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!settings_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (!settings_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadCallback);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, settings_.connect_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, settings_.total_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 0L);

  CURLcode code = curl_easy_perform(curl);
  long smtp_code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &smtp_code);
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(curl, CURLOPT_READDATA, nullptr);
  curl_slist_free_all(rcpt);
  if (code == CURLE_OK) return Status::Ok();
  return MapFailure(code, smtp_code);
}

}  // namespace optin
