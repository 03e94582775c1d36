/* glass_encode.c - see glass_encode.h. */
#include "glass_encode.h"

#include <string.h>

/* Room kept at the front of a posting chunk for its header, which is known
 * only when the chunk ends: termfreq and collection frequency (64-bit
 * varints), first docid - 1, the last-chunk flag, the docid span. */
#define GE_HEAD (2 * GE_UINT_MAX + 5 + 1 + 5)

size_t ge_sortable_uint(unsigned char *p, uint64_t v)
{
	if (v < 0x8000) {
		p[0] = (unsigned char)(v >> 8);
		p[1] = (unsigned char)v;
		return 2;
	}
	/* len bytes in all, the first with len - 2 one bits on top (after a
	 * one bit for "more than two"), then value bits */
	size_t len = (size_t)(69 - __builtin_clzll(v)) / 7;
	for (size_t i = len - 1; i > 0; i--) {
		p[i] = (unsigned char)v;
		v >>= 8;
	}
	p[0] = (unsigned char)(v | (0xffu << (10 - len)));
	return len;
}

size_t ge_uint_last(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	for (; v; v >>= 8)
		p[n++] = (unsigned char)v;
	return n;
}

size_t ge_term(unsigned char *p, const char *term, size_t len, int last)
{
	size_t n = 0;
	const char *end = term + len, *z;
	while ((z = memchr(term, '\0', (size_t)(end - term))) != NULL) {
		memcpy(p + n, term, (size_t)(z - term) + 1);
		n += (size_t)(z - term) + 1;
		p[n++] = 0xff;
		term = z + 1;
	}
	memcpy(p + n, term, (size_t)(end - term));
	n += (size_t)(end - term);
	if (!last)
		p[n++] = 0;
	return n;
}

size_t ge_term_len(const char *term, size_t len)
{
	size_t n = len;
	const char *end = term + len, *z;
	while ((z = memchr(term, '\0', (size_t)(end - term))) != NULL) {
		n++;
		term = z + 1;
	}
	return n;
}

void ge_put_uint(buf_t *b, uint64_t v)
{
	if (buf_reserve(b, GE_UINT_MAX))
		return;
	b->len += ge_uint((unsigned char *)b->p + b->len, v);
	b->p[b->len] = '\0';
}

void ge_put_string(buf_t *b, const char *s, size_t len)
{
	ge_put_uint(b, len);
	buf_add(b, s, len);
}

/* ------------------------------------------------------------------ keys */

size_t ge_postlist_key(unsigned char *k, const char *term, size_t len)
{
	return ge_term(k, term, len, 1);
}

size_t ge_postlist_chunk_key(unsigned char *k, const char *term, size_t len, uint32_t first)
{
	size_t n = ge_term(k, term, len, 0);
	return n + ge_sortable_uint(k + n, first);
}

size_t ge_doclen_key(unsigned char *k, uint32_t first)
{
	k[0] = 0;
	k[1] = 0xe0;
	return first ? 2 + ge_sortable_uint(k + 2, first) : 2;
}

size_t ge_position_key(unsigned char *k, const char *term, size_t len, uint32_t did)
{
	return ge_postlist_chunk_key(k, term, len, did);
}

size_t ge_valuestats_key(unsigned char *k, uint32_t slot)
{
	k[0] = 0;
	k[1] = 0xd0;
	return 2 + ge_uint_last(k + 2, slot);
}

size_t ge_valuechunk_key(unsigned char *k, uint32_t slot, uint32_t first)
{
	k[0] = 0;
	k[1] = 0xd8;
	size_t n = 2 + ge_uint(k + 2, slot);
	return n + ge_sortable_uint(k + n, first);
}

size_t ge_docid_key(unsigned char *k, uint32_t did)
{
	return ge_sortable_uint(k, did);
}

size_t ge_slots_key(unsigned char *k, uint32_t did)
{
	size_t n = ge_sortable_uint(k, did);
	k[n] = 0;
	return n + 1;
}

size_t ge_metadata_key(unsigned char *k, const char *key, size_t len)
{
	k[0] = 0;
	k[1] = 0xc0;
	memcpy(k + 2, key, len);
	return 2 + len;
}

/* ---------------------------------------------------------- posting lists */

void ge_postlist_init(ge_postlist_t *pl, ge_emit_fn emit, void *ctx)
{
	memset(pl, 0, sizeof *pl);
	pl->emit = emit;
	pl->ctx = ctx;
	buf_init(&pl->tag);
}

void ge_postlist_free(ge_postlist_t *pl)
{
	buf_free(&pl->tag);
}

static void chunk_reset(ge_postlist_t *pl)
{
	pl->n = 0;
	pl->tag.len = 0;
	if (buf_reserve(&pl->tag, GE_HEAD + GE_CHUNK_SIZE + 2 * GE_UINT_MAX) == 0)
		pl->tag.len = GE_HEAD;
	else
		pl->rc = -1;
}

void ge_postlist_begin(ge_postlist_t *pl, const char *term, size_t len, uint64_t tf, uint64_t cf)
{
	pl->term = term;
	pl->term_len = len;
	pl->tf = tf;
	pl->cf = cf;
	pl->first_chunk = 1;
	chunk_reset(pl);
}

/* Write the header before the entries and emit the chunk. */
static void chunk_emit(ge_postlist_t *pl, int is_last)
{
	if (pl->rc)
		return;
	unsigned char head[GE_HEAD], key[GE_MAX_KEY + GE_SORTABLE_MAX];
	size_t h = 0, klen;
	if (pl->first_chunk) {
		h += ge_uint(head + h, pl->tf);
		h += ge_uint(head + h, pl->cf);
		h += ge_uint(head + h, pl->first - 1);
		klen = pl->term ? ge_postlist_key(key, pl->term, pl->term_len) : ge_doclen_key(key, 0);
	} else {
		klen = pl->term ? ge_postlist_chunk_key(key, pl->term, pl->term_len, pl->first)
				: ge_doclen_key(key, pl->first);
	}
	head[h++] = is_last ? '1' : '0';
	h += ge_uint(head + h, pl->last - pl->first);
	char *tag = pl->tag.p + GE_HEAD - h;
	memcpy(tag, head, h);
	if (pl->emit(pl->ctx, key, klen, tag, pl->tag.len - (GE_HEAD - h)))
		pl->rc = -1;
	pl->first_chunk = 0;
}

void ge_postlist_add(ge_postlist_t *pl, uint32_t did, uint64_t wdf)
{
	if (pl->rc)
		return;
	if (pl->n && pl->tag.len - GE_HEAD >= GE_CHUNK_SIZE) {
		chunk_emit(pl, 0);
		chunk_reset(pl);
		if (pl->rc)
			return;
	}
	/* chunk_reset reserved room up to GE_CHUNK_SIZE plus one entry */
	unsigned char *p = (unsigned char *)pl->tag.p + pl->tag.len;
	if (pl->n == 0)
		pl->first = did;
	else
		p += ge_uint(p, (uint64_t)(did - pl->last) - 1);
	p += ge_uint(p, wdf);
	pl->tag.len = (size_t)((char *)p - pl->tag.p);
	pl->last = did;
	pl->n++;
}

int ge_postlist_end(ge_postlist_t *pl)
{
	if (pl->n)
		chunk_emit(pl, 1);
	pl->n = 0;
	return pl->rc;
}

/* ---------------------------------------------------------- value streams */

void ge_values_init(ge_values_t *vs, ge_emit_fn emit, void *ctx)
{
	memset(vs, 0, sizeof *vs);
	vs->emit = emit;
	vs->ctx = ctx;
	buf_init(&vs->tag);
}

void ge_values_free(ge_values_t *vs)
{
	buf_free(&vs->tag);
}

void ge_values_begin(ge_values_t *vs, uint32_t slot)
{
	vs->slot = slot;
	buf_reset(&vs->tag);
}

static void values_emit(ge_values_t *vs)
{
	unsigned char key[2 + GE_UINT_MAX + GE_SORTABLE_MAX];
	size_t klen = ge_valuechunk_key(key, vs->slot, vs->first);
	if (vs->tag.oom || vs->emit(vs->ctx, key, klen, vs->tag.p, vs->tag.len))
		vs->rc = -1;
	buf_reset(&vs->tag);
}

void ge_values_add(ge_values_t *vs, uint32_t did, const char *v, size_t len)
{
	if (vs->rc)
		return;
	if (vs->tag.len == 0)
		vs->first = did;
	else
		ge_put_uint(&vs->tag, (uint64_t)(did - vs->last) - 1);
	vs->last = did;
	ge_put_string(&vs->tag, v, len);
	if (vs->tag.len >= GE_CHUNK_SIZE)
		values_emit(vs);
}

int ge_values_end(ge_values_t *vs)
{
	if (vs->tag.len && !vs->rc)
		values_emit(vs);
	return vs->rc;
}

void ge_valuestats(buf_t *b, uint64_t freq, const char *lo, size_t lolen, const char *hi,
		   size_t hilen)
{
	ge_put_uint(b, freq);
	ge_put_string(b, lo, lolen);
	if (lolen != hilen || memcmp(lo, hi, lolen) != 0)
		buf_add(b, hi, hilen);
}

/* -------------------------------------------------------------- termlists */

void ge_termlist_begin(ge_termlist_t *tl, buf_t *b, uint64_t doclen, uint64_t nterms)
{
	tl->b = b;
	tl->prev = NULL;
	tl->prev_len = 0;
	ge_put_uint(b, doclen);
	ge_put_uint(b, nterms);
}

void ge_termlist_add(ge_termlist_t *tl, const char *term, size_t len, uint64_t wdf)
{
	buf_t *b = tl->b;
	if (buf_reserve(b, 2 + len + GE_UINT_MAX))
		return;
	unsigned char *p = (unsigned char *)b->p + b->len;
	if (!tl->prev) {
		*p++ = (unsigned char)len;
		memcpy(p, term, len);
		p += len;
		p += ge_uint(p, wdf);
	} else {
		size_t keep = 0, max = len < tl->prev_len ? len : tl->prev_len;
		while (keep < max && term[keep] == tl->prev[keep])
			keep++;
		/* the reader knows prev_len, so (wdf + 1) * (prev_len + 1) + keep
		 * tells both apart when it fits a byte; a byte over prev_len
		 * says it is so */
		uint64_t packed = wdf < 127 ? (wdf + 1) * (tl->prev_len + 1) + keep : 256;
		*p++ = (unsigned char)(packed < 256 ? packed : keep);
		*p++ = (unsigned char)(len - keep);
		memcpy(p, term + keep, len - keep);
		p += len - keep;
		if (packed >= 256)
			p += ge_uint(p, wdf);
	}
	b->len = (size_t)((char *)p - b->p);
	b->p[b->len] = '\0';
	tl->prev = term;
	tl->prev_len = len;
}

void ge_slots(buf_t *b, const uint32_t *slots, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ge_put_uint(b, i ? slots[i] - slots[i - 1] - 1 : slots[0]);
}

/* -------------------------------------------------------- position lists */

typedef struct {
	buf_t *b;
	uint64_t acc; /* bits not yet written, the next one lowest */
	unsigned n;   /* how many */
} bits_t;

static void bits_put(bits_t *w, uint64_t v, unsigned count)
{
	w->acc |= v << w->n;
	w->n += count;
	while (w->n >= 8) {
		w->b->p[w->b->len++] = (char)w->acc;
		w->acc >>= 8;
		w->n -= 8;
	}
}

/* V out of OUTOF possible values (v < outof) in as few bits as the range
 * needs; when it is not a power of two, the values in the middle of the
 * range take one bit less (those at the ends have the top bit), which
 * suits positions (Xapian's BitWriter::encode). */
static void bits_encode(bits_t *w, uint64_t v, uint64_t outof)
{
	unsigned bits = outof > 1 ? 64 - (unsigned)__builtin_clzll(outof - 1) : 0;
	uint64_t spare = ((uint64_t)1 << bits) - outof;
	if (spare) {
		uint64_t mid = (outof - spare) / 2;
		if (v >= mid + spare)
			v = (v - (mid + spare)) | ((uint64_t)1 << (bits - 1));
		else if (v >= mid)
			bits--;
	}
	bits_put(w, v, bits);
}

/* POS[j+1..k) knowing POS[j] and POS[k]: the middle one, out of the values
 * it can take leaving room for the others, then each half. */
static void bits_interpolative(bits_t *w, const uint32_t *pos, size_t j, size_t k)
{
	while (j + 1 < k) {
		size_t mid = j + (k - j) / 2;
		uint64_t outof = (uint64_t)pos[k] - pos[j] - (k - j) + 1;
		uint64_t lowest = (uint64_t)pos[j] + (mid - j);
		bits_encode(w, pos[mid] - lowest, outof);
		bits_interpolative(w, pos, j, mid);
		j = mid;
	}
}

void ge_positions(buf_t *b, const uint32_t *pos, size_t n)
{
	uint32_t last = pos[n - 1];
	ge_put_uint(b, last);
	if (n == 1 || b->oom)
		return;
	/* at most 32 bits a position, plus the two headers */
	if (buf_reserve(b, 4 * n + 16))
		return;
	bits_t w = { b, 0, 0 };
	bits_encode(&w, pos[0], last);
	bits_encode(&w, n - 2, (uint64_t)last - pos[0]);
	bits_interpolative(&w, pos, 0, n - 1);
	if (w.n)
		b->p[b->len++] = (char)w.acc;
	b->p[b->len] = '\0';
}

int ge_get_uint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned sh = 0; *p < end; sh += 7) {
		unsigned c = *(*p)++;
		if (sh > 63 || (sh == 63 && (c & 0x7e)))
			return -1;
		x |= (uint64_t)(c & 0x7f) << sh;
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

int ge_get_uint32(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
	uint64_t x;
	if (ge_get_uint(p, end, &x) != 0 || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}
