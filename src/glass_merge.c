/* glass_merge.c - merge glass databases of disjoint docids (glass_merge.h).
 *
 * Each output table is a k-way merge of the sources' cursors (glass_read.h)
 * in key order, through a heap that breaks ties by source, so that among
 * equal keys the source of the lowest docids comes first.
 *
 * termlist, position, docdata: keyed by docid (the position table by term
 * and docid), so no key can be in two sources whose docids are disjoint;
 * one that is means they are not, and the merge fails.
 *
 * postlist: its keys fall into groups, each merged whole. A group is what a
 * key starts with: user metadata ("\0\xc0" key) and value statistics
 * ("\0\xd0" slot) one entry each; a value slot's stream ("\0\xd8" slot,
 * then chunks by first docid); the document length list ("\0\xe0", then
 * chunks); a term's posting list (the escaped term, then chunks under it,
 * NUL, first docid). Within a group the sources' docids follow one another,
 * so the merged list is each source's list in turn: the entries are decoded
 * and encoded again by glass_encode's chunk writers, which fill each chunk
 * as Xapian's writer does (Xapian's compactor instead keeps every source's
 * last, short chunk: 11% more postlist table on lode's runs). The first
 * chunk's header needs the term's frequencies before any entry: every
 * source holding the term is at its first chunk when the group starts, and
 * that chunk's header has them. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "buf.h"
#include "glass_encode.h"
#include "glass_merge.h"
#include "glass_read.h"

/* As lode's writer makes a table (glass_writer_impl.h): Xapian's block
 * size, a fresh database's revision and compress_min, docdata stored raw. */
#define BLOCKSIZE 8192
#define REV 1
#define COMPRESS_MIN 18
#define RAW_MIN 0xFFFFFFFFu
/* Termlists deflated by libdeflate's fastest level: the dev corpus's take
 * 25.90 MB against 25.76 at zlib's default level 6, which Xapian uses, and
 * the merge 8% less time (0.83-0.88 s against 0.91-1.11 s, -j2) */
#define DEFLATE_LEVEL 1

enum { K_META, K_VSTATS, K_VCHUNK, K_DOCLEN, K_TERM };

typedef struct {
	gr_cursor_t *c;
	const unsigned char *key, *tag;
	size_t klen, tlen;
	int live;
	/* postlist: the entry's group, its key's first GLEN bytes, and the
	 * chunk's first docid (0: the list's first chunk, whose tag says) */
	int kind;
	size_t glen;
	uint32_t first;
} src_t;

typedef struct {
	size_t n;
	const char *const *dirs;
	glass_meta_t *meta;
	src_t *s;
	size_t *heap, nheap;
	int postlist; /* the heap orders by group, not by key */
	gbt_t *out;
	unsigned made; /* tables created in DEST (1 << t): removed on failure */
	/* termlist tags are deflated, as Xapian's compactor stores them */
	struct libdeflate_compressor *z;
	unsigned char *zbuf;
	size_t zcap;
	int err;
	char msg[512];
	/* postlist merging */
	char term[GE_MAX_KEY];
	uint32_t last_did;
	buf_t lo, hi, tag;
} merge_t;

static int fail(merge_t *m, int e, const char *fmt, ...)
{
	if (!m->err) {
		m->err = e ? e : EIO;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(m->msg, sizeof m->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ------------------------------------------------------------- decoding */

/* unpack_uint_preserving_sort of all of P[0, N) (a key's end). */
static int sortable(const unsigned char *p, size_t n, uint32_t *v)
{
	if (n == 0)
		return -1;
	unsigned b = p[0];
	if (b < 0x80) {
		if (n != 2)
			return -1;
		*v = b << 8 | p[1];
		return 0;
	}
	if (b == 0xff)
		return -1;
	size_t len = 2;
	for (unsigned bit = 0x40; b & bit; bit >>= 1)
		len++;
	if (n != 1 + len)
		return -1;
	uint64_t x = b & ((1u << (9 - len)) - 1);
	for (size_t i = 1; i <= len; i++)
		x = x << 8 | p[i];
	if (x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* Sort the postlist entry of S into its group. 0, or -1 for a key this
 * does not know. */
static int classify(src_t *s)
{
	const unsigned char *k = s->key;
	size_t n = s->klen;
	s->first = 0;
	if (n >= 2 && k[0] == 0 && (k[1] == 0xc0 || k[1] == 0xd0)) {
		s->kind = k[1] == 0xc0 ? K_META : K_VSTATS;
		s->glen = n;
		return 0;
	}
	if (n >= 2 && k[0] == 0 && k[1] == 0xd8) {
		const unsigned char *p = k + 2;
		uint32_t slot;
		if (ge_get_uint32(&p, k + n, &slot) != 0)
			return -1;
		s->kind = K_VCHUNK;
		s->glen = (size_t)(p - k);
		return sortable(p, n - s->glen, &s->first);
	}
	if (n >= 2 && k[0] == 0 && k[1] == 0xe0) {
		s->kind = K_DOCLEN;
		s->glen = 2;
		return n == 2 ? 0 : sortable(k + 2, n - 2, &s->first) == 0 && s->first ? 0 : -1;
	}
	if (k[0] == 0 && (n < 2 || k[1] != 0xff))
		return -1;
	size_t i = 0;
	while (i < n && !(k[i] == 0 && (i + 1 == n || k[i + 1] != 0xff)))
		i += k[i] == 0 ? 2 : 1;
	s->kind = K_TERM;
	s->glen = i;
	if (i == n)
		return 0;
	return sortable(k + i + 1, n - i - 1, &s->first) == 0 && s->first ? 0 : -1;
}

/* The term a postlist group key names, unescaped into m->term. */
static size_t unescape(merge_t *m, const unsigned char *k, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		m->term[o++] = (char)k[i];
		if (k[i] == 0)
			i++; /* its 0xff */
	}
	return o;
}

/* ------------------------------------------------------------- the heap */

static int src_cmp(const merge_t *m, size_t a, size_t b)
{
	const src_t *x = &m->s[a], *y = &m->s[b];
	int d = m->postlist ? gbt_key_cmp(x->key, x->glen, y->key, y->glen)
			    : gbt_key_cmp(x->key, x->klen, y->key, y->klen);
	return d ? d : (a > b) - (a < b);
}

static void heap_push(merge_t *m, size_t i)
{
	size_t j = m->nheap++;
	while (j > 0 && src_cmp(m, i, m->heap[(j - 1) / 2]) < 0) {
		m->heap[j] = m->heap[(j - 1) / 2];
		j = (j - 1) / 2;
	}
	m->heap[j] = i;
}

static size_t heap_pop(merge_t *m)
{
	size_t top = m->heap[0], x = m->heap[--m->nheap], j = 0;
	for (;;) {
		size_t c = 2 * j + 1;
		if (c >= m->nheap)
			break;
		if (c + 1 < m->nheap && src_cmp(m, m->heap[c + 1], m->heap[c]) < 0)
			c++;
		if (src_cmp(m, m->heap[c], x) >= 0)
			break;
		m->heap[j] = m->heap[c];
		j = c;
	}
	if (m->nheap)
		m->heap[j] = x;
	return top;
}

/* Step source I on; 1 when it has an entry, 0 at its end or on failure
 * (m->err says). */
static int advance(merge_t *m, size_t i)
{
	src_t *s = &m->s[i];
	s->live = gr_next(s->c, &s->key, &s->klen, &s->tag, &s->tlen);
	if (!s->live && gr_status(s->c))
		return fail(m, gr_status(s->c), "%s: %s", m->dirs[i], gr_error(s->c)), 0;
	if (s->live && m->postlist && classify(s) != 0) {
		s->live = 0;
		return fail(m, EBADMSG, "%s: postlist.glass: a key this does not know",
			    m->dirs[i]), 0;
	}
	return s->live;
}

/* Open table T of every source and put each that has an entry in the heap. */
static int open_all(merge_t *m, int t)
{
	m->nheap = 0;
	m->postlist = t == GLASS_POSTLIST;
	for (size_t i = 0; i < m->n; i++) {
		char *e = NULL;
		m->s[i].c = gr_open(m->dirs[i], &m->meta[i], t, &e);
		if (!m->s[i].c) {
			fail(m, errno, "%s", e ? e : "out of memory");
			free(e);
			return -1;
		}
		if (advance(m, i))
			heap_push(m, i);
		if (m->err)
			return -1;
	}
	return 0;
}

static void close_all(merge_t *m)
{
	for (size_t i = 0; i < m->n; i++) {
		gr_close(m->s[i].c);
		m->s[i].c = NULL;
		m->s[i].live = 0;
	}
}

static int emit(void *ctx, const void *key, size_t klen, const void *tag, size_t tlen)
{
	merge_t *m = ctx;
	if (gbt_add(m->out, key, klen, tag, tlen) != 0)
		return fail(m, errno, "cannot write a table: %s", strerror(errno));
	return 0;
}

/* A termlist tag of more than COMPRESS_MIN bytes, deflated when that makes
 * it smaller, as Xapian's compactor writes it (a third of the table on
 * lode's runs, whose termlists lode's writer leaves raw); libdeflate does
 * it in about a third of zlib's time. */
static int emit_deflated(merge_t *m, const void *key, size_t klen, const void *tag, size_t tlen)
{
	if (tlen <= COMPRESS_MIN)
		return emit(m, key, klen, tag, tlen);
	if (m->zcap < tlen) {
		unsigned char *p = realloc(m->zbuf, tlen);
		if (!p)
			return fail(m, ENOMEM, "out of memory");
		m->zbuf = p;
		m->zcap = tlen;
	}
	/* no room for all of it: it would not be smaller */
	size_t n = libdeflate_deflate_compress(m->z, tag, tlen, m->zbuf, tlen - 1);
	if (n == 0)
		return emit(m, key, klen, tag, tlen);
	if (gbt_add_deflated(m->out, key, klen, m->zbuf, n) != 0)
		return fail(m, errno, "cannot write a table: %s", strerror(errno));
	return 0;
}

/* ---------------------------------------------- tables copied by key */

static int merge_by_key(merge_t *m)
{
	while (m->nheap && !m->err) {
		size_t i = heap_pop(m);
		src_t *s = &m->s[i];
		/* a source's entries go out as long as they come before every
		 * other's: one comparison an entry, where the heap takes several
		 * (the termlists and records of a run are all of a piece) */
		for (;;) {
			const src_t *o = m->nheap ? &m->s[m->heap[0]] : NULL;
			int d = o ? gbt_key_cmp(s->key, s->klen, o->key, o->klen) : -1;
			if (d == 0)
				return fail(m, EINVAL, "%s and %s hold the same key: their docids are "
					    "not disjoint", m->dirs[i], m->dirs[m->heap[0]]);
			if (d > 0) {
				heap_push(m, i);
				break;
			}
			if ((m->z ? emit_deflated(m, s->key, s->klen, s->tag, s->tlen)
				  : emit(m, s->key, s->klen, s->tag, s->tlen)) != 0)
				return -1;
			if (!advance(m, i))
				break;
		}
	}
	return m->err ? -1 : 0;
}

/* ----------------------------------------------------------- postlist */

/* The sources whose current group is the heap's least, in source order,
 * popped into G; how many. */
static size_t pop_group(merge_t *m, size_t *g)
{
	size_t k = 0;
	g[k++] = heap_pop(m);
	const src_t *a = &m->s[g[0]];
	while (m->nheap) {
		const src_t *b = &m->s[m->heap[0]];
		if (gbt_key_cmp(a->key, a->glen, b->key, b->glen) != 0)
			break;
		g[k++] = heap_pop(m);
	}
	return k;
}

/* S's next entry is still in the group of KEY[0, GLEN). */
static int same_group(const src_t *s, const unsigned char *key, size_t glen)
{
	return s->live && s->glen == glen && memcmp(s->key, key, glen) == 0;
}

/* One chunk of a posting list (or of the length list) into PL. */
static int posting_chunk(merge_t *m, size_t i, ge_postlist_t *pl)
{
	src_t *s = &m->s[i];
	const unsigned char *p = s->tag, *end = s->tag + s->tlen;
	uint32_t did = s->first, span, wdf;
	if (did == 0) {
		uint64_t tf, cf;
		uint32_t d0;
		if (ge_get_uint(&p, end, &tf) || ge_get_uint(&p, end, &cf) || ge_get_uint32(&p, end, &d0) ||
		    d0 == UINT32_MAX)
			goto bad;
		did = d0 + 1;
	}
	if (p == end || (*p != '0' && *p != '1'))
		goto bad;
	p++;
	if (ge_get_uint32(&p, end, &span) || span > UINT32_MAX - did || ge_get_uint32(&p, end, &wdf))
		goto bad;
	uint32_t last = did + span;
	for (;;) {
		if (did <= m->last_did)
			return fail(m, EINVAL, "%s: docid %u not above %u of the sources before: "
				    "their docids are not ascending", m->dirs[i], did, m->last_did);
		ge_postlist_add(pl, did, wdf);
		m->last_did = did;
		if (p == end)
			break;
		uint32_t gap;
		if (ge_get_uint32(&p, end, &gap) || gap >= last - did || ge_get_uint32(&p, end, &wdf))
			goto bad;
		did += gap + 1;
	}
	if (did != last)
		goto bad;
	return pl->rc ? fail(m, ENOMEM, "cannot write a posting list") : 0;
bad:
	return fail(m, EBADMSG, "%s: postlist.glass: a damaged posting list chunk", m->dirs[i]);
}

static int merge_postings(merge_t *m, const size_t *g, size_t k, ge_postlist_t *pl)
{
	const src_t *s0 = &m->s[g[0]];
	uint64_t tf = 0, cf = 0;
	for (size_t j = 0; j < k; j++) {
		const src_t *s = &m->s[g[j]];
		const unsigned char *p = s->tag, *end = s->tag + s->tlen;
		uint64_t a, b;
		if (s->first != 0 || ge_get_uint(&p, end, &a) || ge_get_uint(&p, end, &b))
			return fail(m, EBADMSG, "%s: postlist.glass: a list without its first chunk",
				    m->dirs[g[j]]);
		tf += a;
		cf += b;
	}
	unsigned char gk[GE_MAX_KEY];
	size_t glen = s0->glen;
	memcpy(gk, s0->key, glen);
	if (s0->kind == K_TERM)
		ge_postlist_begin(pl, m->term, unescape(m, gk, glen), tf, cf);
	else
		ge_postlist_begin(pl, NULL, 0, tf, cf);
	m->last_did = 0;
	for (size_t j = 0; j < k && !m->err; j++) {
		size_t i = g[j];
		do {
			if (posting_chunk(m, i, pl) != 0)
				return -1;
			advance(m, i);
			if (same_group(&m->s[i], gk, glen) && m->s[i].first == 0)
				return fail(m, EBADMSG, "%s: postlist.glass: a list twice",
					    m->dirs[i]);
		} while (same_group(&m->s[i], gk, glen));
	}
	if (m->err)
		return -1;
	return ge_postlist_end(pl) ? fail(m, ENOMEM, "cannot write a posting list") : 0;
}

static int value_chunk(merge_t *m, size_t i, ge_values_t *vs)
{
	src_t *s = &m->s[i];
	const unsigned char *p = s->tag, *end = s->tag + s->tlen;
	uint32_t did = s->first;
	for (;;) {
		uint64_t len;
		if (ge_get_uint(&p, end, &len) || len > (uint64_t)(end - p))
			goto bad;
		if (did <= m->last_did)
			return fail(m, EINVAL, "%s: docid %u not above %u of the sources before: "
				    "their docids are not ascending", m->dirs[i], did, m->last_did);
		ge_values_add(vs, did, (const char *)p, (size_t)len);
		m->last_did = did;
		p += len;
		if (p == end)
			break;
		uint32_t gap;
		if (ge_get_uint32(&p, end, &gap) || gap >= UINT32_MAX - did)
			goto bad;
		did += gap + 1;
	}
	return vs->rc ? fail(m, ENOMEM, "cannot write a value stream") : 0;
bad:
	return fail(m, EBADMSG, "%s: postlist.glass: a damaged value stream chunk", m->dirs[i]);
}

static int merge_values(merge_t *m, const size_t *g, size_t k, ge_values_t *vs)
{
	const src_t *s0 = &m->s[g[0]];
	unsigned char gk[2 + GE_UINT_MAX];
	size_t glen = s0->glen;
	memcpy(gk, s0->key, glen);
	const unsigned char *p = gk + 2;
	uint32_t slot = 0;
	ge_get_uint32(&p, gk + glen, &slot); /* classify() read it */
	ge_values_begin(vs, slot);
	m->last_did = 0;
	for (size_t j = 0; j < k; j++) {
		size_t i = g[j];
		do {
			if (value_chunk(m, i, vs) != 0)
				return -1;
			advance(m, i);
		} while (same_group(&m->s[i], gk, glen));
		if (m->err)
			return -1;
	}
	return ge_values_end(vs) ? fail(m, ENOMEM, "cannot write a value stream") : 0;
}

/* Xapian's compactor: counts summed, the least lower bound, the greatest
 * upper bound (bytes compared unsigned, as std::string compares). */
static int merge_vstats(merge_t *m, const size_t *g, size_t k)
{
	uint64_t freq = 0;
	buf_reset(&m->lo);
	buf_reset(&m->hi);
	for (size_t j = 0; j < k; j++) {
		const src_t *s = &m->s[g[j]];
		const unsigned char *p = s->tag, *end = s->tag + s->tlen;
		uint64_t f, len;
		if (ge_get_uint(&p, end, &f) || ge_get_uint(&p, end, &len) || len > (uint64_t)(end - p))
			return fail(m, EBADMSG, "%s: postlist.glass: damaged value statistics",
				    m->dirs[g[j]]);
		const char *lo = (const char *)p, *hi = (const char *)p + len;
		size_t lolen = (size_t)len, hilen = (size_t)(end - p) - lolen;
		if (hilen == 0) {
			hi = lo;
			hilen = lolen;
		}
		if (j == 0 || gbt_key_cmp(lo, lolen, m->lo.p, m->lo.len) < 0) {
			buf_reset(&m->lo);
			buf_add(&m->lo, lo, lolen);
		}
		if (j == 0 || gbt_key_cmp(hi, hilen, m->hi.p, m->hi.len) > 0) {
			buf_reset(&m->hi);
			buf_add(&m->hi, hi, hilen);
		}
		freq += f;
	}
	buf_reset(&m->tag);
	ge_valuestats(&m->tag, freq, m->lo.p, m->lo.len, m->hi.p, m->hi.len);
	if (m->lo.oom || m->hi.oom || m->tag.oom)
		return fail(m, ENOMEM, "out of memory");
	const src_t *s0 = &m->s[g[0]];
	return emit(m, s0->key, s0->klen, m->tag.p, m->tag.len);
}

static int merge_postlist(merge_t *m)
{
	size_t *g = malloc(m->n * sizeof *g);
	ge_postlist_t pl;
	ge_values_t vs;
	ge_postlist_init(&pl, emit, m);
	ge_values_init(&vs, emit, m);
	if (!g)
		fail(m, ENOMEM, "out of memory");
	while (m->nheap && !m->err) {
		size_t k = pop_group(m, g);
		const src_t *s0 = &m->s[g[0]];
		switch (s0->kind) {
		case K_META:
			/* the first source's value; Xapian's compactor keeps one */
			if (emit(m, s0->key, s0->klen, s0->tag, s0->tlen) == 0)
				for (size_t j = 0; j < k; j++)
					advance(m, g[j]);
			break;
		case K_VSTATS:
			if (merge_vstats(m, g, k) == 0)
				for (size_t j = 0; j < k; j++)
					advance(m, g[j]);
			break;
		case K_VCHUNK:
			merge_values(m, g, k, &vs);
			break;
		default:
			merge_postings(m, g, k, &pl);
			break;
		}
		for (size_t j = 0; j < k && !m->err; j++)
			if (m->s[g[j]].live)
				heap_push(m, g[j]);
	}
	ge_postlist_free(&pl);
	ge_values_free(&vs);
	free(g);
	return m->err ? -1 : 0;
}

/* --------------------------------------------------------------- driver */

/* Xapian's GlassVersion::merge_stats, and the last docid. */
static int merge_stats(merge_t *m, glass_stats_t *st)
{
	memset(st, 0, sizeof *st);
	for (size_t i = 0; i < m->n; i++) {
		const glass_stats_t *o = &m->meta[i].st;
		if (st->doccount > UINT32_MAX - o->doccount ||
		    st->total_doclen > UINT64_MAX - o->total_doclen)
			return fail(m, EOVERFLOW, "too many documents for one database");
		st->doccount += o->doccount;
		if (o->doclen_lbound && (!st->doclen_lbound || o->doclen_lbound < st->doclen_lbound))
			st->doclen_lbound = o->doclen_lbound;
		if (o->doclen_ubound > st->doclen_ubound)
			st->doclen_ubound = o->doclen_ubound;
		if (o->wdf_ubound > st->wdf_ubound)
			st->wdf_ubound = o->wdf_ubound;
		if (o->last_docid > st->last_docid)
			st->last_docid = o->last_docid;
		st->total_doclen += o->total_doclen;
		st->spelling_wordfreq_ubound += o->spelling_wordfreq_ubound;
	}
	return 0;
}

/* Write table T of DEST from every source's. */
static int merge_table(merge_t *m, const char *dest, int t, uint32_t compress_min,
		       unsigned flags, glass_root_t *root)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dest, glass_table_name(t)) >= sizeof path)
		return fail(m, ENAMETOOLONG, "%s: path too long", dest);
	m->out = gbt_new(path, BLOCKSIZE, compress_min, REV);
	if (!m->out)
		return fail(m, errno, "%s: %s", path, strerror(errno));
	m->made |= 1u << t;
	if (t == GLASS_TERMLIST && !(flags & GM_RAW_TERMLIST) &&
	    !(m->z = libdeflate_alloc_compressor(DEFLATE_LEVEL)))
		fail(m, ENOMEM, "out of memory");
	if (!m->err && open_all(m, t) == 0)
		t == GLASS_POSTLIST ? merge_postlist(m) : merge_by_key(m);
	libdeflate_free_compressor(m->z);
	m->z = NULL;
	close_all(m);
	if (!m->err && gbt_finish(m->out, root) != 0)
		fail(m, errno, "%s: %s", path, strerror(errno));
	if (!m->err && !(flags & GM_NO_SYNC) && !root->root_is_fake && gbt_sync(m->out) != 0)
		fail(m, errno, "%s: %s", path, strerror(errno));
	gbt_free(m->out);
	m->out = NULL;
	/* an empty lazy table is left out, as Xapian leaves it unmade */
	if (!m->err && root->root_is_fake && (t == GLASS_POSITION || t == GLASS_DOCDATA))
		unlink(path);
	return m->err ? -1 : 0;
}

/* Only what this merge created: DEST may not have been empty. */
static void remove_made(const char *dest, unsigned made)
{
	char path[4096];
	for (int t = 0; t < GLASS_TABLES; t++)
		if ((made & 1u << t) &&
		    (size_t)snprintf(path, sizeof path, "%s/%s", dest, glass_table_name(t)) <
			    sizeof path)
			unlink(path);
}

/* M set up to merge the N databases DIRS (their metadata is the caller's
 * to read into M->meta): its sources, heap and buffers. Returns 0, -1 when
 * out of memory (said in M). */
static int merge_init(merge_t *m, const char *const *dirs, size_t n)
{
	memset(m, 0, sizeof *m);
	buf_init(&m->lo);
	buf_init(&m->hi);
	buf_init(&m->tag);
	m->n = n;
	m->dirs = dirs;
	m->s = calloc(n ? n : 1, sizeof *m->s);
	m->heap = calloc(n ? n : 1, sizeof *m->heap);
	return m->s && m->heap ? 0 : fail(m, ENOMEM, "out of memory");
}

/* What merge_init set up, freed (not M->meta). */
static void merge_free(merge_t *m)
{
	free(m->s);
	free(m->heap);
	buf_free(&m->lo);
	buf_free(&m->hi);
	buf_free(&m->tag);
	free(m->zbuf);
}

/* A merge of its own for one table, which another thread may run
 * (GM_THREADS): the position table, half of a segment's merge time on the
 * dev corpus (0.36 of 0.72 s), is written while this thread writes the
 * others, so that a merge that runs alone (one of -j1's, or the last of a
 * build's) takes the time of the position table rather than of all three. */
typedef struct {
	merge_t m;
	const char *dest;
	int table;
	unsigned flags;
	glass_root_t *root;
} table_job_t;

static void *table_job_main(void *arg)
{
	table_job_t *j = arg;
	merge_table(&j->m, j->dest, j->table, 0, j->flags, j->root);
	return NULL;
}

/* J set up to write TABLE as M would (sources and metadata shared, read
 * only). Returns 0, -1 when out of memory (in M). */
static int table_job_init(table_job_t *j, merge_t *m, const char *dest, int table,
			  unsigned flags, glass_root_t *root)
{
	memset(j, 0, sizeof *j);
	int rc = merge_init(&j->m, m->dirs, m->n);
	j->m.meta = m->meta;
	j->dest = dest;
	j->table = table;
	j->flags = flags;
	j->root = root;
	return rc ? fail(m, ENOMEM, "out of memory") : 0;
}

/* What J did folded into M: the tables it made, its failure. */
static void table_job_end(table_job_t *j, merge_t *m)
{
	m->made |= j->m.made;
	if (j->m.err && !m->err) {
		m->err = j->m.err;
		memcpy(m->msg, j->m.msg, sizeof m->msg);
	}
	merge_free(&j->m);
}

int glass_merge(const char *const *srcs, size_t n, const char *dest, unsigned flags, char **err)
{
	if (err)
		*err = NULL;
	merge_t m;
	if (merge_init(&m, srcs, n) != 0)
		goto out;
	if (!srcs || n == 0 || !dest) {
		fail(&m, EINVAL, "glass_merge: no sources or no destination");
		goto out;
	}
	if (!(m.meta = calloc(n, sizeof *m.meta))) {
		fail(&m, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char *e = NULL;
		if (glass_meta_read(srcs[i], &m.meta[i], &e) != 0) {
			fail(&m, errno, "%s", e ? e : "out of memory");
			free(e);
			goto out;
		}
		for (int t = GLASS_SPELLING; t <= GLASS_SYNONYM; t++)
			if (!m.meta[i].roots[t].root_is_fake && m.meta[i].roots[t].num_entries) {
				fail(&m, ENOTSUP, "%s: has a %s table, which lode does not merge",
				     srcs[i], glass_table_name(t));
				goto out;
			}
	}
	glass_root_t roots[GLASS_TABLES];
	glass_stats_t st;
	if (merge_stats(&m, &st) != 0)
		goto out;
	table_job_t pos;
	if (table_job_init(&pos, &m, dest, GLASS_POSITION, flags, &roots[GLASS_POSITION]) != 0) {
		table_job_end(&pos, &m);
		goto out;
	}
	pthread_t th;
	int threaded = (flags & GM_THREADS) && pthread_create(&th, NULL, table_job_main, &pos) == 0;
	if (merge_table(&m, dest, GLASS_POSTLIST, 0, flags, &roots[GLASS_POSTLIST]) == 0)
		merge_table(&m, dest, GLASS_TERMLIST, COMPRESS_MIN, flags, &roots[GLASS_TERMLIST]);
	if (threaded)
		pthread_join(th, NULL);
	else if (!m.err) /* no second thread: this one writes it too */
		table_job_main(&pos);
	table_job_end(&pos, &m);
	if (m.err)
		goto out;
	if (flags & GM_NO_DOCDATA)
		gbt_root_absent(&roots[GLASS_DOCDATA], BLOCKSIZE, RAW_MIN);
	else if (merge_table(&m, dest, GLASS_DOCDATA, RAW_MIN, flags, &roots[GLASS_DOCDATA]) != 0)
		goto out;
	gbt_root_absent(&roots[GLASS_SPELLING], BLOCKSIZE, COMPRESS_MIN);
	gbt_root_absent(&roots[GLASS_SYNONYM], BLOCKSIZE, COMPRESS_MIN);
	if (glass_version_write_flags(dest, REV, roots, &st,
				      flags & GM_NO_SYNC ? 0 : GLASS_VERSION_SYNC) != 0)
		fail(&m, errno, "%s: cannot write the version file: %s", dest, strerror(errno));
out:
	if (m.err && dest)
		remove_made(dest, m.made);
	free(m.meta);
	merge_free(&m);
	if (!m.err)
		return 0;
	if (err)
		*err = strdup(m.msg);
	errno = m.err;
	return -1;
}
