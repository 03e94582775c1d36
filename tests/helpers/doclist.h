/* doclist.h - collect what a parser emits, for tests: copies of every
 * document's fields (the parser's own strings die with the emit call) and of
 * every warning, checked on the way in (text valid UTF-8, text_len right). */
#ifndef LODE_DOCLIST_H
#define LODE_DOCLIST_H
#include <stddef.h>
#include "doc.h"
#include "parse.h"

typedef struct {
	char *format, *title, *author, *date, *url, *tags, *lang, *id, *subkey, *text;
	size_t text_len;
	unsigned line;
} dl_doc_t;

typedef struct {
	dl_doc_t *docs;
	size_t n;
	char **warnings;   /* "<line>: <reason>" */
	size_t nwarn;
	size_t stop_after; /* emit asks to stop after this many documents (0: never) */
} dl_list_t;

typedef parse_result_t (*dl_parser_fn)(const parse_input_t *in, ldoc_emit_fn emit,
				       const char **reason);

int dl_emit(void *ctx, const ldoc_t *doc);
void dl_warn(void *ctx, unsigned line, const char *reason);
/* Run FN (parse_document, parse_text ...) over DATA with L collecting. */
parse_result_t dl_parse(dl_parser_fn fn, const char *path, const char *data, size_t len,
			dl_list_t *l, const char **reason);
void dl_free(dl_list_t *l);
/* 1 when NEEDLE occurs in the document's text. */
int dl_text_has(const dl_doc_t *d, const char *needle);
#endif
