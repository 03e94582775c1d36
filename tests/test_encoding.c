/* test_encoding.c - bytes in, UTF-8 (or "binary") out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "encoding.h"

/* A byte string literal with its length (NULs inside count). */
#define B(s) s, sizeof(s) - 1

struct seq_case {
	const char *in;
	size_t len;
	size_t want; /* enc_utf8_seqlen */
};

static void test_seqlen(void **state)
{
	(void)state;
	static const struct seq_case cases[] = {
		{ B("a"), 1 },
		{ B("\xC3\xA9"), 2 },               /* é */
		{ B("\xE2\x82\xAC"), 3 },           /* € */
		{ B("\xF0\x9F\x98\x80"), 4 },       /* 😀 */
		{ B("\xF4\x8F\xBF\xBF"), 4 },       /* U+10FFFF, the last code point */
		{ B("\xF4\x90\x80\x80"), 0 },       /* U+110000 */
		{ B("\xC0\xAF"), 0 },               /* overlong '/' */
		{ B("\xC1\xBF"), 0 },               /* overlong */
		{ B("\xE0\x80\xAF"), 0 },           /* overlong 3-byte */
		{ B("\xF0\x80\x80\xAF"), 0 },       /* overlong 4-byte */
		{ B("\xED\xA0\x80"), 0 },           /* U+D800 surrogate */
		{ B("\xED\xBF\xBF"), 0 },           /* U+DFFF surrogate */
		{ B("\xEE\x80\x80"), 3 },           /* U+E000, just past them */
		{ B("\x80"), 0 },                   /* lone continuation */
		{ B("\xC3"), 0 },                   /* truncated */
		{ B("\xE2\x82"), 0 },               /* truncated */
		{ B("\xC3\x28"), 0 },               /* bad continuation */
		{ B("\xF8\x88\x80\x80\x80"), 0 },   /* 5-byte form */
		{ B("\xFF"), 0 },
		{ "", 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t got = enc_utf8_seqlen(cases[i].in, cases[i].len);
		if (got != cases[i].want)
			fail_msg("case %zu: seqlen %zu, want %zu", i, got, cases[i].want);
	}
}

struct valid_case {
	const char *in;
	size_t len;
	int want;
};

static void test_valid_utf8(void **state)
{
	(void)state;
	static const struct valid_case cases[] = {
		{ B("plain ascii"), 1 },
		{ B("caf\xC3\xA9 na\xC3\xAFve \xE2\x82\xAC 5"), 1 },
		{ B("caf\xE9"), 0 },                    /* Latin-1 é */
		{ B("ok \xC0\x80 nul overlong"), 0 },
		{ B("\xED\xA0\x80\xED\xB0\x80"), 0 },   /* CESU-8 surrogate pair */
		{ B("end \xF0\x9F\x98"), 0 },           /* cut in the middle */
		{ "", 0, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (enc_valid_utf8(cases[i].in, cases[i].len) != cases[i].want)
			fail_msg("case %zu: want %d", i, cases[i].want);
}

struct conv_case {
	const char *name;
	const char *in;
	size_t len;
	const char *charset;
	enc_result_t want_rc;
	const char *want; /* expected UTF-8 output when ENC_OK */
};

static void test_to_utf8(void **state)
{
	(void)state;
	static const struct conv_case cases[] = {
		{ "ascii", B("hello world\n"), NULL, ENC_OK, "hello world\n" },
		{ "utf-8 kept", B("caf\xC3\xA9 \xE2\x82\xAC"), NULL, ENC_OK, "caf\xC3\xA9 \xE2\x82\xAC" },
		{ "utf-8 bom stripped", B("\xEF\xBB\xBFtitle"), NULL, ENC_OK, "title" },
		{ "bom wins over declared", B("\xEF\xBB\xBF\xC3\xA9"), "iso-8859-1", ENC_OK, "\xC3\xA9" },
		{ "latin-1 bytes as cp1252", B("caf\xE9 na\xEFve"), NULL, ENC_OK,
		  "caf\xC3\xA9 na\xC3\xAFve" },
		{ "cp1252 quotes and euro", B("\x93quoted\x94 \x80 5 \x96 dash"), NULL, ENC_OK,
		  "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC 5 \xE2\x80\x93 dash" },
		{ "cp1252 undefined bytes", B("a\x81" "b\x8D" "c\x8F" "d\x90" "e\x9D"), NULL, ENC_OK,
		  "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e\xEF\xBF\xBD" },
		{ "mixed: valid utf-8 kept, stray byte decoded", B("\xC3\xA9t\xE9"), NULL, ENC_OK,
		  "\xC3\xA9t\xC3\xA9" },
		{ "overlong decoded per byte", B("\xC0\xAF"), NULL, ENC_OK, "\xC3\x80\xC2\xAF" },
		{ "surrogate decoded per byte", B("\xED\xA0\x80"), NULL, ENC_OK,
		  "\xC3\xAD\xC2\xA0\xE2\x82\xAC" },
		{ "truncated sequence at end", B("ok\xE2\x82"), NULL, ENC_OK,
		  "ok\xC3\xA2\xE2\x80\x9A" },
		{ "utf-16le bom", B("\xFF\xFEh\0i\0 \0\xE9\0"), NULL, ENC_OK, "hi \xC3\xA9" },
		{ "utf-16be bom", B("\xFE\xFF\0h\0i\x20\xAC"), NULL, ENC_OK, "hi\xE2\x82\xAC" },
		{ "utf-16le bom, surrogate pair", B("\xFF\xFE=\xD8\0\xDE"), NULL, ENC_OK,
		  "\xF0\x9F\x98\x80" },
		{ "utf-16le bom, lone surrogate", B("\xFF\xFE" "a\0\0\xD8" "b\0"), NULL, ENC_OK,
		  "a\xEF\xBF\xBD" "b" },
		{ "utf-16le bom, odd length", B("\xFF\xFEo\0k\0!"), NULL, ENC_OK,
		  "ok\xEF\xBF\xBD" },
		{ "utf-16le without bom", B("H\0e\0l\0l\0o\0,\0 \0w\0o\0r\0l\0d\0\n\0"), NULL, ENC_OK,
		  "Hello, world\n" },
		{ "utf-16be without bom", B("\0H\0e\0l\0l\0o\0 \0\xE9"), NULL, ENC_OK,
		  "Hello \xC3\xA9" },
		{ "declared windows-1251", B("\xCF\xF0\xE8\xE2\xE5\xF2"), "windows-1251", ENC_OK,
		  "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82" },
		{ "declared charset, quoted and upper case", B("\xCF\xF0"), "\"Windows-1251\"", ENC_OK,
		  "\xD0\x9F\xD1\x80" },
		{ "declared iso-8859-1 means cp1252", B("\x93x\x94 \xE9"), "ISO-8859-1", ENC_OK,
		  "\xE2\x80\x9Cx\xE2\x80\x9D \xC3\xA9" },
		{ "declared iso-8859-15", B("\xA4"), "iso-8859-15", ENC_OK, "\xE2\x82\xAC" },
		{ "declared shift_jis", B("\x93\xFA\x96\x7B"), "shift_jis", ENC_OK,
		  "\xE6\x97\xA5\xE6\x9C\xAC" },
		{ "declared shift_jis, invalid byte", B("a\xFF" "b"), "shift_jis", ENC_OK,
		  "a\xEF\xBF\xBD" "b" },
		{ "declared utf-8 with latin-1 bytes", B("caf\xE9"), "utf-8", ENC_OK, "caf\xC3\xA9" },
		{ "declared us-ascii but utf-8", B("caf\xC3\xA9"), "us-ascii", ENC_OK, "caf\xC3\xA9" },
		{ "unknown charset: guessed", B("caf\xC3\xA9"), "x-no-such-charset", ENC_OK,
		  "caf\xC3\xA9" },
		{ "declared utf-16le without bom", B("a\0\0\0b\0"), "UTF-16LE", ENC_OK, "a b" },
		{ "controls become spaces", B("a\x01" "b\x7F" "c\x1B[0m\v|\t\n\r\f and more plain text"),
		  NULL, ENC_OK, "a b c [0m |\t\n\r\f and more plain text" },
		{ "controls from iconv become spaces", B("a\x02" "b and more words"), "windows-1251",
		  ENC_OK, "a b and more words" },
		{ "nul byte: binary", B("text\0more text"), NULL, ENC_BINARY, NULL },
		{ "png header: binary", B("\x89PNG\r\n\x1A\n\0\0\0\rIHDR"), NULL, ENC_BINARY, NULL },
		{ "many controls: binary", B("\x01\x02\x03\x04 abcdefghijklmnopqrstuvwxyz"), NULL,
		  ENC_BINARY, NULL },
		{ "few controls: text", B("\x01 abcdefghijklmnopqrstuvwxyz0123456789"), NULL, ENC_OK,
		  "  abcdefghijklmnopqrstuvwxyz0123456789" },
		{ "nul pairs: not utf-16, binary", B("a\0b\0\0\0c\0"), NULL, ENC_BINARY, NULL },
		{ "utf-16 with many controls: binary", B("\xFF\xFE\x01\0\x02\0\x03\0a\0"), NULL,
		  ENC_BINARY, NULL },
		{ "empty", "", 0, NULL, ENC_OK, "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct conv_case *c = &cases[i];
		buf_t out = BUF_INIT;
		enc_result_t rc = enc_to_utf8(c->in, c->len, c->charset, &out);
		if (rc != c->want_rc)
			fail_msg("%s: result %d, want %d", c->name, rc, c->want_rc);
		const char *got = out.len ? out.p : "";
		if (rc == ENC_OK && strcmp(got, c->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->name, got, c->want);
		if (rc == ENC_OK && !enc_valid_utf8(got, out.len))
			fail_msg("%s: output is not valid UTF-8", c->name);
		if (rc == ENC_BINARY && out.len != 0)
			fail_msg("%s: binary appended %zu bytes", c->name, out.len);
		buf_free(&out);
	}
}

struct bin_case {
	const char *in;
	size_t len;
	int want;
};

static void test_is_binary(void **state)
{
	(void)state;
	static const struct bin_case cases[] = {
		{ B("just text\n"), 0 },
		{ B("\xFF\xFEt\0e\0x\0t\0"), 0 },        /* UTF-16 with BOM */
		{ B("t\0e\0x\0t\0"), 0 },                /* UTF-16 without */
		{ B("GIF89a\x01\0\x01\0\x80\0\0"), 1 },
		{ B("\x7F" "ELF\x02\x01\x01\0\0\0"), 1 },
		{ B("PK\x03\x04\x14\0\0\0\x08\0"), 1 },
		{ B("\x1B[31mred\x1B[0m\n"), 0 },        /* terminal log */
		{ "", 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (enc_is_binary(cases[i].in, cases[i].len) != cases[i].want)
			fail_msg("case %zu: want %d", i, cases[i].want);
}

/* The decoder and the binary test read eight bytes at a time where they
 * can: each special byte, at every offset of a line and at its end, comes
 * out as it does alone. */
static void test_every_offset(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} special[] = {
		{ "\x01", " " },       { "\x7F", " " },        { "\x1B", " " },
		{ "\n", "\n" },        { "\t", "\t" },          { "\xE9", "\xC3\xA9" },
		{ "\xC3\xA9", "\xC3\xA9" }, { "\x80", "\xE2\x82\xAC" }, { " ", " " },
		{ "~", "~" },
	};
	char in[64], want[64];
	for (size_t k = 0; k < sizeof special / sizeof *special; k++) {
		size_t sl = strlen(special[k].in), ol = strlen(special[k].out);
		for (size_t len = 17; len <= 26; len++) {
			for (size_t at = 0; at + sl <= len; at++) {
				memset(in, 'a', len);
				memcpy(in + at, special[k].in, sl);
				memset(want, 'a', at);
				memcpy(want + at, special[k].out, ol);
				memset(want + at + ol, 'a', len - at - sl);
				size_t wl = len - sl + ol;
				buf_t out = BUF_INIT;
				assert_int_equal(enc_to_utf8(in, len, NULL, &out), ENC_OK);
				if (out.len != wl || memcmp(out.p, want, wl))
					fail_msg("byte case %zu at %zu of %zu: got %.*s", k, at, len,
						 (int)out.len, out.p);
				buf_free(&out);
			}
		}
	}
	/* binary: more than one byte in ten a control, counted at any offset */
	char b[800];
	memset(b, 'x', sizeof b);
	for (size_t i = 3; i < sizeof b; i += 10)
		b[i] = '\x01'; /* 80 of 800: not binary */
	assert_int_equal(enc_is_binary(b, sizeof b), 0);
	b[798] = '\x7F'; /* 81 */
	assert_int_equal(enc_is_binary(b, sizeof b), 1);
	b[798] = '\x1B'; /* ESC is no binary control */
	assert_int_equal(enc_is_binary(b, sizeof b), 0);
}

/* NULs after the first 8 KiB do not make a file binary; they become spaces. */
static void test_late_nul(void **state)
{
	(void)state;
	size_t n = 10000;
	char *s = malloc(n);
	assert_non_null(s);
	memset(s, 'x', n);
	s[9000] = '\0';
	assert_int_equal(enc_is_binary(s, n), 0);
	buf_t out = BUF_INIT;
	assert_int_equal(enc_to_utf8(s, n, NULL, &out), ENC_OK);
	assert_int_equal(out.len, n);
	assert_int_equal(out.p[9000], ' ');
	buf_free(&out);
	free(s);
}

/* Random bytes: whatever comes out is valid UTF-8, and nothing crashes. */
static void test_random_bytes(void **state)
{
	(void)state;
	unsigned seed = 12345;
	char data[4096];
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(round * 20 + 1);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned char c = (unsigned char)(seed >> 16);
			data[i] = (char)(round % 2 ? (c | 0x80) : (c ? c : 'z'));
		}
		static const char *const sets[] = { NULL, "utf-16le", "shift_jis", "koi8-r" };
		buf_t out = BUF_INIT;
		enc_result_t rc = enc_to_utf8(data, n, sets[round % 4], &out);
		assert_true(rc == ENC_OK || rc == ENC_BINARY);
		assert_true(enc_valid_utf8(out.p ? out.p : "", out.len));
		buf_free(&out);
	}
}

static void test_appends(void **state)
{
	(void)state;
	buf_t out = BUF_INIT;
	buf_adds(&out, "before:");
	assert_int_equal(enc_to_utf8(B("caf\xE9"), NULL, &out), ENC_OK);
	assert_string_equal(out.p, "before:caf\xC3\xA9");
	buf_free(&out);
}

static void test_clean_controls(void **state)
{
	(void)state;
	char s[] = "a\x01" "b\tc\x7F" "d\n\x1B";
	enc_clean_controls(s, sizeof s - 1);
	assert_string_equal(s, "a b\tc d\n ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seqlen),
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_to_utf8),
		cmocka_unit_test(test_is_binary),
		cmocka_unit_test(test_every_offset),
		cmocka_unit_test(test_late_nul),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_clean_controls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
