/* search_impl.h - what search.c and suggest.c share. */
#ifndef LODE_SEARCH_IMPL_H
#define LODE_SEARCH_IMPL_H
#include "buf.h"
#include "lode.h"
#include "snippet.h"
#include "stem.h"
#include "xapian_c.h"

/* One source that answers: its name as given and its own handle, kept so
 * that a source failing mid-search can be named and, when partial answers
 * are allowed, left out by rebuilding db from the others. */
typedef struct {
	char *name;
	xap_db_t *db;
} search_src_t;

struct lode_search {
	xap_db_t *db;             /* every source, as one */
	search_src_t *srcs;
	size_t nsrcs, cap_srcs;
	char **missing;           /* "SOURCE: reason" for each source left out */
	size_t nmissing;
	unsigned flags;           /* LODE_SEARCH_* */
	unsigned timeout_ms;      /* for remote sources */
	lode_status_t last_fail;  /* why the last source left out failed */
	stemmer_t *stem;
	char *lang;
	double k1, b, title_weight; /* the first index's defaults */
	int first_opened;
	int remote;               /* some source is reached over the network */
	buf_t err;
};

/* Set S's message to "WHAT: DETAIL" (just WHAT when DETAIL is empty). */
void search_set_err(lode_search_t *s, const char *what, const char *detail);
/* After a search failed with RC: did a source go away (a server down, a
 * timeout)? Without LODE_SEARCH_PARTIAL the first one gone is named in s->err
 * and RC stands; with it, those gone are left out and s->db rebuilt from the
 * rest: LODE_RETRY (run again). RC when every source still answers. */
lode_status_t search_recheck_sources(lode_search_t *s, lode_status_t rc);

/* What one hit owns (the lode_hit_t beside it borrows from here). */
typedef struct {
	buf_t recbuf;             /* decoded record strings (the text is not kept) */
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
	char *note;               /* how the query was taken (words left out), or NULL */
};
#endif
