/* test_segments.c - an index directory's layout: reading a stub, creating
 * a segmented index atomically, routing paths, clearing what killed
 * creations left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "segments.h"
#include "helpers/testutil.h"

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* What a stub says, as segments. */
static void test_read_stub(void **state)
{
	(void)state;
	static const struct {
		const char *stub;     /* NULL: no stub file */
		int rc;
		unsigned n;
		const char *first, *last; /* relative to the index, or absolute */
	} cases[] = {
		{ NULL, 0, 1, "", "" },                       /* a plain database */
		{ "auto s0\nauto s1\n", 0, 2, "/s0", "/s1" },
		{ "glass s0\nglass s1\nglass s2", 0, 3, "/s0", "/s2" }, /* no final newline */
		{ "# a comment\n\nauto s0\r\n", 0, 1, "/s0", "/s0" },  /* blank, comment, CRLF */
		{ "auto /abs/seg\n", 0, 1, "=/abs/seg", "=/abs/seg" },
		{ "remote :host:1\n", -1, 0, NULL, NULL },
		{ "inmemory\n", -1, 0, NULL, NULL },
		{ "auto \n", -1, 0, NULL, NULL },
		{ "", -1, 0, NULL, NULL },                    /* lists nothing */
		{ "autos0\n", -1, 0, NULL, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *dir = tu_mkdtemp();
		if (cases[i].stub)
			free(tu_write(dir, "XAPIANDB", cases[i].stub, strlen(cases[i].stub)));
		segments_t s;
		const char *why = "unset";
		int rc = segments_read(dir, &s, &why);
		assert_int_equal(rc, cases[i].rc);
		if (rc == 0) {
			assert_int_equal(s.n, cases[i].n);
			char want[512];
			const char *ends[2] = { cases[i].first, cases[i].last };
			const char *got[2] = { s.path[0], s.path[s.n - 1] };
			for (int e = 0; e < 2; e++) {
				if (ends[e][0] == '=')
					snprintf(want, sizeof want, "%s", ends[e] + 1);
				else
					snprintf(want, sizeof want, "%s%s", dir, ends[e]);
				assert_string_equal(got[e], want);
			}
			segments_free(&s);
		} else {
			assert_non_null(why);
			assert_string_not_equal(why, "unset");
		}
		tu_rmtree(dir);
		free(dir);
	}
}

static int seen_init[SEGMENTS_MAX];

static int init_ok(void *ctx, const char *segment, unsigned k)
{
	(void)ctx;
	seen_init[k]++;
	return mkdir(segment, 0755) == 0 ? 0 : 9;
}

static int init_fail_second(void *ctx, const char *segment, unsigned k)
{
	(void)ctx;
	if (k == 1)
		return 6;
	return mkdir(segment, 0755) == 0 ? 0 : 9;
}

/* Creation is all or nothing, and never lands on an existing index. */
static void test_create(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *idx = tu_path(dir, "idx");
	memset(seen_init, 0, sizeof seen_init);
	assert_int_equal(segments_create(idx, 3, init_ok, NULL), 0);
	assert_int_equal(seen_init[0] + seen_init[1] + seen_init[2], 3);
	assert_true(segments_exists(idx));
	segments_t s;
	const char *why;
	assert_int_equal(segments_read(idx, &s, &why), 0);
	assert_int_equal(s.n, 3);
	for (unsigned k = 0; k < s.n; k++)
		assert_true(is_dir(s.path[k]));
	segments_free(&s);

	/* again on top of it: EEXIST, and what was there is untouched */
	assert_int_equal(segments_create(idx, 2, init_ok, NULL), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(segments_read(idx, &s, &why), 0);
	assert_int_equal(s.n, 3);
	segments_free(&s);

	/* a failing segment: its status back, no index, nothing left beside */
	char *idx2 = tu_path(dir, "idx2");
	assert_int_equal(segments_create(idx2, 2, init_fail_second, NULL), 6);
	assert_false(segments_exists(idx2));
	assert_int_equal(access(idx2, F_OK), -1);

	/* an empty directory is replaced */
	char *idx3 = tu_path(dir, "idx3");
	assert_int_equal(mkdir(idx3, 0755), 0);
	assert_int_equal(segments_create(idx3, 2, init_ok, NULL), 0);
	assert_true(segments_exists(idx3));

	/* out of range */
	assert_int_equal(segments_create(idx2, 0, init_ok, NULL), -1);
	assert_int_equal(segments_create(idx2, SEGMENTS_MAX + 1, init_ok, NULL), -1);

	/* only idx and idx3 are in DIR: no hidden leftovers, no idx2 */
	char cmd[600];
	snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s' | tr '\\n' ' ')\" = 'idx idx3 '", dir);
	assert_int_equal(system(cmd), 0);
	tu_rmtree(dir);
	free(idx), free(idx2), free(idx3), free(dir);
}

/* Leftovers of dead creators go; a live creator's stay. */
static void test_clear_stale(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *idx = tu_path(dir, "idx");
	char dead[600], live[600], other[600];
	/* a pid that cannot be running: above the kernel's limit */
	snprintf(dead, sizeof dead, "%s/.idx.new-%ld-abc123", dir, 99999999L);
	snprintf(live, sizeof live, "%s/.idx.new-%ld-def456", dir, (long)getpid());
	snprintf(other, sizeof other, "%s/.other.new-%ld-abc123", dir, 99999999L);
	assert_int_equal(mkdir(dead, 0755), 0);
	assert_int_equal(mkdir(live, 0755), 0);
	assert_int_equal(mkdir(other, 0755), 0);
	free(tu_write(dead, "XAPIANDB", "auto s0\n", 8));
	segments_clear_stale(idx);
	assert_false(is_dir(dead));
	assert_true(is_dir(live));
	assert_true(is_dir(other));
	tu_rmtree(dir);
	free(idx), free(dir);
}

/* Syncing reaches every segment; a missing one is an error. */
static void test_sync(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *idx = tu_path(dir, "idx");
	assert_int_equal(segments_create(idx, 2, init_ok, NULL), 0);
	segments_t s;
	const char *why;
	assert_int_equal(segments_read(idx, &s, &why), 0);
	free(tu_write(s.path[1], "table", "data", 4));
	assert_int_equal(segments_sync(&s), 0);
	tu_rmtree(s.path[1]);
	assert_int_equal(segments_sync(&s), -1);
	segments_free(&s);
	tu_rmtree(dir);
	free(idx), free(dir);
}

/* A path's segment is stable (updates find its documents) and spread. */
static void test_route(void **state)
{
	(void)state;
	segments_t one = { .n = 1 }, four = { .n = 4 };
	unsigned count[4] = { 0 };
	char p[64];
	for (int i = 0; i < 4000; i++) {
		snprintf(p, sizeof p, "/srv/archive/d%02d/f%05d.md", i / 100, i);
		assert_int_equal(segments_route(&one, p), 0);
		unsigned k = segments_route(&four, p);
		assert_true(k < 4);
		assert_int_equal(segments_route(&four, p), k);
		count[k]++;
	}
	for (int k = 0; k < 4; k++)
		assert_in_range(count[k], 800, 1200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_stub),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_clear_stale),
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_sync),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
