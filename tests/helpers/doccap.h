/* doccap.h - collect what a parser emits, for the parser unit tests. */
#ifndef LODE_DOCCAP_H
#define LODE_DOCCAP_H
#include <stddef.h>
#include "parse.h"

#define CAP_MAX 16

typedef struct {
	char *format, *title, *author, *date, *url, *tags, *lang, *id, *subkey, *text;
	size_t text_len;
	unsigned line;
} cap_doc_t;

typedef struct {
	cap_doc_t docs[CAP_MAX]; /* the first CAP_MAX documents, strings malloc'd */
	size_t ndocs;            /* all emitted, even past CAP_MAX */
	size_t bad_docs;         /* emitted with invalid UTF-8 or a wrong text_len */
	unsigned nwarn, warn_line[CAP_MAX];
	char *warn_reason[CAP_MAX];
	size_t stop_after;       /* nonzero: emit asks to stop after this many */
} cap_t;

/* A parse_input_t over DATA/LEN wired to cap_emit/cap_warn with ctx CAP. */
parse_input_t cap_input(cap_t *cap, const char *data, size_t len);
int cap_emit(void *ctx, const ldoc_t *doc);
void cap_warn(void *ctx, unsigned line, const char *reason);
void cap_free(cap_t *cap); /* frees the copies, back to empty */
#endif
