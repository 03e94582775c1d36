/* snippet.h - exact, multi-passage highlighted snippets, built from the stored
 * text of a hit and the parsed query (query.h).
 *
 * A word is highlighted only where it takes part in a match: a phrase's words
 * only where the whole phrase occurs, NEAR words only inside the window, title:
 * terms only in the title. Stems and folded accents highlight the original
 * word form ("mercenaries" for the query mercenary, "Café" for cafe).
 * Passages are sentence-aligned, never cross a blank line (a paragraph
 * break: a title, byline and date block is not joined to the first
 * paragraph), are chosen by the query terms' weights (rarer
 * terms count more, distinct terms more than repeats, near ones more than far
 * ones), printed in document order. The caller may name the parts of the
 * text to scan (snip_source_t ranges, from the index's positions: see
 * search_guide.h); else a text is scanned from the start in a growing
 * prefix (SNIP_SCAN_FIRST bytes, then four times more) until every query
 * word has been seen. Never more than the first SNIP_SCAN_CAP bytes of a
 * long text are scanned for matches. */
#ifndef LODE_SNIPPET_H
#define LODE_SNIPPET_H
#include <stddef.h>
#include "query.h"
#include "stem.h"

#define SNIP_SCAN_CAP (4u << 20)
/* Scanned first; more only while query words are missing. Most texts are
 * shorter; for a long one this bounds a hit's cost (inflating, tokenizing,
 * cutting into sentences) when its first part holds every word. */
#define SNIP_SCAN_FIRST (16u << 10)
/* Text read past the last part scanned (snip_source_t ranges), for the
 * passage there to end its sentence. */
#define SNIP_TAIL 2048u

typedef struct { size_t start, end; } snip_span_t; /* byte offsets into passage text */

typedef struct {
	char *text;           /* owned, NUL-terminated; "..." markers NOT included */
	size_t len;
	snip_span_t *hl;      /* sorted, non-overlapping */
	size_t nhl;
	unsigned line;        /* 1-based line of the passage start in the text */
	int cut_before;       /* text was cut before / after this passage */
	int cut_after;
} snip_passage_t;

typedef struct {
	snip_passage_t *p;
	size_t n;
} snip_result_t;

typedef struct {
	unsigned max_passages;  /* default 2 */
	unsigned passage_len;   /* target characters per passage, default 200 */
} snip_opts_t;

/* Weight of a query term: idf-like (rarer terms higher). term is the
 * stemmed body term as indexed (no prefix). NULL callback: all 1.0. */
typedef double (*snip_weight_fn)(void *ctx, const char *term, size_t len);

typedef struct snip_matcher snip_matcher_t;

/* Compile Q for highlighting with stemmer ST (borrowed: destroy matcher first). */
snip_matcher_t *snip_matcher_new(const qnode_t *q, stemmer_t *st, snip_weight_fn w, void *wctx);
void snip_matcher_free(snip_matcher_t *m);

/* Build passages from TEXT. With no match in the text, the first sentences;
 * no passage at all only when TEXT is blank. O may be NULL and its fields 0
 * (the defaults); M may be NULL (nothing to highlight). Passages never
 * overlap and come in document order. Returns 0, -1 when out of memory
 * (*out then empty). Free with snip_result_free. */
int snip_build(snip_matcher_t *m, const char *text, size_t len, const snip_opts_t *o,
	       snip_result_t *out);
/* The indexed body terms (stemmed, no prefix) whose positions show where
 * M can match in a text: FN is called for each, with the matcher's word id
 * for it (snip_scan_hit). Returns how many; -1 when positions cannot tell
 * (a wildcard, or out of memory). */
typedef void (*snip_term_fn)(void *ctx, const char *term, size_t len, unsigned word);
int snip_body_terms(const snip_matcher_t *m, snip_term_fn fn, void *ctx);

/* A part of a text to scan: bytes [from, to), whose first token has index
 * position pos (it starts at a restart mark, record.h). With stop > 0, no
 * match needs a position of stop or more (the index's positions tell): the
 * scan of the part ends at the first word from there on. With at, the
 * words of matches are at those positions only ([lo, hi] pairs, in order,
 * nat of them; the index's positions tell): no other word is stemmed and
 * looked up. */
typedef struct {
	size_t from, to;
	unsigned pos;
	unsigned stop;
	const unsigned (*at)[2];
	size_t nat;
} snip_range_t;

/* A text read on demand (a stored text inflated only as far as the scan
 * goes): FETCH makes the first WANT bytes (WANT <= LEN) available and hands
 * back their start, which may move from one call to the next, and count.
 * When it fails (-1) with fewer, the passages come from what it could read.
 * With RANGES, only they are scanned for matches (in order, apart), chosen
 * by the caller from where the query's terms have positions; else a
 * growing prefix of the text (see above). */
typedef struct {
	int (*fetch)(void *ctx, size_t want, const char **text, size_t *avail);
	void *ctx;
	size_t len;   /* the whole text's length */
	const snip_range_t *ranges;
	size_t nranges;
} snip_source_t;

/* snip_build over a text read from SRC, never more of it than the scan
 * needs (see above: SNIP_SCAN_FIRST bytes, more while words are missing). */
int snip_build_source(snip_matcher_t *m, const snip_source_t *src, const snip_opts_t *o,
		      snip_result_t *out);
/* Highlight spans of matches in a short field (the title): all of it, one
 * passage, no cutting. */
int snip_highlight_field(snip_matcher_t *m, qfield_t field, const char *text, size_t len,
			 snip_result_t *out);
void snip_result_free(snip_result_t *r);

/* For tests: TEXT with every highlight wrapped in [ ], passages joined by
 * " ... ", "... " before the first when text was cut before it and " ..."
 * after the last when cut after it. malloc'd (NULL when out of memory). */
char *snip_render_markers(const snip_result_t *r);
#endif
