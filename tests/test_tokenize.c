/* test_tokenize.c - the tokenizer as the index, the query parser and the
 * highlighter see it. Tokens are rendered "tok@pos[start,end]", colocated
 * ones with a leading '+', and (in the flags table) "/n" for TOK_NUMBER and
 * "/c" for TOK_CJK. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tokenize.h"

typedef struct {
	buf_t out;
	int with_flags;
	int stop_after;   /* return 99 from this token on (0: never) */
	int seen;
	const char *text; /* for offset checks */
	size_t len;
} render_t;

static int render_cb(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
		     unsigned pos, int flags)
{
	render_t *r = ctx;
	assert_true(start < end);
	assert_true(end <= r->len);
	assert_true(toklen > 0 && toklen <= TOK_MAX_LEN);
	if (r->out.len)
		buf_addc(&r->out, ' ');
	buf_printf(&r->out, "%s%.*s@%u[%zu,%zu]", (flags & TOK_COLOCATED) ? "+" : "",
		   (int)toklen, tok, pos, start, end);
	if (r->with_flags && (flags & TOK_NUMBER))
		buf_adds(&r->out, "/n");
	if (r->with_flags && (flags & TOK_CJK))
		buf_adds(&r->out, "/c");
	r->seen++;
	return r->stop_after && r->seen >= r->stop_after ? 99 : 0;
}

/* Tokenize TEXT; the rendering is returned in R->out (caller frees). */
static int render(render_t *r, const char *text, size_t len, unsigned first, unsigned *next)
{
	buf_init(&r->out);
	r->seen = 0;
	r->text = text;
	r->len = len;
	int rc = tok_run(text, len, first, render_cb, r, next);
	if (!r->out.p)
		buf_adds(&r->out, "");
	return rc;
}

struct tok_case {
	const char *in;
	const char *want;
};

static const struct tok_case tok_cases[] = {
	{ "", "" },
	{ "  ,;. !! -- '' __ ", "" },
	{ "Hello, World!", "hello@0[0,5] world@1[7,12]" },
	{ "one\ttwo\nthree", "one@0[0,3] two@1[4,7] three@2[8,13]" },
	/* accents, case, compatibility forms (offsets are bytes of the original) */
	{ "Café naïve", "cafe@0[0,5] naive@1[6,12]" },
	{ "cafe\xcc\x81!", "cafe@0[0,6]" },
	{ "Ångström", "angstrom@0[0,10]" },
	{ "Straße STRASSE", "strasse@0[0,7] strasse@1[8,15]" },
	{ "ΣΟΦΟΣ σοφος", "σοφοσ@0[0,10] σοφοσ@1[11,21]" },
	{ "ﬁnance", "finance@0[0,8]" },
	{ "Ｆｕｌｌ", "full@0[0,12]" },
	{ "İstanbul", "istanbul@0[0,9]" },
	/* Greek, Cyrillic, Arabic words */
	{ "Ελληνικά Москва", "ελληνικα@0[0,16] москва@1[17,29]" },
	{ "مرحبا بالعالم", "مرحبا@0[0,10] بالعالم@1[11,25]" },
	/* scripts whose marks are vowels keep them; Thai is one run */
	{ "हिंदी भाषा", "हिंदी@0[0,15] भाषा@1[16,28]" },
	{ "ภาษาไทย", "ภาษาไทย@0[0,21]" },
	{ "re-évaluer naïve_Café", "re@0[0,2] evaluer@1[3,11] +reevaluer@0[0,11] naive@2[12,18] cafe@3[19,24] +naivecafe@2[12,24]" },
	/* apostrophes, both kinds */
	{ "Kremlin's don't rock'n'roll", "kremlin@0[0,9] dont@1[10,15] rocknroll@2[16,27]" },
	{ "Kremlin\xe2\x80\x99s don\xe2\x80\x99t", "kremlin@0[0,11] dont@1[12,19]" },
	{ "'quoted' dogs' \xe2\x80\x99tis", "quoted@0[1,7] dogs@1[9,13] tis@2[18,21]" },
	{ "O'Brien's", "obrien@0[0,9]" },
	{ "it's", "it@0[0,4]" },
	{ "1990's", "1990@0[0,6]" },
	/* hyphens and underscores */
	{ "war-torn", "war@0[0,3] torn@1[4,8] +wartorn@0[0,8]" },
	{ "a war-torn land", "a@0[0,1] war@1[2,5] torn@2[6,10] +wartorn@1[2,10] land@3[11,15]" },
	{ "state-of-the-art", "state@0[0,5] of@1[6,8] the@2[9,12] art@3[13,16] +stateoftheart@0[0,16]" },
	{ "e\xe2\x80\x90mail", "e@0[0,1] mail@1[4,8] +email@0[0,8]" },
	{ "foo--bar -x y- z", "foo@0[0,3] bar@1[5,8] x@2[10,11] y@3[12,13] z@4[15,16]" },
	{ "x86_64 snake_case", "x86@0[0,3] 64@1[4,6] +x8664@0[0,6] snake@2[7,12] case@3[13,17] +snakecase@2[7,17]" },
	{ "__init__", "init@0[2,6]" },
	{ "Kremlin's-backed", "kremlin@0[0,9] backed@1[10,16] +kremlinbacked@0[0,16]" },
	{ "covid-19", "covid@0[0,5] 19@1[6,8] +covid19@0[0,8]" },
	{ "soft\xc2\xadhyphen", "softhyphen@0[0,12]" },
	/* numbers and versions */
	{ "3.14 1,000 1.4.22 192.168.0.1", "3.14@0[0,4] 1,000@1[5,10] 1.4.22@2[11,17] 192.168.0.1@3[18,29]" },
	{ "End. 42. 7,", "end@0[0,3] 42@1[5,7] 7@2[9,10]" },
	{ "2021-09-15", "2021@0[0,4] 09@1[5,7] 15@2[8,10] +20210915@0[0,10]" },
	{ "v1.2.3 python3.11 mp3", "v1.2.3@0[0,6] python3.11@1[7,17] mp3@2[18,21]" },
	{ "１２３", "123@0[0,9]" },
	/* abbreviations */
	{ "U.S. e.g. I.B.M", "u@0[0,1] s@1[2,3] +us@0[0,3] e@2[5,6] g@3[7,8] +eg@2[5,8] i@4[10,11] b@5[12,13] m@6[14,15] +ibm@4[10,15]" },
	{ "a.b.cd x.yz", "a@0[0,1] b@1[2,3] +ab@0[0,3] cd@2[4,6] x@3[7,8] yz@4[9,11]" },
	{ "example.com", "example@0[0,7] com@1[8,11]" },
	/* e-mail addresses */
	{ "Mail John.Smith@Example.COM.",
	  "mail@0[0,4] john@1[5,9] smith@2[10,15] example@3[16,23] com@4[24,27] +john.smith@example.com@1[5,27]" },
	{ "<a-b+c@x-y.org>", "a@0[1,2] b@1[3,4] c@2[5,6] x@3[7,8] y@4[9,10] org@5[11,14] +a-b+c@x-y.org@0[1,14]" },
	{ "a@b and @cc.dd", "a@0[0,1] b@1[2,3] and@2[4,7] cc@3[9,11] dd@4[12,14]" },
	/* URLs */
	{ "see https://Example.com/a-b?x=1, ok",
	  "see@0[0,3] https@1[4,9] example@2[12,19] com@3[20,23] a@4[24,25] b@5[26,27] x@6[28,29] 1@7[30,31] "
	  "+https://example.com/a-b?x=1@1[4,31] ok@8[33,35]" },
	{ "(www.example.com).", "www@0[1,4] example@1[5,12] com@2[13,16] +www.example.com@0[1,16]" },
	{ "(http://w.org/C_(x)).", "http@0[1,5] w@1[8,9] org@2[10,13] c@3[14,15] x@4[17,18] +http://w.org/c_(x)@0[1,19]" },
	{ "http:// alone", "http@0[0,4] alone@1[8,13]" },
	{ "https://例え.jp", "https@0[0,5] 例@1[8,11] え@2[11,14] +例え@1[8,14] jp@3[15,17]" },
	/* CJK: unigrams and colocated bigrams */
	{ "中文字", "中@0[0,3] 文@1[3,6] +中文@0[0,6] 字@2[6,9] +文字@1[3,9]" },
	{ "東京Tower大", "東@0[0,3] 京@1[3,6] +東京@0[0,6] tower@2[6,11] 大@3[11,14]" },
	{ "日本、中国", "日@0[0,3] 本@1[3,6] +日本@0[0,6] 中@2[9,12] 国@3[12,15] +中国@2[9,15]" },
	{ "한국어", "한@0[0,3] 국@1[3,6] +한국@0[0,6] 어@2[6,9] +국어@1[3,9]" },
	{ "ｶﾞｽ", "ガ@0[0,6] ス@1[6,9] +ガス@0[0,9]" },
	{ "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", "한@0[0,9]" },
	/* emoji and symbols separate words */
	{ "I \xe2\x9d\xa4\xef\xb8\x8f NY\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbdok", "i@0[0,1] ny@1[9,11] ok@2[19,21]" },
	{ "1\xef\xb8\x8f\xe2\x83\xa3", "1@0[0,7]" },
	{ "\xcc\x81 x", "x@0[3,4]" },
	/* invalid UTF-8 is a separator */
	{ "ab\xff" "cd\xc3", "ab@0[0,2] cd@1[3,5]" },
	{ "caf\xc3\xa9\xc0\xafok", "cafe@0[0,5] ok@1[7,9]" },
	{ "\xed\xa0\x80x\xf4\x90\x80\x80", "x@0[3,4]" },
};

static void test_tokenize_table(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < sizeof tok_cases / sizeof *tok_cases; i++) {
		const struct tok_case *c = &tok_cases[i];
		render_t r = { .with_flags = 0 };
		assert_int_equal(render(&r, c->in, strlen(c->in), 0, NULL), 0);
		if (strcmp(r.out.p, c->want) != 0) {
			print_error("tok(\"%s\"):\n  got  %s\n  want %s\n", c->in, r.out.p, c->want);
			bad++;
		}
		buf_free(&r.out);
	}
	assert_int_equal(bad, 0);
}

static const struct tok_case flag_cases[] = {
	{ "3.14 pi", "3.14@0[0,4]/n pi@1[5,7]" },
	{ "2021-09 x-1", "2021@0[0,4]/n 09@1[5,7]/n +202109@0[0,7]/n x@2[8,9] 1@3[10,11]/n +x1@2[8,11]" },
	{ "٣ ①", "٣@0[0,2]/n 1@1[3,6]/n" },
	{ "中文 a", "中@0[0,3]/c 文@1[3,6]/c +中文@0[0,6]/c a@2[7,8]" },
};

static void test_tokenize_flags(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < sizeof flag_cases / sizeof *flag_cases; i++) {
		const struct tok_case *c = &flag_cases[i];
		render_t r = { .with_flags = 1 };
		assert_int_equal(render(&r, c->in, strlen(c->in), 0, NULL), 0);
		if (strcmp(r.out.p, c->want) != 0) {
			print_error("tok(\"%s\"):\n  got  %s\n  want %s\n", c->in, r.out.p, c->want);
			bad++;
		}
		buf_free(&r.out);
	}
	assert_int_equal(bad, 0);
}

static void test_positions(void **state)
{
	(void)state;
	render_t r = { 0 };
	unsigned next = 0;
	assert_int_equal(render(&r, "war-torn land", 13, 100, &next), 0);
	assert_string_equal(r.out.p, "war@100[0,3] torn@101[4,8] +wartorn@100[0,8] land@102[9,13]");
	assert_int_equal(next, 103);
	buf_free(&r.out);

	/* nothing to tokenize: next_pos is first_pos */
	assert_int_equal(render(&r, " ... ", 5, 7, &next), 0);
	assert_string_equal(r.out.p, "");
	assert_int_equal(next, 7);
	buf_free(&r.out);
	assert_int_equal(render(&r, "", 0, 3, &next), 0);
	assert_int_equal(next, 3);
	buf_free(&r.out);
	assert_int_equal(tok_run(NULL, 0, 5, render_cb, &r, &next), 0);
	assert_int_equal(next, 5);
}

/* The callback stops the run: its value comes back, no further tokens. */
static void test_stop_early(void **state)
{
	(void)state;
	const char *text = "alpha beta-gamma delta";
	render_t r = { .stop_after = 2 };
	unsigned next = 0;
	assert_int_equal(render(&r, text, strlen(text), 0, &next), 99);
	assert_string_equal(r.out.p, "alpha@0[0,5] beta@1[6,10]");
	assert_int_equal(next, 2);
	buf_free(&r.out);

	text = "中文字";
	r.stop_after = 1;
	assert_int_equal(render(&r, text, strlen(text), 0, &next), 99);
	assert_string_equal(r.out.p, "中@0[0,3]");
	buf_free(&r.out);
}

/* Tokens longer than TOK_MAX_LEN are dropped but keep their position. */
static void test_long_tokens(void **state)
{
	(void)state;
	char text[512], want[512];
	render_t r = { 0 };

	memset(text, 'a', TOK_MAX_LEN);
	snprintf(text + TOK_MAX_LEN, sizeof text - TOK_MAX_LEN, " b");
	render(&r, text, strlen(text), 0, NULL);
	snprintf(want, sizeof want, "%.*s@0[0,%d] b@1[%d,%d]", TOK_MAX_LEN, text, TOK_MAX_LEN,
		 TOK_MAX_LEN + 1, TOK_MAX_LEN + 2);
	assert_string_equal(r.out.p, want);
	buf_free(&r.out);

	text[0] = 'x';
	text[1] = ' ';
	memset(text + 2, 'a', TOK_MAX_LEN + 1);
	snprintf(text + 2 + TOK_MAX_LEN + 1, 10, " y");
	render(&r, text, strlen(text), 0, NULL);
	snprintf(want, sizeof want, "x@0[0,1] y@2[%d,%d]", TOK_MAX_LEN + 4, TOK_MAX_LEN + 5);
	assert_string_equal(r.out.p, want);
	buf_free(&r.out);

	/* non-ASCII: 40 é fold to 40 bytes (kept), 70 é to 70 (dropped) */
	buf_t in = BUF_INIT;
	for (int i = 0; i < 40; i++)
		buf_adds(&in, "é");
	buf_adds(&in, " ");
	for (int i = 0; i < 70; i++)
		buf_adds(&in, "é");
	buf_adds(&in, " z");
	render(&r, in.p, in.len, 0, NULL);
	snprintf(want, sizeof want, "%s@0[0,80] z@2[222,223]",
		 "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
	assert_string_equal(r.out.p, want);
	buf_free(&r.out);
	buf_free(&in);

	/* parts kept, joined form too long */
	memset(text, 'p', 40);
	text[40] = '-';
	memset(text + 41, 'q', 40);
	text[81] = '\0';
	render(&r, text, 81, 0, NULL);
	snprintf(want, sizeof want, "%.40s@0[0,40] %.40s@1[41,81]", text, text + 41);
	assert_string_equal(r.out.p, want);
	buf_free(&r.out);
}

/* A megabyte-long word is neither a token nor a problem. */
static void test_huge_word(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *text = malloc(n + 3);
	assert_non_null(text);
	for (size_t i = 0; i < n; i += 2)
		memcpy(text + i, "é", 2);
	memcpy(text + n, " z", 3);
	render_t r = { 0 };
	unsigned next;
	render(&r, text, n + 2, 0, &next);
	char want[64];
	snprintf(want, sizeof want, "z@1[%zu,%zu]", n + 1, n + 2);
	assert_string_equal(r.out.p, want);
	assert_int_equal(next, 2);
	buf_free(&r.out);
	free(text);
}

typedef struct {
	char tok[TOK_MAX_LEN + 1];
	int n;
} single_t;

static int single_cb(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
		     unsigned pos, int flags)
{
	single_t *one = ctx;
	if (!(flags & TOK_COLOCATED) && one->n++ == 0)
		snprintf(one->tok, sizeof one->tok, "%.*s", (int)toklen, tok);
	return 0;
}

typedef struct {
	int bad;
} again_t;

static int again_cb(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
		    unsigned pos, int flags)
{
	again_t *a = ctx;
	single_t one = { "", 0 };
	if (flags & TOK_COLOCATED)
		return 0;
	tok_run(tok, toklen, 0, single_cb, &one, NULL);
	if (one.n != 1 || strlen(one.tok) != toklen || memcmp(one.tok, tok, toklen) != 0) {
		print_error("token \"%.*s\" re-tokenizes to %d tokens, first \"%s\"\n",
			    (int)toklen, tok, one.n, one.tok);
		a->bad++;
	}
	return 0;
}

/* A query word typed as a document indexed it finds it: every primary token,
 * tokenized again, is exactly one token, itself. */
static void test_tokens_are_stable(void **state)
{
	(void)state;
	again_t a = { 0 };
	for (size_t i = 0; i < sizeof tok_cases / sizeof *tok_cases; i++)
		tok_run(tok_cases[i].in, strlen(tok_cases[i].in), 0, again_cb, &a, NULL);
	assert_int_equal(a.bad, 0);
}

/* Whatever the bytes, the tokenizer terminates with sane tokens (the
 * callback asserts offsets and lengths). */
static void test_random_bytes(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"a", "Z", "9", " ", ".", ",", "-", "_", "'", "\xe2\x80\x99", "@", ":", "/", "(",
		")", "é", "\xcc\x81", "中", "ｶ", "\xef\xbe\x9e", "\xff", "\xc3", "\xe2\x80",
		"http://", "www.", "\xf0\x9f\x98\x80", "\xc2\xad", "s", "ß", "\xe1\x85\xa1",
	};
	unsigned seed = 12345;
	buf_t text = BUF_INIT;
	for (int round = 0; round < 300; round++) {
		buf_reset(&text);
		int n = (int)(seed % 60);
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf_adds(&text, pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)]);
		}
		seed = seed * 1103515245u + 12345u;
		render_t r = { 0 };
		unsigned next = 0;
		assert_int_equal(render(&r, text.p ? text.p : "", text.len, 0, &next), 0);
		buf_free(&r.out);
	}
	buf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize_table),
		cmocka_unit_test(test_tokenize_flags),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_long_tokens),
		cmocka_unit_test(test_huge_word),
		cmocka_unit_test(test_tokens_are_stable),
		cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
