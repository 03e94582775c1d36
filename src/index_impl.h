/* index_impl.h - what index.c and pipeline.c share about a writable index. */
#ifndef LODE_INDEX_IMPL_H
#define LODE_INDEX_IMPL_H
#include <pthread.h>
#include <stdint.h>
#include "buf.h"
#include "docbuf.h"
#include "glass_writer.h"
#include "runs_docdata.h"
#include "lode.h"
#include "segments.h"
#include "strmap.h"
#include "walk.h"
#include "xapian_c.h"

struct lode_index {
	xap_db_t *db;            /* seg[0]: settings, roots (not owned twice) */
	xap_db_t *seg[SEGMENTS_MAX]; /* one writable database per segment */
	segments_t layout;       /* the segments' directories */
	int no_sync;             /* a new index: commits do not fsync; synced at the end */
	int compacted;           /* index_compact ran in this session */
	uint64_t space_reserved; /* what the writers' commits under way may
				  * write (index_space.c); atomic */
	char *path;
	char *lang;              /* canonical stemmer name, from the index */
	lode_index_opts_t opts;  /* borrowed strings: valid while the caller's are */
	rdd_t *rdd[SEGMENTS_MAX]; /* a bulk build's records per segment (runs_docdata.h) */
	buf_t err;
};

/* What the index remembers of a file ("f:" metadata). */
typedef struct {
	int64_t mtime;
	uint64_t size, hash;
	unsigned seg;            /* the segment its documents are in */
	int seen;                /* found by this run's walk */
} known_t;

void index_set_err(lode_index_t *idx, const char *fmt, const char *arg);
lode_status_t index_status_of(xap_status_t st);
double index_now(void);
/* The documents in every segment of IDX (a segment that cannot say counts 0). */
unsigned index_doc_count(lode_index_t *idx);
/* Open segment K of IDX for writing (a one-segment index is created when
 * missing), waiting up to WAIT_SECONDS for its lock. On failure *errmsg (if
 * given) names the index and the reason, to free. */
lode_status_t index_open_segment(lode_index_t *idx, unsigned k, unsigned wait_seconds,
				 char **errmsg);
/* Compact IDX's segments in place and reopen them (index_compact.c). A
 * segment whose runs lode's merge could not merge (Xapian's compactor did)
 * is a warning: through CB's on_warning and in SUM's count (both may be NULL). */
lode_status_t index_compact(lode_index_t *idx, const lode_index_callbacks_t *cb,
			    lode_index_summary_t *sum);
/* Worker threads for OPTS (its jobs, else the number of cores). */
unsigned index_jobs(const lode_index_opts_t *opts);

/* ------------------------------------------------ jobs (pipeline.c) */

typedef struct {
	unsigned line;
	char *reason;
} warning_t;

typedef enum { J_TODO, J_CLAIMED, J_DONE } jstate_t;

/* One file to (re)index, and what became of it. */
typedef struct {
	const walk_file_t *f;        /* NULL for stdin */
	const known_t *known;        /* what the index had, or NULL */
	unsigned seg;                /* the segment it goes to */
	int lane_claimed;            /* a new file: taken by the first lane free
					(its segment is that lane's); atomic */
	jstate_t state;
	lode_file_outcome_t outcome;
	int touched_only;            /* content unchanged: only remember the new mtime */
	const char *reason;          /* static, or points into reason_buf */
	char reason_buf[160];
	xap_doc_t **docs;            /* its documents for Xapian's writer, or ... */
	docbuf_t *bufs;              /* ... as recorded, for a bulk build's (index_runs.c) */
	size_t ndocs, cap;
	warning_t *warns;
	size_t nwarns;
	uint64_t hash, bytes;
	double t_read, t_parse, t_terms;
	char *stdin_key;             /* stdin: "sha:<hash>" subkey */
} job_t;

/* --------------------------------------- one segment's writer (index_write.c) */

typedef struct {
	lode_index_t *idx;
	xap_db_t *db;               /* the segment */
	const char *dir;            /* its directory */
	const lode_index_callbacks_t *cb;
	pthread_mutex_t *mu;        /* held around callbacks when writers run in parallel */
	lode_index_summary_t *sum;
	lode_index_summary_t pend;  /* the open batch's files and documents, added
				     * to *sum once it is committed */
	int in_txn;
	unsigned batch_docs, max_docs;  /* commit after max_docs documents ... */
	uint64_t batch_bytes, max_bytes; /* ... or max_bytes of input ... */
	size_t max_heap;            /* ... or when the heap passes this (0: no limit) */
	unsigned next_heap_check;
	uint64_t next_heap_bytes;
	double last_heap_check;     /* when mallinfo2 last ran (index_now) */
	buf_t term, val;
	double last_progress;
	uint64_t bytes_total;
	int fresh;                  /* the index was empty: nothing to replace */
	/* A bulk build (index_runs.c): each batch written by lode's own writer
	 * as a run of this segment, not by Xapian's */
	int bulk;
	gw_t *run;                  /* the open batch's run */
	char *run_path;
	unsigned run_no;            /* the runs this writer started */
	unsigned next_did;          /* the next document's id in the segment */
} writer_t;

/* Record the failure of WHAT in the index's message; cancels the batch. */
lode_status_t writer_fail(writer_t *w, xap_status_t xs, const char *what);
/* What the index remembers of file F ("f:" metadata, schema.h): the key
 * into W->term, the value into W->val (check their oom). */
void writer_file_record(writer_t *w, const walk_file_t *f, uint64_t hash, size_t ndocs);
/* Write one finished job (in a batch, committed when it is full). */
lode_status_t writer_write(writer_t *w, job_t *j);
/* Commit the open batch, if any. */
lode_status_t writer_commit(writer_t *w);
/* End the open batch after a run that ended with RC: committed after
 * success or a stop, cancelled after a failure. RC, or the commit's failure. */
lode_status_t writer_finish(writer_t *w, lode_status_t rc);
void writer_report(writer_t *w, const char *path, lode_file_outcome_t o, const char *reason,
		   unsigned ndocs);
/* The progress callback, at most five times a second. */
void writer_progress(writer_t *w, const lode_index_summary_t *so_far);
/* Remove the known files under ROOTS that this run's walk did not see,
 * each through WS[its segment]. */
lode_status_t writer_remove_gone(writer_t *ws, walk_list_t *files, strmap_t *known,
				 char **roots, size_t nroots, const lode_index_callbacks_t *cb);

/* ----------------------------- a bulk build's runs (index_runs.c, runs.h) */

/* Whether W's batches can be runs: a new index's segment in a stub, and no
 * document from stdin (whose id replaces itself). Sets it up if so. */
void runs_writer_setup(writer_t *w, int have_stdin);
/* Begin, add to, end or drop the open batch's run. */
lode_status_t runs_writer_begin(writer_t *w);
lode_status_t runs_writer_add(writer_t *w, job_t *j);
lode_status_t runs_writer_commit(writer_t *w);
void runs_writer_drop(writer_t *w);
/* 1 when some segment of IDX has runs listed (a merge is due). */
int index_has_runs(lode_index_t *idx);

/* Index FILES against KNOWN (path -> known_t), remove the known files under
 * ROOTS (entries may be NULL) that are gone, then read one document from
 * stdin when HAVE_STDIN. Commits per batch; the caller commits the last. */
lode_status_t pipeline_run(lode_index_t *idx, walk_list_t *files, strmap_t *known,
			   char **roots, size_t nroots, int have_stdin,
			   const lode_index_callbacks_t *cb, lode_index_summary_t *sum);
#endif
