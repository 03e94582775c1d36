/* test_eval.c - lode_eval_*: figures computed by hand on small tables, the
 * conventions trec_eval -c and shared/ir/ireval.py follow (tie-breaking,
 * duplicates, depth, which queries count, gain maps), and the errors a user
 * sees for bad files and options. The agreement with ireval.py on the shared
 * collections is checked by tests/cli/test-eval.sh. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers/testutil.h"
#include "lode.h"

static int setup(void **state)
{
	char *dir = tu_mkdtemp();
	if (!dir)
		return -1;
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	tu_rmtree(*state);
	free(*state);
	return 0;
}

/* Write TEXT to DIR/NAME; the malloc'd path. */
static char *put(void **state, const char *name, const char *text)
{
	char *p = tu_write(*state, name, text, strlen(text));
	assert_non_null(p);
	return p;
}

#define assert_near(got, want)                                                                 \
	do {                                                                                   \
		double g_ = (got), w_ = (want);                                                \
		if (!(fabs(g_ - w_) < 1e-9)) {                                                 \
			print_error("%s = %.9f, want %.9f\n", #got, g_, w_);                    \
			fail();                                                                \
		}                                                                              \
	} while (0)

/* Evaluate QRELS and RUN (file contents) with METRICS and GAIN_MAP; must succeed. */
static lode_eval_t *eval_text(void **state, const char *qrels, const char *run,
			      const char *metrics, const char *gain_map)
{
	char *qp = put(state, "qrels", qrels), *rp = put(state, "run", run);
	lode_eval_t *e = NULL;
	char *msg = NULL;
	lode_status_t st = lode_eval_run(qp, rp, metrics, gain_map, &e, &msg);
	if (st != LODE_OK)
		print_error("lode_eval_run: %s\n", msg ? msg : "(no message)");
	assert_int_equal(st, LODE_OK);
	assert_null(msg);
	assert_non_null(e);
	free(qp);
	free(rp);
	return e;
}

/* ------------------------------------------------------------ by hand */

/* Three judged queries; q4 has no relevant document, q5 is only in the run. */
static const char hand_qrels[] = "q1 0 d1 1\n"
				 "q1 0 d2 2\n"
				 "q1 0 d3 0\n"
				 "q1 0 d4 1\n"
				 "q2 0 d5 1\n"
				 "q2 0 d6 3\n"
				 "q3 0 d7 1\n"
				 "q4 0 d8 0\n";
/* The rank column is deliberately wrong: only the scores order documents. */
static const char hand_run[] = "q1 Q0 d3 1 6.0 t\n"
			       "q1 Q0 d1 2 7.0 t\n"
			       "q1 Q0 d9 3 8.0 t\n"
			       "q1 Q0 d2 4 9.0 t\n"
			       "q2 Q0 d5 1 5.0 t\n"
			       "q2 Q0 d8 2 5.0 t\n"
			       "q2 Q0 d6 3 1.0 t\n"
			       "q4 Q0 d8 1 1.0 t\n"
			       "q5 Q0 d1 1 1.0 t\n";

/*
 * q1 ranks d2(2) d9(-) d1(1) d3(0); relevant: d1 d2 d4 (3; d4 never retrieved).
 *   P@2 = 1/2; recall@2 = 1/3, recall@3 = 2/3; MRR = 1/1;
 *   AP = (1/1 + 2/3) / 3 = 5/9; AP@2 = (1/1) / 3 = 1/3;
 *   DCG@3 = 2/log2(2) + 1/log2(4) = 2.5; ideal gains 2 1 1 0:
 *   IDCG@3 = 2 + 1/log2(3) + 1/log2(4); nDCG@3 = 2.5 / 3.1309 = 0.79849.
 * q2: d5 and d8 tie at 5.0, docid descending puts d8 first: d8(-) d5(1) d6(3);
 *   relevant d5 d6 (2). P@2 = 1/2; recall@2 = 1/2, recall@3 = 1; MRR = 1/2;
 *   AP = (1/2 + 2/3) / 2 = 7/12; AP@2 = (1/2) / 2 = 1/4;
 *   DCG@3 = 1/log2(3) + 3/log2(4); IDCG@3 = 3/1 + 1/log2(3); nDCG@3 = 0.58688.
 * q3 is not in the run: 0 everywhere, and it still counts (trec_eval -c).
 * q4 (no relevant document) and q5 (not judged) count nowhere: num_q = 3.
 */
#define Q1_NDCG3 (2.5 / (2 + 1 / log2(3) + 0.5))
#define Q2_NDCG3 ((1 / log2(3) + 1.5) / (3 + 1 / log2(3)))

static const struct {
	const char *metric;
	double q1, q2, q3;
} hand_cases[] = {
	{ "p@2", 1.0 / 2, 1.0 / 2, 0 },
	{ "P.2", 1.0 / 2, 1.0 / 2, 0 },
	{ "recall@2", 1.0 / 3, 1.0 / 2, 0 },
	{ "recall.3", 2.0 / 3, 1.0, 0 },
	{ "mrr", 1.0, 1.0 / 2, 0 },
	{ "recip_rank", 1.0, 1.0 / 2, 0 },
	{ "mrr@1", 1.0, 0, 0 },
	{ "map", 5.0 / 9, 7.0 / 12, 0 },
	{ "map@2", 1.0 / 3, 1.0 / 4, 0 },
	{ "map_cut.2", 1.0 / 3, 1.0 / 4, 0 },
	{ "ndcg@3", Q1_NDCG3, Q2_NDCG3, 0 },
	{ "ndcg_cut.3", Q1_NDCG3, Q2_NDCG3, 0 },
	/* Cut at 1: q1's d2 (gain 2) is the ideal first; q2's d8 gains nothing. */
	{ "ndcg@1", 1.0, 0, 0 },
};

static void test_hand_computed(void **state)
{
	for (size_t i = 0; i < sizeof hand_cases / sizeof *hand_cases; i++) {
		lode_eval_t *e = eval_text(state, hand_qrels, hand_run, hand_cases[i].metric, NULL);
		assert_int_equal(lode_eval_n_metrics(e), 1);
		assert_string_equal(lode_eval_metric_name(e, 0), hand_cases[i].metric);
		assert_int_equal(lode_eval_n_queries(e), 3);
		assert_string_equal(lode_eval_query_id(e, 0), "q1");
		assert_string_equal(lode_eval_query_id(e, 1), "q2");
		assert_string_equal(lode_eval_query_id(e, 2), "q3");
		assert_near(lode_eval_value(e, 0, 0), hand_cases[i].q1);
		assert_near(lode_eval_value(e, 1, 0), hand_cases[i].q2);
		assert_near(lode_eval_value(e, 2, 0), hand_cases[i].q3);
		assert_near(lode_eval_mean(e, 0),
			    (hand_cases[i].q1 + hand_cases[i].q2 + hand_cases[i].q3) / 3);
		lode_eval_free(e);
	}
}

/* The means of the default list, in its order. */
static void test_default_metrics(void **state)
{
	static const char *const names[] = { "ndcg@10", "map", "recall@100", "p@30", "mrr" };
	lode_eval_t *e = eval_text(state, hand_qrels, hand_run, NULL, NULL);
	assert_int_equal(lode_eval_n_metrics(e), 5);
	for (size_t m = 0; m < 5; m++)
		assert_string_equal(lode_eval_metric_name(e, m), names[m]);
	/* Nothing retrieved below rank 3, so the @10 and @100 figures are the @3 ones. */
	assert_near(lode_eval_mean(e, 0), (Q1_NDCG3 + Q2_NDCG3) / 3);
	assert_near(lode_eval_mean(e, 1), (5.0 / 9 + 7.0 / 12) / 3);
	assert_near(lode_eval_mean(e, 2), (2.0 / 3 + 1) / 3);
	assert_near(lode_eval_mean(e, 3), (2.0 / 30 + 2.0 / 30) / 3);
	assert_near(lode_eval_mean(e, 4), (1 + 0.5) / 3);
	/* Past the ends: nothing, not a crash. */
	assert_null(lode_eval_metric_name(e, 5));
	assert_null(lode_eval_query_id(e, 3));
	assert_true(isnan(lode_eval_value(e, 3, 0)));
	assert_true(isnan(lode_eval_mean(e, 5)));
	lode_eval_free(e);
	lode_eval_free(NULL);
}

/* ------------------------------------------------------------ conventions */

static void test_conventions(void **state)
{
	static const struct {
		const char *what, *qrels, *run, *metric, *gain_map;
		double want; /* the single query's figure */
	} cases[] = {
		{ "numeric docids tie: strcmp descending puts 9 before 10", "1 0 10 1\n",
		  "1 Q0 10 1 2.5 t\n1 Q0 9 2 2.5 t\n", "mrr", NULL, 0.5 },
		{ "a docid listed twice keeps its best place", "1 0 a 1\n1 0 b 1\n",
		  "1 Q0 a 1 9 t\n1 Q0 c 2 8 t\n1 Q0 a 3 7 t\n1 Q0 b 4 6 t\n", "p@3", NULL,
		  2.0 / 3 },
		{ "a later judgment of the same document wins", "1 0 a 1\n1 0 b 1\n1 0 a 0\n",
		  "1 Q0 a 1 9 t\n", "mrr", NULL, 0 },
		{ "unjudged and negative values are not relevant", "1 0 a -1\n1 0 b 1\n",
		  "1 Q0 a 1 9 t\n1 Q0 x 2 8 t\n1 Q0 b 3 7 t\n", "mrr", NULL, 1.0 / 3 },
		{ "negative gains count 0 in nDCG", "1 0 a -1\n1 0 b 1\n", "1 Q0 b 1 9 t\n",
		  "ndcg@5", NULL, 1.0 },
		{ "the gain map applies first (Cranfield: -1 best)",
		  "1 0 a -1\n1 0 b 1\n1 0 c 4\n", "1 Q0 c 1 9 t\n1 Q0 a 2 8 t\n", "ndcg@2",
		  "-1:5,1:4,2:3,3:2,4:1", (1 + 5 / log2(3)) / (5 + 4 / log2(3)) },
		{ "a gain mapped below 1 is not relevant", "1 0 a 1\n1 0 b 2\n",
		  "1 Q0 a 1 9 t\n", "mrr", "1:0", 0 },
		{ "a later gain map entry wins", "1 0 a 1\n1 0 b 2\n", "1 Q0 a 1 9 t\n", "mrr",
		  "1:0, 1:3", 1 },
		{ "relevance values are truncated", "1 0 a 0.9\n1 0 b 2.7\n",
		  "1 Q0 a 1 9 t\n1 Q0 b 2 8 t\n", "mrr", NULL, 0.5 },
		{ "BEIR qrels with a header", "query-id\tcorpus-id\tscore\n1\ta\t1\n",
		  "1 Q0 x 1 9 t\n1 Q0 a 2 8 t\n", "mrr", NULL, 0.5 },
		{ "BEIR qrels without a header, blank lines, CRLF", "\n1\ta\t1\r\n\n",
		  "1 Q0 a 1 9 t\r\n\r\n", "mrr", NULL, 1 },
		{ "scores in any float notation", "1 0 a 1\n",
		  "1 Q0 b 1 1e2 t\n1 Q0 a 2 -inf t\n1 Q0 c 3 +5.5 t\n", "mrr", NULL, 1.0 / 3 },
		{ "extra run columns are ignored", "1 0 a 1\n", "1 Q0 a 1 9 t extra more\n",
		  "mrr", NULL, 1 },
		{ "a byte-order mark before the header", "\xEF\xBB\xBFqid\titer\tdoc\trel\n1 0 a 1\n",
		  "1 Q0 a 1 9 t\n", "mrr", NULL, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		lode_eval_t *e = eval_text(state, cases[i].qrels, cases[i].run, cases[i].metric,
					   cases[i].gain_map);
		if (lode_eval_n_queries(e) != 1 || fabs(lode_eval_value(e, 0, 0) - cases[i].want) > 1e-9) {
			print_error("%s: %zu queries, value %.6f, want %.6f\n", cases[i].what,
				    lode_eval_n_queries(e), lode_eval_value(e, 0, 0), cases[i].want);
			fail();
		}
		lode_eval_free(e);
	}
}

/* Only the first 1000 distinct documents of a ranking count. */
static void test_depth(void **state)
{
	char *run = malloc(1002 * 40);
	assert_non_null(run);
	size_t n = 0;
	for (int i = 1; i <= 1001; i++)
		n += (size_t)sprintf(run + n, "1 Q0 d%d %d %d t\n", i, i, 5000 - i);
	static const struct {
		const char *qrels;
		double want;
	} cases[] = {
		{ "1 0 d1000 1\n", 1 },
		{ "1 0 d1001 1\n", 0 },
	};
	for (size_t i = 0; i < 2; i++) {
		lode_eval_t *e = eval_text(state, cases[i].qrels, run, "recall@2000", NULL);
		assert_near(lode_eval_value(e, 0, 0), cases[i].want);
		lode_eval_free(e);
	}
	/* A duplicate does not use up a place. */
	n += (size_t)sprintf(run + n, "1 Q0 d1 0 1 t\n");
	lode_eval_t *e = eval_text(state, "1 0 d1000 1\n", run, "recall@2000", NULL);
	assert_near(lode_eval_value(e, 0, 0), 1);
	lode_eval_free(e);
	free(run);
}

/* Queries come out shorter ids first, then bytewise (ireval.py's order). */
static void test_query_order(void **state)
{
	lode_eval_t *e = eval_text(state, "10 0 a 1\n9 0 a 1\nb 0 a 1\n2 0 a 1\n",
				   "9 Q0 a 1 1 t\n", "map", NULL);
	static const char *const want[] = { "2", "9", "b", "10" };
	assert_int_equal(lode_eval_n_queries(e), 4);
	for (size_t q = 0; q < 4; q++)
		assert_string_equal(lode_eval_query_id(e, q), want[q]);
	assert_near(lode_eval_value(e, 1, 0), 1);
	assert_near(lode_eval_mean(e, 0), 0.25);
	lode_eval_free(e);
}

/* No query with a relevant document: no rows, means 0. */
static void test_nothing_to_average(void **state)
{
	lode_eval_t *e = eval_text(state, "1 0 a 0\n", "", "map,p@5", NULL);
	assert_int_equal(lode_eval_n_queries(e), 0);
	assert_near(lode_eval_mean(e, 0), 0);
	assert_near(lode_eval_mean(e, 1), 0);
	lode_eval_free(e);
}

/* ------------------------------------------------------------ errors */

static void test_errors(void **state)
{
	static const struct {
		const char *qrels, *run, *metrics, *gain_map;
		lode_status_t st;
		const char *msg; /* "Q:" and "R:" stand for the two paths */
	} cases[] = {
		{ "1 0 a 1\n\n1 0 b\n", "", NULL, NULL, LODE_INVALID,
		  "Q:3: expected 'qid 0 docid rel'" },
		{ "1 0 a 1 x\n", "", NULL, NULL, LODE_INVALID, "Q:1: expected 'qid 0 docid rel'" },
		{ "1 0 a 1\nqid 0 b rel\n", "", NULL, NULL, LODE_INVALID,
		  "Q:2: relevance 'rel' is not a number" },
		{ "1 0 a nan\n", "", NULL, NULL, LODE_INVALID,
		  "Q:1: relevance 'nan' is not a number" },
		{ "1 0 a 1e20\n", "", NULL, NULL, LODE_INVALID,
		  "Q:1: relevance '1e20' is out of range" },
		{ "1\ta\t1\n1\tb\tx\n", "", NULL, NULL, LODE_INVALID, "Q:2: expected 'qid 0 docid rel'" },
		{ "1 0 a 1\n", "1 Q0 a 1 9\n", NULL, NULL, LODE_INVALID,
		  "R:1: expected 'qid Q0 docid rank score tag'" },
		{ "1 0 a 1\n", "1 Q0 a 1 9 t\n1 Q0 b 2.0 8 t\n", NULL, NULL, LODE_INVALID,
		  "R:2: rank '2.0' is not an integer" },
		{ "1 0 a 1\n", "1 Q0 a 1 high t\n", NULL, NULL, LODE_INVALID,
		  "R:1: score 'high' is not a number" },
		{ "1 0 a 1\n", "7 Q0 a 1 NaN t\n", NULL, NULL, LODE_INVALID,
		  "R:1: score 'NaN' is not a number" },
		{ "1 0 a 1\n", "", "ndcg@10,bleu", NULL, LODE_INVALID,
		  "unknown metric 'bleu' (known: ndcg@K, map, map@K, recall@K, p@K, mrr, "
		  "or trec_eval's ndcg_cut.K, map_cut.K, recall.K, P.K, recip_rank)" },
		{ "1 0 a 1\n", "", "p", NULL, LODE_INVALID, "metric 'p' needs a cutoff, e.g. p@10" },
		{ "1 0 a 1\n", "", "recall.", NULL, LODE_INVALID,
		  "bad cutoff in metric 'recall.': expected a whole number from 1 to 100000000" },
		{ "1 0 a 1\n", "", "P.0", NULL, LODE_INVALID,
		  "bad cutoff in metric 'P.0': expected a whole number from 1 to 100000000" },
		{ "1 0 a 1\n", "", "ndcg@+5", NULL, LODE_INVALID,
		  "bad cutoff in metric 'ndcg@+5': expected a whole number from 1 to 100000000" },
		{ "1 0 a 1\n", "", "map, map", NULL, LODE_INVALID, "metric 'map' is listed twice" },
		{ "1 0 a 1\n", "", " , ", NULL, LODE_INVALID, "no metric in ' , '" },
		{ "1 0 a 1\n", "", NULL, "1:4,", LODE_INVALID,
		  "bad gain map entry '' in '1:4,': expected JUDGED:GAIN pairs such as -1:0,1:4" },
		{ "1 0 a 1\n", "", NULL, "one:4", LODE_INVALID,
		  "bad gain map entry 'one:4' in 'one:4': expected JUDGED:GAIN pairs such as "
		  "-1:0,1:4" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *qp = put(state, "q.txt", cases[i].qrels);
		char *rp = put(state, "r.txt", cases[i].run);
		char want[512];
		const char *w = cases[i].msg;
		if (w[0] == 'Q' && w[1] == ':')
			snprintf(want, sizeof want, "%s%s", qp, w + 1);
		else if (w[0] == 'R' && w[1] == ':')
			snprintf(want, sizeof want, "%s%s", rp, w + 1);
		else
			snprintf(want, sizeof want, "%s", w);
		lode_eval_t *e = (lode_eval_t *)&e;
		char *msg = NULL;
		lode_status_t st =
			lode_eval_run(qp, rp, cases[i].metrics, cases[i].gain_map, &e, &msg);
		assert_int_equal(st, cases[i].st);
		assert_null(e);
		assert_non_null(msg);
		assert_string_equal(msg, want);
		lode_free(msg);
		/* And without a message wanted. */
		assert_int_equal(lode_eval_run(qp, rp, cases[i].metrics, cases[i].gain_map, &e,
					       NULL),
				 cases[i].st);
		free(qp);
		free(rp);
	}
}

static void test_unreadable(void **state)
{
	char *qp = put(state, "qrels", "1 0 a 1\n");
	char *missing = tu_path(*state, "no-such-run");
	lode_eval_t *e;
	char *msg;
	assert_int_equal(lode_eval_run(qp, missing, NULL, NULL, &e, &msg), LODE_IO);
	assert_null(e);
	char want[512];
	snprintf(want, sizeof want, "%s: No such file or directory", missing);
	assert_string_equal(msg, want);
	lode_free(msg);

	/* A directory opens but cannot be read. */
	assert_int_equal(lode_eval_run(*state, qp, NULL, NULL, &e, &msg), LODE_IO);
	snprintf(want, sizeof want, "%s: Is a directory", (char *)*state);
	assert_string_equal(msg, want);
	lode_free(msg);

	/* A binary file is refused at its first NUL byte. */
	static const char binary[] = "1 0 a 1\n1 0 \0\1\2 1\n";
	char *bin = tu_write(*state, "bin", binary, sizeof binary - 1);
	assert_int_equal(lode_eval_run(bin, qp, NULL, NULL, &e, &msg), LODE_INVALID);
	snprintf(want, sizeof want, "%s:2: NUL byte in the line (not a text file?)", bin);
	assert_string_equal(msg, want);
	lode_free(msg);
	free(bin);

	assert_int_equal(lode_eval_run("-", "-", NULL, NULL, &e, &msg), LODE_INVALID);
	assert_string_equal(msg, "the qrels and the run cannot both be stdin");
	lode_free(msg);
	free(qp);
	free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hand_computed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conventions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_to_average, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
