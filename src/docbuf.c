/* docbuf.c - a document as a recording of the calls that build it; see
 * docbuf.h.
 *
 * Layout: one op byte, then its operands; lengths, positions and slots as
 * varints (7 bits a byte, low first):
 *   'P' len term pos      a posting
 *   'B' len term          a boolean term
 *   'V' slot len bytes    a value
 *   'D' len bytes         the data */
#include "docbuf.h"

#include <string.h>

enum { OP_POSTING = 'P', OP_BOOLEAN = 'B', OP_VALUE = 'V', OP_DATA = 'D' };

void docbuf_clear(docbuf_t *d)
{
	buf_reset(&d->ops);
	d->ops.oom = 0;
}

void docbuf_free(docbuf_t *d)
{
	buf_free(&d->ops);
}

static char *put_varint(char *p, size_t v)
{
	while (v >= 0x80) {
		*p++ = (char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (char)v;
	return p;
}

/* OP, then a varint A (when HAS_A), then LEN and LEN bytes of S, then a
 * varint B (when HAS_B). */
static int put(docbuf_t *d, char op, int has_a, size_t a, const char *s, size_t len, int has_b,
	       size_t b)
{
	buf_t *o = &d->ops;
	if (o->oom || buf_reserve(o, 1 + 10 + 10 + len + 10 + 1))
		return -1;
	char *p = o->p + o->len;
	*p++ = op;
	if (has_a)
		p = put_varint(p, a);
	p = put_varint(p, len);
	if (len)
		memcpy(p, s, len);
	p += len;
	if (has_b)
		p = put_varint(p, b);
	o->len = (size_t)(p - o->p);
	o->p[o->len] = '\0';
	return 0;
}

int docbuf_posting(docbuf_t *d, const char *term, size_t len, unsigned pos)
{
	return put(d, OP_POSTING, 0, 0, term, len, 1, pos);
}

int docbuf_boolean(docbuf_t *d, const char *term, size_t len)
{
	return put(d, OP_BOOLEAN, 0, 0, term, len, 0, 0);
}

int docbuf_value(docbuf_t *d, unsigned slot, const char *v, size_t len)
{
	return put(d, OP_VALUE, 1, slot, v, len, 0, 0);
}

int docbuf_data(docbuf_t *d, const char *data, size_t len)
{
	return put(d, OP_DATA, 0, 0, data, len, 0, 0);
}

static size_t get_varint(const unsigned char **p)
{
	size_t v = 0;
	for (unsigned shift = 0;; shift += 7) {
		unsigned c = *(*p)++;
		v |= (size_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return v;
	}
}

/* The recording is only ever written by put(): its varints end. */
int docbuf_replay(const docbuf_t *d, const docbuf_ops_t *ops, void *ctx)
{
	const unsigned char *p = (const unsigned char *)d->ops.p;
	const unsigned char *end = p + d->ops.len;
	while (p < end) {
		int op = *p++;
		size_t a = op == OP_VALUE ? get_varint(&p) : 0;
		size_t len = get_varint(&p);
		const char *s = (const char *)p;
		p += len;
		int rc;
		switch (op) {
		case OP_POSTING:
			rc = ops->posting(ctx, s, len, (unsigned)get_varint(&p));
			break;
		case OP_BOOLEAN:
			rc = ops->boolean(ctx, s, len);
			break;
		case OP_VALUE:
			rc = ops->value(ctx, (unsigned)a, s, len);
			break;
		default:
			rc = ops->data(ctx, s, len);
			break;
		}
		if (rc)
			return rc;
	}
	return 0;
}

typedef struct {
	const char *p;
	size_t len;
	int found;
} last_data_t;

static int skip_posting(void *ctx, const char *t, size_t l, unsigned pos)
{
	(void)ctx, (void)t, (void)l, (void)pos;
	return 0;
}

static int skip_term(void *ctx, const char *t, size_t l)
{
	(void)ctx, (void)t, (void)l;
	return 0;
}

static int skip_value(void *ctx, unsigned slot, const char *v, size_t l)
{
	(void)ctx, (void)slot, (void)v, (void)l;
	return 0;
}

static int note_data(void *ctx, const char *data, size_t len)
{
	last_data_t *ld = ctx;
	ld->p = data;
	ld->len = len;
	ld->found = 1;
	return 0;
}

void docbuf_get_data(const docbuf_t *d, const char **data, size_t *len)
{
	static const docbuf_ops_t ops = { skip_posting, skip_term, skip_value, note_data };
	last_data_t ld = { NULL, 0, 0 };
	docbuf_replay(d, &ops, &ld);
	*data = ld.found ? ld.p : NULL;
	*len = ld.len;
}

/* ------------------------------------------------------ into Xapian */

typedef struct {
	xap_doc_t *doc;
	xap_status_t xs;
} to_xapian_t;

static int x_posting(void *ctx, const char *t, size_t l, unsigned pos)
{
	to_xapian_t *x = ctx;
	return (x->xs = xap_doc_add_posting(x->doc, t, l, pos, 1)) != XAP_OK;
}

static int x_boolean(void *ctx, const char *t, size_t l)
{
	to_xapian_t *x = ctx;
	return (x->xs = xap_doc_add_boolean_term(x->doc, t, l)) != XAP_OK;
}

static int x_value(void *ctx, unsigned slot, const char *v, size_t l)
{
	to_xapian_t *x = ctx;
	return (x->xs = xap_doc_add_value(x->doc, slot, v, l)) != XAP_OK;
}

static int x_data(void *ctx, const char *data, size_t l)
{
	to_xapian_t *x = ctx;
	return (x->xs = xap_doc_set_data(x->doc, data, l)) != XAP_OK;
}

xap_status_t docbuf_to_xapian(const docbuf_t *d, xap_doc_t *doc)
{
	static const docbuf_ops_t ops = { x_posting, x_boolean, x_value, x_data };
	if (d->ops.oom)
		return XAP_NOMEM;
	to_xapian_t x = { doc, xap_doc_clear(doc) };
	if (x.xs == XAP_OK)
		docbuf_replay(d, &ops, &x);
	return x.xs;
}
