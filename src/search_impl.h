/* search_impl.h - what search.c and suggest.c share. */
#ifndef LODE_SEARCH_IMPL_H
#define LODE_SEARCH_IMPL_H
#include "buf.h"
#include "lode.h"
#include "snippet.h"
#include "stem.h"
#include "xapian_c.h"

struct lode_search {
	xap_db_t *db;             /* every source, as one */
	stemmer_t *stem;
	char *lang;
	double k1, b, title_weight; /* the first index's defaults */
	int first_opened;
	buf_t err;
};

/* What one hit owns (the lode_hit_t beside it borrows from here). */
typedef struct {
	buf_t recbuf;             /* decoded record strings and text */
	snip_result_t passages, title_passages;
	lode_snippet_t *snips;
	lode_span_t *title_hl;
} hit_store_t;

struct lode_results {
	lode_hit_t *hits;
	hit_store_t *store;
	size_t n;
	uint64_t total;
	const char *literal;      /* static: why the query ran literally */
	char *suggestion;
};
#endif
