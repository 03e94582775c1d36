/* test_walk.c - the walk lists a tree's files in name order with their
 * sizes and reports its problems in the same order, whether its files are
 * stat-ed by one thread or several; and its shard filter: shards built apart
 * must split a tree the same way wherever it is, each file in exactly one
 * shard, each problem reported by one shard. */
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

#include "walk.h"
#include "helpers/testutil.h"

/* The hash is a promise to users (shards built by different versions on
 * different machines must agree): FNV-1a, 64 bits, of the path's bytes. */
static void test_shard_of_is_fnv1a(void **state)
{
	(void)state;
	static const struct {
		const char *rel;
		unsigned shards, want;
	} cases[] = {
		{ "", 2, 1 },                          /* the offset basis, 0xcbf29ce484222325 */
		{ "a", 2, 0 },                         /* 0xaf63dc4c8601ec8c */
		{ "a", 3, 1 },
		{ "news/harbour-strike.txt", 2, 1 },
		{ "news/harbour-strike.txt", 4, 1 },
		{ "d1/a001.md", 7, 6 },
		{ "\xc3\xa9.txt", 5, 1 },              /* bytes, not characters */
		{ "a", 1, 0 },                         /* one shard: everything */
		{ "a", 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_int_equal(walk_shard_of(cases[i].rel, strlen(cases[i].rel), cases[i].shards),
				 cases[i].want);
}

typedef struct {
	char *dir;
	unsigned problems;
	char reported[8][64];
} fixture_t;

static const char *const tree[] = {
	"a.txt", "b.md", "c/d.txt", "c/e.txt", "c/f/g.txt", "c/f/h.txt", "i/j.md", "i/k.md",
	"i/l/m.txt", "n.txt", "o.txt", "p/q.txt", "p/r.txt", "p/s.txt", "t.txt", "u.txt",
	"v/w/x/y.txt", "z.txt",
};
#define N_TREE (sizeof tree / sizeof *tree)

/* DIR/SUB/name, the directories made as needed; the full path, malloc'd. */
static char *write_under(const char *dir, const char *sub, const char *name)
{
	char rel[256];
	snprintf(rel, sizeof rel, "%s/%s", sub, name);
	char *p = tu_write(dir, rel, "x\n", 2);
	assert_non_null(p);
	return p;
}

/* the same tree at DIR/SUB; returns DIR/SUB, malloc'd */
static char *make_tree(const char *dir, const char *sub)
{
	for (size_t i = 0; i < N_TREE; i++)
		free(write_under(dir, sub, tree[i]));
	return tu_path(dir, sub);
}

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof *f);
	f->dir = tu_mkdtemp();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void on_problem(void *ctx, const char *path, const char *reason, int skipped)
{
	(void)reason;
	(void)skipped;
	fixture_t *f = ctx;
	const char *base = strrchr(path, '/');
	if (f->problems < 8)
		snprintf(f->reported[f->problems], sizeof f->reported[0], "%s", base ? base + 1 : path);
	f->problems++;
}

/* Walk ROOT as shard K of N; the paths relative to ROOT, sorted, joined by
 * spaces, into OUT. */
static void walk_rel(fixture_t *f, const char *root, unsigned k, unsigned n, char *out,
		     size_t cap)
{
	walk_opts_t o = { .shard = k, .shards = n, .on_problem = on_problem, .ctx = f };
	walk_list_t l = { 0 };
	assert_int_equal(walk_path(root, &o, &l), 0);
	size_t rl = strlen(root);
	while (rl > 1 && root[rl - 1] == '/')
		rl--;
	out[0] = '\0';
	for (size_t i = 0; i < l.n; i++) {
		assert_true(strncmp(l.files[i].path, root, rl) == 0);
		const char *rel = l.files[i].path + rl + 1;
		assert_int_equal(walk_shard_of(rel, strlen(rel), n ? n : 1), n > 1 ? k : 0);
		strncat(out, rel, cap - strlen(out) - 2);
		strcat(out, " ");
	}
	walk_list_free(&l);
}

/* Every file in exactly one of N shards, the shards together the whole tree. */
static void test_shards_partition_the_tree(void **state)
{
	fixture_t *f = *state;
	char *root = make_tree(f->dir, "tree");
	char all[2048], part[2048];
	walk_rel(f, root, 0, 0, all, sizeof all);
	for (unsigned n = 2; n <= 4; n++) {
		size_t total = 0, nonempty = 0;
		for (unsigned k = 0; k < n; k++) {
			walk_rel(f, root, k, n, part, sizeof part);
			nonempty += part[0] != '\0';
			for (char *p = part, *e; *p; p = e + 1) {
				e = strchr(p, ' ');
				*e = '\0';
				char word[300];
				snprintf(word, sizeof word, "%.256s ", p);
				assert_non_null(strstr(all, word));
				total++;
			}
		}
		assert_int_equal(total, N_TREE); /* each file in one shard: none twice */
		assert_true(nonempty >= 2);
	}
	assert_int_equal(f->problems, 0);
	free(root);
}

/* The split depends on the paths inside the root only: the same tree at two
 * places, one given with a trailing slash, splits the same. */
static void test_split_independent_of_where_the_tree_is(void **state)
{
	fixture_t *f = *state;
	char *r1 = make_tree(f->dir, "one");
	char *r2 = make_tree(f->dir, "elsewhere/deeper/two");
	char *r2slash = tu_path(r2, "");
	char a[2048], b[2048];
	size_t files = 0;
	for (unsigned k = 0; k < 3; k++) {
		walk_rel(f, r1, k, 3, a, sizeof a);
		walk_rel(f, r2slash, k, 3, b, sizeof b);
		assert_string_equal(a, b);
		for (const char *p = a; *p; p++)
			files += *p == ' ';
	}
	assert_int_equal(files, N_TREE);
	free(r1);
	free(r2);
	free(r2slash);
}

/* A root that is a file is judged by its name. */
static void test_root_file_by_its_name(void **state)
{
	fixture_t *f = *state;
	char *p = write_under(f->dir, "sub/news", "harbour-strike.txt");
	unsigned want = walk_shard_of("harbour-strike.txt", 18, 2);
	for (unsigned k = 0; k < 2; k++) {
		walk_opts_t o = { .shard = k, .shards = 2 };
		walk_list_t l = { 0 };
		assert_int_equal(walk_path(p, &o, &l), 0);
		assert_int_equal(l.n, k == want ? 1 : 0);
		walk_list_free(&l);
	}
	free(p);
}

/* Problems with files are reported by the shard that owns them only; a
 * missing root by every shard. */
static void test_problems_reported_by_one_shard(void **state)
{
	fixture_t *f = *state;
	free(write_under(f->dir, "links", "ok.txt"));
	char *root = tu_path(f->dir, "links");
	char *target = tu_path(f->dir, "nowhere");
	static const char *const names[] = { "l1.txt", "l2.txt", "l3.txt", "l4.txt", "l5.txt" };
	for (size_t i = 0; i < 5; i++) {
		char *lp = tu_path(root, names[i]);
		assert_int_equal(symlink(target, lp), 0);
		free(lp);
	}
	char out[512];
	unsigned total = 0;
	for (unsigned k = 0; k < 2; k++) {
		f->problems = 0;
		walk_rel(f, root, k, 2, out, sizeof out);
		for (unsigned i = 0; i < f->problems && i < 8; i++) {
			const char *nm = f->reported[i];
			assert_int_equal(walk_shard_of(nm, strlen(nm), 2), k);
		}
		total += f->problems;
	}
	assert_int_equal(total, 5);
	char *missing = tu_path(f->dir, "no-such-root");
	for (unsigned k = 0; k < 2; k++) {
		f->problems = 0;
		walk_opts_t o = { .shard = k, .shards = 2, .on_problem = on_problem, .ctx = f };
		walk_list_t l = { 0 };
		assert_int_equal(walk_path(missing, &o, &l), 0);
		assert_int_equal(f->problems, 1);
		walk_list_free(&l);
	}
	free(missing);
	free(target);
	free(root);
}

typedef struct {
	char got[4096];
} problems_t;

static void note_problem(void *ctx, const char *path, const char *reason, int skipped)
{
	problems_t *p = ctx;
	const char *base = strrchr(path, '/');
	size_t n = strlen(p->got);
	snprintf(p->got + n, sizeof p->got - n, "%s: %s%s; ", base ? base + 1 : path,
		 skipped ? "skipped: " : "", reason);
}

/* A tree of NDIRS directories of NFILES files each (file k of directory d
 * holds d + k bytes), with a dangling link, a named pipe, a link to a file
 * and one to an ancestor among them: the files come in name order,
 * directories walked in place, each with its size; the link to a file is
 * listed; the problems come in that order too. 700 files are stat-ed by
 * the threads (as many as the processors, up to 4), 40 by the walk's own. */
static void test_order_sizes_and_problems(void **state)
{
	fixture_t *f = *state;
	static const struct {
		unsigned ndirs, nfiles;
	} t[] = { { 20, 35 }, { 4, 10 } };
	for (size_t c = 0; c < sizeof t / sizeof *t; c++) {
		char sub[32], rel[64];
		snprintf(sub, sizeof sub, "order%zu", c);
		for (unsigned d = 0; d < t[c].ndirs; d++)
			for (unsigned k = 0; k < t[c].nfiles; k++) {
				char data[128];
				memset(data, 'x', sizeof data);
				snprintf(rel, sizeof rel, "%s/d%03u/f%03u.txt", sub, d, k);
				free(tu_write(f->dir, rel, data, d + k));
			}
		char *root = tu_path(f->dir, sub);
		char *p;
		snprintf(rel, sizeof rel, "%s/d001/f002b", sub); /* after f002.txt */
		assert_int_equal(symlink("/nonexistent/lode-walk-test", p = tu_path(f->dir, rel)), 0);
		free(p);
		snprintf(rel, sizeof rel, "%s/d002/f001p", sub);
		assert_int_equal(mkfifo(p = tu_path(f->dir, rel), 0600), 0);
		free(p);
		snprintf(rel, sizeof rel, "%s/d003/f000l", sub); /* a link to f009.txt: listed */
		assert_int_equal(symlink("f009.txt", p = tu_path(f->dir, rel)), 0);
		free(p);
		snprintf(rel, sizeof rel, "%s/d003/up", sub);
		assert_int_equal(symlink("..", p = tu_path(f->dir, rel)), 0);
		free(p);

		problems_t pr = { "" };
		walk_opts_t o = { .on_problem = note_problem, .ctx = &pr, .threads = 4 };
		walk_list_t l = { 0 };
		assert_int_equal(walk_path(root, &o, &l), 0);
		assert_int_equal(l.n, t[c].ndirs * t[c].nfiles + 1);
		size_t i = 0;
		for (unsigned d = 0; d < t[c].ndirs; d++)
			for (unsigned k = 0; k < t[c].nfiles; k++, i++) {
				char want[128];
				snprintf(want, sizeof want, "%s/d%03u/f%03u.txt", root, d, k);
				if (d == 3 && k == 0) { /* f000.txt, then the link f000l */
					assert_string_equal(l.files[i].path, want);
					i++;
					snprintf(want, sizeof want, "%s/d003/f000l", root);
					assert_string_equal(l.files[i].path, want);
					assert_int_equal(l.files[i].size, 3 + 9);
					continue;
				}
				assert_string_equal(l.files[i].path, want);
				assert_int_equal(l.files[i].size, d + k);
				struct stat st;
				assert_int_equal(stat(want, &st), 0);
				assert_int_equal(l.files[i].mtime, (int64_t)st.st_mtim.tv_sec * 1000000000 +
									   st.st_mtim.tv_nsec);
			}
		assert_string_equal(pr.got, "f002b: skipped: broken symbolic link; "
					    "f001p: skipped: not a regular file; "
					    "up: skipped: directory already walked (symbolic link loop?); ");
		walk_list_free(&l);
		free(root);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shard_of_is_fnv1a),
		cmocka_unit_test_setup_teardown(test_order_sizes_and_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shards_partition_the_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_independent_of_where_the_tree_is, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_root_file_by_its_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_problems_reported_by_one_shard, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
