/* test_index.c - liblode's index as a library user meets it (include/lode.h
 * only): a new index is searchable at once, the stop flag commits what is
 * done, a second writer is told the index is busy, verification of a sound
 * index, and each file's outcome through the callbacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lode.h"
#include "helpers/testutil.h"

#define NFILES 40

struct fixture {
	char *dir;      /* scratch directory */
	char *corpus;   /* dir/c: NFILES small articles */
	char *idx;      /* dir/idx: not created yet */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_mkdtemp()))
		return -1;
	f->corpus = tu_path(f->dir, "c");
	f->idx = tu_path(f->dir, "idx");
	char name[64], text[256];
	for (int i = 0; i < NFILES; i++) {
		snprintf(name, sizeof name, "c/d%d/a%02d.txt", i % 4, i);
		int n = snprintf(text, sizeof text,
				 "Article number %d\n\ncorpusall word%d about harbours and tides.\n", i, i);
		free(tu_write(f->dir, name, text, (size_t)n));
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->corpus);
	free(f->idx);
	free(f);
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Matches of QUERY in the index at PATH, counted exactly, through a fresh
 * search handle (as another process would see it). */
static uint64_t count_of(const char *path, const char *query)
{
	lode_search_t *s = NULL;
	char *em = NULL;
	const char *src[] = { path };
	lode_status_t st = lode_search_open(src, 1, 0, &s, &em);
	if (st != LODE_OK)
		fail_msg("lode_search_open(%s): %s: %s", path, lode_status_str(st), em ? em : "");
	lode_query_opts_t o;
	lode_query_opts_init(&o);
	o.exact_count = 1;
	lode_results_t *r = NULL;
	assert_int_equal(lode_search_run(s, query, &o, &r), LODE_OK);
	uint64_t n = lode_results_total(r);
	assert_true(lode_results_count(r) <= n);
	lode_results_free(r);
	lode_search_close(s);
	return n;
}

static uint64_t docs_of(const char *path)
{
	lode_stats_t st;
	char *em = NULL;
	lode_status_t rc = lode_stats_get(path, &st, &em);
	if (rc != LODE_OK)
		fail_msg("lode_stats_get(%s): %s", path, em ? em : lode_status_str(rc));
	uint64_t n = st.documents;
	lode_stats_free(&st);
	return n;
}

static void report_count(void *ctx, const char *line)
{
	(void)line;
	++*(unsigned *)ctx;
}

/* lode_index_verify: sound (0 problems, nothing reported). */
static void assert_sound(const char *path)
{
	uint64_t problems = 99;
	unsigned reported = 0;
	char *em = NULL;
	lode_status_t st = lode_index_verify(path, &problems, report_count, &reported, &em);
	if (st != LODE_OK)
		fail_msg("lode_index_verify(%s): %s: %s", path, lode_status_str(st), em ? em : "");
	assert_int_equal(problems, 0);
	assert_int_equal(reported, 0);
	lode_free(em);
}

/* A new index is committed empty by lode_index_open: a reader opens it
 * while the writer still holds it, and finds nothing, successfully. */
static void test_open_fresh_is_searchable(void **state)
{
	struct fixture *f = *state;
	lode_index_t *w = NULL;
	char *em = NULL;
	assert_int_equal(lode_index_open(f->idx, NULL, &w, &em), LODE_OK);
	assert_non_null(w);
	assert_null(em);

	lode_search_t *s = NULL;
	const char *src[] = { f->idx };
	assert_int_equal(lode_search_open(src, 1, 0, &s, &em), LODE_OK);
	lode_results_t *r = NULL;
	assert_int_equal(lode_search_run(s, "harbours", NULL, &r), LODE_OK);
	assert_int_equal(lode_results_count(r), 0);
	assert_int_equal(lode_results_total(r), 0);
	lode_hit_t hit;
	assert_int_equal(lode_results_hit(r, 0, &hit), LODE_INVALID);
	lode_results_free(r);
	lode_search_close(s);

	lode_stats_t st;
	assert_int_equal(lode_stats_get(f->idx, &st, &em), LODE_OK);
	assert_int_equal(st.documents, 0);
	assert_string_equal(st.lang, "english");
	assert_true(st.schema >= 1);
	lode_stats_free(&st);
	assert_sound(f->idx);
	assert_int_equal(lode_index_close(w), LODE_OK);
}

/* What lode_results_note says of a query: the words it left out, longer
 * than any indexed term; a query of only such words is no error. */
static void test_note_long_words(void **state)
{
	struct fixture *f = *state;
	lode_index_t *w = NULL;
	char *em = NULL;
	assert_int_equal(lode_index_open(f->idx, NULL, &w, &em), LODE_OK);
	lode_search_t *s = NULL;
	const char *src[] = { f->idx };
	assert_int_equal(lode_search_open(src, 1, 0, &s, &em), LODE_OK);
	const char *w70 = "0123456789012345678901234567890123456789012345678901234567890123456789";
	char q[256];
	static const struct {
		const char *fmt;
		lode_status_t st;
		const char *note; /* its start, or NULL */
	} t[] = {
		{ "harbours", LODE_OK, NULL },
		{ "%s", LODE_OK, "1 word longer than 64 bytes left out of the query" },
		{ "harbours %s \"tides %s x\"", LODE_OK, "2 words longer than 64 bytes" },
		{ "!!!", LODE_BAD_QUERY, NULL },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		snprintf(q, sizeof q, t[i].fmt, w70, w70);
		lode_results_t *r = NULL;
		assert_int_equal(lode_search_run(s, q, NULL, &r), t[i].st);
		if (t[i].st != LODE_OK) {
			assert_null(r);
			continue;
		}
		assert_int_equal(lode_results_total(r), 0);
		const char *note = lode_results_note(r);
		if (!t[i].note)
			assert_null(note);
		else if (!note || strncmp(note, t[i].note, strlen(t[i].note)))
			fail_msg("query %s: note %s, want %s...", t[i].fmt, note ? note : "NULL", t[i].note);
		lode_results_free(r);
	}
	assert_null(lode_results_note(NULL));
	lode_search_close(s);
	assert_int_equal(lode_index_close(w), LODE_OK);
}

/* The stemming language of a new index: a table of what is asked and what
 * the index records (or the refusal). */
static void test_open_lang(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *lang;
		lode_status_t want;
		const char *want_lang; /* recorded; or a word of the message */
	} cases[] = {
		{ NULL, LODE_OK, "english" },
		{ "fr", LODE_OK, "french" },
		{ "german", LODE_OK, "german" },
		{ "klingon", LODE_INVALID, "klingon" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "lang%zu", i);
		char *path = tu_path(f->dir, name);
		lode_index_opts_t o;
		lode_index_opts_init(&o);
		o.lang = cases[i].lang;
		lode_index_t *w = NULL;
		char *em = NULL;
		lode_status_t st = lode_index_open(path, &o, &w, &em);
		if (st != cases[i].want)
			fail_msg("lang %s: %s, want %s (%s)", cases[i].lang ? cases[i].lang : "NULL",
				 lode_status_str(st), lode_status_str(cases[i].want), em ? em : "");
		if (st == LODE_OK) {
			assert_int_equal(lode_index_close(w), LODE_OK);
			lode_stats_t s;
			assert_int_equal(lode_stats_get(path, &s, NULL), LODE_OK);
			assert_string_equal(s.lang, cases[i].want_lang);
			lode_stats_free(&s);
		} else {
			assert_null(w);
			assert_non_null(em);
			assert_non_null(strstr(em, cases[i].want_lang));
		}
		lode_free(em);
		free(path);
	}
}

struct stopper {
	volatile sig_atomic_t stop;
	unsigned after;     /* set stop after this many indexed files */
	unsigned indexed;   /* files reported indexed */
	unsigned other;     /* other outcomes reported */
};

static void stop_after(void *ctx, const char *path, lode_file_outcome_t o, const char *reason,
		       unsigned ndocs)
{
	(void)path, (void)reason, (void)ndocs;
	struct stopper *sp = ctx;
	if (o != LODE_FILE_INDEXED) {
		sp->other++;
		return;
	}
	if (++sp->indexed >= sp->after)
		sp->stop = 1;
}

/* The stop flag: the update commits what it did and says it was stopped;
 * every document it reported is searchable at once, before the writer is
 * closed; a second update completes the index. */
static void test_stop_flag(void **state)
{
	struct fixture *f = *state;
	static const struct {
		unsigned jobs, after;
	} cases[] = {
		{ 1, 0 }, { 1, 1 }, { 1, 10 }, { 2, 5 }, { 4, 20 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "stop%zu", i);
		char *path = tu_path(f->dir, name);
		lode_index_opts_t o;
		lode_index_opts_init(&o);
		o.jobs = cases[i].jobs;
		lode_index_t *w = NULL;
		assert_int_equal(lode_index_open(path, &o, &w, NULL), LODE_OK);

		struct stopper sp = { cases[i].after == 0, cases[i].after, 0, 0 };
		lode_index_callbacks_t cb = { stop_after, NULL, NULL, &sp.stop, &sp };
		lode_index_summary_t sum;
		const char *paths[] = { f->corpus };
		lode_status_t st = lode_index_update(w, paths, 1, &cb, &sum);
		if (st != LODE_INTERRUPTED)
			fail_msg("case %zu: %s, want interrupted (%s)", i, lode_status_str(st),
				 lode_index_errmsg(w));
		assert_true(sum.interrupted);
		assert_int_equal(sum.indexed, sp.indexed);
		assert_true(sum.indexed >= cases[i].after);
		assert_true(sum.indexed < NFILES);
		assert_int_equal(sum.failed, 0);
		/* committed: another reader sees exactly what was reported */
		assert_int_equal(count_of(path, "corpusall"), sum.docs_added);
		assert_int_equal(docs_of(path), sum.docs_added);
		assert_sound(path);

		/* the rest, in the same session */
		struct stopper none = { 0, NFILES + 1, 0, 0 };
		cb.stop = &none.stop;
		cb.ctx = &none;
		assert_int_equal(lode_index_update(w, paths, 1, &cb, &sum), LODE_OK);
		assert_false(sum.interrupted);
		assert_int_equal(sum.indexed + sum.unchanged, NFILES);
		assert_int_equal(lode_index_close(w), LODE_OK);
		assert_int_equal(docs_of(path), NFILES);
		assert_int_equal(count_of(path, "corpusall"), NFILES);
		assert_int_equal(count_of(path, "word7"), 1);
		assert_sound(path);
		free(path);
	}
}

/* A new index is compacted when its first complete update ends, not by
 * later ones; a stop asked for once every file is in leaves the compaction
 * to the next update of the session (and says so: interrupted, with every
 * document there). */
static void test_compaction(void **state)
{
	struct fixture *f = *state;
	static const struct {
		unsigned jobs, segments, stop_after;  /* stop_after 0: never */
		int want_compacted;
	} cases[] = {
		{ 1, 1, 0, 1 }, { 2, 2, 0, 1 }, { 2, 3, 0, 1 },
		{ 1, 1, NFILES, 0 }, { 2, 2, NFILES, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "compact%zu", i);
		char *path = tu_path(f->dir, name);
		lode_index_opts_t o;
		lode_index_opts_init(&o);
		o.jobs = cases[i].jobs;
		o.segments = cases[i].segments;
		lode_index_t *w = NULL;
		assert_int_equal(lode_index_open(path, &o, &w, NULL), LODE_OK);
		struct stopper sp = { 0, cases[i].stop_after ? cases[i].stop_after : NFILES + 1, 0, 0 };
		lode_index_callbacks_t cb = { stop_after, NULL, NULL, &sp.stop, &sp };
		lode_index_summary_t sum;
		const char *paths[] = { f->corpus };
		lode_status_t st = lode_index_update(w, paths, 1, &cb, &sum);
		assert_int_equal(st, cases[i].want_compacted ? LODE_OK : LODE_INTERRUPTED);
		assert_int_equal(sum.indexed, NFILES);
		if (cases[i].want_compacted)
			assert_true(sum.t_compact > 0);
		else
			assert_true(sum.t_compact == 0 && sum.interrupted);
		/* searchable while the writer is still open, after the swap */
		assert_int_equal(count_of(path, "corpusall"), NFILES);
		/* the writer still works on the compacted segments */
		char *extra = tu_write(f->corpus, "late.txt", "corpusall late arrival", 22);
		sp.stop = 0;
		sp.after = NFILES + 10;
		assert_int_equal(lode_index_update(w, paths, 1, &cb, &sum), LODE_OK);
		assert_int_equal(sum.indexed, 1);
		/* compacted once: by the first update that ran to its end */
		if (cases[i].want_compacted)
			assert_true(sum.t_compact == 0);
		else
			assert_true(sum.t_compact > 0);
		assert_int_equal(lode_index_close(w), LODE_OK);
		assert_int_equal(docs_of(path), NFILES + 1);
		assert_sound(path);
		unlink(extra);
		free(extra);
		free(path);
	}
}

/* A second writer: LODE_BUSY and a message naming the index, at once with
 * wait 0, after about the time asked with wait 1; the index opens again
 * once the first writer is closed. */
static void test_busy(void **state)
{
	struct fixture *f = *state;
	lode_index_t *a = NULL, *b = NULL;
	assert_int_equal(lode_index_open(f->idx, NULL, &a, NULL), LODE_OK);
	static const unsigned waits[] = { 0, 1 };
	for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++) {
		lode_index_opts_t o;
		lode_index_opts_init(&o);
		o.wait_seconds = waits[i];
		char *em = NULL;
		double t0 = now();
		lode_status_t st = lode_index_open(f->idx, &o, &b, &em);
		double el = now() - t0;
		assert_int_equal(st, LODE_BUSY);
		assert_null(b);
		assert_non_null(em);
		assert_non_null(strstr(em, f->idx));
		assert_non_null(strstr(em, "busy"));
		lode_free(em);
		if (waits[i] == 0)
			assert_true(el < 0.9);
		else
			assert_true(el >= 0.9 * waits[i] && el < waits[i] + 2.0);
	}
	/* a reader is not a writer: it opens */
	assert_int_equal(count_of(f->idx, "anything"), 0);
	assert_int_equal(lode_index_close(a), LODE_OK);
	assert_int_equal(lode_index_open(f->idx, NULL, &b, NULL), LODE_OK);
	assert_int_equal(lode_index_close(b), LODE_OK);
}

/* Verification: a sound index after a build and an update with removals;
 * a missing index is an error with a message, not "0 problems". */
static void test_verify(void **state)
{
	struct fixture *f = *state;
	lode_index_t *w = NULL;
	assert_int_equal(lode_index_open(f->idx, NULL, &w, NULL), LODE_OK);
	const char *paths[] = { f->corpus };
	assert_int_equal(lode_index_update(w, paths, 1, NULL, NULL), LODE_OK);
	assert_sound(f->idx);
	char *gone = tu_path(f->corpus, "d1/a01.txt");
	assert_int_equal(remove(gone), 0);
	free(gone);
	lode_index_summary_t sum;
	assert_int_equal(lode_index_update(w, NULL, 0, NULL, &sum), LODE_OK);
	assert_int_equal(sum.removed, 1);
	assert_int_equal(lode_index_close(w), LODE_OK);
	assert_sound(f->idx);
	assert_int_equal(docs_of(f->idx), NFILES - 1);

	char *missing = tu_path(f->dir, "no-such-index");
	uint64_t problems = 0;
	char *em = NULL;
	lode_status_t st = lode_index_verify(missing, &problems, NULL, NULL, &em);
	assert_int_equal(st, LODE_NO_INDEX);
	assert_non_null(em);
	assert_non_null(strstr(em, missing));
	lode_free(em);
	free(missing);
}

struct outcome_log {
	char lines[16][160];
	size_t n;
};

static void log_file(void *ctx, const char *path, lode_file_outcome_t o, const char *reason,
		     unsigned ndocs)
{
	struct outcome_log *l = ctx;
	if (o == LODE_FILE_INDEXED || l->n >= 16)
		return;
	const char *base = strrchr(path, '/');
	snprintf(l->lines[l->n++], sizeof l->lines[0], "%s %d %s %u", base ? base + 1 : path, (int)o,
		 reason ? reason : "-", ndocs);
}

/* Each file's outcome through the callback, counted in the summary; the
 * good files around the bad ones are indexed. */
static void test_outcomes(void **state)
{
	struct fixture *f = *state;
	free(tu_write(f->corpus, "x/empty.txt", "", 0));
	free(tu_write(f->corpus, "x/nul.txt", "text\0\0\0 with NULs\0", 19));
	free(tu_write(f->corpus, "x/bad.txt.gz", "\x1f\x8b\x08\x00garbage", 12));
	char *missing = tu_path(f->dir, "missing");
	lode_index_t *w = NULL;
	assert_int_equal(lode_index_open(f->idx, NULL, &w, NULL), LODE_OK);
	struct outcome_log log = { .n = 0 };
	lode_index_callbacks_t cb = { log_file, NULL, NULL, NULL, &log };
	lode_index_summary_t sum;
	const char *paths[] = { f->corpus, missing };
	assert_int_equal(lode_index_update(w, paths, 2, &cb, &sum), LODE_OK);
	assert_int_equal(lode_index_close(w), LODE_OK);
	static const char *const want[] = {
		"missing 4 No such file or directory 0",
		"bad.txt.gz 4 ", /* failed, with the reason the gzip reader gives */
		"empty.txt 3 empty 0",
		"nul.txt 3 binary 0",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int seen = 0;
		for (size_t k = 0; k < log.n; k++)
			seen += strncmp(log.lines[k], want[i], strlen(want[i])) == 0;
		if (seen != 1) {
			for (size_t k = 0; k < log.n; k++)
				print_message("outcome: %s\n", log.lines[k]);
			fail_msg("'%s...' reported %d times, want once", want[i], seen);
		}
	}
	assert_int_equal(log.n, 4);
	assert_int_equal(sum.indexed, NFILES);
	assert_int_equal(sum.skipped, 2);
	assert_int_equal(sum.failed, 2);
	assert_int_equal(docs_of(f->idx), NFILES);
	free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_fresh_is_searchable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_note_long_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_lang, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outcomes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
