/* lode.h - liblode, full-text search over directories of articles.
 *
 * Everything the `lode` program does goes through this header. Conventions:
 *  - functions return lode_status_t; results come through out-parameters,
 *    which are set to NULL (or zero) on failure;
 *  - the detail of the last failure on a handle is lode_*_errmsg(handle),
 *    valid until the next call on that handle; constructors that fail before
 *    a handle exists hand back a message the caller frees with lode_free();
 *  - every *_close() and *_free() accepts NULL;
 *  - strings in result structs are borrowed from the object that filled them
 *    and valid until that object is freed.
 */
#ifndef LODE_H
#define LODE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LODE_VERSION_MAJOR 0
#define LODE_VERSION_MINOR 1
#define LODE_VERSION_PATCH 0
#define LODE_VERSION_STRING "0.1.0"
#define LODE_VERSION_NUMBER (LODE_VERSION_MAJOR * 10000 + LODE_VERSION_MINOR * 100 + LODE_VERSION_PATCH)

/* The library's version at run time ("0.1.0"). */
const char *lode_version(void);

/* What the caller can do next. */
typedef enum {
	LODE_OK = 0,
	LODE_BUSY = 1,        /* another writer holds the index: wait, or give up */
	LODE_NO_INDEX = 2,    /* no index (or no such document) at that place */
	LODE_RETRY = 3,       /* the index changed under a reader: reopen and retry */
	LODE_CORRUPT = 4,     /* the index files are damaged: rebuild */
	LODE_BAD_QUERY = 5,   /* the query cannot be run */
	LODE_ENGINE = 6,      /* any other engine error (I/O, network ...) */
	LODE_NOMEM = 7,       /* out of memory */
	LODE_INTERNAL = 8,    /* a bug: please report */
	LODE_INVALID = 9,     /* an invalid argument or option */
	LODE_IO = 10,         /* a file could not be read or written */
	LODE_INTERRUPTED = 11,/* stopped by the caller's stop flag; work so far committed */
} lode_status_t;

/* Static English description of ST ("busy", "index is corrupt", ...). */
const char *lode_status_str(lode_status_t st);
/* Frees strings liblode handed over (error messages). */
void lode_free(void *p);

/* ------------------------------------------------------------------ index */

typedef struct lode_index lode_index_t;

typedef struct {
	const char *lang;        /* stemming language; NULL: the index's, else "english" */
	unsigned wait_seconds;   /* wait this long for the write lock (0: fail at once) */
	unsigned jobs;           /* worker threads (0: number of cores) */
	uint64_t max_size;       /* skip files larger than this (after gunzip); 0: default 64 MiB */
	unsigned batch_docs;     /* commit every N documents (0: default) */
	const char *const *excludes; /* fnmatch globs matched against names and paths */
	size_t n_excludes;
	int include_hidden;      /* walk hidden files and directories too */
	const char *jsonl_id, *jsonl_title, *jsonl_text; /* JSON-lines field names, NULL: defaults */
	const char *jsonl_author, *jsonl_date, *jsonl_url;
	unsigned shard, shards;  /* shards > 1: index only the files whose path (relative
				    to its root) hashes to shard (0-based) of shards */
	unsigned segments;       /* a new index: segments written in parallel, 1..16
				    (0: as many as jobs, at most 8); an existing
				    index keeps its own */
	uint64_t max_memory;     /* commit a batch early when the heap passes this many
				    bytes (0: default 128 MiB; UINT64_MAX: no limit) */
	int no_compact;          /* a new index: do not compact it when its first
				    update is done (compacting halves its size) */
} lode_index_opts_t;

/* Fill OPTS with the defaults. */
void lode_index_opts_init(lode_index_opts_t *opts);

/* Open (creating when missing, and committing it empty at once) the index at
 * PATH for writing. On failure *out is NULL and *errmsg (if given) a message to
 * free with lode_free(). LODE_BUSY when another writer holds it past the wait. */
lode_status_t lode_index_open(const char *path, const lode_index_opts_t *opts,
			      lode_index_t **out, char **errmsg);

typedef enum {
	LODE_FILE_INDEXED = 0,   /* new or changed: (re)indexed */
	LODE_FILE_UNCHANGED = 1,
	LODE_FILE_REMOVED = 2,   /* gone from disk: its documents removed */
	LODE_FILE_SKIPPED = 3,   /* not indexed, for a stated reason (binary, too large ...) */
	LODE_FILE_FAILED = 4,    /* could not be indexed (unreadable, bad gzip ...) */
} lode_file_outcome_t;

typedef struct {
	uint64_t files_seen, indexed, unchanged, removed, skipped, failed;
	uint64_t docs_added, docs_removed, bytes_read;
	uint64_t warnings;             /* problems inside files (a bad JSON line ...), or of
					* the index that did not stop the run (on_warning) */
	double t_read, t_parse, t_terms, t_write, t_commit, t_total; /* seconds */
	double t_compact;              /* seconds compacting a new index (in t_total) */
	int interrupted;
} lode_index_summary_t;

typedef struct {
	/* Each file's outcome; reason is NULL for indexed/unchanged/removed. */
	void (*on_file)(void *ctx, const char *path, lode_file_outcome_t outcome,
			const char *reason, unsigned ndocs);
	/* A problem inside a file that did not stop it (line 0: unknown). */
	void (*on_warning)(void *ctx, const char *path, unsigned line, const char *reason);
	/* Called now and then with the counts so far and the bytes still to read. */
	void (*on_progress)(void *ctx, const lode_index_summary_t *so_far, uint64_t bytes_total);
	volatile sig_atomic_t *stop;   /* when set: commit what is done and return LODE_INTERRUPTED */
	void *ctx;
} lode_index_callbacks_t;

/* Bring the index up to date with PATHS (files, directories, "-" for one
 * document on stdin). With n == 0, every root the index remembers. New and
 * changed files are indexed, deleted ones removed; the roots are remembered.
 * Commits in batches. CB may be NULL. SUMMARY (may be NULL) gets the counts. */
lode_status_t lode_index_update(lode_index_t *idx, const char *const *paths, size_t n,
				const lode_index_callbacks_t *cb, lode_index_summary_t *summary);
const char *lode_index_errmsg(const lode_index_t *idx);
/* Commit and close. Returns the commit's status. */
lode_status_t lode_index_close(lode_index_t *idx);

/* The default index path: $LODE_INDEX, else ${XDG_DATA_HOME:-~/.local/share}/lode/index.
 * Caller frees with lode_free(). */
char *lode_default_index_path(void);

/* ------------------------------------------------------------------ stats */

typedef struct {
	uint64_t documents, unique_terms, postings, size_bytes;
	double avg_length;
	char *roots;         /* newline-separated */
	char *lang;
	unsigned schema;
	char *last_update;   /* ISO 8601, "" if never */
} lode_stats_t;

lode_status_t lode_stats_get(const char *path, lode_stats_t *out, char **errmsg);
void lode_stats_free(lode_stats_t *st);

/* Consistency check: Xapian's own check plus lode's invariants (every
 * document has a path and hash, no duplicate keys). *problems gets the count;
 * report (may be NULL) one line per problem, called for each. */
lode_status_t lode_index_verify(const char *path, uint64_t *problems,
				void (*report)(void *ctx, const char *line), void *ctx,
				char **errmsg);

/* Compact/merge the indexes SRCS into the new index DEST. */
lode_status_t lode_compact(const char *const *srcs, size_t n, const char *dest, char **errmsg);

/* ------------------------------------------------------------------ search */

typedef struct lode_search lode_search_t;
typedef struct lode_results lode_results_t;

/* Open SOURCES as one index: each a local index path, "tcp:HOST:PORT", or a
 * shard list file (one such entry per line). timeout_ms for remote ones. */
lode_status_t lode_search_open(const char *const *sources, size_t n, unsigned timeout_ms,
			       lode_search_t **out, char **errmsg);
/* Flags of lode_search_open_ex. PARTIAL: a source that cannot be opened,
 * or that fails during a search, is left out and the others answer, as long
 * as one remains; lode_search_missing() names what was left out. */
#define LODE_SEARCH_PARTIAL 1u
lode_status_t lode_search_open_ex(const char *const *sources, size_t n, unsigned timeout_ms,
				  unsigned flags, lode_search_t **out, char **errmsg);
/* The I-th source left out so far, as "SOURCE: reason"; NULL past the end.
 * Owned by S, valid until lode_search_close(). The answers of a search are
 * partial when this is not NULL for I = 0. */
const char *lode_search_missing(const lode_search_t *s, size_t i);
const char *lode_search_errmsg(const lode_search_t *s);
void lode_search_close(lode_search_t *s);

typedef enum { LODE_SORT_RELEVANCE = 0, LODE_SORT_DATE_DESC = 1, LODE_SORT_DATE_ASC = 2 } lode_sort_t;

typedef struct {
	unsigned offset, limit;     /* page; limit 0: 10 */
	lode_sort_t sort;
	int default_or;             /* implicit operator OR (else AND) */
	int literal;                /* no query syntax: words only */
	double k1, b;               /* BM25; < 0: the index's defaults */
	double title_weight;        /* < 0: the index's default */
	unsigned snippets;          /* passages per hit (0: none) */
	unsigned snippet_len;       /* characters per passage (0: default 200) */
	int exact_count;            /* count every match exactly (for -c) */
	int suggest;                /* compute "did you mean" when few hits */
	int keep_stopwords;         /* do not drop stopwords (the, of ...) from the query */
} lode_query_opts_t;

void lode_query_opts_init(lode_query_opts_t *o);

/* Run QUERY. A query that does not parse is run literally and
 * lode_results_literal() says so; LODE_BAD_QUERY only when nothing is searchable.
 * *out freed with lode_results_free(). */
lode_status_t lode_search_run(lode_search_t *s, const char *query, const lode_query_opts_t *o,
			      lode_results_t **out);

typedef struct {
	size_t start, end;          /* byte offsets into text */
} lode_span_t;

typedef struct {
	const char *text;           /* a passage, NUL-terminated */
	size_t len;
	const lode_span_t *hl;      /* highlighted ranges, sorted */
	size_t nhl;
	unsigned line;              /* line in the original file (1-based; approximate for markup) */
	int cut_before, cut_after;  /* text omitted before/after */
} lode_snippet_t;

typedef struct {
	unsigned rank;              /* 1-based, offset included */
	double score;
	const char *path, *id, *title, *author, *date, *url, *format;
	const lode_span_t *title_hl; /* matches in the title */
	size_t title_nhl;
	const lode_snippet_t *snippets;
	size_t nsnippets;
} lode_hit_t;

size_t lode_results_count(const lode_results_t *r);   /* hits on this page */
uint64_t lode_results_total(const lode_results_t *r); /* matches (exact with exact_count) */
/* Fill *hit with hit I (0-based); strings borrowed from R. LODE_INVALID past the end. */
lode_status_t lode_results_hit(const lode_results_t *r, size_t i, lode_hit_t *hit);
/* Why the query was run literally (a parse error), or NULL. */
const char *lode_results_literal(const lode_results_t *r);
/* "Did you mean" query, or NULL. */
const char *lode_results_suggestion(const lode_results_t *r);
/* How the query was taken, when some of it was left out (words longer than
 * any indexed term: a query of only such words matches nothing, with
 * LODE_OK), or NULL. */
const char *lode_results_note(const lode_results_t *r);
void lode_results_free(lode_results_t *r);

/* ------------------------------------------------------------------ eval */

typedef struct lode_eval lode_eval_t;

/* Evaluate the TREC run RUN_PATH against QRELS_PATH with trec_eval's
 * conventions (every judged query with a relevant document counts; missing
 * ones score 0). METRICS: comma-separated, e.g. "ndcg@10,map,recall@100,p@30,mrr"
 * (NULL: that list). GAIN_MAP: "judged:gain,..." e.g. "-1:0,1:4" (NULL: none). */
lode_status_t lode_eval_run(const char *qrels_path, const char *run_path, const char *metrics,
			    const char *gain_map, lode_eval_t **out, char **errmsg);
/* The metrics in the order asked, named as spelled there ("ndcg@10" or
 * "ndcg_cut.10"); the queries averaged (num_q), shorter ids first, then
 * bytewise. Strings owned by E, valid until lode_eval_free(); NULL past the
 * end. Values and means are NaN past the end. *out freed with lode_eval_free(). */
size_t lode_eval_n_metrics(const lode_eval_t *e);
const char *lode_eval_metric_name(const lode_eval_t *e, size_t m);
size_t lode_eval_n_queries(const lode_eval_t *e);
const char *lode_eval_query_id(const lode_eval_t *e, size_t q);
double lode_eval_value(const lode_eval_t *e, size_t q, size_t m);
double lode_eval_mean(const lode_eval_t *e, size_t m);
void lode_eval_free(lode_eval_t *e);

#ifdef __cplusplus
}
#endif
#endif
