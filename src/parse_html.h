/* parse_html.h - HTML to visible text and metadata, streamed through
 * libxml2's SAX parser (no tree is built) in the HTML module (html_module.h). parse_html() (parse.h) is the
 * file parser; html_extract() is shared with the e-mail parser for text/html
 * parts. */
#ifndef LODE_PARSE_HTML_H
#define LODE_PARSE_HTML_H
#include <stddef.h>
#include "buf.h"
#include "parse.h"

typedef struct {
	buf_t text;      /* visible text, one block per line, valid UTF-8 */
	buf_t title;     /* <title>, else og:title, else the first <h1> */
	buf_t author;    /* meta author, dc.creator, byl, article:author */
	buf_t url;       /* link rel=canonical, else og:url */
	buf_t tags;      /* meta keywords and article:tag, comma-separated */
	buf_t lang;      /* <html lang>, else Content-Language */
	char date[11];   /* "YYYY-MM-DD" from the best date meta, or "" */
	unsigned cut_line; /* nonzero: nesting too deep at this line, rest dropped */
} html_doc_t;

/* Extract DATA (LEN raw bytes in any charset) into *DOC, which this
 * initialises; free it with html_doc_free() whatever the result.
 * CHARSET: a transport-level charset (a MIME Content-Type parameter) that
 * wins over the page's own <meta charset>; NULL when there is none.
 * Returns PARSE_OK, PARSE_BINARY (not text), PARSE_FAILED (the HTML module,
 * html_module.h, cannot be loaded) or PARSE_NOMEM. An empty page is PARSE_OK
 * with empty buffers. */
parse_result_t html_extract(const char *data, size_t len, const char *charset, html_doc_t *doc);
void html_doc_free(html_doc_t *doc);

/* The charset an HTML page declares in its first 4 KiB (BOM aside):
 * <meta charset>, <meta http-equiv="Content-Type" content="...charset=">,
 * or <?xml encoding=?>. Writes the lowercased name into OUT and returns 0,
 * or -1 when nothing is declared. Labels browsers read as Windows-1252
 * (iso-8859-1, us-ascii) come back as "windows-1252". */
int html_sniff_charset(const char *data, size_t len, char out[40]);
#endif
