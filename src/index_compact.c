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
#include "glass_merge.h"
#include "index_impl.h"
#include "runs.h"
#include "runs_docdata.h"

typedef struct {
	const char *seg;
	runs_t runs;     /* the segment's runs (runs.h), merged into it */
	rdd_t *rdd;      /* their records as one table, when the build wrote it */
	char *tmp;       /* where the compacted copy goes; after the swap, the old one */
	unsigned gm_flags; /* for glass_merge: GM_THREADS when jobs allow */
	xap_status_t xs;
	char *em;
	char *merge_why;   /* why lode's merge gave the runs to Xapian's compactor */
} cjob_t;

/* Into the empty directory SHADOW: hard links to SEG's version file and
 * tables but docdata (the compactor only reads them). 0, -1 when one cannot
 * be linked (or SEG has no docdata table to leave out, when NEED_DOCDATA). */
static int shadow_tables(const char *seg, const char *shadow, int need_docdata)
{
	static const struct {
		const char *name;
		int optional;
	} files[] = { { "iamglass", 0 },       { "postlist.glass", 1 }, { "termlist.glass", 1 },
		      { "position.glass", 1 }, { "spelling.glass", 1 }, { "synonym.glass", 1 } };
	buf_t a = BUF_INIT, b = BUF_INIT;
	int rc = 0;
	buf_printf(&a, "%s/docdata.glass", seg);
	if (a.oom || (need_docdata && access(a.p, F_OK) != 0))
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

/* C->tmp emptied after a merge that did not finish, for the next way to
 * fill it: -1; 1 when it could not be made again (errno). */
static int empty_again(cjob_t *c)
{
	segments_rmtree(c->tmp);
	return mkdir(c->tmp, 0777) == 0 ? -1 : 1;
}

/* Xapian's compactor rewrites every table. The document data it would only
 * copy: lode adds records in docid order, so that table's blocks are full
 * already (compaction takes 2% off it), and each record, deflated by lode,
 * is deflated again in vain first (glass_compact.cc gives the copy Xapian's
 * default compress_min) - half of the compaction's time. So the compactor
 * is given the sources SRCS less that table (directories of hard links),
 * and the table of DOCDATA (a glass database) is then linked into the
 * compacted copy (glass_docdata_take). The sources are not touched. 0 when
 * done; -1 when some step could not be (no hard links on this file system,
 * a version file laid out otherwise...): C->tmp is then left empty, for
 * the compactor to do it all; 1 when C->tmp could not be made again
 * (errno). NEED_DOCDATA: each source must have a docdata table to leave
 * out (else -1). */
static int compact_shadowed(cjob_t *c, const char *const *srcs, size_t n, const char *docdata,
			    int need_docdata)
{
	char **shadow = calloc(n, sizeof *shadow);
	int rc = docdata && shadow ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		shadow[i] = segments_mktemp(c->seg);
		rc = shadow[i] ? shadow_tables(srcs[i], shadow[i], need_docdata) : -1;
	}
	if (rc == 0) {
		c->xs = xap_compact((const char *const *)shadow, n, c->tmp, 0, &c->em);
		rc = c->xs == XAP_OK ? glass_docdata_take(docdata, c->tmp) : -1;
	}
	for (size_t i = 0; shadow && i < n; i++) {
		if (shadow[i])
			segments_rmtree(shadow[i]);
		free(shadow[i]);
	}
	free(shadow);
	if (rc == 0)
		return 0;
	free(c->em);
	c->em = NULL;
	c->xs = XAP_OK;
	return empty_again(c);
}

/* lode's own merge of the segment and its runs SRCS[0..n) into C->tmp
 * (glass_merge.h): every posting list re-chunked into full chunks, where
 * Xapian's compactor keeps each run's last, short one (the dev corpus:
 * postlist.glass 11% bigger, searches 0.3-0.5 ms slower), and no tag
 * deflated again (the compactor deflates every termlist anew). With
 * DOCDATA, the records table the build wrote is linked in after, as
 * compact_shadowed does; else the runs' own are merged. 0 when done; -1
 * when it could not be (a source it does not merge, a failure): C->tmp is
 * then empty again, for Xapian's compactor; 1 when C->tmp could not be
 * made again (errno). */
static int merge_runs(cjob_t *c, const char *const *srcs, size_t n, const char *docdata)
{
	char *em = NULL;
	int rc = glass_merge(srcs, n, c->tmp, (docdata ? GM_NO_DOCDATA : 0) | c->gm_flags, &em);
	if (rc == 0 && docdata && glass_docdata_take(docdata, c->tmp) != 0) {
		rc = -1;
		em = strdup("its records could not be linked into the merged segment");
	}
	if (rc == 0)
		return 0;
	c->merge_why = em ? em : strdup(strerror(errno ? errno : EIO));
	return empty_again(c);
}

/* LODE_MERGE=xapian: runs are merged by Xapian's compactor, as before
 * glass_merge (for comparing the two, or should lode's merge be suspected
 * of a fault). */
static int xapian_merges(void)
{
	const char *env = getenv("LODE_MERGE");
	return env && !strcmp(env, "xapian");
}

/* The segment, with its runs merged into it when it has some: by lode's
 * merge, else (it refused, or LODE_MERGE=xapian) by Xapian's compactor.
 * Their document data comes from the table the build wrote for the whole
 * segment (runs_docdata.h) when it has one; else the merge copies it. */
static void *compact_one(void *arg)
{
	cjob_t *c = arg;
	size_t n = c->runs.n + 1;
	const char **src = malloc(n * sizeof *src);
	if (!src) {
		c->xs = XAP_NOMEM;
		return NULL;
	}
	src[0] = c->seg;
	for (size_t i = 1; i < n; i++)
		src[i] = c->runs.path[i - 1];
	int k = -1;
	const char *records = n > 1 && c->rdd ? rdd_finish(c->rdd) : NULL;
	if (n > 1 && !xapian_merges())
		k = merge_runs(c, src, n, records);
	if (k < 0 && n == 1)
		k = compact_shadowed(c, src, 1, c->seg, 1);
	else if (k < 0 && records)
		k = compact_shadowed(c, src, n, records, 0);
	if (k > 0) { /* its directory could not be made again */
		c->xs = XAP_ENGINE;
		c->em = strdup(strerror(errno));
	} else if (k < 0) {
		c->xs = glass_compact(src, n, c->tmp, 0, &c->em);
	}
	free(src);
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

/* Segment K's runs not yet in it. A run whose documents the segment has
 * (its last docid is not past the segment's: a merge stopped between the
 * swap and runs_unlist) is dropped from the stub and removed instead. 0, or
 * -1 with errno. */
static int live_runs(lode_index_t *idx, unsigned k, runs_t *out)
{
	const char *seg = idx->layout.path[k];
	if (runs_read(idx->path, seg, out) != 0)
		return -1;
	if (!out->n)
		return 0;
	unsigned seg_last = 0, run_last = 0;
	xap_db_last_docid(idx->seg[k], &seg_last);
	xap_db_t *db = NULL;
	char *em = NULL;
	if (xap_db_open_read(out->path[0], &db, &em) == XAP_OK)
		xap_db_last_docid(db, &run_last);
	xap_db_destroy(db);
	free(em);
	if (run_last == 0 || run_last > seg_last)
		return 0;
	/* merged already: every run, as they are merged all at once */
	int rc = runs_unlist(idx->path, seg);
	if (rc == 0)
		for (size_t i = 0; i < out->n; i++)
			segments_rmtree(out->path[i]);
	runs_free(out);
	return rc;
}

/* The table of segment K's records the build wrote beside its RUNS, when
 * it holds every document they and the segment hold: a build that dropped
 * a batch, or runs left by another process, do not have one. */
static rdd_t *records_of_runs(lode_index_t *idx, unsigned k, const runs_t *runs)
{
	if (!runs->n || !idx->rdd[k])
		return NULL;
	unsigned seg_docs = 1, total = 0;
	xap_db_doc_count(idx->seg[k], &seg_docs);
	for (size_t i = 0; i < runs->n && seg_docs == 0; i++) {
		xap_db_t *db = NULL;
		char *em = NULL;
		unsigned d = 0;
		if (xap_db_open_read(runs->path[i], &db, &em) == XAP_OK)
			xap_db_doc_count(db, &d);
		xap_db_destroy(db);
		free(em);
		total += d;
	}
	return seg_docs == 0 && total == rdd_docs(idx->rdd[k]) ? idx->rdd[k] : NULL;
}

/* One warning for each segment whose runs lode's merge gave up on (the
 * compactor did them, more slowly: a build's figures should say why). */
static void warn_merges(cjob_t *cj, unsigned n, const lode_index_callbacks_t *cb,
			lode_index_summary_t *sum)
{
	for (unsigned k = 0; k < n; k++) {
		if (!cj[k].merge_why || cj[k].xs != XAP_OK)
			continue;
		if (sum)
			sum->warnings++;
		if (cb && cb->on_warning) {
			buf_t why = BUF_INIT;
			buf_printf(&why, "lode's merge of its runs failed (%s); Xapian's compactor "
					 "merged them instead, more slowly", cj[k].merge_why);
			if (!why.oom)
				cb->on_warning(cb->ctx, cj[k].seg, 0, why.p);
			buf_free(&why);
		}
	}
}

lode_status_t index_compact(lode_index_t *idx, const lode_index_callbacks_t *cb,
			    lode_index_summary_t *sum)
{
	unsigned n = idx->layout.n;
	cjob_t cj[SEGMENTS_MAX];
	memset(cj, 0, sizeof cj);
	lode_status_t rc = LODE_OK;
	for (unsigned k = 0; k < n && rc == LODE_OK; k++) {
		cj[k].seg = idx->layout.path[k];
		/* -j1 keeps to one thread: the benchmark's baseline for -j2 */
		cj[k].gm_flags = index_jobs(&idx->opts) > 1 ? GM_THREADS : 0;
		if (live_runs(idx, k, &cj[k].runs) != 0) {
			index_set_err(idx, "cannot read the index's runs: %s", strerror(errno));
			rc = LODE_IO;
		} else if (!(cj[k].tmp = segments_mktemp(cj[k].seg))) {
			index_set_err(idx, "cannot compact the index: %s", strerror(errno));
			rc = LODE_IO;
		}
	}
	for (unsigned k = 0; k < n && rc == LODE_OK; k++)
		cj[k].rdd = records_of_runs(idx, k, &cj[k].runs);
	if (rc == LODE_OK) {
		compact_all(cj, n, index_jobs(&idx->opts));
		warn_merges(cj, n, cb, sum);
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
	/* the runs are in their segments now: out of the stub, then gone (a
	 * run left listed meanwhile is known by its docids: live_runs) */
	for (unsigned k = 0; k < n && rc == LODE_OK; k++) {
		if (!cj[k].runs.n)
			continue;
		if (runs_unlist(idx->path, cj[k].seg) != 0) {
			index_set_err(idx, "cannot update the index's list of segments: %s",
				      strerror(errno));
			rc = LODE_IO;
		}
		for (size_t i = 0; rc == LODE_OK && i < cj[k].runs.n; i++)
			segments_rmtree(cj[k].runs.path[i]);
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
		free(cj[k].merge_why);
		runs_free(&cj[k].runs);
	}
	for (unsigned k = 0; k < n; k++) { /* merged or not, their use is over */
		rdd_free(idx->rdd[k]);
		idx->rdd[k] = NULL;
	}
	return rc;
}
