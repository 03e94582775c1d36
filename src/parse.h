/* parse.h - from a file's bytes to documents: format detection and dispatch
 * to the format parsers (parse_text.c, parse_markdown.c, parse_html.c,
 * parse_email.c, parse_jsonl.c). */
#ifndef LODE_PARSE_H
#define LODE_PARSE_H
#include <stddef.h>
#include "doc.h"

typedef enum {
	FMT_UNKNOWN = 0, FMT_TEXT, FMT_MARKDOWN, FMT_HTML, FMT_EMAIL, FMT_MBOX, FMT_JSONL,
} fmt_t;

typedef enum {
	PARSE_OK = 0,        /* at least one document emitted */
	PARSE_EMPTY = 1,     /* no text at all: skipped, "empty" */
	PARSE_BINARY = 2,    /* skipped, "binary" */
	PARSE_NOT_DOC = 3,   /* skipped: not a document (reason says why) */
	PARSE_FAILED = 4,    /* could not be parsed (reason says why) */
	PARSE_STOPPED = 5,   /* the emit callback asked to stop */
	PARSE_NOMEM = 6,
} parse_result_t;

/* JSON-lines field names (NULL: defaults id/_id, title, text/body, author, date, url). */
typedef struct {
	const char *id, *title, *text, *author, *date, *url;
} parse_jsonl_map_t;

typedef struct {
	const char *path;          /* for format detection and messages; "-" for stdin */
	const char *data;          /* the (already decompressed) bytes */
	size_t len;
	fmt_t format;              /* FMT_UNKNOWN: detect */
	const parse_jsonl_map_t *jsonl_map; /* may be NULL */
	ldoc_warn_fn warn;         /* may be NULL */
	void *ctx;                 /* passed to emit and warn */
} parse_input_t;

/* Detect the format from PATH's extension (".gz" ignored), else by sniffing
 * DATA: mbox "From " line, RFC 822 headers, <html/<!doctype, JSON object per
 * line, Markdown front matter / headings; else text. */
fmt_t parse_detect(const char *path, const char *data, size_t len);
const char *parse_format_name(fmt_t f); /* "text", "markdown", ... (static) */
/* FMT_* from a name as in parse_format_name(), FMT_UNKNOWN if none. */
fmt_t parse_format_from_name(const char *name);

/* Parse IN and call EMIT for each document. *reason (may be NULL) gets a
 * static string explaining a non-OK result. */
parse_result_t parse_document(const parse_input_t *in, ldoc_emit_fn emit, const char **reason);

/* The format parsers, same contract as parse_document (format known). */
parse_result_t parse_text(const parse_input_t *in, ldoc_emit_fn emit, const char **reason);
parse_result_t parse_markdown(const parse_input_t *in, ldoc_emit_fn emit, const char **reason);
parse_result_t parse_html(const parse_input_t *in, ldoc_emit_fn emit, const char **reason);
parse_result_t parse_email(const parse_input_t *in, ldoc_emit_fn emit, const char **reason);
parse_result_t parse_mbox(const parse_input_t *in, ldoc_emit_fn emit, const char **reason);
parse_result_t parse_jsonl(const parse_input_t *in, ldoc_emit_fn emit, const char **reason);
#endif
