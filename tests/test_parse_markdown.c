/* test_parse_markdown.c - Markdown: fields and the text a reader would see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/doclist.h"
#include "parse.h"

/* The scraped-article shape lode meets most. */
static const char article[] =
	"# Mercenaries leave Mali as junta turns to Russia\n"
	"\n"
	"By [AFP](https://www.afp.com)\n"
	"\n"
	"September 15, 2021\n"
	"\n"
	"![Soldiers in Bamako](img.jpg)\n"
	"Soldiers patrol in Bamako.\n"
	"\n"
	"French forces have begun withdrawing from northern Mali, while reports say\n"
	"the junta is close to a deal with Russian mercenaries of the Wagner group.\n"
	"\n"
	"**Related article:** [Wagner in Africa](https://example.com/wagner)\n"
	"\n"
	"Original url:\n"
	"<https://www.example.com/news/mali-mercenaries>\n";

struct md_case {
	const char *name;
	const char *in;
	parse_result_t want_rc;
	const char *title, *author, *date, *url, *tags, *lang; /* NULL: none */
	const char *has[5];    /* the text contains each */
	const char *hasnt[5];  /* and none of these */
	const char *text;      /* the exact text, when given */
};

static const struct md_case cases[] = {
	{ "scraped article", article, PARSE_OK,
	  "Mercenaries leave Mali as junta turns to Russia", "AFP", "2021-09-15",
	  "https://www.example.com/news/mali-mercenaries", NULL, NULL,
	  { "Soldiers in Bamako", "French forces have begun", "Related article: Wagner in Africa",
	    "Mercenaries leave Mali as junta turns to Russia", "By AFP" },
	  { "](", "https://www.afp.com", "Original url", "img.jpg", "example.com" }, NULL },
	{ "blocks one per line", "# Head\n\nPara one\ncontinues.\n\n- item a\n- item b\n\n"
	  "> quoted\n\n```\ncode line 1\ncode line 2\n```\n\nLast *emphasis* and `code`.\n",
	  PARSE_OK, "Head", NULL, NULL, NULL, NULL, NULL, { NULL }, { NULL },
	  "Head\n\nPara one continues.\n\nitem a\nitem b\n\nquoted\n\n"
	  "code line 1\ncode line 2\n\nLast emphasis and code." },
	{ "caption on its own line", "![A caption](x.png)\nThe text.\n", PARSE_OK,
	  NULL, NULL, NULL, NULL, NULL, NULL, { NULL }, { NULL }, "A caption\nThe text." },
	{ "html dropped, entities decoded",
	  "<div class=\"ad\">\nBuy now\n</div>\n\nFish &amp; chips &eacute;t&#233; &#x263A; "
	  "<span>inline</span> &bogus; &nbsp;end\n",
	  PARSE_OK, NULL, NULL, NULL, NULL, NULL, NULL,
	  { "Fish & chips \xC3\xA9t\xC3\xA9 \xE2\x98\xBA inline &bogus;  end" },
	  { "Buy now", "<span>", "class=" }, NULL },
	{ "table", "| a | b |\n|---|---|\n| 1 | 2 |\n", PARSE_OK, NULL, NULL, NULL, NULL, NULL,
	  NULL, { NULL }, { NULL }, "a | b\n1 | 2" },
	{ "front matter",
	  "---\ntitle: \"Front: a title\"\nauthor: Jane Doe\ndate: 2021-09-15T10:00:00Z\n"
	  "tags: [solar, \"wind power\", grid]\nurl: https://example.com/a\nlang: fr\n"
	  "extra: ignored\n---\n# Heading is not the title\n\nBy Someone Else\n\nBody.\n",
	  PARSE_OK, "Front: a title", "Jane Doe", "2021-09-15", "https://example.com/a",
	  "solar,wind power,grid", "fr", { "Heading is not the title", "Body." },
	  { "title:", "ignored", "---" }, NULL },
	{ "front matter lists and canonical url",
	  "---\ntitle: 'It''s here'\nauthors:\n  - Jane Doe\n  - John Roe\n"
	  "tags: energy, climate\nurl: https://example.com/x\n"
	  "canonical_url: https://example.com/canonical\ndate: 15 September 2021\n---\nText.\n",
	  PARSE_OK, "It's here", "Jane Doe, John Roe", "2021-09-15", "https://example.com/canonical",
	  "energy,climate", NULL, { "Text." }, { NULL }, "Text." },
	{ "front matter: author mapping, tag list, bad date",
	  "---\ntitle: T\nauthor:\n  name: Jane Doe\ntags:\n- a\n- b\ndate: someday\n---\nText.\n",
	  PARSE_OK, "T", "Jane Doe", NULL, NULL, "a,b", NULL, { "Text." }, { NULL }, NULL },
	{ "toml front matter", "+++\ntitle = \"Toml title\"\ndate = 2020-02-29\n"
	  "tags = [\"x\", \"y\"]\n+++\nBody.\n",
	  PARSE_OK, "Toml title", NULL, "2020-02-29", NULL, "x,y", NULL, { "Body." }, { "+++" },
	  NULL },
	{ "unclosed front matter is a rule", "---\ntitle: no end\n\nText here.\n", PARSE_OK,
	  NULL, NULL, NULL, NULL, NULL, NULL, { "title: no end", "Text here." }, { NULL }, NULL },
	{ "setext title, byline with two names and date",
	  "A setext title\n==============\n\n*By Jane Doe and John Roe | Sep 15 2021*\n\nText.\n",
	  PARSE_OK, "A setext title", "Jane Doe and John Roe", "2021-09-15", NULL, NULL, NULL,
	  { "Text." }, { NULL }, NULL },
	{ "prose starting with By is no byline",
	  "# T\n\nBy the time we left, the town was quiet.\n", PARSE_OK, "T", NULL, NULL, NULL,
	  NULL, NULL, { "By the time" }, { NULL }, NULL },
	{ "a title starting with By is no byline", "# By Design: a history\n\nBy Jane Doe\n\nText.\n",
	  PARSE_OK, "By Design: a history", "Jane Doe", NULL, NULL, NULL, NULL, { "Text." }, { NULL },
	  NULL },
	{ "original url on the same line",
	  "Text.\n\n**Original url:** [link](https://example.com/same)\n", PARSE_OK, NULL, NULL,
	  NULL, "https://example.com/same", NULL, NULL, { "Text." }, { "Original", "link" },
	  "Text." },
	{ "original url without address stays",
	  "Text.\n\nOriginal url: unknown\n", PARSE_OK, NULL, NULL, NULL, NULL, NULL, NULL,
	  { "Original url: unknown" }, { NULL }, NULL },
	{ "h2 is not the title", "## Section\n\nText.\n", PARSE_OK, NULL, NULL, NULL, NULL, NULL,
	  NULL, { "Section" }, { NULL }, NULL },
	{ "latin-1 bytes", "# Caf\xE9\n\nNa\xEFve.\n", PARSE_OK, "Caf\xC3\xA9", NULL, NULL, NULL,
	  NULL, NULL, { "Na\xC3\xAFve." }, { NULL }, NULL },
	{ "title only", "# Only a title\n", PARSE_OK, "Only a title", NULL, NULL, NULL, NULL,
	  NULL, { "Only a title" }, { NULL }, NULL },
	{ "html only is empty", "<!-- comment -->\n<div></div>\n", PARSE_EMPTY, NULL, NULL, NULL,
	  NULL, NULL, NULL, { NULL }, { NULL }, NULL },
	{ "front matter only", "---\ntags: a\n---\n", PARSE_EMPTY, NULL, NULL, NULL, NULL, NULL,
	  NULL, { NULL }, { NULL }, NULL },
	{ "empty", "", PARSE_EMPTY, NULL, NULL, NULL, NULL, NULL, NULL, { NULL }, { NULL }, NULL },
};

static void check_field(const char *name, const char *what, const char *got, const char *want)
{
	if (want == NULL ? got != NULL : !got || strcmp(got, want) != 0)
		fail_msg("%s: %s \"%s\", want \"%s\"", name, what, got ? got : "(none)",
			 want ? want : "(none)");
}

static void test_markdown(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct md_case *c = &cases[i];
		dl_list_t l = { 0 };
		const char *reason = NULL;
		parse_result_t rc = dl_parse(parse_markdown, "a.md", c->in, strlen(c->in), &l, &reason);
		if (rc != c->want_rc)
			fail_msg("%s: result %d (%s), want %d", c->name, rc, reason ? reason : "",
				 c->want_rc);
		if (rc != PARSE_OK) {
			assert_int_equal(l.n, 0);
			dl_free(&l);
			continue;
		}
		assert_int_equal(l.n, 1);
		dl_doc_t *d = &l.docs[0];
		assert_string_equal(d->format, "markdown");
		check_field(c->name, "title", d->title, c->title);
		check_field(c->name, "author", d->author, c->author);
		check_field(c->name, "date", d->date, c->date);
		check_field(c->name, "url", d->url, c->url);
		check_field(c->name, "tags", d->tags, c->tags);
		check_field(c->name, "lang", d->lang, c->lang);
		for (int k = 0; k < 5 && c->has[k]; k++)
			if (!dl_text_has(d, c->has[k]))
				fail_msg("%s: text lacks \"%s\":\n%s", c->name, c->has[k], d->text);
		for (int k = 0; k < 5 && c->hasnt[k]; k++)
			if (dl_text_has(d, c->hasnt[k]))
				fail_msg("%s: text has \"%s\":\n%s", c->name, c->hasnt[k], d->text);
		if (c->text && strcmp(d->text, c->text) != 0)
			fail_msg("%s: text\n[%s]\nwant\n[%s]", c->name, d->text, c->text);
		dl_free(&l);
	}
}

/* Hostile input: deep nesting, a 1 MB line, NUL bytes and invalid UTF-8, many
 * unclosed brackets and emphasis markers. It must end, in well under a second
 * each, with valid UTF-8 (checked by dl_emit) and no leak. */
static void test_hostile(void **state)
{
	(void)state;
	static const struct {
		const char *fill;
		size_t len;
	} fills[] = {
		{ "word \xC3 ", 1 << 20 }, /* a 1 MB line with invalid UTF-8 */
		{ ">", 1 << 18 }, { "[", 1 << 18 }, { "*", 1 << 18 }, { "- ", 1 << 18 },
		{ "![", 1 << 18 }, { "<a>", 1 << 18 }, { "`", 1 << 18 }, { "&#", 1 << 18 },
		{ "|", 1 << 18 }, { "[a](", 1 << 18 }, { "**a", 1 << 18 },
	};
	for (size_t f = 0; f < sizeof fills / sizeof *fills; f++) {
		size_t n = fills[f].len, k = strlen(fills[f].fill);
		char *s = malloc(n + 1);
		assert_non_null(s);
		for (size_t i = 0; i < n; i++)
			s[i] = fills[f].fill[i % k];
		if (f == 4) /* nested list items, one per line */
			for (size_t i = 0; i + 40 < n; i += 40)
				s[i] = '\n';
		for (size_t i = 10000; i < n; i += 4096) /* past the binary sniff */
			s[i] = '\0';
		s[n] = '\0';
		dl_list_t l = { 0 };
		const char *reason;
		parse_result_t rc = dl_parse(parse_markdown, "h.md", s, n, &l, &reason);
		if (rc != PARSE_OK && rc != PARSE_EMPTY)
			fail_msg("fill \"%s\": result %d", fills[f].fill, rc);
		if (f == 0) {
			assert_int_equal(l.n, 1);
			assert_true(l.docs[0].text_len >= n);
		}
		dl_free(&l);
		free(s);
	}
}

static void test_stop(void **state)
{
	(void)state;
	dl_list_t l = { .stop_after = 1 };
	assert_int_equal(dl_parse(parse_markdown, "a.md", article, strlen(article), &l, NULL),
			 PARSE_STOPPED);
	assert_int_equal(l.n, 1);
	dl_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
