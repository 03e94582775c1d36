/* snip_match.h - the highlighter's matcher (internal to snippet.c): where in
 * a text the parsed query matches, as occurrences of its items. An item is
 * one thing the query looks for: a term, a wildcard prefix, a phrase, or an
 * operand of a NEAR (found only inside a satisfying window). */
#ifndef LODE_SNIP_MATCH_H
#define LODE_SNIP_MATCH_H
#include <stddef.h>

#include "snippet.h"

typedef struct {
	size_t start, end;        /* bytes of the text: first word's start .. last word's end */
	unsigned pos_lo, pos_hi;  /* token positions covered */
	unsigned item;
} snip_occ_t;

typedef struct {
	snip_occ_t *v;
	size_t n, cap;
} snip_occs_t;

/* Every occurrence of M's items that apply to FIELD (the body: QF_BODY
 * items; the title: QF_TITLE and QF_BODY ones) in TEXT (UTF-8; invalid
 * bytes separate words), sorted by start then end. Appends to *OUT (free its
 * v with free()). Returns 0, -1 when out of memory. */
int snip_find(snip_matcher_t *m, qfield_t field, const char *text, size_t len, snip_occs_t *out);

/* snip_find over a text fed in pieces, in order, so that a scan that goes
 * further does not tokenize again what it has scanned. */
typedef struct snip_scan snip_scan_t;
/* A scan for the items of M that apply to FIELD (as for snip_find); borrows
 * M. NULL when out of memory. Free with snip_scan_free. */
snip_scan_t *snip_scan_new(snip_matcher_t *m, qfield_t field);
/* Tokenize TEXT[from, to): FROM is 0 or the TO of the call before, a place
 * no word spans (a space). TEXT may have moved since that call; offsets count
 * from its start. Returns 0, -1 when out of memory. */
int snip_scan_feed(snip_scan_t *sc, const char *text, size_t from, size_t to);
/* The next piece fed is R's (R->pos, R->stop, R->at: see snip_range_t),
 * starting at a restart mark (record.h): a scan may skip parts of a text
 * where no query term occurs. With a stop, that piece is tokenized only
 * until a word at position R->stop or later, after white space (the
 * colocated forms of a compound before it have come then): the pieces after
 * it need a snip_scan_at of their own. R is borrowed until that feed. */
void snip_scan_at(snip_scan_t *sc, const snip_range_t *r);
/* Instead of feeding text: WORD (snip_body_terms) occurs at POS, as the
 * index's positions tell. The occurrences then have exact positions and
 * no byte offsets (start = pos, end = pos + 1). Returns 0, -1 when out of
 * memory. */
int snip_scan_hit(snip_scan_t *sc, unsigned word, unsigned pos);
/* Every occurrence in what was fed so far, as snip_find gives them; appends
 * to *OUT. Returns 0, -1 when out of memory. */
int snip_scan_occs(snip_scan_t *sc, snip_occs_t *out);
void snip_scan_free(snip_scan_t *sc);

size_t snip_nitems(const snip_matcher_t *m);
/* Item I's weight (> 0): the weight callback's, a phrase the sum of its words'. */
double snip_item_weight(const snip_matcher_t *m, unsigned i);
#endif
