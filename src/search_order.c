/* search_order.c - which hits a search shows, in which order; see
 * search_order.h.
 *
 * Ties in score are broken by the sort key (schema.h's SLOT_SORT), never by
 * Xapian's docid, so that the order does not depend on -j, build history or
 * sharding. Xapian's relevance-then-value sort does that, but reads the key
 * of every candidate that might enter the top hits: for a common word, or
 * for -c, which visits every match, that is the whole value stream of the
 * keys (`lode search -c file` on the dev corpus: 317 block reads against
 * 36). So Xapian sorts by relevance alone, one hit past the page, and lode
 * orders the ties itself: within the page only, reading the keys of the tied
 * hits; a tie across the page's edges (the last hit shown and the first one
 * not, or the first shown and the one before) leaves which documents belong
 * on the page to the key, and only then is the search run again with
 * Xapian's relevance-then-value sort. */
#include "search_order.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"

typedef struct {
	size_t idx;   /* in the match set */
	char *key;
	size_t len;
} keyed_t;

static int cmp_key(const void *a, const void *b)
{
	const keyed_t *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Put ORDER[from .. to-1], hits of one score, in key order. */
static xap_status_t order_tie(xap_mset_t *ms, size_t *order, size_t from, size_t to)
{
	size_t n = to - from;
	keyed_t *k = calloc(n, sizeof *k);
	xap_status_t xs = k ? XAP_OK : XAP_NOMEM;
	for (size_t i = 0; xs == XAP_OK && i < n; i++) {
		xap_doc_t *doc = NULL;
		const char *v = NULL;
		size_t len = 0;
		k[i].idx = order[from + i];
		xs = xap_mset_doc(ms, k[i].idx, &doc);
		if (xs == XAP_OK)
			xs = xap_doc_get_value(doc, SLOT_SORT, &v, &len);
		if (xs == XAP_OK && !(k[i].key = malloc(len ? len : 1)))
			xs = XAP_NOMEM;
		if (xs == XAP_OK) {
			memcpy(k[i].key, v, len);
			k[i].len = len;
		}
		xap_doc_destroy(doc);
	}
	if (xs == XAP_OK) {
		qsort(k, n, sizeof *k, cmp_key);
		for (size_t i = 0; i < n; i++)
			order[from + i] = k[i].idx;
	}
	for (size_t i = 0; k && i < n; i++)
		free(k[i].key);
	free(k);
	return xs;
}

static double weight_of(xap_mset_t *ms, size_t i)
{
	unsigned docid = 0;
	double wt = 0;
	xap_mset_item(ms, i, &docid, &wt);
	return wt;
}

/* Xapian's own order for the page: ORDER is the match set's. */
static xap_status_t xapian_order(xap_enquire_t *e, lode_sort_t sort, unsigned offset,
				 unsigned limit, unsigned check, xap_mset_t **ms, size_t **order,
				 size_t *n)
{
	xap_status_t xs = sort == LODE_SORT_RELEVANCE
			  ? xap_enquire_sort_relevance_then_value(e, SLOT_SORT, 0)
			  : xap_enquire_sort_value_then_relevance(e, SLOT_DATE,
								  sort == LODE_SORT_DATE_DESC);
	if (xs == XAP_OK)
		xs = xap_enquire_mset(e, offset, limit, check, ms);
	if (xs != XAP_OK)
		return xs;
	*n = xap_mset_size(*ms);
	if (!(*order = malloc((*n ? *n : 1) * sizeof **order)))
		return XAP_NOMEM;
	for (size_t i = 0; i < *n; i++)
		(*order)[i] = i;
	return XAP_OK;
}

xap_status_t search_order(xap_enquire_t *e, lode_sort_t sort, unsigned offset, unsigned limit,
			  unsigned check, xap_mset_t **ms, size_t **order, size_t *n)
{
	*ms = NULL;
	*order = NULL;
	*n = 0;
	/* one past the page, from the top; a page beyond what an unsigned
	 * counts is left to Xapian */
	if (sort != LODE_SORT_RELEVANCE || offset > ~0u - 1 - limit)
		return xapian_order(e, sort, offset, limit, check, ms, order, n);
	xap_status_t xs = xap_enquire_sort_relevance(e);
	if (xs == XAP_OK)
		xs = xap_enquire_mset(e, 0, offset + limit + 1, check, ms);
	if (xs != XAP_OK)
		return xs;
	size_t all = xap_mset_size(*ms), end = offset + (size_t)limit;
	if (end > all)
		end = all;
	int edge_tie = (offset > 0 && offset < all &&
			weight_of(*ms, offset - 1) == weight_of(*ms, offset)) ||
		       (end < all && end > offset && weight_of(*ms, end - 1) == weight_of(*ms, end));
	if (edge_tie) {
		xap_mset_destroy(*ms);
		*ms = NULL;
		return xapian_order(e, sort, offset, limit, check, ms, order, n);
	}
	*n = end > offset ? end - offset : 0;
	if (!(*order = malloc((*n ? *n : 1) * sizeof **order)))
		return XAP_NOMEM;
	for (size_t i = 0; i < *n; i++)
		(*order)[i] = offset + i;
	for (size_t i = 0; xs == XAP_OK && i < *n;) {
		size_t j = i + 1;
		double w = weight_of(*ms, (*order)[i]);
		while (j < *n && weight_of(*ms, (*order)[j]) == w)
			j++;
		if (j - i > 1)
			xs = order_tie(*ms, *order, i, j);
		i = j;
	}
	return xs;
}
