/* index_write.c - write finished jobs into one segment of an index: one
 * transaction per batch, so every committed batch is searchable and a crash
 * leaves the last commit intact; remove the documents of files that are gone.
 * A writer is used by one thread at a time; callbacks go through its lock
 * when several writers run at once (see pipeline.c). */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "index_impl.h"
#include "index_space.h"
#include "schema.h"

/* Xapian buffers a batch in memory until it is committed; what that takes
 * per document depends on the corpus, so the heap itself is watched and a
 * batch is committed once the whole process's heap passes the limit. Not
 * often: mallinfo2 walks every arena's free lists holding its lock, which
 * stalls the other writers' mallocs, and after a commit has freed Xapian's
 * buffers those lists are long. Checking every 16 documents took a fifth of
 * a two-lane build; every HEAP_CHECK_S lets the heap grow by what a writer
 * adds in that time (a few MB) past the limit at most. */
#define HEAP_CHECK_S 0.1

/* glibc sets up its malloc state on the first mallinfo2 when nothing else
 * has (a sanitizer's allocator took malloc's place): two writers making
 * that first call at once had one walk the state the other was still
 * setting up (a SEGV in int_mallinfo, seen under ASan). */
static pthread_once_t heap_once = PTHREAD_ONCE_INIT;

static void heap_first_look(void)
{
	(void)mallinfo2();
}

static int over_memory(writer_t *w)
{
	/* every 16 documents, or every MB of text: big documents each */
	if (!w->max_heap ||
	    (w->batch_docs < w->next_heap_check && w->batch_bytes < w->next_heap_bytes))
		return 0;
	w->next_heap_check = w->batch_docs + 16;
	w->next_heap_bytes = w->batch_bytes + (1u << 20);
	double now = index_now();
	if (now - w->last_heap_check < HEAP_CHECK_S)
		return 0;
	w->last_heap_check = now;
	pthread_once(&heap_once, heap_first_look);
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd > w->max_heap;
}

/* The open batch is committed (KEEP) or dropped: what it added or removed
 * counts in the summary only once it is in the index. */
static void batch_ends(writer_t *w, int keep)
{
	if (keep) {
		w->sum->indexed += w->pend.indexed;
		w->sum->docs_added += w->pend.docs_added;
		w->sum->removed += w->pend.removed;
		w->sum->docs_removed += w->pend.docs_removed;
	}
	memset(&w->pend, 0, sizeof w->pend);
}

/* Drop the open batch, if any: nothing it added or removed counts. */
static void batch_drop(writer_t *w)
{
	if (w->in_txn) {
		if (w->bulk)
			runs_writer_drop(w);
		else
			xap_db_cancel_transaction(w->db);
		w->in_txn = 0;
	}
	batch_ends(w, 0);
}

/* What the writers of all segments share (the index's message, the
 * callbacks) is used under their lock, when they run in parallel. */
static void shared_lock(writer_t *w)
{
	if (w->mu)
		pthread_mutex_lock(w->mu);
}

static void shared_unlock(writer_t *w)
{
	if (w->mu)
		pthread_mutex_unlock(w->mu);
}

/* The index's message, emptied for a new one: under the lock until
 * shared_unlock. */
static buf_t *err_begin(writer_t *w)
{
	shared_lock(w);
	buf_reset(&w->idx->err);
	return &w->idx->err;
}

lode_status_t writer_fail(writer_t *w, xap_status_t xs, const char *what)
{
	buf_printf(err_begin(w), "%s: %s", what, xap_db_errmsg(w->db));
	shared_unlock(w);
	batch_drop(w);
	return index_status_of(xs);
}

static lode_status_t txn_begin(writer_t *w)
{
	if (w->in_txn)
		return LODE_OK;
	if (w->bulk) {
		lode_status_t rc = runs_writer_begin(w);
		if (rc != LODE_OK)
			return rc;
	} else {
		xap_status_t xs = xap_db_begin_transaction(w->db, 1);
		if (xs != XAP_OK)
			return writer_fail(w, xs, "cannot start a batch");
	}
	w->in_txn = 1;
	w->batch_docs = 0;
	w->batch_bytes = 0;
	w->next_heap_check = 16;
	w->next_heap_bytes = 1u << 20;
	return LODE_OK;
}

/* Drop the open batch: the file system has AVAIL bytes where committing
 * it may take NEED and the other writers' commits under way OTHERS (see
 * index_space.c). */
static lode_status_t no_room(writer_t *w, uint64_t avail, uint64_t need, uint64_t others)
{
	buf_t *e = err_begin(w);
	buf_printf(e, "cannot commit: %s: %s (%.1f MB free; committing %u documents may take %.1f MB",
		   w->dir, strerror(ENOSPC), avail / 1e6, w->batch_docs, need / 1e6);
	if (others)
		buf_printf(e, ", the other segments' commits %.1f MB", others / 1e6);
	buf_printf(e, ")");
	shared_unlock(w);
	batch_drop(w);
	return LODE_IO;
}

lode_status_t writer_commit(writer_t *w)
{
	if (!w->in_txn)
		return LODE_OK;
	/* room for this commit and for those the other writers have under way */
	uint64_t need = space_commit_need(w->batch_docs + w->pend.docs_removed, w->batch_bytes);
	uint64_t others = __atomic_fetch_add(&w->idx->space_reserved, need, __ATOMIC_RELAXED);
	uint64_t avail;
	if (space_avail(w->dir, &avail) == 0 && avail < need + others) {
		__atomic_fetch_sub(&w->idx->space_reserved, need, __ATOMIC_RELAXED);
		return no_room(w, avail, need, others);
	}
	double t = index_now();
	if (w->bulk) {
		lode_status_t rc = runs_writer_commit(w);
		__atomic_fetch_sub(&w->idx->space_reserved, need, __ATOMIC_RELAXED);
		w->sum->t_commit += index_now() - t;
		if (rc != LODE_OK) {
			w->in_txn = 0;
			batch_ends(w, 0);
			return rc;
		}
		w->in_txn = 0;
		batch_ends(w, 1);
		return LODE_OK;
	}
	xap_status_t xs = xap_db_commit_transaction(w->db);
	__atomic_fetch_sub(&w->idx->space_reserved, need, __ATOMIC_RELAXED);
	w->in_txn = 0;
	w->sum->t_commit += index_now() - t;
	if (xs != XAP_OK)
		return writer_fail(w, xs, "cannot commit");
	batch_ends(w, 1);
	return LODE_OK;
}

lode_status_t writer_finish(writer_t *w, lode_status_t rc)
{
	if (rc == LODE_OK || rc == LODE_INTERRUPTED) {
		lode_status_t r2 = writer_commit(w);
		return r2 != LODE_OK ? r2 : rc;
	}
	batch_drop(w);
	return rc;
}

static void report(writer_t *w, const char *path, lode_file_outcome_t o, const char *reason,
		   unsigned ndocs)
{
	if (!w->cb || !w->cb->on_file)
		return;
	shared_lock(w);
	w->cb->on_file(w->cb->ctx, path, o, reason, ndocs);
	shared_unlock(w);
}

void writer_report(writer_t *w, const char *path, lode_file_outcome_t o, const char *reason,
		   unsigned ndocs)
{
	report(w, path, o, reason, ndocs);
}

void writer_progress(writer_t *w, const lode_index_summary_t *so_far)
{
	if (!w->cb || !w->cb->on_progress)
		return;
	double t = index_now();
	if (t - w->last_progress < 0.2)
		return;
	w->last_progress = t;
	w->cb->on_progress(w->cb->ctx, so_far, w->bytes_total);
}

static xap_status_t forget_file(writer_t *w, const char *path)
{
	schema_term(&w->term, PFX_FILE, path, strlen(path));
	xap_status_t xs = xap_db_delete_docs_by_term(w->db, w->term.p, w->term.len);
	if (xs != XAP_OK)
		return xs;
	schema_file_key(&w->term, path);
	return xap_db_set_metadata(w->db, w->term.p, "", 0);
}

void writer_file_record(writer_t *w, const walk_file_t *f, uint64_t hash, size_t ndocs)
{
	int shortened = schema_file_key(&w->term, f->path);
	buf_reset(&w->val);
	buf_printf(&w->val, "%lld %llu %llx %zu", (long long)f->mtime,
		   (unsigned long long)f->size, (unsigned long long)hash, ndocs);
	if (shortened)
		buf_printf(&w->val, " %s", f->path);
}

/* J's file and documents are in the open batch. */
static void batch_counts(writer_t *w, const job_t *j)
{
	w->pend.indexed++;
	w->pend.docs_added += j->ndocs;
	w->batch_docs += (unsigned)j->ndocs;
	w->batch_bytes += j->bytes;
}

static lode_status_t remember_file(writer_t *w, const walk_file_t *f, uint64_t hash, size_t ndocs)
{
	writer_file_record(w, f, hash, ndocs);
	xap_status_t xs = xap_db_set_metadata(w->db, w->term.p, w->val.p, w->val.len);
	return xs == XAP_OK ? LODE_OK : writer_fail(w, xs, "cannot record a file");
}

/* Write one finished job into the index. */
lode_status_t writer_write(writer_t *w, job_t *j)
{
	lode_index_summary_t *s = w->sum;
	const char *path = j->f ? j->f->path : "-";
	s->t_read += j->t_read;
	s->t_parse += j->t_parse;
	s->t_terms += j->t_terms;
	s->bytes_read += j->bytes;
	s->warnings += j->nwarns;
	if (j->nwarns && w->cb && w->cb->on_warning) {
		shared_lock(w);
		for (size_t i = 0; i < j->nwarns; i++)
			w->cb->on_warning(w->cb->ctx, path, j->warns[i].line, j->warns[i].reason);
		shared_unlock(w);
	}
	lode_status_t rc = txn_begin(w);
	if (rc != LODE_OK)
		return rc;
	double t = index_now();
	xap_status_t xs = XAP_OK;
	switch (j->outcome) {
	case LODE_FILE_INDEXED:
		if (w->bulk) {
			if ((rc = runs_writer_add(w, j)) != LODE_OK)
				return rc;
			batch_counts(w, j);
			break;
		}
		if (j->f && (j->known || !w->fresh))
			xs = forget_file(w, path);
		for (size_t i = 0; xs == XAP_OK && i < j->ndocs; i++) {
			if (j->f)
				xs = xap_db_add_doc(w->db, j->docs[i], NULL);
			else { /* stdin: the same text again replaces itself */
				schema_key(&w->term, "-", j->stdin_key);
				xs = xap_db_replace_doc_by_term(w->db, w->term.p, w->term.len,
								j->docs[i], NULL);
			}
		}
		if (xs != XAP_OK)
			return writer_fail(w, xs, "cannot add a document");
		if (j->f && (rc = remember_file(w, j->f, j->hash, j->ndocs)) != LODE_OK)
			return rc;
		batch_counts(w, j);
		break;
	case LODE_FILE_UNCHANGED: /* touched, same content */
		if ((rc = remember_file(w, j->f, j->hash, 0)) != LODE_OK)
			return rc;
		s->unchanged++;
		break;
	case LODE_FILE_SKIPPED:
		/* what the file was is not what it is: its old documents go */
		if (j->known && (xs = forget_file(w, path)) != XAP_OK)
			return writer_fail(w, xs, "cannot remove a document");
		s->skipped++;
		break;
	default: /* failed: keep whatever the index had of it */
		s->failed++;
		break;
	}
	s->t_write += index_now() - t;
	report(w, path, j->outcome, j->reason, (unsigned)j->ndocs);
	if (w->batch_docs >= w->max_docs || w->batch_bytes >= w->max_bytes || over_memory(w))
		return writer_commit(w);
	return LODE_OK;
}

static int under_bad_dir(const walk_list_t *files, const char *path)
{
	for (size_t i = 0; i < files->n_bad; i++)
		if (walk_under(path, files->bad_dirs[i]))
			return 1;
	return 0;
}

lode_status_t writer_remove_gone(writer_t *ws, walk_list_t *files, strmap_t *known,
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
		writer_t *w = &ws[((known_t *)sl->val)->seg];
		lode_status_t rc = txn_begin(w);
		if (rc != LODE_OK)
			return rc;
		unsigned before = 0, after = 0;
		xap_db_doc_count(w->db, &before);
		xap_status_t xs = forget_file(w, sl->key);
		if (xs != XAP_OK)
			return writer_fail(w, xs, "cannot remove a document");
		xap_db_doc_count(w->db, &after);
		w->pend.removed++;
		w->pend.docs_removed += before - after;
		report(w, sl->key, LODE_FILE_REMOVED, NULL, before - after);
		if (++w->batch_docs >= w->max_docs && (rc = writer_commit(w)) != LODE_OK)
			return rc;
	}
	return LODE_OK;
}
