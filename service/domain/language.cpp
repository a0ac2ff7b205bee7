#include "service/domain/language.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace optin {
namespace {

// The primary subtag of "de", "de-DE", "nl_NL", " EN ", lower-cased; "" when there is none.
std::string PrimarySubtag(const std::string& text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string tag;
  for (size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (c == '-' || c == '_') {
      if (i + 1 == end) return "";  // "de-" is not a tag
      break;
    }
    if (!std::isalpha(static_cast<unsigned char>(c))) return "";
    tag += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return tag;
}

}  // namespace

Language ParseLanguage(const std::string& text, Language fallback) {
  const std::string tag = PrimarySubtag(text);
  if (tag == "de") return Language::kDe;
  if (tag == "nl") return Language::kNl;
  if (tag == "en") return Language::kEn;
  return fallback;
}

bool IsSupportedLanguage(const std::string& text) {
  return text == "de" || text == "nl" || text == "en";
}

const char* LanguageCode(Language language) {
  switch (language) {
    case Language::kDe:
      return "de";
    case Language::kNl:
      return "nl";
    case Language::kEn:
      return "en";
  }
  return "de";
}

std::vector<Language> AllLanguages() { return {Language::kDe, Language::kNl, Language::kEn}; }

std::vector<Language> OfferedLanguages(const std::string& own,
                                       const std::vector<std::string>& also) {
  std::vector<Language> out;
  auto add = [&out](const std::string& code) {
    if (!IsSupportedLanguage(code)) return;
    Language l = ParseLanguage(code);
    if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  };
  add(own);
  for (const auto& code : also) add(code);
  if (out.empty()) out.push_back(Language::kDe);
  return out;
}

namespace {

// "0.8", "1", "1.000", "0": q-values per RFC 9110 §12.4.2; -1 when malformed.
double ParseQuality(const std::string& text) {
  if (text.empty() || text.size() > 5) return -1;
  if (text[0] != '0' && text[0] != '1') return -1;
  if (text.size() > 1 && text[1] != '.') return -1;
  for (size_t i = 2; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
  }
  double q = std::strtod(text.c_str(), nullptr);
  return q > 1 ? -1 : q;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

bool NegotiateLanguage(const std::string& accept_language, const std::vector<Language>& offered,
                       Language* chosen) {
  if (accept_language.size() > 1000) return false;
  struct Named {
    double q;
    Language lang;
  };
  std::vector<Named> named;  // in header order
  std::vector<Language> refused;
  double wildcard = -1;
  size_t pos = 0;
  while (pos <= accept_language.size()) {
    size_t comma = accept_language.find(',', pos);
    if (comma == std::string::npos) comma = accept_language.size();
    std::string item = Trim(accept_language.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.empty()) continue;
    double q = 1;
    size_t semi = item.find(';');
    std::string range = Trim(item.substr(0, semi));
    if (semi != std::string::npos) {
      std::string param = Trim(item.substr(semi + 1));
      if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
      q = ParseQuality(Trim(param.substr(2)));
      if (q < 0) continue;
    }
    if (range == "*") {
      wildcard = std::max(wildcard, q);
      continue;
    }
    const std::string tag = PrimarySubtag(range);
    if (tag != "de" && tag != "nl" && tag != "en") continue;
    Language l = ParseLanguage(tag);
    if (q <= 0) {
      refused.push_back(l);
      continue;
    }
    named.push_back({q, l});
  }
  const Named* best = nullptr;
  for (const auto& n : named) {
    if (std::find(offered.begin(), offered.end(), n.lang) == offered.end()) continue;
    if (std::find(refused.begin(), refused.end(), n.lang) != refused.end()) continue;
    if (best == nullptr || n.q > best->q) best = &n;
  }
  if (best != nullptr && best->q >= wildcard) {
    *chosen = best->lang;
    return true;
  }
  if (wildcard > 0) {
    for (Language l : offered) {
      auto is = [l](const Named& n) { return n.lang == l; };
      if (std::find(refused.begin(), refused.end(), l) != refused.end()) continue;
      if (std::any_of(named.begin(), named.end(), is)) continue;
      *chosen = l;
      return true;
    }
  }
  if (best != nullptr) {
    *chosen = best->lang;
    return true;
  }
  return false;
}

Language ChooseLanguage(const std::string& requested, const std::string& accept_language,
                        const std::vector<Language>& offered) {
  if (offered.empty()) return Language::kDe;
  if (IsSupportedLanguage(requested)) {
    Language l = ParseLanguage(requested);
    if (std::find(offered.begin(), offered.end(), l) != offered.end()) return l;
  }
  Language negotiated = offered[0];
  if (NegotiateLanguage(accept_language, offered, &negotiated)) return negotiated;
  return offered[0];
}

Language VisitorLanguage(const std::string& accept_language) {
  Language l = Language::kDe;
  NegotiateLanguage(accept_language, AllLanguages(), &l);
  return l;
}

}  // namespace optin
