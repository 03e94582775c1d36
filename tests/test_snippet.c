/* test_snippet.c - highlighted passages, with visible markers:
 * "[solar] power and [wind]", " ... " between passages, "... " / " ..."
 * where text was left out. */
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
#include "normalize.h"
#include "query.h"
#include "snip_match.h"
#include "snippet.h"
#include "stem.h"

static stemmer_t *stemmer;

static int setup(void **state)
{
	(void)state;
	char *err = NULL;
	stemmer = stemmer_new("english", &err);
	free(err);
	return stemmer ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	stemmer_destroy(stemmer);
	return 0;
}

/* Rarer words weigh more: "rare" and "zebra" stand for words few documents have. */
static double weight(void *ctx, const char *term, size_t len)
{
	(void)ctx;
	if ((len == 4 && !memcmp(term, "rare", 4)) || (len == 5 && !memcmp(term, "zebra", 5)))
		return 5.0;
	return 1.0;
}

static snip_matcher_t *matcher(const char *q)
{
	qnode_t *n;
	const char *err;
	qp_result_t r = qry_parse(q, strlen(q), 0, &n, &err);
	if (r != QP_OK)
		fail_msg("query %s: %d %s", q, r, err ? err : "");
	snip_matcher_t *m = snip_matcher_new(n, stemmer, weight, NULL);
	qnode_free(n);
	assert_non_null(m);
	return m;
}

static int valid_utf8(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		int cp;
		size_t k = norm_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && k == 1)
			return 0;
		i += k;
	}
	return 1;
}

/* Every passage valid UTF-8, highlights sorted, inside, non-overlapping. */
static void check_result(const snip_result_t *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const snip_passage_t *p = &r->p[i];
		assert_int_equal(strlen(p->text), p->len);
		assert_true(valid_utf8(p->text, p->len));
		assert_true(p->line >= 1);
		for (size_t h = 0; h < p->nhl; h++) {
			assert_true(p->hl[h].start < p->hl[h].end);
			assert_true(p->hl[h].end <= p->len);
			if (h)
				assert_true(p->hl[h - 1].end <= p->hl[h].start);
			assert_true(valid_utf8(p->text + p->hl[h].start, p->hl[h].end - p->hl[h].start));
		}
	}
}

static char *snip(const char *q, const char *text, size_t len, unsigned maxp, unsigned plen)
{
	snip_matcher_t *m = matcher(q);
	snip_opts_t o = {maxp, plen};
	snip_result_t r;
	assert_int_equal(snip_build(m, text, len, &o, &r), 0);
	check_result(&r);
	char *s = snip_render_markers(&r);
	assert_non_null(s);
	snip_result_free(&r);
	snip_matcher_free(m);
	return s;
}

typedef struct {
	const char *q, *text;
	unsigned maxp, plen; /* 0: defaults (2, 200) */
	const char *want;
} scase_t;

static void check_table(const scase_t *t, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		char *got = snip(t[i].q, t[i].text, strlen(t[i].text), t[i].maxp, t[i].plen);
		if (strcmp(got, t[i].want)) {
			print_error("query %s\n text %s\n want %s\n got  %s\n", t[i].q, t[i].text,
				    t[i].want, got);
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

#define CHECK(table) check_table(table, sizeof table / sizeof *table)

static void test_terms_and_phrases(void **state)
{
	(void)state;
	static const scase_t t[] = {
		{"solar wind", "Solar power and wind.", 0, 0, "[Solar] power and [wind]."},
		/* a phrase only where all of it stands */
		{"\"solar power\"", "solar panels and solar power", 0, 0,
		 "solar panels and [solar power]"},
		{"\"solar power\"", "power solar, solar. Power", 0, 0, "power solar, [solar. Power]"},
		{"\"solar power\"", "solar panels, power lines", 0, 0, "solar panels, power lines"},
		/* a phrase and a term sharing a word: one highlight */
		{"\"solar power\" power", "solar power and power", 0, 0, "[solar power] and [power]"},
		{"\"solar power\" \"power plant\"", "a solar power plant", 0, 0,
		 "a [solar power plant]"},
		/* at the very start and end */
		{"alpha omega", "alpha is first and the last is omega", 0, 0,
		 "[alpha] is first and the last is [omega]"},
		{"x", "x", 0, 0, "[x]"},
		/* the excluded side is never highlighted */
		{"solar -wind", "solar and wind", 0, 0, "[solar] and wind"},
		{"solar NOT (wind OR rain)", "solar, wind, rain", 0, 0, "[solar], wind, rain"},
		{"solar OR wind", "wind and solar", 0, 0, "[wind] and [solar]"},
		/* filters and dates name nothing in the text */
		{"solar lang:en date:2021", "solar en 2021", 0, 0, "[solar] en 2021"},
		/* a word that splits: the whole compound, or the part asked for */
		{"war-torn", "a war-torn country", 0, 0, "a [war-torn] country"},
		{"wartorn", "a war-torn country", 0, 0, "a [war-torn] country"},
		{"torn", "a war-torn country", 0, 0, "a war-[torn] country"},
		{"Kremlin", "the Kremlin's view", 0, 0, "the [Kremlin's] view"},
		{"U.S.", "the U.S. army", 0, 0, "the [U.S]. army"},
		{"email", "send an e-mail or email", 0, 0, "send an [e-mail] or [email]"},
		{"solar*", "Solar and solaris, not sol or isolar", 0, 0,
		 "[Solar] and [solaris], not sol or isolar"},
		{"sol*", "Solstice soleil", 0, 0, "[Solstice] [soleil]"},
	};
	CHECK(t);
}

static void test_stems_and_folding(void **state)
{
	(void)state;
	static const scase_t t[] = {
		{"mercenary", "The mercenaries fought; a mercenary fled.", 0, 0,
		 "The [mercenaries] fought; a [mercenary] fled."},
		{"running", "He runs, ran and is running.", 0, 0, "He [runs], ran and is [running]."},
		{"cafe", "Caf\u00e9 au lait", 0, 0, "[Caf\u00e9] au lait"},
		{"caf\u00e9", "CAFE NOIR", 0, 0, "[CAFE] NOIR"},
		{"cafe", "Cafe\u0301 decomposed", 0, 0, "[Cafe\u0301] decomposed"},
		{"strasse", "Die Stra\u00dfe", 0, 0, "Die [Stra\u00dfe]"},
		{"finance", "\ufb01nance and \uff26\uff29\uff2e\uff21\uff2e\uff23\uff25", 0, 0,
		 "[\ufb01nance] and [\uff26\uff29\uff2e\uff21\uff2e\uff23\uff25]"},
		{"\xE6\x9D\xB1\xE4\xBA\xAC", /* 東京 */
		 "\xE7\xA7\x81\xE3\x81\xAF\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAB\xE4\xBD\x8F\xE3\x82\x80",
		 0, 0, "\xE7\xA7\x81\xE3\x81\xAF[\xE6\x9D\xB1\xE4\xBA\xAC]\xE3\x81\xAB\xE4\xBD\x8F\xE3\x82\x80"},
		/* 東 alone, not inside 東京's bigram only */
		{"\xE6\x9D\xB1", "\xE6\x9D\xB1\xE4\xBA\xAC", 0, 0, "[\xE6\x9D\xB1]\xE4\xBA\xAC"},
	};
	CHECK(t);
}

static void test_near(void **state)
{
	(void)state;
	static const scase_t t[] = {
		{"solar NEAR/2 wind", "solar and then wind", 0, 0, "[solar] and then [wind]"},
		{"solar NEAR/2 wind", "wind and then solar", 0, 0, "[wind] and then [solar]"},
		{"solar NEAR/2 wind", "solar a b c wind", 0, 0, "solar a b c wind"},
		/* only the occurrences inside a window */
		{"solar NEAR/2 wind", "wind a b c d e solar f wind", 0, 0,
		 "wind a b c d e [solar] f [wind]"},
		{"\"solar power\" NEAR/3 wind", "wind turbines and solar power plants", 0, 0,
		 "[wind] turbines and [solar power] plants"},
		{"\"solar power\" NEAR/1 wind", "wind turbines and solar power plants", 0, 0,
		 "wind turbines and solar power plants"},
		{"a NEAR/0 b NEAR/0 c", "a b c x x a b x x c", 0, 0, "[a] [b] [c] x x a b x x c"},
		{"a NEAR/1 b NEAR/1 c", "a x b c x x a b x x c", 0, 0, "[a] x [b] [c] x x a b x x c"},
		{"solar NEAR wind", "solar 1 2 3 4 5 6 7 8 9 10 wind", 0, 0,
		 "[solar] 1 2 3 4 5 6 7 8 9 10 [wind]"},
		{"solar NEAR wind", "solar 1 2 3 4 5 6 7 8 9 10 11 wind", 0, 0,
		 "solar 1 2 3 4 5 6 7 8 9 10 11 wind"},
		/* the plain term is everywhere, its NEAR twin only in the window */
		{"rain (solar NEAR/1 wind)", "solar x x wind rain", 0, 0, "solar x x wind [rain]"},
	};
	CHECK(t);
}

static void test_title_field(void **state)
{
	(void)state;
	static const scase_t t[] = {
		{"title:solar wind", "solar and wind", 0, 0, "solar and [wind]"},
		{"title:\"solar power\"", "solar power", 0, 0, "solar power"},
	};
	CHECK(t);
	static const struct {
		const char *q, *title, *want;
	} f[] = {
		{"title:solar wind", "Solar Wind", "[Solar] [Wind]"},
		{"title:solar", "  Solar   Wind\n", "[Solar] Wind"},
		{"solar", "Solar Wind", "[Solar] Wind"},
		{"author:solar", "Solar Wind", "Solar Wind"},
		{"title:\"solar wind\"", "The Solar Wind", "The [Solar Wind]"},
		{"x", "", ""},
	};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		snip_matcher_t *m = matcher(f[i].q);
		snip_result_t r;
		assert_int_equal(snip_highlight_field(m, QF_TITLE, f[i].title, strlen(f[i].title), &r),
				 0);
		assert_int_equal(r.n, 1);
		check_result(&r);
		char *s = snip_render_markers(&r);
		assert_string_equal(s, f[i].want);
		free(s);
		snip_result_free(&r);
		snip_matcher_free(m);
	}
}

static void test_passages(void **state)
{
	(void)state;
	static const char doc[] =
		"The first sentence is here. The second one has solar in it. A third, plain. "
		"Fourth without anything. The fifth speaks of wind! Sixth and last.";
	static const scase_t t[] = {
		/* in document order, with what was left out marked */
		{"wind solar", doc, 2, 30, "... The second one has [solar] in it. ... "
					   "The fifth speaks of [wind]! ..."},
		{"wind solar", doc, 1, 70, "... The second one has [solar] in it. A third, plain. "
					   "Fourth without anything. ..."},
		/* no match: the first sentences */
		{"zebra", doc, 2, 30, "The first sentence is here. ..."},
		{"lang:en", doc, 2, 30, "The first sentence is here. ..."},
		/* the rare word's sentence wins over the common one's */
		{"common rare", "A common thing. Again common stuff. This is rare. End common.", 1, 15,
		 "... This is [rare]. ..."},
		/* two different words beat one word thrice */
		{"solar wind", "Solar solar solar solar. Then solar and wind. End.", 1, 20,
		 "... Then [solar] and [wind]. End."},
		/* the second passage adds what the first did not show */
		{"solar wind",
		 "Solar is one. Solar is two. Solar and wind here. Wind is three. Solar again.", 2, 20,
		 "[Solar] is one. ... [Solar] and [wind] here. ..."},
		/* abbreviations and decimals do not end sentences */
		{"pi", "Mr. Smith says pi is 3.14 or so. e.g. about. Next one.", 1, 40,
		 "Mr. Smith says [pi] is 3.14 or so. e.g. about. ..."},
		/* whitespace collapsed; a passage stays inside its paragraph */
		{"power", "solar\n\n   power \t plant", 0, 0, "... [power] plant"},
		{"power", "solar\n   power \t plant", 0, 0, "solar [power] plant"},
		{"power", "Heading\nThe power plant runs on sun. It is big.", 1, 25,
		 "... The [power] plant runs on sun. ..."},
	};
	CHECK(t);
}

/* A passage never crosses a blank line: a title, byline and date block is
 * not joined to the article's first paragraph, nor one paragraph to the next. */
static void test_paragraphs(void **state)
{
	(void)state;
	static const char article[] =
		"Moby Dick\nBy Herman Melville\n2021-09-01\n\n"
		"The whale swam. It was white.\n\nThe captain watched the sea.";
	static const scase_t t[] = {
		{"whale", article, 2, 0, "... The [whale] swam. It was white. ..."},
		/* the passage starts at the sentence with the match */
		{"melville", article, 2, 0, "... By Herman [Melville] 2021-09-01 ..."},
		/* one passage per paragraph, even when both are short */
		{"whale captain", article, 2, 0,
		 "... The [whale] swam. It was white. ... The [captain] watched the sea."},
		{"solar wind", "It ends with solar.\n\nWind starts the second.", 2, 0,
		 "It ends with [solar]. ... [Wind] starts the second."},
		{"solar wind", "It ends with solar.\n\nWind starts the second.", 1, 0,
		 "It ends with [solar]. ..."},
		/* a line of spaces and tabs is blank; one newline is no break */
		{"wind", "Solar here.\n \t\r\nWind there.", 2, 0, "... [Wind] there."},
		{"wind", "Solar here, and a line long enough to go on.\nWind there.", 2, 0,
		 "Solar here, and a line long enough to go on. [Wind] there."},
		/* no match: the first paragraph's sentences only */
		{"zebra", "Heading\n\nBody one. Body two.", 2, 0, "Heading ..."},
		{"zebra", "\n\n \n  Body one. Body two.\n\nMore.", 2, 0, "Body one. Body two. ..."},
		/* a phrase across a blank line fits no passage: the first sentences */
		{"\"white whale\"", "It was white\n\nwhale is the word. Then more.", 2, 0,
		 "It was [white] ..."},
		/* many paragraphs, matches in two far apart ones */
		{"rare", "One.\n\nTwo rare.\n\nThree.\n\nFour.\n\nFive rare.\n\nSix.", 2, 0,
		 "... Two [rare]. ... Five [rare]. ..."},
	};
	CHECK(t);
}

/* A paragraph of 100 KB (a speech on one line) is cut into sentences only
 * around its matches: the passages are the ones a full cut gives. */
static void test_big_paragraph(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	for (int i = 0; i < 2000; i++) {
		if (i == 700)
			buf_adds(&b, "The tariff on wool was raised. ");
		if (i == 1500)
			buf_adds(&b, "Congress met (briefly) on the tariff. ");
		buf_printf(&b, "Filler sentence number %d is here. ", i);
	}
	buf_adds(&b, "The end.");
	assert_false(b.oom);
	static const struct {
		const char *q;
		unsigned maxp, plen;
		const char *want;
	} t[] = {
		{"tariff", 1, 40, "... The [tariff] on wool was raised. ..."},
		{"congress tariff", 2, 40, "... The [tariff] on wool was raised. ... "
					   "[Congress] met (briefly) on the [tariff]. ..."},
		{"wool", 1, 80, "... The tariff on [wool] was "
				"raised. Filler sentence number 700 is here. ..."},
		/* no match: the first sentences */
		{"zebra", 1, 40, "Filler sentence number 0 is here. ..."},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char *got = snip(t[i].q, b.p, b.len, t[i].maxp, t[i].plen);
		if (strcmp(got, t[i].want))
			fail_msg("query %s\n want %s\n got  %s", t[i].q, t[i].want, got);
		free(got);
	}
	buf_free(&b);
}

static void test_long_sentences(void **state)
{
	(void)state;
	static const scase_t t[] = {
		/* a long sentence is cut between words */
		{"target",
		 "one two three four five six seven eight nine ten eleven twelve target thirteen "
		 "fourteen fifteen sixteen seventeen eighteen nineteen twenty",
		 1, 20, "... twelve [target] thirteen ..."},
		/* CJK has no spaces: cut between characters, never inside one */
		{"\xE6\x9D\xB1",
		 "\xE4\xB8\x80\xE4\xBA\x8C\xE4\xB8\x89\xE5\x9B\x9B\xE4\xBA\x94\xE5\x85\xAD\xE4\xB8\x83"
		 "\xE5\x85\xAB\xE6\x9D\xB1\xE4\xB9\x9D\xE5\x8D\x81",
		 1, 4, "... \xE4\xB8\x83\xE5\x85\xAB[\xE6\x9D\xB1]\xE4\xB9\x9D ..."},
	};
	CHECK(t);
	/* every passage length over mixed multi-byte text: valid UTF-8 throughout */
	static const char text[] =
		"Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD "
		"\xF0\x9F\x98\x80 emoji. \u00c9t\u00e9 \u00e0 Z\u00fcrich, \xE6\x9D\xB1 again. "
		"\u0391\u03b8\u03ae\u03bd\u03b1 \u03ba\u03b1\u03b9 caf\u00e9.";
	for (unsigned plen = 1; plen < 40; plen++) {
		char *s = snip("caf\u00e9 \xE6\x9D\xB1", text, strlen(text), 3, plen);
		assert_true(valid_utf8(s, strlen(s)));
		assert_non_null(strstr(s, "[\xE6\x9D\xB1"));
		free(s);
	}
}

static void test_lines_and_flags(void **state)
{
	(void)state;
	static const char text[] =
		"a\nb\n\nfirst match here.\n\nsome other words.\n\nand another match.";
	snip_matcher_t *m = matcher("match");
	snip_opts_t o = {2, 18};
	snip_result_t r;
	assert_int_equal(snip_build(m, text, strlen(text), &o, &r), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.p[0].text, "first match here.");
	assert_int_equal(r.p[0].line, 4);
	assert_int_equal(r.p[0].cut_before, 1);
	assert_int_equal(r.p[0].cut_after, 1);
	assert_int_equal(r.p[0].nhl, 1);
	assert_int_equal(r.p[0].hl[0].start, 6);
	assert_int_equal(r.p[0].hl[0].end, 11);
	assert_string_equal(r.p[1].text, "and another match.");
	assert_int_equal(r.p[1].line, 8);
	assert_int_equal(r.p[1].cut_after, 0);
	snip_result_free(&r);

	/* nothing at all to show */
	assert_int_equal(snip_build(m, " \n\t ", 4, NULL, &r), 0);
	assert_int_equal(r.n, 0);
	snip_result_free(&r);
	snip_matcher_free(m);
}

/* Invalid bytes become U+FFFD in passages; offsets stay right around them. */
static void test_invalid_utf8(void **state)
{
	(void)state;
	static const char text[] = "caf\xe9 solar \xff\xfe power";
	char *s = snip("solar power", text, sizeof text - 1, 0, 0);
	assert_string_equal(s, "caf\xEF\xBF\xBD [solar] \xEF\xBF\xBD\xEF\xBF\xBD [power]");
	free(s);
}

static void test_scan_cap(void **state)
{
	(void)state;
	size_t len = SNIP_SCAN_CAP + 1000;
	char *text = malloc(len + 1);
	assert_non_null(text);
	for (size_t i = 0; i < len; i += 10)
		memcpy(text + i, "lorem ips ", 10 < len - i ? 10 : len - i);
	memcpy(text + 100, "alpha", 5);
	memcpy(text + len - 200, "omega", 5);
	text[len] = '\0';
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *s = snip("omega", text, len, 2, 40);
	/* beyond the cap: not found, the start shown instead */
	assert_null(strchr(s, '['));
	free(s);
	s = snip("alpha", text, len, 2, 40);
	assert_non_null(strstr(s, "[alpha]"));
	free(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (dt > 20)
		fail_msg("two 4 MB snippets took %.1f s", dt);
	free(text);
}

/* A text read on demand: how far it was read. */
typedef struct {
	const char *text;
	size_t most;   /* the largest WANT asked for */
	size_t fail_at; /* 0, or: fail beyond this many bytes */
} counting_src_t;

static int counting_fetch(void *ctx, size_t want, const char **text, size_t *avail)
{
	counting_src_t *c = ctx;
	if (want > c->most)
		c->most = want;
	*text = c->text;
	if (c->fail_at && want > c->fail_at) {
		*avail = c->fail_at;
		return -1;
	}
	*avail = want;
	return 0;
}

/* A long text is read only as far as the scan needs: the first
 * SNIP_SCAN_FIRST bytes when every word is there, more while one is missing. */
static void test_source_read_bounded(void **state)
{
	(void)state;
	size_t len = 3 * SNIP_SCAN_CAP / 2;
	char *text = malloc(len + 1);
	assert_non_null(text);
	for (size_t i = 0; i < len; i += 10)
		memcpy(text + i, "lorem ips ", 10 < len - i ? 10 : len - i);
	memcpy(text + 100, "alpha", 5);
	memcpy(text + 5 * SNIP_SCAN_FIRST, "omega", 5);
	text[len] = '\0';
	static const struct {
		const char *q;
		size_t fail_at;
		size_t most;     /* read at most this far */
		const char *has; /* in the passages */
	} t[] = {
		{"alpha", 0, SNIP_SCAN_FIRST + 1, "[alpha]"},
		/* omega is past the first prefix and the one 4 times longer */
		{"alpha omega", 0, 16 * SNIP_SCAN_FIRST + 1, "[omega]"},
		/* never found: read to the cap, not beyond */
		{"zebra", 0, SNIP_SCAN_CAP + 1, "lorem"},
		/* unreadable past 10 prefixes: passages from what was read, no
		 * asking again */
		{"alpha omega", 10 * SNIP_SCAN_FIRST, 16 * SNIP_SCAN_FIRST + 1, "[alpha]"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		counting_src_t c = {text, 0, t[i].fail_at};
		snip_source_t src = {counting_fetch, &c, len, NULL, 0};
		snip_matcher_t *m = matcher(t[i].q);
		snip_opts_t o = {2, 40};
		snip_result_t r;
		assert_int_equal(snip_build_source(m, &src, &o, &r), 0);
		check_result(&r);
		char *s = snip_render_markers(&r);
		if (c.most > t[i].most || !strstr(s, t[i].has))
			fail_msg("query %s: read %zu bytes (at most %zu), passages %s", t[i].q,
				 c.most, t[i].most, s);
		free(s);
		snip_result_free(&r);
		snip_matcher_free(m);
	}
	free(text);
}

/* With ranges (the parts of the text where the index has the query's
 * positions), only they are scanned, and the text is read a little past
 * the last one, not to its end. */
static void test_source_ranges(void **state)
{
	(void)state;
	char text[20000];
	size_t len = 0;
	static const char *para[] = {
		"The alpha report opens here. Nothing else of note.",
		"A filler paragraph about roads and schools.",
		"Here alpha and omega meet in one sentence. Then it ends.",
		"Another filler paragraph, about the library.",
	};
	size_t start[5];
	for (size_t k = 0; k < 4; k++) {
		start[k] = len;
		for (int rep = 0; rep < (k == 3 ? 300 : 1); rep++)
			len += (size_t)snprintf(text + len, sizeof text - len, "%s\n\n", para[k]);
	}
	start[4] = len;
	const char *whole = snip("alpha omega", text, len, 2, 60);
	static const struct {
		size_t from, to; /* paragraphs */
		unsigned pos;
		const char *want;
	} t[] = {
		/* all of it: as without ranges (compared below) */
		{0, 4, 1, NULL},
		/* the third paragraph only: its sentence, nothing from the first */
		{2, 3, 40, "... Here [alpha] and [omega] meet in one sentence. Then it ends. ..."},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		counting_src_t c = {text, 0, 0};
		snip_range_t r1 = {start[t[i].from], start[t[i].to], t[i].pos, 0, NULL, 0};
		snip_source_t src = {counting_fetch, &c, len, &r1, 1};
		snip_matcher_t *m = matcher("alpha omega");
		snip_opts_t o = {2, 60};
		snip_result_t r;
		assert_int_equal(snip_build_source(m, &src, &o, &r), 0);
		check_result(&r);
		char *got = snip_render_markers(&r);
		assert_string_equal(got, t[i].want ? t[i].want : whole);
		if (t[i].to < 4)
			assert_true(c.most <= start[t[i].to] + SNIP_TAIL);
		free(got);
		snip_result_free(&r);
		snip_matcher_free(m);
	}
	free((char *)whole);
}

/* A range's STOP (the index has no position of the query's words there or
 * later) ends its scan at the next word after white space: a word there is
 * not looked at, while a compound's joined form at an earlier position,
 * which comes after the compound's words, still is. A range's AT (where
 * the index has the matches) limits the words looked up to those places. */
static void test_source_stop(void **state)
{
	(void)state;
	static const unsigned at2[][2] = {{2, 2}}, at25[][2] = {{2, 2}, {5, 5}};
	static const struct {
		const char *q, *text;
		unsigned pos, stop;
		const unsigned (*at)[2];
		size_t nat;
		const char *want;
	} t[] = {
		{"alpha", "The alpha word. Then alpha here.", 1, 0, NULL, 0,
		 "The [alpha] word. Then [alpha] here."},
		{"alpha", "The alpha word. Then alpha here.", 1, 0, at2, 1,
		 "The [alpha] word. Then alpha here."},
		{"alpha", "The alpha word. Then alpha here.", 1, 0, at25, 2,
		 "The [alpha] word. Then [alpha] here."},
		{"alpha", "The alpha word. Then alpha here.", 1, 0, at25 + 1, 1,
		 "The alpha word. Then [alpha] here."},
		/* +wartorn@2 comes after torn@3, and is looked up */
		{"wartorn", "A war-torn land.", 1, 0, at2, 1, "A [war-torn] land."},
		{"alpha omega", "The alpha word. Then omega here.", 1, 0, NULL, 0,
		 "The [alpha] word. Then [omega] here."},
		/* alpha at 2: the scan ends at word, 3 */
		{"alpha omega", "The alpha word. Then omega here.", 1, 3, NULL, 0,
		 "The [alpha] word. Then omega here."},
		{"alpha omega", "The alpha word. Then omega here.", 1, 6, NULL, 0,
		 "The [alpha] word. Then [omega] here."},
		/* war@2 torn@3 +wartorn@2: torn is no place to end */
		{"wartorn", "A war-torn land.", 1, 3, NULL, 0, "A [war-torn] land."},
		{"wartorn land", "A war-torn land.", 1, 3, NULL, 0, "A [war-torn] land."},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		size_t len = strlen(t[i].text);
		counting_src_t c = {t[i].text, 0, 0};
		snip_range_t r1 = {0, len, t[i].pos, t[i].stop, t[i].at, t[i].nat};
		snip_source_t src = {counting_fetch, &c, len, &r1, 1};
		snip_matcher_t *m = matcher(t[i].q);
		snip_result_t r;
		assert_int_equal(snip_build_source(m, &src, NULL, &r), 0);
		check_result(&r);
		char *got = snip_render_markers(&r);
		if (strcmp(got, t[i].want))
			fail_msg("query %s stop %u\n want %s\n got  %s", t[i].q, t[i].stop,
				 t[i].want, got);
		free(got);
		snip_result_free(&r);
		snip_matcher_free(m);
	}
}

/* snip_find's occurrences are in text order (start, then end), however
 * the query's items are ordered: they are found item by item. */
static void test_find_order(void **state)
{
	(void)state;
	static const struct {
		const char *q, *text;
		const char *want; /* start-end of each occurrence */
	} t[] = {
		{"omega alpha", "alpha omega alpha omega", "0-5 6-11 12-17 18-23"},
		{"\"omega alpha\" alpha", "alpha omega alpha omega", "0-5 6-17 12-17"},
		{"c b a", "a b c a b c", "0-1 2-3 4-5 6-7 8-9 10-11"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		snip_matcher_t *m = matcher(t[i].q);
		snip_occs_t occ = {0};
		assert_int_equal(snip_find(m, QF_BODY, t[i].text, strlen(t[i].text), &occ), 0);
		char got[256] = "";
		for (size_t k = 0; k < occ.n; k++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%zu-%zu", k ? " " : "",
				 occ.v[k].start, occ.v[k].end);
		if (strcmp(got, t[i].want))
			fail_msg("query %s\n want %s\n got  %s", t[i].q, t[i].want, got);
		free(occ.v);
		snip_matcher_free(m);
	}
}

static void test_no_matcher_terms(void **state)
{
	(void)state;
	snip_result_t r;
	/* a matcher with nothing to highlight, and no matcher at all */
	snip_matcher_t *m = matcher("-solar");
	assert_int_equal(snip_build(m, "solar here. More.", 17, NULL, &r), 0);
	char *s = snip_render_markers(&r);
	assert_string_equal(s, "solar here. More.");
	free(s);
	snip_result_free(&r);
	snip_matcher_free(m);
	assert_int_equal(snip_build(NULL, "x. y.", 5, NULL, &r), 0);
	assert_int_equal(r.n, 1);
	snip_result_free(&r);
	snip_matcher_free(NULL);
	snip_result_free(NULL);
}

static char seen_terms[256];

static double record_weight(void *ctx, const char *term, size_t len)
{
	(void)ctx;
	size_t at = strlen(seen_terms);
	snprintf(seen_terms + at, sizeof seen_terms - at, "%s%.*s", at ? " " : "", (int)len, term);
	return 1.0;
}

/* The weight callback gets each query word's stem, as the index has it. */
static void test_weight_terms(void **state)
{
	(void)state;
	qnode_t *n;
	const char *q = "mercenaries \"solar power\" -wind lang:en 2021";
	assert_int_equal(qry_parse(q, strlen(q), 0, &n, NULL), QP_OK);
	seen_terms[0] = '\0';
	snip_matcher_t *m = snip_matcher_new(n, stemmer, record_weight, NULL);
	assert_non_null(m);
	assert_string_equal(seen_terms, "mercenari solar power 2021");
	snip_matcher_free(m);
	qnode_free(n);
}

/* +x with the default OR: both parts highlighted. */
static void test_and_maybe(void **state)
{
	(void)state;
	qnode_t *n;
	assert_int_equal(qry_parse("+solar wind", 11, QP_DEFAULT_OR, &n, NULL), QP_OK);
	assert_int_equal(n->type, Q_AND_MAYBE);
	snip_matcher_t *m = snip_matcher_new(n, stemmer, NULL, NULL);
	snip_result_t r;
	assert_int_equal(snip_build(m, "wind and solar", 14, NULL, &r), 0);
	char *s = snip_render_markers(&r);
	assert_string_equal(s, "[wind] and [solar]");
	free(s);
	snip_result_free(&r);
	snip_matcher_free(m);
	qnode_free(n);
}

/* Random texts, queries and sizes: the invariants of check_result hold. */
static void test_random(void **state)
{
	(void)state;
	static const char *const words[] = {
		"solar", "power", "wind", "caf\u00e9", "CAFE", "\xE6\x9D\xB1", "\xE4\xBA\xAC",
		"war-torn", "e-mail", "U.S.", "a", "the", ".", "!", "\n", "\n\n", "  ", "\t",
		"\xff", "\xF0\x9F\x98\x80", "3.14", "x\u0301", "\u3002", "\"", "(", ")",
	};
	static const char *const queries[] = {
		"solar", "\"solar power\"", "solar NEAR/1 wind", "caf*", "\xE6\x9D\xB1\xE4\xBA\xAC",
		"war-torn OR wind", "solar -power", "title:wind solar", "the a",
		"\"solar power\" NEAR/2 wind", "caf\u00e9 NEAR/0 \xE6\x9D\xB1",
	};
	uint32_t seed = 42;
	for (int round = 0; round < 400; round++) {
		buf_t b = BUF_INIT;
		seed = seed * 1103515245u + 12345u;
		size_t nw = (seed >> 16) % 120;
		for (size_t i = 0; i < nw; i++) {
			seed = seed * 1103515245u + 12345u;
			buf_adds(&b, words[(seed >> 16) % (sizeof words / sizeof *words)]);
			if ((seed >> 8) & 1)
				buf_addc(&b, ' ');
		}
		size_t len;
		char *text = buf_detach(&b, &len);
		seed = seed * 1103515245u + 12345u;
		const char *q = queries[(seed >> 16) % (sizeof queries / sizeof *queries)];
		unsigned maxp = 1 + (seed >> 4) % 4, plen = 1 + (seed >> 8) % 60;
		char *s = snip(q, text, len, maxp, plen);
		assert_true(valid_utf8(s, strlen(s)));
		free(s);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms_and_phrases), cmocka_unit_test(test_stems_and_folding),
		cmocka_unit_test(test_near),              cmocka_unit_test(test_title_field),
		cmocka_unit_test(test_passages),          cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_big_paragraph),     cmocka_unit_test(test_long_sentences),
		cmocka_unit_test(test_lines_and_flags),   cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_scan_cap),          cmocka_unit_test(test_no_matcher_terms),
		cmocka_unit_test(test_weight_terms),      cmocka_unit_test(test_and_maybe),
		cmocka_unit_test(test_random),            cmocka_unit_test(test_source_read_bounded),
		cmocka_unit_test(test_source_ranges),     cmocka_unit_test(test_source_stop),
		cmocka_unit_test(test_find_order),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
