/* search_guide.c - the parts of a hit's text worth scanning for passages,
 * from the positions of the query's terms; see search_guide.h.
 *
 * A text is cut at its restart marks into parts of about 512 bytes. The
 * index's positions of the query's body terms go through the highlighter's
 * own matcher (snip_scan_hit), which assembles phrases and NEAR groups from
 * them exactly as it would from the tokens of the text: each occurrence is
 * known by its positions, so by the part it lies in. A part scores the
 * weights of the distinct items occurring in it; the best parts (the first
 * of equals) are
 * scanned, up to a budget, in document order. A part without an occurrence
 * cannot show a match, and a long text's passages come from its best parts
 * rather than from its beginning. */
#include "search_guide.h"

#include <stdlib.h>
#include <string.h>

#include "snip_match.h"

/* Bytes for telling repeats from new items, at most. */
#define HAD_MAX (4u << 20)

/* A body term of the query, and its word id in the matcher. */
typedef struct {
	char *s;
	size_t len;
	unsigned word;
} gterm_t;

/* A part of the text: from one restart mark to the next. */
typedef struct {
	double score;
	size_t span;              /* the last part an occurrence starting here reaches */
	unsigned stop;            /* after the last position an occurrence here needs */
	int chosen;
} part_t;

/* A part in the order of choice. */
typedef struct {
	double score;
	size_t k;
} rank_t;

struct search_guide {
	xap_db_t *db;
	snip_matcher_t *m;
	gterm_t *terms;
	size_t n, cap;
	int oom;
	snip_occs_t occ;
	/* per hit, kept from one to the next */
	record_mark_t *marks;
	size_t nmarks, capparts;
	part_t *parts;
	rank_t *order;
	snip_range_t *ranges;
	unsigned (*at)[2];        /* positions of the occurrences, merged */
	size_t nat, capat;
};

static void add_term(void *ctx, const char *term, size_t len, unsigned word)
{
	search_guide_t *g = ctx;
	if (g->oom)
		return;
	if (g->n == g->cap) {
		size_t c = g->cap ? g->cap * 2 : 8;
		gterm_t *t = realloc(g->terms, c * sizeof *t);
		if (!t) {
			g->oom = 1;
			return;
		}
		g->terms = t;
		g->cap = c;
	}
	char *copy = strndup(term, len);
	if (!copy) {
		g->oom = 1;
		return;
	}
	g->terms[g->n++] = (gterm_t){ copy, len, word };
}

static int cmp_term(const void *a, const void *b)
{
	const gterm_t *x = a, *y = b;
	return (x->word > y->word) - (x->word < y->word);
}

search_guide_t *guide_new(xap_db_t *db, snip_matcher_t *m)
{
	search_guide_t *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->db = db;
	g->m = m;
	if (snip_body_terms(m, add_term, g) < 0 || g->oom) {
		guide_free(g);
		return NULL;
	}
	/* in word order, so that their positions reach the matcher sorted */
	if (g->n > 1)
		qsort(g->terms, g->n, sizeof *g->terms, cmp_term);
	return g;
}

void guide_free(search_guide_t *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++)
		free(g->terms[i].s);
	free(g->terms);
	free(g->occ.v);
	free(g->marks);
	free(g->parts);
	free(g->order);
	free(g->ranges);
	free(g->at);
	free(g);
}

static int reserve_parts(search_guide_t *g, size_t n)
{
	if (n <= g->capparts)
		return 0;
	part_t *p = realloc(g->parts, n * sizeof *p);
	if (p)
		g->parts = p;
	rank_t *o = p ? realloc(g->order, n * sizeof *o) : NULL;
	if (o)
		g->order = o;
	snip_range_t *r = o ? realloc(g->ranges, n * sizeof *r) : NULL;
	if (!r)
		return -1;
	g->ranges = r;
	g->capparts = n;
	return 0;
}

/* Where part K ends: the next mark, or the end of the text. */
static size_t part_end(const search_guide_t *g, size_t k, size_t text_len)
{
	return k + 1 < g->nmarks ? g->marks[k + 1].off : text_len;
}

/* The part holding position POS (the first one before the text's start). */
static size_t part_of(const search_guide_t *g, unsigned pos)
{
	size_t lo = 0, hi = g->nmarks;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->marks[mid].pos <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Score each part by the distinct items occurring in it. Returns 0, 1 when
 * a lookup failed (scan as before), -1 when out of memory. */
static int score_parts(search_guide_t *g, unsigned docid)
{
	size_t nm = g->nmarks;
	for (size_t k = 0; k < nm; k++)
		g->parts[k] = (part_t){ 0, k, 0, 0 };
	snip_scan_t *sc = snip_scan_new(g->m, QF_BODY);
	if (!sc)
		return -1;
	int rc = 0;
	for (size_t t = 0; t < g->n && rc == 0; t++) {
		unsigned *pos = NULL;
		size_t np = 0;
		const gterm_t *gt = &g->terms[t];
		xap_status_t xs = xap_db_positions(g->db, docid, gt->s, gt->len, &pos, &np);
		if (xs != XAP_OK)
			rc = xs == XAP_NOMEM ? -1 : 1;
		for (size_t i = 0; rc == 0 && i < np; i++)
			/* not in a title indexed before the text */
			if (pos[i] >= g->marks[0].pos && snip_scan_hit(sc, gt->word, pos[i]))
				rc = -1;
		free(pos);
	}
	g->occ.n = 0;
	if (rc == 0 && snip_scan_occs(sc, &g->occ))
		rc = -1;
	snip_scan_free(sc);
	/* which items each part has had: a repeat adds nothing, so the first
	 * parts with the most items win, and a long text is inflated no
	 * further than it must be */
	size_t ni = snip_nitems(g->m);
	if (nm * ni > HAD_MAX)
		ni = 0; /* a huge text and query: every occurrence counts in full */
	unsigned char *had = rc == 0 ? calloc(nm * ni + 1, 1) : NULL;
	if (rc == 0 && !had)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < g->occ.n; i++) {
		const snip_occ_t *o = &g->occ.v[i];
		size_t k = part_of(g, o->pos_lo), last = part_of(g, o->pos_hi);
		if (last > g->parts[k].span)
			g->parts[k].span = last;
		/* the scan of a part need not go past its last occurrence */
		for (size_t j = k; j <= last; j++)
			if (o->pos_hi + 1 > g->parts[j].stop)
				g->parts[j].stop = o->pos_hi + 1;
		if (ni && had[k * ni + o->item])
			continue;
		if (ni)
			had[k * ni + o->item] = 1;
		g->parts[k].score += snip_item_weight(g->m, o->item);
	}
	free(had);
	return rc;
}

/* The positions the occurrences cover, as [lo, hi] pairs in order, merged:
 * a scan of the text need not stem a word anywhere else. */
static int occ_positions(search_guide_t *g)
{
	g->nat = 0;
	for (size_t i = 0; i < g->occ.n; i++) {
		const snip_occ_t *o = &g->occ.v[i];
		if (g->nat && o->pos_lo <= g->at[g->nat - 1][1] + 1) {
			if (o->pos_hi > g->at[g->nat - 1][1])
				g->at[g->nat - 1][1] = o->pos_hi;
			continue;
		}
		if (g->nat == g->capat) {
			size_t c = g->capat ? 2 * g->capat : 64;
			unsigned (*a)[2] = realloc(g->at, c * sizeof *a);
			if (!a)
				return -1;
			g->at = a;
			g->capat = c;
		}
		g->at[g->nat][0] = o->pos_lo;
		g->at[g->nat][1] = o->pos_hi;
		g->nat++;
	}
	return 0;
}

/* Higher score first, then earlier. */
static int cmp_part(const void *a, const void *b)
{
	const rank_t *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

int guide_ranges(search_guide_t *g, unsigned docid, const record_t *rec, size_t text_len,
		 const snip_range_t **ranges, size_t *n)
{
	*ranges = NULL;
	*n = 0;
	free(g->marks);
	g->marks = NULL;
	g->nmarks = 0;
	/* damaged marks are no worse than none: the text is scanned as before */
	if (record_marks_decode(rec, text_len, &g->marks, &g->nmarks) || !g->nmarks)
		return 0;
	size_t nm = g->nmarks;
	if (reserve_parts(g, nm))
		return -1;
	int rc = score_parts(g, docid);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (occ_positions(g))
		return -1;
	size_t cand = 0;
	/* a long text is never inflated past SNIP_SCAN_CAP for passages */
	for (size_t k = 0; k < nm && g->marks[k].off < SNIP_SCAN_CAP; k++)
		if (g->parts[k].score > 0)
			g->order[cand++] = (rank_t){ g->parts[k].score, k };
	if (!cand)
		g->order[cand++] = (rank_t){ 0, 0 }; /* no body match: the first sentences */
	qsort(g->order, cand, sizeof *g->order, cmp_part);
	/* the best parts that fit the budget (the best one whatever its size) */
	size_t used = 0;
	for (size_t i = 0; i < cand; i++) {
		/* a part and those its occurrences reach into (a phrase across) */
		size_t k = g->order[i].k, e = g->parts[k].span;
		size_t size = part_end(g, e, text_len) - g->marks[k].off;
		if (i && used + size > GUIDE_SCAN_BUDGET)
			continue;
		for (size_t j = k; j <= e; j++)
			g->parts[j].chosen = 1;
		used += size;
	}
	size_t nr = 0;
	for (size_t k = 0; k < nm; k++) {
		if (!g->parts[k].chosen)
			continue;
		size_t from = g->marks[k].off;
		size_t to = part_end(g, k, text_len);
		unsigned stop = g->parts[k].stop;
		/* the next part: one range, unless the scan of either stops
		 * short of its end */
		if (nr && g->ranges[nr - 1].to == from && !stop && !g->ranges[nr - 1].stop)
			g->ranges[nr - 1].to = to;
		else
			g->ranges[nr++] = (snip_range_t){ from, to, g->marks[k].pos, stop, NULL, 0 };
	}
	/* each range's share of the occurrences' positions (they are in order,
	 * as the ranges are) */
	size_t a = 0;
	for (size_t i = 0; i < nr; i++) {
		snip_range_t *r = &g->ranges[i];
		while (a < g->nat && g->at[a][1] < r->pos)
			a++;
		size_t b = a;
		while (b < g->nat && (!r->stop || g->at[b][0] < r->stop) &&
		       (i + 1 == nr || g->at[b][0] < g->ranges[i + 1].pos))
			b++;
		r->at = g->at ? g->at + a : NULL; /* none yet: no offset on NULL */
		r->nat = b - a;
	}
	*ranges = g->ranges;
	*n = nr;
	return 0;
}
