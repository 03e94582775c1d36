/* doccap.c - collect what a parser emits; see doccap.h. */
#include "doccap.h"

#include <stdlib.h>
#include <string.h>

#include "encoding.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

parse_input_t cap_input(cap_t *cap, const char *data, size_t len)
{
	parse_input_t in;
	memset(&in, 0, sizeof in);
	in.path = "test";
	in.data = data;
	in.len = len;
	in.warn = cap_warn;
	in.ctx = cap;
	return in;
}

int cap_emit(void *ctx, const ldoc_t *d)
{
	cap_t *cap = ctx;
	if (!d->text || strlen(d->text) != d->text_len || !enc_valid_utf8(d->text, d->text_len))
		cap->bad_docs++;
	const char *fields[] = { d->title, d->author, d->date, d->url, d->tags, d->lang, d->id };
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (fields[i] && !enc_valid_utf8(fields[i], strlen(fields[i])))
			cap->bad_docs++;
	if (cap->ndocs < CAP_MAX) {
		cap_doc_t *c = &cap->docs[cap->ndocs];
		c->format = dup_or_null(d->format);
		c->title = dup_or_null(d->title);
		c->author = dup_or_null(d->author);
		c->date = dup_or_null(d->date);
		c->url = dup_or_null(d->url);
		c->tags = dup_or_null(d->tags);
		c->lang = dup_or_null(d->lang);
		c->id = dup_or_null(d->id);
		c->subkey = dup_or_null(d->subkey);
		c->text = dup_or_null(d->text);
		c->text_len = d->text_len;
		c->line = d->line;
	}
	cap->ndocs++;
	return cap->stop_after && cap->ndocs >= cap->stop_after;
}

void cap_warn(void *ctx, unsigned line, const char *reason)
{
	cap_t *cap = ctx;
	if (cap->nwarn < CAP_MAX) {
		cap->warn_line[cap->nwarn] = line;
		cap->warn_reason[cap->nwarn] = dup_or_null(reason);
	}
	cap->nwarn++;
}

void cap_free(cap_t *cap)
{
	for (size_t i = 0; i < cap->ndocs && i < CAP_MAX; i++) {
		cap_doc_t *c = &cap->docs[i];
		char *all[] = { c->format, c->title, c->author, c->date, c->url, c->tags,
				c->lang, c->id, c->subkey, c->text };
		for (size_t k = 0; k < sizeof all / sizeof *all; k++)
			free(all[k]);
	}
	for (unsigned i = 0; i < cap->nwarn && i < CAP_MAX; i++)
		free(cap->warn_reason[i]);
	size_t stop = cap->stop_after;
	memset(cap, 0, sizeof *cap);
	cap->stop_after = stop;
}
