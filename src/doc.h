/* doc.h - one extracted document: its text and the fields pulled out of it.
 * A parser fills an ldoc_t and hands it to the caller's emit callback; the
 * strings belong to the parser and are valid only during that call. */
#ifndef LODE_DOC_H
#define LODE_DOC_H
#include <stddef.h>

typedef struct {
	const char *format;  /* "text", "markdown", "html", "email", "jsonl" (static) */
	const char *title;   /* NULL or "" when none */
	const char *author;
	const char *date;    /* "YYYY-MM-DD" (see date.h) or NULL */
	const char *url;
	const char *tags;    /* comma-separated, or NULL */
	const char *lang;    /* language tag if the document declares one, or NULL */
	const char *id;      /* JSON-lines id/_id, or NULL (then: file name sans ext) */
	const char *subkey;  /* key of this document inside its file ("L12", an _id,
				 "M3" for the 3rd mail of an mbox), NULL for one-doc files */
	const char *text;    /* extracted body text, valid UTF-8, markup removed */
	size_t text_len;
	unsigned line;       /* line of the original file where the document starts (1-based) */
} ldoc_t;

/* Return 0 to go on; nonzero stops the parser, which returns PARSE_STOPPED. */
typedef int (*ldoc_emit_fn)(void *ctx, const ldoc_t *doc);

/* Per-document problem inside a multi-document file (a broken JSON line, a
 * bad MIME part): the parser reports it and goes on. line is 1-based. */
typedef void (*ldoc_warn_fn)(void *ctx, unsigned line, const char *reason);
#endif
