/* test_query.c - the query parser: query text in, canonical tree out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "query.h"
#include "tokenize.h"

typedef struct {
	const char *q;
	const char *want; /* qnode_describe(), or "EMPTY" */
} qcase_t;

/* Parse Q with FLAGS and return what a test compares: the tree, "EMPTY",
 * or "SYNTAX: message". malloc'd. */
static char *parse_str(const char *q, size_t len, int flags)
{
	qnode_t *n = NULL;
	const char *err = NULL;
	qp_result_t r = qry_parse(q, len, flags, &n, &err);
	char *s = NULL;
	switch (r) {
	case QP_OK:
		assert_non_null(n);
		s = qnode_describe(n);
		qnode_free(n);
		break;
	case QP_EMPTY:
		assert_null(n);
		s = strdup("EMPTY");
		break;
	case QP_SYNTAX:
		assert_null(n);
		assert_non_null(err);
		if (asprintf(&s, "SYNTAX: %s", err) < 0)
			s = NULL;
		break;
	case QP_NOMEM:
		fail_msg("out of memory parsing %s", q);
	}
	assert_non_null(s);
	return s;
}

static void check_table(const qcase_t *c, size_t n, int flags)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		char *got = parse_str(c[i].q, strlen(c[i].q), flags);
		if (strcmp(got, c[i].want)) {
			print_error("query  %s\n  want %s\n  got  %s\n", c[i].q, c[i].want, got);
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

#define CHECK(table, flags) check_table(table, sizeof table / sizeof *table, flags)

static void test_operators(void **state)
{
	(void)state;
	static const qcase_t t[] = {
		{"solar", "(TERM solar)"},
		{"Solar POWER", "(AND (TERM solar) (TERM power))"},
		{"\"solar power\" NEAR/5 wind", "(NEAR/5 (PHRASE solar power) (TERM wind))"},
		{"solar NEAR wind", "(NEAR/10 (TERM solar) (TERM wind))"},
		{"a NEAR/3 b NEAR c", "(NEAR/10 (TERM a) (TERM b) (TERM c))"},
		{"a NEAR/0 b", "(NEAR/0 (TERM a) (TERM b))"},
		{"solar OR wind", "(OR (TERM solar) (TERM wind))"},
		{"solar AND wind", "(AND (TERM solar) (TERM wind))"},
		/* lower-case operators are words, and no stopword is dropped */
		{"solar or wind and the sun", "(AND (TERM solar) (TERM or) (TERM wind) (TERM and) "
					      "(TERM the) (TERM sun))"},
		{"near not", "(AND (TERM near) (TERM not))"},
		{"a b OR c d", "(OR (AND (TERM a) (TERM b)) (AND (TERM c) (TERM d)))"},
		{"a OR b c", "(OR (TERM a) (AND (TERM b) (TERM c)))"},
		{"(a OR b) c", "(AND (OR (TERM a) (TERM b)) (TERM c))"},
		{"a (b c) ((d))", "(AND (TERM a) (TERM b) (TERM c) (TERM d))"},
		{"a OR (b OR c)", "(OR (TERM a) (TERM b) (TERM c))"},
		{"solar -wind", "(AND_NOT (TERM solar) (TERM wind))"},
		{"solar NOT wind", "(AND_NOT (TERM solar) (TERM wind))"},
		{"solar AND NOT wind", "(AND_NOT (TERM solar) (TERM wind))"},
		{"+solar wind", "(AND (TERM solar) (TERM wind))"},
		{"solar -wind -rain", "(AND_NOT (TERM solar) (TERM wind) (TERM rain))"},
		{"solar -(wind OR rain)", "(AND_NOT (TERM solar) (OR (TERM wind) (TERM rain)))"},
		{"-\"wind farm\" solar", "(AND_NOT (TERM solar) (PHRASE wind farm))"},
		{"NOT NOT solar", "(TERM solar)"},
		{"NOT(solar)", "(AND_NOT (ALL) (TERM solar))"},
		/* only NOT parts: everything else */
		{"-wind", "(AND_NOT (ALL) (TERM wind))"},
		{"NOT wind NOT rain", "(AND_NOT (ALL) (TERM wind) (TERM rain))"},
		{"(a -b) -c", "(AND_NOT (TERM a) (TERM b) (TERM c))"},
		{"a OR -b", "(OR (TERM a) (AND_NOT (ALL) (TERM b)))"},
		/* '-' and '+' only in front of something */
		{"a - b", "(AND (TERM a) (TERM b))"},
		{"--verbose", "(TERM verbose)"},
		{"c++ x", "(AND (TERM c) (TERM x))"},
		/* parts that hold nothing searchable are dropped, not errors */
		{"solar ---", "(TERM solar)"},
		{"solar AND !!!", "(TERM solar)"},
		{"solar () wind", "(AND (TERM solar) (TERM wind))"},
		{"solar NEAR ...", "(TERM solar)"},
		/* parentheses inside a word belong to it */
		{"f(x)", "(PHRASE f x)"},
		{"f(x", "(PHRASE f x)"},
		{"\"solar\"", "(TERM solar)"},
		{"\"solar power\"", "(PHRASE solar power)"},
		{"\u201csolar power\u201d", "(PHRASE solar power)"},
		{"\"solar power\"x", "(AND (PHRASE solar power) (TERM x))"},
		{"\"\" solar", "(TERM solar)"},
		/* the pasted sentence with upper-case words is read as operators */
		{"THIS IS NOT A DRILL", "(AND_NOT (AND (TERM this) (TERM is) (TERM drill)) (TERM a))"},
	};
	CHECK(t, 0);
}

/* A query word becomes exactly the tokens the same word makes in a document. */
static void test_words_like_documents(void **state)
{
	(void)state;
	static const qcase_t t[] = {
		{"war-torn", "(PHRASE war torn)"},
		{"\"war-torn country\"", "(PHRASE war torn country)"},
		{"U.S.", "(PHRASE u s)"},
		{"e-mail", "(PHRASE e mail)"},
		{"\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD", "(PHRASE \xE6\x9D\xB1 \xE4\xBA\xAC \xE9\x83\xBD)"},
		{"Kremlin's", "(TERM kremlin)"},
		{"Kremlin\u2019s", "(TERM kremlin)"},
		{"don't", "(TERM dont)"},
		{"Caf\u00e9", "(TERM cafe)"},
		{"CAF\u00c9", "(TERM cafe)"},
		{"Cafe\u0301", "(TERM cafe)"},
		{"na\u00efve", "(TERM naive)"},
		{"\ufb01nance", "(TERM finance)"},
		{"\uff21\uff22\uff23", "(TERM abc)"},
		{"Stra\u00dfe", "(TERM strasse)"},
		{"3.14", "(TERM 3.14)"},
		{"1.4.22", "(TERM 1.4.22)"},
		{"state-of-the-art", "(PHRASE state of the art)"},
		{"x86_64", "(PHRASE x86 64)"},
		{"https://x.y/path", "(PHRASE https x y path)"},
		{"url:https://en.wikipedia.org/wiki/Foo_(bar)",
		 "(PHRASE url:https en wikipedia org wiki foo bar)"},
		{"john@example.com", "(PHRASE john example com)"},
		{"foo:bar", "(PHRASE foo bar)"},
		{"Title:solar", "(PHRASE title solar)"},
		{"solar title:", "(AND (TERM solar) (TERM title))"},
		{"title: solar", "(AND (TERM title) (TERM solar))"},
		{"solar*", "(WILDCARD solar)"},
		{"Sol*", "(WILDCARD sol)"},
		{"Caf\u00e9*", "(WILDCARD cafe)"},
		{"war-t*", "(AND (TERM war) (WILDCARD t))"},
		{"\"sol*\"", "(TERM sol)"},
		{"*", "EMPTY"},
	};
	CHECK(t, 0);
}

static void test_fields(void **state)
{
	(void)state;
	static const qcase_t t[] = {
		{"title:solar", "(TERM title:solar)"},
		{"title:Solar wind", "(AND (TERM title:solar) (TERM wind))"},
		{"title:\"solar power\"", "(PHRASE title:solar power)"},
		{"title:(solar OR wind) farm", "(AND (OR (TERM title:solar) (TERM title:wind)) (TERM farm))"},
		{"title:war-torn", "(PHRASE title:war torn)"},
		{"title:sol*", "(WILDCARD title:sol)"},
		{"author:Smith", "(TERM author:smith)"},
		{"path:notes", "(TERM path:notes)"},
		{"title:a NEAR title:b", "(NEAR/10 (TERM title:a) (TERM title:b))"},
		{"lang:EN", "(FILTER lang:en)"},
		{"tag:Machine-Learning", "(FILTER tag:machine-learning)"},
		{"tag:\"Machine Learning\"", "(FILTER tag:machine learning)"},
		{"format:PDF", "(FILTER format:pdf)"},
		{"id:ABC123", "(FILTER id:abc123)"},
		{"lang:(en OR fr)", "(OR (FILTER lang:en) (FILTER lang:fr))"},
		{"solar -lang:fr", "(AND_NOT (TERM solar) (FILTER lang:fr))"},
		{"-lang:fr", "(AND_NOT (ALL) (FILTER lang:fr))"},
		{"date:2021", "(DATE 20210101..20211231)"},
		{"date:2021-09", "(DATE 20210901..20210930)"},
		{"date:2020-02", "(DATE 20200201..20200229)"},
		{"date:1900-02", "(DATE 19000201..19000228)"},
		{"date:2021-09-15", "(DATE 20210915..20210915)"},
		{"date:2021-09-01..2021-09-30", "(DATE 20210901..20210930)"},
		{"date:2019..2020-06", "(DATE 20190101..20200630)"},
		{"date:..2020-12-31", "(DATE ..20201231)"},
		{"date:2021-01-01..", "(DATE 20210101..)"},
		{"solar date:2021", "(AND (TERM solar) (DATE 20210101..20211231))"},
		{"date:(2020 OR 2022)", "(OR (DATE 20200101..20201231) (DATE 20220101..20221231))"},
	};
	CHECK(t, 0);
}

static void test_default_or(void **state)
{
	(void)state;
	static const qcase_t t[] = {
		{"a b", "(OR (TERM a) (TERM b))"},
		{"+a b", "(AND_MAYBE (TERM a) (TERM b))"},
		{"+a +b c d", "(AND_MAYBE (AND (TERM a) (TERM b)) (TERM c) (TERM d))"},
		{"a b -c", "(AND_NOT (OR (TERM a) (TERM b)) (TERM c))"},
		{"a AND b c", "(OR (AND (TERM a) (TERM b)) (TERM c))"},
		{"a AND b AND -c d", "(OR (AND_NOT (AND (TERM a) (TERM b)) (TERM c)) (TERM d))"},
		{"war-torn city", "(OR (PHRASE war torn) (TERM city))"},
		{"-c", "(AND_NOT (ALL) (TERM c))"},
	};
	CHECK(t, QP_DEFAULT_OR);
}

typedef struct {
	const char *q;
	const char *syntax; /* the error message */
	const char *literal; /* the same query with QP_LITERAL */
} scase_t;

/* Pasted junk: a syntax error, then the literal parse finds the words. */
static void test_syntax_errors(void **state)
{
	(void)state;
	static const scase_t t[] = {
		{"\"solar power", "unclosed quote", "(AND (TERM solar) (TERM power))"},
		{"solar AND", "AND needs something on each side", "(AND (TERM solar) (TERM and))"},
		{"AND solar", "AND needs something on each side", "(AND (TERM and) (TERM solar))"},
		{"a AND AND b", "AND needs something on each side",
		 "(AND (TERM a) (TERM and) (TERM and) (TERM b))"},
		{"solar OR", "OR needs something on each side", "(AND (TERM solar) (TERM or))"},
		{"a OR OR b", "OR needs something on each side",
		 "(AND (TERM a) (TERM or) (TERM or) (TERM b))"},
		{"(solar", "unmatched (", "(TERM solar)"},
		{"solar)", "unmatched )", "(TERM solar)"},
		{"NOT", "NOT needs something after it", "(TERM not)"},
		{"solar NEAR", "NEAR needs a word or phrase on each side",
		 "(AND (TERM solar) (TERM near))"},
		{"NEAR solar", "NEAR needs a word or phrase on each side",
		 "(AND (TERM near) (TERM solar))"},
		{"a NEAR/x b", "NEAR/n needs a number from 0 to 1000",
		 "(AND (TERM a) (PHRASE near x) (TERM b))"},
		{"a NEAR/5000 b", "NEAR/n needs a number from 0 to 1000",
		 "(AND (TERM a) (PHRASE near 5000) (TERM b))"},
		{"sol* NEAR wind", "NEAR works on words and phrases only",
		 "(AND (TERM sol) (TERM near) (TERM wind))"},
		{"title:a NEAR b", "NEAR needs all its words in one field",
		 "(AND (PHRASE title a) (TERM near) (TERM b))"},
		{"date:2021-13", "bad date (use 2021, 2021-09, 2021-09-15 or a range like 2020..2021-06)",
		 "(PHRASE date 2021 13)"},
		{"date:2021-02-29", "bad date (use 2021, 2021-09, 2021-09-15 or a range like 2020..2021-06)",
		 "(PHRASE date 2021 02 29)"},
		{"date:yesterday", "bad date (use 2021, 2021-09, 2021-09-15 or a range like 2020..2021-06)",
		 "(PHRASE date yesterday)"},
		{"date:2022..2021", "bad date (use 2021, 2021-09, 2021-09-15 or a range like 2020..2021-06)",
		 "(PHRASE date 2022 2021)"},
		{"date:..", "bad date (use 2021, 2021-09, 2021-09-15 or a range like 2020..2021-06)",
		 "(TERM date)"},
		{"title:+x", "a field needs a word, a \"phrase\" or (words) after the colon",
		 "(PHRASE title x)"},
		/* a pasted shell line */
		{"grep -E \"(foo|bar *.c", "unclosed quote",
		 "(AND (TERM grep) (TERM e) (PHRASE foo bar) (TERM c))"},
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char *want, *got = parse_str(t[i].q, strlen(t[i].q), 0);
		if (asprintf(&want, "SYNTAX: %s", t[i].syntax) < 0)
			fail();
		if (strcmp(got, want)) {
			print_error("query  %s\n  want %s\n  got  %s\n", t[i].q, want, got);
			bad++;
		}
		free(got);
		free(want);
		got = parse_str(t[i].q, strlen(t[i].q), QP_LITERAL);
		if (strcmp(got, t[i].literal)) {
			print_error("literal %s\n  want %s\n  got  %s\n", t[i].q, t[i].literal, got);
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

static void test_literal(void **state)
{
	(void)state;
	static const qcase_t t[] = {
		{"a OR b", "(AND (TERM a) (TERM or) (TERM b))"},
		{"title:solar -wind", "(AND (PHRASE title solar) (TERM wind))"},
		{"sol* \"x y\"", "(AND (TERM sol) (TERM x) (TERM y))"},
		{"war-torn", "(PHRASE war torn)"},
		{"!!! ??? ()", "EMPTY"},
		{"", "EMPTY"},
	};
	CHECK(t, QP_LITERAL);
	static const qcase_t o[] = {
		{"a OR b", "(OR (TERM a) (TERM or) (TERM b))"},
	};
	CHECK(o, QP_LITERAL | QP_DEFAULT_OR);
}

static void test_empty(void **state)
{
	(void)state;
	static const qcase_t t[] = {
		{"", "EMPTY"},   {"   \t\n", "EMPTY"}, {"!!!", "EMPTY"}, {"-", "EMPTY"},
		{"()", "EMPTY"}, {"(())", "EMPTY"},    {"\"\"", "EMPTY"}, {"+ - * ...", "EMPTY"},
	};
	CHECK(t, 0);
	qnode_t *n = (qnode_t *)1;
	assert_int_equal(qry_parse(NULL, 0, 0, &n, NULL), QP_EMPTY);
	assert_null(n);
}

/* A word longer than any term (TOK_MAX_LEN) is left out and counted, as the
 * indexer drops it; the position it takes there splits a phrase, since the
 * document has nothing at that position for a phrase to match. */
#define W70 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define W64 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"

static void test_too_long(void **state)
{
	(void)state;
	static const struct {
		const char *q;
		int flags;
		const char *want;
		unsigned too_long;
	} t[] = {
		{W70, 0, "EMPTY", 1},
		{W70 "*", 0, "EMPTY", 1},
		{W70, QP_LITERAL, "EMPTY", 1},
		{W64, 0, "(TERM " W64 ")", 0},
		{"sha " W70 " follows", 0, "(AND (TERM sha) (TERM follows))", 1},
		{"\"sha " W70 " follows here\"", 0, "(AND (TERM sha) (PHRASE follows here))", 1},
		{"\"a b " W70 " " W70 " c\"", 0, "(AND (PHRASE a b) (TERM c))", 2},
		{"sha-" W70 "-follows", 0, "(AND (TERM sha) (TERM follows))", 1},
		{"title:\"sha " W70 " follows\"", 0, "(AND (TERM title:sha) (TERM title:follows))", 1},
		{"(sha " W70, QP_LITERAL, "(TERM sha)", 1}, /* a syntax error's retry */
		{"\"white whale\"", 0, "(PHRASE white whale)", 0},
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		qnode_t *n = NULL;
		unsigned too_long = 99;
		qp_result_t r = qry_parse_ex(t[i].q, strlen(t[i].q), t[i].flags, &n, NULL, &too_long);
		char *got = r == QP_EMPTY ? strdup("EMPTY") : r == QP_OK ? qnode_describe(n) : NULL;
		if (!got || strcmp(got, t[i].want) || too_long != t[i].too_long) {
			print_error("query  %s\n  want %s, %u left out\n  got  %s, %u left out\n",
				    t[i].q, t[i].want, t[i].too_long, got ? got : "(error)", too_long);
			bad++;
		}
		free(got);
		qnode_free(n);
	}
	assert_int_equal(bad, 0);
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < times; i++)
		buf_adds(&b, unit);
	buf_adds(&b, tail);
	return buf_detach(&b, NULL);
}

static void test_nesting(void **state)
{
	(void)state;
	char *q = repeat("(", 30, "x");
	char *full = repeat(")", 30, "");
	char *s;
	assert_true(asprintf(&s, "%s%s", q, full) > 0);
	char *got = parse_str(s, strlen(s), 0);
	assert_string_equal(got, "(TERM x)");
	free(got), free(s), free(q), free(full);

	static const char *const deep[] = {"(", "title:", "(a OR "};
	for (size_t i = 0; i < 3; i++) {
		q = repeat(deep[i], 100, "x");
		got = parse_str(q, strlen(q), 0);
		assert_string_equal(got, "SYNTAX: query nested too deeply");
		free(got);
		got = parse_str(q, strlen(q), QP_LITERAL);
		assert_non_null(strstr(got, " x)"));
		free(got), free(q);
	}
	/* a megabyte of '(' fails at the depth bound, without recursing further */
	q = repeat("(", 1 << 20, "");
	got = parse_str(q, strlen(q), 0);
	assert_string_equal(got, "SYNTAX: query nested too deeply");
	free(got), free(q);
	/* NOT chains are iterative */
	q = repeat("NOT ", 100000, "x");
	got = parse_str(q, strlen(q), 0);
	assert_string_equal(got, "(TERM x)");
	free(got), free(q);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_huge(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_printf(&b, "w%d ", i);
	char *q = buf_detach(&b, NULL);
	double t0 = seconds();
	qnode_t *n;
	assert_int_equal(qry_parse(q, strlen(q), 0, &n, NULL), QP_OK);
	assert_int_equal(n->type, Q_AND);
	assert_int_equal(n->nkids, 10000);
	assert_string_equal(n->kids[9999]->text, "w9999");
	char *d = qnode_describe(n);
	assert_non_null(d);
	free(d);
	qnode_free(n);
	free(q);

	q = repeat("a OR ", 10000, "b");
	assert_int_equal(qry_parse(q, strlen(q), 0, &n, NULL), QP_OK);
	assert_int_equal(n->type, Q_OR);
	assert_int_equal(n->nkids, 10001);
	qnode_free(n);
	free(q);

	/* a megabyte of prose, and a megabyte with no space at all */
	q = repeat("solar power, wind-farm \"x y\" (z) ", (1 << 20) / 34, "");
	assert_int_equal(qry_parse(q, strlen(q), 0, &n, NULL), QP_OK);
	qnode_free(n);
	assert_int_equal(qry_parse(q, strlen(q), QP_LITERAL | QP_DEFAULT_OR, &n, NULL), QP_OK);
	qnode_free(n);
	free(q);
	q = repeat("ab-", (1 << 20) / 3, "");
	assert_int_equal(qry_parse(q, strlen(q), 0, &n, NULL), QP_OK);
	assert_int_equal(n->type, Q_PHRASE);
	qnode_free(n);
	free(q);
	double dt = seconds() - t0;
	if (dt > 10)
		fail_msg("huge queries took %.1f s", dt);
}

/* Invalid UTF-8 and random bytes: never a crash, never a leak, and a syntax
 * error can always be retried literally. */
static void test_binary(void **state)
{
	(void)state;
	static const qcase_t t[] = {
		{"sol\xff" "ar", "(PHRASE sol ar)"},
		{"\xc3(", "EMPTY"},
		{"\xc3 (", "SYNTAX: unmatched ("},
		{"caf\xe9 power", "(AND (TERM caf) (TERM power))"},
	};
	CHECK(t, 0);
	char nul[] = "solar\0power";
	char *got = parse_str(nul, sizeof nul - 1, 0);
	assert_string_equal(got, "(AND (TERM solar) (TERM power))");
	free(got);

	static const char alphabet[] = "ab \"()*:+-./ANDORNOTtitle:date:2021\xc3\xa9\xff\xe2\x80\x9c\x00";
	uint32_t seed = 12345;
	for (int i = 0; i < 3000; i++) {
		char q[64];
		size_t len = (size_t)(seed % sizeof q);
		for (size_t j = 0; j < len; j++) {
			seed = seed * 1103515245u + 12345u;
			q[j] = (i & 1) ? (char)(seed >> 16) : alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		qnode_t *n = NULL;
		const char *err;
		qp_result_t r = qry_parse(q, len, 0, &n, &err);
		assert_true(r == QP_OK || r == QP_EMPTY || r == QP_SYNTAX);
		qnode_free(n);
		if (r == QP_SYNTAX) {
			r = qry_parse(q, len, QP_LITERAL, &n, &err);
			assert_true(r == QP_OK || r == QP_EMPTY);
			qnode_free(n);
		}
	}
}

static void test_field_prefix(void **state)
{
	(void)state;
	assert_string_equal(qry_field_prefix(QF_BODY), "");
	assert_string_equal(qry_field_prefix(QF_TITLE), "S");
	assert_string_equal(qry_field_prefix(QF_AUTHOR), "A");
	assert_string_equal(qry_field_prefix(QF_URL), "U");
	assert_string_equal(qry_field_prefix(QF_PATH), "P");
	assert_string_equal(qry_field_prefix(QF_LANG), "L");
	assert_string_equal(qry_field_prefix(QF_TAG), "K");
	assert_string_equal(qry_field_prefix(QF_FORMAT), "T");
	assert_string_equal(qry_field_prefix(QF_ID), "XID");
}

/* Terms carry the tokenizer's flags so the highlighter stems them the same way. */
static void test_term_flags(void **state)
{
	(void)state;
	qnode_t *n;
	const char *q = "solar 2021 \xE6\x9D\xB1";
	assert_int_equal(qry_parse(q, strlen(q), 0, &n, NULL), QP_OK);
	assert_int_equal(n->nkids, 3);
	assert_int_equal(n->kids[0]->tflags, 0);
	assert_int_equal(n->kids[1]->tflags & 4 /* TOK_NUMBER */, 4);
	assert_int_equal(n->kids[2]->tflags & 2 /* TOK_CJK */, 2);
	qnode_free(n);
}

static int collect(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
		   unsigned pos, int flags)
{
	buf_t *b = ctx;
	(void)start, (void)end, (void)pos;
	if (!(flags & TOK_COLOCATED)) {
		buf_addc(b, ' ');
		buf_add(b, tok, toklen);
	}
	return 0;
}

/* Whatever a word is, the query holds the primary tokens tok_run makes of it
 * in a document: one is a TERM, several a PHRASE. */
static void test_same_tokens_as_documents(void **state)
{
	(void)state;
	static const char *const words[] = {
		"Caf\u00e9", "\ufb01ligree", "\uff21\uff22\uff23", "Kremlin\u2019s", "rock'n'roll",
		"war-torn", "state-of-the-art", "x86_64", "U.S.", "e.g.", "192.168.0.1", "1,000",
		"2021-09-15", "john@example.com", "https://example.com/a/b?c=d",
		"\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD", "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4",
		"\xE3\x81\x8C\xE3\x81\x8E", "\u0130stanbul", "\u00c6sir", "na\u00efve", "\u03a3\u03bf\u03c6\u03af\u03b1",
		"\u0928\u092e\u0938\u094d\u0924\u0947", "co\u00adoperate", "ABC\u200Bdef",
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		buf_t b = BUF_INIT;
		assert_int_equal(tok_run(words[i], strlen(words[i]), 0, collect, &b, NULL), 0);
		size_t n = 0;
		for (size_t k = 0; k < b.len; k++)
			n += b.p[k] == ' ';
		char *want;
		if (asprintf(&want, "(%s%s)", n == 1 ? "TERM" : "PHRASE", b.p) < 0)
			fail();
		char *got = parse_str(words[i], strlen(words[i]), 0);
		if (strcmp(got, want))
			fail_msg("word %s: query %s, document %s", words[i], got, want);
		free(got);
		free(want);
		buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_operators),  cmocka_unit_test(test_words_like_documents),
		cmocka_unit_test(test_fields),     cmocka_unit_test(test_default_or),
		cmocka_unit_test(test_syntax_errors), cmocka_unit_test(test_literal),
		cmocka_unit_test(test_empty),      cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_huge),       cmocka_unit_test(test_binary),
		cmocka_unit_test(test_field_prefix), cmocka_unit_test(test_term_flags),
		cmocka_unit_test(test_same_tokens_as_documents), cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
