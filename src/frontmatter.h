/* frontmatter.h - the metadata block at the top of a Markdown file:
 * YAML between "---" lines (closed by "---" or "..."), or TOML between "+++"
 * lines. Only the simple forms static site generators write are read:
 * "key: value", quoted values, "[a, b]" lists, "- item" lists below a key,
 * and "name:" under an author. Unknown keys are ignored. */
#ifndef LODE_FRONTMATTER_H
#define LODE_FRONTMATTER_H
#include <stddef.h>
#include "buf.h"

typedef struct {
	buf_t title;
	buf_t author; /* several authors joined with ", " */
	buf_t tags;   /* joined with "," ("tags", else "keywords") */
	buf_t url;    /* "canonical_url" (or "canonical"), else "url" */
	buf_t lang;   /* "lang" or "language" */
	char date[11];/* "YYYY-MM-DD" when "date" (or "published", "pubdate",
		       * "publishdate") held a date date_parse() accepts; else "" */
} fm_t;

/* When TEXT starts with a front matter block, fill FM and return the length
 * of the block (closing line included); else return 0 and leave FM empty.
 * FM must be fm_init()ed; release with fm_free(). Check fm_oom() after. */
size_t fm_parse(const char *text, size_t len, fm_t *fm);
void fm_init(fm_t *fm);
void fm_free(fm_t *fm);
int fm_oom(const fm_t *fm);
#endif
