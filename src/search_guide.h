/* search_guide.h - where in a hit's text its passages can be: the parts
 * (between restart marks, record.h) where the index has positions of the
 * query's body terms. Snippets then tokenize those parts only, and choose
 * among the best of them anywhere in a long text, instead of scanning its
 * beginning. */
#ifndef LODE_SEARCH_GUIDE_H
#define LODE_SEARCH_GUIDE_H
#include <stddef.h>

#include "record.h"
#include "snippet.h"
#include "xapian_c.h"

/* At most this many bytes of a text are scanned: the parts with the most
 * (and rarest) query terms first. */
#define GUIDE_SCAN_BUDGET (4u << 10)

typedef struct search_guide search_guide_t;

/* The body terms of M, looked up in DB for each hit (M is borrowed). NULL
 * when positions cannot guide M (a wildcard in the body) or out of memory:
 * then snippets scan as they do without marks. */
search_guide_t *guide_new(xap_db_t *db, snip_matcher_t *m);
/* The parts of document DOCID's text (REC, TEXT_LEN bytes) to scan, in
 * *RANGES (owned by G, valid until its next call) and *N; *N is 0 when the
 * record has no marks (made before them) or a lookup failed: scan as
 * before. With no body term in the text, its first part. Returns 0, -1
 * when out of memory. */
int guide_ranges(search_guide_t *g, unsigned docid, const record_t *rec, size_t text_len,
		 const snip_range_t **ranges, size_t *n);
void guide_free(search_guide_t *g);
#endif
