#ifndef CASEVAULT_COMMON_UTF8_H_
#define CASEVAULT_COMMON_UTF8_H_

#include <string_view>

namespace casevault {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// True when `text` holds a control character other than tab, CR or LF
// (C0, DEL or C1). Single-line fields refuse CR and LF as well.
bool HasControlCharacters(std::string_view text, bool allow_newlines);

// Number of Unicode code points in valid UTF-8 `text`.
size_t CodePointCount(std::string_view text);

}  // namespace casevault

#endif  // CASEVAULT_COMMON_UTF8_H_
