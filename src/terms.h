/* terms.h - from an extracted document to a Xapian document: body and field
 * terms with positions, boolean terms, values and the stored record (the
 * layout is schema.h's). One terms_t per thread: it owns a stemmer (with its
 * cache) and scratch buffers. */
#ifndef LODE_TERMS_H
#define LODE_TERMS_H
#include <stdint.h>
#include "doc.h"
#include "docbuf.h"

typedef struct terms terms_t;

/* What lode knows about the file a document came from. */
typedef struct {
	const char *path;      /* as stored and shown */
	int64_t mtime;
	uint64_t size;
	uint64_t hash;
	const char *fallback_date; /* "YYYY-MM-DD" from mtime, used when the doc has none */
	const char *fallback_id;   /* file name sans directory and extensions */
} terms_file_t;

/* LANG: stemming language. NULL + *errmsg (malloc'd) for an unknown language. */
terms_t *terms_new(const char *lang, char **errmsg);
void terms_free(terms_t *t);

/* Fill DOC (cleared first) from D. Returns 0, or -1 (out of memory or a
 * binding error; *why says which, static). */
int terms_build(terms_t *t, const ldoc_t *d, const terms_file_t *f, docbuf_t *doc,
		const char **why);
#endif
