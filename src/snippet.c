/* snippet.c - passages of a hit's text around the query's matches; see
 * snippet.h. snip_match.c says where the matches are, snip_units.c cuts the
 * text into sentence-sized units; this file picks the windows of units worth
 * showing and writes them out with whitespace collapsed and the highlights
 * moved along. */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "normalize.h"
#include "snip_match.h"
#include "snip_units.h"

#define MAX_PASSAGES 100

/* -------------------------------------------------------------- choosing */

typedef struct {
	const char *text;
	const units_t *u;
	const snip_occs_t *occ;
	snip_matcher_t *m;
	size_t *wend;        /* per unit: the last unit of the window starting there */
	size_t *ofirst;      /* per unit: the first occurrence starting at or after it */
	unsigned *seen, *reps, epoch;
	unsigned char *covered; /* items already shown in a chosen passage */
	size_t text_start, text_end; /* the text's first and after last non-space byte */
	size_t chosen[MAX_PASSAGES][2];
	size_t nchosen;
} chooser_t;

static double min_d(double a, double b)
{
	return a < b ? a : b;
}

/* Score of units A..B: each distinct item its weight (less when a chosen
 * passage shows it already), repeats a little, different items close
 * together a bonus. Then a hair more when the first unit is a sentence with a
 * match, so the passage starts with the sentence that matters, or when the
 * window is the whole text; a little less when it starts inside a sentence,
 * and then the more the matches are in its middle. */
static double score(chooser_t *c, size_t a, size_t b)
{
	const unit_t *ua = &c->u->v[a];
	size_t lo = ua->start, hi = c->u->v[b].end;
	const snip_occ_t *prev = NULL;
	double sum = 0, wprev = 0, bonus = 0;
	size_t first = 0, last = 0;
	c->epoch++;
	for (size_t i = c->ofirst[a]; i < c->occ->n && c->occ->v[i].start < hi; i++) {
		const snip_occ_t *o = &c->occ->v[i];
		if (o->start < lo || o->end > hi)
			continue;
		if (!prev)
			first = o->start;
		if (o->end > last)
			last = o->end;
		double w = snip_item_weight(c->m, o->item) * (c->covered[o->item] ? 0.3 : 1.0);
		if (c->seen[o->item] != c->epoch) {
			c->seen[o->item] = c->epoch;
			c->reps[o->item] = 0;
			sum += w;
			if (o->start < ua->end && !ua->cont)
				bonus += 0.01;
		} else if (c->reps[o->item]++ < 2) {
			sum += 0.1 * w;
		}
		if (prev && prev->item != o->item && o->pos_lo <= prev->pos_hi + 5)
			sum += 0.3 * min_d(w, wprev);
		prev = o;
		wprev = w;
	}
	if (sum <= 0)
		return 0;
	if (lo == c->text_start && hi == c->text_end)
		bonus += 0.015;
	if (ua->cont) {
		/* inside a long sentence: the matches in the middle */
		double off = ((double)(first + last) - (double)(lo + hi)) / 2 / (double)(hi - lo + 1);
		bonus += 0.005 * (1 - 2 * (off < 0 ? -off : off));
	}
	return (sum + bonus) * (ua->cont ? 0.9 : 1.0);
}

/* The window starting at unit I, shortened so it does not run into a chosen
 * passage; 0 when I is inside one. */
static int window(const chooser_t *c, size_t i, size_t *end)
{
	*end = c->wend[i];
	for (size_t k = 0; k < c->nchosen; k++) {
		if (i >= c->chosen[k][0] && i <= c->chosen[k][1])
			return 0;
		if (c->chosen[k][0] > i && c->chosen[k][0] <= *end)
			*end = c->chosen[k][0] - 1;
	}
	return 1;
}

/* Is the text of units A..B that of a chosen passage (a repeated boilerplate
 * paragraph)? Showing it twice would tell the reader nothing. */
static int shown_already(const chooser_t *c, size_t a, size_t b)
{
	size_t len = c->u->v[b].end - c->u->v[a].start;
	for (size_t k = 0; k < c->nchosen; k++) {
		size_t s = c->u->v[c->chosen[k][0]].start, e = c->u->v[c->chosen[k][1]].end;
		if (e - s == len && !memcmp(c->text + s, c->text + c->u->v[a].start, len))
			return 1;
	}
	return 0;
}

static void mark_covered(chooser_t *c, size_t a, size_t b)
{
	size_t lo = c->u->v[a].start, hi = c->u->v[b].end;
	for (size_t i = c->ofirst[a]; i < c->occ->n && c->occ->v[i].start < hi; i++)
		if (c->occ->v[i].start >= lo && c->occ->v[i].end <= hi)
			c->covered[c->occ->v[i].item] = 1;
}

/* Frees what choose() allocated and forgets what it chose. */
static void chooser_free(chooser_t *c)
{
	free(c->wend);
	free(c->ofirst);
	free(c->seen);
	free(c->reps);
	free(c->covered);
	c->wend = c->ofirst = NULL;
	c->seen = c->reps = NULL;
	c->covered = NULL;
	c->nchosen = 0;
}

static int cmp_range(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Pick up to MAXP windows of units, best first, each scored against what the
 * ones before it show already; then put them in document order. */
static int choose(chooser_t *c, unsigned plen, unsigned maxp)
{
	const units_t *u = c->u;
	size_t nitems = (c->m ? snip_nitems(c->m) : 0) + 1;
	c->wend = malloc(u->n * sizeof *c->wend);
	c->ofirst = malloc(u->n * sizeof *c->ofirst);
	c->seen = calloc(nitems, sizeof *c->seen);
	c->reps = calloc(nitems, sizeof *c->reps);
	c->covered = calloc(nitems, 1);
	if (!c->wend || !c->ofirst || !c->seen || !c->reps || !c->covered)
		return -1;
	/* Windows of whole units of about PLEN characters, inside a paragraph;
	 * a short unit takes the next one along even when that makes the
	 * window a little long. */
	size_t j = 0, o = 0;
	unsigned long total = u->v[0].chars;
	for (size_t i = 0; i < u->n; i++) {
		if (i > 0 && j < i) {
			j = i;
			total = u->v[i].chars;
		} else if (i > 0) {
			total -= u->v[i - 1].chars + 1;
		}
		while (j + 1 < u->n && !u->v[j + 1].para &&
		       (total + 1 + u->v[j + 1].chars <= plen + plen / 4 || total < plen / 2)) {
			j++;
			total += 1 + u->v[j].chars;
		}
		c->wend[i] = j;
		while (o < c->occ->n && c->occ->v[o].start < u->v[i].start)
			o++;
		c->ofirst[i] = o;
	}
	if (maxp > MAX_PASSAGES)
		maxp = MAX_PASSAGES;
	while (c->nchosen < maxp) {
		double best = 0;
		size_t bi = 0, be = 0;
		for (size_t i = 0; i < u->n; i++) {
			size_t end;
			if (!window(c, i, &end) || shown_already(c, i, end))
				continue;
			double s = score(c, i, end);
			if (s > best + 1e-9) {
				best = s;
				bi = i;
				be = end;
			}
		}
		if (best <= 0)
			break;
		c->chosen[c->nchosen][0] = bi;
		c->chosen[c->nchosen][1] = be;
		c->nchosen++;
		mark_covered(c, bi, be);
	}
	if (!c->nchosen && u->n && u->v[0].start == c->text_start) {
		/* no match: the text's first sentences */
		c->chosen[0][0] = 0;
		c->chosen[0][1] = c->wend[0];
		c->nchosen = 1;
	}
	qsort(c->chosen, c->nchosen, sizeof c->chosen[0], cmp_range);
	return 0;
}

/* ------------------------------------------------------------- passages */

/* Passage text for T[start, end): whitespace runs become one space, invalid
 * bytes U+FFFD; the matches inside become highlight spans on the new text
 * (merged where they overlap, clipped at the edges). */
static int make_passage(const char *t, size_t start, size_t end, const snip_occs_t *occ,
			snip_passage_t *p)
{
	snip_span_t *sp = NULL;
	size_t nsp = 0, cap = 0;
	/* the occurrences touching the passage, merged: source offsets */
	size_t lo = 0, hi = occ->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (occ->v[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t back = 0; back < 16 && lo > 0 && occ->v[lo - 1].end > start; back++)
		lo--; /* a phrase that begins before the passage */
	for (size_t i = lo; i < occ->n && occ->v[i].start < end; i++) {
		size_t s = occ->v[i].start > start ? occ->v[i].start : start;
		size_t e = occ->v[i].end < end ? occ->v[i].end : end;
		if (e <= s)
			continue;
		if (nsp && s < sp[nsp - 1].end) {
			if (e > sp[nsp - 1].end)
				sp[nsp - 1].end = e;
			continue;
		}
		if (nsp == cap) {
			cap = cap ? cap * 2 : 8;
			snip_span_t *ns = realloc(sp, cap * sizeof *sp);
			if (!ns) {
				free(sp);
				return -1;
			}
			sp = ns;
		}
		sp[nsp++] = (snip_span_t){s, e};
	}
	/* copy, moving each span boundary to where its byte lands; written in
	 * place (no byte grows to more than the 3 of U+FFFD): this runs over
	 * every byte of every passage */
	buf_t b = BUF_INIT;
	if (buf_reserve(&b, 3 * (end - start))) {
		free(sp);
		return -1;
	}
	char *o = b.p;
	size_t i = start, ns = 0, ne = 0, n = 0;
	int space = 0;
	while (i < end) {
		int cp, bad = 0;
		size_t k = 1;
		if ((unsigned char)t[i] < 0x80)
			cp = (unsigned char)t[i];
		else
			bad = invalid_at(t + i, end - i, &cp, &k);
		if (!bad && is_space_cp(cp)) {
			space = 1;
			i += k;
			continue;
		}
		if (space && n)
			o[n++] = ' ';
		space = 0;
		for (; ns < nsp && sp[ns].start <= i; ns++)
			sp[ns].start = n;
		if (bad) {
			memcpy(o + n, "\xEF\xBF\xBD", 3);
			n += 3;
		} else if (k == 1) {
			o[n++] = t[i];
		} else {
			memcpy(o + n, t + i, k);
			n += k;
		}
		i += k;
		for (; ne < ns && sp[ne].end <= i; ne++)
			sp[ne].end = n;
	}
	o[n] = '\0';
	b.len = n;
	for (; ns < nsp; ns++)
		sp[ns].start = n;
	for (; ne < nsp; ne++)
		sp[ne].end = n;
	p->text = buf_detach(&b, &p->len);
	p->hl = sp;
	p->nhl = nsp;
	return 0;
}

static unsigned count_lines(const char *t, size_t from, size_t to)
{
	unsigned n = 0;
	const char *s = t + from, *e = t + to;
	while (s < e && (s = memchr(s, '\n', (size_t)(e - s)))) {
		n++;
		s++;
	}
	return n;
}

/* Matches of M's items for FIELD in T (tok_run takes invalid bytes as
 * separators, so any text will do). */
static int find(snip_matcher_t *m, qfield_t field, const char *t, size_t n, snip_occs_t *occ)
{
	return m ? snip_find(m, field, t, n, occ) : 0;
}

/* LEN cut to CAP, never inside a UTF-8 sequence. */
static size_t scan_len(const char *t, size_t len, size_t cap)
{
	if (len <= cap)
		return len;
	size_t n = cap;
	while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* 1 when every item of M occurs in OCC. */
static int all_items_found(const snip_matcher_t *m, const snip_occs_t *occ)
{
	size_t n = snip_nitems(m), found = 0;
	unsigned char *seen = calloc(n ? n : 1, 1);
	if (!seen)
		return 1;
	for (size_t i = 0; i < occ->n; i++)
		if (occ->v[i].item < n && !seen[occ->v[i].item]) {
			seen[occ->v[i].item] = 1;
			found++;
		}
	free(seen);
	return found == n;
}

/* Where a scan of T[0, len) that may go no further than CAP stops: CAP
 * moved back to just after a space (a word is not cut in two between two
 * pieces of a scan) when there is one in the 256 bytes before it, else to a
 * character start. */
static size_t piece_end(const char *t, size_t len, size_t cap)
{
	size_t k = scan_len(t, len, cap);
	if (k == len)
		return k;
	for (size_t j = k; j > 0 && j + 256 > k; j--)
		if ((unsigned char)t[j - 1] <= 0x20)
			return j;
	return k;
}

/* Matches in a prefix of the text that grows (SNIP_SCAN_FIRST, then 4x)
 * until every query item has been seen or SNIP_SCAN_CAP is reached: a long
 * text is read, inflated and tokenized only as far as its first matches,
 * each byte once. Sets *T to the text read, *N to the length scanned, *LEN to
 * the length readable (less than SRC->len only when SRC failed). */
static int find_growing(snip_matcher_t *m, const snip_source_t *src, const char **t, size_t *n,
			size_t *len, snip_occs_t *occ)
{
	size_t cap = SNIP_SCAN_FIRST, done = 0;
	snip_scan_t *sc = m ? snip_scan_new(m, QF_BODY) : NULL;
	int rc = m && !sc ? -1 : 0;
	*len = src->len;
	while (rc == 0) {
		size_t lim = cap < SNIP_SCAN_CAP ? cap : SNIP_SCAN_CAP;
		/* one byte past the limit: scan_len looks at it */
		size_t want = lim < *len ? lim + 1 : *len, avail = 0;
		if (src->fetch(src->ctx, want, t, &avail) || avail < want)
			*len = avail; /* damaged past here: what was read is the text */
		size_t k = piece_end(*t, *len, lim);
		if (k < done)
			k = done; /* the text shrank (damaged): keep what was scanned */
		occ->n = 0;
		if (sc && (snip_scan_feed(sc, *t, done, k) || snip_scan_occs(sc, occ))) {
			rc = -1;
			break;
		}
		done = k;
		if (k == *len || cap >= SNIP_SCAN_CAP || !m || all_items_found(m, occ)) {
			*n = k;
			break;
		}
		cap *= 4;
	}
	snip_scan_free(sc);
	return rc;
}

/* Matches in SRC's ranges only. The text is read a little past the last
 * one, so that a passage there can end its sentence: *N is where it stops.
 * Sets *T, *LEN as find_growing does. */
static int find_ranges(snip_matcher_t *m, const snip_source_t *src, const char **t, size_t *n,
		       size_t *len, snip_occs_t *occ)
{
	size_t last = src->ranges[src->nranges - 1].to, avail = 0;
	*len = src->len;
	if (last > *len)
		last = *len;
	size_t want = *len - last <= SNIP_TAIL ? *len : last + SNIP_TAIL;
	if (src->fetch(src->ctx, want, t, &avail) || avail < want)
		*len = want = avail; /* damaged past here: what was read is the text */
	if (last > want)
		last = want;
	snip_scan_t *sc = snip_scan_new(m, QF_BODY);
	if (!sc)
		return -1;
	int rc = 0;
	size_t done = 0;
	for (size_t i = 0; i < src->nranges && rc == 0; i++) {
		const snip_range_t *r = &src->ranges[i];
		if (r->from >= last || r->from < done)
			break; /* past what could be read, or out of order */
		size_t to = r->to < last ? r->to : last;
		snip_scan_at(sc, r);
		rc = snip_scan_feed(sc, *t, r->from, to);
		done = to;
	}
	*n = want < *len ? piece_end(*t, *len, want) : want;
	occ->n = 0;
	if (rc == 0)
		rc = snip_scan_occs(sc, occ);
	snip_scan_free(sc);
	return rc;
}

static int mem_fetch(void *ctx, size_t want, const char **text, size_t *avail)
{
	*text = ctx;
	*avail = want;
	return 0;
}

int snip_build(snip_matcher_t *m, const char *text, size_t len, const snip_opts_t *o,
	       snip_result_t *out)
{
	if (!text) {
		out->p = NULL;
		out->n = 0;
		return 0;
	}
	snip_source_t src = { mem_fetch, (void *)text, len, NULL, 0 };
	return snip_build_source(m, &src, o, out);
}

int snip_build_source(snip_matcher_t *m, const snip_source_t *src, const snip_opts_t *o,
		      snip_result_t *out)
{
	unsigned plen = o && o->passage_len ? o->passage_len : 200;
	unsigned maxp = o && o->max_passages ? o->max_passages : 2;
	snip_occs_t occ = {0};
	units_t u = {0};
	chooser_t c = {0};
	int rc = -1;
	out->p = NULL;
	out->n = 0;
	const char *text = "";
	size_t n = 0, len = 0;
	if (m && src->nranges ? find_ranges(m, src, &text, &n, &len, &occ)
			      : find_growing(m, src, &text, &n, &len, &occ))
		goto done;
	c.text = text;
	c.u = &u;
	c.occ = &occ;
	c.m = m;
	snip_text_bounds(text, n, &c.text_start, &c.text_end);
	if (c.text_start == c.text_end) {
		rc = 0; /* nothing to show */
		goto done;
	}
	if (snip_region_units(text, n, c.text_start, &occ, plen, &u) || choose(&c, plen, maxp))
		goto done;
	if (!c.nchosen) {
		/* matches only where no passage can show them (a phrase across
		 * a blank line): the text's first sentences */
		static const snip_occs_t none = {0};
		chooser_free(&c);
		u.n = 0;
		if (snip_region_units(text, n, c.text_start, &none, plen, &u) || choose(&c, plen, maxp))
			goto done;
	}
	if (!(out->p = calloc(c.nchosen, sizeof *out->p)))
		goto done;
	size_t at = 0;
	unsigned line = 1;
	for (size_t k = 0; k < c.nchosen; k++, out->n++) {
		snip_passage_t *p = &out->p[k];
		size_t s = u.v[c.chosen[k][0]].start, e = u.v[c.chosen[k][1]].end;
		if (make_passage(text, s, e, &occ, p))
			goto done;
		line += count_lines(text, at, s);
		at = s;
		p->line = line;
		p->cut_before = s > c.text_start;
		p->cut_after = e < c.text_end || n < src->len;
	}
	rc = 0;
done:
	if (rc)
		snip_result_free(out);
	free(occ.v);
	free(u.v);
	chooser_free(&c);
	return rc;
}

int snip_highlight_field(snip_matcher_t *m, qfield_t field, const char *text, size_t len,
			 snip_result_t *out)
{
	snip_occs_t occ = {0};
	int rc = -1;
	out->n = 0;
	if (!text)
		text = "", len = 0;
	size_t n = scan_len(text, len, SNIP_SCAN_CAP), s = 0, e = n;
	if (!(out->p = calloc(1, sizeof *out->p)))
		return -1;
	if (find(m, field, text, n, &occ))
		goto done;
	/* skip leading space for the line number (make_passage drops it anyway) */
	while (s < e) {
		int cp;
		size_t k = norm_decode(text + s, e - s, &cp);
		if (!is_space_cp(cp) || (cp == 0xFFFD && k == 1))
			break;
		s += k;
	}
	if (make_passage(text, s, e, &occ, &out->p[0]))
		goto done;
	out->n = 1;
	out->p[0].line = 1 + count_lines(text, 0, s);
	out->p[0].cut_after = n < len;
	rc = 0;
done:
	if (rc)
		snip_result_free(out);
	free(occ.v);
	return rc;
}

void snip_result_free(snip_result_t *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->p && i < r->n; i++) {
		free(r->p[i].text);
		free(r->p[i].hl);
	}
	free(r->p);
	r->p = NULL;
	r->n = 0;
}

char *snip_render_markers(const snip_result_t *r)
{
	buf_t b = BUF_INIT;
	buf_adds(&b, "");
	for (size_t i = 0; i < r->n; i++) {
		const snip_passage_t *p = &r->p[i];
		if (i > 0)
			buf_adds(&b, " ... ");
		else if (p->cut_before)
			buf_adds(&b, "... ");
		size_t at = 0;
		for (size_t h = 0; h < p->nhl; h++) {
			buf_add(&b, p->text + at, p->hl[h].start - at);
			buf_addc(&b, '[');
			buf_add(&b, p->text + p->hl[h].start, p->hl[h].end - p->hl[h].start);
			buf_addc(&b, ']');
			at = p->hl[h].end;
		}
		buf_add(&b, p->text + at, p->len - at);
		if (i + 1 == r->n && p->cut_after)
			buf_adds(&b, " ...");
	}
	return buf_detach(&b, NULL);
}
