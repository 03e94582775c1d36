/* test_terms.c - what the indexer stores beside the terms: the restart
 * marks of a document's text. The tokenizer started at any mark, with the
 * mark's position, must give exactly the tokens the indexer gave from
 * there on; a highlighter that scans only around a query's positions
 * depends on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "record.h"
#include "terms.h"
#include "tokenize.h"
#include "xapian_c.h"

/* One token, as the callback saw it. */
typedef struct {
	char tok[TOK_MAX_LEN + 1];
	size_t start, end;
	unsigned pos;
	int flags;
} tok_t;

typedef struct {
	tok_t *v;
	size_t n, cap;
	size_t shift; /* added to the offsets: where the run started */
} toks_t;

static int keep(void *ctx, const char *tok, size_t len, size_t start, size_t end, unsigned pos,
		int flags)
{
	toks_t *t = ctx;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = realloc(t->v, t->cap * sizeof *t->v);
		assert_non_null(t->v);
	}
	tok_t *k = &t->v[t->n++];
	memcpy(k->tok, tok, len);
	k->tok[len] = '\0';
	k->start = start + t->shift;
	k->end = end + t->shift;
	k->pos = pos;
	k->flags = flags;
	return 0;
}

/* The text repeated until it is at least N bytes long. */
static char *repeat(const char *piece, size_t n)
{
	size_t pl = strlen(piece), len = 0;
	char *t = malloc(n + pl + 1);
	assert_non_null(t);
	while (len < n) {
		memcpy(t + len, piece, pl);
		len += pl;
	}
	t[len] = '\0';
	return t;
}

/* Build the document for TEXT (and TITLE) and return its decoded marks. */
static record_mark_t *marks_of(const char *title, const char *text, size_t *n)
{
	terms_t *t = terms_new("english", NULL);
	assert_non_null(t);
	docbuf_t doc = DOCBUF_INIT;
	ldoc_t d = { .format = "text", .title = title, .text = text, .text_len = strlen(text),
		     .line = 1 };
	terms_file_t f = { .path = "/x/a.txt", .fallback_date = "2024-01-02",
			   .fallback_id = "a" };
	const char *why = NULL;
	assert_int_equal(terms_build(t, &d, &f, &doc, &why), 0);
	const char *data;
	size_t len;
	docbuf_get_data(&doc, &data, &len);
	assert_non_null(data);
	record_t r;
	buf_t store = BUF_INIT;
	assert_int_equal(record_decode(data, len, &r, &store), 0);
	record_mark_t *m = NULL;
	assert_int_equal(record_marks_decode(&r, r.text_len, &m, n), 0);
	buf_free(&store);
	docbuf_free(&doc);
	terms_free(t);
	return m;
}

static const struct {
	const char *name, *title, *piece;
	size_t len;
} texts[] = {
	{ "prose in paragraphs", NULL,
	  "The harbour cranes stood still. Dockers met at dawn.\n\n"
	  "A second paragraph, with \"quotes\" and numbers: 3.14, 1,000.\n", 9000 },
	{ "compounds and abbreviations at every turn", NULL,
	  "war-torn state-of-the-art x86_64 U.S. e.g. don't rock'n'roll ", 6000 },
	{ "URLs and mail addresses", NULL,
	  "see https://example.org/a/b?c=d, and www.lode.test; write to a.b@c.example\n", 7000 },
	{ "CJK runs between spaces", NULL, "東京都の天気 は 晴れ です。 한국어 텍스트 ", 5000 },
	{ "one long line", NULL, "word ", 4000 },
	{ "a title not in the text comes first", "Glacier report",
	  "ice melts in spring; the valley floods.\n", 3000 },
};

static void test_marks_restart_the_tokenizer(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		char *text = repeat(texts[i].piece, texts[i].len);
		size_t len = strlen(text), n = 0;
		record_mark_t *m = marks_of(texts[i].title, text, &n);
		print_message("%s: %zu marks\n", texts[i].name, n);
		/* the first at the start; then one at least every 512 bytes of
		 * a long text, never closer than that */
		assert_true(n >= len / 1024);
		assert_int_equal(m[0].off, 0);
		for (size_t k = 1; k < n; k++)
			assert_true(m[k].off >= m[k - 1].off + 512 && m[k].pos > m[k - 1].pos);
		toks_t all = {0};
		assert_int_equal(tok_run(text, len, m[0].pos, keep, &all, NULL), 0);
		for (size_t k = 0; k < n; k++) {
			toks_t part = { .shift = m[k].off };
			assert_int_equal(tok_run(text + m[k].off, len - m[k].off, m[k].pos, keep,
						 &part, NULL), 0);
			size_t first = 0;
			while (first < all.n && all.v[first].start < m[k].off)
				first++;
			assert_int_equal(part.n, all.n - first);
			for (size_t j = 0; j < part.n; j++) {
				const tok_t *a = &all.v[first + j], *b = &part.v[j];
				assert_string_equal(b->tok, a->tok);
				assert_true(b->start == a->start && b->end == a->end);
				assert_int_equal(b->pos, a->pos);
				assert_int_equal(b->flags, a->flags);
			}
			free(part.v);
		}
		free(all.v);
		free(m);
		free(text);
	}
}

/* A title the text does not begin with is indexed first: the text's
 * positions, and so its first mark, start after it. */
static void test_first_mark_after_the_title(void **state)
{
	(void)state;
	size_t n = 0;
	record_mark_t *m = marks_of("Three word title", "The text itself.", &n);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].off, 0);
	assert_int_equal(m[0].pos, 5); /* 1-3 the title, 4 the gap */
	free(m);
	m = marks_of("The text", "The text itself.", &n);
	assert_int_equal(m[0].pos, 1);
	free(m);
}

/* Records made before marks existed have none: a reader falls back. */
static void test_no_marks_decode_to_none(void **state)
{
	(void)state;
	record_t r = {0};
	record_mark_t *m = (record_mark_t *)&r;
	size_t n = 7;
	assert_int_equal(record_marks_decode(&r, 100, &m, &n), 0);
	assert_null(m);
	assert_int_equal(n, 0);
	/* damaged: an offset past the text, offsets not increasing */
	static const struct { const char *enc; size_t len; } bad[] = {
		{ "\x00\x01\x7f\x01", 4 },  /* 0 then 127: past a 100-byte text */
		{ "\x00\x01\x10\x01\x00\x01", 6 }, /* the third mark at the second's offset */
		{ "\x00\x01\x80", 3 },      /* a varint cut short */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		r.marks = bad[i].enc;
		r.marks_len = bad[i].len;
		assert_int_equal(record_marks_decode(&r, 100, &m, &n), -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks_restart_the_tokenizer),
		cmocka_unit_test(test_first_mark_after_the_title),
		cmocka_unit_test(test_no_marks_decode_to_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
