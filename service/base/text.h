// Small text utilities for input that reaches storage: UTF-8 validation, control-character
// checks, trimming and truncation at character boundaries. Stateless.
#pragma once

#include <string>

namespace optin {

// Whether `s` is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(const std::string& s);
// Valid UTF-8, at most `max_bytes`, no control characters (C0 except none, DEL, NUL).
bool IsCleanText(const std::string& s, size_t max_bytes);
// Replaces invalid UTF-8 and control characters by '?' (for user agents and URLs we only record).
std::string SanitizedText(const std::string& s);
// Cuts `s` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string Truncate(const std::string& s, size_t max_bytes);
// Trims ASCII whitespace at both ends.
std::string TrimSpaces(const std::string& s);
// The value of one hexadecimal digit (either case), or -1 for any other character.
int HexDigitValue(char c);

}  // namespace optin
