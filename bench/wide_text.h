/* wide_text.h - what the two Lucene peers (clucene_build.cc, lucenepp_build.cc)
 * share: turning a file's UTF-8 bytes into the wchar_t text both libraries
 * take (CLucene's TCHAR and Lucene++'s String are
 * wchar_t on Linux).
 *
 * One decoder for both, so the two rows differ by library only: a malformed
 * or truncated sequence becomes one U+FFFD per bad byte, never an exception,
 * since the corpus holds some Latin-1 mail and man pages. Header-only because
 * each peer is built from its single .cc file.
 */
#ifndef LODE_BENCH_WIDE_TEXT_H
#define LODE_BENCH_WIDE_TEXT_H

#include <cstddef>
#include <string>

namespace bench {

// Length of the well-formed UTF-8 sequence at s[0..len) and its code point
// in *cp; 0 when the bytes there are not one (overlong, surrogate, > U+10FFFF,
// cut short).
inline size_t utf8_decode_one(const unsigned char *s, size_t len, char32_t *cp)
{
	unsigned char b = s[0];
	size_t n;
	char32_t c, min;
	if (b < 0xC2)
		return 0;  // a continuation byte, or the start of an overlong pair
	else if (b < 0xE0)
		n = 2, c = b & 0x1F, min = 0x80;
	else if (b < 0xF0)
		n = 3, c = b & 0x0F, min = 0x800;
	else if (b < 0xF5)
		n = 4, c = b & 0x07, min = 0x10000;
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

// Replaces `out` with the UTF-8 text `in` as wide characters.
inline void utf8_to_wide(const std::string &in, std::wstring &out)
{
	const unsigned char *s = reinterpret_cast<const unsigned char *>(in.data());
	size_t len = in.size(), i = 0;
	out.clear();
	out.reserve(len);
	while (i < len) {
		if (s[i] < 0x80) {
			out.push_back(static_cast<wchar_t>(s[i++]));
			continue;
		}
		char32_t cp;
		size_t n = utf8_decode_one(s + i, len - i, &cp);
		if (n == 0) {
			out.push_back(static_cast<wchar_t>(0xFFFD));
			i++;
		} else {
			out.push_back(static_cast<wchar_t>(cp));
			i += n;
		}
	}
}

}  // namespace bench

#endif
