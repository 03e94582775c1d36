/* test_mime.c - header blocks, parameters, encoded words, transfer encodings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mime.h"

#define B(s) s, sizeof(s) - 1

struct str_case {
	const char *in;
	size_t len;
	const char *want;
};

static void test_decode_header(void **state)
{
	(void)state;
	static const struct str_case cases[] = {
		{ B("plain  text\r\n\tfolded "), "plain text folded" },
		{ B("=?utf-8?Q?caf=C3=A9?="), "café" },
		{ B("=?ISO-8859-1?q?caf=E9_au_lait?="), "café au lait" },
		{ B("=?utf-8?B?4oKsIDUw?="), "€ 50" },
		{ B("a =?utf-8?Q?b?= c"), "a b c" },
		{ B("=?utf-8?Q?a?= =?utf-8?Q?b?="), "ab" },          /* blanks between words go */
		{ B("=?utf-8?Q?a?=\r\n =?utf-8?Q?_b?="), "a b" },
		{ B("=?utf-8?B?4o==?= =?utf-8?B?gqw=?="), "€" },      /* one character split in two */
		{ B("=?utf-8*en?Q?lang?="), "lang" },                /* RFC 2231 language */
		{ B("=?utf-8?X?not a word?="), "=?utf-8?X?not a word?=" },
		{ B("=?utf-8?Q?unterminated"), "=?utf-8?Q?unterminated" },
		{ B("=?"), "=?" },
		{ B("raw caf\xc3\xa9 and caf\xe9"), "raw café and café" },
		{ B("ctl\x01" "chars\x7f"), "ctlchars" },
		{ B(""), "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_t out = BUF_INIT;
		mime_decode_header(cases[i].in, cases[i].len, &out);
		const char *got = out.p ? out.p : "";
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: \"%s\", want \"%s\"", i, got, cases[i].want);
		buf_free(&out);
	}
}

struct param_case {
	const char *val, *name;
	int rc;
	const char *want;
};

static void test_param(void **state)
{
	(void)state;
	static const struct param_case cases[] = {
		{ "multipart/mixed; boundary=\"=_a;b\\\"c\"", "boundary", 0, "=_a;b\"c" },
		{ "text/plain; CHARSET=UTF-8; format=flowed", "charset", 0, "UTF-8" },
		{ "text/plain;charset = iso-8859-1 ;x=y", "charset", 0, "iso-8859-1" },
		{ "text/plain; name=\"a; charset=x\"; charset=koi8-r", "charset", 0, "koi8-r" },
		{ "multipart/mixed;\r\n\tboundary=\"folded\"", "boundary", 0, "folded" },
		{ "text/plain", "charset", -1, "" },
		{ "text/plain; charset", "charset", -1, "" },
		{ "text/plain; xcharset=a", "charset", -1, "" },
		{ "text/plain; charset=\"unterminated", "charset", 0, "unterminated" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[64];
		int rc = mime_param(cases[i].val, strlen(cases[i].val), cases[i].name, out, sizeof out);
		if (rc != cases[i].rc || strcmp(out, cases[i].want))
			fail_msg("case %zu: rc %d \"%s\", want %d \"%s\"", i, rc, out, cases[i].rc,
				 cases[i].want);
	}
	char small[4];
	assert_int_equal(mime_param(B("a/b; boundary=toolong"), "boundary", small, sizeof small), -1);
}

static void test_value_token(void **state)
{
	(void)state;
	static const struct str_case cases[] = {
		{ B(" Text/HTML; charset=x"), "text/html" },
		{ B("attachment;filename=a"), "attachment" },
		{ B("BASE64 (comment)"), "base64" },
		{ B(""), "" },
		{ B("multipart/a-type-name-far-too-long-for-the-buffer"), "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[24];
		mime_value_token(cases[i].in, cases[i].len, out, sizeof out);
		if (strcmp(out, cases[i].want))
			fail_msg("case %zu: \"%s\", want \"%s\"", i, out, cases[i].want);
	}
}

struct b64_case {
	const char *in;
	size_t len;
	const char *want;
	int bad; /* nonzero: some characters were not base64 */
};

static void test_base64(void **state)
{
	(void)state;
	static const struct b64_case cases[] = {
		{ B("aGVsbG8="), "hello", 0 },
		{ B("aGVs\r\nbG8gd29y\nbGQ="), "hello world", 0 },
		{ B("aGk"), "hi", 0 },                      /* padding missing */
		{ B("aGk=aGk="), "hihi", 0 },               /* concatenated blocks */
		{ B("aGVsbG8=\n!!junk here\nd29ybGQ="), "helloworld", 1 },
		{ B("aGVsbG8=\nd29y*junk\n"), "hellowor", 1 },
		{ B("a"), "", 1 },
		{ B(""), "", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_t out = BUF_INIT;
		size_t bad = mime_decode_base64(cases[i].in, cases[i].len, &out);
		const char *got = out.p ? out.p : "";
		if (strcmp(got, cases[i].want) || (bad != 0) != cases[i].bad)
			fail_msg("case %zu: \"%s\" bad %zu, want \"%s\" bad %d", i, got, bad,
				 cases[i].want, cases[i].bad);
		buf_free(&out);
	}
}

static void test_qp(void **state)
{
	(void)state;
	static const struct str_case cases[] = {
		{ B("caf=C3=A9"), "café" },
		{ B("soft=\nbreak"), "softbreak" },
		{ B("soft=\r\nbreak"), "softbreak" },
		{ B("soft= \t\r\nbreak"), "softbreak" },
		{ B("lower=c3=a9"), "loweré" },
		{ B("bad=ZZ and =4"), "bad=ZZ and =4" },
		{ B("end="), "end" },
		{ B("a=3D=3Db\r\nnext"), "a==b\r\nnext" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_t out = BUF_INIT;
		mime_decode_qp(cases[i].in, cases[i].len, &out);
		const char *got = out.p ? out.p : "";
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: \"%s\", want \"%s\"", i, got, cases[i].want);
		buf_free(&out);
	}
}

struct body_case {
	const char *in;
	size_t len;
	size_t hdr_len, body;
};

static void test_body_offset(void **state)
{
	(void)state;
	static const struct body_case cases[] = {
		{ B("A: 1\nB: 2\n\nbody"), 10, 11 },
		{ B("A: 1\r\n folded\r\n\r\nbody"), 15, 17 },
		{ B("A: 1\nnot a header\n"), 5, 5 },
		{ B("\nbody"), 0, 1 },
		{ B(" leading blank\n"), 0, 0 },
		{ B("A : spaced\n"), 11, 11 },
		{ B("A: only headers"), 15, 15 },
		{ B(""), 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t hl = 99, body = mime_body_offset(cases[i].in, cases[i].len, &hl);
		if (hl != cases[i].hdr_len || body != cases[i].body)
			fail_msg("case %zu: headers %zu body %zu, want %zu %zu", i, hl, body,
				 cases[i].hdr_len, cases[i].body);
	}
}

static void test_header_next(void **state)
{
	(void)state;
	static const char block[] = "Subject: a\r\n b\r\nbad line\r\nX-Empty:\r\nTo : c";
	const char *cur = block, *end = block + sizeof block - 1, *name, *val;
	size_t nlen, vlen;
	static const char *const want[][2] = {
		{ "Subject", "a\r\n b" }, { "X-Empty", "" }, { "To", "c" },
	};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(mime_header_next(&cur, end, &name, &nlen, &val, &vlen), 1);
		assert_int_equal(nlen, strlen(want[i][0]));
		assert_memory_equal(name, want[i][0], nlen);
		assert_int_equal(vlen, strlen(want[i][1]));
		assert_memory_equal(val, want[i][1], vlen);
	}
	assert_int_equal(mime_header_next(&cur, end, &name, &nlen, &val, &vlen), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_header),
		cmocka_unit_test(test_param),
		cmocka_unit_test(test_value_token),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_qp),
		cmocka_unit_test(test_body_offset),
		cmocka_unit_test(test_header_next),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
