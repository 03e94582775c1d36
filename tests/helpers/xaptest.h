/* xaptest.h - a tiny corpus and helpers for tests that drive the Xapian
 * binding (bindings/xapian_c.h) against real databases. Include after
 * <cmocka.h>; the helpers fail the running test through cmocka asserts. */
#ifndef LODE_XAPTEST_H
#define LODE_XAPTEST_H
#include <stddef.h>

#include "xapian_c.h"

/* Assert CALL returned XAP_OK, printing the handle's message when not. */
#define OK(call, errmsg)                                                   \
	do {                                                               \
		xap_status_t st_ = (call);                                 \
		if (st_ != XAP_OK)                                         \
			print_error("%s: %s: %s\n", #call, xap_status_str(st_), (errmsg)); \
		assert_int_equal(st_, XAP_OK);                             \
	} while (0)
#define DBOK(db, call) OK(call, xap_db_errmsg(db))
#define EQOK(e, call) OK(call, xap_enquire_errmsg(e))

/* CALL runs before MSG is read (the message is set by the call). */
#define assert_failed(call, want, msg)                                     \
	do {                                                               \
		xap_status_t got_ = (call);                                \
		xt_check_failed(got_, (want), (msg));                      \
	} while (0)

/* Assert GOT == WANT and that MSG is a non-empty message. */
void xt_check_failed(xap_status_t got, xap_status_t want, const char *msg);

/* The corpus: five short texts with a date (value 0) and category (value 1). */
typedef struct {
	const char *text, *date, *cat;
} xt_doc_t;
extern const xt_doc_t xt_corpus[];
extern const size_t xt_corpus_len;

/* Document for xt_corpus[i]: words with positions 1.., unique term Q<i+1>,
 * category boolean term C<cat>, values 0 = date and 1 = category, data =
 * text. Caller destroys. */
xap_doc_t *xt_corpus_doc(size_t i);
/* A new committed database at PATH holding the corpus docs listed in WHICH
 * (1-based, 0-terminated), in that order; returns the open writer. */
xap_db_t *xt_make_db(const char *path, const unsigned *which);

/* A query from a tiny prefix notation (see xaptest.c), e.g.
 * "FILTER(PHRASE(quick brown) GE0(20220101))". Caller destroys. */
xap_query_t *xt_query(const char *spec);
/* Run SPEC on DB (with E's settings when E is not NULL), filling up to 16
 * docids and weights (wts may be NULL); returns the number of hits. */
size_t xt_run(xap_db_t *db, xap_enquire_t *e, const char *spec, unsigned *ids, double *wts);
/* Assert SPEC finds exactly WANT (0-terminated), in that order. */
void xt_expect_ids(xap_db_t *db, xap_enquire_t *e, const char *spec, const unsigned *want);
/* The ranking of SPEC on DB as "data=weight|..." (docids differ between
 * layouts of the same documents). */
void xt_ranking(xap_db_t *db, const char *spec, char *out, size_t cap);
/* Walk TL into OUT as "term:n term:n" (n: termfreq when which is 'f', else
 * wdf), assert it ended cleanly, and destroy it. */
void xt_termlist_string(xap_termlist_t *tl, char *out, size_t cap, int which);
/* Monotonic clock in milliseconds. */
double xt_now_ms(void);
#endif
