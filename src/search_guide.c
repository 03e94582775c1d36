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

typedef struct {
	double score;
	size_t k;
} part_t;

struct search_guide {
	xap_db_t *db;
	snip_matcher_t *m;
	char **terms;
	size_t *lens;
	unsigned *words;          /* each term's word id in the matcher */
	size_t n, cap;
	int oom;
	snip_occs_t occ;
	/* per hit, kept from one to the next */
	record_mark_t *marks;
	size_t nmarks, capparts;
	double *score;
	unsigned *seen;           /* parts chosen */
	size_t *span;             /* the last part an occurrence starting here reaches */
	part_t *order;
	snip_range_t *ranges;
};

static void add_term(void *ctx, const char *term, size_t len, unsigned word)
{
	search_guide_t *g = ctx;
	if (g->oom)
		return;
	if (g->n == g->cap) {
		size_t c = g->cap ? g->cap * 2 : 8;
		char **t = realloc(g->terms, c * sizeof *t);
		if (t)
			g->terms = t;
		size_t *l = t ? realloc(g->lens, c * sizeof *l) : NULL;
		if (l)
			g->lens = l;
		unsigned *w = l ? realloc(g->words, c * sizeof *w) : NULL;
		if (!w) {
			g->oom = 1;
			return;
		}
		g->words = w;
		g->cap = c;
	}
	if (!(g->terms[g->n] = malloc(len + 1))) {
		g->oom = 1;
		return;
	}
	memcpy(g->terms[g->n], term, len);
	g->terms[g->n][len] = '\0';
	g->words[g->n] = word;
	g->lens[g->n++] = len;
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
	return g;
}

void guide_free(search_guide_t *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++)
		free(g->terms[i]);
	free(g->terms);
	free(g->lens);
	free(g->words);
	free(g->occ.v);
	free(g->marks);
	free(g->score);
	free(g->seen);
	free(g->span);
	free(g->order);
	free(g->ranges);
	free(g);
}

static int reserve_parts(search_guide_t *g, size_t n)
{
	if (n <= g->capparts)
		return 0;
	double *s = realloc(g->score, n * sizeof *s);
	if (s)
		g->score = s;
	unsigned *seen = s ? realloc(g->seen, n * sizeof *seen) : NULL;
	if (seen)
		g->seen = seen;
	size_t *span = seen ? realloc(g->span, n * sizeof *span) : NULL;
	if (span)
		g->span = span;
	part_t *o = span ? realloc(g->order, n * sizeof *o) : NULL;
	if (o)
		g->order = o;
	snip_range_t *r = o ? realloc(g->ranges, n * sizeof *r) : NULL;
	if (!r)
		return -1;
	g->ranges = r;
	g->capparts = n;
	return 0;
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
	memset(g->score, 0, nm * sizeof *g->score);
	for (size_t k = 0; k < nm; k++)
		g->span[k] = k;
	snip_scan_t *sc = snip_scan_new(g->m, QF_BODY);
	if (!sc)
		return -1;
	int rc = 0;
	for (size_t t = 0; t < g->n && rc == 0; t++) {
		unsigned *pos = NULL;
		size_t np = 0;
		xap_status_t xs = xap_db_positions(g->db, docid, g->terms[t], g->lens[t], &pos, &np);
		if (xs != XAP_OK)
			rc = xs == XAP_NOMEM ? -1 : 1;
		for (size_t i = 0; rc == 0 && i < np; i++)
			/* not in a title indexed before the text */
			if (pos[i] >= g->marks[0].pos && snip_scan_hit(sc, g->words[t], pos[i]))
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
		if (last > g->span[k])
			g->span[k] = last;
		double w = snip_item_weight(g->m, o->item);
		if (ni && had[k * ni + o->item])
			continue;
		if (ni)
			had[k * ni + o->item] = 1;
		g->score[k] += w;
	}
	free(had);
	return rc;
}

/* Higher score first, then earlier. */
static int cmp_part(const void *a, const void *b)
{
	const part_t *x = a, *y = b;
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
	size_t cand = 0;
	/* a long text is never inflated past SNIP_SCAN_CAP for passages */
	for (size_t k = 0; k < nm && g->marks[k].off < SNIP_SCAN_CAP; k++)
		if (g->score[k] > 0)
			g->order[cand++] = (part_t){ g->score[k], k };
	if (!cand)
		g->order[cand++] = (part_t){ 0, 0 }; /* no body match: the first sentences */
	qsort(g->order, cand, sizeof *g->order, cmp_part);
	/* the best parts that fit the budget (the best one whatever its size),
	 * flagged in seen[] */
	size_t used = 0;
	memset(g->seen, 0, nm * sizeof *g->seen);
	for (size_t i = 0; i < cand; i++) {
		/* a part and those its occurrences reach into (a phrase across) */
		size_t k = g->order[i].k, e = g->span[k];
		size_t size = (e + 1 < nm ? g->marks[e + 1].off : text_len) - g->marks[k].off;
		if (i && used + size > GUIDE_SCAN_BUDGET)
			continue;
		for (size_t j = k; j <= e; j++)
			g->seen[j] = 1;
		used += size;
	}
	size_t nr = 0;
	for (size_t k = 0; k < nm; k++) {
		if (!g->seen[k])
			continue;
		size_t from = g->marks[k].off;
		size_t to = k + 1 < nm ? g->marks[k + 1].off : text_len;
		if (nr && g->ranges[nr - 1].to == from)
			g->ranges[nr - 1].to = to; /* the next part: one range */
		else
			g->ranges[nr++] = (snip_range_t){ from, to, g->marks[k].pos };
	}
	*ranges = g->ranges;
	*n = nr;
	return 0;
}
