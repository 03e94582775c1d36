/* test_binding.c - the C API over Xapian (bindings/xapian_c.h), against real
 * databases in temporary directories: round trips of every call, and real
 * failures (two writers, a missing path, a truncated table, misuse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/testutil.h"
#include "helpers/xaptest.h"
#include "xapian_c.h"

/* Under ASan: libxapian 1.4.22's Database::check() itself frees an object
 * with a sized delete of the wrong size (inside libxapian.so, not here), so
 * that one check is switched off for this binary. Unused without ASan. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "new_delete_type_mismatch=0";
}

static const unsigned all_docs[] = { 1, 2, 3, 4, 5, 0 };

typedef struct {
	char *dir;
	char *path; /* dir/db: the corpus, committed */
	xap_db_t *w; /* its writer, open */
	pid_t server; /* a xapian-tcpsrv to stop, or 0 */
} fixture_t;

static int setup(void **state)
{
	fixture_t *fx = calloc(1, sizeof *fx);
	fx->dir = tu_mkdtemp();
	fx->path = tu_path(fx->dir, "db");
	fx->w = xt_make_db(fx->path, all_docs);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *fx = *state;
	if (fx->server > 0) { /* here, so a failed assertion cannot leak it */
		kill(fx->server, SIGTERM);
		waitpid(fx->server, NULL, 0);
	}
	xap_db_destroy(fx->w);
	tu_rmtree(fx->dir);
	free(fx->path);
	free(fx->dir);
	free(fx);
	return 0;
}
/* ------------------------------------------------------------ round trips */

static void test_doc_roundtrip(void **state)
{
	fixture_t *fx = *state;
	xap_doc_t *doc = NULL;
	OK(xap_doc_new(&doc), "");
	OK(xap_doc_add_posting(doc, "hello", 5, 1, 1), xap_doc_errmsg(doc));
	OK(xap_doc_add_posting(doc, "world", 5, 2, 1), xap_doc_errmsg(doc));
	OK(xap_doc_add_posting(doc, "hello", 5, 5, 2), xap_doc_errmsg(doc));
	OK(xap_doc_add_term(doc, "nopos", 5, 4), xap_doc_errmsg(doc));
	OK(xap_doc_add_boolean_term(doc, "Kx", 2), xap_doc_errmsg(doc));
	OK(xap_doc_add_value(doc, 3, "a\0b", 3), xap_doc_errmsg(doc));
	OK(xap_doc_set_data(doc, "payload", 7), xap_doc_errmsg(doc));
	unsigned id = 0;
	DBOK(fx->w, xap_db_add_doc(fx->w, doc, &id));
	assert_int_equal(id, 6);
	/* the handle can be cleared and reused; the db kept its copy */
	OK(xap_doc_clear(doc), xap_doc_errmsg(doc));
	const char *data;
	size_t len;
	OK(xap_doc_get_data(doc, &data, &len), xap_doc_errmsg(doc));
	assert_int_equal(len, 0);
	xap_doc_destroy(doc);

	DBOK(fx->w, xap_db_get_doc(fx->w, id, &doc));
	OK(xap_doc_get_data(doc, &data, &len), xap_doc_errmsg(doc));
	assert_int_equal(len, 7);
	assert_string_equal(data, "payload");
	const char *val;
	OK(xap_doc_get_value(doc, 3, &val, &len), xap_doc_errmsg(doc));
	assert_int_equal(len, 3);
	assert_memory_equal(val, "a\0b", 3);
	OK(xap_doc_get_value(doc, 9, &val, &len), xap_doc_errmsg(doc));
	assert_int_equal(len, 0);
	char got[256];
	xap_termlist_t *tl = NULL;
	OK(xap_doc_termlist(doc, &tl), xap_doc_errmsg(doc));
	xt_termlist_string(tl, got, sizeof got, 'w');
	assert_string_equal(got, "Kx:0 hello:3 nopos:4 world:1");
	OK(xap_doc_termlist(doc, &tl), xap_doc_errmsg(doc));
	xt_termlist_string(tl, got, sizeof got, 'f'); /* termfreqs: from the db */
	assert_string_equal(got, "Kx:1 hello:1 nopos:1 world:1");
	xap_doc_destroy(doc);

	/* positions: "hello world" is a phrase of doc 6, "world hello" not */
	xt_expect_ids(fx->w, NULL, "PHRASE(hello world)", (unsigned[]){ 6, 0 });
	xt_expect_ids(fx->w, NULL, "PHRASE(world hello)", (unsigned[]){ 0 });
	xt_expect_ids(fx->w, NULL, "Kx", (unsigned[]){ 6, 0 });
	/* each term's positions in the document, ascending; none for a term
	 * without positions or one the document lacks */
	static const struct { const char *term; size_t n; unsigned pos[2]; } want[] = {
		{ "hello", 2, { 1, 5 } }, { "world", 1, { 2 } }, { "nopos", 0, { 0 } },
		{ "zebra", 0, { 0 } },
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		unsigned *pos = NULL;
		size_t n = 9;
		DBOK(fx->w, xap_db_positions(fx->w, id, want[i].term, strlen(want[i].term), &pos, &n));
		assert_int_equal(n, want[i].n);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(pos[k], want[i].pos[k]);
		free(pos);
	}
}

static void test_replace_and_delete(void **state)
{
	fixture_t *fx = *state;
	xap_db_t *w = fx->w;
	xap_doc_t *doc = xt_corpus_doc(4); /* "solar power ..." */
	OK(xap_doc_set_data(doc, "replaced", 8), xap_doc_errmsg(doc));
	unsigned id = 0;
	DBOK(w, xap_db_replace_doc_by_term(w, "Q1", 2, doc, &id));
	assert_int_equal(id, 1);
	xap_doc_destroy(doc);
	DBOK(w, xap_db_get_doc(w, 1, &doc));
	const char *data;
	size_t len;
	OK(xap_doc_get_data(doc, &data, &len), xap_doc_errmsg(doc));
	assert_string_equal(data, "replaced");
	xap_doc_destroy(doc);
	xt_expect_ids(w, NULL, "fox", (unsigned[]){ 0 });

	/* a unique term no doc has: replace adds */
	doc = xt_corpus_doc(0);
	DBOK(w, xap_db_replace_doc_by_term(w, "Qnew", 4, doc, &id));
	assert_int_equal(id, 6);
	xap_doc_destroy(doc);

	unsigned count;
	DBOK(w, xap_db_delete_docs_by_term(w, "Cb", 2)); /* docs 2 and 4 */
	DBOK(w, xap_db_doc_count(w, &count));
	assert_int_equal(count, 4);
	DBOK(w, xap_db_delete_docs_by_term(w, "Cnone", 5)); /* nothing: fine */
	DBOK(w, xap_db_delete_doc(w, 3));
	DBOK(w, xap_db_doc_count(w, &count));
	assert_int_equal(count, 3);
	assert_failed(xap_db_delete_doc(w, 3), XAP_NOT_FOUND, xap_db_errmsg(w));
	assert_failed(xap_db_get_doc(w, 3, &doc), XAP_NOT_FOUND, xap_db_errmsg(w));
	assert_null(doc);
}

static void test_statistics(void **state)
{
	fixture_t *fx = *state;
	xap_db_t *w = fx->w;
	unsigned u;
	uint64_t u64;
	double avg;
	int yes;
	DBOK(w, xap_db_doc_count(w, &u));
	assert_int_equal(u, 5);
	DBOK(w, xap_db_last_docid(w, &u));
	assert_int_equal(u, 5);
	DBOK(w, xap_db_total_length(w, &u64));
	assert_int_equal(u64, 9 + 6 + 6 + 7 + 5);
	DBOK(w, xap_db_avg_length(w, &avg));
	assert_true(fabs(avg - 33.0 / 5) < 1e-9);
	DBOK(w, xap_db_term_freq(w, "quick", 5, &u));
	assert_int_equal(u, 3);
	DBOK(w, xap_db_coll_freq(w, "quick", 5, &u64));
	assert_int_equal(u64, 4);
	DBOK(w, xap_db_term_exists(w, "lazy", 4, &yes));
	assert_true(yes);
	DBOK(w, xap_db_term_exists(w, "zebra", 5, &yes));
	assert_false(yes);

	unsigned *ids;
	size_t n;
	DBOK(w, xap_db_postlist(w, "brown", 5, &ids, &n));
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 2);
	assert_int_equal(ids[2], 4);
	free(ids);
	DBOK(w, xap_db_postlist(w, "zebra", 5, &ids, &n));
	assert_int_equal(n, 0);
	free(ids);

	char got[256];
	xap_termlist_t *tl;
	DBOK(w, xap_db_allterms(w, "qu", &tl));
	xt_termlist_string(tl, got, sizeof got, 'f');
	assert_string_equal(got, "quick:3");
	DBOK(w, xap_db_allterms(w, "C", &tl));
	xt_termlist_string(tl, got, sizeof got, 'f');
	assert_string_equal(got, "Ca:2 Cb:2 Cc:1");

	uint64_t rev1, rev2;
	DBOK(w, xap_db_revision(w, &rev1));
	xap_doc_t *doc = xt_corpus_doc(0);
	DBOK(w, xap_db_add_doc(w, doc, NULL));
	xap_doc_destroy(doc);
	DBOK(w, xap_db_commit(w));
	DBOK(w, xap_db_revision(w, &rev2));
	assert_true(rev2 > rev1);
	char *uuid;
	DBOK(w, xap_db_uuid(w, &uuid));
	assert_int_equal(strlen(uuid), 36);
	free(uuid);
	assert_true(xap_db_is_writable(w));
}

static void test_metadata(void **state)
{
	fixture_t *fx = *state;
	xap_db_t *w = fx->w;
	DBOK(w, xap_db_set_metadata(w, "lode.version", "1", 1));
	DBOK(w, xap_db_set_metadata(w, "lode.root", "/a\0b", 4));
	DBOK(w, xap_db_set_metadata(w, "other", "x", 1));
	char *val;
	size_t len;
	DBOK(w, xap_db_get_metadata(w, "lode.root", &val, &len));
	assert_int_equal(len, 4);
	assert_memory_equal(val, "/a\0b", 4);
	free(val);
	DBOK(w, xap_db_get_metadata(w, "missing", &val, &len));
	assert_int_equal(len, 0);
	assert_string_equal(val, "");
	free(val);
	DBOK(w, xap_db_commit(w));

	char got[256];
	xap_termlist_t *tl;
	DBOK(w, xap_db_metadata_keys(w, "lode.", &tl));
	xt_termlist_string(tl, got, sizeof got, 'f');
	assert_string_equal(got, "lode.root:0 lode.version:0");
	DBOK(w, xap_db_set_metadata(w, "lode.root", "", 0)); /* deletes */
	DBOK(w, xap_db_metadata_keys(w, "lode.", &tl));
	xt_termlist_string(tl, got, sizeof got, 'f');
	assert_string_equal(got, "lode.version:0");
}

/* A reader sees committed changes only, after reopen. */
static void test_commit_and_reopen(void **state)
{
	fixture_t *fx = *state;
	xap_db_t *r = NULL;
	char *err = NULL;
	OK(xap_db_open_read(fx->path, &r, &err), err);
	assert_false(xap_db_is_writable(r));
	xap_doc_t *doc = xt_corpus_doc(2);
	DBOK(fx->w, xap_db_add_doc(fx->w, doc, NULL));
	xap_doc_destroy(doc);
	unsigned n;
	DBOK(r, xap_db_doc_count(r, &n));
	assert_int_equal(n, 5);
	DBOK(fx->w, xap_db_commit(fx->w));
	DBOK(r, xap_db_doc_count(r, &n));
	assert_int_equal(n, 5);
	DBOK(r, xap_db_reopen(r));
	DBOK(r, xap_db_doc_count(r, &n));
	assert_int_equal(n, 6);
	/* writes on a reader are refused, with a reason */
	assert_failed(xap_db_commit(r), XAP_INVALID, xap_db_errmsg(r));
	assert_failed(xap_db_delete_doc(r, 1), XAP_INVALID, xap_db_errmsg(r));
	xap_db_destroy(r);
}

static void test_transactions(void **state)
{
	fixture_t *fx = *state;
	xap_db_t *w = fx->w;
	unsigned n;
	for (int flushed = 0; flushed <= 1; flushed++) {
		DBOK(w, xap_db_begin_transaction(w, flushed));
		xap_doc_t *doc = xt_corpus_doc(0);
		DBOK(w, xap_db_add_doc(w, doc, NULL));
		DBOK(w, xap_db_delete_doc(w, 2));
		DBOK(w, xap_db_cancel_transaction(w));
		DBOK(w, xap_db_doc_count(w, &n));
		assert_int_equal(n, 5 + flushed);

		DBOK(w, xap_db_begin_transaction(w, flushed));
		DBOK(w, xap_db_add_doc(w, doc, NULL));
		DBOK(w, xap_db_commit_transaction(w));
		xap_doc_destroy(doc);
		DBOK(w, xap_db_doc_count(w, &n));
		assert_int_equal(n, 6 + flushed);
	}
	assert_failed(xap_db_commit_transaction(w), XAP_INVALID, xap_db_errmsg(w));
	assert_failed(xap_db_cancel_transaction(w), XAP_INVALID, xap_db_errmsg(w));
	DBOK(w, xap_db_begin_transaction(w, 1));
	assert_failed(xap_db_begin_transaction(w, 1), XAP_INVALID, xap_db_errmsg(w));
	DBOK(w, xap_db_cancel_transaction(w));
}

typedef struct {
	const char *spec;
	unsigned want[6];
} query_case_t;

/* Expected orders follow BM25: rarer terms, higher wdf and shorter documents
 * weigh more; equal weights (boolean queries) come in docid order. */
static const query_case_t query_cases[] = {
	{ "quick", { 2, 4, 1 } },                    /* doc 2 has it twice */
	{ "AND(quick brown)", { 2, 4, 1 } },
	{ "OR(cat cow)", { 3, 4 } },                 /* both rare; doc 3 shorter */
	{ "OR(lazy solar)", { 5, 3, 1 } },           /* solar rarer than lazy */
	{ "AND_NOT(quick dogs)", { 4, 1 } },
	{ "FILTER(quick Cb)", { 2, 4 } },
	{ "FILTER(brown Ca)", { 1 } },
	{ "AND_MAYBE(brown fox)", { 1, 2, 4 } },
	{ "XOR(quick brown)", { 0 } },
	{ "PHRASE(quick brown)", { 2, 1 } },
	{ "PHRASE(brown quick)", { 0 } },
	{ "PHRASE(the lazy)", { 1, 3 } },            /* "the" twice in doc 1 */
	{ "NEAR(dog lazy)", { 1 } },                 /* unordered, adjacent */
	{ "NEAR2(brown quick)", { 2, 1 } },          /* window 2: neighbours */
	{ "NEAR3(quick fox)", { 1 } },               /* quick(2) fox(4) */
	{ "NEAR2(quick fox)", { 0 } },
	{ "RANGE0(20200101..20211231)", { 1, 3 } },
	{ "LE0(20200101)", { 3, 5 } },
	{ "GE0(20220101)", { 2, 4 } },
	{ "RANGE0(20230101..20220101)", { 0 } },
	{ "FILTER(brown GE0(20220101))", { 2, 4 } },
	{ "WILD(fox)", { 2, 1 } },                   /* fox, foxes */
	{ "WILD(zz)", { 0 } },
	{ "SYNONYM(fox foxes)", { 2, 1 } },
	{ "OR(quick SCALE10(lazy))", { 3, 1, 2, 4 } },
	{ "OR(SCALE0(quick) lazy)", { 3, 1, 2, 4 } },
	{ "*", { 1, 2, 3, 4, 5 } },
	{ "-", { 0 } },
};

static void test_queries(void **state)
{
	fixture_t *fx = *state;
	for (size_t i = 0; i < sizeof query_cases / sizeof *query_cases; i++)
		xt_expect_ids(fx->w, NULL, query_cases[i].spec, query_cases[i].want);
}

static void test_query_handles(void **state)
{
	(void)state;
	xap_query_t *q = xt_query("PHRASE(a b)");
	xap_query_t *c = xap_query_copy(q);
	xap_query_destroy(q);
	char *d = xap_query_describe(c);
	assert_non_null(strstr(d, "PHRASE"));
	free(d);
	assert_false(xap_query_is_empty(c));
	xap_query_destroy(c);
	q = xt_query("-");
	assert_true(xap_query_is_empty(q));
	xap_query_destroy(q);
	assert_true(xap_query_is_empty(NULL));
	/* invalid arguments: NULL, not a crash */
	assert_null(xap_query_scale(NULL, 2));
	q = xt_query("a");
	assert_null(xap_query_scale(q, -1));
	xap_query_t *subs[] = { q, NULL };
	assert_null(xap_query_combine(XAP_OP_AND, subs, 2, 0));
	assert_null(xap_query_combine((xap_op_t)99, subs, 1, 0));
	assert_null(xap_query_term(NULL, 3, 1, 0));
	xap_query_destroy(q);
}

static void test_bm25_params(void **state)
{
	fixture_t *fx = *state;
	xap_enquire_t *e = NULL;
	char *err = NULL;
	OK(xap_enquire_new(fx->w, &e, &err), err);
	unsigned ids[16];
	double w_def[16], w_b0[16], w_k1[16];
	size_t n = xt_run(fx->w, e, "quick", ids, w_def);
	assert_int_equal(n, 3);
	/* b = 0: document length no longer matters, only wdf: doc 2 first,
	 * then docs 1 and 4 tie (docid order) */
	xap_bm25_t p = XAP_BM25_DEFAULTS;
	p.b = 0;
	EQOK(e, xap_enquire_set_bm25(e, &p));
	n = xt_run(fx->w, e, "quick", ids, w_b0);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 1);
	assert_int_equal(ids[2], 4);
	assert_true(fabs(w_b0[1] - w_b0[2]) < 1e-12);
	/* larger k1: wdf counts for more, so doc 2 pulls further ahead */
	p = (xap_bm25_t)XAP_BM25_DEFAULTS;
	p.k1 = 5;
	EQOK(e, xap_enquire_set_bm25(e, &p));
	xt_run(fx->w, e, "quick", ids, w_k1);
	assert_true(w_k1[0] / w_k1[1] > w_def[0] / w_def[1]);
	EQOK(e, xap_enquire_set_bm25(e, NULL)); /* back to the defaults */
	double w_again[16];
	xt_run(fx->w, e, "quick", ids, w_again);
	assert_true(fabs(w_again[0] - w_def[0]) < 1e-12);

	xap_enquire_destroy(e);
}

static void test_sort_and_collapse(void **state)
{
	fixture_t *fx = *state;
	xap_enquire_t *e = NULL;
	char *err = NULL;
	OK(xap_enquire_new(fx->w, &e, &err), err);
	EQOK(e, xap_enquire_sort_value_then_relevance(e, 0, 0)); /* by date */
	xt_expect_ids(fx->w, e, "quick", (unsigned[]){ 1, 2, 4, 0 });
	xt_expect_ids(fx->w, e, "*", (unsigned[]){ 5, 3, 1, 2, 4, 0 });
	EQOK(e, xap_enquire_sort_value_then_relevance(e, 0, 1)); /* newest first */
	xt_expect_ids(fx->w, e, "quick", (unsigned[]){ 4, 2, 1, 0 });
	/* equal weights, broken by date, newest first */
	EQOK(e, xap_enquire_sort_relevance_then_value(e, 0, 1));
	xt_expect_ids(fx->w, e, "FILTER(* Ca)", (unsigned[]){ 1, 3, 0 });
	xt_expect_ids(fx->w, e, "quick", (unsigned[]){ 2, 4, 1, 0 });
	EQOK(e, xap_enquire_sort_relevance(e));
	xt_expect_ids(fx->w, e, "FILTER(* Ca)", (unsigned[]){ 1, 3, 0 });

	/* collapse on the category: the best document of each */
	EQOK(e, xap_enquire_set_collapse(e, 1, 1));
	xt_expect_ids(fx->w, e, "OR(quick lazy power)", (unsigned[]){ 5, 1, 2, 0 });
	EQOK(e, xap_enquire_set_collapse(e, 1, 2));
	xt_expect_ids(fx->w, e, "OR(quick lazy power)", (unsigned[]){ 5, 1, 3, 2, 4, 0 });
	EQOK(e, xap_enquire_set_collapse(e, -1, 0));
	xt_expect_ids(fx->w, e, "FILTER(* Ca)", (unsigned[]){ 1, 3, 0 });
	xap_enquire_destroy(e);
}

static void test_matching_terms_and_eset(void **state)
{
	fixture_t *fx = *state;
	xap_enquire_t *e = NULL;
	char *err = NULL;
	OK(xap_enquire_new(fx->w, &e, &err), err);
	xap_query_t *q = xt_query("OR(zebra quick lazy dog)");
	EQOK(e, xap_enquire_set_query(e, q));
	xap_query_destroy(q);
	xap_termlist_t *tl;
	char got[512];
	EQOK(e, xap_enquire_matching_terms(e, 1, &tl));
	xt_termlist_string(tl, got, sizeof got, 'w');
	assert_string_equal(got, "dog:0 lazy:0 quick:0");
	EQOK(e, xap_enquire_matching_terms(e, 5, &tl));
	xt_termlist_string(tl, got, sizeof got, 'w');
	assert_string_equal(got, "");

	/* expand from docs 2 and 4: words they share rank first, query terms
	 * are left out, weights do not increase */
	q = xt_query("brown");
	EQOK(e, xap_enquire_set_query(e, q));
	xap_query_destroy(q);
	EQOK(e, xap_enquire_eset(e, (const unsigned[]){ 2, 4 }, 2, 3, &tl));
	const char *t;
	size_t len;
	double prev = 1e300, wt;
	size_t n = 0;
	int saw_quick = 0;
	while (xap_termlist_next(tl, &t, &len)) {
		xap_termlist_current(tl, NULL, NULL, &wt);
		assert_true(wt > 0 && wt <= prev);
		prev = wt;
		assert_false(len == 5 && !memcmp(t, "brown", 5));
		saw_quick |= len == 5 && !memcmp(t, "quick", 5);
		n++;
	}
	OK(xap_termlist_status(tl), xap_termlist_errmsg(tl));
	xap_termlist_destroy(tl);
	assert_int_equal(n, 3);
	assert_true(saw_quick);
	xap_enquire_destroy(e);
}

static void test_spelling(void **state)
{
	fixture_t *fx = *state;
	xap_db_t *w = fx->w;
	DBOK(w, xap_db_add_spelling(w, "search", 3));
	DBOK(w, xap_db_add_spelling(w, "starch", 1));
	DBOK(w, xap_db_commit(w));
	static const struct { const char *word, *want; } cases[] = {
		{ "serach", "search" }, { "saerch", "search" }, { "starhc", "starch" },
		{ "xyzzy", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *s;
		DBOK(w, xap_db_spelling_suggestion(w, cases[i].word, 2, &s));
		assert_string_equal(s, cases[i].want);
		free(s);
	}
}

static const char *const rank_specs[] = {
	"quick", "OR(lazy brown power)", "PHRASE(quick brown)", "OR(cat cow fox)",
};

/* Two shards searched together rank exactly as one db with the same docs. */
static void test_combined_db(void **state)
{
	fixture_t *fx = *state;
	char *pa = tu_path(fx->dir, "a"), *pb = tu_path(fx->dir, "b");
	xap_db_t *wa = xt_make_db(pa, (const unsigned[]){ 1, 3, 5, 0 });
	xap_db_t *wb = xt_make_db(pb, (const unsigned[]){ 2, 4, 0 });
	xap_db_t *ra = NULL, *rb = NULL, *comb = NULL;
	char *err = NULL;
	OK(xap_db_open_read(pa, &ra, &err), err);
	OK(xap_db_open_read(pb, &rb, &err), err);
	OK(xap_db_new_combined(&comb, &err), err);
	DBOK(comb, xap_db_add(comb, ra));
	DBOK(comb, xap_db_add(comb, rb));
	xap_db_destroy(ra); /* comb keeps its own references */
	xap_db_destroy(rb);
	unsigned n;
	DBOK(comb, xap_db_doc_count(comb, &n));
	assert_int_equal(n, 5);
	for (size_t i = 0; i < sizeof rank_specs / sizeof *rank_specs; i++) {
		char one[1024], two[1024];
		xt_ranking(fx->w, rank_specs[i], one, sizeof one);
		xt_ranking(comb, rank_specs[i], two, sizeof two);
		assert_true(strlen(one) > 0);
		assert_string_equal(one, two);
	}
	uint64_t rev;
	assert_failed(xap_db_revision(comb, &rev), XAP_INVALID, xap_db_errmsg(comb));
	assert_failed(xap_db_add(wa, comb), XAP_INVALID, xap_db_errmsg(wa));
	xap_db_destroy(comb);
	xap_db_destroy(wa);
	xap_db_destroy(wb);
	free(pa);
	free(pb);
}

/* Two dbs compacted into one hold every doc and rank as the original. */
static void test_compact_and_check(void **state)
{
	fixture_t *fx = *state;
	char *pa = tu_path(fx->dir, "a"), *pb = tu_path(fx->dir, "b");
	xap_db_destroy(xt_make_db(pa, (const unsigned[]){ 1, 2, 0 }));
	xap_db_destroy(xt_make_db(pb, (const unsigned[]){ 3, 4, 5, 0 }));
	const char *srcs[] = { pa, pb };
	for (int multipass = 0; multipass <= 1; multipass++) {
		char name[16];
		snprintf(name, sizeof name, "out%d", multipass);
		char *dest = tu_path(fx->dir, name);
		char *err = NULL;
		OK(xap_compact(srcs, 2, dest, multipass, &err), err);
		xap_db_t *r = NULL;
		OK(xap_db_open_read(dest, &r, &err), err);
		unsigned n;
		DBOK(r, xap_db_doc_count(r, &n));
		assert_int_equal(n, 5);
		for (size_t i = 0; i < sizeof rank_specs / sizeof *rank_specs; i++) {
			char one[1024], two[1024];
			xt_ranking(fx->w, rank_specs[i], one, sizeof one);
			xt_ranking(r, rank_specs[i], two, sizeof two);
			assert_string_equal(one, two);
		}
		xap_db_destroy(r);
		size_t errors = 99;
		OK(xap_db_check(dest, &errors, &err), err);
		assert_int_equal(errors, 0);
		assert_null(err);
		free(dest);
	}
	size_t errors = 99;
	char *err = NULL;
	DBOK(fx->w, xap_db_commit(fx->w));
	OK(xap_db_check(pa, &errors, &err), err);
	assert_int_equal(errors, 0);
	/* compacting into an existing database's place is refused */
	assert_failed(xap_compact(srcs, 2, pa, 0, &err), XAP_INVALID, err);
	free(err);
	free(pa);
	free(pb);
}

/* A port nobody listens on right now (the kernel's pick). */
static unsigned free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

/* Search through xapian-tcpsrv (skipped when it is not installed), and
 * fail cleanly when nothing listens. */
static void test_remote(void **state)
{
	fixture_t *fx = *state;
	unsigned port = free_port();
	xap_db_t *r = NULL;
	char *err = NULL;
	assert_failed(xap_db_open_remote("127.0.0.1", port, 2000, &r, &err), XAP_ENGINE, err);
	assert_null(r);
	free(err);
	err = NULL;
	if (access("/usr/bin/xapian-tcpsrv", X_OK) != 0)
		skip();
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%u", port);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* its own process group: on SIGTERM it signals its whole group */
		setpgid(0, 0);
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execl("/usr/bin/xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--interface",
		      "127.0.0.1", "--port", portstr, fx->path, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	fx->server = pid;
	xap_status_t st = XAP_ENGINE;
	for (int i = 0; i < 100 && st != XAP_OK; i++) { /* up to 5 s to start */
		usleep(50000);
		free(err);
		err = NULL;
		st = xap_db_open_remote("127.0.0.1", port, 5000, &r, &err);
	}
	OK(st, err);
	for (size_t i = 0; i < sizeof rank_specs / sizeof *rank_specs; i++) {
		char one[1024], two[1024];
		xt_ranking(fx->w, rank_specs[i], one, sizeof one);
		xt_ranking(r, rank_specs[i], two, sizeof two);
		assert_string_equal(one, two);
	}
	xap_db_destroy(r);
}

/* ------------------------------------------------------------ real failures */

static void test_two_writers(void **state)
{
	fixture_t *fx = *state;
	xap_db_t *w2 = NULL;
	char *err = NULL;
	double t0 = xt_now_ms();
	assert_failed(xap_db_open_write(fx->path, XAP_DB_CREATE_OR_OPEN, 0, &w2, &err),
		      XAP_BUSY, err);
	assert_true(xt_now_ms() - t0 < 1000);
	assert_null(w2);
	assert_non_null(strstr(err, fx->path));
	free(err);

	t0 = xt_now_ms();
	assert_failed(xap_db_open_write(fx->path, XAP_DB_OPEN, 300, &w2, &err), XAP_BUSY, err);
	double waited = xt_now_ms() - t0;
	assert_true(waited >= 290 && waited < 1500);
	assert_non_null(strstr(err, fx->path));
	free(err);

	/* once the first writer is gone the lock is free */
	xap_db_destroy(fx->w);
	fx->w = NULL;
	OK(xap_db_open_write(fx->path, XAP_DB_OPEN, 0, &fx->w, &err), err);
	/* a reader is never blocked by a writer */
	xap_db_t *r = NULL;
	OK(xap_db_open_read(fx->path, &r, &err), err);
	xap_db_destroy(r);
}

static void test_missing_path(void **state)
{
	fixture_t *fx = *state;
	char *path = tu_path(fx->dir, "nothing/here");
	xap_db_t *db = NULL;
	char *err = NULL;
	xap_status_t st = xap_db_open_read(path, &db, &err);
	assert_true(st == XAP_NOT_FOUND || st == XAP_ENGINE);
	assert_failed(st, st, err);
	assert_null(db);
	free(err);
	st = xap_db_open_write(path, XAP_DB_OPEN, 0, &db, &err);
	assert_true(st == XAP_NOT_FOUND || st == XAP_ENGINE);
	assert_failed(st, st, err);
	free(err);
	/* creating where a database exists */
	assert_failed(xap_db_open_write(fx->path, XAP_DB_CREATE, 0, &db, &err), XAP_ENGINE, err);
	free(err);
	assert_failed(xap_db_open_write(path, 77, 0, &db, &err), XAP_INVALID, err);
	free(err);
	size_t errors;
	st = xap_db_check(path, &errors, &err);
	assert_true(st == XAP_NOT_FOUND || st == XAP_ENGINE);
	assert_failed(st, st, err);
	free(err);
	free(path);
}

/* A table cut down to a few bytes: every way in reports it, none crashes. */
static void test_truncated_table(void **state)
{
	fixture_t *fx = *state;
	xap_db_destroy(fx->w);
	fx->w = NULL;
	char *table = tu_path(fx->path, "postlist.glass");
	assert_int_equal(truncate(table, 10), 0);
	free(table);

	xap_db_t *r = NULL;
	char *err = NULL;
	xap_status_t st = xap_db_open_read(fx->path, &r, &err);
	if (st == XAP_OK) { /* glass opens lazily: the search must fail */
		xap_enquire_t *e = NULL;
		OK(xap_enquire_new(r, &e, &err), err);
		xap_query_t *q = xt_query("quick");
		EQOK(e, xap_enquire_set_query(e, q));
		xap_query_destroy(q);
		xap_mset_t *m = NULL;
		st = xap_enquire_mset(e, 0, 10, 0, &m);
		assert_true(st == XAP_CORRUPT || st == XAP_ENGINE);
		assert_failed(st, st, xap_enquire_errmsg(e));
		assert_null(m);
		xap_enquire_destroy(e);
		xap_db_destroy(r);
	} else {
		assert_true(st == XAP_CORRUPT || st == XAP_ENGINE);
		assert_failed(st, st, err);
		free(err);
	}
	size_t errors = 0;
	err = NULL;
	st = xap_db_check(fx->path, &errors, &err);
	assert_true(st != XAP_OK || errors > 0);
	assert_non_null(err);
	assert_true(strlen(err) > 0);
	free(err);
}

static void test_misuse(void **state)
{
	fixture_t *fx = *state;
	xap_db_t *w = fx->w;
	xap_doc_t *doc = NULL;
	assert_failed(xap_db_get_doc(w, 999, &doc), XAP_NOT_FOUND, xap_db_errmsg(w));
	assert_failed(xap_db_get_doc(w, 0, &doc), XAP_INVALID, xap_db_errmsg(w));

	xap_enquire_t *e = NULL;
	char *err = NULL;
	OK(xap_enquire_new(w, &e, &err), err);
	xap_mset_t *m = NULL;
	assert_failed(xap_enquire_mset(e, 0, 10, 0, &m), XAP_INVALID, xap_enquire_errmsg(e));
	/* a wildcard over its expansion limit, when asked to fail */
	xap_query_t *q = xap_query_wildcard_limit("Q", 1, 2, XAP_WILDCARD_ERROR);
	EQOK(e, xap_enquire_set_query(e, q));
	xap_query_destroy(q);
	assert_failed(xap_enquire_mset(e, 0, 10, 0, &m), XAP_BAD_QUERY, xap_enquire_errmsg(e));
	assert_null(m);
	/* ... and the default keeps the most frequent terms instead */
	unsigned ids[16];
	assert_int_equal(xt_run(w, e, "WILD2(C)", ids, NULL), 4); /* Ca, Cb: 2 docs each */

	q = xt_query("quick");
	EQOK(e, xap_enquire_set_query(e, q));
	xap_query_destroy(q);
	EQOK(e, xap_enquire_mset(e, 0, 10, 0, &m));
	assert_failed(xap_mset_item(m, 3, ids, NULL), XAP_INVALID, xap_mset_errmsg(m));
	assert_failed(xap_mset_doc(m, 7, &doc), XAP_INVALID, xap_mset_errmsg(m));
	xap_mset_destroy(m);
	xap_enquire_destroy(e);

	assert_failed(xap_db_set_metadata(w, "", "x", 1), XAP_INVALID, xap_db_errmsg(w));
	assert_failed(xap_db_term_freq(w, NULL, 4, ids), XAP_INVALID, xap_db_errmsg(w));
	xap_stem_t *st = NULL;
	assert_failed(xap_stem_new("klingon", &st, &err), XAP_INVALID, err);
	free(err);
	assert_non_null(strstr(xap_stem_languages(), "english"));
}

/* A NULL handle is an XAP_INTERNAL status, never a crash. */
static void test_null_handles(void **state)
{
	(void)state;
	unsigned u;
	const char *s;
	size_t len;
	assert_int_equal(xap_db_commit(NULL), XAP_INTERNAL);
	assert_int_equal(xap_db_doc_count(NULL, &u), XAP_INTERNAL);
	assert_int_equal(xap_db_add_doc(NULL, NULL, &u), XAP_INTERNAL);
	assert_int_equal(xap_db_reopen(NULL), XAP_INTERNAL);
	assert_int_equal(xap_doc_add_posting(NULL, "a", 1, 1, 1), XAP_INTERNAL);
	assert_int_equal(xap_doc_get_data(NULL, &s, &len), XAP_INTERNAL);
	assert_int_equal(xap_enquire_mset(NULL, 0, 1, 0, NULL), XAP_INTERNAL);
	assert_int_equal(xap_mset_item(NULL, 0, &u, NULL), XAP_INTERNAL);
	assert_int_equal(xap_stem_word(NULL, "a", 1, &s, &len), XAP_INTERNAL);
	assert_int_equal(xap_termlist_next(NULL, &s, &len), 0);
	assert_int_equal(xap_termlist_status(NULL), XAP_INTERNAL);
	assert_int_equal(xap_mset_size(NULL), 0);
	assert_string_equal(xap_db_errmsg(NULL), "");
	assert_int_equal(xap_doc_new(NULL), XAP_INVALID);
	assert_int_equal(xap_db_open_read(NULL, NULL, NULL), XAP_INVALID);
	xap_db_t *db = NULL;
	char *err = NULL;
	assert_failed(xap_db_add(NULL, db), XAP_INTERNAL, "-");
	assert_failed(xap_enquire_new(NULL, NULL, &err), XAP_INVALID, err);
	free(err);
	xap_db_destroy(NULL);
	xap_doc_destroy(NULL);
	xap_query_destroy(NULL);
	xap_enquire_destroy(NULL);
	xap_mset_destroy(NULL);
	xap_termlist_destroy(NULL);
	xap_stem_destroy(NULL);
	assert_string_equal(xap_status_str(XAP_BUSY), "busy");
	assert_string_equal(xap_status_str((xap_status_t)42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_doc_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statistics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_and_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queries, setup, teardown),
		cmocka_unit_test(test_query_handles),
		cmocka_unit_test_setup_teardown(test_bm25_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_and_collapse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_matching_terms_and_eset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spelling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_combined_db, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_and_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse, setup, teardown),
		cmocka_unit_test(test_null_handles),
	};
	return cmocka_run_group_tests_name("binding", tests, NULL, NULL);
}
