/* search_order.h - the order of a search's hits: relevance (score, then
 * the sort key: path, then key in the file; never docid), or date then
 * relevance. */
#ifndef LODE_SEARCH_ORDER_H
#define LODE_SEARCH_ORDER_H
#include <stddef.h>

#include "lode.h"
#include "xapian_c.h"

/* Run E (its query and weighting set) for hits OFFSET .. OFFSET+LIMIT-1 of
 * SORT's order, counting at least CHECK_AT_LEAST matches. *MS gets the
 * match set, *ORDER (malloc'd, *N entries) the index in *MS of each hit in
 * order. XAP_OK, or Xapian's status (its message in E). */
xap_status_t search_order(xap_enquire_t *e, lode_sort_t sort, unsigned offset, unsigned limit,
			  unsigned check_at_least, xap_mset_t **ms, size_t **order, size_t *n);
#endif
