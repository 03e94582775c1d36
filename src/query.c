/* query.c - the query parser: recursive descent over query_lex.c's tokens
 * (grammar in query.h).
 *
 * Recursion happens only for parentheses and field prefixes and is bounded
 * by QP_MAX_DEPTH; runs of operands (a b c ..., a OR b OR ...) are collected
 * iteratively into growing arrays and same-operator children are spliced in,
 * so a megabyte of query or 10,000 words parse in linear time.
 * Every function returns 0, or -1 with p->err (a static message) or p->oom
 * set. A NULL node with 0 means "nothing searchable here" ("---", "()"),
 * which the operators around it simply drop. */
#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "normalize.h"
#include "query_lex.h"
#include "tokenize.h"

typedef struct {
	qnode_t **v;
	size_t n, cap;
} nvec_t;

typedef struct {
	size_t off, len; /* into qp_t.words */
	int flags;
	unsigned pos;    /* its position in the chunk: a word too long to be a term leaves a gap */
} prim_t;

typedef struct {
	qlex_t lex;
	qtok_t tok;       /* the current token */
	int flags;
	unsigned depth;
	const char *err;
	int oom;
	buf_t words;      /* folded primary tokens of the word being turned into nodes */
	prim_t *prim;
	size_t nprim, capprim;
	unsigned too_long; /* words left out: longer than a document's terms can be */
} qp_t;

/* How an operand joins its neighbours in a run of implicit-AND/OR operands. */
typedef enum { K_PLAIN, K_REQUIRED, K_EXCLUDED } kind_t;

typedef struct {
	nvec_t req, opt, excl;
} group_t;

static int parse_or(qp_t *p, qfield_t fld, qnode_t **out);

/* ---------------------------------------------------------------- nodes */

static qnode_t *node_new(qp_t *p, qtype_t type, qfield_t fld)
{
	qnode_t *n = calloc(1, sizeof *n);
	if (!n) {
		p->oom = 1;
		return NULL;
	}
	n->type = type;
	n->field = fld;
	return n;
}

static qnode_t *node_text(qp_t *p, qtype_t type, qfield_t fld, const char *s, size_t len)
{
	qnode_t *n = node_new(p, type, fld);
	if (!n)
		return NULL;
	n->text = malloc(len + 1);
	if (!n->text) {
		free(n);
		p->oom = 1;
		return NULL;
	}
	memcpy(n->text, s, len);
	n->text[len] = '\0';
	n->len = len;
	return n;
}

static void vec_free(nvec_t *v)
{
	for (size_t i = 0; i < v->n; i++)
		qnode_free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

/* Append N (owned; freed when out of memory). */
static int vec_push(qp_t *p, nvec_t *v, qnode_t *n)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		qnode_t **nv = realloc(v->v, cap * sizeof *nv);
		if (!nv) {
			qnode_free(n);
			p->oom = 1;
			return -1;
		}
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = n;
	return 0;
}

/* Append N, or N's children when N is itself a TYPE node: (AND a (AND b c))
 * is (AND a b c), which keeps trees flat and describe() canonical. */
static int vec_push_flat(qp_t *p, nvec_t *v, qnode_t *n, qtype_t type)
{
	if (n->type != type)
		return vec_push(p, v, n);
	int rc = 0;
	for (size_t i = 0; i < n->nkids; i++) {
		qnode_t *k = n->kids[i];
		n->kids[i] = NULL;
		if (!rc && vec_push(p, v, k))
			rc = -1;
		else if (rc)
			qnode_free(k);
	}
	n->nkids = 0;
	qnode_free(n);
	return rc;
}

/* A TYPE node over V's nodes (V is emptied); one node stands for itself. */
static qnode_t *combine(qp_t *p, qtype_t type, nvec_t *v)
{
	qnode_t *n = NULL;
	if (v->n == 1) {
		n = v->v[0];
		v->n = 0;
	} else if (v->n > 1 && (n = node_new(p, type, QF_BODY))) {
		n->kids = v->v;
		n->nkids = v->n;
		v->v = NULL;
		v->n = v->cap = 0;
	}
	vec_free(v);
	return n;
}

/* ------------------------------------------------------------- groups */

static int group_add(qp_t *p, group_t *g, qnode_t *n, kind_t k, int default_or)
{
	if (!n)
		return 0;
	if (k == K_EXCLUDED)
		return vec_push(p, &g->excl, n);
	if (k == K_REQUIRED || !default_or)
		return vec_push_flat(p, &g->req, n, Q_AND);
	return vec_push_flat(p, &g->opt, n, Q_OR);
}

static void group_free(group_t *g)
{
	vec_free(&g->req);
	vec_free(&g->opt);
	vec_free(&g->excl);
}

/* The node for a run of operands: required ones ANDed, optional ones ORed
 * (AND_MAYBE when there are both), excluded ones AND_NOTed; only excluded
 * ones match everything else (ALL AND_NOT ...). Empties G. */
static int group_finish(qp_t *p, group_t *g, qnode_t **out)
{
	qnode_t *base = NULL;
	*out = NULL;
	if (g->req.n && g->opt.n) {
		/* kids: the required part, then each optional one */
		nvec_t kids = {0};
		qnode_t *req = combine(p, Q_AND, &g->req);
		if (!req || vec_push(p, &kids, req))
			goto fail;
		for (size_t i = 0; i < g->opt.n; i++) {
			qnode_t *x = g->opt.v[i];
			g->opt.v[i] = NULL;
			if (vec_push(p, &kids, x)) {
				vec_free(&kids);
				goto fail;
			}
		}
		if (!(base = node_new(p, Q_AND_MAYBE, QF_BODY))) {
			vec_free(&kids);
			goto fail;
		}
		base->kids = kids.v;
		base->nkids = kids.n;
	} else if (g->req.n) {
		base = combine(p, Q_AND, &g->req);
	} else if (g->opt.n) {
		base = combine(p, Q_OR, &g->opt);
	}
	if (p->oom)
		goto fail;
	if (g->excl.n) {
		if (!base && !(base = node_new(p, Q_ALL, QF_BODY)))
			goto fail;
		nvec_t kids = {0};
		qnode_t *b0 = base;
		base = NULL;
		if (vec_push_flat(p, &kids, b0, Q_AND_NOT)) {
			vec_free(&kids);
			goto fail;
		}
		for (size_t i = 0; i < g->excl.n; i++) {
			qnode_t *x = g->excl.v[i];
			g->excl.v[i] = NULL;
			if (vec_push(p, &kids, x)) {
				vec_free(&kids);
				goto fail;
			}
		}
		if (!(base = node_new(p, Q_AND_NOT, QF_BODY))) {
			vec_free(&kids);
			goto fail;
		}
		base->kids = kids.v;
		base->nkids = kids.n;
	}
	group_free(g);
	*out = base;
	return 0;
fail:
	qnode_free(base);
	group_free(g);
	return -1;
}

/* -------------------------------------------------------------- words */

static int collect_primary(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
			   unsigned pos, int flags)
{
	qp_t *p = ctx;
	(void)start, (void)end;
	if (flags & TOK_COLOCATED)
		return 0; /* the primaries alone make the phrase the document indexed */
	if (p->nprim == p->capprim) {
		size_t cap = p->capprim ? p->capprim * 2 : 8;
		prim_t *np = realloc(p->prim, cap * sizeof *np);
		if (!np)
			return -1;
		p->prim = np;
		p->capprim = cap;
	}
	p->prim[p->nprim++] = (prim_t){p->words.len, toklen, flags & (TOK_NUMBER | TOK_CJK), pos};
	return buf_add(&p->words, tok, toklen);
}

static qnode_t *prim_node(qp_t *p, qtype_t type, qfield_t fld, size_t i)
{
	qnode_t *n = node_text(p, type, fld, p->words.p + p->prim[i].off, p->prim[i].len);
	if (n)
		n->tflags = type == Q_TERM ? p->prim[i].flags : 0;
	return n;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "YYYYMMDD" for a year of four digits. */
static void put_ymd(char out[9], int y, int m, int d)
{
	int v[3] = {y, m, d}, width[3] = {4, 2, 2};
	char *o = out;
	for (int i = 0; i < 3; i++)
		for (int k = width[i] - 1, div = i ? 10 : 1000; k >= 0; k--, div /= 10)
			*o++ = (char)('0' + v[i] / div % 10);
	*o = '\0';
}

/* YYYY, YYYY-MM or YYYY-MM-DD: the first and last day it covers. */
static int parse_ymd(const char *s, size_t len, char lo[9], char hi[9])
{
	int y, m = 0, d = 0;
	if ((len != 4 && len != 7 && len != 10) || digits(s, 4, &y) || y < 1)
		return -1;
	if (len >= 7 && (s[4] != '-' || digits(s + 5, 2, &m) || m < 1 || m > 12))
		return -1;
	if (len == 10 && (s[7] != '-' || digits(s + 8, 2, &d) || d < 1 ||
			  d > days_in_month(y, m)))
		return -1;
	put_ymd(lo, y, m ? m : 1, d ? d : 1);
	put_ymd(hi, y, m ? m : 12, d ? d : days_in_month(y, m ? m : 12));
	return 0;
}

/* A date: value, one period or a range "a..b" with either end open. */
static int parse_date(const char *s, size_t len, qnode_t *n)
{
	const char *dots = memmem(s, len, "..", 2);
	char tmp[9];
	if (!dots)
		return parse_ymd(s, len, n->date_lo, n->date_hi);
	size_t a = (size_t)(dots - s), b = len - a - 2;
	if (!a && !b)
		return -1;
	if (a && parse_ymd(s, a, n->date_lo, tmp))
		return -1;
	if (b && parse_ymd(dots + 2, b, tmp, n->date_hi))
		return -1;
	if (a && b && strcmp(n->date_lo, n->date_hi) > 0)
		return -1;
	return 0;
}

/* The primaries of a chunk: one term, or the phrase they form. A word too
 * long to be indexed leaves a gap where the document has nothing, so no
 * phrase spans it: each run of neighbours is then a phrase (or a term) of
 * its own, and all are required. */
static int phrase_runs(qp_t *p, qfield_t fld, qnode_t **out)
{
	nvec_t runs = {0};
	for (size_t a = 0, b; a < p->nprim; a = b) {
		for (b = a + 1; b < p->nprim && p->prim[b].pos == p->prim[b - 1].pos + 1; b++)
			;
		qnode_t *run = b - a == 1 ? prim_node(p, Q_TERM, fld, a) : node_new(p, Q_PHRASE, fld);
		if (run && b - a > 1) {
			nvec_t kids = {0};
			for (size_t i = a; i < b && !p->oom; i++) {
				qnode_t *k = prim_node(p, Q_TERM, fld, i);
				if (k)
					vec_push(p, &kids, k);
			}
			run->kids = kids.v;
			run->nkids = kids.n;
		}
		if (run && p->oom) {
			qnode_free(run);
			run = NULL;
		}
		if (!run || vec_push(p, &runs, run)) {
			vec_free(&runs);
			return -1;
		}
	}
	*out = combine(p, Q_AND, &runs);
	return p->oom || !*out ? -1 : 0;
}

/* The node for one chunk of text S in field FLD: the tokens a document would
 * have made of it (TERM, PHRASE, a trailing WILDCARD), a FILTER of the whole
 * folded value, or a DATE. */
static int word_node(qp_t *p, qfield_t fld, const char *s, size_t len, int wildcard,
		     qnode_t **out)
{
	*out = NULL;
	if (fld == QF_LANG || fld == QF_TAG || fld == QF_FORMAT || fld == QF_ID) {
		buf_reset(&p->words);
		if (norm_fold(s, len + (wildcard ? 1 : 0), &p->words)) {
			p->oom = 1;
			return -1;
		}
		if (p->words.len)
			*out = node_text(p, Q_FILTER, fld, p->words.p, p->words.len);
		return p->oom ? -1 : 0;
	}
	if (fld == QF_DATE) {
		if (!(*out = node_new(p, Q_DATE, fld)))
			return -1;
		if (parse_date(s, len, *out) == 0)
			return 0;
		qnode_free(*out);
		*out = NULL;
		p->err = "bad date (use 2021, 2021-09, 2021-09-15 or a range like 2020..2021-06)";
		return -1;
	}

	buf_reset(&p->words);
	p->nprim = 0;
	unsigned npos = 0;
	int rc = tok_run(s, len, 0, collect_primary, p, &npos);
	if (rc || p->words.oom) {
		p->oom = 1;
		return -1;
	}
	/* a word too long to be a term still takes a position; it is no primary */
	if (npos > p->nprim)
		p->too_long += npos - (unsigned)p->nprim;
	if (p->nprim == 0)
		return 0;
	if (!wildcard)
		return phrase_runs(p, fld, out);
	/* "war-t*": war AND t* */
	nvec_t kids = {0};
	for (size_t i = 0; i < p->nprim; i++) {
		qnode_t *k = prim_node(p, i + 1 < p->nprim ? Q_TERM : Q_WILDCARD, fld, i);
		if (!k || vec_push(p, &kids, k)) {
			vec_free(&kids);
			return -1;
		}
	}
	*out = combine(p, Q_AND, &kids);
	return p->oom ? -1 : 0;
}

/* ------------------------------------------------------------- parser */

static int next(qp_t *p)
{
	const char *e = qlex_next(&p->lex, &p->tok);
	if (e) {
		p->err = e;
		return -1;
	}
	return 0;
}

static int starts_operand(qtok_type_t t)
{
	return t == T_WORD || t == T_PHRASE || t == T_FIELD || t == T_LPAREN || t == T_PLUS ||
	       t == T_MINUS || t == T_NOT;
}

static int starts_prim(qtok_type_t t)
{
	return t == T_WORD || t == T_PHRASE || t == T_FIELD || t == T_LPAREN;
}

/* The current token cannot start an operand: say why. */
static int missing(qp_t *p)
{
	switch (p->tok.type) {
	case T_AND: p->err = "AND needs something on each side"; break;
	case T_OR: p->err = "OR needs something on each side"; break;
	case T_NEAR: p->err = "NEAR needs a word or phrase on each side"; break;
	case T_RPAREN: p->err = p->depth ? "nothing before )" : "unmatched )"; break;
	case T_END: p->err = p->depth ? "unmatched (" : "the query ends too early"; break;
	default: p->err = "a word is missing here"; break;
	}
	return -1;
}

static int parse_prim(qp_t *p, qfield_t fld, qnode_t **out)
{
	*out = NULL;
	qtok_t t = p->tok;
	switch (t.type) {
	case T_WORD:
	case T_PHRASE:
		if (word_node(p, fld, t.s, t.len, t.type == T_WORD && t.wildcard, out))
			return -1;
		break;
	case T_FIELD:
	case T_LPAREN:
		if (p->depth >= QP_MAX_DEPTH) {
			p->err = "query nested too deeply";
			return -1;
		}
		p->depth++;
		if (next(p))
			return -1;
		if (t.type == T_FIELD) {
			if (!starts_prim(p->tok.type)) {
				p->err = "a field needs a word, a \"phrase\" or (words) after the colon";
				return -1;
			}
			if (parse_prim(p, t.field, out))
				return -1;
			p->depth--;
			return 0;
		}
		if (p->tok.type != T_RPAREN && parse_or(p, fld, out))
			return -1;
		if (p->tok.type != T_RPAREN) {
			qnode_free(*out);
			*out = NULL;
			p->err = "unmatched (";
			return -1;
		}
		p->depth--;
		break;
	default:
		return missing(p);
	}
	if (next(p)) {
		qnode_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int parse_near(qp_t *p, qfield_t fld, qnode_t **out)
{
	if (parse_prim(p, fld, out))
		return -1;
	if (p->tok.type != T_NEAR)
		return 0;
	nvec_t ops = {0};
	unsigned window = 0;
	qnode_t *n = *out;
	*out = NULL;
	if (n && vec_push(p, &ops, n))
		return -1;
	while (p->tok.type == T_NEAR) {
		/* a NEAR b NEAR/3 c: one group, the widest window */
		if (p->tok.window > window)
			window = p->tok.window;
		if (next(p))
			goto fail;
		if (!starts_prim(p->tok.type)) {
			p->err = "NEAR needs a word or phrase on each side";
			goto fail;
		}
		if (parse_prim(p, fld, &n) || (n && vec_push(p, &ops, n)))
			goto fail;
	}
	for (size_t i = 0; i < ops.n; i++) {
		if (ops.v[i]->type != Q_TERM && ops.v[i]->type != Q_PHRASE) {
			p->err = "NEAR works on words and phrases only";
			goto fail;
		}
		if (ops.v[i]->field != ops.v[0]->field) {
			p->err = "NEAR needs all its words in one field";
			goto fail;
		}
	}
	if (ops.n == 1) {
		*out = combine(p, Q_NEAR, &ops);
	} else if (ops.n > 1) {
		if (!(*out = node_new(p, Q_NEAR, ops.v[0]->field)))
			goto fail;
		(*out)->window = window;
		(*out)->kids = ops.v;
		(*out)->nkids = ops.n;
	}
	return 0;
fail:
	vec_free(&ops);
	return -1;
}

/* NOT* ['+'|'-'] near: the node and how it joins its neighbours. */
static int parse_unary(qp_t *p, qfield_t fld, qnode_t **out, kind_t *kind)
{
	int neg = 0, req = 0;
	*out = NULL;
	while (p->tok.type == T_NOT) {
		neg ^= 1;
		if (next(p))
			return -1;
		if (!starts_operand(p->tok.type)) {
			p->err = "NOT needs something after it";
			return -1;
		}
	}
	if (p->tok.type == T_PLUS || p->tok.type == T_MINUS) {
		if (p->tok.type == T_PLUS)
			req = 1;
		else
			neg ^= 1;
		if (next(p))
			return -1;
	}
	if (parse_near(p, fld, out))
		return -1;
	*kind = neg ? K_EXCLUDED : req ? K_REQUIRED : K_PLAIN;
	return 0;
}

/* A run of operands joined by AND or by nothing. With QP_DEFAULT_OR,
 * nothing means OR and explicit ANDs bind their neighbours into a chain. */
static int parse_and(qp_t *p, qfield_t fld, qnode_t **out)
{
	int default_or = !!(p->flags & QP_DEFAULT_OR);
	group_t g = {0}, chain = {0};
	int in_chain = 0;
	*out = NULL;
	if (!starts_operand(p->tok.type))
		return missing(p);
	for (;;) {
		qnode_t *n;
		kind_t k;
		if (parse_unary(p, fld, &n, &k))
			goto fail;
		int and_follows = p->tok.type == T_AND;
		if (and_follows) {
			if (next(p)) {
				qnode_free(n);
				goto fail;
			}
			if (!starts_operand(p->tok.type)) {
				qnode_free(n);
				p->err = "AND needs something on each side";
				goto fail;
			}
		}
		if (default_or && (and_follows || in_chain)) {
			if (group_add(p, &chain, n, k, 0))
				goto fail;
			in_chain = and_follows;
			if (!in_chain) {
				qnode_t *c;
				if (group_finish(p, &chain, &c) || group_add(p, &g, c, K_PLAIN, 1))
					goto fail;
			}
		} else if (group_add(p, &g, n, k, default_or)) {
			goto fail;
		}
		if (!starts_operand(p->tok.type))
			break;
	}
	return group_finish(p, &g, out);
fail:
	group_free(&chain);
	group_free(&g);
	return -1;
}

static int parse_or(qp_t *p, qfield_t fld, qnode_t **out)
{
	nvec_t alts = {0};
	*out = NULL;
	for (;;) {
		qnode_t *n;
		if (parse_and(p, fld, &n) || (n && vec_push_flat(p, &alts, n, Q_OR)))
			goto fail;
		if (p->tok.type != T_OR)
			break;
		if (next(p))
			goto fail;
		if (!starts_operand(p->tok.type)) {
			p->err = "OR needs something on each side";
			goto fail;
		}
	}
	*out = combine(p, Q_OR, &alts);
	return p->oom ? -1 : 0;
fail:
	vec_free(&alts);
	return -1;
}

/* QP_LITERAL: every chunk between spaces, parentheses and quotes is words. */
static int parse_literal(qp_t *p, qnode_t **out)
{
	const char *q = p->lex.q;
	size_t len = p->lex.len, i = 0;
	int default_or = !!(p->flags & QP_DEFAULT_OR);
	group_t g = {0};
	while (i < len) {
		size_t n;
		if ((n = qlex_space(q + i, len - i)) || (n = qlex_quote(q + i, len - i)) ||
		    (q[i] == '(' && (n = 1)) || (q[i] == ')' && (n = 1))) {
			i += n;
			continue;
		}
		size_t j = i;
		while (j < len && !qlex_space(q + j, len - j) && !qlex_quote(q + j, len - j) &&
		       q[j] != '(' && q[j] != ')')
			j++;
		qnode_t *node;
		if (word_node(p, QF_BODY, q + i, j - i, 0, &node) ||
		    group_add(p, &g, node, K_PLAIN, default_or)) {
			group_free(&g);
			return -1;
		}
		i = j;
	}
	return group_finish(p, &g, out);
}

qp_result_t qry_parse(const char *q, size_t len, int flags, qnode_t **out, const char **err)
{
	return qry_parse_ex(q, len, flags, out, err, NULL);
}

qp_result_t qry_parse_ex(const char *q, size_t len, int flags, qnode_t **out, const char **err,
			 unsigned *too_long)
{
	qp_t p = {0};
	if (too_long)
		*too_long = 0;
	qnode_t *root = NULL;
	int rc = 0;
	*out = NULL;
	if (err)
		*err = NULL;
	p.lex.q = q ? q : "";
	p.lex.len = q ? len : 0;
	p.flags = flags;
	buf_init(&p.words);

	if (flags & QP_LITERAL) {
		rc = parse_literal(&p, &root);
	} else if ((rc = next(&p)) == 0 && p.tok.type != T_END) {
		rc = parse_or(&p, QF_BODY, &root);
		if (rc == 0 && p.tok.type != T_END) {
			qnode_free(root);
			root = NULL;
			rc = missing(&p);
		}
	}
	free(p.prim);
	buf_free(&p.words);
	if (too_long && !p.oom && !rc)
		*too_long = p.too_long;
	if (p.oom) {
		qnode_free(root);
		return QP_NOMEM;
	}
	if (rc) {
		if (err)
			*err = p.err ? p.err : "syntax error";
		return QP_SYNTAX;
	}
	if (!root)
		return QP_EMPTY;
	*out = root;
	return QP_OK;
}
