// FakeCleverReach: server lifecycle, routing (with the ".json" aliases), OAuth and the test API.
#include "tests/fakes/fake_cleverreach.h"

#include <httplib.h>
#include <signal.h>

#include <random>
#include <sstream>

#include "tests/fakes/fake_http_util.h"
#include "tests/support/wait.h"

namespace optin::test {
namespace {

// "/v3/groups/:gid/receivers" -> regex; every resource segment after /v3 may end in ".json".
std::string PathRegex(const std::string& path) {
  bool api = path.rfind("/v3/", 0) == 0;
  std::string out;
  std::stringstream segments(path.substr(1));
  std::string segment;
  while (std::getline(segments, segment, '/')) {
    out += "/";
    if (segment[0] == ':') {
      out += "([^/]+)";
      continue;
    }
    for (char c : segment) out += (c == '.') ? std::string("\\.") : std::string(1, c);
    if (api && segment != "v3") out += R"((?:\.json)?)";
  }
  return out;
}

std::string Base64Decode(const std::string& in) {
  static const std::string kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned value = 0;
  int bits = -8;
  for (char c : in) {
    auto pos = kChars.find(c);
    if (pos == std::string::npos) break;
    value = ((value << 6) | static_cast<unsigned>(pos)) & 0xFFFFu;  // 14 bits are ever needed
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::string FormValue(const std::string& body, const std::string& key) {
  std::stringstream pairs(body);
  std::string pair;
  while (std::getline(pairs, pair, '&')) {
    if (pair.rfind(key + "=", 0) == 0) return pair.substr(key.size() + 1);
  }
  return "";
}

}  // namespace

FakeCleverReach::FakeCleverReach() : server_(std::make_unique<httplib::Server>()) {
  signal(SIGPIPE, SIG_IGN);
  server_->set_tcp_nodelay(true);
  server_->new_task_queue = [] { return new httplib::ThreadPool(8); };
  server_->set_keep_alive_max_count(1000);
  server_->set_keep_alive_timeout(1);
  server_->set_payload_max_length(64 << 20);
  RegisterRoutes();
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

FakeCleverReach::~FakeCleverReach() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();  // ends injected delays at once
  WaitUntil([this] { return server_->is_running(); }, std::chrono::seconds(10));
  server_->stop();
  thread_.join();
}

std::string FakeCleverReach::api_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v3";
}

std::string FakeCleverReach::token_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/oauth/token.php";
}

void FakeCleverReach::Route(const char* method, const std::string& path, const std::string& name,
                            Handler handler) {
  auto wrapped = [this, name, handler](const httplib::Request& req, httplib::Response& res) {
    if (ApplyFault(name, req, res)) return;
    if (name != "token" && !Authorized(req, res)) return;
    (this->*handler)(req, res);
  };
  std::string pattern = PathRegex(path);
  std::string m = method;
  if (m == "GET") server_->Get(pattern, wrapped);
  if (m == "POST") server_->Post(pattern, wrapped);
  if (m == "PUT") server_->Put(pattern, wrapped);
  if (m == "DELETE") server_->Delete(pattern, wrapped);
}

void FakeCleverReach::RegisterRoutes() {
  using F = FakeCleverReach;
  Route("POST", "/oauth/token.php", "token", &F::Token);
  Route("GET", "/v3/groups", "groups.list", &F::GroupsList);
  Route("GET", "/v3/groups/:gid", "groups.get", &F::GroupsGet);
  Route("POST", "/v3/groups/:gid/receivers/upsertplus", "receivers.upsert", &F::Upsert);
  Route("GET", "/v3/groups/:gid/receivers", "receivers.list", &F::ReceiversList);
  Route("GET", "/v3/groups/:gid/receivers/:x", "receivers.get", &F::ReceiverGet);
  Route("PUT", "/v3/groups/:gid/receivers/:x/setinactive", "receivers.deactivate",
        &F::ReceiverDeactivate);
  Route("PUT", "/v3/groups/:gid/receivers/:x/deactivate", "receivers.deactivate",
        &F::ReceiverDeactivate);
  Route("PUT", "/v3/groups/:gid/receivers/:x/activate", "receivers.activate", &F::ReceiverActivate);
  Route("DELETE", "/v3/groups/:gid/receivers/:x", "receivers.remove", &F::ReceiverRemove);
  Route("GET", "/v3/bounces", "bounces.list", &F::BouncesList);
  Route("DELETE", "/v3/receivers/:x", "receivers.delete", &F::ReceiverDelete);
  Route("POST", "/v3/blacklist", "blacklist.add", &F::BlacklistAdd);
  Route("GET", "/v3/blacklist", "blacklist.list", &F::BlacklistList);
  Route("GET", "/v3/blacklist/:x", "blacklist.get", &F::BlacklistGet);
  Route("DELETE", "/v3/blacklist/:x", "blacklist.remove", &F::BlacklistRemove);
}

void FakeCleverReach::Token(const httplib::Request& req, httplib::Response& res) {
  std::string id, secret, grant;
  auto json = nlohmann::json::parse(req.body, nullptr, false);
  if (!json.is_discarded() && json.is_object()) {
    id = json.value("client_id", "");
    secret = json.value("client_secret", "");
    grant = json.value("grant_type", "");
  } else {
    id = FormValue(req.body, "client_id");
    secret = FormValue(req.body, "client_secret");
    grant = FormValue(req.body, "grant_type");
  }
  std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Basic ", 0) == 0) {
    std::string pair = Base64Decode(auth.substr(6));
    auto colon = pair.find(':');
    id = pair.substr(0, colon);
    secret = colon == std::string::npos ? "" : pair.substr(colon + 1);
  }
  if (grant != "client_credentials") {
    fake::SendJson(res, 400,
                   {{"error", "unsupported_grant_type"},
                    {"error_description", "grant_type must be client_credentials"}});
    return;
  }
  if (id != kClientId || secret != kClientSecret) {
    fake::SendJson(
        res, 401,
        {{"error", "invalid_grant"}, {"error_description", "The client credentials are invalid"}});
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  static std::mt19937_64 random{std::random_device{}()};
  std::string token = "fake-token-" + std::to_string(++tokens_issued_) + "-" +
                      std::to_string(random() % 1'000'000'007);
  tokens_[token] = std::chrono::steady_clock::now() + std::chrono::seconds(token_lifetime_);
  nlohmann::json answer = {{"access_token", token}, {"expires_in", token_lifetime_}};
  if (!omit_token_type_) answer["token_type"] = "bearer";
  answer["scope"] = scope_as_array_ ? nlohmann::json::array({"basic", "read", "write"})
                                    : nlohmann::json("basic read write");
  fake::SendJson(res, 200, answer);
}

int64_t FakeCleverReach::AddGroup(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t id = next_group_id_++;
  groups_[id] = name;
  receivers_[id];
  return id;
}

void FakeCleverReach::SetBatchLimit(size_t rows) {
  std::lock_guard<std::mutex> lock(mu_);
  batch_limit_ = rows;
}

void FakeCleverReach::SetTokenLifetime(int seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  token_lifetime_ = seconds;
}

void FakeCleverReach::SetTokenAnswerVariant(bool scope_as_array, bool omit_token_type) {
  std::lock_guard<std::mutex> lock(mu_);
  scope_as_array_ = scope_as_array;
  omit_token_type_ = omit_token_type;
}

void FakeCleverReach::ExpireAllTokens() {
  std::lock_guard<std::mutex> lock(mu_);
  auto past = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  for (auto& entry : tokens_) entry.second = past;
}

void FakeCleverReach::FailUpsertOf(const std::string& email) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_upsert_.insert(fake::Lower(email));
}

std::map<std::string, std::string> OptinEnvFor(const FakeCleverReach& fake,
                                               const std::string& http_timeout) {
  return {{"OPTIN_CLEVERREACH_CLIENT_ID", FakeCleverReach::kClientId},
          {"OPTIN_CLEVERREACH_CLIENT_SECRET", FakeCleverReach::kClientSecret},
          {"OPTIN_CLEVERREACH_API_URL", fake.api_url()},
          {"OPTIN_CLEVERREACH_TOKEN_URL", fake.token_url()},
          {"OPTIN_SYNC_INTERVAL", "200ms"},
          {"OPTIN_SYNC_RETRY_BASE", "50ms"},
          {"OPTIN_SYNC_429_BACKOFF", "200ms"},
          {"OPTIN_SYNC_HTTP_TIMEOUT", http_timeout}};
}

}  // namespace optin::test
