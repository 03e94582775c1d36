/* html_module.h - libxml2's HTML parser, kept in a module of its own
 * (lode-html.so) that liblode loads with dlopen the first time a page or a
 * Markdown entity needs it. Programs that never parse HTML, `lode search`
 * above all, then never load libxml2, ICU and liblzma: on a small machine
 * that was a third of a search's start-up time.
 *
 * The module is found, in this order: in $LODE_MODULE_DIR; beside the file
 * that holds liblode (liblode.so, or a program linked with liblode.a) and in
 * that file's parent directory (a build tree: build/tests/ -> build/); in
 * the LIBDIR liblode was built for. A program may instead link the module's
 * objects in (the fuzz targets do): its lode_html_module is then used. */
#ifndef LODE_HTML_MODULE_H
#define LODE_HTML_MODULE_H
#include <stddef.h>
#include "buf.h"
#include "parse.h"
#include "parse_html.h"

#define HTML_MODULE_FILE "lode-html.so"
#define HTML_MODULE_SYMBOL "lode_html_module"

typedef struct {
	const char *version;   /* LODE_VERSION_STRING the module was built with */
	size_t doc_size;       /* its sizeof (html_doc_t): both must match liblode's */
	/* Parse the UTF-8 page in U (control bytes are stripped in place) into
	 * DOC, zeroed by the caller. Returns PARSE_OK or PARSE_NOMEM. */
	parse_result_t (*extract)(buf_t *u, html_doc_t *doc);
	/* The code point of the HTML entity NAME ("eacute"), or 0 when unknown. */
	unsigned (*entity)(const char *name);
} html_module_t;

/* The module, loaded on first use (thread-safe; kept loaded). NULL when it
 * cannot be loaded: *WHY (static storage) then says why. */
const html_module_t *html_module(const char **why);
#endif
