/* index_runs.c - a bulk build's batches, each written by lode's own writer
 * (glass_writer.h) as a run of its segment (runs.h) instead of through
 * Xapian's.
 *
 * Xapian's writer spends most of a build in Document::add_posting's
 * std::map, add_document's inversion and the commits that merge each batch
 * into the B-trees. A new index needs none of that: nothing in it is
 * replaced, so a batch can be inverted by lode and written as a small,
 * complete database of its own, which is listed in the stub (searchable at
 * once) and merged into its segment at the end (index_compact.c: by
 * lode's merge, glass_merge.h, or Xapian's compactor). What a batch holds and when it ends are as for
 * Xapian's writer (index_write.c); the file records ("f:" metadata) go into
 * the run with the documents, so a run is whole as a commit is. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "index_impl.h"
#include "runs.h"

static unsigned segment_of(const writer_t *w)
{
	unsigned k = 0;
	while (k < w->idx->layout.n && w->idx->layout.path[k] != w->dir)
		k++;
	return k;
}

/* The segment's records table no longer has every record its runs will. */
static void records_incomplete(writer_t *w)
{
	unsigned k = segment_of(w);
	if (k < w->idx->layout.n) {
		rdd_free(w->idx->rdd[k]);
		w->idx->rdd[k] = NULL;
	}
}

void runs_writer_setup(writer_t *w, int have_stdin)
{
	const char *env = getenv("LODE_BULK");
	if (!w->fresh || have_stdin || (env && !strcmp(env, "0")))
		return;
	/* a segment in a stub: INDEX/sK, not the index itself */
	size_t il = strlen(w->idx->path);
	if (strncmp(w->dir, w->idx->path, il) != 0 || w->dir[il] != '/')
		return;
	unsigned last = 0;
	if (xap_db_last_docid(w->db, &last) != XAP_OK)
		return;
	runs_t r = RUNS_INIT;
	if (runs_read(w->idx->path, w->dir, &r) != 0 || r.n) {
		runs_free(&r); /* runs left over: merged before anything is added */
		return;
	}
	w->bulk = 1;
	w->next_did = last + 1;
	unsigned k = segment_of(w);
	if (k < w->idx->layout.n && !w->idx->rdd[k])
		w->idx->rdd[k] = rdd_new(w->dir); /* none: the merge copies the records */
}

static lode_status_t run_fail(writer_t *w, lode_status_t rc, const char *what, const char *why)
{
	pthread_mutex_t *mu = w->mu;
	if (mu)
		pthread_mutex_lock(mu);
	buf_reset(&w->idx->err);
	buf_printf(&w->idx->err, "%s: %s: %s", what, w->run_path ? w->run_path : w->dir,
		   why ? why : lode_status_str(rc));
	if (mu)
		pthread_mutex_unlock(mu);
	runs_writer_drop(w);
	return rc;
}

lode_status_t runs_writer_begin(writer_t *w)
{
	if (w->run)
		return LODE_OK;
	free(w->run_path);
	w->run_path = runs_path(w->dir, ++w->run_no);
	if (!w->run_path)
		return LODE_NOMEM;
	char *em = NULL;
	w->run = gw_new(w->run_path, &em);
	if (!w->run) {
		lode_status_t rc = run_fail(w, LODE_IO, "cannot start a batch", em);
		free(em);
		return rc;
	}
	return LODE_OK;
}

/* Replaying a document into the run; its data is kept for the records
 * table too. */
typedef struct {
	gw_t *gw;
	const char *data;
	size_t len;
} replay_t;

static int g_posting(void *ctx, const char *t, size_t l, unsigned pos)
{
	return gw_posting(((replay_t *)ctx)->gw, t, l, pos, 1);
}

static int g_boolean(void *ctx, const char *t, size_t l)
{
	return gw_term(((replay_t *)ctx)->gw, t, l, 0);
}

static int g_value(void *ctx, unsigned slot, const char *v, size_t l)
{
	return gw_value(((replay_t *)ctx)->gw, slot, v, l);
}

static int g_data(void *ctx, const char *d, size_t l)
{
	replay_t *r = ctx;
	r->data = d;
	r->len = l;
	return gw_data(r->gw, d, l);
}

lode_status_t runs_writer_add(writer_t *w, job_t *j)
{
	static const docbuf_ops_t ops = { g_posting, g_boolean, g_value, g_data };
	unsigned k = segment_of(w);
	rdd_t *rdd = k < w->idx->layout.n ? w->idx->rdd[k] : NULL;
	for (size_t i = 0; i < j->ndocs; i++) {
		replay_t r = { w->run, NULL, 0 };
		if (gw_doc_begin(w->run, w->next_did) || docbuf_replay(&j->bufs[i], &ops, &r) ||
		    gw_doc_end(w->run))
			return run_fail(w, LODE_IO, "cannot add a document", gw_error(w->run));
		if (rdd && rdd_add(rdd, w->next_did, r.data, r.len) != 0) {
			records_incomplete(w);
			rdd = NULL;
		}
		w->next_did++;
	}
	writer_file_record(w, j->f, j->hash, j->ndocs);
	if (w->term.oom || w->val.oom)
		return run_fail(w, LODE_NOMEM, "cannot record a file", NULL);
	if (gw_metadata(w->run, w->term.p, w->term.len, w->val.p, w->val.len))
		return run_fail(w, LODE_IO, "cannot record a file", gw_error(w->run));
	return LODE_OK;
}

lode_status_t runs_writer_commit(writer_t *w)
{
	if (!w->run)
		return LODE_OK;
	if (gw_finish(w->run))
		return run_fail(w, LODE_IO, "cannot write a batch", gw_error(w->run));
	if (runs_publish(w->idx->path, w->run_path))
		return run_fail(w, LODE_IO, "cannot list a batch in the index", strerror(errno));
	gw_free(w->run); /* finished: its files stay */
	w->run = NULL;
	return LODE_OK;
}

void runs_writer_drop(writer_t *w)
{
	/* an unfinished run's files go with it; a finished one is listed or
	 * is left to runs_clear_unlisted */
	if (w->run)
		records_incomplete(w); /* they hold the dropped run's */
	gw_free(w->run);
	w->run = NULL;
}

int index_has_runs(lode_index_t *idx)
{
	for (unsigned k = 0; k < idx->layout.n; k++) {
		runs_t r = RUNS_INIT;
		if (runs_read(idx->path, idx->layout.path[k], &r) == 0 && r.n) {
			runs_free(&r);
			return 1;
		}
		runs_free(&r);
	}
	return 0;
}
