/* test_parse_jsonl.c - JSON lines: one document per line, warnings for the
 * broken ones, field names that can be remapped. */
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

/* What one emitted document should look like; NULL fields: absent. */
struct want_doc {
	const char *subkey, *id, *title, *text, *author, *date, *url, *tags;
	unsigned line;
};

struct jl_case {
	const char *name;
	const char *in;
	const parse_jsonl_map_t *map;
	parse_result_t want_rc;
	struct want_doc docs[4];
	const char *warnings[4]; /* "<line>: <reason>" prefixes, in order */
};

static const parse_jsonl_map_t custom_map = {
	.id = "doc_id", .title = "headline", .text = "content", .author = "byline",
	.date = "published", .url = "link",
};

static const struct jl_case cases[] = {
	{ "fields, ids, line numbers",
	  "{\"id\": \"a1\", \"title\": \"First\", \"text\": \"Body one.\", \"author\": \"Jane\", "
	  "\"date\": \"2021-09-15T10:00:00Z\", \"url\": \"https://e.com/1\", \"tags\": [\"x\", \"y\"]}\n"
	  "\n"
	  "{\"_id\": 42, \"body\": \"Body two.\", \"date\": \"not a date\"}\n"
	  "{\"title\": \"Only a title\"}\n",
	  NULL, PARSE_OK,
	  { { "a1", "a1", "First", "Body one.", "Jane", "2021-09-15", "https://e.com/1", "x,y", 1 },
	    { "42", "42", NULL, "Body two.", NULL, NULL, NULL, NULL, 3 },
	    { "L4", NULL, "Only a title", "", NULL, NULL, NULL, NULL, 4 } },
	  { NULL } },
	{ "broken lines warn and the run goes on",
	  "{\"text\": \"good 1\"}\n"
	  "{\"text\": \"broken\"\n"
	  "[1, 2, 3]\n"
	  "{\"id\": \"x\"}\n"
	  "not json at all\n"
	  "{\"text\": \"good 2\"}\r\n",
	  NULL, PARSE_OK,
	  { { "L1", NULL, NULL, "good 1", NULL, NULL, NULL, NULL, 1 },
	    { "L6", NULL, NULL, "good 2", NULL, NULL, NULL, NULL, 6 } },
	  { "2: invalid JSON: ", "3: not a JSON object", "4: no text or title",
	    "5: invalid JSON: " } },
	{ "custom field names",
	  "{\"doc_id\": 7, \"headline\": \"H\", \"content\": \"C\", \"byline\": \"B\", "
	  "\"published\": \"Sep 15 2021\", \"link\": \"https://l\", \"text\": \"ignored\", "
	  "\"id\": \"ignored\"}\n",
	  &custom_map, PARSE_OK,
	  { { "7", "7", "H", "C", "B", "2021-09-15", "https://l", NULL, 1 } }, { NULL } },
	{ "arrays, objects, epoch dates, controls",
	  "{\"text\": [\"Para 1\", \"Para 2\"], \"author\": [{\"name\": \"A\"}, \"B\"], "
	  "\"date\": 1631700000, \"tags\": \"p, q\", \"title\": \"T\\u0001\\u0000x\"}\n"
	  "{\"text\": \"ms\", \"date\": 1631700000000}\n",
	  NULL, PARSE_OK,
	  { { "L1", NULL, "T  x", "Para 1\n\nPara 2", "A, B", "2021-09-15", NULL, "p,q", 1 },
	    { "L2", NULL, NULL, "ms", NULL, "2021-09-15", NULL, NULL, 2 } },
	  { NULL } },
	{ "latin-1 line converted", "{\"text\": \"caf\xE9\"}\n", NULL, PARSE_OK,
	  { { "L1", NULL, NULL, "caf\xC3\xA9", NULL, NULL, NULL, NULL, 1 } }, { NULL } },
	{ "whole-file array",
	  "[\n  {\"title\": \"one\", \"text\": \"1\"},\n  {\"id\": \"b\", \"text\": \"2\"},\n  3\n]\n",
	  NULL, PARSE_OK,
	  { { "E1", NULL, "one", "1", NULL, NULL, NULL, NULL, 1 },
	    { "b", "b", NULL, "2", NULL, NULL, NULL, NULL, 1 } },
	  { "1: not a JSON object" } },
	{ "pretty-printed object",
	  "{\n  \"title\": \"Pretty\",\n  \"text\": \"Printed.\"\n}\n", NULL, PARSE_OK,
	  { { "L1", NULL, "Pretty", "Printed.", NULL, NULL, NULL, NULL, 1 } }, { NULL } },
	{ "nothing usable", "{\"a\": 1}\n{bad\n", NULL, PARSE_FAILED, { { NULL } },
	  { "1: no text or title", "2: invalid JSON: " } },
	{ "broken array", "[{\"text\": \"x\"},\n", NULL, PARSE_FAILED, { { NULL } },
	  { "2: invalid JSON array" } },
	{ "blank", "\n  \n\t\n", NULL, PARSE_EMPTY, { { NULL } }, { NULL } },
};

static void check(const char *name, const char *what, const char *got, const char *want)
{
	if (want == NULL ? got != NULL : !got || strcmp(got, want) != 0)
		fail_msg("%s: %s \"%s\", want \"%s\"", name, what, got ? got : "(none)",
			 want ? want : "(none)");
}

static void test_jsonl(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct jl_case *c = &cases[i];
		dl_list_t l = { 0 };
		parse_input_t in = { .path = "a.jsonl", .data = c->in, .len = strlen(c->in),
				     .jsonl_map = c->map, .warn = dl_warn, .ctx = &l };
		const char *reason = NULL;
		parse_result_t rc = parse_jsonl(&in, dl_emit, &reason);
		if (rc != c->want_rc)
			fail_msg("%s: result %d (%s), want %d", c->name, rc, reason ? reason : "",
				 c->want_rc);
		if (rc != PARSE_OK)
			assert_non_null(reason);
		size_t want_n = 0;
		while (want_n < 4 && c->docs[want_n].subkey)
			want_n++;
		if (l.n != want_n)
			fail_msg("%s: %zu documents, want %zu", c->name, l.n, want_n);
		for (size_t k = 0; k < want_n; k++) {
			const struct want_doc *w = &c->docs[k];
			const dl_doc_t *d = &l.docs[k];
			assert_string_equal(d->format, "jsonl");
			check(c->name, "subkey", d->subkey, w->subkey);
			check(c->name, "id", d->id, w->id);
			check(c->name, "title", d->title, w->title);
			check(c->name, "text", d->text, w->text);
			check(c->name, "author", d->author, w->author);
			check(c->name, "date", d->date, w->date);
			check(c->name, "url", d->url, w->url);
			check(c->name, "tags", d->tags, w->tags);
			if (d->line != w->line)
				fail_msg("%s: line %u, want %u", c->name, d->line, w->line);
		}
		size_t want_w = 0;
		while (want_w < 4 && c->warnings[want_w])
			want_w++;
		if (l.nwarn != want_w)
			fail_msg("%s: %zu warnings, want %zu (first: %s)", c->name, l.nwarn, want_w,
				 l.nwarn ? l.warnings[0] : "-");
		for (size_t k = 0; k < want_w; k++)
			if (strncmp(l.warnings[k], c->warnings[k], strlen(c->warnings[k])) != 0)
				fail_msg("%s: warning \"%s\", want \"%s...\"", c->name, l.warnings[k],
					 c->warnings[k]);
		dl_free(&l);
	}
}

/* A warning callback is optional; stopping ends the run. */
static void test_no_warn_and_stop(void **state)
{
	(void)state;
	const char *s = "{bad\n{\"text\": \"a\"}\n{\"text\": \"b\"}\n";
	dl_list_t l = { .stop_after = 1 };
	parse_input_t in = { .path = "a.jsonl", .data = s, .len = strlen(s), .ctx = &l };
	assert_int_equal(parse_jsonl(&in, dl_emit, NULL), PARSE_STOPPED);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.docs[0].text, "a");
	dl_free(&l);
}

/* Hostile: a 1 MB text value, a 1 MB line of garbage, NULs, deep arrays. */
static void test_hostile(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *s = malloc(3 * n);
	assert_non_null(s);
	size_t k = 0;
	k += (size_t)sprintf(s + k, "{\"text\": \"");
	for (size_t i = 0; i < n; i++)
		s[k++] = (char)(i % 100 == 99 ? 0xE9 : 'a');
	k += (size_t)sprintf(s + k, "\"}\n");
	for (size_t i = 0; i < n; i++)
		s[k++] = (char)(i % 3 ? '[' : i % 5 ? '\0' : '{');
	s[k++] = '\n';
	k += (size_t)sprintf(s + k, "{\"text\": \"last\"}");
	dl_list_t l = { 0 };
	parse_input_t in = { .path = "h.jsonl", .data = s, .len = k, .warn = dl_warn, .ctx = &l };
	assert_int_equal(parse_jsonl(&in, dl_emit, NULL), PARSE_OK);
	assert_int_equal(l.n, 2);
	assert_true(l.docs[0].text_len > n);
	assert_int_equal(l.nwarn, 1);
	assert_int_equal(l.docs[1].line, 3);
	dl_free(&l);
	free(s);
}

/* Arrays nested 100 deep parse (and hold no text); 100000 deep is refused
 * by jansson with a warning, without exhausting the stack. */
static void test_deep(void **state)
{
	(void)state;
	size_t depths[] = { 100, 100000 };
	for (int d = 0; d < 2; d++) {
		size_t n = depths[d];
		char *s = malloc(2 * n + 64);
		assert_non_null(s);
		size_t k = (size_t)sprintf(s, "{\"title\": \"deep\", \"text\": ");
		memset(s + k, '[', n), k += n;
		memset(s + k, ']', n), k += n;
		k += (size_t)sprintf(s + k, "}");
		dl_list_t l = { 0 };
		parse_input_t in = { .path = "d.jsonl", .data = s, .len = k, .warn = dl_warn,
				     .ctx = &l };
		parse_result_t rc = parse_jsonl(&in, dl_emit, NULL);
		if (d == 0) {
			assert_int_equal(rc, PARSE_OK);
			assert_string_equal(l.docs[0].title, "deep");
			assert_string_equal(l.docs[0].text, "");
		} else {
			assert_int_equal(rc, PARSE_FAILED);
			assert_int_equal(l.nwarn, 1);
			assert_non_null(strstr(l.warnings[0], "invalid JSON"));
		}
		dl_free(&l);
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_no_warn_and_stop),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
