/* doclist.c - see doclist.h. */
#include "doclist.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"

/* Copy of a field; also checks it is valid UTF-8 (every field a user sees). */
static char *dup_field(const char *s)
{
	if (!s)
		return NULL;
	if (!enc_valid_utf8(s, strlen(s)))
		fail_msg("emitted field is not valid UTF-8: \"%s\"", s);
	char *p = strdup(s);
	assert_non_null(p);
	return p;
}

int dl_emit(void *ctx, const ldoc_t *doc)
{
	dl_list_t *l = ctx;
	dl_doc_t *docs = realloc(l->docs, (l->n + 1) * sizeof *docs);
	assert_non_null(docs);
	l->docs = docs;
	dl_doc_t *d = &docs[l->n++];
	memset(d, 0, sizeof *d);
	assert_non_null(doc->text);
	if (strlen(doc->text) != doc->text_len)
		fail_msg("text_len %zu but strlen %zu", doc->text_len, strlen(doc->text));
	d->format = dup_field(doc->format);
	d->title = dup_field(doc->title);
	d->author = dup_field(doc->author);
	d->date = dup_field(doc->date);
	d->url = dup_field(doc->url);
	d->tags = dup_field(doc->tags);
	d->lang = dup_field(doc->lang);
	d->id = dup_field(doc->id);
	d->subkey = dup_field(doc->subkey);
	d->text = dup_field(doc->text);
	d->text_len = doc->text_len;
	d->line = doc->line;
	return l->stop_after && l->n >= l->stop_after;
}

void dl_warn(void *ctx, unsigned line, const char *reason)
{
	dl_list_t *l = ctx;
	char **w = realloc(l->warnings, (l->nwarn + 1) * sizeof *w);
	assert_non_null(w);
	l->warnings = w;
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%u: %s", line, reason);
	w[l->nwarn++] = strdup(tmp);
}

parse_result_t dl_parse(dl_parser_fn fn, const char *path, const char *data, size_t len,
			dl_list_t *l, const char **reason)
{
	parse_input_t in = {
		.path = path, .data = data, .len = len, .format = FMT_UNKNOWN,
		.jsonl_map = NULL, .warn = dl_warn, .ctx = l,
	};
	return fn(&in, dl_emit, reason);
}

void dl_free(dl_list_t *l)
{
	for (size_t i = 0; i < l->n; i++) {
		dl_doc_t *d = &l->docs[i];
		free(d->format), free(d->title), free(d->author), free(d->date), free(d->url);
		free(d->tags), free(d->lang), free(d->id), free(d->subkey), free(d->text);
	}
	for (size_t i = 0; i < l->nwarn; i++)
		free(l->warnings[i]);
	free(l->docs);
	free(l->warnings);
	memset(l, 0, sizeof *l);
}

int dl_text_has(const dl_doc_t *d, const char *needle)
{
	return d->text && strstr(d->text, needle) != NULL;
}
