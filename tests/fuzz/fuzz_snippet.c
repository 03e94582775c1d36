/* fuzz_snippet.c - the highlighter: the input's first line is a query
 * (qry_parse, falling back to QP_LITERAL as the search does), the rest the
 * text of a hit. snip_build() runs with the default options and with short
 * passages, snip_build_source() over parts of the text only (ranges),
 * snip_highlight_field() over the first line as a title. Every
 * passage is checked: highlights inside it, sorted and not overlapping, its
 * text NUL-terminated and, when the text was valid UTF-8, valid UTF-8.
 * Stemmer "english" (libxapian through stem.h). */
#include "fuzz_common.h"
#include "query.h"
#include "snippet.h"

/* Made once: the stemmer's cache outlives the inputs, as in a search. */
static stemmer_t *english(void)
{
	static stemmer_t *st;
	if (!st) {
		char *err = NULL;
		st = stemmer_new("english", &err);
		if (!st) {
			fprintf(stderr, "fuzz_snippet: no english stemmer: %s\n", err ? err : "?");
			abort();
		}
	}
	return st;
}

static double weight(void *ctx, const char *term, size_t len)
{
	(void)ctx;
	fz_touch_n(term, len);
	return 1.0 + (double)(len % 5);
}

static void check(const snip_result_t *r, int valid_in, const char *who)
{
	FZ_CHECK(r->n == 0 || r->p != NULL, who);
	for (size_t i = 0; i < r->n; i++) {
		const snip_passage_t *p = &r->p[i];
		FZ_CHECK(p->text != NULL, "passage without text");
		FZ_CHECK(p->text[p->len] == '\0', "passage text not NUL-terminated");
		fz_touch_n(p->text, p->len);
		if (valid_in)
			FZ_CHECK(enc_valid_utf8(p->text, p->len), "passage is not valid UTF-8");
		FZ_CHECK(p->line >= 1, "passage line not 1-based");
		FZ_CHECK(p->nhl == 0 || p->hl != NULL, "highlights counted but missing");
		for (size_t h = 0; h < p->nhl; h++) {
			FZ_CHECK(p->hl[h].start < p->hl[h].end, "empty or reversed highlight");
			FZ_CHECK(p->hl[h].end <= p->len, "highlight past the passage");
			if (h > 0)
				FZ_CHECK(p->hl[h - 1].end <= p->hl[h].start,
					 "highlights unsorted or overlapping");
			if (valid_in)
				FZ_CHECK(enc_valid_utf8(p->text + p->hl[h].start,
							p->hl[h].end - p->hl[h].start),
					 "highlight cuts a character");
		}
	}
	char *m = snip_render_markers(r);
	FZ_CHECK(m != NULL, "snip_render_markers failed");
	fz_touch(m);
	free(m);
}

static int fz_fetch(void *ctx, size_t want, const char **text, size_t *avail)
{
	*text = ctx;
	*avail = want;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t qlen = nl ? (size_t)(nl - s) : size;
	const char *text = nl ? nl + 1 : s + size;
	size_t len = size - (size_t)(text - s);

	qnode_t *q = NULL;
	if (qry_parse(s, qlen, 0, &q, NULL) != QP_OK &&
	    qry_parse(s, qlen, QP_LITERAL, &q, NULL) != QP_OK)
		return 0;
	snip_matcher_t *m = snip_matcher_new(q, english(), size & 1 ? weight : NULL, NULL);
	FZ_CHECK(m != NULL, "snip_matcher_new failed");

	int valid = enc_valid_utf8(text, len);
	snip_result_t r;
	FZ_CHECK(snip_build(m, text, len, NULL, &r) == 0, "snip_build failed");
	check(&r, valid, "snip_build, default options");
	snip_result_free(&r);

	snip_opts_t o = { 3, 30 };
	FZ_CHECK(snip_build(m, text, len, &o, &r) == 0, "snip_build failed");
	check(&r, valid, "snip_build, short passages");
	snip_result_free(&r);

	/* ranges, as search_guide makes them: every other part of the text cut
	 * at words after white space, some 64 bytes apart */
	snip_range_t rg[64];
	size_t nr = 0, from = 0, k = 0;
	for (size_t i = 1; i < len && nr < 64; i++) {
		if (i < from + 64 || (text[i - 1] != ' ' && text[i - 1] != '\n') ||
		    text[i] == ' ' || text[i] == '\n')
			continue;
		if (k++ % 2 == 0)
			rg[nr++] = (snip_range_t){ from, i, (unsigned)(1 + from / 4), 0, NULL, 0 };
		from = i;
	}
	if (nr) {
		snip_source_t src = { fz_fetch, (void *)text, len, rg, nr };
		FZ_CHECK(snip_build_source(m, &src, NULL, &r) == 0, "snip_build_source failed");
		check(&r, valid, "snip_build_source, ranges");
		snip_result_free(&r);
	}

	const char *eol = memchr(text, '\n', len);
	size_t tlen = eol ? (size_t)(eol - text) : len;
	FZ_CHECK(snip_highlight_field(m, QF_TITLE, text, tlen, &r) == 0, "snip_highlight_field failed");
	check(&r, enc_valid_utf8(text, tlen), "snip_highlight_field");
	FZ_CHECK(r.n == 1, "snip_highlight_field: not one passage");
	snip_result_free(&r);

	snip_matcher_free(m);
	qnode_free(q);
	return 0;
}
