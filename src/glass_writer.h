/* glass_writer.h - make a new Xapian glass database from documents in one
 * pass, without Xapian's writer.
 *
 * A bulk build hands over its documents in increasing docid order; the
 * writer inverts them in memory (what one batch holds) and at gw_finish
 * writes every table in key order through glass_btree.h and then the
 * version file. Xapian then reads, checks, compacts and updates the result
 * as its own: through Xapian's API it is exactly what
 * WritableDatabase::replace_document(docid, doc) of the same documents into
 * a new glass database gives (frequencies, posting lists, positions,
 * termlists, values and their statistics, data, document lengths and the
 * bounds Xapian keeps, metadata). Document data is stored as given, never
 * compressed (compress_min 0xFFFFFFFF, as glass_docdata.c sets for lode's
 * other databases).
 *
 * Every call returns 0, or -1 with the reason in gw_error(). A misuse (a
 * term Xapian would refuse, a docid out of order, a call outside a
 * document) fails that call only and changes nothing, where Xapian would
 * refuse the whole document at replace_document. Running out of memory or
 * a failed write fails the writer: every later call returns -1 with that
 * reason, and the directory is not a database. */
#ifndef LODE_GLASS_WRITER_H
#define LODE_GLASS_WRITER_H
#include <stddef.h>

typedef struct gw gw_t;

/* A writer of a new database at DIR, which must not exist or be empty (it
 * is created). NULL when it cannot be: *errmsg (if errmsg) is then a
 * malloc'd message the caller frees. */
gw_t *gw_new(const char *dir, char **errmsg);

/* Begin the document DOCID (> 0, greater than every docid before it, not
 * necessarily the next one). */
int gw_doc_begin(gw_t *w, unsigned docid);
/* Xapian's Document::add_posting: TERM (1 to 245 bytes, any bytes) at
 * position POS, its wdf raised by WDF_INC. A position given twice counts
 * once; positions may come in any order. */
int gw_posting(gw_t *w, const char *term, size_t len, unsigned pos, unsigned wdf_inc);
/* Document::add_term (no position); a boolean term is WDF_INC 0. */
int gw_term(gw_t *w, const char *term, size_t len, unsigned wdf_inc);
/* Document::add_value: V in SLOT, replacing the one given before; empty:
 * none. */
int gw_value(gw_t *w, unsigned slot, const char *v, size_t len);
/* Document::set_data (replacing what was given before; empty: none). */
int gw_data(gw_t *w, const char *d, size_t len);
/* End the document. */
int gw_doc_end(gw_t *w);

/* WritableDatabase::set_metadata: KEY (1 to 253 bytes) to TAG; a later
 * call for the same key replaces it, an empty TAG removes it. Any time
 * before gw_finish, outside a document too. */
int gw_metadata(gw_t *w, const char *key, size_t klen, const char *tag, size_t tlen);

/* Write every table, then the version file: only now is DIR a database.
 * Outside a document. After it (either way) only gw_error and gw_free. */
int gw_finish(gw_t *w);

/* Why the last failed call failed ("" while none has); owned by W, valid
 * until the next call on W. */
const char *gw_error(const gw_t *w);

/* Free W (NULL: no-op). Without a successful gw_finish, the table files
 * it wrote are removed, and DIR too when gw_new created it. */
void gw_free(gw_t *w);

#endif
