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
 * Errors: a NULL handle argument returns XAP_INTERNAL (there is nowhere to
 * put a message); a NULL or out-of-range argument on a valid handle returns
 * XAP_INVALID with a message on the handle. Out-parameters are set to
 * NULL/0 on failure. The message of the most recent failure stays on the
 * handle until the next failure (successful calls do not clear it).
 *
 * Lifetimes: Xapian objects are reference-counted, so every handle keeps what
 * it needs alive: an enquire, mset, document or termlist made from a database
 * keeps that database open (and a writable one keeps its write lock) until
 * they are destroyed too. Destroying the last handle of a writable database
 * commits pending changes (Xapian's behaviour) unless inside a transaction.
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
	XAP_BAD_QUERY = 5,   /* the query could not be built/parsed, or a wildcard
	                        expanded past its limit (XAP_WILDCARD_ERROR) */
	XAP_ENGINE = 6,      /* any other Xapian error (I/O, network, ...) */
	XAP_NOMEM = 7,       /* std::bad_alloc */
	XAP_INTERNAL = 8,    /* anything else thrown, or a misuse (NULL handle) */
	XAP_INVALID = 9,     /* invalid argument (InvalidArgumentError, bad option) */
} xap_status_t;

/* Static English name of a status ("busy", "corrupt", ...); "unknown" for
 * values outside the enum. */
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
 * On failure *out is NULL and *errmsg (if errmsg) holds a malloc'd message:
 * XAP_NOT_FOUND (or XAP_ENGINE) for a missing path, XAP_CORRUPT for damaged
 * files, XAP_ENGINE for a version mismatch or I/O error. */
xap_status_t xap_db_open_read(const char *path, xap_db_t **out, char **errmsg);

/* Open a remote database served by xapian-tcpsrv (read-only). timeout_ms
 * applies to connecting and to every network operation (0: Xapian's default
 * of 10 s). A refused connection or a timeout is XAP_ENGINE. */
xap_status_t xap_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
				xap_db_t **out, char **errmsg);

/* Open PATH writable (glass). mode is one of XAP_DB_CREATE_OR_OPEN... or'd
 * with XAP_DB_NO_SYNC etc.; anything else is XAP_INVALID. While the write
 * lock is held by another writer (in this or another process) retry, sleeping
 * 50 ms then longer (at most 200 ms), until wait_ms has passed; then return
 * XAP_BUSY with a message naming PATH. wait_ms 0: XAP_BUSY at once. */
xap_status_t xap_db_open_write(const char *path, int mode, unsigned wait_ms,
			       xap_db_t **out, char **errmsg);

/* A read-only db made of no shards yet; add shards with xap_db_add().
 * Searching it gives the same ranking as one db holding every shard's
 * documents; docids interleave (shard i of n: docid (d-1)*n + i + 1). */
xap_status_t xap_db_new_combined(xap_db_t **out, char **errmsg);
/* Add SHARD's databases to DB (Xapian::Database::add_database), which then
 * reads through them. SHARD stays owned by the caller and may be destroyed
 * afterwards (DB keeps its own reference). XAP_INVALID when DB is writable. */
xap_status_t xap_db_add(xap_db_t *db, xap_db_t *shard);

/* Release DB (the database closes when no enquire, mset, document or
 * termlist made from it remains). NULL is a no-op. */
void xap_db_destroy(xap_db_t *db);
/* Message of DB's last failure, "" when none; owned by DB, valid until the
 * next call on DB. */
const char *xap_db_errmsg(const xap_db_t *db);

/* Reopen a reader at the latest revision (after XAP_RETRY). */
xap_status_t xap_db_reopen(xap_db_t *db);
/* The following writes need a writable DB (else XAP_INVALID). */
/* Make pending changes durable and visible to new readers. */
xap_status_t xap_db_commit(xap_db_t *db);
/* Transactions: changes between begin and commit are applied all or none;
 * flushed != 0 commits pending changes first and at commit_transaction.
 * Begin inside a transaction, or commit/cancel outside one: XAP_INVALID. */
xap_status_t xap_db_begin_transaction(xap_db_t *db, int flushed);
xap_status_t xap_db_commit_transaction(xap_db_t *db);
/* Discard every change since begin_transaction. */
xap_status_t xap_db_cancel_transaction(xap_db_t *db);

/* Add DOC (copied: DOC may be reused or destroyed); *docid_out (may be
 * NULL) gets the new docid. */
xap_status_t xap_db_add_doc(xap_db_t *db, const xap_doc_t *doc, unsigned *docid_out);
/* Replace every document indexed by the unique TERM with DOC (adds DOC when
 * there is none); *docid_out (may be NULL) gets DOC's docid. */
xap_status_t xap_db_replace_doc_by_term(xap_db_t *db, const char *term, size_t len,
					const xap_doc_t *doc, unsigned *docid_out);
/* Delete every document indexed by TERM (none indexed: XAP_OK). */
xap_status_t xap_db_delete_docs_by_term(xap_db_t *db, const char *term, size_t len);
/* Delete document DOCID (XAP_NOT_FOUND when there is none). */
xap_status_t xap_db_delete_doc(xap_db_t *db, unsigned docid);

/* Read a document by docid (XAP_NOT_FOUND when there is none). *out is the
 * caller's (xap_doc_destroy); it reads lazily from DB, so later calls on it
 * may return XAP_RETRY when DB was modified under a reader. */
xap_status_t xap_db_get_doc(xap_db_t *db, unsigned docid, xap_doc_t **out);

/* Statistics. A writable DB counts its uncommitted changes. term_freq: the
 * number of documents indexed by TERM; coll_freq: the sum of its wdf. */
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
/* Positions of TERM in document DOCID, ascending (none when the document
 * lacks TERM or has no positions for it). *pos is malloc'd; caller frees. */
xap_status_t xap_db_positions(xap_db_t *db, unsigned docid, const char *term, size_t len,
			      unsigned **pos, size_t *n);
/* Iterate all terms starting with PREFIX (may be ""), in byte order;
 * xap_termlist_current() gives each term's termfreq. *out keeps DB open. */
xap_status_t xap_db_allterms(xap_db_t *db, const char *prefix, xap_termlist_t **out);
/* Xapian::Database::check on the database at PATH (not open for writing
 * elsewhere). *errors gets the number of problems found. *errmsg (if errmsg)
 * is malloc'd on failure, and also when *errors > 0 (the check's report,
 * at most a few KB); otherwise NULL. */
xap_status_t xap_db_check(const char *path, size_t *errors, char **errmsg);

/* Revision of DB (increases with each commit) and its UUID (*out malloc'd,
 * caller frees). A combined db has no single revision: XAP_INVALID. */
xap_status_t xap_db_revision(xap_db_t *db, uint64_t *out);
xap_status_t xap_db_uuid(xap_db_t *db, char **out);
/* 1 when DB was opened with xap_db_open_write. */
int xap_db_is_writable(const xap_db_t *db);

/* Metadata (user key/values, keys non-empty). A missing key reads as ""
 * (len 0); setting "" deletes the key. xap_db_get_metadata: *val malloc'd
 * (NUL-terminated), caller frees. set needs a writable DB. metadata_keys:
 * the keys starting with PREFIX, in byte order. */
xap_status_t xap_db_get_metadata(xap_db_t *db, const char *key, char **val, size_t *len);
xap_status_t xap_db_set_metadata(xap_db_t *db, const char *key, const char *val, size_t len);
xap_status_t xap_db_metadata_keys(xap_db_t *db, const char *prefix, xap_termlist_t **out);

/* Spelling: add WORD (writable DB; its frequency grows by inc) and ask for
 * the most frequent word within max_edit_distance edits (*out malloc'd,
 * caller frees; "" when there is none or WORD itself is known). */
xap_status_t xap_db_add_spelling(xap_db_t *db, const char *word, unsigned inc);
xap_status_t xap_db_spelling_suggestion(xap_db_t *db, const char *word,
					unsigned max_edit_distance, char **out);

/* Compact/merge the databases at SRCS into the new database DEST
 * (Xapian::Database::compact, with DBCOMPACT_MULTIPASS when multipass).
 * Docids are renumbered: SRCS[0]'s first, then SRCS[1]'s ... . On failure
 * *errmsg (if errmsg) is malloc'd. */
xap_status_t xap_compact(const char *const *srcs, size_t n_srcs, const char *dest,
			 int multipass, char **errmsg);

/* ---------------------------------------------------------------- documents */

/* A new empty document (caller destroys). XAP_NOMEM or XAP_INVALID only. */
xap_status_t xap_doc_new(xap_doc_t **out);
void xap_doc_destroy(xap_doc_t *doc);
/* Message of DOC's last failure, "" when none; owned by DOC. */
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
/* Data and value of SLOT ("" when unset). Borrowed from DOC (NUL-terminated
 * as well); valid until the next call on DOC. */
xap_status_t xap_doc_get_data(xap_doc_t *doc, const char **data, size_t *len);
xap_status_t xap_doc_get_value(xap_doc_t *doc, unsigned slot, const char **val, size_t *len);
/* DOC's terms in byte order; xap_termlist_current() gives each one's wdf
 * and, for a document read from a db, its termfreq. *out takes its own
 * reference: DOC may be destroyed or changed while iterating. */
xap_status_t xap_doc_termlist(xap_doc_t *doc, xap_termlist_t **out);
/* Remove every term, value and the data (reuse the handle). */
xap_status_t xap_doc_clear(xap_doc_t *doc);

/* -------------------------------------------------------- term iteration */

/* One iterator type serves allterms, document termlists, metadata keys,
 * matching terms and expand sets. It walks Xapian's own iterators lazily
 * (a tagged struct holding the current and end TermIterator, or an ESet and
 * its ESetIterator), so a huge allterms costs no memory; a failure met while
 * walking (e.g. XAP_RETRY) ends the walk and is reported by status(). */

/* Next term: returns 1 and sets *term and *len (borrowed, valid until the next
 * call), or 0 at the end or on failure: then xap_termlist_status() tells. */
int xap_termlist_next(xap_termlist_t *tl, const char **term, size_t *len);
/* Numbers about the current term (after next() returned 1); outputs that do
 * not apply are set to 0 and may be NULL:
 *   allterms: termfreq;  doc termlist: wdf (+ termfreq for a db document);
 *   eset: weight;  metadata keys, matching terms: nothing.
 * A failure reading them sets status() and ends the walk. */
void xap_termlist_current(xap_termlist_t *tl, unsigned *termfreq, unsigned *wdf, double *weight);
/* XAP_OK while walking and after a clean end; else why the walk stopped. */
xap_status_t xap_termlist_status(const xap_termlist_t *tl);
/* Message of the failure, "" when none; owned by TL. */
const char *xap_termlist_errmsg(const xap_termlist_t *tl);
void xap_termlist_destroy(xap_termlist_t *tl);

/* ---------------------------------------------------------------- stemmer */

/* LANG: a Xapian stemmer name or ISO 639 code ("english", "en", "french",
 * "none" ...); unknown: XAP_INVALID and *errmsg. Caller destroys *out. */
xap_status_t xap_stem_new(const char *lang, xap_stem_t **out, char **errmsg);
void xap_stem_destroy(xap_stem_t *st);
/* Stem WORD (UTF-8, lower case); *out borrowed from ST, NUL-terminated,
 * valid until the next call on ST. */
xap_status_t xap_stem_word(xap_stem_t *st, const char *word, size_t len,
			   const char **out, size_t *out_len);
/* Canonical Xapian name of ST's language ("english" for "en", "none");
 * owned by ST, valid until xap_stem_destroy. "" for NULL. */
const char *xap_stem_name(const xap_stem_t *st);
/* Message of ST's last failure, "" when none; owned by ST. */
const char *xap_stem_errmsg(const xap_stem_t *st);
/* Space-separated list of the languages Xapian knows (static storage;
 * "" if it could not be built). */
const char *xap_stem_languages(void);

/* ---------------------------------------------------------------- queries */

/* Queries are immutable and reference-counted; every constructor returns a new
 * handle the caller destroys. Combining constructors do not take ownership
 * of their sub-queries (they may be destroyed after the call).
 * Constructors return NULL when out of memory or given an invalid argument
 * (a NULL sub-query, an unknown op, a negative scale factor). Problems only
 * Xapian can see (a wildcard over its limit) surface from xap_enquire_mset. */
typedef enum {
	XAP_OP_AND, XAP_OP_OR, XAP_OP_AND_NOT, XAP_OP_AND_MAYBE, XAP_OP_FILTER,
	XAP_OP_PHRASE, XAP_OP_NEAR, XAP_OP_XOR, XAP_OP_SYNONYM, XAP_OP_ELITE_SET,
} xap_op_t;

/* TERM with within-query frequency wqf (1 normally) at query position pos
 * (1-based; 0: none). */
xap_query_t *xap_query_term(const char *term, size_t len, unsigned wqf, unsigned pos);
/* Combine N sub-queries with OP (n 0: matches nothing). FILTER and AND_NOT:
 * the first sub-query filtered by / minus the rest. window: for PHRASE/NEAR
 * the span of positions the terms must fall in (0: number of subqueries);
 * for ELITE_SET the number of terms kept (0: Xapian's default). */
xap_query_t *xap_query_combine(xap_op_t op, xap_query_t *const *subs, size_t n, unsigned window);
/* Matches every document. */
xap_query_t *xap_query_match_all(void);
xap_query_t *xap_query_match_nothing(void);
/* Documents whose value in SLOT is between lo and hi inclusive (byte order);
 * NULL lo/hi: open at that end (both NULL: any non-empty value). */
xap_query_t *xap_query_value_range(unsigned slot, const char *lo, const char *hi);
/* Terms starting with PREFIX, combined as one term (OP_WILDCARD with
 * OP_SYNONYM). max_expansion 0: unlimited; else only the max_expansion
 * most frequent terms are used (WILDCARD_LIMIT_MOST_FREQUENT). */
xap_query_t *xap_query_wildcard(const char *prefix, size_t len, unsigned max_expansion);
/* What a wildcard does when it expands to more than max_expansion terms. */
typedef enum {
	XAP_WILDCARD_MOST_FREQUENT = 0, /* keep the most frequent terms */
	XAP_WILDCARD_FIRST = 1,         /* keep the first terms in byte order */
	XAP_WILDCARD_ERROR = 2,         /* xap_enquire_mset fails: XAP_BAD_QUERY */
} xap_wildcard_limit_t;
xap_query_t *xap_query_wildcard_limit(const char *prefix, size_t len, unsigned max_expansion,
				      xap_wildcard_limit_t limit);
/* Q with every weight multiplied by factor (>= 0; 0 makes Q purely boolean). */
xap_query_t *xap_query_scale(xap_query_t *q, double factor);
/* Another handle on the same query. */
xap_query_t *xap_query_copy(xap_query_t *q);
/* 1 for a NULL or empty (match nothing) query. */
int xap_query_is_empty(const xap_query_t *q);
/* Xapian's description, malloc'd, for debugging and tests. */
char *xap_query_describe(const xap_query_t *q);
void xap_query_destroy(xap_query_t *q);

/* ---------------------------------------------------------------- search */

typedef struct {
	double k1, k2, k3, b, min_normlen; /* Xapian::BM25Weight parameters */
} xap_bm25_t;
#define XAP_BM25_DEFAULTS { 1.0, 0.0, 1.0, 0.5, 0.5 }

/* A search session over DB; it keeps its own reference, so DB may be
 * destroyed first. Caller destroys *out; on failure *errmsg (if errmsg). */
xap_status_t xap_enquire_new(xap_db_t *db, xap_enquire_t **out, char **errmsg);
void xap_enquire_destroy(xap_enquire_t *e);
/* Message of E's last failure, "" when none; owned by E. */
const char *xap_enquire_errmsg(const xap_enquire_t *e);
/* Q is copied (may be destroyed after the call). */
xap_status_t xap_enquire_set_query(xap_enquire_t *e, const xap_query_t *q);
/* Weight with Xapian::BM25Weight(k1, k2, k3, b, min_normlen) (p NULL: the
 * defaults). Xapian 1.4 clamps out-of-range parameters (b to [0, 1],
 * negatives to 0) instead of failing. */
xap_status_t xap_enquire_set_bm25(xap_enquire_t *e, const xap_bm25_t *p);
/* Relevance, ties broken by SLOT's value (ascending unless reverse). */
xap_status_t xap_enquire_sort_relevance_then_value(xap_enquire_t *e, unsigned slot, int reverse);
/* By SLOT's value, then relevance. */
xap_status_t xap_enquire_sort_value_then_relevance(xap_enquire_t *e, unsigned slot, int reverse);
xap_status_t xap_enquire_sort_relevance(xap_enquire_t *e);
/* Collapse on SLOT (one hit per value); slot < 0 turns it off. */
xap_status_t xap_enquire_set_collapse(xap_enquire_t *e, int slot, unsigned max);
/* Run the query: results [offset, offset+limit) in *out (caller destroys;
 * it keeps the database open). check_at_least: look at at least this many
 * matches so the estimates are exact up to it. No query set: XAP_INVALID.
 * XAP_RETRY when the db changed under a reader (xap_db_reopen, then retry). */
xap_status_t xap_enquire_mset(xap_enquire_t *e, unsigned offset, unsigned limit,
			      unsigned check_at_least, xap_mset_t **out);
/* Terms of the current query that index DOCID, in byte order, each once
 * (no numbers: xap_termlist_current gives zeros). No query: XAP_INVALID. */
xap_status_t xap_enquire_matching_terms(xap_enquire_t *e, unsigned docid, xap_termlist_t **out);
/* Expansion terms (best first, at most MAX) from the relevance set RSET of
 * n_rset docids; xap_termlist_current() gives each one's weight. Terms of
 * the current query are left out. */
xap_status_t xap_enquire_eset(xap_enquire_t *e, const unsigned *rset, size_t n_rset,
			      unsigned max, xap_termlist_t **out);

void xap_mset_destroy(xap_mset_t *m);
/* Message of M's last failure, "" when none; owned by M. */
const char *xap_mset_errmsg(const xap_mset_t *m);
/* Number of items on the page (0 for NULL). */
size_t xap_mset_size(const xap_mset_t *m);
/* Estimates of the total number of matches (0 for NULL). */
unsigned xap_mset_matches_estimated(const xap_mset_t *m);
unsigned xap_mset_matches_lower(const xap_mset_t *m);
unsigned xap_mset_matches_upper(const xap_mset_t *m);
/* Item I of the page: docid, weight (either may be NULL); rank is
 * offset + i. I past the end: XAP_INVALID. */
xap_status_t xap_mset_item(xap_mset_t *m, size_t i, unsigned *docid, double *weight);
/* The document of item I (caller destroys). */
xap_status_t xap_mset_doc(xap_mset_t *m, size_t i, xap_doc_t **out);

/* ------------------------------------------ inspect (xapian_c_inspect.cc)
 * Added with the bulk glass writer (glass_writer.h), whose tests compare a
 * database it writes with one Xapian writes, through Xapian's API. */

/* WritableDatabase::replace_document(DOCID, DOC): DOC becomes document
 * DOCID (> 0), added when there is none. Needs a writable DB. */
xap_status_t xap_db_replace_doc(xap_db_t *db, unsigned docid, const xap_doc_t *doc);
/* TERM's posting list: docids ascending and each one's wdf (*docids and
 * *wdfs malloc'd, *n entries; caller frees both). */
xap_status_t xap_db_postlist_wdf(xap_db_t *db, const char *term, size_t len,
				 unsigned **docids, unsigned **wdfs, size_t *n);
/* Length of document DOCID (XAP_NOT_FOUND when there is none). */
xap_status_t xap_db_doclength(xap_db_t *db, unsigned docid, unsigned *out);
/* The lower and upper bounds on document length Xapian keeps. */
xap_status_t xap_db_doclength_bounds(xap_db_t *db, unsigned *lo, unsigned *hi);
/* Xapian's upper bound on TERM's wdf. */
xap_status_t xap_db_wdf_upper_bound(xap_db_t *db, const char *term, size_t len, unsigned *out);
/* SLOT's statistics: how many documents have a value there, the least and
 * greatest (*lo, *hi malloc'd, NUL-terminated too; caller frees). */
xap_status_t xap_db_value_stats(xap_db_t *db, unsigned slot, unsigned *freq, char **lo,
				size_t *lolen, char **hi, size_t *hilen);
/* The slots DOC has values in, ascending (*slots malloc'd; caller frees). */
xap_status_t xap_doc_values(xap_doc_t *doc, unsigned **slots, size_t *n);
/* xap_compact keeping every docid (Xapian::DBCOMPACT_NO_RENUMBER): the
 * sources' docid ranges must not overlap. */
xap_status_t xap_compact_keep_docids(const char *const *srcs, size_t n_srcs, const char *dest,
				     char **errmsg);
/* ------------------------------------------------------- end of inspect */

#ifdef __cplusplus
}
#endif
#endif
