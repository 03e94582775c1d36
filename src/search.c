/* search.c - lode_search_run: run a query over the indexes opened as one,
 * hand back hits with their fields and highlighted passages (the sources
 * themselves are opened in search_open.c).
 *
 * The query tree (query.h) is compiled here to a Xapian query using only
 * what a stock xapian-tcpsrv can run: BM25Weight, OP_SCALE_WEIGHT for the
 * title boost, value ranges and value sorts. Ties in score are broken by the
 * sort key value (path, then key inside the file), never by docid. */
#include "lode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "query.h"
#include "record.h"
#include "schema.h"
#include "search_guide.h"
#include "search_impl.h"
#include "search_order.h"
#include "snippet.h"
#include "stem.h"
#include "stopwords.h"
#include "suggest.h"
#include "tokenize.h"
#include "xapian_c.h"

#define RETRIES 8 /* a writer can overtake a reader several times in a row */
#define WILDCARD_LIMIT 1000
/* Words in one query, at most. Xapian's OR over thousands of terms slows
 * down faster than linearly (8000 words take 3 s in quest; with the title
 * boost doubling every term, a 10,000-word --or query ran past 20 s): a
 * clear refusal beats a search that seems to hang. */
#define MAX_QUERY_TERMS 1024

void lode_query_opts_init(lode_query_opts_t *o)
{
	memset(o, 0, sizeof *o);
	o->limit = 10;
	o->k1 = o->b = o->title_weight = -1;
	o->snippets = 2;
	o->snippet_len = 200;
}


/* ------------------------------------------------------------- compile */

typedef struct {
	lode_search_t *s;
	double title_weight;
	buf_t term;
	int oom;
	lode_status_t fail;  /* why compiling failed, when not for memory */
} compiler_t;

static xap_query_t *stemmed_term(compiler_t *c, const char *prefix, const qnode_t *n)
{
	size_t sl;
	const char *stem = stemmer_stem(c->s->stem, n->text, n->len, n->tflags, &sl);
	if (!stem)
		return NULL;
	schema_term(&c->term, prefix, stem, sl);
	return xap_query_term(c->term.p, c->term.len, 1, 0);
}

static xap_query_t *plain_term(compiler_t *c, const char *prefix, const char *s, size_t n)
{
	schema_term(&c->term, prefix, s, n);
	return xap_query_term(c->term.p, c->term.len, 1, 0);
}

/* A TERM in FIELD: body terms are stemmed; author/url/path are folded only. */
static xap_query_t *field_term(compiler_t *c, qfield_t f, const qnode_t *n)
{
	switch (f) {
	case QF_BODY: return stemmed_term(c, "", n);
	case QF_TITLE: return stemmed_term(c, PFX_TITLE, n);
	default: return plain_term(c, qry_field_prefix(f), n->text, n->len);
	}
}

static xap_query_t *combine_free(xap_op_t op, xap_query_t **subs, size_t n, unsigned window)
{
	xap_query_t *q = NULL;
	int ok = 1;
	for (size_t i = 0; i < n; i++)
		ok &= subs[i] != NULL;
	if (ok)
		q = xap_query_combine(op, subs, n, window);
	for (size_t i = 0; i < n; i++)
		xap_query_destroy(subs[i]);
	return q;
}

/* PHRASE or NEAR over terms of FIELD. NEAR operands that are phrases
 * contribute their words to the window. */
static xap_query_t *positional(compiler_t *c, const qnode_t *n, qfield_t f)
{
	size_t cnt = 0;
	for (size_t i = 0; i < n->nkids; i++)
		cnt += n->kids[i]->type == Q_TERM ? 1 : n->kids[i]->nkids;
	xap_query_t **subs = calloc(cnt ? cnt : 1, sizeof *subs);
	if (!subs)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n->nkids; i++) {
		const qnode_t *kid = n->kids[i];
		if (kid->type == Q_TERM)
			subs[k++] = field_term(c, f, kid);
		else
			for (size_t j = 0; j < kid->nkids; j++)
				subs[k++] = field_term(c, f, kid->kids[j]);
	}
	unsigned window = 0;
	if (n->type == Q_NEAR)
		window = n->window + (unsigned)k;
	xap_query_t *q = combine_free(n->type == Q_PHRASE ? XAP_OP_PHRASE : XAP_OP_NEAR, subs, k, window);
	free(subs);
	return q;
}

/* Body terms also match the title, boosted: body OR (title * weight). */
static xap_query_t *with_title(compiler_t *c, const qnode_t *n,
			       xap_query_t *(*build)(compiler_t *, const qnode_t *, qfield_t))
{
	xap_query_t *subs[2];
	subs[0] = build(c, n, QF_BODY);
	if (c->title_weight <= 0)
		return subs[0];
	xap_query_t *t = build(c, n, QF_TITLE);
	subs[1] = t ? xap_query_scale(t, c->title_weight) : NULL;
	xap_query_destroy(t);
	return combine_free(XAP_OP_OR, subs, 2, 0);
}

static xap_query_t *term_in(compiler_t *c, const qnode_t *n, qfield_t f)
{
	return field_term(c, f, n);
}

static xap_query_t *compile(compiler_t *c, const qnode_t *n);

typedef struct {
	char *term;
	size_t len;
	unsigned tf;
} wild_term_t;

static int cmp_wild(const void *a, const void *b)
{
	const wild_term_t *x = a, *y = b;
	if (x->tf != y->tf)
		return x->tf > y->tf ? -1 : 1;
	return strcmp(x->term, y->term);
}

/* The terms starting with c->term, as one synonym. Expanded here, over every
 * source at once, because Xapian 1.4 expands OP_WILDCARD in each shard apart
 * and weighs it with that shard's statistics: sharded scores would differ
 * from one index's. The WILDCARD_LIMIT most frequent terms are kept. */
static xap_query_t *expand_wildcard(compiler_t *c)
{
	xap_termlist_t *tl = NULL;
	xap_status_t xs = xap_db_allterms(c->s->db, c->term.p, &tl);
	wild_term_t *w = NULL;
	size_t n = 0, cap = 0;
	const char *t;
	size_t tl_len;
	int oom = 0;
	while (xs == XAP_OK && !oom && xap_termlist_next(tl, &t, &tl_len)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			wild_term_t *nw = realloc(w, cap * sizeof *nw);
			if (!nw) {
				oom = 1;
				break;
			}
			w = nw;
		}
		w[n].tf = 0;
		xap_termlist_current(tl, &w[n].tf, NULL, NULL);
		w[n].len = tl_len;
		if (!(w[n].term = strndup(t, tl_len)))
			oom = 1;
		else
			n++;
	}
	if (xs == XAP_OK && tl)
		xs = xap_termlist_status(tl);
	if (xs != XAP_OK) {
		search_set_err(c->s, "cannot expand a wildcard", tl ? xap_termlist_errmsg(tl) : "");
		c->fail = (lode_status_t)xs;
	}
	xap_termlist_destroy(tl);
	xap_query_t *q = NULL;
	if (xs == XAP_OK && !oom) {
		if (n > WILDCARD_LIMIT) {
			qsort(w, n, sizeof *w, cmp_wild);
			for (size_t i = WILDCARD_LIMIT; i < n; i++)
				free(w[i].term);
			n = WILDCARD_LIMIT;
		}
		xap_query_t **subs = calloc(n ? n : 1, sizeof *subs);
		if (subs) {
			for (size_t i = 0; i < n; i++)
				subs[i] = xap_query_term(w[i].term, w[i].len, 1, 0);
			q = n ? combine_free(XAP_OP_SYNONYM, subs, n, 0) : xap_query_match_nothing();
			free(subs);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(w[i].term);
	free(w);
	return q;
}

static xap_query_t *compile_list(compiler_t *c, const qnode_t *n, xap_op_t op)
{
	/* Filters (boolean fields, dates) restrict without scoring. */
	xap_query_t **score = calloc(n->nkids + 1, sizeof *score);
	xap_query_t **filt = calloc(n->nkids + 1, sizeof *filt);
	size_t ns = 0, nf = 0;
	xap_query_t *q = NULL;
	if (!score || !filt)
		goto out;
	for (size_t i = 0; i < n->nkids; i++) {
		const qnode_t *k = n->kids[i];
		int is_filter = op == XAP_OP_AND && (k->type == Q_FILTER || k->type == Q_DATE);
		xap_query_t *kq = compile(c, k);
		if (!kq)
			goto out;
		if (is_filter)
			filt[nf++] = kq;
		else
			score[ns++] = kq;
	}
	if (ns && nf) {
		xap_query_t *sq = ns == 1 ? score[0] : xap_query_combine(op, score, ns, 0);
		xap_query_t *fq = nf == 1 ? filt[0] : xap_query_combine(XAP_OP_AND, filt, nf, 0);
		xap_query_t *pair[2] = { sq, fq };
		q = (sq && fq) ? xap_query_combine(XAP_OP_FILTER, pair, 2, 0) : NULL;
		if (ns > 1) xap_query_destroy(sq);
		if (nf > 1) xap_query_destroy(fq);
	} else if (ns) {
		q = ns == 1 ? xap_query_copy(score[0]) : xap_query_combine(op, score, ns, 0);
	} else {
		q = nf == 1 ? xap_query_copy(filt[0]) : xap_query_combine(XAP_OP_AND, filt, nf, 0);
	}
out:
	for (size_t i = 0; i < ns; i++)
		xap_query_destroy(score[i]);
	for (size_t i = 0; i < nf; i++)
		xap_query_destroy(filt[i]);
	free(score);
	free(filt);
	return q;
}

static xap_query_t *compile(compiler_t *c, const qnode_t *n)
{
	switch (n->type) {
	case Q_TERM:
		if (n->field == QF_BODY)
			return with_title(c, n, term_in);
		return field_term(c, n->field, n);
	case Q_PHRASE:
	case Q_NEAR:
		if (n->field == QF_BODY)
			return with_title(c, n, positional);
		return positional(c, n, n->field);
	case Q_AND:
		return compile_list(c, n, XAP_OP_AND);
	case Q_OR:
		return compile_list(c, n, XAP_OP_OR);
	case Q_AND_NOT:
	case Q_AND_MAYBE: {
		xap_query_t *subs[2] = { NULL, NULL };
		subs[0] = compile(c, n->kids[0]);
		if (n->nkids == 2) {
			subs[1] = compile(c, n->kids[1]);
		} else {
			qnode_t rest = { .type = Q_OR, .kids = n->kids + 1, .nkids = n->nkids - 1 };
			subs[1] = compile_list(c, &rest, XAP_OP_OR);
		}
		return combine_free(n->type == Q_AND_NOT ? XAP_OP_AND_NOT : XAP_OP_AND_MAYBE,
				    subs, 2, 0);
	}
	case Q_WILDCARD: {
		const char *pfx = n->field == QF_BODY ? "" : qry_field_prefix(n->field);
		schema_term(&c->term, pfx, n->text, n->len);
		return expand_wildcard(c);
	}
	case Q_FILTER:
		return plain_term(c, qry_field_prefix(n->field), n->text, n->len);
	case Q_DATE:
		return xap_query_value_range(SLOT_DATE, n->date_lo[0] ? n->date_lo : NULL,
					     n->date_hi[0] ? n->date_hi : NULL);
	case Q_ALL:
		return xap_query_match_all();
	}
	return NULL;
}

/* ------------------------------------------------------------- run */

typedef struct {
	lode_search_t *s;
	unsigned ndocs;
	buf_t term;
} weight_ctx_t;

/* idf of a body term: rarer terms weigh more in passage choice. */
static double term_weight(void *ctx, const char *term, size_t len)
{
	weight_ctx_t *w = ctx;
	unsigned tf = 0;
	if (xap_db_term_freq(w->s->db, term, len, &tf) != XAP_OK || tf == 0)
		return 1.0;
	return log(1.0 + (double)w->ndocs / tf);
}

static void results_free_hits(lode_results_t *r)
{
	for (size_t i = 0; i < r->n; i++) {
		hit_store_t *h = &r->store[i];
		buf_free(&h->recbuf);
		for (size_t k = 0; k < r->hits[i].nsnippets; k++)
			free((void *)h->snips[k].hl);
		snip_result_free(&h->passages);
		snip_result_free(&h->title_passages);
		free(h->snips);
		free(h->title_hl);
	}
	free(r->hits);
	free(r->store);
	r->hits = NULL;
	r->store = NULL;
	r->n = 0;
}

void lode_results_free(lode_results_t *r)
{
	if (!r)
		return;
	results_free_hits(r);
	free(r->suggestion);
	free(r->note);
	free(r);
}

size_t lode_results_count(const lode_results_t *r) { return r ? r->n : 0; }
uint64_t lode_results_total(const lode_results_t *r) { return r ? r->total : 0; }
const char *lode_results_literal(const lode_results_t *r) { return r ? r->literal : NULL; }
const char *lode_results_suggestion(const lode_results_t *r) { return r ? r->suggestion : NULL; }
const char *lode_results_note(const lode_results_t *r) { return r ? r->note : NULL; }

lode_status_t lode_results_hit(const lode_results_t *r, size_t i, lode_hit_t *hit)
{
	if (!r || i >= r->n) {
		memset(hit, 0, sizeof *hit);
		return LODE_INVALID;
	}
	*hit = r->hits[i];
	return LODE_OK;
}

static lode_span_t *copy_spans(const snip_span_t *s, size_t n)
{
	lode_span_t *o = calloc(n ? n : 1, sizeof *o);
	for (size_t i = 0; o && i < n; i++) {
		o[i].start = s[i].start;
		o[i].end = s[i].end;
	}
	return o;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static int text_fetch(void *ctx, size_t want, const char **text, size_t *avail)
{
	return record_text_prefix(ctx, want, text, avail);
}

/* Hit I's passages from the stored TEXT of REC (document DOCID), inflated
 * only as far as their scan reads; G (may be NULL) says which parts. */
static lode_status_t fill_passages(hit_store_t *h, lode_hit_t *hit, snip_matcher_t *m,
				   search_guide_t *g, unsigned docid, const lode_query_opts_t *o,
				   const record_t *rec, record_text_t *text)
{
	snip_opts_t so = { o->snippets, o->snippet_len ? o->snippet_len : 200 };
	snip_source_t src = { text_fetch, text, text->len, NULL, 0 };
	if (g && guide_ranges(g, docid, rec, text->len, &src.ranges, &src.nranges))
		return LODE_NOMEM;
	if (snip_build_source(m, &src, &so, &h->passages))
		return LODE_NOMEM;
	h->snips = calloc(h->passages.n ? h->passages.n : 1, sizeof *h->snips);
	if (!h->snips)
		return LODE_NOMEM;
	for (size_t k = 0; k < h->passages.n; k++) {
		snip_passage_t *p = &h->passages.p[k];
		lode_snippet_t *sn = &h->snips[k];
		sn->text = p->text;
		sn->len = p->len;
		sn->hl = copy_spans(p->hl, p->nhl);
		sn->nhl = p->nhl;
		sn->line = p->line + (rec->line > 1 ? rec->line - 1 : 0);
		sn->cut_before = p->cut_before;
		sn->cut_after = p->cut_after;
	}
	hit->snippets = h->snips;
	hit->nsnippets = h->passages.n;
	return LODE_OK;
}

/* Fill hit I from the document's record, with passages. Only the fields are
 * decoded for every hit; the text, the bulk of a record, only for passages. */
static lode_status_t fill_hit(lode_search_t *s, lode_results_t *r, size_t i, xap_doc_t *doc,
			      unsigned docid, snip_matcher_t *m, search_guide_t *g,
			      const lode_query_opts_t *o)
{
	hit_store_t *h = &r->store[i];
	lode_hit_t *hit = &r->hits[i];
	const char *data;
	size_t len;
	/* Xapian reads the record only now: a writer's commits may have
	 * overtaken the reader (XAP_RETRY, and the search runs again). */
	xap_status_t xs = xap_doc_get_data(doc, &data, &len);
	if (xs != XAP_OK) {
		search_set_err(s, "cannot read a result", xap_doc_errmsg(doc));
		return (lode_status_t)xs;
	}
	record_t rec;
	record_text_t text = { 0 };
	int passages = m && o->snippets;
	if (record_decode_fields(data, len, &rec, &h->recbuf, passages ? &text : NULL))
		memset(&rec, 0, sizeof rec);
	hit->path = rec.path ? rec.path : "";
	hit->id = nz(rec.id);
	hit->title = nz(rec.title);
	hit->author = nz(rec.author);
	hit->date = nz(rec.date);
	hit->url = nz(rec.url);
	hit->format = nz(rec.format);
	lode_status_t rc = LODE_OK;
	if (passages)
		rc = fill_passages(h, hit, m, g, docid, o, &rec, &text);
	record_text_free(&text); /* the passages hold copies */
	if (rc != LODE_OK)
		return rc;
	if (m && hit->title) {
		if (snip_highlight_field(m, QF_TITLE, hit->title, strlen(hit->title),
					 &h->title_passages) == 0 && h->title_passages.n) {
			h->title_hl = copy_spans(h->title_passages.p[0].hl, h->title_passages.p[0].nhl);
			hit->title_hl = h->title_hl;
			hit->title_nhl = h->title_passages.p[0].nhl;
		}
	}
	return LODE_OK;
}

static lode_status_t run_once(lode_search_t *s, const qnode_t *tree, const lode_query_opts_t *o,
			      lode_results_t *r)
{
	compiler_t c = { .s = s };
	c.title_weight = o->title_weight >= 0 ? o->title_weight : s->title_weight;
	xap_query_t *q = compile(&c, tree);
	buf_free(&c.term);
	if (!q)
		return c.fail ? c.fail : LODE_NOMEM;
	xap_enquire_t *e = NULL;
	char *em = NULL;
	xap_status_t xs = xap_enquire_new(s->db, &e, &em);
	if (xs != XAP_OK) {
		search_set_err(s, "cannot search", em);
		free(em);
		xap_query_destroy(q);
		return (lode_status_t)xs;
	}
	xap_bm25_t bm = XAP_BM25_DEFAULTS;
	bm.k1 = o->k1 >= 0 ? o->k1 : s->k1;
	bm.b = o->b >= 0 ? o->b : s->b;
	xs = xap_enquire_set_query(e, q);
	if (xs == XAP_OK)
		xs = xap_enquire_set_bm25(e, &bm);
	unsigned ndocs = 0;
	xap_mset_t *ms = NULL;
	size_t *order = NULL, n = 0;
	unsigned limit = o->limit ? o->limit : 10;
	if (xs != XAP_OK)
		search_set_err(s, "search failed", xap_enquire_errmsg(e));
	else if ((xs = xap_db_doc_count(s->db, &ndocs)) != XAP_OK)
		search_set_err(s, "search failed", xap_db_errmsg(s->db));
	else if ((xs = search_order(e, o->sort, o->offset, limit, o->exact_count ? ndocs : 0, &ms,
				    &order, &n)) != XAP_OK)
		search_set_err(s, "search failed",
			       ms ? xap_mset_errmsg(ms) : xap_enquire_errmsg(e));
	if (xs != XAP_OK) {
		free(order);
		xap_mset_destroy(ms);
		xap_enquire_destroy(e);
		xap_query_destroy(q);
		return (lode_status_t)xs;
	}
	r->total = o->exact_count ? xap_mset_matches_lower(ms) : xap_mset_matches_estimated(ms);
	r->hits = calloc(n ? n : 1, sizeof *r->hits);
	r->store = calloc(n ? n : 1, sizeof *r->store);
	lode_status_t rc = (r->hits && r->store) ? LODE_OK : LODE_NOMEM;
	weight_ctx_t wc = { s, ndocs, BUF_INIT };
	snip_matcher_t *m = NULL;
	search_guide_t *g = NULL;
	if (rc == LODE_OK && n) {
		m = snip_matcher_new(tree, s->stem, term_weight, &wc);
		if (!m)
			rc = LODE_NOMEM;
		/* a remote index would answer each position lookup in a round trip */
		else if (o->snippets && !s->remote)
			g = guide_new(s->db, m);
	}
	for (size_t i = 0; rc == LODE_OK && i < n; i++) {
		unsigned docid;
		double wt;
		xap_doc_t *doc = NULL;
		xs = xap_mset_item(ms, order[i], &docid, &wt);
		if (xs == XAP_OK)
			xs = xap_mset_doc(ms, order[i], &doc);
		if (xs != XAP_OK) {
			search_set_err(s, "cannot read a result", xap_mset_errmsg(ms));
			rc = (lode_status_t)xs;
			break;
		}
		r->n = i + 1;
		r->hits[i].rank = o->offset + (unsigned)i + 1;
		r->hits[i].score = wt;
		rc = fill_hit(s, r, i, doc, docid, m, g, o);
		xap_doc_destroy(doc);
	}
	guide_free(g);
	snip_matcher_free(m);
	buf_free(&wc.term);
	free(order);
	xap_mset_destroy(ms);
	xap_enquire_destroy(e);
	xap_query_destroy(q);
	return rc;
}

/* Leaves of the parse tree: the words, phrases' words, wildcards, filters. */
static size_t count_leaves(const qnode_t *n)
{
	if (!n->nkids)
		return 1;
	size_t c = 0;
	for (size_t i = 0; i < n->nkids; i++)
		c += count_leaves(n->kids[i]);
	return c;
}

lode_status_t lode_search_run(lode_search_t *s, const char *query, const lode_query_opts_t *o,
			      lode_results_t **out)
{
	*out = NULL;
	lode_query_opts_t dflt;
	if (!o) {
		lode_query_opts_init(&dflt);
		o = &dflt;
	}
	if (!s || !query)
		return LODE_INVALID;
	buf_reset(&s->err);
	lode_results_t *r = calloc(1, sizeof *r);
	if (!r)
		return LODE_NOMEM;
	int flags = (o->default_or ? QP_DEFAULT_OR : 0) | (o->literal ? QP_LITERAL : 0);
	qnode_t *tree = NULL;
	const char *perr = NULL;
	size_t qlen = strlen(query);
	unsigned too_long = 0;
	qp_result_t pr = qry_parse_ex(query, qlen, flags, &tree, &perr, &too_long);
	if (pr == QP_SYNTAX) {
		r->literal = perr ? perr : "syntax error";
		pr = qry_parse_ex(query, qlen, flags | QP_LITERAL, &tree, &perr, &too_long);
	}
	if (too_long && (pr == QP_OK || pr == QP_EMPTY) &&
	    asprintf(&r->note, "%u word%s longer than %d bytes left out of the query: words that "
		     "long are not indexed", too_long, too_long > 1 ? "s" : "", TOK_MAX_LEN) < 0) {
		r->note = NULL;
		qnode_free(tree);
		tree = NULL;
		pr = QP_NOMEM;
	}
	if (pr == QP_EMPTY && too_long) {
		/* a pasted hash or base64 line: nothing can match it, but it is no error */
		*out = r;
		return LODE_OK;
	}
	if (pr != QP_OK) {
		lode_results_free(r);
		if (pr == QP_NOMEM)
			return LODE_NOMEM;
		search_set_err(s, "nothing to search for in the query", NULL);
		return LODE_BAD_QUERY;
	}
	if (!o->keep_stopwords)
		stopword_prune(tree, s->lang ? s->lang : "english");
	size_t nleaves = count_leaves(tree);
	if (nleaves > MAX_QUERY_TERMS) {
		qnode_free(tree);
		lode_results_free(r);
		buf_reset(&s->err);
		buf_printf(&s->err, "query too long: %zu words (at most %d)", nleaves,
			   MAX_QUERY_TERMS);
		return LODE_BAD_QUERY;
	}
	lode_status_t rc = LODE_RETRY;
	/* a source left out is no attempt spent: the next run has fewer */
	for (int attempt = 0, runs = 0; attempt < RETRIES && rc == LODE_RETRY; runs++) {
		if (runs) {
			results_free_hits(r);
			xap_db_reopen(s->db);
		}
		size_t nsrcs = s->nsrcs;
		rc = search_recheck_sources(s, run_once(s, tree, o, r));
		if (s->nsrcs == nsrcs)
			attempt++;
	}
	if (rc == LODE_OK && o->suggest && r->total == 0)
		r->suggestion = suggest_query(s, query, qlen, tree);
	qnode_free(tree);
	if (rc != LODE_OK) {
		if (!s->err.p || !*s->err.p) /* never an error without words */
			search_set_err(s, lode_status_str(rc), NULL);
		lode_results_free(r);
		return rc;
	}
	*out = r;
	return LODE_OK;
}
