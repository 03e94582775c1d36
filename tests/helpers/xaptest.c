/* xaptest.c - see xaptest.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xaptest.h"

/* A failure a user would see: this status and a message that says something. */
void xt_check_failed(xap_status_t got, xap_status_t want, const char *msg)
{
	if (got != want)
		print_error("got %s, want %s (%s)\n", xap_status_str(got), xap_status_str(want), msg);
	assert_int_equal(got, want);
	assert_non_null(msg);
	assert_true(strlen(msg) > 0);
}

/* ------------------------------------------------------------ the corpus */

const xt_doc_t xt_corpus[] = {
	{ "the quick brown fox jumps over the lazy dog", "20210101", "a" },
	{ "quick brown dogs and quick foxes", "20220101", "b" },
	{ "the lazy cat sleeps all day", "20200101", "a" },
	{ "a brown cow in the quick river", "20230101", "b" },
	{ "solar power and wind power", "20190101", "c" },
};
const size_t xt_corpus_len = sizeof xt_corpus / sizeof *xt_corpus;

/* Index xt_corpus[i]: words with positions 1.., unique term Q<i+1>, category
 * boolean term C<cat>, values 0 = date and 1 = category, data = text. */
xap_doc_t *xt_corpus_doc(size_t i)
{
	xap_doc_t *doc = NULL;
	OK(xap_doc_new(&doc), "");
	const char *s = xt_corpus[i].text;
	unsigned pos = 1;
	while (*s) {
		size_t n = strcspn(s, " ");
		OK(xap_doc_add_posting(doc, s, n, pos++, 1), xap_doc_errmsg(doc));
		s += n + (s[n] == ' ');
	}
	char term[16];
	snprintf(term, sizeof term, "Q%zu", i + 1);
	OK(xap_doc_add_boolean_term(doc, term, strlen(term)), xap_doc_errmsg(doc));
	snprintf(term, sizeof term, "C%s", xt_corpus[i].cat);
	OK(xap_doc_add_boolean_term(doc, term, strlen(term)), xap_doc_errmsg(doc));
	OK(xap_doc_add_value(doc, 0, xt_corpus[i].date, 8), xap_doc_errmsg(doc));
	OK(xap_doc_add_value(doc, 1, xt_corpus[i].cat, 1), xap_doc_errmsg(doc));
	OK(xap_doc_set_data(doc, xt_corpus[i].text, strlen(xt_corpus[i].text)), xap_doc_errmsg(doc));
	return doc;
}

/* A new committed database at PATH holding the corpus docs listed in WHICH
 * (1-based, 0-terminated), in that order; returns the open writer. */
xap_db_t *xt_make_db(const char *path, const unsigned *which)
{
	xap_db_t *db = NULL;
	char *err = NULL;
	OK(xap_db_open_write(path, XAP_DB_CREATE_OR_OPEN | XAP_DB_NO_SYNC, 0, &db, &err), err);
	for (; *which; which++) {
		xap_doc_t *doc = xt_corpus_doc(*which - 1);
		DBOK(db, xap_db_add_doc(db, doc, NULL));
		xap_doc_destroy(doc);
	}
	DBOK(db, xap_db_commit(db));
	return db;
}

/* ------------------------------------------------------------ queries */

/* A tiny prefix notation for queries, so cases fit in a table:
 *   word            a term            *  all docs     -  no docs
 *   AND(a b) OR XOR AND_NOT FILTER AND_MAYBE SYNONYM
 *   PHRASE2(a b) NEAR3(a b)   window as suffix (none: 0)
 *   SCALE10(q)                weight times 10
 *   RANGE0(lo..hi) LE0(hi) GE0(lo)   value slot as suffix
 *   WILD(prefix) WILD2(prefix)       expansion limit as suffix */
static xap_query_t *parse_spec(const char **p)
{
	while (**p == ' ')
		(*p)++;
	const char *s = *p;
	while (isalnum((unsigned char)**p) || **p == '*' || **p == '-' || **p == '_')
		(*p)++;
	size_t n = (size_t)(*p - s);
	if (**p != '(') {
		if (n == 1 && *s == '*')
			return xap_query_match_all();
		if (n == 1 && *s == '-')
			return xap_query_match_nothing();
		return xap_query_term(s, n, 1, 0);
	}
	size_t k = 0;
	while (k < n && (isupper((unsigned char)s[k]) || s[k] == '_'))
		k++;
	char name[16];
	snprintf(name, sizeof name, "%.*s", (int)k, s);
	unsigned num = (unsigned)strtoul(s + k, NULL, 10);
	(*p)++;
	if (!strcmp(name, "RANGE") || !strcmp(name, "LE") || !strcmp(name, "GE") ||
	    !strcmp(name, "WILD")) {
		char raw[64];
		size_t len = strcspn(*p, ")");
		snprintf(raw, sizeof raw, "%.*s", (int)len, *p);
		*p += len + 1;
		char *dots = strstr(raw, "..");
		if (dots)
			*dots = '\0';
		if (!strcmp(name, "RANGE"))
			return xap_query_value_range(num, raw, dots + 2);
		if (!strcmp(name, "LE"))
			return xap_query_value_range(num, NULL, raw);
		if (!strcmp(name, "GE"))
			return xap_query_value_range(num, raw, NULL);
		return xap_query_wildcard(raw, strlen(raw), num);
	}
	xap_query_t *subs[8];
	size_t ns = 0;
	for (;;) {
		while (**p == ' ')
			(*p)++;
		if (**p == ')' || !**p)
			break;
		subs[ns++] = parse_spec(p);
	}
	(*p)++;
	static const struct { const char *name; xap_op_t op; } ops[] = {
		{ "AND", XAP_OP_AND }, { "OR", XAP_OP_OR }, { "AND_NOT", XAP_OP_AND_NOT },
		{ "AND_MAYBE", XAP_OP_AND_MAYBE }, { "FILTER", XAP_OP_FILTER },
		{ "PHRASE", XAP_OP_PHRASE }, { "NEAR", XAP_OP_NEAR }, { "XOR", XAP_OP_XOR },
		{ "SYNONYM", XAP_OP_SYNONYM },
	};
	xap_query_t *q = NULL;
	if (!strcmp(name, "SCALE")) {
		q = xap_query_scale(subs[0], num);
	} else {
		for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
			if (!strcmp(name, ops[i].name))
				q = xap_query_combine(ops[i].op, subs, ns, num);
	}
	for (size_t i = 0; i < ns; i++)
		xap_query_destroy(subs[i]);
	return q;
}

xap_query_t *xt_query(const char *spec)
{
	xap_query_t *q = parse_spec(&spec);
	assert_non_null(q);
	return q;
}

/* Run SPEC on DB (with E's settings when E is given) and fill ids/weights
 * (up to 16); returns the number of hits. */
size_t xt_run(xap_db_t *db, xap_enquire_t *e, const char *spec, unsigned *ids, double *wts)
{
	xap_enquire_t *own = NULL;
	char *err = NULL;
	if (!e) {
		OK(xap_enquire_new(db, &own, &err), err);
		e = own;
	}
	xap_query_t *q = xt_query(spec);
	EQOK(e, xap_enquire_set_query(e, q));
	xap_query_destroy(q);
	xap_mset_t *m = NULL;
	EQOK(e, xap_enquire_mset(e, 0, 16, 0, &m));
	size_t n = xap_mset_size(m);
	for (size_t i = 0; i < n; i++)
		OK(xap_mset_item(m, i, &ids[i], wts ? &wts[i] : NULL), xap_mset_errmsg(m));
	xap_mset_destroy(m);
	xap_enquire_destroy(own);
	return n;
}

/* Assert SPEC finds exactly WANT (0-terminated), in that order. */
void xt_expect_ids(xap_db_t *db, xap_enquire_t *e, const char *spec, const unsigned *want)
{
	unsigned ids[16];
	size_t n = xt_run(db, e, spec, ids, NULL);
	size_t nw = 0;
	while (want[nw])
		nw++;
	char got[128] = "", exp[128] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), " %u", ids[i]);
	for (size_t i = 0; i < nw; i++)
		snprintf(exp + strlen(exp), sizeof exp - strlen(exp), " %u", want[i]);
	if (strcmp(got, exp) != 0)
		print_error("%s: got [%s ], want [%s ]\n", spec, got, exp);
	assert_string_equal(got, exp);
}

double xt_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Collect a termlist as "term:n term:n" (n: termfreq, wdf or 0). */
void xt_termlist_string(xap_termlist_t *tl, char *out, size_t cap, int which)
{
	const char *t;
	size_t len;
	out[0] = '\0';
	while (xap_termlist_next(tl, &t, &len)) {
		unsigned tf, wdf;
		xap_termlist_current(tl, &tf, &wdf, NULL);
		snprintf(out + strlen(out), cap - strlen(out), "%s%.*s:%u", *out ? " " : "",
			 (int)len, t, which == 'f' ? tf : wdf);
	}
	OK(xap_termlist_status(tl), xap_termlist_errmsg(tl));
	xap_termlist_destroy(tl);
}

/* Ranking of SPEC on DB as "data=weight|..." (docids differ between layouts). */
void xt_ranking(xap_db_t *db, const char *spec, char *out, size_t cap)
{
	xap_enquire_t *e = NULL;
	char *err = NULL;
	OK(xap_enquire_new(db, &e, &err), err);
	xap_query_t *q = xt_query(spec);
	EQOK(e, xap_enquire_set_query(e, q));
	xap_query_destroy(q);
	xap_mset_t *m;
	EQOK(e, xap_enquire_mset(e, 0, 10, 0, &m));
	out[0] = '\0';
	for (size_t i = 0; i < xap_mset_size(m); i++) {
		double wt;
		xap_doc_t *doc;
		const char *data;
		size_t len;
		OK(xap_mset_item(m, i, NULL, &wt), xap_mset_errmsg(m));
		OK(xap_mset_doc(m, i, &doc), xap_mset_errmsg(m));
		OK(xap_doc_get_data(doc, &data, &len), xap_doc_errmsg(doc));
		snprintf(out + strlen(out), cap - strlen(out), "%s=%.9f|", data, wt);
		xap_doc_destroy(doc);
	}
	xap_mset_destroy(m);
	xap_enquire_destroy(e);
}
