/* eval.c - score a TREC run against relevance judgments the way
 * `trec_eval -c` does, figure for figure as shared/ir/ireval.py:
 *  - a query's ranking is its run lines by score descending, ties broken by
 *    docid descending (strcmp); the rank column is ignored; a docid listed
 *    twice keeps its best place; only the first EVAL_DEPTH documents count;
 *  - a document is relevant when its judged value (after the gain map) is
 *    >= REL_LEVEL; unjudged documents are not relevant and gain 0;
 *  - every query of the qrels with a relevant document is averaged, a query
 *    the run lacks scoring 0; other queries of the run are ignored;
 *  - nDCG gains are the judged values (negative ones count 0), discounted by
 *    log2(rank + 1), the ideal DCG taken from all the query's judgments. */
#include "lode.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "trecfile.h"

#define EVAL_DEPTH 1000
#define REL_LEVEL 1
#define DEFAULT_METRICS "ndcg@10,map,recall@100,p@30,mrr"
#define MAX_CUTOFF 100000000

typedef enum { M_NDCG, M_MAP, M_RECALL, M_P, M_RR } metric_kind_t;

typedef struct {
	metric_kind_t kind;
	size_t k;        /* cutoff; 0: the whole (depth-limited) ranking */
	char *name;      /* as the caller spelled it */
} metric_t;

typedef struct {
	int from, to;
} gain_t;

struct lode_eval {
	metric_t *metrics;
	size_t nm;
	char **qids;     /* in trec_eval's order: shorter ids first, then strcmp */
	size_t nq;
	double *values;  /* nq * nm, one row per query */
	double *means;
};

/* Both spellings: lode's (ndcg@10) and trec_eval's (ndcg_cut.10). */
static const struct {
	const char *base;
	metric_kind_t kind;
	int needs_k;
} metric_names[] = {
	{ "ndcg", M_NDCG, 0 },    { "ndcg_cut", M_NDCG, 1 },   { "map", M_MAP, 0 },
	{ "map_cut", M_MAP, 1 },  { "recall", M_RECALL, 1 },   { "p", M_P, 1 },
	{ "mrr", M_RR, 0 },       { "recip_rank", M_RR, 0 },
};

static lode_status_t fail(char **errmsg, lode_status_t st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static lode_status_t fail(char **errmsg, lode_status_t st, const char *fmt, ...)
{
	if (!errmsg)
		return st;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(errmsg, fmt, ap) < 0)
		*errmsg = NULL;
	va_end(ap);
	return st;
}

static const char *skip_spaces(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static const char *trim_end(const char *s, const char *end)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end;
}

/* The decimal integer S (LEN bytes, an optional sign) into *OUT, within [lo, hi]. */
static int parse_int(const char *s, size_t len, long lo, long hi, long *out)
{
	size_t i = 0;
	int neg = 0;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i == len)
		return -1;
	long v = 0;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (hi > -lo ? hi : -lo) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	v = neg ? -v : v;
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* One metric NAME (LEN bytes): a base name, then optionally '@' or '.' and a cutoff. */
static lode_status_t parse_metric(const char *name, size_t len, metric_t *m, char **errmsg)
{
	size_t b = strcspn(name, "@.");
	if (b > len)
		b = len;
	size_t i = 0;
	for (; i < sizeof metric_names / sizeof *metric_names; i++)
		if (strlen(metric_names[i].base) == b &&
		    strncasecmp(metric_names[i].base, name, b) == 0)
			break;
	if (i == sizeof metric_names / sizeof *metric_names)
		return fail(errmsg, LODE_INVALID,
			    "unknown metric '%.*s' (known: ndcg@K, map, map@K, recall@K, p@K, mrr, "
			    "or trec_eval's ndcg_cut.K, map_cut.K, recall.K, P.K, recip_rank)",
			    (int)len, name);
	long k = 0;
	if (b < len && (b + 1 == len || name[b + 1] < '0' || name[b + 1] > '9' ||
			parse_int(name + b + 1, len - b - 1, 1, MAX_CUTOFF, &k)))
		return fail(errmsg, LODE_INVALID,
			    "bad cutoff in metric '%.*s': expected a whole number from 1 to %d",
			    (int)len, name, MAX_CUTOFF);
	if (b == len && metric_names[i].needs_k)
		return fail(errmsg, LODE_INVALID, "metric '%.*s' needs a cutoff, e.g. %.*s@10",
			    (int)len, name, (int)len, name);
	m->kind = metric_names[i].kind;
	m->k = (size_t)k;
	m->name = strndup(name, len);
	if (!m->name)
		return fail(errmsg, LODE_NOMEM, "out of memory");
	return LODE_OK;
}

static lode_status_t parse_metrics(const char *spec, lode_eval_t *e, char **errmsg)
{
	size_t cap = 1;
	for (const char *p = spec; *p; p++)
		cap += *p == ',';
	e->metrics = calloc(cap, sizeof *e->metrics);
	if (!e->metrics)
		return fail(errmsg, LODE_NOMEM, "out of memory");
	const char *s = spec, *end = spec + strlen(spec);
	while (s <= end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *stop = comma ? comma : end;
		const char *a = skip_spaces(s, stop), *z = trim_end(a, stop);
		if (a < z) {
			metric_t *m = &e->metrics[e->nm];
			lode_status_t st = parse_metric(a, (size_t)(z - a), m, errmsg);
			if (st != LODE_OK)
				return st;
			e->nm++;
			/* JSON output keys on the name: the same name twice is a slip. */
			for (size_t j = 0; j + 1 < e->nm; j++)
				if (strcmp(e->metrics[j].name, m->name) == 0)
					return fail(errmsg, LODE_INVALID, "metric '%s' is listed twice",
						    m->name);
		}
		s = stop + 1;
	}
	if (e->nm == 0)
		return fail(errmsg, LODE_INVALID, "no metric in '%s'", spec);
	return LODE_OK;
}

/* "J:G,..." into *GAINS; like a Python dict, a later J overrides. */
static lode_status_t parse_gain_map(const char *spec, gain_t **gains, size_t *n, char **errmsg)
{
	size_t cap = 1;
	for (const char *p = spec; *p; p++)
		cap += *p == ',';
	*gains = calloc(cap, sizeof **gains);
	if (!*gains)
		return fail(errmsg, LODE_NOMEM, "out of memory");
	const char *s = spec, *end = spec + strlen(spec);
	while (s <= end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *stop = comma ? comma : end;
		const char *colon = memchr(s, ':', (size_t)(stop - s));
		long from, to;
		const char *a1 = colon ? skip_spaces(s, colon) : s;
		const char *a2 = colon ? skip_spaces(colon + 1, stop) : s;
		if (!colon || parse_int(a1, (size_t)(trim_end(a1, colon) - a1), INT32_MIN,
					INT32_MAX, &from) ||
		    parse_int(a2, (size_t)(trim_end(a2, stop) - a2), INT32_MIN, INT32_MAX, &to))
			return fail(errmsg, LODE_INVALID,
				    "bad gain map entry '%.*s' in '%s': expected JUDGED:GAIN pairs "
				    "such as -1:0,1:4",
				    (int)(stop - s), s, spec);
		(*gains)[(*n)++] = (gain_t){ (int)from, (int)to };
		s = stop + 1;
	}
	return LODE_OK;
}

static int map_gain(const gain_t *gains, size_t n, int rel)
{
	for (size_t i = n; i-- > 0;)
		if (gains[i].from == rel)
			return gains[i].to;
	return rel;
}

/* Query, then document, then the later line first. */
static int cmp_judgment(const void *pa, const void *pb)
{
	const trec_judgment_t *a = pa, *b = pb;
	if (a->q != b->q)
		return a->q < b->q ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return a->seq > b->seq ? -1 : a->seq < b->seq;
}

/* Query, then trec_eval's order: score descending, docid descending. */
static int cmp_hit(const void *pa, const void *pb)
{
	const trec_hit_t *a = pa, *b = pb;
	if (a->q != b->q)
		return a->q < b->q ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return -strcmp(a->doc, b->doc);
}

static int cmp_int_desc(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	return a > b ? -1 : a < b;
}

/* ireval.py's order of queries: by length, then bytewise. */
static int cmp_qid(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

/* One query's figure. REL[i]: the judged value of the document at rank i + 1
 * (0 when unjudged), NR of them; IDEAL: every judged gain, descending, NJ of
 * them; NREL relevant documents in all. */
static double metric_value(const metric_t *m, const int *rel, size_t nr, const int *ideal,
			   size_t nj, size_t nrel)
{
	size_t k = m->k && m->k < nr ? m->k : nr;
	size_t found = 0;
	double sum = 0;
	switch (m->kind) {
	case M_NDCG: {
		double idcg = 0;
		for (size_t i = 0; i < k; i++)
			if (rel[i] > 0)
				sum += rel[i] / log2((double)i + 2);
		size_t ki = m->k && m->k < nj ? m->k : nj;
		for (size_t i = 0; i < ki; i++)
			if (ideal[i] > 0)
				idcg += ideal[i] / log2((double)i + 2);
		return idcg > 0 ? sum / idcg : 0.0;
	}
	case M_MAP:
		for (size_t i = 0; i < k; i++)
			if (rel[i] >= REL_LEVEL)
				sum += (double)++found / (double)(i + 1);
		return nrel ? sum / (double)nrel : 0.0;
	case M_RECALL:
	case M_P:
		for (size_t i = 0; i < k; i++)
			found += rel[i] >= REL_LEVEL;
		if (m->kind == M_P)
			return (double)found / (double)m->k;
		return nrel ? (double)found / (double)nrel : 0.0;
	case M_RR:
		for (size_t i = 0; i < k; i++)
			if (rel[i] >= REL_LEVEL)
				return 1.0 / (double)(i + 1);
		return 0.0;
	}
	return 0.0;
}

/* Per-query scratch, indexed by document id; a stamp (query id + 1) says
 * which query an entry belongs to, so nothing is cleared between queries. */
typedef struct {
	uint32_t *judged_for, *seen_for;
	int *judged;
	int *rel, *ideal;
	size_t *jbeg, *hbeg; /* query q's judgments: jbeg[q] .. jbeg[q + 1] */
} scratch_t;

static void scratch_free(scratch_t *s)
{
	free(s->judged_for);
	free(s->seen_for);
	free(s->judged);
	free(s->rel);
	free(s->ideal);
	free(s->jbeg);
	free(s->hbeg);
}

static void score_query(lode_eval_t *e, const trec_data_t *t, scratch_t *s, uint32_t q,
			double *row)
{
	size_t nj = 0, nrel = 0, nr = 0;
	for (size_t j = s->jbeg[q]; j < s->jbeg[q + 1]; j++) {
		const trec_judgment_t *jd = &t->judg[j];
		s->judged_for[jd->d] = q + 1;
		s->judged[jd->d] = jd->rel;
		s->ideal[nj++] = jd->rel > 0 ? jd->rel : 0;
		nrel += jd->rel >= REL_LEVEL;
	}
	qsort(s->ideal, nj, sizeof *s->ideal, cmp_int_desc);
	for (size_t h = s->hbeg[q]; h < s->hbeg[q + 1] && nr < EVAL_DEPTH; h++) {
		uint32_t d = t->hits[h].d;
		if (s->seen_for[d] == q + 1)
			continue; /* listed again lower down: the best place counts */
		s->seen_for[d] = q + 1;
		s->rel[nr++] = s->judged_for[d] == q + 1 ? s->judged[d] : 0;
	}
	for (size_t m = 0; m < e->nm; m++)
		row[m] = metric_value(&e->metrics[m], s->rel, nr, s->ideal, nj, nrel);
}

/* Start offsets of each query's entries in an array sorted by query. */
static size_t *group_starts(const void *arr, size_t n, size_t size, uint32_t nq)
{
	size_t *beg = calloc((size_t)nq + 1, sizeof *beg);
	if (!beg)
		return NULL;
	for (size_t i = 0; i < n; i++)
		beg[*(const uint32_t *)((const char *)arr + i * size) + 1]++;
	for (uint32_t q = 0; q < nq; q++)
		beg[q + 1] += beg[q];
	return beg;
}

static lode_status_t score_all(lode_eval_t *e, trec_data_t *t, char **errmsg)
{
	/* Keep the last judgment of each (query, document) pair. */
	if (t->njudg)
		qsort(t->judg, t->njudg, sizeof *t->judg, cmp_judgment);
	size_t w = 0;
	for (size_t i = 0; i < t->njudg; i++)
		if (w == 0 || t->judg[w - 1].q != t->judg[i].q || t->judg[w - 1].d != t->judg[i].d)
			t->judg[w++] = t->judg[i];
	t->njudg = w;
	if (t->nhits)
		qsort(t->hits, t->nhits, sizeof *t->hits, cmp_hit);

	uint32_t nq = t->qids.n, nd = t->docids.n;
	scratch_t s = { 0 };
	s.jbeg = group_starts(t->judg, t->njudg, sizeof *t->judg, nq);
	s.hbeg = group_starts(t->hits, t->nhits, sizeof *t->hits, nq);
	s.judged_for = calloc((size_t)nd + 1, sizeof *s.judged_for);
	s.seen_for = calloc((size_t)nd + 1, sizeof *s.seen_for);
	s.judged = calloc((size_t)nd + 1, sizeof *s.judged);
	s.rel = calloc(EVAL_DEPTH, sizeof *s.rel);
	s.ideal = calloc(t->njudg + 1, sizeof *s.ideal);
	const char **order = calloc((size_t)nq + 1, sizeof *order);
	size_t nscored = 0;
	e->qids = calloc((size_t)nq + 1, sizeof *e->qids);
	e->means = calloc(e->nm, sizeof *e->means);
	if (!s.jbeg || !s.hbeg || !s.judged_for || !s.seen_for || !s.judged || !s.rel ||
	    !s.ideal || !order || !e->qids || !e->means)
		goto nomem;

	/* The queries that count: those with a relevant judgment, in ireval.py's
	 * order (their ids still point into T's table until copied below). */
	for (uint32_t q = 0; q < nq; q++)
		for (size_t j = s.jbeg[q]; j < s.jbeg[q + 1]; j++)
			if (t->judg[j].rel >= REL_LEVEL) {
				order[nscored++] = t->qids.str[q];
				break;
			}
	qsort(order, nscored, sizeof *order, cmp_qid);
	e->values = calloc(nscored * e->nm + 1, sizeof *e->values);
	if (!e->values)
		goto nomem;
	for (size_t i = 0; i < nscored; i++) {
		int64_t q = trec_strtab_find(&t->qids, order[i], strlen(order[i]));
		score_query(e, t, &s, (uint32_t)q, e->values + i * e->nm);
	}
	for (; e->nq < nscored; e->nq++)
		if (!(e->qids[e->nq] = strdup(order[e->nq])))
			goto nomem;
	scratch_free(&s);
	free(order);

	/* Summed in the same order as ireval.py, for the same last bits. */
	for (size_t m = 0; m < e->nm; m++) {
		double sum = 0;
		for (size_t i = 0; i < e->nq; i++)
			sum += e->values[i * e->nm + m];
		e->means[m] = e->nq ? sum / (double)e->nq : 0.0;
	}
	return LODE_OK;
nomem:
	scratch_free(&s);
	free(order);
	return fail(errmsg, LODE_NOMEM, "out of memory");
}

lode_status_t lode_eval_run(const char *qrels_path, const char *run_path, const char *metrics,
			    const char *gain_map, lode_eval_t **out, char **errmsg)
{
	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	if (!qrels_path || !run_path)
		return fail(errmsg, LODE_INVALID, "no qrels or run file given");
	if (strcmp(qrels_path, "-") == 0 && strcmp(run_path, "-") == 0)
		return fail(errmsg, LODE_INVALID, "the qrels and the run cannot both be stdin");
	lode_eval_t *e = calloc(1, sizeof *e);
	if (!e)
		return fail(errmsg, LODE_NOMEM, "out of memory");
	gain_t *gains = NULL;
	size_t ngains = 0;
	trec_data_t t;
	trec_data_init(&t);
	lode_status_t st = parse_metrics(metrics ? metrics : DEFAULT_METRICS, e, errmsg);
	if (st == LODE_OK && gain_map && *gain_map)
		st = parse_gain_map(gain_map, &gains, &ngains, errmsg);
	if (st == LODE_OK)
		st = trec_read_qrels(&t, qrels_path, errmsg);
	if (st == LODE_OK && ngains)
		for (size_t i = 0; i < t.njudg; i++)
			t.judg[i].rel = map_gain(gains, ngains, t.judg[i].rel);
	if (st == LODE_OK)
		st = trec_read_run(&t, run_path, errmsg);
	if (st == LODE_OK)
		st = score_all(e, &t, errmsg);
	trec_data_free(&t);
	free(gains);
	if (st != LODE_OK) {
		lode_eval_free(e);
		return st;
	}
	*out = e;
	return LODE_OK;
}

size_t lode_eval_n_metrics(const lode_eval_t *e)
{
	return e ? e->nm : 0;
}

const char *lode_eval_metric_name(const lode_eval_t *e, size_t m)
{
	return e && m < e->nm ? e->metrics[m].name : NULL;
}

size_t lode_eval_n_queries(const lode_eval_t *e)
{
	return e ? e->nq : 0;
}

const char *lode_eval_query_id(const lode_eval_t *e, size_t q)
{
	return e && q < e->nq ? e->qids[q] : NULL;
}

double lode_eval_value(const lode_eval_t *e, size_t q, size_t m)
{
	return e && q < e->nq && m < e->nm ? e->values[q * e->nm + m] : NAN;
}

double lode_eval_mean(const lode_eval_t *e, size_t m)
{
	return e && m < e->nm ? e->means[m] : NAN;
}

void lode_eval_free(lode_eval_t *e)
{
	if (!e)
		return;
	for (size_t m = 0; m < e->nm; m++)
		free(e->metrics[m].name);
	free(e->metrics);
	for (size_t q = 0; q < e->nq; q++)
		free(e->qids[q]);
	free(e->qids);
	free(e->values);
	free(e->means);
	free(e);
}
