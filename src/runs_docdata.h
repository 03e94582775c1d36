/* runs_docdata.h - a bulk build's document data, written a second time as
 * one table for the whole segment while its runs are written.
 *
 * Merging the runs into their segment, Xapian's compactor would copy every
 * record and try, in vain, to deflate it again (lode's records are deflated
 * already; glass_docdata.c): as long as the rest of the merge. The records
 * come in docid order, so the segment's whole docdata table can instead be
 * written as they come (glass_btree.h) and handed to the merged segment
 * (glass_docdata_take) while the compactor merges the other tables. lode's
 * own merge (glass_merge.h) copies records as they are, at the speed of a
 * copy; it is handed this table too, which it then need not read. */
#ifndef LODE_RUNS_DOCDATA_H
#define LODE_RUNS_DOCDATA_H
#include <stddef.h>

typedef struct rdd rdd_t;

/* A table for segment SEG's records, in a hidden directory beside it
 * (segments_mktemp: removed as stale if the process dies). NULL with errno. */
rdd_t *rdd_new(const char *seg);
/* The record of document DOCID (increasing); an empty one is none. 0, -1
 * with errno. */
int rdd_add(rdd_t *r, unsigned docid, const char *data, size_t len);
/* Documents whose records were given (empty ones included). */
unsigned rdd_docs(const rdd_t *r);
/* Finish the table and make its directory a glass database holding only
 * it, for glass_docdata_take. Returns that directory (owned by R), or NULL
 * with errno. */
const char *rdd_finish(rdd_t *r);
/* Remove the directory and free R (NULL: nothing). */
void rdd_free(rdd_t *r);
#endif
