/* docbuf.h - a document as lode builds it (terms.c), before it goes into an
 * index: the calls that make it (postings, boolean terms, values, data)
 * recorded in one flat buffer, in their order.
 *
 * Building the document this way costs an append a posting, and it can then
 * be handed to either writer: Xapian's (docbuf_to_xapian, a Xapian::Document)
 * or lode's own bulk writer (glass_writer.h), which inverts it itself
 * without Xapian's per-posting std::map. */
#ifndef LODE_DOCBUF_H
#define LODE_DOCBUF_H
#include <stddef.h>

#include "buf.h"
#include "xapian_c.h"

typedef struct {
	buf_t ops;
} docbuf_t;

#define DOCBUF_INIT { BUF_INIT }

void docbuf_clear(docbuf_t *d);      /* empty (and no longer out of memory), memory kept */
void docbuf_free(docbuf_t *d);

/* As Xapian::Document's add_posting (wdf + 1), add_boolean_term (wdf + 0),
 * add_value (an empty value is none) and set_data (the last one counts).
 * Return 0, -1 when out of memory (sticky until docbuf_clear). */
int docbuf_posting(docbuf_t *d, const char *term, size_t len, unsigned pos);
int docbuf_boolean(docbuf_t *d, const char *term, size_t len);
int docbuf_value(docbuf_t *d, unsigned slot, const char *v, size_t len);
int docbuf_data(docbuf_t *d, const char *data, size_t len);

/* What the recording holds, call by call, for a writer to replay. */
typedef struct {
	int (*posting)(void *ctx, const char *term, size_t len, unsigned pos);
	int (*boolean)(void *ctx, const char *term, size_t len);
	int (*value)(void *ctx, unsigned slot, const char *v, size_t len);
	int (*data)(void *ctx, const char *data, size_t len);
} docbuf_ops_t;

/* Replay D's calls in order into OPS; stops at the first that returns
 * non-zero and returns it (0 when all were made). */
int docbuf_replay(const docbuf_t *d, const docbuf_ops_t *ops, void *ctx);

/* The document data recorded last (NULL, 0 when none). */
void docbuf_get_data(const docbuf_t *d, const char **data, size_t *len);

/* Fill DOC (cleared first) with D. */
xap_status_t docbuf_to_xapian(const docbuf_t *d, xap_doc_t *doc);
#endif
