/* encoding.c - from a file's bytes to valid UTF-8; see encoding.h.
 *
 * Order of decisions in enc_to_utf8(): a BOM wins over everything (UTF-8 BOM
 * stripped, UTF-16 BOM converted); then BOM-less UTF-16 recognised by its NUL
 * pattern; then the binary test; then a declared charset through iconv; else
 * UTF-8 where it is valid and Windows-1252 byte by byte where it is not.
 * Whatever the path, C0 control characters other than \t \n \r \f (and DEL)
 * come out as spaces, so no caller ever sees NUL or escape bytes. */
#include "encoding.h"
#include "normalize.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

/* How much of the data the binary and UTF-16 tests look at. */
#define SNIFF_BYTES 8192

/* Windows-1252 0x80-0x9F; 0 marks the five undefined bytes (-> U+FFFD). */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

size_t enc_utf8_seqlen(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	int cp;
	size_t k = norm_decode(s, len, &cp);
	/* norm_decode answers an invalid byte with (1, U+FFFD) */
	return (k == 1 && cp == 0xFFFD) ? 0 : k;
}

int enc_valid_utf8(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = enc_utf8_seqlen(s + i, len - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* Eight bytes at a time: most text has no control byte and no byte past
 * ASCII in most runs of eight, and the tests below look at every byte of a
 * file's first 8 KiB, twice, and the decoder at all of it. */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static uint64_t load8(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* Nonzero when one of W's bytes is a C0 control, DEL or past ASCII (exact:
 * a byte below 0x20 sets its high bit in w - 0x20.., and one of 0x7F zeroes
 * in w ^ 0x7F..). */
static uint64_t word_not_plain(uint64_t w)
{
	uint64_t del = w ^ (0x7F * ONES);
	return ((w - 0x20 * ONES) & ~w & HIGHS) | ((del - ONES) & ~del & HIGHS) | (w & HIGHS);
}

/* Control characters that make text look binary: C0 minus the whitespace
 * and ESC (terminal logs keep colour codes), plus DEL. */
static int is_binary_control(unsigned c)
{
	if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x1B)
		return 0;
	return c < 0x20 || c == 0x7F;
}

/* Characters replaced by a space in the output: every C0 control except the
 * four whitespace characters a text file legitimately holds, and DEL. */
static int is_dropped_control(unsigned c)
{
	if (c == '\t' || c == '\n' || c == '\r' || c == '\f')
		return 0;
	return c < 0x20 || c == 0x7F;
}

void enc_clean_controls(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (is_dropped_control((unsigned char)s[i]))
			s[i] = ' ';
}

typedef enum { U16_NONE = 0, U16_LE, U16_BE } utf16_t;

static utf16_t utf16_bom(const unsigned char *u, size_t len)
{
	if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
		return U16_LE;
	if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
		return U16_BE;
	return U16_NONE;
}

/* BOM-less UTF-16 only when unmistakable: more than 40% of the code units in
 * the sample are printable ASCII with a NUL high byte, no unit is U+0000, and
 * the other byte order does not look the same. */
static utf16_t utf16_sniff(const unsigned char *u, size_t len)
{
	size_t n = (len < SNIFF_BYTES ? len : SNIFF_BYTES) / 2;
	/* without NUL bytes, no unit has a NUL high byte */
	if (n < 2 || !memchr(u, 0, 2 * n))
		return U16_NONE;
	size_t ascii_le = 0, ascii_be = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned a = u[2 * i], b = u[2 * i + 1];
		if (a == 0 && b == 0)
			return U16_NONE;
		if (b == 0 && a < 0x80 && !is_binary_control(a))
			ascii_le++;
		if (a == 0 && b < 0x80 && !is_binary_control(b))
			ascii_be++;
	}
	int le = ascii_le * 10 > n * 4, be = ascii_be * 10 > n * 4;
	if (le && !be)
		return U16_LE;
	if (be && !le)
		return U16_BE;
	return U16_NONE;
}

/* Share of control code units in the first SNIFF_BYTES of UTF-16 data. */
static int utf16_too_many_controls(const unsigned char *u, size_t len, utf16_t order)
{
	size_t n = (len < SNIFF_BYTES ? len : SNIFF_BYTES) / 2, bad = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned unit = order == U16_LE ? (unsigned)u[2 * i] | (unsigned)u[2 * i + 1] << 8
						: (unsigned)u[2 * i] << 8 | (unsigned)u[2 * i + 1];
		if (unit < 0x80 && is_binary_control(unit))
			bad++;
	}
	return n > 0 && bad * 10 > n;
}

/* The binary test for data that is not UTF-16. */
static int bytes_look_binary(const unsigned char *u, size_t len)
{
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES, bad = 0;
	if (memchr(u, 0, n))
		return 1;
	size_t i = 0;
	for (; i + 8 <= n; i += 8)
		if (word_not_plain(load8(u + i)))
			for (size_t k = i; k < i + 8; k++)
				bad += is_binary_control(u[k]);
	for (; i < n; i++)
		bad += is_binary_control(u[i]);
	return bad * 10 > n;
}

int enc_is_binary(const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
	utf16_t order = utf16_bom(u, len);
	if (order != U16_NONE)
		return utf16_too_many_controls(u + 2, len - 2, order);
	order = utf16_sniff(u, len);
	if (order != U16_NONE)
		return utf16_too_many_controls(u, len, order);
	return bytes_look_binary(u, len);
}

static void add_codepoint(buf_t *out, unsigned cp)
{
	char b[4];
	if (cp < 0x80) {
		b[0] = (char)cp;
		buf_add(out, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, b, 3);
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, b, 4);
	}
}

static unsigned cp1252_byte(unsigned char c)
{
	if (c < 0x80 || c >= 0xA0)
		return c; /* ASCII and Latin-1 coincide with their code points */
	unsigned cp = cp1252_high[c - 0x80];
	return cp ? cp : 0xFFFD;
}

/* The guessing path: valid UTF-8 sequences copied, every other byte read as
 * Windows-1252 (ISO-8859-1 text mislabelled or not labelled at all). */
static void decode_utf8_or_cp1252(const char *s, size_t len, buf_t *out)
{
	size_t i = 0;
	while (i < len) {
		size_t run = i;
		while (run < len) {
			if (run + 8 <= len && !word_not_plain(load8((const unsigned char *)s + run))) {
				run += 8;
				continue;
			}
			unsigned char c = (unsigned char)s[run];
			if (c >= 0x80 || is_dropped_control(c))
				break;
			run++;
		}
		buf_add(out, s + i, run - i);
		i = run;
		if (i >= len)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			buf_addc(out, ' ');
			i++;
			continue;
		}
		size_t k = enc_utf8_seqlen(s + i, len - i);
		if (k) {
			buf_add(out, s + i, k);
			i += k;
		} else {
			add_codepoint(out, cp1252_byte(c));
			i++;
		}
	}
}

/* Every byte as Windows-1252: for a declared Latin-1 / Windows-1252 charset,
 * which the web treats as the same thing. */
static void decode_cp1252(const char *s, size_t len, buf_t *out)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		add_codepoint(out, is_dropped_control(c) ? ' ' : cp1252_byte(c));
	}
}

/* glibc's UCS-4 decoder hands code points past U+10FFFF over as 5- and
 * 6-byte sequences, which are not UTF-8: each such sequence in OUT from
 * START on becomes U+FFFD. */
static void repair_utf8(buf_t *out, size_t start)
{
	if (out->oom || enc_valid_utf8(out->p + start, out->len - start))
		return;
	buf_t fixed = BUF_INIT;
	size_t i = start;
	while (i < out->len) {
		size_t n = enc_utf8_seqlen(out->p + i, out->len - i);
		if (n) {
			buf_add(&fixed, out->p + i, n);
			i += n;
			continue;
		}
		buf_add(&fixed, "\xEF\xBF\xBD", 3);
		for (i++; i < out->len && ((unsigned char)out->p[i] & 0xC0) == 0x80; i++)
			;
	}
	out->len = start;
	buf_add(out, fixed.p, fixed.len);
	if (fixed.oom)
		out->oom = 1;
	buf_free(&fixed);
}

/* Convert with iconv from FROM; undecodable input becomes U+FFFD, skipping
 * UNIT bytes (the code unit size, so UTF-16 stays aligned). Returns -1 when
 * iconv does not know FROM (nothing appended then). */
static int decode_iconv(const char *from, size_t unit, const char *s, size_t len, buf_t *out)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return -1;
	size_t start = out->len;
	char *in = (char *)s;
	size_t inleft = len;
	int flushing = 0;
	for (;;) {
		if (buf_reserve(out, inleft * 2 + 64))
			break;
		char *o = out->p + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t r = flushing ? iconv(cd, NULL, NULL, &o, &oleft)
				    : iconv(cd, &in, &inleft, &o, &oleft);
		int err = r == (size_t)-1 ? errno : 0;
		out->len = (size_t)(o - out->p);
		out->p[out->len] = '\0';
		if (err == E2BIG)
			continue;
		if (err == EILSEQ || err == EINVAL) {
			/* EINVAL: an incomplete sequence at the very end. */
			buf_add(out, "\xEF\xBF\xBD", 3);
			size_t skip = err == EINVAL ? inleft : (unit < inleft ? unit : inleft);
			in += skip;
			inleft -= skip;
			continue;
		}
		if (err || flushing)
			break;
		flushing = 1; /* return stateful encodings (ISO-2022-JP) to the initial state */
	}
	iconv_close(cd);
	repair_utf8(out, start);
	if (!out->oom)
		enc_clean_controls(out->p + start, out->len - start);
	return 0;
}

/* Lower-cased, trimmed copy of a declared charset name ("" if unusable). */
static void charset_key(const char *cs, char key[48])
{
	size_t n = 0;
	while (*cs == ' ' || *cs == '\t' || *cs == '"' || *cs == '\'')
		cs++;
	for (; *cs && n < 47; cs++) {
		char c = *cs;
		if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == ';')
			break;
		key[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	key[n] = '\0';
	if (*cs && *cs != ' ' && *cs != '\t' && *cs != '"' && *cs != '\'' && *cs != ';')
		key[0] = '\0'; /* too long to be a charset name */
}

static int key_in(const char *key, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(key, *names) == 0)
			return 1;
	return 0;
}

/* Names for which guessing (UTF-8, else Windows-1252) is the best reading:
 * UTF-8 itself, and ASCII, which mail and web pages often claim wrongly. */
static const char *const guess_names[] = {
	"utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "unicode-1-1-utf-8", NULL,
};
/* Latin-1 labels that, as in browsers, mean Windows-1252. */
static const char *const cp1252_names[] = {
	"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp1252",
	"windows-1252", "x-cp1252", "cp819", "ibm819", NULL,
};

static size_t unit_size(const char *key)
{
	if (strncmp(key, "utf-16", 6) == 0 || strncmp(key, "utf16", 5) == 0 ||
	    strncmp(key, "ucs-2", 5) == 0 || strcmp(key, "unicode") == 0)
		return 2;
	if (strncmp(key, "utf-32", 6) == 0 || strncmp(key, "utf32", 5) == 0 ||
	    strncmp(key, "ucs-4", 5) == 0)
		return 4;
	return 1;
}

enc_result_t enc_to_utf8(const char *data, size_t len, const char *charset, buf_t *out)
{
	const unsigned char *u = (const unsigned char *)data;
	if (out->oom)
		return ENC_NOMEM;
	if (len == 0)
		return ENC_OK;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		if (bytes_look_binary(u + 3, len - 3))
			return ENC_BINARY;
		decode_utf8_or_cp1252(data + 3, len - 3, out);
		return out->oom ? ENC_NOMEM : ENC_OK;
	}
	utf16_t order = utf16_bom(u, len);
	size_t skip = order != U16_NONE ? 2 : 0;
	if (order == U16_NONE)
		order = utf16_sniff(u, len);
	if (order != U16_NONE) {
		if (utf16_too_many_controls(u + skip, len - skip, order))
			return ENC_BINARY;
		if (decode_iconv(order == U16_LE ? "UTF-16LE" : "UTF-16BE", 2, data + skip,
				 len - skip, out) == 0)
			return out->oom ? ENC_NOMEM : ENC_OK;
	}

	char key[48] = "";
	if (charset)
		charset_key(charset, key);
	/* A declared wide charset explains its NUL bytes: no binary test. */
	size_t unit = unit_size(key);
	if (unit > 1 && decode_iconv(key, unit, data, len, out) == 0)
		return out->oom ? ENC_NOMEM : ENC_OK;
	if (bytes_look_binary(u, len))
		return ENC_BINARY;
	if (key[0] && key_in(key, cp1252_names))
		decode_cp1252(data, len, out);
	else if (!key[0] || key_in(key, guess_names) || decode_iconv(key, 1, data, len, out) != 0)
		decode_utf8_or_cp1252(data, len, out);
	return out->oom ? ENC_NOMEM : ENC_OK;
}
