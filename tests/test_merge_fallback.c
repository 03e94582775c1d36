/* test_merge_fallback.c - a new index's runs are merged into its segment by
 * lode's merge (glass_merge), and by Xapian's compactor when that fails or
 * LODE_MERGE=xapian says so: each way the index holds every document once,
 * no run is left, and lode's check finds nothing. glass_merge is wrapped
 * (-Wl,--wrap=glass_merge, Makefile) to count its calls and to fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass_merge.h"
#include "lode.h"
#include "xapian_c.h"
#include "helpers/testutil.h"

int __real_glass_merge(const char *const *srcs, size_t n, const char *dest, unsigned flags,
		       char **err);
int __wrap_glass_merge(const char *const *srcs, size_t n, const char *dest, unsigned flags,
		       char **err);

static int calls, fail_it;
static int nwarned;
static char warned[512];

/* What lode index would print: "PATH: REASON" (the last one). */
static void on_warning(void *ctx, const char *path, unsigned line, const char *reason)
{
	(void)ctx;
	(void)line;
	nwarned++;
	snprintf(warned, sizeof warned, "%s: %s", path, reason);
}

int __wrap_glass_merge(const char *const *srcs, size_t n, const char *dest, unsigned flags,
		       char **err)
{
	calls++;
	if (!fail_it)
		return __real_glass_merge(srcs, n, dest, flags, err);
	if (err)
		*err = strdup("injected");
	errno = EBADMSG;
	return -1;
}

#define NDOCS 40

/* A new index of NDOCS files, written in batches of 4 (runs), one segment;
 * the warnings of the build in nwarned, warned, *WARNINGS (the summary's). */
static void build(const char *root, const char *idx, uint64_t *warnings)
{
	char *corpus = tu_path(root, "corpus");
	for (int i = 0; i < NDOCS; i++) {
		char name[32], text[128];
		snprintf(name, sizeof name, "corpus/f%02d.txt", i);
		int n = snprintf(text, sizeof text, "common words here, file number%d, %s\n", i,
				 i % 2 ? "odd" : "even");
		free(tu_write(root, name, text, (size_t)n));
	}
	lode_index_opts_t o;
	lode_index_opts_init(&o);
	o.segments = 1;
	o.jobs = 1;
	o.batch_docs = 4;
	lode_index_t *w = NULL;
	char *err = NULL;
	assert_int_equal(lode_index_open(idx, &o, &w, &err), LODE_OK);
	const char *paths[] = { corpus };
	lode_index_summary_t sum;
	lode_index_callbacks_t cb = { .on_warning = on_warning };
	nwarned = 0;
	warned[0] = '\0';
	lode_status_t rc = lode_index_update(w, paths, 1, &cb, &sum);
	*warnings = sum.warnings;
	if (rc != LODE_OK)
		print_error("update: %s\n", lode_index_errmsg(w));
	assert_int_equal(rc, LODE_OK);
	if (sum.indexed != NDOCS)
		print_error("seen %llu skipped %llu failed %llu\n", (unsigned long long)sum.files_seen,
			    (unsigned long long)sum.skipped, (unsigned long long)sum.failed);
	assert_int_equal(sum.indexed, NDOCS);
	assert_int_equal(lode_index_close(w), LODE_OK);
	free(corpus);
}

/* Every document once, no run left in the stub, lode's check clean. */
static void assert_whole(const char *idx)
{
	char *stub = tu_path(idx, "XAPIANDB");
	FILE *f = fopen(stub, "r");
	assert_non_null(f);
	char line[256];
	while (fgets(line, sizeof line, f))
		assert_null(strstr(line, ".r"));
	fclose(f);
	free(stub);
	xap_db_t *db = NULL;
	char *err = NULL;
	assert_int_equal(xap_db_open_read(idx, &db, &err), XAP_OK);
	unsigned n, tf;
	assert_int_equal(xap_db_doc_count(db, &n), XAP_OK);
	assert_int_equal(n, NDOCS);
	assert_int_equal(xap_db_term_freq(db, "common", 6, &tf), XAP_OK);
	assert_int_equal(tf, NDOCS);
	xap_db_destroy(db);
	uint64_t problems = 1;
	assert_int_equal(lode_index_verify(idx, &problems, NULL, NULL, &err), LODE_OK);
	assert_int_equal(problems, 0);
}

static void run_case(int fail, const char *env, int want_calls)
{
	char *root = tu_mkdtemp(), *idx = tu_path(root, "idx");
	calls = 0;
	fail_it = fail;
	if (env)
		setenv("LODE_MERGE", env, 1);
	else
		unsetenv("LODE_MERGE");
	uint64_t warnings = 99;
	build(root, idx, &warnings);
	unsetenv("LODE_MERGE");
	if (want_calls)
		assert_true(calls >= 1);
	else
		assert_int_equal(calls, 0);
	/* lode's merge failing is said, once, with its reason; asking for
	 * Xapian's compactor is not a warning */
	assert_int_equal(nwarned, fail ? 1 : 0);
	assert_int_equal(warnings, fail ? 1 : 0);
	if (fail) {
		assert_non_null(strstr(warned, "/idx/s0: lode's merge of its runs failed (injected); "
						"Xapian's compactor merged them instead"));
	}
	assert_whole(idx);
	tu_rmtree(root);
	free(root);
	free(idx);
}

static void test_lode_merges(void **state)
{
	(void)state;
	run_case(0, NULL, 1);
}

static void test_merge_fails_compactor_does(void **state)
{
	(void)state;
	run_case(1, NULL, 1);
}

static void test_lode_merge_xapian(void **state)
{
	(void)state;
	run_case(0, "xapian", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lode_merges),
		cmocka_unit_test(test_merge_fails_compactor_does),
		cmocka_unit_test(test_lode_merge_xapian),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
