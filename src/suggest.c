/* suggest.c - did-you-mean from the index's vocabulary; see suggest.h.
 *
 * The index holds stems, not words, so the search is done on stems (terms
 * sharing the misspelled stem's first letter) and the winning stem is turned
 * back into a word by reading one document that contains it and taking the
 * first word there that stems to it. */
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "schema.h"
#include "tokenize.h"

/* Read at most this much of a document to find the word behind a stem. */
#define WORD_SCAN_CAP (256u << 10)

unsigned suggest_distance(const char *a, size_t al, const char *b, size_t bl, unsigned max)
{
	if ((al > bl ? al - bl : bl - al) > max)
		return max + 1;
	if (al > 64 || bl > 64)
		return max + 1;
	unsigned d[65][65];
	for (size_t i = 0; i <= al; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= bl; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= al; i++) {
		unsigned rowmin = max + 1;
		for (size_t j = 1; j <= bl; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			if (v < rowmin) rowmin = v;
		}
		if (rowmin > max)
			return max + 1;
	}
	return d[al][bl];
}

typedef struct {
	stemmer_t *stem;
	const char *want;
	size_t want_len;
	buf_t *word;
	int found;
} find_word_t;

static int find_word_cb(void *ctx, const char *tok, size_t len, size_t start, size_t end,
			unsigned pos, int flags)
{
	(void)start; (void)end; (void)pos;
	find_word_t *f = ctx;
	if (flags & TOK_COLOCATED)
		return 0;
	size_t sl;
	const char *st = stemmer_stem(f->stem, tok, len, flags, &sl);
	if (st && sl == f->want_len && memcmp(st, f->want, sl) == 0) {
		buf_reset(f->word);
		buf_add(f->word, tok, len);
		f->found = 1;
		return 1;
	}
	return 0;
}

/* A word of the index that stems to STEM, into WORD. */
static int word_for_stem(lode_search_t *s, const char *stem, size_t sl, buf_t *word)
{
	unsigned *ids = NULL;
	size_t n = 0;
	if (xap_db_postlist(s->db, stem, sl, &ids, &n) != XAP_OK || !n) {
		free(ids);
		return -1;
	}
	xap_doc_t *doc = NULL;
	int rc = -1;
	if (xap_db_get_doc(s->db, ids[0], &doc) == XAP_OK) {
		const char *data;
		size_t len;
		record_t rec;
		record_text_t text = {0};
		buf_t store = BUF_INIT;
		if (xap_doc_get_data(doc, &data, &len) == XAP_OK &&
		    record_decode_fields(data, len, &rec, &store, &text) == 0) {
			find_word_t f = { s->stem, stem, sl, word, 0 };
			const char *t;
			size_t tl;
			/* only the start is read, so only the start is inflated;
			 * a damaged text is read as far as it goes */
			record_text_prefix(&text, WORD_SCAN_CAP, &t, &tl);
			tok_run(t, tl, 0, find_word_cb, &f, NULL);
			if (!f.found && rec.title)
				tok_run(rec.title, strlen(rec.title), 0, find_word_cb, &f, NULL);
			rc = f.found ? 0 : -1;
		}
		record_text_free(&text);
		buf_free(&store);
	}
	xap_doc_destroy(doc);
	free(ids);
	return rc;
}

/* The best replacement for folded word W (unknown to the index), or -1. */
static int best_word(lode_search_t *s, const char *w, size_t wl, int flags, buf_t *out)
{
	if (flags & (TOK_NUMBER | TOK_CJK) || wl < 3)
		return -1;
	size_t sl;
	const char *stem = stemmer_stem(s->stem, w, wl, flags, &sl);
	if (!stem || !sl)
		return -1;
	unsigned max = wl <= 4 ? 1 : 2;
	char first[2] = { stem[0], '\0' };
	xap_termlist_t *tl = NULL;
	if (xap_db_allterms(s->db, first, &tl) != XAP_OK)
		return -1;
	const char *t;
	size_t tlen;
	unsigned best_d = max + 1, best_tf = 0;
	buf_t best = BUF_INIT;
	while (xap_termlist_next(tl, &t, &tlen)) {
		unsigned d = suggest_distance(stem, sl, t, tlen, max);
		if (d == 0 || d > max)
			continue;
		unsigned tf = 0;
		xap_termlist_current(tl, &tf, NULL, NULL);
		if (d < best_d || (d == best_d && tf > best_tf)) {
			best_d = d;
			best_tf = tf;
			buf_reset(&best);
			buf_add(&best, t, tlen);
		}
	}
	xap_termlist_destroy(tl);
	int rc = -1;
	if (best.len && word_for_stem(s, best.p, best.len, out) == 0)
		rc = 0;
	buf_free(&best);
	return rc;
}

/* 1 when the folded word is a body term of the query (not a field name,
 * an operator or an excluded word). */
static int tree_has_term(const qnode_t *n, const char *tok, size_t len)
{
	if (n->type == Q_TERM)
		return n->field == QF_BODY && n->len == len && memcmp(n->text, tok, len) == 0;
	size_t kids = n->type == Q_AND_NOT ? 1 : n->nkids;
	for (size_t i = 0; i < kids; i++)
		if (tree_has_term(n->kids[i], tok, len))
			return 1;
	return 0;
}

typedef struct {
	lode_search_t *s;
	const qnode_t *tree;
	const char *q;
	buf_t out;
	size_t copied;      /* bytes of q already copied to out */
	int changed;
	buf_t word;
} rewrite_t;

static int rewrite_cb(void *ctx, const char *tok, size_t len, size_t start, size_t end,
		      unsigned pos, int flags)
{
	(void)pos;
	rewrite_t *r = ctx;
	if ((flags & TOK_COLOCATED) || !tree_has_term(r->tree, tok, len))
		return 0;
	size_t sl;
	const char *stem = stemmer_stem(r->s->stem, tok, len, flags, &sl);
	unsigned tf = 0;
	if (!stem || xap_db_term_freq(r->s->db, stem, sl, &tf) != XAP_OK || tf > 0)
		return 0;
	if (best_word(r->s, tok, len, flags, &r->word) != 0)
		return 0;
	buf_add(&r->out, r->q + r->copied, start - r->copied);
	buf_add(&r->out, r->word.p, r->word.len);
	r->copied = end;
	r->changed = 1;
	return 0;
}

char *suggest_query(lode_search_t *s, const char *query, size_t len, const qnode_t *tree)
{
	rewrite_t r = { .s = s, .tree = tree, .q = query };
	tok_run(query, len, 0, rewrite_cb, &r, NULL);
	char *res = NULL;
	if (r.changed) {
		buf_add(&r.out, query + r.copied, len - r.copied);
		res = buf_detach(&r.out, NULL);
	}
	buf_free(&r.out);
	buf_free(&r.word);
	return res;
}
