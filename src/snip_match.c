/* snip_match.c - compiles a query tree into what the highlighter looks for,
 * and finds it in a text; see snip_match.h.
 *
 * Query words are compared as the indexer compared them: a document token
 * matches a query term when their stems are equal (stemmer_stem of the
 * folded token, with the tokenizer's flags), a wildcard when the folded token
 * starts with the prefix. The text is tokenized once; each token is looked
 * up in hash tables (one for stems, one per prefix length in use), so the
 * cost is linear in the text whatever the size of the query. Only tokens
 * that match something are remembered, as hits; phrases and NEAR groups are
 * then assembled from the hits by position. */
#include "snip_match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tokenize.h"

/* ------------------------------------------------- a string -> id table */

typedef struct {
	size_t off, len; /* key in keys */
	uint32_t hash;
	unsigned val;
	int used;
} slot_t;

typedef struct {
	slot_t *slots;
	size_t cap, n;
	buf_t keys;
} smap_t;

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static slot_t *smap_find(const smap_t *m, const char *k, size_t len, uint32_t h)
{
	if (!m->cap)
		return NULL;
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		slot_t *s = &m->slots[i];
		if (!s->used)
			return s;
		if (s->hash == h && s->len == len && !memcmp(m->keys.p + s->off, k, len))
			return s;
	}
}

static int smap_get(const smap_t *m, const char *k, size_t len, unsigned *val)
{
	slot_t *s = smap_find(m, k, len, hash_bytes(k, len));
	if (!s || !s->used)
		return 0;
	*val = s->val;
	return 1;
}

static int smap_grow(smap_t *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	slot_t *old = m->slots, *nw = calloc(cap, sizeof *nw);
	if (!nw)
		return -1;
	size_t oldcap = m->cap;
	m->slots = nw;
	m->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].used)
			*smap_find(m, m->keys.p + old[i].off, old[i].len, old[i].hash) = old[i];
	free(old);
	return 0;
}

/* The id stored for K, or VAL stored as new (*isnew set). -1 when out of memory. */
static int smap_intern(smap_t *m, const char *k, size_t len, unsigned val, unsigned *out,
		       int *isnew)
{
	uint32_t h = hash_bytes(k, len);
	slot_t *s = smap_find(m, k, len, h);
	*isnew = 0;
	if (s && s->used) {
		*out = s->val;
		return 0;
	}
	if ((m->n + 1) * 4 > m->cap * 3) {
		if (smap_grow(m))
			return -1;
		s = smap_find(m, k, len, h);
	}
	size_t off = m->keys.len;
	if (buf_add(&m->keys, k, len))
		return -1;
	*s = (slot_t){off, len, h, val, 1};
	m->n++;
	*out = val;
	*isnew = 1;
	return 0;
}

static void smap_free(smap_t *m)
{
	free(m->slots);
	buf_free(&m->keys);
}

/* ---------------------------------------------------------- the matcher */

enum { I_TERM, I_PREFIX, I_PHRASE };

typedef struct {
	int kind;
	qfield_t field;
	size_t first, nwords; /* word ids in ids[] */
	int near;             /* the NEAR group it is an operand of, or -1 */
	double weight;
} item_t;

typedef struct {
	unsigned window;
	qfield_t field;
	size_t first, n; /* its operands: items first .. first+n-1 */
} near_t;

struct snip_matcher {
	stemmer_t *st;
	snip_weight_fn wfn;
	void *wctx;
	smap_t stems, prefixes, itemkeys;
	unsigned nwords;
	unsigned char plen[TOK_MAX_LEN + 1]; /* prefix lengths in use */
	int has_stems, has_prefixes;
	/* First bytes of the stems looked for. Snowball stemmers rewrite the
	 * ends of words, never the first letter (checked over 5 million English,
	 * French and German tokens), so a token whose first byte is not here
	 * cannot stem to a query word and is not stemmed at all: most tokens of
	 * a long text are skipped for the price of one table lookup. */
	unsigned char stem_first[256];
	item_t *items;
	size_t nitems, capitems;
	unsigned *ids;
	size_t nids, capids;
	near_t *nears;
	size_t nnears, capnears;
	int oom;
};

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	void *nv = realloc(*v, c * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = c;
	return 0;
}

/* The word id of folded token TOK (stemmed, or as a prefix) and its weight.
 * Returns 0, -1 for a prefix that can match nothing, -2 when out of memory. */
static int word_id(snip_matcher_t *m, const char *tok, size_t len, int flags, int prefix,
		   unsigned *id, double *weight)
{
	const char *s = tok;
	size_t slen = len;
	int isnew;
	*weight = 1.0;
	if (prefix) {
		if (len == 0 || len > TOK_MAX_LEN)
			return -1; /* no token could ever match it */
		m->plen[len] = 1;
		m->has_prefixes = 1;
		if (smap_intern(&m->prefixes, tok, len, m->nwords, id, &isnew))
			return -2;
		m->nwords += isnew;
		return 0;
	}
	if (m->st && !(s = stemmer_stem(m->st, tok, len, flags, &slen)))
		return -2;
	if (m->wfn) {
		*weight = m->wfn(m->wctx, s, slen);
		if (!(*weight > 0.01))
			*weight = 0.01;
	}
	m->has_stems = 1;
	if (slen)
		m->stem_first[(unsigned char)s[0]] = 1;
	if (smap_intern(&m->stems, s, slen, m->nwords, id, &isnew))
		return -2;
	m->nwords += isnew;
	return 0;
}

/* Add an item for node N (TERM, WILDCARD or PHRASE). Items outside NEAR that
 * the query names twice ("a OR a") are kept once, so a passage does not
 * count one word twice as if it were two. */
static void add_item(snip_matcher_t *m, const qnode_t *n, int near)
{
	item_t it = {n->type == Q_PHRASE ? I_PHRASE : n->type == Q_WILDCARD ? I_PREFIX : I_TERM,
		     n->field, m->nids, 0, near, 0.0};
	size_t nw = n->type == Q_PHRASE ? n->nkids : 1;
	if (nw == 0 || grow((void **)&m->ids, &m->capids, m->nids + nw, sizeof *m->ids)) {
		m->oom |= nw != 0;
		return;
	}
	for (size_t i = 0; i < nw; i++) {
		const qnode_t *w = n->type == Q_PHRASE ? n->kids[i] : n;
		double wt;
		int rc = word_id(m, w->text ? w->text : "", w->len, w->tflags,
				 it.kind == I_PREFIX, &m->ids[m->nids + i], &wt);
		if (rc == -2)
			m->oom = 1;
		if (rc)
			return;
		it.weight += wt;
	}
	it.nwords = nw;
	if (near < 0) {
		buf_t key = BUF_INIT;
		unsigned id;
		int isnew;
		buf_printf(&key, "%d/%d", it.kind, (int)it.field);
		buf_add(&key, (const char *)&m->ids[m->nids], nw * sizeof *m->ids);
		if (key.oom || smap_intern(&m->itemkeys, key.p, key.len, (unsigned)m->nitems, &id,
					   &isnew)) {
			buf_free(&key);
			m->oom = 1;
			return;
		}
		buf_free(&key);
		if (!isnew)
			return;
	}
	if (grow((void **)&m->items, &m->capitems, m->nitems + 1, sizeof *m->items)) {
		m->oom = 1;
		return;
	}
	m->nids += nw;
	m->items[m->nitems++] = it;
}

static void walk(snip_matcher_t *m, const qnode_t *n)
{
	switch (n->type) {
	case Q_TERM:
	case Q_WILDCARD:
	case Q_PHRASE:
		add_item(m, n, -1);
		break;
	case Q_NEAR: {
		if (grow((void **)&m->nears, &m->capnears, m->nnears + 1, sizeof *m->nears)) {
			m->oom = 1;
			return;
		}
		near_t nr = {n->window, n->field, m->nitems, 0};
		int id = (int)m->nnears;
		for (size_t i = 0; i < n->nkids; i++)
			if (n->kids[i]->type == Q_TERM || n->kids[i]->type == Q_PHRASE)
				add_item(m, n->kids[i], id);
		nr.n = m->nitems - nr.first;
		if (nr.n >= 2)
			m->nears[m->nnears++] = nr;
		else
			m->nitems = nr.first; /* not a usable group: drop its items */
		break;
	}
	case Q_AND_NOT:
		/* what is excluded is never highlighted */
		if (n->nkids)
			walk(m, n->kids[0]);
		break;
	case Q_AND:
	case Q_OR:
	case Q_AND_MAYBE:
		for (size_t i = 0; i < n->nkids; i++)
			walk(m, n->kids[i]);
		break;
	default: /* FILTER, DATE, ALL: nothing in the text */
		break;
	}
}

snip_matcher_t *snip_matcher_new(const qnode_t *q, stemmer_t *st, snip_weight_fn w, void *wctx)
{
	snip_matcher_t *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->st = st;
	m->wfn = w;
	m->wctx = wctx;
	if (q)
		walk(m, q);
	if (m->oom) {
		snip_matcher_free(m);
		return NULL;
	}
	/* A wildcard names no one term to weigh: give it the mean of the others. */
	double sum = 0;
	size_t n = 0;
	for (size_t i = 0; i < m->nitems; i++)
		if (m->items[i].kind != I_PREFIX)
			sum += m->items[i].weight / (double)m->items[i].nwords, n++;
	for (size_t i = 0; i < m->nitems; i++)
		if (m->items[i].kind == I_PREFIX)
			m->items[i].weight = n ? sum / (double)n : 1.0;
	return m;
}

void snip_matcher_free(snip_matcher_t *m)
{
	if (!m)
		return;
	smap_free(&m->stems);
	smap_free(&m->prefixes);
	smap_free(&m->itemkeys);
	free(m->items);
	free(m->ids);
	free(m->nears);
	free(m);
}

size_t snip_nitems(const snip_matcher_t *m)
{
	return m->nitems;
}

double snip_item_weight(const snip_matcher_t *m, unsigned i)
{
	return m->items[i].weight;
}

/* ------------------------------------------------------- finding matches */

typedef struct {
	unsigned word, pos;
	size_t start, end;
} hit_t;

typedef struct snip_scan {
	snip_matcher_t *m;
	qfield_t field;
	int any;               /* some item applies to the field */
	unsigned char *active; /* per word: used by an item of the field scanned */
	hit_t *hits;
	size_t nhits, caphits;
	size_t *wfirst, *wcount; /* per word: its hits in hits[], by position */
	size_t base;           /* offset of the piece being tokenized */
	const char *piece;     /* its text */
	unsigned pos;          /* the position of the next piece's first token */
	unsigned stop;         /* snip_scan_at's STOP for the next piece, or 0 */
	int stopped;           /* the piece's tokens ended at STOP */
	const unsigned (*at)[2]; /* the next piece's positions of matches, or NULL */
	size_t nat;
} scan_t;

static int add_hit(scan_t *sc, unsigned word, unsigned pos, size_t start, size_t end)
{
	if (!sc->active[word])
		return 0;
	if (grow((void **)&sc->hits, &sc->caphits, sc->nhits + 1, sizeof *sc->hits))
		return -1;
	sc->hits[sc->nhits++] = (hit_t){word, pos, sc->base + start, sc->base + end};
	return 0;
}

/* Is POS inside one of SC's [lo, hi] position pairs? */
static int at_match(const scan_t *sc, unsigned pos)
{
	size_t lo = 0, hi = sc->nat;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sc->at[mid][1] < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sc->nat && sc->at[lo][0] <= pos;
}

static int on_token(void *ctx, const char *tok, size_t len, size_t start, size_t end,
		    unsigned pos, int flags)
{
	scan_t *sc = ctx;
	snip_matcher_t *m = sc->m;
	unsigned id;
	if (sc->stop && pos >= sc->stop && start > 0 &&
	    (sc->piece[start - 1] == ' ' || sc->piece[start - 1] == '\n' ||
	     sc->piece[start - 1] == '\t' || sc->piece[start - 1] == '\r')) {
		sc->stopped = 1;
		return 1;
	}
	if (m->has_stems && len && m->stem_first[(unsigned char)tok[0]] &&
	    (!sc->at || at_match(sc, pos))) {
		const char *s = tok;
		size_t slen = len;
		if (m->st && !(s = stemmer_stem(m->st, tok, len, flags, &slen)))
			return -1;
		if (smap_get(&m->stems, s, slen, &id) && add_hit(sc, id, pos, start, end))
			return -1;
	}
	if (m->has_prefixes) {
		for (size_t l = 1; l <= len && l <= TOK_MAX_LEN; l++)
			if (m->plen[l] && smap_get(&m->prefixes, tok, l, &id) &&
			    add_hit(sc, id, pos, start, end))
				return -1;
	}
	return 0;
}

static int cmp_hit(const void *a, const void *b)
{
	const hit_t *x = a, *y = b;
	if (x->word != y->word)
		return x->word < y->word ? -1 : 1;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

static int cmp_occ(const void *a, const void *b)
{
	const snip_occ_t *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return (x->item > y->item) - (x->item < y->item);
}

/* The end of the run in order (by cmp_occ) that starts at V[I]. */
static size_t occ_run(const snip_occ_t *v, size_t i, size_t n)
{
	while (i + 1 < n && cmp_occ(&v[i], &v[i + 1]) <= 0)
		i++;
	return i + 1;
}

/* Sort V[0, N) by cmp_occ, stably. The occurrences come item by item, each
 * item's in order already: merging those runs costs a few comparisons per
 * occurrence, where qsort took most of snip_scan_occs. Returns 0, -1 when
 * out of memory. */
static int sort_occs(snip_occ_t *v, size_t n)
{
	if (n < 2 || occ_run(v, 0, n) == n)
		return 0;
	snip_occ_t *tmp = malloc(n * sizeof *tmp);
	if (!tmp)
		return -1;
	for (;;) {
		size_t runs = 0;
		for (size_t a = 0; a < n; runs++) {
			size_t m = occ_run(v, a, n), b = m < n ? occ_run(v, m, n) : n;
			size_t i = a, j = m, k = a;
			while (i < m && j < b)
				tmp[k++] = cmp_occ(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
			memcpy(tmp + k, v + i, (m - i) * sizeof *v);
			k += m - i;
			memcpy(tmp + k, v + j, (b - j) * sizeof *v);
			a = b;
		}
		memcpy(v, tmp, n * sizeof *v);
		if (runs <= 1)
			break;
	}
	free(tmp);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Sort the hits by word and position (colocated tokens may arrive after the
 * next primary one), drop duplicates, and index them by word. */
static int index_hits(scan_t *sc)
{
	/* positions from the index come in order already (a term's, term by
	 * term): a glance spares the sort */
	size_t k = 1;
	while (k < sc->nhits && cmp_hit(&sc->hits[k - 1], &sc->hits[k]) <= 0)
		k++;
	if (k < sc->nhits)
		qsort(sc->hits, sc->nhits, sizeof *sc->hits, cmp_hit);
	size_t n = 0;
	for (size_t i = 0; i < sc->nhits; i++)
		if (!n || cmp_hit(&sc->hits[n - 1], &sc->hits[i]))
			sc->hits[n++] = sc->hits[i];
	sc->nhits = n;
	free(sc->wfirst);
	free(sc->wcount);
	sc->wfirst = calloc(sc->m->nwords + 1, sizeof *sc->wfirst);
	sc->wcount = calloc(sc->m->nwords + 1, sizeof *sc->wcount);
	if (!sc->wfirst || !sc->wcount)
		return -1;
	for (size_t i = n; i-- > 0;) {
		sc->wfirst[sc->hits[i].word] = i;
		sc->wcount[sc->hits[i].word]++;
	}
	return 0;
}

/* The first hit of WORD at POS, or NULL. */
static const hit_t *find_hit(const scan_t *sc, unsigned word, unsigned pos)
{
	size_t lo = sc->wfirst[word], hi = lo + sc->wcount[word];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sc->hits[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sc->wfirst[word] + sc->wcount[word] && sc->hits[lo].pos == pos)
		return &sc->hits[lo];
	return NULL;
}

static int push_occ(snip_occs_t *o, snip_occ_t occ)
{
	if (grow((void **)&o->v, &o->cap, o->n + 1, sizeof *o->v))
		return -1;
	o->v[o->n++] = occ;
	return 0;
}

/* Occurrences of item I: its word's hits, or for a phrase every place where
 * its words stand at consecutive positions. */
static int item_occs(const scan_t *sc, unsigned i, snip_occs_t *out)
{
	const item_t *it = &sc->m->items[i];
	const unsigned *w = &sc->m->ids[it->first];
	size_t first = sc->wfirst[w[0]], n = sc->wcount[w[0]];
	for (size_t h = first; h < first + n; h++) {
		const hit_t *h0 = &sc->hits[h];
		snip_occ_t o = {h0->start, h0->end, h0->pos, h0->pos, i};
		size_t k;
		for (k = 1; k < it->nwords; k++) {
			const hit_t *hk = find_hit(sc, w[k], h0->pos + (unsigned)k);
			if (!hk)
				break;
			if (hk->start < o.start)
				o.start = hk->start;
			if (hk->end > o.end)
				o.end = hk->end;
		}
		if (k < it->nwords)
			continue;
		o.pos_hi = h0->pos + (unsigned)it->nwords - 1;
		if (push_occ(out, o))
			return -1;
	}
	return 0;
}

/* Occurrences of a NEAR group's operands that take part in a satisfying
 * window: one occurrence of each operand, all within L = window + (words in
 * the operands) positions. Every occurrence inside a window [s, s+L) that
 * holds all operands takes part, and the first position of some occurrence
 * can serve as s; so sweep s over those, keeping the occurrences inside
 * (added by last position, dropped by first), and mark what is inside when
 * all operands are. Each occurrence is added, dropped and marked once. */
static int near_occs(const scan_t *sc, const near_t *nr, snip_occs_t *out)
{
	snip_occs_t o = {0};
	uint64_t L = nr->window;
	int rc = -1;
	for (size_t i = nr->first; i < nr->first + nr->n; i++) {
		L += sc->m->items[i].nwords;
		if (item_occs(sc, (unsigned)i, &o))
			goto done;
	}
	size_t n = o.n, k = nr->n;
	uint64_t *bylo = malloc((n + 1) * sizeof *bylo), *byhi = malloc((n + 1) * sizeof *byhi);
	unsigned char *in = calloc(n + 1, 1), *marked = calloc(n + 1, 1);
	size_t *count = calloc(k, sizeof *count);
	if (!bylo || !byhi || !in || !marked || !count)
		goto free_all;
	for (size_t i = 0; i < n; i++) {
		bylo[i] = (uint64_t)o.v[i].pos_lo << 32 | i;
		byhi[i] = (uint64_t)o.v[i].pos_hi << 32 | i;
	}
	qsort(bylo, n, sizeof *bylo, cmp_u64);
	qsort(byhi, n, sizeof *byhi, cmp_u64);
	size_t addp = 0, remp = 0, markp = 0, nz = 0;
	for (size_t r = 0; r < n;) {
		uint64_t s = bylo[r] >> 32;
		for (; remp < n && (bylo[remp] >> 32) < s; remp++) {
			size_t x = bylo[remp] & 0xFFFFFFFFu;
			if (in[x]) {
				in[x] = 0;
				if (--count[o.v[x].item - nr->first] == 0)
					nz--;
			}
		}
		for (; addp < n && (byhi[addp] >> 32) < s + L; addp++) {
			size_t x = byhi[addp] & 0xFFFFFFFFu;
			if (o.v[x].pos_lo >= s) {
				in[x] = 1;
				if (count[o.v[x].item - nr->first]++ == 0)
					nz++;
			}
		}
		if (nz == k)
			for (; markp < addp; markp++)
				if (in[byhi[markp] & 0xFFFFFFFFu])
					marked[byhi[markp] & 0xFFFFFFFFu] = 1;
		while (r < n && (bylo[r] >> 32) == s)
			r++;
	}
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (marked[i])
			rc = push_occ(out, o.v[i]);
free_all:
	free(bylo);
	free(byhi);
	free(in);
	free(marked);
	free(count);
done:
	free(o.v);
	return rc;
}

static int item_applies(const item_t *it, qfield_t field)
{
	return it->field == field || (field == QF_TITLE && it->field == QF_BODY);
}

snip_scan_t *snip_scan_new(snip_matcher_t *m, qfield_t field)
{
	scan_t *sc = calloc(1, sizeof *sc);
	if (!sc || !(sc->active = calloc(m->nwords + 1, 1))) {
		free(sc);
		return NULL;
	}
	sc->m = m;
	sc->field = field;
	for (size_t i = 0; i < m->nitems; i++) {
		const item_t *it = &m->items[i];
		if (!item_applies(it, field))
			continue;
		sc->any = 1;
		for (size_t k = 0; k < it->nwords; k++)
			sc->active[m->ids[it->first + k]] = 1;
	}
	return sc;
}

int snip_scan_feed(snip_scan_t *sc, const char *text, size_t from, size_t to)
{
	if (!sc->any || to <= from) {
		sc->stop = 0;
		sc->at = NULL;
		return 0;
	}
	sc->base = from;
	sc->piece = text + from;
	sc->stopped = 0;
	unsigned next = sc->pos;
	int rc = tok_run(text + from, to - from, sc->pos, on_token, sc, &next);
	sc->stop = 0;
	sc->at = NULL;
	if (rc && !sc->stopped)
		return -1;
	sc->pos = next;
	return 0;
}

void snip_scan_at(snip_scan_t *sc, const snip_range_t *r)
{
	sc->pos = r->pos;
	sc->stop = r->stop;
	sc->at = r->at;
	sc->nat = r->nat;
}

int snip_scan_hit(snip_scan_t *sc, unsigned word, unsigned pos)
{
	if (word >= sc->m->nwords)
		return 0;
	sc->base = 0;
	return add_hit(sc, word, pos, pos, (size_t)pos + 1);
}

int snip_body_terms(const snip_matcher_t *m, snip_term_fn fn, void *ctx)
{
	if (m->has_prefixes)
		return -1; /* a wildcard names no terms to look up */
	unsigned char *used = calloc(m->nwords + 1, 1);
	if (!used)
		return -1;
	for (size_t i = 0; i < m->nitems; i++)
		if (item_applies(&m->items[i], QF_BODY))
			for (size_t k = 0; k < m->items[i].nwords; k++)
				used[m->ids[m->items[i].first + k]] = 1;
	int n = 0;
	for (size_t i = 0; i < m->stems.cap; i++) {
		const slot_t *sl = &m->stems.slots[i];
		if (sl->used && used[sl->val]) {
			fn(ctx, m->stems.keys.p + sl->off, sl->len, sl->val);
			n++;
		}
	}
	free(used);
	return n;
}

int snip_scan_occs(snip_scan_t *sc, snip_occs_t *out)
{
	snip_matcher_t *m = sc->m;
	size_t n0 = out->n;
	if (!sc->any)
		return 0;
	if (index_hits(sc))
		return -1;
	for (size_t i = 0; i < m->nitems; i++)
		if (m->items[i].near < 0 && item_applies(&m->items[i], sc->field) &&
		    item_occs(sc, (unsigned)i, out))
			return -1;
	for (size_t i = 0; i < m->nnears; i++)
		if (item_applies(&m->items[m->nears[i].first], sc->field) &&
		    near_occs(sc, &m->nears[i], out))
			return -1;
	/* (out->v may be NULL: no offset on it then) */
	return out->n > n0 ? sort_occs(out->v + n0, out->n - n0) : 0;
}

void snip_scan_free(snip_scan_t *sc)
{
	if (!sc)
		return;
	free(sc->active);
	free(sc->hits);
	free(sc->wfirst);
	free(sc->wcount);
	free(sc);
}

int snip_find(snip_matcher_t *m, qfield_t field, const char *text, size_t len, snip_occs_t *out)
{
	snip_scan_t *sc = snip_scan_new(m, field);
	int rc = sc && snip_scan_feed(sc, text, 0, len) == 0 && snip_scan_occs(sc, out) == 0 ? 0 : -1;
	snip_scan_free(sc);
	return rc;
}
