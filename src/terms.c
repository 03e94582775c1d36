/* terms.c - a document's terms, values and record; see terms.h and schema.h. */
#include "terms.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "normalize.h"
#include "record.h"
#include "schema.h"
#include "stem.h"
#include "tokenize.h"

struct terms {
	stemmer_t *stem;
	buf_t term;     /* scratch: one prefixed term */
	buf_t data;     /* scratch: the record */
	buf_t folded;   /* scratch: a folded field value */
	buf_t marks;    /* the body text's restart marks (record.h) */
	record_packer_t *pack; /* the record's compressor */
	char *idbuf;    /* the document's id when made up from its file's name */
};

/* A restart mark every this many bytes of text at least: a highlighter
 * then tokenizes about this much around each place a query term occurs. */
#define MARK_EVERY 512

terms_t *terms_new(const char *lang, char **errmsg)
{
	terms_t *t = calloc(1, sizeof *t);
	if (!t) {
		if (errmsg)
			*errmsg = strdup("out of memory");
		return NULL;
	}
	t->stem = stemmer_new(lang, errmsg);
	if (!t->stem) {
		free(t);
		return NULL;
	}
	if (!(t->pack = record_packer_new())) {
		if (errmsg)
			*errmsg = strdup("out of memory");
		stemmer_destroy(t->stem);
		free(t);
		return NULL;
	}
	return t;
}

void terms_free(terms_t *t)
{
	if (!t)
		return;
	stemmer_destroy(t->stem);
	record_packer_free(t->pack);
	buf_free(&t->term);
	buf_free(&t->data);
	buf_free(&t->folded);
	buf_free(&t->marks);
	free(t->idbuf);
	free(t);
}

/* Token sink state for one field of one document. */
typedef struct {
	terms_t *t;
	docbuf_t *doc;
	const char *prefix;
	size_t prefix_len;
	int stemmed;
	xap_status_t st;
	const char *text;   /* the body text, while its marks are taken; else NULL */
	record_mark_t last; /* the last mark taken */
} sink_t;

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int add_token(void *ctx, const char *tok, size_t len, size_t start, size_t end,
		     unsigned pos, int flags)
{
	(void)end;
	sink_t *s = ctx;
	const char *term = tok;
	size_t tlen = len;
	if (s->text && !(flags & TOK_COLOCATED) && start >= s->last.off + MARK_EVERY &&
	    is_blank(s->text[start - 1]))
		record_marks_add(&s->t->marks, &s->last, (record_mark_t){ start, pos });
	if (s->stemmed) {
		term = stemmer_stem(s->t->stem, tok, len, flags, &tlen);
		if (!term) {
			s->st = XAP_NOMEM;
			return 1;
		}
	}
	if (s->prefix_len) {
		buf_t *b = &s->t->term;
		buf_reset(b);
		buf_add(b, s->prefix, s->prefix_len);
		buf_add(b, term, tlen);
		if (b->oom) {
			s->st = XAP_NOMEM;
			return 1;
		}
		term = b->p;
		tlen = b->len;
	}
	s->st = docbuf_posting(s->doc, term, tlen, pos) ? XAP_NOMEM : XAP_OK;
	return s->st != XAP_OK;
}

/* Tokens of TEXT from position *pos on; *pos is left after the last one.
 * MARK: take TEXT's restart marks into t->marks (the first at its start). */
static int add_text_at(terms_t *t, docbuf_t *doc, const char *prefix, int stemmed,
		       const char *text, size_t len, unsigned *pos, int mark)
{
	if (!text || !len)
		return 0;
	sink_t s = { t, doc, prefix, strlen(prefix), stemmed, XAP_OK, NULL, { 0, 0 } };
	if (mark) {
		s.text = text;
		record_marks_add(&t->marks, &s.last, (record_mark_t){ 0, *pos });
	}
	int rc = tok_run(text, len, *pos, add_token, &s, pos);
	return (rc < 0 || s.st != XAP_OK || t->marks.oom) ? -1 : 0;
}

static int add_text(terms_t *t, docbuf_t *doc, const char *prefix, int stemmed,
		    const char *text, size_t len)
{
	unsigned pos = 1;
	return add_text_at(t, doc, prefix, stemmed, text, len, &pos, 0);
}

/* The body is what a reader sees: title and text. Formats whose text does
 * not begin with the title (JSON lines, e-mail) get it indexed first, so
 * that ranking does not depend on where a format keeps its title. */
static int add_body(terms_t *t, docbuf_t *doc, const ldoc_t *d)
{
	unsigned pos = 1;
	size_t tl = d->title ? strlen(d->title) : 0;
	size_t head = d->text_len < tl + 256 ? d->text_len : tl + 256;
	if (tl && !memmem(d->text, head, d->title, tl)) {
		if (add_text_at(t, doc, "", 1, d->title, tl, &pos, 0))
			return -1;
		pos += 1; /* a phrase does not run from the title into the text */
	}
	return add_text_at(t, doc, "", 1, d->text, d->text_len, &pos, 1);
}

/* A boolean term PREFIX + folded VALUE. */
static int add_bool(terms_t *t, docbuf_t *doc, const char *prefix, const char *v, size_t n)
{
	buf_reset(&t->folded);
	if (norm_fold(v, n, &t->folded))
		return -1;
	/* trim spaces left and right */
	const char *p = t->folded.p ? t->folded.p : "";
	size_t len = t->folded.len;
	while (len && (*p == ' ' || *p == '\t')) p++, len--;
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
	if (!len)
		return 0;
	schema_term(&t->term, prefix, p, len);
	return docbuf_boolean(doc, t->term.p, t->term.len);
}

static int add_tags(terms_t *t, docbuf_t *doc, const char *tags)
{
	while (tags && *tags) {
		const char *comma = strchr(tags, ',');
		size_t n = comma ? (size_t)(comma - tags) : strlen(tags);
		if (add_bool(t, doc, PFX_TAG, tags, n))
			return -1;
		tags = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int nonempty(const char *s)
{
	return s && *s;
}

int terms_build(terms_t *t, const ldoc_t *d, const terms_file_t *f, docbuf_t *doc,
		const char **why)
{
	*why = "out of memory";
	buf_reset(&t->marks);
	docbuf_clear(doc);
	if (add_body(t, doc, d))
		return -1;
	if (nonempty(d->title) && add_text(t, doc, PFX_TITLE, 1, d->title, strlen(d->title)))
		return -1;
	if (nonempty(d->author) && add_text(t, doc, PFX_AUTHOR, 0, d->author, strlen(d->author)))
		return -1;
	if (nonempty(d->url) && add_text(t, doc, PFX_URL, 0, d->url, strlen(d->url)))
		return -1;
	if (add_text(t, doc, PFX_PATH, 0, f->path, strlen(f->path)))
		return -1;
	if (add_tags(t, doc, d->tags))
		return -1;
	if (nonempty(d->lang) && add_bool(t, doc, PFX_LANG, d->lang, strlen(d->lang)))
		return -1;
	if (add_bool(t, doc, PFX_FORMAT, d->format, strlen(d->format)))
		return -1;
	/* no id of its own: the file's name, plus the key inside a multi-document file */
	const char *id = d->id;
	if (!nonempty(id)) {
		buf_reset(&t->folded);
		buf_adds(&t->folded, f->fallback_id ? f->fallback_id : "");
		if (nonempty(d->subkey)) {
			buf_addc(&t->folded, '#');
			buf_adds(&t->folded, d->subkey);
		}
		if (t->folded.oom || !(id = t->idbuf = realloc(t->idbuf, t->folded.len + 1)))
			return -1;
		memcpy(t->idbuf, t->folded.p, t->folded.len + 1);
	}
	if (nonempty(id) && add_bool(t, doc, PFX_ID, id, strlen(id)))
		return -1;

	schema_key(&t->term, f->path, d->subkey);
	if (docbuf_boolean(doc, t->term.p, t->term.len))
		return -1;
	schema_term(&t->term, PFX_FILE, f->path, strlen(f->path));
	if (docbuf_boolean(doc, t->term.p, t->term.len))
		return -1;

	const char *date = nonempty(d->date) ? d->date : f->fallback_date;
	if (nonempty(date) && strlen(date) == 10) {
		char ymd[8] = { date[0], date[1], date[2], date[3], date[5], date[6], date[8], date[9] };
		if (docbuf_value(doc, SLOT_DATE, ymd, 8))
			return -1;
	}
	buf_reset(&t->term);
	buf_adds(&t->term, f->path);
	buf_addc(&t->term, '\0');
	if (d->subkey)
		buf_adds(&t->term, d->subkey);
	if (t->term.oom || docbuf_value(doc, SLOT_SORT, t->term.p, t->term.len))
		return -1;

	record_t r = {
		.path = f->path, .subkey = d->subkey, .id = id, .title = d->title,
		.author = d->author, .date = date, .url = d->url, .format = d->format,
		.lang = d->lang, .tags = d->tags, .text = d->text, .text_len = d->text_len,
		.hash = f->hash, .mtime = f->mtime, .size = f->size, .line = d->line,
		.marks = t->marks.p, .marks_len = t->marks.len,
	};
	buf_reset(&t->data);
	if (record_encode_with(t->pack, &r, &t->data))
		return -1;
	if (docbuf_data(doc, t->data.p, t->data.len)) {
		*why = "could not store the document";
		return -1;
	}
	return 0;
}
