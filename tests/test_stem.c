/* test_stem.c - stemmer_*: Snowball output, pass-through tokens, languages,
 * and the cache: a word's stem the same whether it came from Snowball or
 * from the cache, wherever the cache keeps it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stem.h"
#include "tokenize.h"

typedef struct {
	const char *lang;
	const char *word;
	int flags;
	const char *stem;
} stem_case_t;

static const stem_case_t cases[] = {
	{ "english", "mercenaries", 0, "mercenari" },
	{ "english", "running", 0, "run" },
	{ "english", "connections", 0, "connect" },
	{ "english", "generously", 0, "generous" },
	{ "english", "the", 0, "the" },
	{ "en", "ponies", 0, "poni" },
	{ "english", "1,000", TOK_NUMBER, "1,000" },
	{ "english", "3.14", TOK_NUMBER, "3.14" },
	{ "english", "2021s", TOK_NUMBER, "2021s" },
	{ "english", "\xe6\x97\xa5\xe6\x9c\xac", TOK_CJK, "\xe6\x97\xa5\xe6\x9c\xac" },
	{ "english", "runs", TOK_COLOCATED, "run" },
	{ "french", "continuellement", 0, "continuel" },
	{ "fr", "chevaux", 0, "cheval" },
	{ "german", "katzen", 0, "katz" },
	{ "none", "running", 0, "running" },
	{ "none", "mercenaries", 0, "mercenaries" },
};

static void test_stem_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const stem_case_t *c = &cases[i];
		char *err = NULL;
		stemmer_t *st = stemmer_new(c->lang, &err);
		assert_non_null(st);
		assert_null(err);
		size_t len = 99;
		const char *s = stemmer_stem(st, c->word, strlen(c->word), c->flags, &len);
		assert_non_null(s);
		if (strcmp(s, c->stem) != 0)
			print_error("case %zu: %s(%s) = %s, want %s\n", i, c->lang, c->word, s, c->stem);
		assert_string_equal(s, c->stem);
		assert_int_equal(len, strlen(c->stem));
		stemmer_destroy(st);
	}
}

typedef struct {
	const char *lang;
	const char *canonical;
} lang_case_t;

static const lang_case_t langs[] = {
	{ "english", "english" }, { "en", "english" }, { "fr", "french" },
	{ "french", "french" }, { "de", "german" }, { "none", "none" },
};

static void test_lang_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
		stemmer_t *st = stemmer_new(langs[i].lang, NULL);
		assert_non_null(st);
		assert_string_equal(stemmer_lang(st), langs[i].canonical);
		assert_true(stemmer_lang_ok(langs[i].lang));
		stemmer_destroy(st);
	}
}

static void test_unknown_language(void **state)
{
	(void)state;
	static const char *const bad[] = { "klingon", "xx", "englishh" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *err = NULL;
		assert_null(stemmer_new(bad[i], &err));
		assert_non_null(err);
		assert_non_null(strstr(err, bad[i]));
		assert_non_null(strstr(err, "english")); /* lists what is known */
		free(err);
		assert_false(stemmer_lang_ok(bad[i]));
	}
	char *err = NULL;
	assert_null(stemmer_new(NULL, &err));
	assert_non_null(err);
	free(err);
	assert_null(stemmer_new("klingon", NULL)); /* errmsg may be NULL */
	assert_false(stemmer_lang_ok(NULL));
}

/* Words of every length a cache slot may hold them in - in the slot (short),
 * in its arena (long), not cached (over 255 bytes) - stem right the first
 * time and again after thousands of other words have grown the table. */
static void test_cache_after_growth(void **state)
{
	(void)state;
	char longw[300], longs[300];
	memset(longw, 'x', 280);
	memcpy(longw + 280, "connections", 12); /* a 291-byte word */
	memset(longs, 'x', 280);
	memcpy(longs + 280, "connect", 8);
	static const struct {
		const char *word, *stem;
	} fixed[] = {
		{ "mercenaries", "mercenari" },             /* 22 bytes with its stem: in the slot */
		{ "internationalizations", "internation" }, /* 34: in the arena */
		{ "ponies", "poni" },
	};
	stemmer_t *st = stemmer_new("english", NULL);
	assert_non_null(st);
	char word[32], want[32];
	size_t len;
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
			const char *s = stemmer_stem(st, fixed[i].word, strlen(fixed[i].word), 0, &len);
			assert_non_null(s);
			assert_string_equal(s, fixed[i].stem);
			assert_int_equal(len, strlen(fixed[i].stem));
		}
		const char *s = stemmer_stem(st, longw, strlen(longw), 0, &len);
		assert_non_null(s);
		assert_string_equal(s, longs);
		for (int i = 0; i < 5000; i++) { /* round 0: several table growths */
			int n = snprintf(word, sizeof word, "word%dings", i);
			s = stemmer_stem(st, word, (size_t)n, 0, &len);
			snprintf(want, sizeof want, "word%d", i);
			assert_non_null(s);
			assert_string_equal(s, want);
			assert_int_equal(len, strlen(want));
		}
	}
	stemmer_destroy(st);
}

/* Pass-through tokens are copies (NUL-terminated), not the caller's bytes. */
static void test_pass_through_is_copy(void **state)
{
	(void)state;
	stemmer_t *st = stemmer_new("en", NULL);
	char tok[] = "42abc";
	size_t len;
	const char *s = stemmer_stem(st, tok, 2, TOK_NUMBER, &len);
	assert_ptr_not_equal(s, tok);
	assert_int_equal(len, 2);
	assert_string_equal(s, "42");
	/* an empty token is fine */
	s = stemmer_stem(st, "", 0, 0, &len);
	assert_non_null(s);
	assert_int_equal(len, 0);
	assert_null(stemmer_stem(NULL, "x", 1, 0, &len));
	stemmer_destroy(st);
	stemmer_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stem_table),
		cmocka_unit_test(test_lang_names),
		cmocka_unit_test(test_unknown_language),
		cmocka_unit_test(test_cache_after_growth),
		cmocka_unit_test(test_pass_through_is_copy),
	};
	return cmocka_run_group_tests_name("stem", tests, NULL, NULL);
}
