/* xapian_c.h - a C API over the parts of Xapian 1.4 that lode needs.
 *
 * This is the only door between lode's C code and libxapian (C++). Every
 * function catches every exception and returns an xap_status_t; the detail of
 * the last failure is kept on the handle it was called on (xap_db_errmsg(),
 * xap_enquire_errmsg() ...), valid until the next call on that handle.
 * Constructors that fail before a handle exists hand back a malloc'd message
 * through `char **errmsg` (caller frees with free(); may be NULL).
 *
 * Ownership: every handle returned through an out-parameter is owned by the
 * caller and freed with its *_destroy() function; *_destroy(NULL) is a no-op.
 * Strings returned through `const char **` are borrowed from the handle and
 * valid until the next call on that handle. Strings returned through `char **`
 * are malloc'd and freed by the caller with free().
 *
 * Text is passed as (const char *s, size_t len) where it may hold NUL bytes
 * (terms, values, data); plain NUL-terminated strings elsewhere.
 *
 * Thread safety: as Xapian's: one handle is used by one thread at a time;
 * different handles may be used from different threads.
 */
#ifndef LODE_XAPIAN_C_H
#define LODE_XAPIAN_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the caller can do next. Kept in step with lode_status_t (same values). */
typedef enum {
	XAP_OK = 0,
	XAP_BUSY = 1,        /* the write lock is held by another writer: wait or give up */
	XAP_NOT_FOUND = 2,   /* no database at that path / no such document */
	XAP_RETRY = 3,       /* the database was modified under a reader: reopen and retry */
	XAP_CORRUPT = 4,     /* database files are damaged: rebuild */
	XAP_BAD_QUERY = 5,   /* the query could not be built/parsed */
	XAP_ENGINE = 6,      /* any other Xapian error (I/O, network, ...) */
	XAP_NOMEM = 7,       /* std::bad_alloc */
	XAP_INTERNAL = 8,    /* anything else thrown, or a misuse (NULL handle) */
	XAP_INVALID = 9,     /* invalid argument (InvalidArgumentError, bad option) */
} xap_status_t;

/* Static English name of a status ("busy", "corrupt", ...). */
const char *xap_status_str(xap_status_t st);

typedef struct xap_db xap_db_t;            /* a database, read-only or writable */
typedef struct xap_doc xap_doc_t;          /* a document being built or read */
typedef struct xap_query xap_query_t;      /* an immutable query tree node */
typedef struct xap_enquire xap_enquire_t;  /* a search session over a db */
typedef struct xap_mset xap_mset_t;        /* one page of results */
typedef struct xap_stem xap_stem_t;        /* a Snowball stemmer */
typedef struct xap_termlist xap_termlist_t;/* iterator over terms (allterms, doc terms, metadata keys, eset) */

/* ---------------------------------------------------------------- databases */

enum {
	XAP_DB_CREATE_OR_OPEN = 1,   /* writable: create if missing */
	XAP_DB_CREATE = 2,           /* writable: fail if it exists */
	XAP_DB_OPEN = 3,             /* writable: fail if missing */
	XAP_DB_OVERWRITE = 4,        /* writable: create, replacing any existing db */
};
enum {
	XAP_DB_NO_SYNC = 0x100,      /* Xapian::DB_NO_SYNC: no fsync (bulk builds) */
	XAP_DB_DANGEROUS = 0x200,    /* Xapian::DB_DANGEROUS: update in place (fresh builds only) */
	XAP_DB_FULL_SYNC = 0x400,
};

/* Open PATH read-only (a directory, a stub file, or a single-file db).
 * On failure *out is NULL and *errmsg (if errmsg) holds a malloc'd message. */
xap_status_t xap_db_open_read(const char *path, xap_db_t **out, char **errmsg);

/* Open a remote database served by xapian-tcpsrv. timeout_ms applies to
 * every network operation (0: Xapian's default). */
xap_status_t xap_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
				xap_db_t **out, char **errmsg);

/* Open PATH writable. mode is one of XAP_DB_CREATE_OR_OPEN... or'd with
 * XAP_DB_NO_SYNC etc. wait_ms > 0: while the lock is held by another writer,
 * retry until wait_ms has passed, then return XAP_BUSY. */
xap_status_t xap_db_open_write(const char *path, int mode, unsigned wait_ms,
			       xap_db_t **out, char **errmsg);

/* A read-only db made of no shards yet; add shards with xap_db_add(). */
xap_status_t xap_db_new_combined(xap_db_t **out, char **errmsg);
/* Add SHARD's databases to the combined DB (Xapian::Database::add_database).
 * SHARD stays owned by the caller and may be destroyed afterwards. */
xap_status_t xap_db_add(xap_db_t *db, xap_db_t *shard);

void xap_db_destroy(xap_db_t *db);             /* closes; NULL is a no-op */
const char *xap_db_errmsg(const xap_db_t *db); /* "" when none */

/* Reopen a reader at the latest revision (after XAP_RETRY). */
xap_status_t xap_db_reopen(xap_db_t *db);
/* Writable only. */
xap_status_t xap_db_commit(xap_db_t *db);
xap_status_t xap_db_begin_transaction(xap_db_t *db, int flushed);
xap_status_t xap_db_commit_transaction(xap_db_t *db);
xap_status_t xap_db_cancel_transaction(xap_db_t *db);

/* Add DOC; *docid_out (may be NULL) gets the new docid. */
xap_status_t xap_db_add_doc(xap_db_t *db, const xap_doc_t *doc, unsigned *docid_out);
/* Replace every document indexed by UNIQUE_TERM with DOC (adds if none). */
xap_status_t xap_db_replace_doc_by_term(xap_db_t *db, const char *term, size_t len,
					const xap_doc_t *doc, unsigned *docid_out);
/* Delete every document indexed by TERM (none: XAP_OK, *n_deleted = 0). */
xap_status_t xap_db_delete_docs_by_term(xap_db_t *db, const char *term, size_t len);
xap_status_t xap_db_delete_doc(xap_db_t *db, unsigned docid);

/* Read a document by docid (XAP_NOT_FOUND when there is none). */
xap_status_t xap_db_get_doc(xap_db_t *db, unsigned docid, xap_doc_t **out);

/* Statistics. */
xap_status_t xap_db_doc_count(xap_db_t *db, unsigned *out);
xap_status_t xap_db_last_docid(xap_db_t *db, unsigned *out);
xap_status_t xap_db_avg_length(xap_db_t *db, double *out);
xap_status_t xap_db_total_length(xap_db_t *db, uint64_t *out);
xap_status_t xap_db_term_freq(xap_db_t *db, const char *term, size_t len, unsigned *out);
xap_status_t xap_db_coll_freq(xap_db_t *db, const char *term, size_t len, uint64_t *out);
xap_status_t xap_db_term_exists(xap_db_t *db, const char *term, size_t len, int *out);
/* Docids of the documents indexed by TERM, ascending (count in *n).
 * *docids is malloc'd; caller frees. */
xap_status_t xap_db_postlist(xap_db_t *db, const char *term, size_t len,
			     unsigned **docids, size_t *n);
/* Iterate all terms starting with PREFIX (may be ""). */
xap_status_t xap_db_allterms(xap_db_t *db, const char *prefix, xap_termlist_t **out);
/* Xapian::Database::check on a path; output lines discarded, *errors set
 * to the number of errors found. */
xap_status_t xap_db_check(const char *path, size_t *errors, char **errmsg);

/* Metadata (user key/values). A missing key reads as "" (len 0).
 * xap_db_get_metadata: *val malloc'd (NUL-terminated), caller frees. */
xap_status_t xap_db_get_metadata(xap_db_t *db, const char *key, char **val, size_t *len);
xap_status_t xap_db_set_metadata(xap_db_t *db, const char *key, const char *val, size_t len);
xap_status_t xap_db_metadata_keys(xap_db_t *db, const char *prefix, xap_termlist_t **out);

/* Spelling: add a word (writable) and ask for a suggestion (*out malloc'd,
 * "" when there is none). */
xap_status_t xap_db_add_spelling(xap_db_t *db, const char *word, unsigned inc);
xap_status_t xap_db_spelling_suggestion(xap_db_t *db, const char *word,
					unsigned max_edit_distance, char **out);

/* Compact/merge SRCS into the new database DEST (Xapian::Database::compact,
 * with DBCOMPACT_MULTIPASS when multipass). */
xap_status_t xap_compact(const char *const *srcs, size_t n_srcs, const char *dest,
			 int multipass, char **errmsg);

/* ---------------------------------------------------------------- documents */

xap_status_t xap_doc_new(xap_doc_t **out);
void xap_doc_destroy(xap_doc_t *doc);
const char *xap_doc_errmsg(const xap_doc_t *doc);
/* Term with a position (wdf += wdf_inc). */
xap_status_t xap_doc_add_posting(xap_doc_t *doc, const char *term, size_t len,
				 unsigned pos, unsigned wdf_inc);
/* Term without position (wdf += wdf_inc). */
xap_status_t xap_doc_add_term(xap_doc_t *doc, const char *term, size_t len, unsigned wdf_inc);
/* Boolean term (wdf 0). */
xap_status_t xap_doc_add_boolean_term(xap_doc_t *doc, const char *term, size_t len);
xap_status_t xap_doc_set_data(xap_doc_t *doc, const char *data, size_t len);
xap_status_t xap_doc_add_value(xap_doc_t *doc, unsigned slot, const char *val, size_t len);
/* Borrowed from DOC; valid until the next call on DOC. */
xap_status_t xap_doc_get_data(xap_doc_t *doc, const char **data, size_t *len);
xap_status_t xap_doc_get_value(xap_doc_t *doc, unsigned slot, const char **val, size_t *len);
xap_status_t xap_doc_termlist(xap_doc_t *doc, xap_termlist_t **out);
/* Remove every term, value and the data (reuse the handle). */
xap_status_t xap_doc_clear(xap_doc_t *doc);

/* -------------------------------------------------------- term iteration */

/* Next term: returns 1 and sets *term/*len (borrowed, valid until the next
 * call), or 0 at the end or on failure: then xap_termlist_status() tells. */
int xap_termlist_next(xap_termlist_t *tl, const char **term, size_t *len);
/* For allterms/doc termlists: term frequency and wdf of the current term; for
 * an ESet: its weight in *weight. Unused outputs may be NULL. */
void xap_termlist_current(xap_termlist_t *tl, unsigned *termfreq, unsigned *wdf, double *weight);
xap_status_t xap_termlist_status(const xap_termlist_t *tl);
const char *xap_termlist_errmsg(const xap_termlist_t *tl);
void xap_termlist_destroy(xap_termlist_t *tl);

/* ---------------------------------------------------------------- stemmer */

/* LANG: a Xapian stemmer name ("english", "en", "french", "none" ...). */
xap_status_t xap_stem_new(const char *lang, xap_stem_t **out, char **errmsg);
void xap_stem_destroy(xap_stem_t *st);
/* Stem WORD; *out borrowed from ST, valid until the next call on ST. */
xap_status_t xap_stem_word(xap_stem_t *st, const char *word, size_t len,
			   const char **out, size_t *out_len);
/* Space-separated list of the languages Xapian knows (static). */
const char *xap_stem_languages(void);

/* ---------------------------------------------------------------- queries */

/* Queries are immutable and reference-counted; every constructor returns a new
 * handle the caller destroys. Combining constructors do not take ownership
 * of their sub-queries (they may be destroyed after the call).
 * Constructors return NULL only when out of memory. */
typedef enum {
	XAP_OP_AND, XAP_OP_OR, XAP_OP_AND_NOT, XAP_OP_AND_MAYBE, XAP_OP_FILTER,
	XAP_OP_PHRASE, XAP_OP_NEAR, XAP_OP_XOR, XAP_OP_SYNONYM, XAP_OP_ELITE_SET,
} xap_op_t;

xap_query_t *xap_query_term(const char *term, size_t len, unsigned wqf, unsigned pos);
/* Combine N sub-queries with OP. window: for PHRASE/NEAR (0: number of subqueries). */
xap_query_t *xap_query_combine(xap_op_t op, xap_query_t *const *subs, size_t n, unsigned window);
/* Matches every document. */
xap_query_t *xap_query_match_all(void);
xap_query_t *xap_query_match_nothing(void);
/* Values in SLOT between lo and hi inclusive (byte order); NULL lo/hi: open. */
xap_query_t *xap_query_value_range(unsigned slot, const char *lo, const char *hi);
/* Terms starting with PREFIX, OR'd (OP_WILDCARD); max_expansion 0: unlimited. */
xap_query_t *xap_query_wildcard(const char *prefix, size_t len, unsigned max_expansion);
xap_query_t *xap_query_scale(xap_query_t *q, double factor);
xap_query_t *xap_query_copy(xap_query_t *q);
int xap_query_is_empty(const xap_query_t *q);
/* Xapian's description, malloc'd, for debugging and tests. */
char *xap_query_describe(const xap_query_t *q);
void xap_query_destroy(xap_query_t *q);

/* ---------------------------------------------------------------- search */

typedef struct {
	double k1, k2, k3, b, min_normlen; /* Xapian::BM25Weight parameters */
} xap_bm25_t;
#define XAP_BM25_DEFAULTS { 1.0, 0.0, 1.0, 0.5, 0.5 }

xap_status_t xap_enquire_new(xap_db_t *db, xap_enquire_t **out, char **errmsg);
void xap_enquire_destroy(xap_enquire_t *e);
const char *xap_enquire_errmsg(const xap_enquire_t *e);
xap_status_t xap_enquire_set_query(xap_enquire_t *e, const xap_query_t *q);
xap_status_t xap_enquire_set_bm25(xap_enquire_t *e, const xap_bm25_t *p);
/* Relevance, ties broken by SLOT's value (ascending unless reverse). */
xap_status_t xap_enquire_sort_relevance_then_value(xap_enquire_t *e, unsigned slot, int reverse);
/* By SLOT's value, then relevance. */
xap_status_t xap_enquire_sort_value_then_relevance(xap_enquire_t *e, unsigned slot, int reverse);
xap_status_t xap_enquire_sort_relevance(xap_enquire_t *e);
/* Collapse on SLOT (one hit per value); slot < 0 turns it off. */
xap_status_t xap_enquire_set_collapse(xap_enquire_t *e, int slot, unsigned max);
/* Run: results [offset, offset+limit). check_at_least: see Xapian. */
xap_status_t xap_enquire_mset(xap_enquire_t *e, unsigned offset, unsigned limit,
			      unsigned check_at_least, xap_mset_t **out);
/* Terms of the query that index DOCID (in query order). */
xap_status_t xap_enquire_matching_terms(xap_enquire_t *e, unsigned docid, xap_termlist_t **out);
/* Expansion terms from the top R docids (relevance set), up to MAX. */
xap_status_t xap_enquire_eset(xap_enquire_t *e, const unsigned *rset, size_t n_rset,
			      unsigned max, xap_termlist_t **out);

void xap_mset_destroy(xap_mset_t *m);
const char *xap_mset_errmsg(const xap_mset_t *m);
size_t xap_mset_size(const xap_mset_t *m);
/* Estimates of the total number of matches. */
unsigned xap_mset_matches_estimated(const xap_mset_t *m);
unsigned xap_mset_matches_lower(const xap_mset_t *m);
unsigned xap_mset_matches_upper(const xap_mset_t *m);
/* Item I of the page: docid, weight; rank is offset + i. */
xap_status_t xap_mset_item(xap_mset_t *m, size_t i, unsigned *docid, double *weight);
/* The document of item I (caller destroys). */
xap_status_t xap_mset_doc(xap_mset_t *m, size_t i, xap_doc_t **out);

#ifdef __cplusplus
}
#endif
#endif
