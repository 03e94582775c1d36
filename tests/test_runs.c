/* test_runs.c - a bulk build's runs in the index's stub: which names are
 * runs, publishing and unlisting them (the segments' lines untouched, as
 * segments_read sees them), clearing the run directories the stub does not
 * list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runs.h"
#include "segments.h"
#include "helpers/testutil.h"

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *slurp(const char *dir, const char *name)
{
	char *p = tu_path(dir, name);
	FILE *f = fopen(p, "r");
	free(p);
	if (!f)
		return NULL;
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strdup(buf);
}

static void test_is_run(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int run;
	} cases[] = {
		{ "s0.r1", 1 },   { "s12.r345", 1 }, { "s0", 0 },     { "s0.r", 0 },
		{ "s0.rx", 0 },   { "s.r1", 0 },     { "x0.r1", 0 },  { "s0.q1", 0 },
		{ "s0.r1x", 0 },  { "s0r1", 0 },     { "", 0 },       { "/abs/s0.r1", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (runs_is_run(cases[i].name, strlen(cases[i].name)) != cases[i].run)
			fail_msg("%s: want %d", cases[i].name, cases[i].run);
}

static void test_publish_unlist(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	free(tu_write(dir, "XAPIANDB", "auto s0\nauto s1\n", 16));
	char *s0 = tu_path(dir, "s0"), *s1 = tu_path(dir, "s1");
	char *r1 = runs_path(s0, 1), *r2 = runs_path(s0, 2), *q1 = runs_path(s1, 1);
	char *want = NULL;
	assert_int_equal(runs_any(dir), 0); /* segments only */
	assert_int_equal(asprintf(&want, "%s/s0.r1", dir) > 0, 1);
	assert_string_equal(r1, want);
	free(want);

	assert_int_equal(runs_publish(dir, r1), 0);
	assert_int_equal(runs_publish(dir, q1), 0);
	assert_int_equal(runs_publish(dir, r2), 0);
	char *stub = slurp(dir, "XAPIANDB");
	assert_string_equal(stub, "auto s0\nauto s1\nauto s0.r1\nauto s1.r1\nauto s0.r2\n");
	free(stub);
	assert_int_equal(runs_any(dir), 1);

	/* runs are not segments */
	segments_t seg;
	const char *why = NULL;
	assert_int_equal(segments_read(dir, &seg, &why), 0);
	assert_int_equal(seg.n, 2);
	segments_free(&seg);

	runs_t r = RUNS_INIT;
	assert_int_equal(runs_read(dir, s0, &r), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.path[0], r1);
	assert_string_equal(r.path[1], r2);
	runs_free(&r);
	assert_int_equal(runs_read(dir, s1, &r), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.path[0], q1);
	runs_free(&r);

	assert_int_equal(runs_unlist(dir, s0), 0);
	stub = slurp(dir, "XAPIANDB");
	assert_string_equal(stub, "auto s0\nauto s1\nauto s1.r1\n");
	free(stub);
	assert_int_equal(runs_read(dir, s0, &r), 0);
	assert_int_equal(r.n, 0);
	runs_free(&r);
	assert_int_equal(runs_any(dir), 1); /* s1's is left */
	assert_int_equal(runs_unlist(dir, s1), 0);
	assert_int_equal(runs_any(dir), 0);

	/* a plain database has no stub to list runs in */
	char *plain = tu_mkdtemp();
	assert_int_equal(runs_publish(plain, r1), -1);
	assert_int_equal(runs_read(plain, s0, &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(runs_any(plain), 0);
	tu_rmtree(plain);
	free(plain);

	free(s0), free(s1), free(r1), free(r2), free(q1);
	tu_rmtree(dir);
	free(dir);
}

static void test_clear_unlisted(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	free(tu_write(dir, "XAPIANDB", "auto s0\nauto s0.r1\n", 20));
	static const char *const dirs[] = { "s0", "s0.r1", "s0.r2", "s1.r7", "other" };
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char *p = tu_path(dir, dirs[i]);
		assert_int_equal(mkdir(p, 0777), 0);
		free(tu_write(p, "iamglass", "x", 1));
		free(p);
	}
	runs_clear_unlisted(dir);
	static const struct {
		const char *name;
		int kept;
	} want[] = { { "s0", 1 }, { "s0.r1", 1 }, { "s0.r2", 0 }, { "s1.r7", 0 }, { "other", 1 } };
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		char *p = tu_path(dir, want[i].name);
		if (is_dir(p) != want[i].kept)
			fail_msg("%s: kept %d, want %d", want[i].name, is_dir(p), want[i].kept);
		free(p);
	}
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_run),
		cmocka_unit_test(test_publish_unlist),
		cmocka_unit_test(test_clear_unlisted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
