/* pipeline.c - read, parse and term-ify files in worker threads; write them
 * into the index from one thread, in file order (so docids, and with them
 * the index, do not depend on -j), one transaction per batch.
 *
 * Workers claim files in order but run at most MAX_AHEAD files or
 * MAX_INFLIGHT bytes ahead of the writer: memory is bounded by those, not by
 * the corpus. With one job everything runs in the calling thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "index_impl.h"
#include "parse.h"
#include "readfile.h"
#include "record.h"
#include "schema.h"
#include "terms.h"

#define MAX_AHEAD 256
#define MAX_INFLIGHT (64ull << 20)
#define MAX_JOBS 64

typedef struct {
	unsigned line;
	char *reason;
} warning_t;

typedef enum { J_TODO, J_CLAIMED, J_DONE } jstate_t;

typedef struct {
	const walk_file_t *f;        /* NULL for stdin */
	const known_t *known;        /* what the index had, or NULL */
	jstate_t state;
	lode_file_outcome_t outcome;
	int touched_only;            /* content unchanged: only remember the new mtime */
	const char *reason;          /* static, or points into reason_buf */
	char reason_buf[160];
	xap_doc_t **docs;
	size_t ndocs, cap;
	warning_t *warns;
	size_t nwarns;
	uint64_t hash, bytes;
	double t_read, t_parse, t_terms;
	char *stdin_key;             /* stdin: "sha:<hash>" subkey */
} job_t;

typedef struct {
	lode_index_t *idx;
	job_t *jobs;
	size_t njobs;
	pthread_mutex_t mu;
	pthread_cond_t done_cv, space_cv;
	size_t next_claim, next_write;
	uint64_t inflight;
	const lode_index_callbacks_t *cb;
	volatile int abort;
	parse_jsonl_map_t jmap;
} pipe_t;

typedef struct {
	pipe_t *p;
	job_t *job;
	terms_t *terms;
	terms_file_t tf;
	int failed;
	const char *why;
} emit_ctx_t;

static int stop_requested(const pipe_t *p)
{
	return p->abort || (p->cb && p->cb->stop && *p->cb->stop);
}

static void job_warn(void *ctx, unsigned line, const char *reason)
{
	emit_ctx_t *e = ctx;
	job_t *j = e->job;
	warning_t *w = realloc(j->warns, (j->nwarns + 1) * sizeof *w);
	if (!w)
		return;
	j->warns = w;
	w[j->nwarns].line = line;
	w[j->nwarns].reason = strdup(reason);
	if (w[j->nwarns].reason)
		j->nwarns++;
}

static int job_emit(void *ctx, const ldoc_t *d)
{
	emit_ctx_t *e = ctx;
	job_t *j = e->job;
	double t = index_now();
	if (j->ndocs == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 4;
		xap_doc_t **nd = realloc(j->docs, cap * sizeof *nd);
		if (!nd) {
			e->failed = 1;
			e->why = "out of memory";
			return 1;
		}
		j->docs = nd;
		j->cap = cap;
	}
	xap_doc_t *doc = NULL;
	if (xap_doc_new(&doc) != XAP_OK) {
		e->failed = 1;
		e->why = "out of memory";
		return 1;
	}
	ldoc_t dd = *d;
	if (j->stdin_key)
		dd.subkey = j->stdin_key;
	if (terms_build(e->terms, &dd, &e->tf, doc, &e->why)) {
		xap_doc_destroy(doc);
		e->failed = 1;
		return 1;
	}
	j->docs[j->ndocs++] = doc;
	j->t_terms += index_now() - t;
	return 0;
}

/* The id of a file's document: its name without directory and extensions. */
static void fallback_id(const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	snprintf(out, cap, "%s", base);
	char *gz = strstr(out, ".gz");
	if (gz && gz[3] == '\0')
		*gz = '\0';
	char *dot = strrchr(out, '.');
	if (dot && dot != out)
		*dot = '\0';
}

static void set_outcome(job_t *j, lode_file_outcome_t o, const char *reason)
{
	j->outcome = o;
	j->reason = reason;
}

/* Read, parse and build one file's documents. Runs in a worker. */
static void process(pipe_t *p, job_t *j, terms_t *terms)
{
	lode_index_opts_t *o = &p->idx->opts;
	const char *path = j->f ? j->f->path : "-";
	double t0 = index_now();
	char *data = NULL;
	size_t len = 0;
	int gz = 0;
	const char *why = NULL;
	rf_result_t rr = rf_read_flags(path, j->f ? RF_REGULAR_ONLY : 0, o->max_size, &data, &len,
					&gz, &why);
	j->t_read = index_now() - t0;
	switch (rr) {
	case RF_OK:
		break;
	case RF_TOO_LARGE:
		snprintf(j->reason_buf, sizeof j->reason_buf, "too large (over %llu MB; see --max-size)",
			 (unsigned long long)(o->max_size >> 20));
		set_outcome(j, LODE_FILE_SKIPPED, j->reason_buf);
		return;
	default:
		snprintf(j->reason_buf, sizeof j->reason_buf, "%s", why ? why : "cannot read");
		set_outcome(j, LODE_FILE_FAILED, j->reason_buf);
		return;
	}
	j->bytes = len;
	j->hash = record_hash(data, len);
	if (!j->f) {
		j->stdin_key = malloc(24);
		if (j->stdin_key)
			snprintf(j->stdin_key, 24, "sha:%016llx", (unsigned long long)j->hash);
	}
	if (j->known && j->known->hash == j->hash) {
		j->touched_only = 1;
		set_outcome(j, LODE_FILE_UNCHANGED, NULL);
		free(data);
		return;
	}
	char idbuf[256], datebuf[11] = "";
	fallback_id(j->f ? path : "stdin", idbuf, sizeof idbuf);
	if (j->f)
		date_from_time((time_t)(j->f->mtime / 1000000000), datebuf);
	emit_ctx_t e = { p, j, terms, {
		.path = j->f ? path : "-", .mtime = j->f ? j->f->mtime : 0, .size = len,
		.hash = j->hash, .fallback_date = j->f ? datebuf : NULL, .fallback_id = idbuf,
	}, 0, NULL };
	parse_input_t in = {
		.path = path, .data = data, .len = len, .format = FMT_UNKNOWN,
		.jsonl_map = &p->jmap, .warn = job_warn, .ctx = &e,
	};
	double t1 = index_now();
	const char *preason = NULL;
	parse_result_t pr = parse_document(&in, job_emit, &preason);
	j->t_parse = index_now() - t1 - j->t_terms;
	free(data);
	if (e.failed) {
		set_outcome(j, LODE_FILE_FAILED, e.why ? e.why : "cannot build the document");
		return;
	}
	switch (pr) {
	case PARSE_OK:
		set_outcome(j, LODE_FILE_INDEXED, NULL);
		break;
	case PARSE_EMPTY:
		set_outcome(j, LODE_FILE_SKIPPED, preason ? preason : "empty");
		break;
	case PARSE_BINARY:
		set_outcome(j, LODE_FILE_SKIPPED, preason ? preason : "binary");
		break;
	case PARSE_NOT_DOC:
		set_outcome(j, LODE_FILE_SKIPPED, preason ? preason : "not a document");
		break;
	case PARSE_NOMEM:
		set_outcome(j, LODE_FILE_FAILED, "out of memory");
		break;
	default:
		set_outcome(j, LODE_FILE_FAILED, preason ? preason : "cannot parse");
		break;
	}
	if (j->outcome == LODE_FILE_INDEXED && j->ndocs == 0)
		set_outcome(j, LODE_FILE_SKIPPED, "no text");
}

static void job_release(job_t *j)
{
	for (size_t i = 0; i < j->ndocs; i++)
		xap_doc_destroy(j->docs[i]);
	free(j->docs);
	j->docs = NULL;
	j->ndocs = j->cap = 0;
	for (size_t i = 0; i < j->nwarns; i++)
		free(j->warns[i].reason);
	free(j->warns);
	j->warns = NULL;
	j->nwarns = 0;
	free(j->stdin_key);
	j->stdin_key = NULL;
}

/* ------------------------------------------------------------- workers */

typedef struct {
	pipe_t *p;
	terms_t *terms;
} worker_t;

static void *worker_main(void *arg)
{
	worker_t *w = arg;
	pipe_t *p = w->p;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->next_claim < p->njobs && !stop_requested(p) &&
		       p->next_claim > p->next_write &&
		       (p->next_claim - p->next_write >= MAX_AHEAD || p->inflight >= MAX_INFLIGHT))
			pthread_cond_wait(&p->space_cv, &p->mu);
		if (p->next_claim >= p->njobs || stop_requested(p)) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		job_t *j = &p->jobs[p->next_claim++];
		j->state = J_CLAIMED;
		uint64_t sz = j->f ? j->f->size : 0;
		p->inflight += sz;
		pthread_mutex_unlock(&p->mu);

		process(p, j, w->terms);

		pthread_mutex_lock(&p->mu);
		j->state = J_DONE;
		pthread_cond_broadcast(&p->done_cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/* ------------------------------------------------------------- writer */

typedef struct {
	lode_index_t *idx;
	const lode_index_callbacks_t *cb;
	lode_index_summary_t *sum;
	int in_txn;
	unsigned batch_docs;
	uint64_t batch_bytes;
	buf_t term, val;
	double last_progress;
	uint64_t bytes_total;
	int fresh;                  /* the index was empty: nothing to replace */
} writer_t;

static lode_status_t wfail(writer_t *w, xap_status_t xs, const char *what)
{
	buf_reset(&w->idx->err);
	buf_printf(&w->idx->err, "%s: %s", what, xap_db_errmsg(w->idx->db));
	if (w->in_txn) {
		xap_db_cancel_transaction(w->idx->db);
		w->in_txn = 0;
	}
	return index_status_of(xs);
}

static lode_status_t txn_begin(writer_t *w)
{
	if (w->in_txn)
		return LODE_OK;
	xap_status_t xs = xap_db_begin_transaction(w->idx->db, 1);
	if (xs != XAP_OK)
		return wfail(w, xs, "cannot start a batch");
	w->in_txn = 1;
	w->batch_docs = 0;
	w->batch_bytes = 0;
	return LODE_OK;
}

static lode_status_t txn_commit(writer_t *w)
{
	if (!w->in_txn)
		return LODE_OK;
	double t = index_now();
	xap_status_t xs = xap_db_commit_transaction(w->idx->db);
	w->in_txn = 0;
	w->sum->t_commit += index_now() - t;
	if (xs != XAP_OK)
		return wfail(w, xs, "cannot commit");
	return LODE_OK;
}

static void report(writer_t *w, const char *path, lode_file_outcome_t o, const char *reason,
		   unsigned ndocs)
{
	if (w->cb && w->cb->on_file)
		w->cb->on_file(w->cb->ctx, path, o, reason, ndocs);
}

static void progress(writer_t *w)
{
	if (!w->cb || !w->cb->on_progress)
		return;
	double t = index_now();
	if (t - w->last_progress < 0.2)
		return;
	w->last_progress = t;
	w->cb->on_progress(w->cb->ctx, w->sum, w->bytes_total);
}

static xap_status_t forget_file(writer_t *w, const char *path)
{
	schema_term(&w->term, PFX_FILE, path, strlen(path));
	xap_status_t xs = xap_db_delete_docs_by_term(w->idx->db, w->term.p, w->term.len);
	if (xs != XAP_OK)
		return xs;
	buf_reset(&w->term);
	buf_printf(&w->term, "%s%s", META_FILE, path);
	return xap_db_set_metadata(w->idx->db, w->term.p, "", 0);
}

static lode_status_t remember_file(writer_t *w, const walk_file_t *f, uint64_t hash, size_t ndocs)
{
	buf_reset(&w->term);
	buf_printf(&w->term, "%s%s", META_FILE, f->path);
	buf_reset(&w->val);
	buf_printf(&w->val, "%lld %llu %llx %zu", (long long)f->mtime,
		   (unsigned long long)f->size, (unsigned long long)hash, ndocs);
	xap_status_t xs = xap_db_set_metadata(w->idx->db, w->term.p, w->val.p, w->val.len);
	return xs == XAP_OK ? LODE_OK : wfail(w, xs, "cannot record a file");
}

/* Write one finished job into the index. */
static lode_status_t write_job(writer_t *w, job_t *j)
{
	lode_index_summary_t *s = w->sum;
	const char *path = j->f ? j->f->path : "-";
	s->t_read += j->t_read;
	s->t_parse += j->t_parse;
	s->t_terms += j->t_terms;
	s->bytes_read += j->bytes;
	for (size_t i = 0; i < j->nwarns; i++) {
		s->warnings++;
		if (w->cb && w->cb->on_warning)
			w->cb->on_warning(w->cb->ctx, path, j->warns[i].line, j->warns[i].reason);
	}
	lode_status_t rc = txn_begin(w);
	if (rc != LODE_OK)
		return rc;
	double t = index_now();
	xap_status_t xs = XAP_OK;
	switch (j->outcome) {
	case LODE_FILE_INDEXED:
		if (j->f && (j->known || !w->fresh))
			xs = forget_file(w, path);
		for (size_t i = 0; xs == XAP_OK && i < j->ndocs; i++) {
			if (j->f)
				xs = xap_db_add_doc(w->idx->db, j->docs[i], NULL);
			else { /* stdin: the same text again replaces itself */
				schema_key(&w->term, "-", j->stdin_key);
				xs = xap_db_replace_doc_by_term(w->idx->db, w->term.p, w->term.len,
								j->docs[i], NULL);
			}
		}
		if (xs != XAP_OK)
			return wfail(w, xs, "cannot add a document");
		if (j->f && (rc = remember_file(w, j->f, j->hash, j->ndocs)) != LODE_OK)
			return rc;
		s->indexed++;
		s->docs_added += j->ndocs;
		w->batch_docs += (unsigned)j->ndocs;
		w->batch_bytes += j->bytes;
		break;
	case LODE_FILE_UNCHANGED: /* touched, same content */
		if ((rc = remember_file(w, j->f, j->hash, 0)) != LODE_OK)
			return rc;
		s->unchanged++;
		break;
	case LODE_FILE_SKIPPED:
		/* what the file was is not what it is: its old documents go */
		if (j->known && (xs = forget_file(w, path)) != XAP_OK)
			return wfail(w, xs, "cannot remove a document");
		s->skipped++;
		break;
	default: /* failed: keep whatever the index had of it */
		s->failed++;
		break;
	}
	s->t_write += index_now() - t;
	report(w, path, j->outcome, j->reason, (unsigned)j->ndocs);
	if (w->batch_docs >= w->idx->opts.batch_docs || w->batch_bytes >= MAX_INFLIGHT)
		return txn_commit(w);
	return LODE_OK;
}

static int under_bad_dir(const walk_list_t *files, const char *path)
{
	for (size_t i = 0; i < files->n_bad; i++)
		if (walk_under(path, files->bad_dirs[i]))
			return 1;
	return 0;
}

static lode_status_t remove_gone(writer_t *w, walk_list_t *files, strmap_t *known,
				 char **roots, size_t nroots, const lode_index_callbacks_t *cb)
{
	for (size_t i = 0; i < known->cap; i++) {
		strmap_slot_t *sl = &known->slots[i];
		if (!sl->key || ((known_t *)sl->val)->seen)
			continue;
		int under = 0;
		for (size_t r = 0; r < nroots && !under; r++)
			under = roots[r] && walk_under(sl->key, roots[r]);
		if (!under || under_bad_dir(files, sl->key))
			continue;
		if (cb && cb->stop && *cb->stop)
			return LODE_INTERRUPTED;
		lode_status_t rc = txn_begin(w);
		if (rc != LODE_OK)
			return rc;
		unsigned before = 0, after = 0;
		xap_db_doc_count(w->idx->db, &before);
		xap_status_t xs = forget_file(w, sl->key);
		if (xs != XAP_OK)
			return wfail(w, xs, "cannot remove a document");
		xap_db_doc_count(w->idx->db, &after);
		w->sum->removed++;
		w->sum->docs_removed += before - after;
		report(w, sl->key, LODE_FILE_REMOVED, NULL, before - after);
		if (++w->batch_docs >= w->idx->opts.batch_docs && (rc = txn_commit(w)) != LODE_OK)
			return rc;
	}
	return LODE_OK;
}

static unsigned n_workers(const lode_index_opts_t *o)
{
	unsigned n = o->jobs;
	if (!n) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c > 0 ? (unsigned)c : 1;
	}
	return n > MAX_JOBS ? MAX_JOBS : n;
}

lode_status_t pipeline_run(lode_index_t *idx, walk_list_t *files, strmap_t *known,
			   char **roots, size_t nroots, int have_stdin,
			   const lode_index_callbacks_t *cb, lode_index_summary_t *sum)
{
	lode_status_t rc = LODE_OK;
	pipe_t p = { .idx = idx, .cb = cb };
	const lode_index_opts_t *o = &idx->opts;
	p.jmap = (parse_jsonl_map_t){ o->jsonl_id, o->jsonl_title, o->jsonl_text,
				      o->jsonl_author, o->jsonl_date, o->jsonl_url };
	writer_t w = { .idx = idx, .cb = cb, .sum = sum };
	unsigned ndocs0 = 0;
	xap_db_doc_count(idx->db, &ndocs0);
	w.fresh = ndocs0 == 0 && known->n == 0;

	/* Unchanged files need nothing but a stat; the rest become jobs. */
	p.jobs = calloc(files->n + 1, sizeof *p.jobs);
	if (!p.jobs)
		return LODE_NOMEM;
	for (size_t i = 0; i < files->n; i++) {
		walk_file_t *f = &files->files[i];
		sum->files_seen++;
		strmap_slot_t *sl = strmap_get(known, f->path);
		known_t *kn = sl ? sl->val : NULL;
		if (kn && kn->seen)
			continue; /* the same file reached twice (overlapping roots) */
		if (kn)
			kn->seen = 1;
		if (kn && kn->mtime == f->mtime && kn->size == f->size) {
			sum->unchanged++;
			report(&w, f->path, LODE_FILE_UNCHANGED, NULL, 0);
			continue;
		}
		p.jobs[p.njobs].f = f;
		p.jobs[p.njobs].known = kn;
		w.bytes_total += f->size;
		p.njobs++;
	}
	if (have_stdin)
		p.njobs++; /* the last job, f == NULL */

	unsigned nw = n_workers(o);
	worker_t ws[MAX_JOBS];
	pthread_t th[MAX_JOBS];
	unsigned started = 0;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.done_cv, NULL);
	pthread_cond_init(&p.space_cv, NULL);
	char *em = NULL;
	for (unsigned i = 0; i < nw; i++) {
		ws[i].p = &p;
		ws[i].terms = terms_new(idx->lang, &em);
		if (!ws[i].terms) {
			index_set_err(idx, "%s", em ? em : "out of memory");
			free(em);
			for (unsigned k = 0; k < i; k++)
				terms_free(ws[k].terms);
			rc = LODE_NOMEM;
			goto out;
		}
	}
	if (nw > 1 && p.njobs > 1) {
		for (; started < nw; started++)
			if (pthread_create(&th[started], NULL, worker_main, &ws[started]))
				break;
	}

	for (size_t i = 0; i < p.njobs && rc == LODE_OK; i++) {
		job_t *j = &p.jobs[i];
		if (stop_requested(&p)) {
			rc = LODE_INTERRUPTED;
			break;
		}
		if (started) {
			pthread_mutex_lock(&p.mu);
			while (j->state != J_DONE && !(j->state == J_TODO && stop_requested(&p)))
				pthread_cond_wait(&p.done_cv, &p.mu);
			pthread_mutex_unlock(&p.mu);
			if (j->state != J_DONE) {
				rc = LODE_INTERRUPTED;
				break;
			}
		} else {
			process(&p, j, ws[0].terms);
		}
		rc = write_job(&w, j);
		job_release(j);
		if (started) {
			pthread_mutex_lock(&p.mu);
			p.next_write = i + 1;
			p.inflight -= j->f ? j->f->size : 0;
			pthread_cond_broadcast(&p.space_cv);
			pthread_mutex_unlock(&p.mu);
		}
		progress(&w);
	}
	if (rc == LODE_OK)
		rc = remove_gone(&w, files, known, roots, nroots, cb);
	if (rc == LODE_OK || rc == LODE_INTERRUPTED) {
		lode_status_t r2 = txn_commit(&w);
		if (r2 != LODE_OK)
			rc = r2;
	} else if (w.in_txn) {
		xap_db_cancel_transaction(idx->db);
	}
	sum->interrupted = rc == LODE_INTERRUPTED;

	/* Let the workers finish what they hold, then drop the rest. */
	pthread_mutex_lock(&p.mu);
	p.abort = 1;
	pthread_cond_broadcast(&p.space_cv);
	pthread_mutex_unlock(&p.mu);
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	for (unsigned i = 0; i < nw; i++)
		terms_free(ws[i].terms);
out:
	for (size_t i = 0; i < p.njobs; i++)
		job_release(&p.jobs[i]);
	free(p.jobs);
	buf_free(&w.term);
	buf_free(&w.val);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.done_cv);
	pthread_cond_destroy(&p.space_cv);
	return rc;
}
