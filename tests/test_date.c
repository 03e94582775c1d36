/* test_date.c - date strings and date lines to "YYYY-MM-DD". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "date.h"

struct case_ {
	const char *in;
	const char *want; /* NULL: not a date */
};

static void test_parse(void **state)
{
	(void)state;
	static const struct case_ cases[] = {
		/* ISO 8601 */
		{ "2021-09-15", "2021-09-15" },
		{ "  2021-09-15\n", "2021-09-15" },
		{ "2021-09-15T10:00:00Z", "2021-09-15" },
		{ "2021-09-15T23:30:00-05:00", "2021-09-15" },
		{ "2021-09-15T10:00:00.123+0200", "2021-09-15" },
		{ "2021-09-15T10:00", "2021-09-15" },
		{ "2021-09-15 10:00:00 +0000", "2021-09-15" },
		{ "2021-9-5", "2021-09-05" },
		{ "20210915", "2021-09-15" },
		{ "20210915T100000Z", "2021-09-15" },
		/* RFC 2822 */
		{ "Wed, 15 Sep 2021 10:00:00 +0000", "2021-09-15" },
		{ "Wed, 15 Sep 2021 10:00:00 +0000 (UTC)", "2021-09-15" },
		{ "Wed, 5 Sep 2021 10:00 GMT", "2021-09-05" },
		{ "15 Sep 2021 10:00:00 -0700", "2021-09-15" },
		/* Words */
		{ "September 15, 2021", "2021-09-15" },
		{ "Sept. 15, 2021", "2021-09-15" },
		{ "Sep. 15, 2021", "2021-09-15" },
		{ "Sep 15 2021", "2021-09-15" },
		{ "sep 15 2021", "2021-09-15" },
		{ "September 15th, 2021", "2021-09-15" },
		{ "March 1st 2020", "2020-03-01" },
		{ "Wednesday, September 15, 2021", "2021-09-15" },
		{ "September 15, 2021 10:30 AM", "2021-09-15" },
		{ "September 15, 2021 at 10:30 p.m. EDT", "2021-09-15" },
		{ "15 Sep 2021", "2021-09-15" },
		{ "15 September 2021", "2021-09-15" },
		{ "15th September, 2021", "2021-09-15" },
		{ "Wednesday 15 September 2021", "2021-09-15" },
		/* Numbers with separators */
		{ "2021/09/15", "2021-09-15" },
		{ "15.09.2021", "2021-09-15" },
		{ "1.2.2021", "2021-02-01" },
		/* Validation */
		{ "2021-02-29", NULL },
		{ "2020-02-29", "2020-02-29" },
		{ "1900-02-29", NULL },
		{ "2000-02-29", "2000-02-29" },
		{ "2021-13-01", NULL },
		{ "2021-00-10", NULL },
		{ "2021-04-31", NULL },
		{ "2021-04-00", NULL },
		{ "0999-01-01", NULL },
		{ "3000-01-01", NULL },
		{ "2999-12-31", "2999-12-31" },
		{ "31.04.2021", NULL },
		{ "September 31, 2021", NULL },
		{ "2021-09-15T25:00:00Z", NULL },
		{ "2021-09-15T10:60", NULL },
		{ "September 15, 2021 13:00 pm", NULL },
		{ "20211315", NULL },
		/* Not wholly a date */
		{ "", NULL },
		{ "   ", NULL },
		{ "2021", NULL },
		{ "2021-09", NULL },
		{ "15 Sep 21", NULL },
		{ "09/15/2021", NULL },   /* US or European? ambiguous: no */
		{ "September 2021", NULL },
		{ "September 15", NULL },
		{ "2021-09-15 and more", NULL },
		{ "On September 15, 2021 the army left", NULL },
		{ "Mayday 15 2021", NULL },
		{ "2021-09-15T", NULL },
		{ "2021-09-15 10:00 +05", "2021-09-15" },
		{ "2021-09-15 10:00 +053", NULL },
		{ "Sept 15, 2021x", NULL },
		{ "123456789", NULL },
		{ "Friday", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[11] = "";
		int rc = date_parse(cases[i].in, strlen(cases[i].in), out);
		if (cases[i].want == NULL && rc == 0)
			fail_msg("\"%s\": parsed as %s, want no date", cases[i].in, out);
		if (cases[i].want && (rc != 0 || strcmp(out, cases[i].want) != 0))
			fail_msg("\"%s\": got %s (rc %d), want %s", cases[i].in, rc ? "-" : out, rc,
				 cases[i].want);
	}
}

/* The length decides, not a NUL: "2021-09-15" inside a longer buffer. */
static void test_parse_len(void **state)
{
	(void)state;
	char out[11];
	assert_int_equal(date_parse("2021-09-15 trailing", 10, out), 0);
	assert_string_equal(out, "2021-09-15");
	assert_int_equal(date_parse("2021-09-15", 8, out), -1);
}

struct find_case {
	const char *text;
	unsigned max_lines;
	const char *want;
};

static void test_find_in_text(void **state)
{
	(void)state;
	static const struct find_case cases[] = {
		{ "Title\n\nSeptember 15, 2021\n\nBody text.", 5, "2021-09-15" },
		{ "Title\n\n*September 15, 2021*\n\nBody.", 5, "2021-09-15" },
		{ "Title\nPublished: 2021-09-15\nBody.", 5, "2021-09-15" },
		{ "Title\nPublished on September 15, 2021\n", 5, "2021-09-15" },
		{ "Title\nPublished September 15, 2021\n", 5, "2021-09-15" },
		{ "Title\nUpdated Sept. 16, 2021, 10:00 AM ET\n", 5, "2021-09-16" },
		{ "Title\nLast updated: 16 September 2021\n", 5, "2021-09-16" },
		{ "Title\nDate: Wed, 15 Sep 2021 10:00:00 +0000\n", 5, "2021-09-15" },
		{ "Title\nPosted on 15.09.2021\n", 5, "2021-09-15" },
		{ "Title\nWednesday, September 15, 2021\n", 5, "2021-09-15" },
		{ "Title\nBy Jane Doe | September 15, 2021\n", 5, "2021-09-15" },
		{ "Title\nBy AFP - Sep 15 2021\n", 5, "2021-09-15" },
		{ "Title\nBy Jane Doe \xC2\xB7 Published 2021-09-15\n", 5, "2021-09-15" },
		{ "Title\nSeptember 15, 2021 \xE2\x80\x94 By Jane Doe\n", 5, "2021-09-15" },
		{ "\n\n\n\nTitle\n\n\n\nSeptember 15, 2021", 2, "2021-09-15" }, /* blank lines free */
		/* Too far down, or not a date line */
		{ "a\nb\nc\nSeptember 15, 2021", 3, NULL },
		{ "Title\nThe army left on September 15, 2021.\n", 5, NULL },
		{ "Title\nDate 15 Sep 2021\n", 5, NULL },
		{ "Title\nJane Doe | September 15, 2021\n", 5, NULL }, /* no "By": not a byline */
		{ "Title\n20210915\n", 5, NULL },                       /* a number, maybe an id */
		{ "Title\nPublishedSeptember 15, 2021\n", 5, NULL },
		{ "", 5, NULL },
		{ "September 15, 2021", 0, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[11] = "";
		const struct find_case *c = &cases[i];
		int rc = date_find_in_text(c->text, strlen(c->text), c->max_lines, out);
		if (c->want == NULL && rc == 0)
			fail_msg("case %zu: found %s, want none", i, out);
		if (c->want && (rc != 0 || strcmp(out, c->want) != 0))
			fail_msg("case %zu: got %s, want %s", i, rc ? "-" : out, c->want);
	}
}

/* A 1 MB line without newline is skipped quickly and nothing breaks. */
static void test_find_long_line(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	static char big[(1 << 20) + 32];
	memset(big, 'x', n);
	memcpy(big + n, "\n2021-09-15\n", 12);
	char out[11];
	assert_int_equal(date_find_in_text(big, n + 12, 5, out), 0);
	assert_string_equal(out, "2021-09-15");
	assert_int_equal(date_parse(big, n, out), -1);
}

static void test_from_time(void **state)
{
	(void)state;
	struct { time_t t; const char *want; } cases[] = {
		{ 0, "1970-01-01" },
		{ 1631700000, "2021-09-15" },
		{ 951782400, "2000-02-29" },
		{ 1631750399, "2021-09-15" }, /* 23:59:59 UTC */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[11];
		date_from_time(cases[i].t, out);
		assert_string_equal(out, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_len),
		cmocka_unit_test(test_find_in_text),
		cmocka_unit_test(test_find_long_line),
		cmocka_unit_test(test_from_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
