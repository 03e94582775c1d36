/* glass_writer_tables.c - gw_finish's work: the batch glass_writer.c holds
 * in memory written out table by table, each in key order, then the
 * version file that makes the directory a database.
 *
 * The terms are sorted once (by their first 8 bytes as one integer, the
 * rest only on a tie). The postings, kept in document order, are then
 * turned around twice with counting sorts: into term order for the posting
 * lists and the position table (keyed term, then docid), and walking that
 * back into document order gives every document's terms already sorted for
 * its termlist. No string is compared after the one sort.
 *
 * The postlist table's keys sort as: user metadata ("\0\xc0"), value
 * statistics ("\0\xd0"), value streams ("\0\xd8"), the document length
 * list ("\0\xe0"), then the terms (a term starting with a NUL byte is
 * escaped to "\0\xff", after all of those). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glass_encode.h"
#include "glass_writer_impl.h"

#define COMPRESS_MIN 18 /* Xapian's for docdata, termlist, spelling, synonym */

/* A posting in term order. */
typedef struct {
	uint32_t doc, wdf, plen;
	uint64_t poff; /* its positions in w->posbytes */
} tpost_t;

typedef struct {
	gw_t *w;
	uint32_t *order;  /* term indices in byte order */
	size_t *tstart;   /* rank r's postings: tp[tstart[r], tstart[r + 1]) */
	tpost_t *tp;
	gbt_t *t;         /* the table being written */
	const char *name; /* its file name */
	buf_t tag;
	glass_root_t roots[GLASS_TABLES];
} out_t;

static int emit(void *t, const void *key, size_t klen, const void *tag, size_t tlen)
{
	return gbt_add(t, key, klen, tag, tlen);
}

static int io_fail(out_t *o)
{
	return gw_fail(o->w, 1, "%s/%s: %s", o->w->dir, o->name, strerror(errno));
}

static int table_open(out_t *o, const char *name, uint32_t compress_min)
{
	buf_t path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->w->dir, name);
	o->name = name;
	o->t = path.oom ? NULL : gbt_new(path.p, GW_BLOCKSIZE, compress_min, GW_REV);
	int e = path.oom ? ENOMEM : errno;
	buf_free(&path);
	errno = e;
	return o->t ? 0 : io_fail(o);
}

static int table_close(out_t *o, int table)
{
	int rc = gbt_finish(o->t, &o->roots[table]) ? io_fail(o) : 0;
	gbt_free(o->t);
	o->t = NULL;
	return rc;
}

/* std::string's order: bytes, then the shorter first. */
static int cmp_bytes(const void *a, size_t alen, const void *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

/* ------------------------------------------------------------ term order */

typedef struct {
	uint64_t pre; /* the first 8 bytes, big-endian, zero-padded */
	uint32_t idx;
} skey_t;

static int cmp_skey(const void *a, const void *b, void *ctx)
{
	const skey_t *x = a, *y = b;
	if (x->pre != y->pre)
		return x->pre < y->pre ? -1 : 1;
	const gw_t *w = ctx;
	const gw_term_t *s = &w->terms.v[x->idx], *t = &w->terms.v[y->idx];
	return cmp_bytes(w->chars.p + s->off, s->len, w->chars.p + t->off, t->len);
}

static int sort_terms(out_t *o)
{
	gw_t *w = o->w;
	size_t n = w->terms.n;
	skey_t *k = malloc((n ? n : 1) * sizeof *k);
	o->order = malloc((n ? n : 1) * sizeof *o->order);
	if (!k || !o->order) {
		free(k);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = (const unsigned char *)w->chars.p + w->terms.v[i].off;
		uint64_t pre = 0;
		for (unsigned j = 0; j < 8; j++)
			pre = pre << 8 | (j < w->terms.v[i].len ? p[j] : 0);
		k[i] = (skey_t){ pre, (uint32_t)i };
	}
	qsort_r(k, n, sizeof *k, cmp_skey, w);
	for (size_t r = 0; r < n; r++) {
		o->order[r] = k[r].idx;
		w->terms.v[k[r].idx].rank = (uint32_t)r;
	}
	free(k);
	return 0;
}

/* The postings into term order (o->tp), then back over w->post in document
 * order with each document's terms in byte order. */
static int transpose(out_t *o)
{
	gw_t *w = o->w;
	size_t nt = w->terms.n, np = w->post.n;
	o->tstart = malloc((nt + 1) * sizeof *o->tstart);
	o->tp = malloc((np ? np : 1) * sizeof *o->tp);
	uint32_t *fill = calloc(w->docs.n ? w->docs.n : 1, sizeof *fill);
	if (!o->tstart || !o->tp || !fill) {
		free(fill);
		return -1;
	}
	size_t s = 0;
	for (size_t r = 0; r < nt; r++) {
		o->tstart[r] = s;
		s += w->terms.v[o->order[r]].tf;
	}
	o->tstart[nt] = s;
	/* fill each term's range, tstart[r] moving to its end, then put the
	 * starts back */
	uint64_t poff = 0;
	for (size_t i = 0; i < np; i++) {
		const gw_post_t *p = &w->post.v[i];
		o->tp[o->tstart[w->terms.v[p->term].rank]++] = (tpost_t){ p->doc, p->wdf, p->plen, poff };
		poff += p->plen;
	}
	for (size_t r = nt; r > 0; r--)
		o->tstart[r] = o->tstart[r - 1];
	o->tstart[0] = 0;
	for (size_t r = 0; r < nt; r++) {
		for (size_t i = o->tstart[r]; i < o->tstart[r + 1]; i++) {
			const tpost_t *t = &o->tp[i];
			gw_post_t *p = &w->post.v[w->docs.v[t->doc].pstart + fill[t->doc]++];
			p->term = o->order[r];
			p->wdf = t->wdf;
		}
	}
	free(fill);
	return 0;
}

/* ------------------------------------------------------- postlist table */

static int write_metadata(out_t *o);
static int write_values(out_t *o);

static int write_postlists(out_t *o)
{
	gw_t *w = o->w;
	ge_postlist_t pl;
	ge_postlist_init(&pl, emit, o->t);
	if (w->docs.n) {
		ge_postlist_begin(&pl, NULL, 0, 0, 0);
		for (size_t d = 0; d < w->docs.n; d++)
			ge_postlist_add(&pl, w->docs.v[d].docid, w->docs.v[d].doclen);
		ge_postlist_end(&pl);
	}
	for (size_t r = 0; r < w->terms.n && !pl.rc; r++) {
		const gw_term_t *t = &w->terms.v[o->order[r]];
		ge_postlist_begin(&pl, w->chars.p + t->off, t->len, t->tf, t->cf);
		for (size_t i = o->tstart[r]; i < o->tstart[r + 1]; i++)
			ge_postlist_add(&pl, w->docs.v[o->tp[i].doc].docid, o->tp[i].wdf);
		ge_postlist_end(&pl);
	}
	int rc = pl.rc;
	int oom = pl.tag.oom;
	ge_postlist_free(&pl);
	if (rc)
		return oom ? gw_fail(w, 1, "out of memory") : io_fail(o);
	return 0;
}

static int write_postlist_table(out_t *o)
{
	if (table_open(o, "postlist.glass", 0))
		return -1;
	if (write_metadata(o) || write_values(o) || write_postlists(o)) {
		gbt_free(o->t);
		o->t = NULL;
		return -1;
	}
	return table_close(o, GLASS_POSTLIST);
}

/* --------------------------------------------------------- user metadata */

static int cmp_meta(const void *a, const void *b, void *ctx)
{
	const gw_t *w = ctx;
	const gw_meta_t *x = &w->meta.v[*(const uint32_t *)a], *y = &w->meta.v[*(const uint32_t *)b];
	int c = cmp_bytes(w->mbytes.p + x->koff, x->klen, w->mbytes.p + y->koff, y->klen);
	/* the same key: the later call last */
	return c ? c : (x > y) - (x < y);
}

/* Each key's last tag, keys in order; an empty last tag removed it. */
static int write_metadata(out_t *o)
{
	gw_t *w = o->w;
	size_t n = w->meta.n;
	if (n == 0)
		return 0;
	uint32_t *ix = malloc(n * sizeof *ix);
	if (!ix)
		return gw_fail(w, 1, "out of memory");
	for (size_t i = 0; i < n; i++)
		ix[i] = (uint32_t)i;
	qsort_r(ix, n, sizeof *ix, cmp_meta, w);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const gw_meta_t *m = &w->meta.v[ix[i]];
		if (i + 1 < n) {
			const gw_meta_t *next = &w->meta.v[ix[i + 1]];
			if (cmp_bytes(w->mbytes.p + m->koff, m->klen, w->mbytes.p + next->koff,
				      next->klen) == 0)
				continue;
		}
		if (m->tlen == 0)
			continue;
		unsigned char key[GE_MAX_KEY];
		size_t kl = ge_metadata_key(key, w->mbytes.p + m->koff, m->klen);
		if (gbt_add(o->t, key, kl, w->mbytes.p + m->toff, m->tlen))
			rc = io_fail(o);
	}
	free(ix);
	return rc;
}

/* ---------------------------------------------------------------- values */

typedef struct {
	uint32_t slot, freq;
	size_t start;            /* its values: vorder[start, start + freq) */
	const gw_val_t *lo, *hi; /* the least and greatest value */
} slot_t;

static int cmp_slotno(const void *a, const void *b)
{
	const slot_t *x = a, *y = b;
	return (x->slot > y->slot) - (x->slot < y->slot);
}

/* Slots in the order of their keys: KIND 0 statistics, 1 value streams. */
static int cmp_slotkey(const void *a, const void *b, void *ctx)
{
	uint32_t x = ((const slot_t *)a)->slot, y = ((const slot_t *)b)->slot;
	unsigned char kx[2 + GE_UINT_MAX + GE_SORTABLE_MAX], ky[sizeof kx];
	size_t nx, ny;
	if (*(const int *)ctx == 0) {
		nx = ge_valuestats_key(kx, x);
		ny = ge_valuestats_key(ky, y);
	} else {
		nx = ge_valuechunk_key(kx, x, 1);
		ny = ge_valuechunk_key(ky, y, 1);
	}
	return cmp_bytes(kx, nx, ky, ny);
}

static int cmp_value(const gw_t *w, const gw_val_t *a, const gw_val_t *b)
{
	return cmp_bytes(w->vbytes.p + a->off, a->len, w->vbytes.p + b->off, b->len);
}

/* Every slot's statistics, then every slot's stream. */
static int write_values(out_t *o)
{
	gw_t *w = o->w;
	size_t nv = w->vals.n, ns = 0;
	if (nv == 0)
		return 0;
	slot_t *sl = malloc(nv * sizeof *sl);
	uint32_t *vorder = malloc(nv * sizeof *vorder);
	if (!sl || !vorder) {
		free(sl);
		free(vorder);
		return gw_fail(w, 1, "out of memory");
	}
	/* the distinct slots, in number order */
	for (size_t i = 0; i < nv; i++)
		sl[i] = (slot_t){ .slot = w->vals.v[i].slot };
	qsort(sl, nv, sizeof *sl, cmp_slotno);
	for (size_t i = 0; i < nv; i++)
		if (ns == 0 || sl[ns - 1].slot != sl[i].slot)
			sl[ns++] = sl[i];
	/* count, place (a stable counting sort: docids stay ascending), bound */
	for (size_t i = 0; i < nv; i++) {
		slot_t *s = bsearch(&(slot_t){ .slot = w->vals.v[i].slot }, sl, ns, sizeof *sl,
				    cmp_slotno);
		s->freq++;
	}
	size_t at = 0;
	for (size_t k = 0; k < ns; k++) {
		sl[k].start = at;
		at += sl[k].freq;
		sl[k].freq = 0;
	}
	for (size_t i = 0; i < nv; i++) {
		const gw_val_t *v = &w->vals.v[i];
		slot_t *s = bsearch(&(slot_t){ .slot = v->slot }, sl, ns, sizeof *sl, cmp_slotno);
		vorder[s->start + s->freq++] = (uint32_t)i;
		if (!s->lo || cmp_value(w, v, s->lo) < 0)
			s->lo = v;
		if (!s->hi || cmp_value(w, v, s->hi) > 0)
			s->hi = v;
	}

	int kind = 0, rc = 0;
	qsort_r(sl, ns, sizeof *sl, cmp_slotkey, &kind);
	for (size_t k = 0; k < ns && !rc; k++) {
		unsigned char key[2 + 8];
		buf_reset(&o->tag);
		ge_valuestats(&o->tag, sl[k].freq, w->vbytes.p + sl[k].lo->off, sl[k].lo->len,
			      w->vbytes.p + sl[k].hi->off, sl[k].hi->len);
		if (o->tag.oom)
			rc = gw_fail(w, 1, "out of memory");
		else if (gbt_add(o->t, key, ge_valuestats_key(key, sl[k].slot), o->tag.p, o->tag.len))
			rc = io_fail(o);
	}
	kind = 1;
	qsort_r(sl, ns, sizeof *sl, cmp_slotkey, &kind);
	ge_values_t vs;
	ge_values_init(&vs, emit, o->t);
	for (size_t k = 0; k < ns && !rc; k++) {
		ge_values_begin(&vs, sl[k].slot);
		for (size_t i = sl[k].start; i < sl[k].start + sl[k].freq; i++) {
			const gw_val_t *v = &w->vals.v[vorder[i]];
			ge_values_add(&vs, v->docid, w->vbytes.p + v->off, v->len);
		}
		if (ge_values_end(&vs))
			rc = vs.tag.oom ? gw_fail(w, 1, "out of memory") : io_fail(o);
	}
	ge_values_free(&vs);
	free(sl);
	free(vorder);
	return rc;
}

/* ------------------------------------------------------- termlist table */

/* Per document: its termlist (empty for a document without terms, as
 * Xapian stores it), then the slots of its values when it has any. */
static int write_termlists(out_t *o)
{
	gw_t *w = o->w;
	GW_VEC(uint32_t) slots = { NULL, 0, 0 };
	int rc = table_open(o, "termlist.glass", COMPRESS_MIN);
	for (size_t d = 0; d < w->docs.n && !rc; d++) {
		const gw_doc_t *doc = &w->docs.v[d];
		unsigned char key[GE_SORTABLE_MAX + 1];
		buf_reset(&o->tag);
		if (doc->nterms) {
			ge_termlist_t tl;
			ge_termlist_begin(&tl, &o->tag, doc->doclen, doc->nterms);
			for (size_t i = doc->pstart; i < doc->pstart + doc->nterms; i++) {
				const gw_term_t *t = &w->terms.v[w->post.v[i].term];
				ge_termlist_add(&tl, w->chars.p + t->off, t->len, w->post.v[i].wdf);
			}
		}
		if (o->tag.oom) {
			rc = gw_fail(w, 1, "out of memory");
			break;
		}
		if (gbt_add(o->t, key, ge_docid_key(key, doc->docid), o->tag.p, o->tag.len)) {
			rc = io_fail(o);
			break;
		}
		if (!doc->nvals)
			continue;
		slots.n = 0;
		if (GW_RESERVE(slots, doc->nvals)) {
			rc = gw_fail(w, 1, "out of memory");
			break;
		}
		for (size_t i = 0; i < doc->nvals; i++)
			slots.v[slots.n++] = w->vals.v[doc->vstart + i].slot;
		buf_reset(&o->tag);
		ge_slots(&o->tag, slots.v, slots.n);
		if (o->tag.oom)
			rc = gw_fail(w, 1, "out of memory");
		else if (gbt_add(o->t, key, ge_slots_key(key, doc->docid), o->tag.p, o->tag.len))
			rc = io_fail(o);
	}
	free(slots.v);
	if (rc) {
		gbt_free(o->t);
		o->t = NULL;
		return rc;
	}
	return table_close(o, GLASS_TERMLIST);
}

/* ------------------------------------------------------- position table */

static int write_positions(out_t *o)
{
	gw_t *w = o->w;
	if (w->posbytes.len == 0) {
		gbt_root_absent(&o->roots[GLASS_POSITION], GW_BLOCKSIZE, 0);
		return 0;
	}
	int rc = table_open(o, "position.glass", 0);
	for (size_t r = 0; r < w->terms.n && !rc; r++) {
		const gw_term_t *t = &w->terms.v[o->order[r]];
		/* the key: the escaped term once, a docid after it each time */
		unsigned char key[GE_MAX_KEY + GE_SORTABLE_MAX];
		size_t tl = 0;
		for (size_t i = o->tstart[r]; i < o->tstart[r + 1]; i++) {
			const tpost_t *p = &o->tp[i];
			if (!p->plen)
				continue;
			if (!tl)
				tl = ge_term(key, w->chars.p + t->off, t->len, 0);
			size_t kl = tl + ge_sortable_uint(key + tl, w->docs.v[p->doc].docid);
			if (gbt_add(o->t, key, kl, w->posbytes.p + p->poff, p->plen)) {
				rc = io_fail(o);
				break;
			}
		}
	}
	if (rc) {
		gbt_free(o->t);
		o->t = NULL;
		return rc;
	}
	return table_close(o, GLASS_POSITION);
}

int gw_write_tables(gw_t *w)
{
	out_t o = { .w = w };
	buf_init(&o.tag);
	int rc = 0;
	if (sort_terms(&o) || transpose(&o))
		rc = gw_fail(w, 1, "out of memory");
	if (!rc)
		rc = write_postlist_table(&o);
	if (!rc)
		rc = write_positions(&o);
	/* the postings by term are done with: give their memory back first */
	free(o.tp);
	o.tp = NULL;
	if (!rc)
		rc = write_termlists(&o);
	if (!rc && w->docdata) {
		o.t = w->docdata;
		o.name = "docdata.glass";
		w->docdata = NULL;
		rc = table_close(&o, GLASS_DOCDATA);
	} else if (!rc) {
		gbt_root_absent(&o.roots[GLASS_DOCDATA], GW_BLOCKSIZE, GW_RAW_MIN);
	}
	if (!rc) {
		gbt_root_absent(&o.roots[GLASS_SPELLING], GW_BLOCKSIZE, COMPRESS_MIN);
		gbt_root_absent(&o.roots[GLASS_SYNONYM], GW_BLOCKSIZE, COMPRESS_MIN);
		if (glass_version_write(w->dir, GW_REV, o.roots, &w->st))
			rc = gw_fail(w, 1, "%s/iamglass: %s", w->dir, strerror(errno));
	}
	free(o.order);
	free(o.tstart);
	free(o.tp);
	buf_free(&o.tag);
	return rc;
}
