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
#include <sys/stat.h>
#include <unistd.h>

#include "glass_docdata.h"
#include "index_impl.h"

typedef struct {
	const char *seg;
	char *tmp;       /* where the compacted copy goes; after the swap, the old one */
	xap_status_t xs;
	char *em;
} cjob_t;

/* Into the empty directory SHADOW: hard links to SEG's version file and
 * tables but docdata (the compactor only reads them). 0, -1 when one cannot
 * be linked (or SEG has no docdata table to leave out). */
static int shadow_tables(const char *seg, const char *shadow)
{
	static const struct {
		const char *name;
		int optional;
	} files[] = { { "iamglass", 0 },       { "postlist.glass", 1 }, { "termlist.glass", 1 },
		      { "position.glass", 1 }, { "spelling.glass", 1 }, { "synonym.glass", 1 } };
	buf_t a = BUF_INIT, b = BUF_INIT;
	int rc = 0;
	buf_printf(&a, "%s/docdata.glass", seg);
	if (a.oom || access(a.p, F_OK) != 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < sizeof files / sizeof *files; i++) {
		buf_reset(&a);
		buf_reset(&b);
		buf_printf(&a, "%s/%s", seg, files[i].name);
		buf_printf(&b, "%s/%s", shadow, files[i].name);
		if (a.oom || b.oom ||
		    (link(a.p, b.p) != 0 && !(files[i].optional && errno == ENOENT)))
			rc = -1;
	}
	buf_free(&a);
	buf_free(&b);
	return rc;
}

/* Xapian's compactor rewrites every table. The document data it would only
 * copy: lode adds records in docid order, so that table's blocks are full
 * already (compaction takes 2% off it), and each record, deflated by lode,
 * is deflated again in vain first (glass_compact.cc gives the copy Xapian's
 * default compress_min) - half of the compaction's time. So the compactor
 * is given the segment less that table (a directory of hard links), and the
 * table is then linked into the compacted copy (glass_docdata_take). The
 * segment itself is not touched. 0 when done; -1 when some step could not
 * be (no hard links on this file system, a version file laid out
 * otherwise...): C->tmp is then left empty, for the whole compaction; 1
 * when C->tmp could not be made again (errno). */
static int compact_keep_docdata(cjob_t *c)
{
	char *shadow = segments_mktemp(c->seg);
	if (!shadow)
		return -1;
	int rc = shadow_tables(c->seg, shadow);
	if (rc == 0) {
		const char *src[1] = { shadow };
		c->xs = xap_compact(src, 1, c->tmp, 0, &c->em);
		rc = c->xs == XAP_OK ? glass_docdata_take(c->seg, c->tmp) : -1;
	}
	segments_rmtree(shadow);
	free(shadow);
	if (rc == 0)
		return 0;
	free(c->em);
	c->em = NULL;
	c->xs = XAP_OK;
	segments_rmtree(c->tmp);
	return mkdir(c->tmp, 0777) == 0 ? -1 : 1;
}

static void *compact_one(void *arg)
{
	cjob_t *c = arg;
	int k = compact_keep_docdata(c);
	if (k == 0)
		return NULL;
	if (k > 0) { /* its directory could not be made again */
		c->xs = XAP_ENGINE;
		c->em = strdup(strerror(errno));
		return NULL;
	}
	const char *src[1] = { c->seg };
	c->xs = glass_compact(src, 1, c->tmp, 0, &c->em);
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
