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

size_t snip_nitems(const snip_matcher_t *m);
/* Item I's weight (> 0): the weight callback's, a phrase the sum of its words'. */
double snip_item_weight(const snip_matcher_t *m, unsigned i);
#endif
