/* glass_writer.c - the document side of the bulk glass writer: documents
 * come in and are inverted in memory; glass_writer_tables.c writes them
 * out at gw_finish.
 *
 * Xapian's own path costs a std::map per document for its terms, a sorted
 * vector per term for positions, and at commit a merge of every posting
 * into the B-tree. Here a term is looked up once per occurrence in one
 * open-addressing hash of the batch's terms, which also says where the term
 * sits in the current document's list (gw_dterm_t); occurrences only bump
 * counters and append (term, position) pairs. At the end of a document its
 * positions are grouped by term with one counting pass, each term's list
 * encoded at once into one growing arena, and the document's postings
 * appended to one array in document order: nothing is allocated per
 * posting, and nothing is sorted by string until gw_finish sorts the terms
 * once. Document data goes straight into the docdata table (keys increase
 * with docid). */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass_encode.h"
#include "glass_writer_impl.h"

#define HASH_START 4096 /* slots; grows by doubling */

void *gw_grow(void *p, size_t *cap, size_t sz, size_t need)
{
	size_t c = *cap ? *cap : 16;
	while (c < need) {
		if (c > SIZE_MAX / 2 / sz)
			return p;
		c *= 2;
	}
	void *q = realloc(p, c * sz);
	if (!q)
		return p;
	*cap = c;
	return q;
}

int gw_fail(gw_t *w, int fatal, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof w->msg, fmt, ap);
	va_end(ap);
	if (fatal)
		w->failed = 1;
	return -1;
}

static int oom(gw_t *w)
{
	return gw_fail(w, 1, "out of memory");
}

/* -1 (message set) unless W may take a call that needs to be inside a
 * document (IN_DOC 1), outside one (0), or either (-1). */
static int usable(gw_t *w, int in_doc, const char *what)
{
	if (w->failed)
		return -1; /* the message stays the first failure's */
	if (w->finished)
		return gw_fail(w, 0, "%s: the database is finished", what);
	if (in_doc == 1 && !w->in_doc)
		return gw_fail(w, 0, "%s: no document begun", what);
	if (in_doc == 0 && w->in_doc)
		return gw_fail(w, 0, "%s: document %u not ended", what, w->docid);
	return 0;
}

/* ------------------------------------------------------------ term hash */

/* A 64-bit multiply-xorshift mix of the term, 8 bytes a round. */
static uint32_t hash_term(const char *s, size_t n)
{
	uint64_t h = 0x243f6a8885a308d3ULL ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL);
	while (n >= 8) {
		uint64_t v;
		memcpy(&v, s, 8);
		h = (h ^ v) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	/* the last 1 to 7 bytes in two overlapping loads of fixed size (a
	 * memcpy of a variable length is a call); with n mixed in above, no
	 * two tails of the same length read alike */
	if (n) {
		uint64_t v;
		if (n >= 4) {
			uint32_t a, b;
			memcpy(&a, s, 4);
			memcpy(&b, s + n - 4, 4);
			v = a | (uint64_t)b << 32;
		} else {
			const unsigned char *u = (const unsigned char *)s;
			v = u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16;
		}
		h = (h ^ v) * 0x94d049bb133111ebULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static int hash_grow(gw_t *w)
{
	size_t cap = w->hcap * 2;
	gw_hslot_t *s = calloc(cap, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < w->hcap; i++) {
		if (!w->hash[i].idx)
			continue;
		size_t j = w->hash[i].hash & (cap - 1);
		while (s[j].idx)
			j = (j + 1) & (cap - 1);
		s[j] = w->hash[i];
	}
	free(w->hash);
	w->hash = s;
	w->hcap = cap;
	return 0;
}

/* A new term: Xapian refuses an empty one and one over 245 bytes; a key of
 * it (bytes escaped, a docid after) must fit a table key too. */
static int term_add(gw_t *w, const char *t, size_t len, uint32_t h, size_t slot)
{
	if (len == 0)
		return gw_fail(w, 0, "empty term");
	if (len > GE_MAX_TERM)
		return gw_fail(w, 0, "term too long (%zu bytes > %d)", len, GE_MAX_TERM);
	if (ge_term_len(t, len) + 1 + 5 > GE_MAX_KEY)
		return gw_fail(w, 0, "term too long once its NUL bytes are escaped");
	if ((w->terms.n + 1) * 2 > w->hcap) {
		if (hash_grow(w))
			return oom(w);
		slot = h & (w->hcap - 1);
		while (w->hash[slot].idx)
			slot = (slot + 1) & (w->hcap - 1);
	}
	if (GW_RESERVE(w->terms, 1) || buf_add(&w->chars, t, len))
		return oom(w);
	w->terms.v[w->terms.n] = (gw_term_t){ .off = w->chars.len - len, .len = (uint32_t)len };
	w->hash[slot] = (gw_hslot_t){ h, (uint32_t)++w->terms.n };
	return 0;
}

/* The current document's entry for TERM (added when new to it): its index
 * in w->dt, or -1 with the message set. */
static int64_t doc_term(gw_t *w, const char *t, size_t len)
{
	uint32_t h = hash_term(t, len);
	size_t mask = w->hcap - 1, i = h & mask;
	gw_term_t *e = NULL;
	for (; w->hash[i].idx; i = (i + 1) & mask) {
		if (w->hash[i].hash != h)
			continue;
		gw_term_t *c = &w->terms.v[w->hash[i].idx - 1];
		if (c->len == len && memcmp(w->chars.p + c->off, t, len) == 0) {
			e = c;
			break;
		}
	}
	if (!e) {
		if (term_add(w, t, len, h, i))
			return -1;
		e = &w->terms.v[w->terms.n - 1];
	}
	if (e->seq != w->seq) {
		if (GW_RESERVE(w->dt, 1))
			return oom(w);
		e->seq = w->seq;
		e->dt = (uint32_t)w->dt.n;
		w->dt.v[w->dt.n++] = (gw_dterm_t){ (uint32_t)(e - w->terms.v), 0, 0, 0 };
	}
	return e->dt;
}

/* ------------------------------------------------------------ documents */

gw_t *gw_new(const char *dir, char **errmsg)
{
	if (errmsg)
		*errmsg = NULL;
	const char *why = "out of memory";
	int made = 0;
	gw_t *w = calloc(1, sizeof *w);
	if (!w)
		goto fail;
	w->dir = strdup(dir);
	w->hash = calloc(HASH_START, sizeof *w->hash);
	if (!w->dir || !w->hash)
		goto fail;
	w->hcap = HASH_START;
	if (mkdir(dir, 0755) == 0) {
		made = 1;
	} else if (errno == EEXIST) {
		DIR *d = opendir(dir);
		if (!d) {
			why = strerror(errno);
			goto fail;
		}
		struct dirent *e;
		while ((e = readdir(d)) != NULL &&
		       (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0))
			;
		closedir(d);
		if (e) {
			why = "not empty";
			goto fail;
		}
	} else {
		why = strerror(errno);
		goto fail;
	}
	w->made_dir = made;
	return w;
fail:
	if (errmsg) {
		size_t n = strlen(dir) + strlen(why) + 3;
		*errmsg = malloc(n);
		if (*errmsg)
			snprintf(*errmsg, n, "%s: %s", dir, why);
	}
	if (w) {
		free(w->dir);
		free(w->hash);
		free(w);
	}
	return NULL;
}

int gw_doc_begin(gw_t *w, unsigned docid)
{
	if (usable(w, 0, "gw_doc_begin"))
		return -1;
	if (docid == 0 || docid <= w->last_docid)
		return gw_fail(w, 0, "docid %u not above the last one (%u)", docid,
			       w->last_docid);
	w->in_doc = 1;
	w->docid = docid;
	w->seq++;
	w->dt.n = 0;
	w->dp.n = 0;
	buf_reset(&w->data);
	return 0;
}

int gw_posting(gw_t *w, const char *term, size_t len, unsigned pos, unsigned wdf_inc)
{
	if (usable(w, 1, "gw_posting"))
		return -1;
	int64_t i = doc_term(w, term, len);
	if (i < 0)
		return -1;
	if (GW_RESERVE(w->dp, 1))
		return oom(w);
	gw_dterm_t *d = &w->dt.v[i];
	d->wdf += wdf_inc;
	d->npos++;
	w->dp.v[w->dp.n++] = (gw_dpos_t){ (uint32_t)i, pos };
	return 0;
}

int gw_term(gw_t *w, const char *term, size_t len, unsigned wdf_inc)
{
	if (usable(w, 1, "gw_term"))
		return -1;
	int64_t i = doc_term(w, term, len);
	if (i < 0)
		return -1;
	w->dt.v[i].wdf += wdf_inc;
	return 0;
}

/* This document's values: the last entries of w->vals. */
static size_t doc_vstart(const gw_t *w)
{
	if (w->docs.n == 0)
		return 0;
	const gw_doc_t *d = &w->docs.v[w->docs.n - 1];
	return d->vstart + d->nvals;
}

int gw_value(gw_t *w, unsigned slot, const char *v, size_t len)
{
	if (usable(w, 1, "gw_value"))
		return -1;
	if (len > UINT32_MAX)
		return gw_fail(w, 0, "value too long");
	size_t i = doc_vstart(w);
	while (i < w->vals.n && w->vals.v[i].slot != slot)
		i++;
	if (len == 0) {
		/* Xapian drops the slot's value: none is kept for an empty one */
		if (i < w->vals.n)
			w->vals.v[i] = w->vals.v[--w->vals.n];
		return 0;
	}
	if (GW_RESERVE(w->vals, 1) || buf_add(&w->vbytes, v, len))
		return oom(w);
	if (i == w->vals.n)
		w->vals.n++;
	w->vals.v[i] = (gw_val_t){ slot, w->docid, (uint32_t)len, w->vbytes.len - len };
	return 0;
}

int gw_data(gw_t *w, const char *d, size_t len)
{
	if (usable(w, 1, "gw_data"))
		return -1;
	buf_reset(&w->data);
	if (buf_add(&w->data, d, len))
		return oom(w);
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* P[0, n) ascending without repeats (a position given twice counts once);
 * returns the new count. Positions nearly always come in order. */
static size_t sort_unique(uint32_t *p, size_t n)
{
	size_t i = 1;
	while (i < n && p[i] > p[i - 1])
		i++;
	if (i >= n)
		return n;
	qsort(p, n, sizeof *p, cmp_u32);
	size_t k = 1;
	for (i = 1; i < n; i++)
		if (p[i] != p[k - 1])
			p[k++] = p[i];
	return k;
}

/* Group the document's positions by term (a counting sort into
 * w->dsorted): w->dt.v[i]'s are then the npos before its off. */
static int encode_positions(gw_t *w)
{
	uint32_t off = 0;
	for (size_t i = 0; i < w->dt.n; i++) {
		w->dt.v[i].off = off;
		off += w->dt.v[i].npos;
	}
	if (off == 0)
		return 0;
	w->dsorted.n = 0;
	if (GW_RESERVE(w->dsorted, off))
		return oom(w);
	uint32_t *s = w->dsorted.v;
	for (size_t i = 0; i < w->dp.n; i++)
		s[w->dt.v[w->dp.v[i].dt].off++] = w->dp.v[i].pos;
	return 0;
}

/* Xapian's doclen_lbound: the least non-zero length. */
static uint32_t min_non_zero(uint32_t a, uint32_t b)
{
	return a == 0 ? b : b == 0 ? a : a < b ? a : b;
}

static int open_docdata(gw_t *w)
{
	buf_t path = BUF_INIT;
	buf_printf(&path, "%s/docdata.glass", w->dir);
	if (path.oom)
		return oom(w);
	w->docdata = gbt_new(path.p, GW_BLOCKSIZE, GW_RAW_MIN, GW_REV);
	int e = errno;
	buf_free(&path);
	if (!w->docdata)
		return gw_fail(w, 1, "%s/docdata.glass: %s", w->dir, strerror(e));
	return 0;
}

int gw_doc_end(gw_t *w)
{
	if (usable(w, 1, "gw_doc_end"))
		return -1;
	if (GW_RESERVE(w->post, w->dt.n) || GW_RESERVE(w->docs, 1) || encode_positions(w))
		return oom(w);
	uint32_t doc = (uint32_t)w->docs.n, doclen = 0;
	size_t pstart = w->post.n;
	for (size_t i = 0; i < w->dt.n; i++) {
		gw_dterm_t *d = &w->dt.v[i];
		uint32_t plen = 0;
		if (d->npos) {
			uint32_t *p = w->dsorted.v + d->off - d->npos;
			size_t before = w->posbytes.len;
			ge_positions(&w->posbytes, p, sort_unique(p, d->npos));
			plen = (uint32_t)(w->posbytes.len - before);
		}
		gw_term_t *t = &w->terms.v[d->term];
		t->tf++;
		t->cf += d->wdf;
		doclen += d->wdf;
		if (d->wdf > w->st.wdf_ubound)
			w->st.wdf_ubound = d->wdf;
		w->post.v[w->post.n++] = (gw_post_t){ d->term, d->wdf, plen, doc };
	}
	if (w->posbytes.oom)
		return oom(w);

	/* the values in slot order, as the termlist's slot list wants them */
	size_t vstart = doc_vstart(w), nv = w->vals.n - vstart;
	gw_val_t *v = w->vals.v + vstart;
	for (size_t i = 1; i < nv; i++) {
		gw_val_t x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1].slot > x.slot; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}

	if (w->data.len) {
		unsigned char key[GE_SORTABLE_MAX];
		if (!w->docdata && open_docdata(w))
			return -1;
		if (gbt_add(w->docdata, key, ge_docid_key(key, w->docid), w->data.p, w->data.len))
			return gw_fail(w, 1, "%s/docdata.glass: %s", w->dir, strerror(errno));
	}

	w->docs.v[w->docs.n++] = (gw_doc_t){ .docid = w->docid, .nterms = (uint32_t)w->dt.n,
					     .doclen = doclen, .nvals = (uint32_t)nv,
					     .pstart = pstart, .vstart = vstart };
	w->st.doccount++;
	w->st.last_docid = w->docid;
	w->st.doclen_lbound = min_non_zero(w->st.doclen_lbound, doclen);
	if (doclen > w->st.doclen_ubound)
		w->st.doclen_ubound = doclen;
	w->st.total_doclen += doclen;
	w->last_docid = w->docid;
	w->in_doc = 0;
	return 0;
}

int gw_metadata(gw_t *w, const char *key, size_t klen, const char *tag, size_t tlen)
{
	if (usable(w, -1, "gw_metadata"))
		return -1;
	if (klen == 0 || klen > GE_MAX_KEY - 2)
		return gw_fail(w, 0, "metadata key of %zu bytes (1 to %d)", klen, GE_MAX_KEY - 2);
	if (tlen > UINT32_MAX)
		return gw_fail(w, 0, "metadata tag too long");
	if (GW_RESERVE(w->meta, 1) || buf_add(&w->mbytes, key, klen) ||
	    buf_add(&w->mbytes, tag, tlen))
		return oom(w);
	w->meta.v[w->meta.n++] = (gw_meta_t){ w->mbytes.len - klen - tlen, w->mbytes.len - tlen,
					      (uint32_t)klen, (uint32_t)tlen };
	return 0;
}

int gw_finish(gw_t *w)
{
	if (usable(w, 0, "gw_finish"))
		return -1;
	w->finished = 1;
	if (gw_write_tables(w)) {
		w->failed = 1;
		return -1;
	}
	w->finished = 2;
	return 0;
}

const char *gw_error(const gw_t *w)
{
	return w ? w->msg : "no writer";
}

static void remove_files(const gw_t *w)
{
	static const char *const names[] = { "iamglass", "postlist.glass", "docdata.glass",
					     "termlist.glass", "position.glass" };
	buf_t p = BUF_INIT;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", w->dir, names[i]);
		if (!p.oom)
			unlink(p.p);
	}
	buf_free(&p);
	if (w->made_dir)
		rmdir(w->dir);
}

void gw_free(gw_t *w)
{
	if (!w)
		return;
	gbt_free(w->docdata);
	if (w->finished != 2)
		remove_files(w);
	free(w->dir);
	free(w->terms.v);
	free(w->hash);
	buf_free(&w->chars);
	free(w->dt.v);
	free(w->dp.v);
	free(w->dsorted.v);
	buf_free(&w->data);
	free(w->post.v);
	free(w->docs.v);
	buf_free(&w->posbytes);
	free(w->vals.v);
	buf_free(&w->vbytes);
	free(w->meta.v);
	buf_free(&w->mbytes);
	free(w);
}
