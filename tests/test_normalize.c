/* test_normalize.c - folding (normalize.h) as a searcher sees it: which
 * spellings become the same term, and the character classes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"

struct fold_case {
	const char *in;
	const char *out;
};

static const struct fold_case fold_cases[] = {
	{ "", "" },
	{ "hello world 42", "hello world 42" },
	{ "Hello WORLD", "hello world" },
	/* accents: precomposed and decomposed alike */
	{ "café", "cafe" },
	{ "CAFÉ", "cafe" },
	{ "cafe\xcc\x81", "cafe" },
	{ "naïve", "naive" },
	{ "Ångström", "angstrom" },
	{ "\xe2\x84\xab", "a" },                /* U+212B ANGSTROM SIGN */
	{ "crème brûlée", "creme brulee" },
	{ "ǿ", "o" },                           /* ø with acute */
	/* case folding */
	{ "Straße", "strasse" },
	{ "ẞ", "ss" },
	{ "ΣΟΦΟΣ", "σοφοσ" },
	{ "σοφος", "σοφοσ" },                   /* final sigma */
	{ "İstanbul", "istanbul" },             /* dotted capital I: the dot is a mark */
	{ "ISTANBUL", "istanbul" },
	{ "kırmızı", "kirmizi" },               /* dotless i */
	{ "ǅ", "dz" },
	/* letters with strokes, ligatures */
	{ "Ørsted Łódź Đakovo", "orsted lodz dakovo" },
	{ "Encyclopædia Œuvre", "encyclopaedia oeuvre" },
	{ "ﬁnance ﬃ", "finance ffi" },
	/* compatibility forms */
	{ "Ｆｕｌｌ ｗｉｄｔｈ １２３", "full width 123" },
	{ "① x²", "1 x2" },
	{ "ﾃｽﾄ", "テスト" },                     /* half-width katakana */
	{ "ｶﾞ", "ガ" },                          /* with a half-width voicing mark */
	{ "㍻", "平成" },
	/* scripts whose marks are letters keep them */
	{ "が", "が" },
	{ "か\xe3\x82\x99", "が" },              /* decomposed: recomposed */
	{ "हिंदी", "हिंदी" },
	{ "ภาษาไทย", "ภาษาไทย" },
	/* scripts whose marks are optional lose them */
	{ "Ελληνικά", "ελληνικα" },
	{ "ёлка", "елка" },
	{ "مُحَمَّد", "محمد" },
	{ "שָׁלוֹם", "שלום" },
	/* CJK is left alone; decomposed Hangul is composed */
	{ "中文字", "中文字" },
	{ "한국어", "한국어" },
	{ "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", "한" },
	/* ignorables vanish */
	{ "soft\xc2\xadhyphen", "softhyphen" },
	{ "zero\xe2\x80\x8bwidth", "zerowidth" },
	/* invalid UTF-8 becomes U+FFFD, never a crash */
	{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
	{ "caf\xc3", "caf\xef\xbf\xbd" },
	/* a surrogate: each byte is invalid on its own */
	{ "x\xed\xa0\x80y", "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy" },
};

static void test_fold_table(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < sizeof fold_cases / sizeof *fold_cases; i++) {
		const struct fold_case *c = &fold_cases[i];
		buf_t b = BUF_INIT;
		assert_int_equal(norm_fold(c->in, strlen(c->in), &b), 0);
		const char *got = b.p ? b.p : "";
		if (strcmp(got, c->out) != 0 || b.len != strlen(c->out)) {
			print_error("fold(\"%s\"): got \"%s\", want \"%s\"\n", c->in, got, c->out);
			bad++;
		}
		buf_free(&b);
	}
	assert_int_equal(bad, 0);
}

/* Folding a folded string changes nothing: documents and queries meet. */
static void test_fold_idempotent(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fold_cases / sizeof *fold_cases; i++) {
		const char *out = fold_cases[i].out;
		buf_t b = BUF_INIT;
		assert_int_equal(norm_fold(out, strlen(out), &b), 0);
		if (strcmp(b.p ? b.p : "", out) != 0)
			fail_msg("fold(\"%s\") = \"%s\": not stable", out, b.p);
		buf_free(&b);
	}
}

static void test_fold_appends(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	buf_adds(&b, "pre:");
	assert_int_equal(norm_fold("Café", strlen("Café"), &b), 0);
	assert_string_equal(b.p, "pre:cafe");
	buf_free(&b);
}

/* norm_fold_n reports the full length even when it does not fit. */
static void test_fold_n_cap(void **state)
{
	(void)state;
	char out[8];
	size_t n = 0;
	memset(out, '#', sizeof out);
	assert_int_equal(norm_fold_n("Straße", strlen("Straße"), out, 4, &n), 0);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "stra####", 8);

	assert_int_equal(norm_fold_n("ÉTÉ", strlen("ÉTÉ"), out, 0, &n), 0);
	assert_int_equal(n, 3);
}

/* Long non-ASCII runs (beyond the stack buffer) fold like short ones. */
static void test_fold_long(void **state)
{
	(void)state;
	size_t reps = 5000;
	buf_t in = BUF_INIT, out = BUF_INIT;
	for (size_t i = 0; i < reps; i++)
		buf_adds(&in, i % 2 ? "E\xcc\x81" : "é");
	assert_int_equal(norm_fold(in.p, in.len, &out), 0);
	assert_int_equal(out.len, reps);
	for (size_t i = 0; i < reps; i++)
		assert_int_equal(out.p[i], 'e');
	buf_free(&in);
	buf_free(&out);
}

struct class_case {
	int cp;
	int word, cjk, sentence_end;
};

static const struct class_case class_cases[] = {
	{ 'a', 1, 0, 0 },
	{ 'Z', 1, 0, 0 },
	{ '7', 1, 0, 0 },
	{ '_', 0, 0, 0 },
	{ '-', 0, 0, 0 },
	{ '\'', 0, 0, 0 },
	{ '.', 0, 0, 1 },
	{ '!', 0, 0, 1 },
	{ '?', 0, 0, 1 },
	{ ',', 0, 0, 0 },
	{ 0x00E9, 1, 0, 0 },  /* é */
	{ 0x0301, 1, 0, 0 },  /* combining acute: part of a word */
	{ 0x00B2, 1, 0, 0 },  /* ² (No) */
	{ 0x0416, 1, 0, 0 },  /* Ж */
	{ 0x0639, 1, 0, 0 },  /* ع */
	{ 0x0966, 1, 0, 0 },  /* Devanagari digit zero */
	{ 0x4E2D, 1, 1, 0 },  /* 中 */
	{ 0x3042, 1, 1, 0 },  /* あ */
	{ 0x30AB, 1, 1, 0 },  /* カ */
	{ 0xFF76, 1, 1, 0 },  /* half-width ｶ */
	{ 0xAC00, 1, 1, 0 },  /* 가 */
	{ 0x3005, 1, 1, 0 },  /* 々 */
	{ 0x20000, 1, 1, 0 }, /* Han extension B */
	{ 0x30FB, 0, 0, 0 },  /* ・ katakana middle dot: punctuation */
	{ 0x3001, 0, 0, 0 },  /* 、 */
	{ 0x3002, 0, 0, 1 },  /* 。 */
	{ 0xFF01, 0, 0, 1 },  /* ！ */
	{ 0xFF1F, 0, 0, 1 },  /* ？ */
	{ 0x0964, 0, 0, 1 },  /* । danda */
	{ 0x1F600, 0, 0, 0 }, /* 😀 */
	{ 0x2764, 0, 0, 0 },  /* ❤ */
	{ 0x00A0, 0, 0, 0 },  /* no-break space */
	{ 0xFFFD, 0, 0, 0 },
};

static void test_classes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof class_cases / sizeof *class_cases; i++) {
		const struct class_case *c = &class_cases[i];
		if (norm_is_word_char(c->cp) != c->word || norm_is_cjk(c->cp) != c->cjk ||
		    norm_is_sentence_end(c->cp) != c->sentence_end)
			fail_msg("U+%04X: word %d cjk %d end %d, want %d %d %d", (unsigned)c->cp,
				 norm_is_word_char(c->cp), norm_is_cjk(c->cp),
				 norm_is_sentence_end(c->cp), c->word, c->cjk, c->sentence_end);
	}
	assert_true(norm_is_letter('q'));
	assert_false(norm_is_letter('1'));
	assert_true(norm_is_digit('1'));
	assert_true(norm_is_digit(0xFF11)); /* full-width 1 */
	assert_false(norm_is_digit(0x00B2));
	assert_true(norm_is_mark(0x0301));
	assert_false(norm_is_mark('a'));
}

struct decode_case {
	const char *s;
	size_t len;
	size_t want_n;
	int want_cp;
};

static const struct decode_case decode_cases[] = {
	{ "", 0, 0, 0 },
	{ "A", 1, 1, 'A' },
	{ "é", 2, 2, 0xE9 },
	{ "中", 3, 3, 0x4E2D },
	{ "😀", 4, 4, 0x1F600 },
	{ "\xff", 1, 1, 0xFFFD },
	{ "\x80", 1, 1, 0xFFFD },           /* lone continuation byte */
	{ "\xc0\xaf", 2, 1, 0xFFFD },       /* overlong '/' */
	{ "\xe0\x80\xaf", 3, 1, 0xFFFD },   /* overlong */
	{ "\xed\xa0\x80", 3, 1, 0xFFFD },   /* surrogate */
	{ "\xf4\x90\x80\x80", 4, 1, 0xFFFD }, /* above U+10FFFF */
	{ "\xe4\xb8", 2, 1, 0xFFFD },       /* truncated */
	{ "\xc3" "A", 2, 1, 0xFFFD },       /* bad continuation */
};

static void test_decode(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof decode_cases / sizeof *decode_cases; i++) {
		const struct decode_case *c = &decode_cases[i];
		int cp = -1;
		size_t n = norm_decode(c->s, c->len, &cp);
		if (n != c->want_n || cp != c->want_cp)
			fail_msg("case %zu: got %zu U+%04X, want %zu U+%04X", i, n, (unsigned)cp,
				 c->want_n, (unsigned)c->want_cp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_table),
		cmocka_unit_test(test_fold_idempotent),
		cmocka_unit_test(test_fold_appends),
		cmocka_unit_test(test_fold_n_cap),
		cmocka_unit_test(test_fold_long),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
