/* test_parse_text.c - plain text files: title, date, text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "helpers/doclist.h"
#include "parse.h"

#define B(s) s, sizeof(s) - 1

struct text_case {
	const char *name;
	const char *in;
	size_t len;
	parse_result_t want_rc;
	const char *title; /* NULL: no title */
	const char *date;  /* NULL: no date */
	const char *text;  /* the whole text expected, or NULL to skip */
};

static void test_text(void **state)
{
	(void)state;
	static const struct text_case cases[] = {
		{ "title, date, body",
		  B("Mercenaries leave Mali\n\nSeptember 15, 2021\n\nFrench forces have begun.\n"),
		  PARSE_OK, "Mercenaries leave Mali", "2021-09-15",
		  "Mercenaries leave Mali\n\nSeptember 15, 2021\n\nFrench forces have begun.\n" },
		{ "one line is its own title", B("Just one line"), PARSE_OK, "Just one line", NULL,
		  "Just one line" },
		{ "leading blank lines, CRLF", B("\r\n\r\n  Title here  \r\n\r\nBody.\r\n"), PARSE_OK,
		  "Title here", NULL, NULL },
		{ "underlined title", B("The Title\n=========\nBody starts here.\n"), PARSE_OK,
		  "The Title", NULL, NULL },
		{ "no blank after first line: no title",
		  B("This is a paragraph that goes on\nonto the next line.\n"), PARSE_OK, NULL, NULL,
		  NULL },
		{ "long first line: no title",
		  B("This first line is far too long to be any kind of title because it keeps going "
		    "and going well past one hundred and twenty characters.\n\nBody.\n"),
		  PARSE_OK, NULL, NULL, NULL },
		{ "sentence with period: no title",
		  B("The committee met on Tuesday and agreed on a new budget.\n\nMore.\n"), PARSE_OK,
		  NULL, NULL, NULL },
		{ "short line with period is a title", B("Chapter one.\n\nIt was dark.\n"), PARSE_OK,
		  "Chapter one.", NULL, NULL },
		{ "ends with comma: no title", B("Dear John,\n\nI write to you.\n"), PARSE_OK, NULL,
		  NULL, NULL },
		{ "punctuation only: no title", B("* * *\n\nText.\n"), PARSE_OK, NULL, NULL, NULL },
		{ "date first: not a title", B("September 15, 2021\n\nText.\n"), PARSE_OK, NULL,
		  "2021-09-15", NULL },
		{ "byline: not a title", B("By Jane Doe\n\nText.\n"), PARSE_OK, NULL, NULL, NULL },
		{ "title and byline with date",
		  B("Storm hits coast\n\nBy Jane Doe | Sep 15 2021\n\nText.\n"), PARSE_OK,
		  "Storm hits coast", "2021-09-15", NULL },
		{ "latin-1 text converted", B("Caf\xE9 society\n\nNa\xEFve art.\n"), PARSE_OK,
		  "Caf\xC3\xA9 society", NULL, "Caf\xC3\xA9 society\n\nNa\xC3\xAFve art.\n" },
		{ "utf-16 text converted", B("\xFF\xFET\0i\0t\0l\0e\0\n\0\n\0B\0o\0d\0y\0"), PARSE_OK,
		  "Title", NULL, "Title\n\nBody" },
		{ "control chars become spaces", B("Title\n\nA\x01" "B and then some more text.\n"),
		  PARSE_OK, "Title", NULL, "Title\n\nA B and then some more text.\n" },
		{ "empty", "", 0, PARSE_EMPTY, NULL, NULL, NULL },
		{ "blank", B(" \n\t\r\n  \n"), PARSE_EMPTY, NULL, NULL, NULL },
		{ "binary", B("ab\0cd\0ef"), PARSE_BINARY, NULL, NULL, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct text_case *c = &cases[i];
		dl_list_t l = { 0 };
		const char *reason = NULL;
		parse_result_t rc = dl_parse(parse_text, "a.txt", c->in, c->len, &l, &reason);
		if (rc != c->want_rc)
			fail_msg("%s: result %d (%s), want %d", c->name, rc, reason ? reason : "",
				 c->want_rc);
		if (rc != PARSE_OK) {
			assert_int_equal(l.n, 0);
			assert_non_null(reason);
			dl_free(&l);
			continue;
		}
		assert_int_equal(l.n, 1);
		dl_doc_t *d = &l.docs[0];
		assert_string_equal(d->format, "text");
		assert_int_equal(d->line, 1);
		if (c->title == NULL ? d->title && *d->title : !d->title || strcmp(d->title, c->title))
			fail_msg("%s: title \"%s\", want \"%s\"", c->name, d->title ? d->title : "(none)",
				 c->title ? c->title : "(none)");
		if (c->date == NULL ? d->date != NULL : !d->date || strcmp(d->date, c->date))
			fail_msg("%s: date %s, want %s", c->name, d->date ? d->date : "(none)",
				 c->date ? c->date : "(none)");
		if (c->text && strcmp(d->text, c->text) != 0)
			fail_msg("%s: text \"%s\"", c->name, d->text);
		assert_null(d->author);
		assert_null(d->subkey);
		dl_free(&l);
	}
}

static int stop_now(void *ctx, const ldoc_t *doc)
{
	(void)ctx, (void)doc;
	return 1;
}

static void test_stop(void **state)
{
	(void)state;
	parse_input_t in = { .path = "a.txt", .data = "hello", .len = 5 };
	const char *reason;
	assert_int_equal(parse_text(&in, stop_now, &reason), PARSE_STOPPED);
	assert_int_equal(parse_text(&in, stop_now, NULL), PARSE_STOPPED); /* reason optional */
}

/* Hostile input: invalid UTF-8 everywhere, a 1 MB line. */
static void test_hostile(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *big = malloc(n);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(i % 7 == 0 ? 0xC3 : i % 11 == 0 ? 0xFF : 'a' + i % 26);
	dl_list_t l = { 0 };
	const char *reason;
	assert_int_equal(dl_parse(parse_text, "big.txt", big, n, &l, &reason), PARSE_OK);
	assert_int_equal(l.n, 1);
	assert_null(l.docs[0].title); /* a 1 MB line is no title */
	assert_true(l.docs[0].text_len >= n);
	dl_free(&l);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
