/* index_compact.c - compact a new index in place when its first build is
 * done.
 *
 * Xapian's writer leaves the B-tree blocks of a bulk build part full: the
 * compactor rewrites a database into full blocks, about half the size and
 * quicker to search, at well over 100 MB/s. Each segment is compacted into
 * a hidden directory beside it (several at once, as many as jobs), then the
 * two are exchanged while the old writer still holds its lock, and the
 * writer is reopened on the compacted segments. A crash at any point leaves
 * every segment whole: old or compacted. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "glass_docdata.h"
#include "index_impl.h"

typedef struct {
	const char *seg;
	char *tmp;       /* where the compacted copy goes; after the swap, the old one */
	xap_status_t xs;
	char *em;
} cjob_t;

static void *compact_one(void *arg)
{
	cjob_t *c = arg;
	const char *src[1] = { c->seg };
	c->xs = xap_compact(src, 1, c->tmp, 0, &c->em);
	/* the compactor makes its tables anew: the copy too stores records raw */
	if (c->xs == XAP_OK)
		glass_docdata_raw(c->tmp);
	return NULL;
}

/* Compact every segment into its temporary directory, PAR at a time. */
static void compact_all(cjob_t *cj, unsigned n, unsigned par)
{
	pthread_t th[SEGMENTS_MAX];
	for (unsigned k0 = 0; k0 < n; k0 += par) {
		unsigned end = k0 + par < n ? k0 + par : n;
		unsigned started = k0 + 1;
		for (; started < end; started++)
			if (pthread_create(&th[started], NULL, compact_one, &cj[started]))
				break;
		compact_one(&cj[k0]);
		for (unsigned k = started; k < end; k++) /* no thread: here */
			compact_one(&cj[k]);
		for (unsigned k = k0 + 1; k < started; k++)
			pthread_join(th[k], NULL);
	}
}

/* Reopen the writer on the (compacted) segments, segment 0 first. */
static lode_status_t reopen(lode_index_t *idx)
{
	for (unsigned k = 0; k < idx->layout.n; k++) {
		xap_db_destroy(idx->seg[k]);
		idx->seg[k] = NULL;
	}
	idx->db = NULL;
	for (unsigned k = 0; k < idx->layout.n; k++) {
		char *em = NULL;
		lode_status_t rc = index_open_segment(idx, k, 0, &em);
		if (rc != LODE_OK) {
			index_set_err(idx, "cannot reopen the compacted index: %s",
				      em ? em : lode_status_str(rc));
			free(em);
			return rc;
		}
	}
	idx->db = idx->seg[0];
	return LODE_OK;
}

lode_status_t index_compact(lode_index_t *idx)
{
	unsigned n = idx->layout.n;
	cjob_t cj[SEGMENTS_MAX];
	memset(cj, 0, sizeof cj);
	lode_status_t rc = LODE_OK;
	for (unsigned k = 0; k < n && rc == LODE_OK; k++) {
		cj[k].seg = idx->layout.path[k];
		if (!(cj[k].tmp = segments_mktemp(cj[k].seg))) {
			index_set_err(idx, "cannot compact the index: %s", strerror(errno));
			rc = LODE_IO;
		}
	}
	if (rc == LODE_OK) {
		compact_all(cj, n, index_jobs(&idx->opts));
		for (unsigned k = 0; k < n && rc == LODE_OK; k++) {
			if (cj[k].xs != XAP_OK) {
				index_set_err(idx, "the index is complete, but could not be compacted: %s",
					      cj[k].em ? cj[k].em : xap_status_str(cj[k].xs));
				rc = index_status_of(cj[k].xs);
			}
		}
	}
	/* All or nothing before the first swap; each swap is whole. */
	unsigned swapped = 0;
	for (unsigned k = 0; k < n && rc == LODE_OK; k++) {
		if (segments_swap(cj[k].seg, cj[k].tmp) != 0) {
			index_set_err(idx, "cannot put the compacted index in place: %s",
				      strerror(errno));
			rc = LODE_IO;
		} else {
			swapped++;
		}
	}
	if (rc == LODE_OK && segments_sync(&idx->layout) != 0) {
		index_set_err(idx, "cannot sync the compacted index: %s", strerror(errno));
		rc = LODE_IO;
	}
	if (swapped) {
		lode_status_t r2 = reopen(idx);
		if (rc == LODE_OK)
			rc = r2;
	}
	for (unsigned k = 0; k < n; k++) {
		if (cj[k].tmp)
			segments_rmtree(cj[k].tmp);
		free(cj[k].tmp);
		free(cj[k].em);
	}
	return rc;
}
