/* pipeline.c - read, parse and term-ify files, and have them written.
 *
 * An index of one segment: worker threads read, parse and build documents;
 * the calling thread writes them in file order (so docids, and with them the
 * index, do not depend on -j), one transaction per batch. Workers claim
 * files in order but run at most MAX_AHEAD files or MAX_INFLIGHT bytes ahead
 * of the writer: memory is bounded by those, not by the corpus. With one job
 * everything runs in the calling thread.
 *
 * An index of several segments (segments.h): one lane per thread, each lane
 * owning some segments and doing everything for their files - read, parse,
 * build, write, commit - so Xapian's writers run in parallel. A segment's
 * files are written in file order; which segment a new file goes to depends
 * on which lane comes to it first (take_job), so docids differ from one
 * build to the next. Nothing shown depends on them: ties in score are broken
 * by path (search_order.c). */
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
	int bulk;  /* the writers write runs (index_runs.c): jobs keep their docbufs */
} pipe_t;

typedef struct {
	pipe_t *p;
	job_t *job;
	terms_t *terms;
	terms_file_t tf;
	docbuf_t doc;  /* the document being built */
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
		void *nd = e->p->bulk ? realloc(j->bufs, cap * sizeof *j->bufs)
				      : realloc(j->docs, cap * sizeof *j->docs);
		if (!nd) {
			e->failed = 1;
			e->why = "out of memory";
			return 1;
		}
		if (e->p->bulk)
			j->bufs = nd;
		else
			j->docs = nd;
		j->cap = cap;
	}
	ldoc_t dd = *d;
	if (j->stdin_key)
		dd.subkey = j->stdin_key;
	if (terms_build(e->terms, &dd, &e->tf, &e->doc, &e->why)) {
		e->failed = 1;
		return 1;
	}
	if (e->p->bulk) { /* the recording itself goes to the writer */
		j->bufs[j->ndocs++] = e->doc;
		e->doc = (docbuf_t)DOCBUF_INIT;
		j->t_terms += index_now() - t;
		return 0;
	}
	xap_doc_t *doc = NULL;
	xap_status_t xs = xap_doc_new(&doc);
	if (xs == XAP_OK)
		xs = docbuf_to_xapian(&e->doc, doc);
	if (xs != XAP_OK) {
		xap_doc_destroy(doc);
		e->failed = 1;
		e->why = xs == XAP_NOMEM ? "out of memory" : "cannot build the document";
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
	}, DOCBUF_INIT, 0, NULL };
	parse_input_t in = {
		.path = path, .data = data, .len = len, .format = FMT_UNKNOWN,
		.jsonl_map = &p->jmap, .warn = job_warn, .ctx = &e,
	};
	double t1 = index_now();
	const char *preason = NULL;
	parse_result_t pr = parse_document(&in, job_emit, &preason);
	j->t_parse = index_now() - t1 - j->t_terms;
	free(data);
	docbuf_free(&e.doc);
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
	for (size_t i = 0; i < j->ndocs; i++) {
		if (j->bufs)
			docbuf_free(&j->bufs[i]);
		else
			xap_doc_destroy(j->docs[i]);
	}
	free(j->docs);
	free(j->bufs);
	j->docs = NULL;
	j->bufs = NULL;
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

/* ------------------------------------------------ one segment: workers + writer */

static lode_status_t run_single(pipe_t *p, writer_t *w, worker_t *ws, unsigned nw)
{
	lode_status_t rc = LODE_OK;
	pthread_t th[MAX_JOBS];
	unsigned started = 0;
	if (nw > 1 && p->njobs > 1) {
		for (; started < nw; started++)
			if (pthread_create(&th[started], NULL, worker_main, &ws[started]))
				break;
	}
	for (size_t i = 0; i < p->njobs && rc == LODE_OK; i++) {
		job_t *j = &p->jobs[i];
		if (stop_requested(p)) {
			rc = LODE_INTERRUPTED;
			break;
		}
		if (started) {
			pthread_mutex_lock(&p->mu);
			while (j->state != J_DONE && !(j->state == J_TODO && stop_requested(p)))
				pthread_cond_wait(&p->done_cv, &p->mu);
			pthread_mutex_unlock(&p->mu);
			if (j->state != J_DONE) {
				rc = LODE_INTERRUPTED;
				break;
			}
		} else {
			process(p, j, ws[0].terms);
		}
		rc = writer_write(w, j);
		job_release(j);
		if (started) {
			pthread_mutex_lock(&p->mu);
			p->next_write = i + 1;
			p->inflight -= j->f ? j->f->size : 0;
			pthread_cond_broadcast(&p->space_cv);
			pthread_mutex_unlock(&p->mu);
		}
		writer_progress(w, w->sum);
	}
	/* Let the workers finish what they hold, then drop the rest. */
	pthread_mutex_lock(&p->mu);
	p->abort = 1;
	pthread_cond_broadcast(&p->space_cv);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return rc;
}

/* ------------------------------------------------ several segments: lanes */

typedef struct {
	pipe_t *p;
	terms_t *terms;
	writer_t *w;                 /* every segment's writer */
	unsigned nseg, lane, nlanes; /* this lane owns segments k with k % nlanes == lane */
	lode_index_summary_t *total; /* shared, under p->mu */
	lode_index_summary_t sum;    /* this lane's counts since they were last added */
	lode_status_t rc;
} lane_t;

static void sum_add(lode_index_summary_t *to, lode_index_summary_t *from)
{
	to->files_seen += from->files_seen;
	to->indexed += from->indexed;
	to->unchanged += from->unchanged;
	to->removed += from->removed;
	to->skipped += from->skipped;
	to->failed += from->failed;
	to->docs_added += from->docs_added;
	to->docs_removed += from->docs_removed;
	to->bytes_read += from->bytes_read;
	to->warnings += from->warnings;
	to->t_read += from->t_read;
	to->t_parse += from->t_parse;
	to->t_terms += from->t_terms;
	to->t_write += from->t_write;
	to->t_commit += from->t_commit;
	memset(from, 0, sizeof *from);
}

/* Whether lane L writes job J. A file the index has goes back to its
 * segment, whose lane writes it (stdin's documents: segment 0). A new file
 * goes to whichever lane comes to it first, into one of that lane's
 * segments (its path's hash picks which), so that lanes finish together
 * however the work falls: its f: record goes with it, and updates find it
 * there. */
static int take_job(lane_t *l, job_t *j)
{
	if (j->known || !j->f)
		return j->seg % l->nlanes == l->lane;
	if (__atomic_exchange_n(&j->lane_claimed, 1, __ATOMIC_ACQ_REL))
		return 0;
	unsigned owned = (l->nseg - l->lane + l->nlanes - 1) / l->nlanes;
	if (owned > 1)
		j->seg = l->lane + l->nlanes * walk_shard_of(j->f->path, strlen(j->f->path), owned);
	else
		j->seg = l->lane;
	return 1;
}

static void *lane_main(void *arg)
{
	lane_t *l = arg;
	pipe_t *p = l->p;
	for (size_t i = 0; i < p->njobs && l->rc == LODE_OK; i++) {
		job_t *j = &p->jobs[i];
		if (!take_job(l, j))
			continue;
		if (stop_requested(p)) {
			l->rc = LODE_INTERRUPTED;
			break;
		}
		process(p, j, l->terms);
		l->rc = writer_write(&l->w[j->seg], j);
		job_release(j);
		pthread_mutex_lock(&p->mu);
		sum_add(l->total, &l->sum);
		writer_progress(&l->w[0], l->total);
		pthread_mutex_unlock(&p->mu);
	}
	/* A lane that fails stops the others: their work so far is committed. */
	if (l->rc != LODE_OK && l->rc != LODE_INTERRUPTED) {
		pthread_mutex_lock(&p->mu);
		p->abort = 1;
		pthread_mutex_unlock(&p->mu);
	}
	for (unsigned k = l->lane; k < l->nseg; k += l->nlanes)
		l->rc = writer_finish(&l->w[k], l->rc);
	pthread_mutex_lock(&p->mu);
	sum_add(l->total, &l->sum);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static lode_status_t run_lanes(pipe_t *p, writer_t *w, unsigned nseg, worker_t *ws,
			       unsigned nlanes, lode_index_summary_t *sum)
{
	lane_t lanes[MAX_JOBS];
	pthread_t th[MAX_JOBS];
	unsigned started = 0;
	for (unsigned i = 0; i < nlanes; i++) {
		lanes[i] = (lane_t){ .p = p, .terms = ws[i].terms, .w = w, .nseg = nseg,
				     .lane = i, .nlanes = nlanes, .total = sum, .rc = LODE_OK };
	}
	for (unsigned k = 0; k < nseg; k++) {
		w[k].sum = &lanes[k % nlanes].sum;
		w[k].mu = &p->mu;
	}
	/* the calling thread runs lane 0, and any lane that got no thread */
	for (started = 1; started < nlanes; started++)
		if (pthread_create(&th[started], NULL, lane_main, &lanes[started]))
			break;
	lane_main(&lanes[0]);
	for (unsigned i = started; i < nlanes; i++)
		lane_main(&lanes[i]);
	for (unsigned i = 1; i < started; i++)
		pthread_join(th[i], NULL);
	lode_status_t rc = LODE_OK;
	for (unsigned i = 0; i < nlanes; i++)
		if (lanes[i].rc != LODE_OK && (rc == LODE_OK || rc == LODE_INTERRUPTED))
			rc = lanes[i].rc;
	for (unsigned k = 0; k < nseg; k++) {
		w[k].sum = sum;
		w[k].mu = NULL;
	}
	return rc;
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
	unsigned nseg = idx->layout.n;
	writer_t w[SEGMENTS_MAX];
	unsigned ndocs = index_doc_count(idx);
	for (unsigned k = 0; k < nseg; k++) {
		/* several writers share the memory one would have */
		w[k] = (writer_t){ .idx = idx, .db = idx->seg[k], .dir = idx->layout.path[k],
				   .cb = cb, .sum = sum,
				   .max_docs = o->batch_docs / nseg ? o->batch_docs / nseg : 1,
				   .max_bytes = MAX_INFLIGHT / nseg,
				   .max_heap = (size_t)o->max_memory,
				   .fresh = ndocs == 0 && known->n == 0 };
	}

	/* Unchanged files need nothing but a stat; the rest become jobs. */
	p.jobs = calloc(files->n + 1, sizeof *p.jobs);
	if (!p.jobs)
		return LODE_NOMEM;
	uint64_t bytes_total = 0;
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
			writer_report(&w[0], f->path, LODE_FILE_UNCHANGED, NULL, 0);
			continue;
		}
		job_t *j = &p.jobs[p.njobs++];
		j->f = f;
		j->known = kn;
		j->seg = kn && kn->seg < nseg ? kn->seg : segments_route(&idx->layout, f->path);
		bytes_total += f->size;
	}
	if (have_stdin)
		p.njobs++; /* the last job, f == NULL, in segment 0 */
	for (unsigned k = 0; k < nseg; k++)
		runs_writer_setup(&w[k], have_stdin);
	p.bulk = w[0].bulk;
	for (unsigned k = 1; k < nseg; k++)
		p.bulk &= w[k].bulk;
	for (unsigned k = 0; k < nseg && !p.bulk; k++)
		w[k].bulk = 0; /* all or none: the jobs are built for one kind */
	for (unsigned k = 0; k < nseg; k++)
		w[k].bytes_total = bytes_total;

	unsigned nw = index_jobs(o);
	if (nw > MAX_JOBS)
		nw = MAX_JOBS;
	unsigned nlanes = nseg > 1 ? (nw < nseg ? nw : nseg) : 0;
	unsigned nterms = nlanes ? nlanes : nw;
	worker_t ws[MAX_JOBS];
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.done_cv, NULL);
	pthread_cond_init(&p.space_cv, NULL);
	unsigned made = 0;
	char *em = NULL;
	for (; made < nterms; made++) {
		ws[made].p = &p;
		ws[made].terms = terms_new(idx->lang, &em);
		if (!ws[made].terms) {
			index_set_err(idx, "%s", em ? em : "out of memory");
			free(em);
			rc = LODE_NOMEM;
			goto out;
		}
	}
	rc = nlanes ? run_lanes(&p, w, nseg, ws, nlanes, sum) : run_single(&p, &w[0], ws, nw);
	if (rc == LODE_OK)
		rc = writer_remove_gone(w, files, known, roots, nroots, cb);
	for (unsigned k = 0; k < nseg; k++)
		rc = writer_finish(&w[k], rc);
	sum->interrupted = rc == LODE_INTERRUPTED;
out:
	for (unsigned i = 0; i < made; i++)
		terms_free(ws[i].terms);
	for (size_t i = 0; i < p.njobs; i++)
		job_release(&p.jobs[i]);
	free(p.jobs);
	for (unsigned k = 0; k < nseg; k++) {
		buf_free(&w[k].term);
		buf_free(&w[k].val);
		free(w[k].run_path);
	}
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.done_cv);
	pthread_cond_destroy(&p.space_cv);
	return rc;
}
