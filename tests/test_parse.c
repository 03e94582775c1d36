/* test_parse.c - format detection (extension, then sniffing) and the
 * dispatcher's own outcomes: not a document, empty, binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/doclist.h"
#include "parse.h"

struct detect_case {
	const char *path;
	const char *data;
	fmt_t want;
};

static void test_detect(void **state)
{
	(void)state;
	static const struct detect_case cases[] = {
		/* by extension, whatever the content */
		{ "a.txt", "# looks like markdown", FMT_TEXT },
		{ "dir/A.TEXT", "", FMT_TEXT },
		{ "a.md", "plain", FMT_MARKDOWN },
		{ "a.markdown", "", FMT_MARKDOWN },
		{ "a.mdown", "", FMT_MARKDOWN },
		{ "a.mkd", "", FMT_MARKDOWN },
		{ "a.html", "", FMT_HTML },
		{ "A.HTM", "", FMT_HTML },
		{ "a.xhtml", "", FMT_HTML },
		{ "a.eml", "", FMT_EMAIL },
		{ "a.email", "", FMT_EMAIL },
		{ "a.msg", "", FMT_EMAIL },
		{ "a.mbox", "", FMT_MBOX },
		{ "a.jsonl", "", FMT_JSONL },
		{ "a.ndjson", "", FMT_JSONL },
		{ "a.json", "", FMT_JSONL },
		{ "a.md.gz", "", FMT_MARKDOWN },
		{ "a.jsonl.GZ", "", FMT_JSONL },
		{ "x/a.html.gzip", "", FMT_HTML },
		/* not documents: the caller decides */
		{ "a.png", "", FMT_UNKNOWN },
		{ "photo.JPG", "", FMT_UNKNOWN },
		{ "lib.so", "", FMT_UNKNOWN },
		{ "main.c", "# define", FMT_UNKNOWN },
		{ "a.pdf.gz", "", FMT_UNKNOWN },
		/* sniffed: no extension, unknown extension, stdin */
		{ "README", "Hello there.\n", FMT_TEXT },
		{ "dir.d/notes", "Hello.\n", FMT_TEXT },
		{ "a.gz", "hello", FMT_TEXT },
		{ "a.log", "2021-09-15 started\n", FMT_TEXT },
		{ "-", "From jane@example.com Wed Sep 15 10:00:00 2021\nFrom: Jane <j@e.com>\n\nHi",
		  FMT_MBOX },
		{ "mail", "From: Jane <j@e.com>\nTo: x@y.org\nSubject: Hello\n\nBody", FMT_EMAIL },
		{ "mail", "Received: from a\n\tby b; Wed, 15 Sep 2021\nMessage-ID: <a@b>\n\nBody",
		  FMT_EMAIL },
		{ "mail", "\xEF\xBB\xBF" "Subject: s\r\nFrom: f@g\r\n\r\nBody", FMT_EMAIL },
		{ "note", "Subject: only one header\n\nbody", FMT_TEXT },
		{ "note", "Title: Pelican\nDate: 2021-09-15\n\nBody", FMT_TEXT },
		{ "note", "From here on, we walk.\nFrom: nowhere\n", FMT_TEXT },
		{ "page", "<!DOCTYPE html><html><body>x</body></html>", FMT_HTML },
		{ "page", "\n  <html lang=en>", FMT_HTML },
		{ "page", "<!-- saved -->\n<HTML>", FMT_HTML },
		{ "page", "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"x\">", FMT_HTML },
		{ "page", "<htmlish>", FMT_TEXT },
		{ "page", "text then <html>", FMT_TEXT },
		{ "data", "{\"a\": 1}\n\n{\"b\": [2]}\n", FMT_JSONL },
		{ "data", "{\"a\": 1}\nnot json\n", FMT_TEXT },
		{ "data", "{\n  \"a\": 1\n}\n", FMT_TEXT },
		{ "data", "{not: json}\n", FMT_TEXT },
		{ "doc", "---\ntitle: x\n---\nBody", FMT_MARKDOWN },
		{ "doc", "\n\n# Heading\n\nBody", FMT_MARKDOWN },
		{ "doc", "Heading\n=======\n\nBody", FMT_MARKDOWN },
		{ "doc", "\xEF\xBB\xBF# Heading", FMT_MARKDOWN },
		{ "doc", "#hashtag\n", FMT_TEXT },
		{ "doc", "# \n", FMT_TEXT },
		{ "doc", "---\nno closing line\n", FMT_TEXT },
		{ "doc", "", FMT_TEXT },
		{ "doc", "\n\n\n", FMT_TEXT },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct detect_case *c = &cases[i];
		fmt_t got = parse_detect(c->path, c->data, strlen(c->data));
		if (got != c->want)
			fail_msg("%s / \"%.20s\": %s, want %s", c->path, c->data, parse_format_name(got),
				 parse_format_name(c->want));
	}
	assert_int_equal(parse_detect(NULL, "# T\n", 4), FMT_MARKDOWN);
	assert_int_equal(parse_detect("x", NULL, 0), FMT_TEXT);
}

static void test_names(void **state)
{
	(void)state;
	for (fmt_t f = FMT_TEXT; f <= FMT_JSONL; f++)
		assert_int_equal(parse_format_from_name(parse_format_name(f)), f);
	struct { const char *name; fmt_t want; } cases[] = {
		{ "text", FMT_TEXT }, { "Markdown", FMT_MARKDOWN }, { "md", FMT_MARKDOWN },
		{ "html", FMT_HTML }, { "eml", FMT_EMAIL }, { "mbox", FMT_MBOX },
		{ "json", FMT_JSONL }, { "JSONL", FMT_JSONL }, { "pdf", FMT_UNKNOWN },
		{ "", FMT_UNKNOWN }, { NULL, FMT_UNKNOWN }, { "unknown", FMT_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_int_equal(parse_format_from_name(cases[i].name), cases[i].want);
	assert_string_equal(parse_format_name(FMT_MARKDOWN), "markdown");
	assert_string_equal(parse_format_name((fmt_t)99), "unknown");
}

#define B(s) s, sizeof(s) - 1

struct doc_case {
	const char *path;
	const char *data;
	size_t len;
	fmt_t format;              /* forced, or FMT_UNKNOWN */
	parse_result_t want_rc;
	const char *want;          /* reason when not OK, else the format of the documents */
	size_t want_docs;
};

static void test_document(void **state)
{
	(void)state;
	static const struct doc_case cases[] = {
		{ "a.png", B("\x89PNG\r\n\x1A\n\0\0"), FMT_UNKNOWN, PARSE_NOT_DOC,
		  "not a document (.png)", 0 },
		{ "src/main.c", B("int main(void) { return 0; }\n"), FMT_UNKNOWN, PARSE_NOT_DOC,
		  "not a document (.c)", 0 },
		{ "a.PDF.gz", B("%PDF-1.4"), FMT_UNKNOWN, PARSE_NOT_DOC, "not a document (.pdf)", 0 },
		{ "a.png", B("forced to text"), FMT_TEXT, PARSE_OK, "text", 1 },
		{ "a.txt", "", 0, FMT_UNKNOWN, PARSE_EMPTY, "empty", 0 },
		{ "a.md", B(" \n\t\r\n"), FMT_UNKNOWN, PARSE_EMPTY, "empty", 0 },
		{ "a.txt", B("\xEF\xBB\xBF\n"), FMT_UNKNOWN, PARSE_EMPTY, "empty", 0 },
		{ "a.jsonl", "", 0, FMT_JSONL, PARSE_EMPTY, "empty", 0 },
		{ "a.txt", B("ab\0cd\0ef"), FMT_UNKNOWN, PARSE_BINARY, "binary", 0 },
		{ "blob", B("\x7F" "ELF\x02\x01\x01\0\0\0\0"), FMT_UNKNOWN, PARSE_BINARY, "binary", 0 },
		{ "a.txt", B("Title\n\nBody.\n"), FMT_UNKNOWN, PARSE_OK, "text", 1 },
		{ "a.txt.gz", B("Body.\n"), FMT_UNKNOWN, PARSE_OK, "text", 1 },
		{ "a.md", B("# Title\n\nBody.\n"), FMT_UNKNOWN, PARSE_OK, "markdown", 1 },
		{ "notes", B("# Title\n\nBody.\n"), FMT_UNKNOWN, PARSE_OK, "markdown", 1 },
		{ "-", B("Just text from stdin.\n"), FMT_UNKNOWN, PARSE_OK, "text", 1 },
		{ NULL, B("No path at all.\n"), FMT_UNKNOWN, PARSE_OK, "text", 1 },
		{ "a.jsonl", B("{\"text\": \"a\"}\n{\"text\": \"b\"}\n"), FMT_UNKNOWN, PARSE_OK,
		  "jsonl", 2 },
		{ "dump", B("{\"text\": \"a\"}\n{\"text\": \"b\"}\n"), FMT_UNKNOWN, PARSE_OK, "jsonl", 2 },
		{ "a.txt", B("{\"text\": \"a\"}\n"), FMT_UNKNOWN, PARSE_OK, "text", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct doc_case *c = &cases[i];
		dl_list_t l = { 0 };
		parse_input_t in = { .path = c->path, .data = c->data, .len = c->len,
				     .format = c->format, .warn = dl_warn, .ctx = &l };
		const char *reason = NULL;
		parse_result_t rc = parse_document(&in, dl_emit, &reason);
		if (rc != c->want_rc)
			fail_msg("case %zu (%s): result %d (%s), want %d", i, c->path ? c->path : "-",
				 rc, reason ? reason : "", c->want_rc);
		if (rc == PARSE_OK) {
			assert_int_equal(l.n, c->want_docs);
			for (size_t k = 0; k < l.n; k++)
				assert_string_equal(l.docs[k].format, c->want);
		} else {
			assert_int_equal(l.n, 0);
			if (!reason || strcmp(reason, c->want) != 0)
				fail_msg("case %zu: reason \"%s\", want \"%s\"", i,
					 reason ? reason : "(null)", c->want);
		}
		dl_free(&l);
	}
	/* reason is optional */
	parse_input_t in = { .path = "a.png", .data = "x", .len = 1 };
	assert_int_equal(parse_document(&in, dl_emit, NULL), PARSE_NOT_DOC);
}

/* Hostile bytes through the dispatcher, each format forced and detected:
 * random bytes, a 1 MB line, NULs past the binary sniff. Whatever the
 * result, no crash, no leak (SANITIZE=1), valid UTF-8 out (dl_emit checks). */
static void test_hostile(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *s = malloc(n);
	assert_non_null(s);
	unsigned seed = 7;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 16 & 0xFF;
		s[i] = (char)(i < 9000 ? (r < 0x20 ? 'a' + r % 26 : r) : r);
	}
	static const char *const paths[] = { "h.txt", "h.md", "h.jsonl", "h" };
	static const fmt_t forced[] = { FMT_TEXT, FMT_MARKDOWN, FMT_JSONL, FMT_UNKNOWN };
	for (size_t p = 0; p < 4; p++) {
		dl_list_t l = { 0 };
		parse_input_t in = { .path = paths[p], .data = s, .len = n, .format = forced[p],
				     .warn = dl_warn, .ctx = &l };
		parse_result_t rc = parse_document(&in, dl_emit, NULL);
		assert_true(rc == PARSE_OK || rc == PARSE_FAILED || rc == PARSE_EMPTY);
		dl_free(&l);
	}
	free(s);
}

/* The dispatcher reaches the real markup parsers: an HTML page and a mail
 * come out with the fields only those parsers pull out. */
static void test_markup_dispatch(void **state)
{
	(void)state;
	static const char page[] = "<html><head><title>T</title></head><body>x</body></html>";
	static const char mail[] = "From: a@b.c\nSubject: Hello there\n\nBody text.\n";
	const struct { const char *path, *data, *title; } cases[] = {
		{ "a.html", page, "T" },
		{ "m.eml", mail, "Hello there" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		dl_list_t l = { 0 };
		const char *reason = NULL;
		parse_input_t in = { .path = cases[i].path, .data = cases[i].data,
				     .len = strlen(cases[i].data), .ctx = &l };
		assert_int_equal(parse_document(&in, dl_emit, &reason), PARSE_OK);
		assert_int_equal(l.n, 1);
		assert_string_equal(l.docs[0].title, cases[i].title);
		dl_free(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_markup_dispatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
