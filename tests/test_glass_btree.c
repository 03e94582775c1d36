/* test_glass_btree.c - glass tables written by glass_btree.c, with a version
 * file from glass_version.c, are a database Xapian reads, checks, updates
 * and compacts as its own.
 *
 * The databases hold user metadata only: glass keeps it in the postlist
 * table under the key "\0\xc0" + the metadata key, so every entry written
 * comes back through Xapian's metadata calls; termlist is an empty table,
 * the lazy tables are absent, the statistics 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass_btree.h"
#include "glass_version.h"
#include "xapian_c.h"
#include "helpers/testutil.h"

#define BS 8192
#define META "\0\xc0"

/* ------------------------------------------------------------ entry sets */

typedef struct {
	char key[GBT_MAX_KEY + 1]; /* the metadata key (no prefix), NUL-ended */
	size_t klen;
	unsigned char *tag;
	size_t tlen;
} entry_t;

typedef struct {
	entry_t *e;
	size_t n, cap;
} set_t;

static void set_add(set_t *s, const void *key, size_t klen, const void *tag, size_t tlen)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->e = realloc(s->e, s->cap * sizeof *s->e);
		assert_non_null(s->e);
	}
	entry_t *e = &s->e[s->n++];
	assert_true(klen <= GBT_MAX_KEY);
	memcpy(e->key, key, klen);
	e->key[klen] = 0;
	e->klen = klen;
	e->tag = malloc(tlen + 1);
	assert_non_null(e->tag);
	if (tlen)
		memcpy(e->tag, tag, tlen);
	e->tlen = tlen;
}

static void set_free(set_t *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].tag);
	free(s->e);
	memset(s, 0, sizeof *s);
}

static int entry_cmp(const void *a, const void *b)
{
	const entry_t *x = a, *y = b;
	return gbt_key_cmp(x->key, x->klen, y->key, y->klen);
}

/* Into glass's key order (sets made of several lists). */
static void set_sort(set_t *s)
{
	qsort(s->e, s->n, sizeof *s->e, entry_cmp);
}

/* Deterministic bytes, every value present. */
static void fill_bytes(unsigned char *p, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)x;
	}
}

static void mk_few(set_t *s)
{
	set_add(s, "alpha", 5, "one", 3);
	set_add(s, "beta", 4, "two", 3);
	set_add(s, "gamma", 5, "three", 5);
}

static void mk_empty_tags(set_t *s)
{
	set_add(s, "a", 1, "", 0);
	set_add(s, "b", 1, "x", 1);
	set_add(s, "c", 1, "", 0);
}

/* 100 KB and 3 MB tags: a tag split into many items over many leaves. */
static void mk_big(set_t *s)
{
	size_t sizes[] = { 100 * 1024, 3 * 1024 * 1024, 1 };
	const char *keys[] = { "big1", "big2", "small" };
	for (int i = 0; i < 3; i++) {
		unsigned char *t = malloc(sizes[i]);
		assert_non_null(t);
		fill_bytes(t, sizes[i], (uint32_t)i + 1);
		set_add(s, keys[i], strlen(keys[i]), t, sizes[i]);
		free(t);
	}
}

/* Keys of glass's maximum length (255 with the prefix), the last byte
 * apart, tags of one item and of several. */
static void mk_max_keys(set_t *s)
{
	char k[GBT_MAX_KEY - 2];
	memset(k, 'k', sizeof k);
	unsigned char t[5000];
	for (int i = 0; i < 300; i++) {
		k[sizeof k - 2] = (char)('a' + i / 26 % 26);
		k[sizeof k - 1] = (char)('a' + i % 26);
		size_t tl = i % 3 == 0 ? sizeof t : (size_t)(1 + i % 40);
		fill_bytes(t, tl, (uint32_t)i);
		set_add(s, k, sizeof k, t, tl);
	}
}

/* 50,000 entries: a tree of three levels. */
static void mk_many(set_t *s)
{
	unsigned char t[200];
	for (unsigned i = 0; i < 50000; i++) {
		char k[16];
		int kl = snprintf(k, sizeof k, "k%08u", i * 7);
		size_t tl = 100 + i % 100;
		fill_bytes(t, tl, i);
		set_add(s, k, (size_t)kl, t, tl);
	}
}

/* Tags of one to five items, of every length: how the first item of a
 * tag fills what is left of a leaf shows in the file's size. */
static void mk_spanning(set_t *s)
{
	unsigned char t[9000];
	for (unsigned i = 0; i < 400; i++) {
		char k[16];
		int kl = snprintf(k, sizeof k, "s%05u", i);
		size_t tl = 1 + i * 7919u % sizeof t;
		fill_bytes(t, tl, i);
		set_add(s, k, (size_t)kl, t, tl);
	}
}

/* Bytes of every value in keys (a NUL too: that key is checked by
 * iterating) and tags; keys that are prefixes of others. */
static void mk_binary(set_t *s)
{
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	set_add(s, "\x01", 1, all, 256);
	set_add(s, "ab", 2, "\0\0", 2);
	set_add(s, "ab\0", 3, "nul", 3);
	set_add(s, "ab\x01", 3, all + 1, 100);
	set_add(s, "abc", 3, "\xff", 1);
	set_add(s, "\x7f\x80\xfe", 3, all + 128, 128);
	set_add(s, "\xff", 1, "\0", 1);
	set_add(s, "\xff\xff", 2, all, 3);
}

/* ---------------------------------------------------------- databases */

static void root_default(glass_root_t *r, int table, unsigned bs)
{
	/* Xapian's defaults: compress from 18 bytes, but not postlist, position */
	gbt_root_absent(r, bs, table == GLASS_POSTLIST || table == GLASS_POSITION ? 0 : 18);
}

static void empty_table(const char *dir, const char *name, glass_root_t *r, unsigned bs)
{
	char *p = tu_path(dir, name);
	gbt_t *t = gbt_new(p, bs, 18, 1);
	assert_non_null(t);
	assert_int_equal(gbt_finish(t, r), 0);
	gbt_free(t);
	free(p);
}

/* Write S into a new database DIR of BS-byte blocks (the metadata prefix
 * added to each key); *PL gets the postlist table's root info. */
static void build_db(const char *dir, const set_t *s, glass_root_t *pl, unsigned bs)
{
	glass_root_t roots[GLASS_TABLES];
	for (int i = 0; i < GLASS_TABLES; i++)
		root_default(&roots[i], i, bs);
	char *p = tu_path(dir, "postlist.glass");
	gbt_t *t = gbt_new(p, bs, 0, 1);
	free(p);
	assert_non_null(t);
	char key[GBT_MAX_KEY + 2];
	memcpy(key, META, 2);
	for (size_t i = 0; i < s->n; i++) {
		memcpy(key + 2, s->e[i].key, s->e[i].klen);
		assert_int_equal(gbt_add(t, key, s->e[i].klen + 2, s->e[i].tag, s->e[i].tlen), 0);
	}
	assert_int_equal(gbt_finish(t, &roots[GLASS_POSTLIST]), 0);
	gbt_free(t);
	empty_table(dir, "termlist.glass", &roots[GLASS_TERMLIST], bs);
	glass_stats_t st = { 0 };
	assert_int_equal(glass_version_write(dir, 1, roots, &st), 0);
	if (pl)
		*pl = roots[GLASS_POSTLIST];
}

/* Xapian's check of DIR finds EXPECTED problems, each an empty metadata
 * value. */
static void assert_checks(const char *dir, size_t expected)
{
	size_t errors = 99;
	char *msg = NULL;
	assert_int_equal(xap_db_check(dir, &errors, &msg), XAP_OK);
	if (errors != expected)
		fprintf(stderr, "check of %s: %s\n", dir, msg ? msg : "?");
	assert_int_equal(errors, expected);
	size_t empty = 0;
	for (const char *m = msg; m && (m = strstr(m, "User metadata item is empty")); m++)
		empty++;
	assert_int_equal(empty, expected);
	free(msg);
}

static void assert_checks_clean(const char *dir)
{
	assert_checks(dir, 0);
}

/* DIR holds exactly S's entries (plus EXTRA_KEY: EXTRA_VAL when not NULL),
 * every tag byte for byte, the keys iterated in order. */
static void assert_holds(const char *dir, const set_t *s, const char *extra_key,
			 const char *extra_val)
{
	xap_db_t *db = NULL;
	char *err = NULL;
	assert_int_equal(xap_db_open_read(dir, &db, &err), XAP_OK);
	for (size_t i = 0; i < s->n; i++) {
		const entry_t *e = &s->e[i];
		if (memchr(e->key, 0, e->klen))
			continue; /* the binding takes a NUL-ended key */
		char *v = NULL;
		size_t vl = 0;
		assert_int_equal(xap_db_get_metadata(db, e->key, &v, &vl), XAP_OK);
		assert_int_equal(vl, e->tlen);
		assert_memory_equal(v, e->tag, e->tlen);
		free(v);
	}
	xap_termlist_t *tl = NULL;
	assert_int_equal(xap_db_metadata_keys(db, "", &tl), XAP_OK);
	const char *k;
	size_t kl, i = 0;
	int extra_seen = 0;
	while (xap_termlist_next(tl, &k, &kl)) {
		if (extra_key && kl == strlen(extra_key) && memcmp(k, extra_key, kl) == 0) {
			extra_seen = 1;
			continue;
		}
		assert_true(i < s->n);
		assert_int_equal(kl, s->e[i].klen);
		assert_memory_equal(k, s->e[i].key, kl);
		i++;
	}
	assert_int_equal(xap_termlist_status(tl), XAP_OK);
	assert_int_equal(i, s->n);
	xap_termlist_destroy(tl);
	if (extra_key) {
		assert_true(extra_seen);
		char *v = NULL;
		size_t vl = 0;
		assert_int_equal(xap_db_get_metadata(db, extra_key, &v, &vl), XAP_OK);
		assert_string_equal(v, extra_val);
		free(v);
	}
	xap_db_destroy(db);
}

static off_t file_size(const char *dir, const char *name)
{
	char *p = tu_path(dir, name);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	free(p);
	return sb.st_size;
}

/* ---------------------------------------------------------- the cases */

typedef struct {
	const char *name;
	void (*make)(set_t *);
	unsigned bs;    /* block size */
	unsigned level; /* the tree's expected height */
	/* what Xapian's check reports: the only problem it sees with an empty
	 * metadata value (Xapian deletes the key instead of storing "") */
	size_t check_errors;
} case_t;

static const case_t cases[] = {
	{ "a few entries", mk_few, BS, 0, 0 },
	{ "empty tags", mk_empty_tags, BS, 0, 2 },
	{ "100 KB and 3 MB tags", mk_big, BS, 1, 0 },
	{ "keys of the maximum length", mk_max_keys, BS, 2, 0 },
	{ "50,000 entries", mk_many, BS, 2, 0 },
	{ "binary keys and tags", mk_binary, BS, 0, 0 },
	{ "2 KB blocks", mk_spanning, 2048, 2, 0 },
	{ "64 KB blocks", mk_spanning, 65536, 1, 0 },
};

/* Each case: written, read back exactly, checked clean. */
static void test_case(void **state)
{
	const case_t *c = *state;
	set_t s = { 0 };
	c->make(&s);
	char *dir = tu_mkdtemp();
	glass_root_t pl;
	build_db(dir, &s, &pl, c->bs);
	assert_int_equal(pl.num_entries, s.n);
	assert_int_equal(pl.level, c->level);
	assert_false(pl.root_is_fake);
	assert_true(pl.sequential);
	/* every block of the file is in the tree: the file is that long */
	assert_int_equal(file_size(dir, "postlist.glass") % c->bs, 0);
	assert_checks(dir, c->check_errors);
	assert_holds(dir, &s, NULL, NULL);
	tu_rmtree(dir);
	free(dir);
	set_free(&s);
}

/* Xapian's writer takes such a database up: the free list and revisions
 * are as it expects. It adds, replaces and deletes; all still checks. */
static void test_xapian_updates(void **state)
{
	(void)state;
	set_t s = { 0 };
	mk_many(&s);
	mk_big(&s);
	set_sort(&s);
	char *dir = tu_mkdtemp();
	build_db(dir, &s, NULL, BS);

	xap_db_t *db = NULL;
	char *err = NULL;
	assert_int_equal(xap_db_open_write(dir, XAP_DB_OPEN, 0, &db, &err), XAP_OK);
	assert_int_equal(xap_db_set_metadata(db, "new", "value", 5), XAP_OK);
	xap_doc_t *doc = NULL;
	assert_int_equal(xap_doc_new(&doc), XAP_OK);
	assert_int_equal(xap_doc_add_posting(doc, "word", 4, 1, 1), XAP_OK);
	assert_int_equal(xap_doc_set_data(doc, "data", 4), XAP_OK);
	unsigned id = 0;
	assert_int_equal(xap_db_add_doc(db, doc, &id), XAP_OK);
	assert_int_equal(id, 1);
	assert_int_equal(xap_db_commit(db), XAP_OK);
	xap_doc_destroy(doc);
	uint64_t rev = 0;
	assert_int_equal(xap_db_revision(db, &rev), XAP_OK);
	assert_int_equal(rev, 2);
	xap_db_destroy(db);
	assert_checks_clean(dir);
	assert_holds(dir, &s, "new", "value");

	/* a second commit frees blocks of the first: the free list is used */
	assert_int_equal(xap_db_open_write(dir, XAP_DB_OPEN, 0, &db, &err), XAP_OK);
	assert_int_equal(xap_db_set_metadata(db, "new", "other", 5), XAP_OK);
	assert_int_equal(xap_db_commit(db), XAP_OK);
	xap_db_destroy(db);
	assert_checks_clean(dir);
	assert_holds(dir, &s, "new", "other");

	assert_int_equal(xap_db_open_read(dir, &db, &err), XAP_OK);
	unsigned n = 0;
	assert_int_equal(xap_db_doc_count(db, &n), XAP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(xap_db_term_freq(db, "word", 4, &n), XAP_OK);
	assert_int_equal(n, 1);
	xap_db_destroy(db);
	tu_rmtree(dir);
	free(dir);
	set_free(&s);
}

/* Xapian's compactor copies such a database; its table is no smaller than
 * ours. (xap_compact compacts at Xapian's standard level, which fills the
 * first leaves less; at xapian-compact's default, full, the two files are
 * the same size.) */
static void test_compact(void **state)
{
	(void)state;
	set_t s = { 0 };
	mk_many(&s);
	mk_binary(&s);
	mk_spanning(&s);
	char *dir = tu_mkdtemp();
	char *out = tu_mkdtemp();
	char *dest = tu_path(out, "db");
	set_sort(&s);
	build_db(dir, &s, NULL, BS);

	const char *srcs[] = { dir };
	char *err = NULL;
	assert_int_equal(xap_compact(srcs, 1, dest, 0, &err), XAP_OK);
	assert_checks_clean(dest);
	assert_holds(dest, &s, NULL, NULL);
	off_t ours = file_size(dir, "postlist.glass"), theirs = file_size(dest, "postlist.glass");
	assert_true(ours <= theirs);
	tu_rmtree(dir);
	tu_rmtree(out);
	free(dir);
	free(out);
	free(dest);
	set_free(&s);
}

/* What gbt_add refuses, and that the table goes on after it. */
static void test_rejects(void **state)
{
	(void)state;
	char longkey[GBT_MAX_KEY + 2]; /* one byte too many, and a NUL */
	memset(longkey, 'z', GBT_MAX_KEY + 1);
	memcpy(longkey, META, 2);
	longkey[GBT_MAX_KEY + 1] = 0;
	static const struct {
		const char *key;
		size_t klen;
	} bad[] = {
		{ META "m", 3 },       /* the previous key again */
		{ META "l", 3 },       /* before it */
		{ META, 2 },           /* a prefix of it: sorts before */
		{ "", 0 },             /* empty */
		{ NULL, GBT_MAX_KEY + 1 }, /* too long (longkey) */
	};
	char *dir = tu_mkdtemp();
	char *p = tu_path(dir, "postlist.glass");
	gbt_t *t = gbt_new(p, BS, 0, 1);
	assert_non_null(t);
	assert_int_equal(gbt_add(t, META "m", 3, "1", 1), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		const char *k = bad[i].key ? bad[i].key : longkey;
		assert_int_equal(gbt_add(t, k, bad[i].klen, "x", 1), -1);
		assert_int_equal(errno, EINVAL);
	}
	/* a tag of more than GBT_MAX_COMPONENTS items (never touched: calloc's
	 * pages stay unmapped) */
	size_t huge = (size_t)(GBT_MAX_COMPONENTS + 1) * (BS / 4);
	char *big = calloc(1, huge);
	assert_non_null(big);
	errno = 0;
	assert_int_equal(gbt_add(t, META "n", 3, big, huge), -1);
	assert_int_equal(errno, EFBIG);
	free(big);
	/* a maximal key is fine */
	assert_int_equal(gbt_add(t, longkey, GBT_MAX_KEY, "2", 1), 0);
	glass_root_t roots[GLASS_TABLES];
	for (int i = 0; i < GLASS_TABLES; i++)
		root_default(&roots[i], i, BS);
	assert_int_equal(gbt_finish(t, &roots[GLASS_POSTLIST]), 0);
	assert_int_equal(roots[GLASS_POSTLIST].num_entries, 2);
	assert_int_equal(gbt_add(t, META "n", 3, "x", 1), -1); /* finished */
	gbt_free(t);

	/* an existing file, a bad block size */
	errno = 0;
	assert_null(gbt_new(p, BS, 0, 1));
	assert_int_equal(errno, EEXIST);
	free(p);
	p = tu_path(dir, "other.glass");
	errno = 0;
	assert_null(gbt_new(p, 3000, 0, 1));
	assert_int_equal(errno, EINVAL);
	free(p);

	empty_table(dir, "termlist.glass", &roots[GLASS_TERMLIST], BS);
	assert_true(roots[GLASS_TERMLIST].root_is_fake);
	glass_stats_t st = { 0 };
	assert_int_equal(glass_version_write(dir, 1, roots, &st), 0);
	assert_checks_clean(dir);
	xap_db_t *db = NULL;
	char *err = NULL;
	assert_int_equal(xap_db_open_read(dir, &db, &err), XAP_OK);
	char *v = NULL;
	size_t vl;
	assert_int_equal(xap_db_get_metadata(db, "m", &v, &vl), XAP_OK);
	assert_string_equal(v, "1");
	free(v);
	longkey[GBT_MAX_KEY] = 0;
	assert_int_equal(xap_db_get_metadata(db, longkey + 2, &v, &vl), XAP_OK);
	assert_string_equal(v, "2");
	free(v);
	xap_db_destroy(db);
	tu_rmtree(dir);
	free(dir);
}

/* A failed write (the file may not grow past 64 KB) fails the add that
 * met it, and every call after it, with its errno. */
static void test_write_error(void **state)
{
	(void)state;
	struct rlimit old, small = { 64 * 1024, 0 };
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small.rlim_max = old.rlim_max;
	void (*oldsig)(int) = signal(SIGXFSZ, SIG_IGN);
	char *dir = tu_mkdtemp();
	char *p = tu_path(dir, "postlist.glass");
	gbt_t *t = gbt_new(p, BS, 0, 1);
	assert_non_null(t);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	unsigned char tag[1000] = { 0 };
	int r = 0;
	unsigned i;
	for (i = 0; i < 10000 && r == 0; i++) {
		char k[16];
		int kl = snprintf(k, sizeof k, "k%06u", i);
		r = gbt_add(t, k, (size_t)kl, tag, sizeof tag);
	}
	int e = errno;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	assert_int_equal(r, -1);
	assert_int_equal(e, EFBIG);
	assert_true(i > 64); /* it failed at the write, not at once */
	errno = 0;
	assert_int_equal(gbt_add(t, "z", 1, "", 0), -1);
	assert_int_equal(errno, EFBIG);
	glass_root_t root;
	errno = 0;
	assert_int_equal(gbt_finish(t, &root), -1);
	assert_int_equal(errno, EFBIG);
	gbt_free(t);
	free(p);
	tu_rmtree(dir);
	free(dir);
}

/* The statistics come back as written (the two stored as differences
 * too), and each database gets its own version 4 UUID. */
static void test_version_file(void **state)
{
	(void)state;
	char *dirs[2];
	char *uuids[2];
	for (int i = 0; i < 2; i++) {
		dirs[i] = tu_mkdtemp();
		set_t s = { 0 };
		mk_few(&s);
		build_db(dirs[i], &s, NULL, BS);
		set_free(&s);
		xap_db_t *db = NULL;
		char *err = NULL;
		assert_int_equal(xap_db_open_read(dirs[i], &db, &err), XAP_OK);
		assert_int_equal(xap_db_uuid(db, &uuids[i]), XAP_OK);
		assert_int_equal(strlen(uuids[i]), 36);
		assert_int_equal(uuids[i][14], '4');
		assert_non_null(strchr("89ab", uuids[i][19]));
		uint64_t rev = 0;
		assert_int_equal(xap_db_revision(db, &rev), XAP_OK);
		assert_int_equal(rev, 1);
		xap_db_destroy(db);
	}
	assert_string_not_equal(uuids[0], uuids[1]);

	/* statistics, over a database of no documents: read, not checked */
	glass_root_t roots[GLASS_TABLES];
	for (int i = 0; i < GLASS_TABLES; i++)
		root_default(&roots[i], i, BS);
	char *post = tu_path(dirs[0], "postlist.glass");
	unlink(post);
	free(post);
	empty_table(dirs[0], "postlist.glass", &roots[GLASS_POSTLIST], BS);
	glass_stats_t st = { .doccount = 3, .last_docid = 9, .doclen_lbound = 2,
			     .doclen_ubound = 500, .wdf_ubound = 40,
			     .total_doclen = 5000000000ull };
	assert_int_equal(glass_version_write(dirs[0], 1, roots, &st), 0);
	xap_db_t *db = NULL;
	char *err = NULL;
	assert_int_equal(xap_db_open_read(dirs[0], &db, &err), XAP_OK);
	unsigned n = 0;
	uint64_t total = 0;
	assert_int_equal(xap_db_doc_count(db, &n), XAP_OK);
	assert_int_equal(n, 3);
	assert_int_equal(xap_db_last_docid(db, &n), XAP_OK);
	assert_int_equal(n, 9);
	assert_int_equal(xap_db_total_length(db, &total), XAP_OK);
	assert_int_equal(total, 5000000000ull);
	xap_db_destroy(db);

	/* a version file longer than Xapian reads is refused, nothing left */
	for (int i = 0; i < GLASS_TABLES; i++) {
		roots[i].root = UINT32_MAX;
		roots[i].num_entries = UINT64_MAX;
		roots[i].fl_len = GBT_FL_MAX;
		memset(roots[i].fl_serialised, 0x7f, GBT_FL_MAX);
	}
	char *ver = tu_path(dirs[1], "iamglass"), *tmp = tu_path(dirs[1], "v.tmp");
	struct stat before, after;
	assert_int_equal(stat(ver, &before), 0);
	errno = 0;
	assert_int_equal(glass_version_write(dirs[1], 1, roots, &st), -1);
	assert_int_equal(errno, EOVERFLOW);
	assert_int_equal(stat(ver, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_not_equal(access(tmp, F_OK), 0);
	free(ver);
	free(tmp);
	for (int i = 0; i < 2; i++) {
		tu_rmtree(dirs[i]);
		free(dirs[i]);
		free(uuids[i]);
	}
}

/* Xapian's pack_uint, for reading Xapian's own version file. */
static uint64_t unpack(const unsigned char **p, const unsigned char *end)
{
	uint64_t v = 0;
	for (unsigned shift = 0; *p < end; shift += 7) {
		unsigned c = *(*p)++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	fail_msg("version file ends inside a number");
	return 0;
}

static unsigned char *slurp(const char *dir, const char *name, size_t *len)
{
	char *p = tu_path(dir, name);
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	unsigned char *b = malloc(4096);
	*len = fread(b, 1, 4096, f);
	fclose(f);
	free(p);
	return b;
}

/* Given the root info of a database Xapian wrote and the statistics its
 * documents make, the version file is Xapian's, byte for byte but the
 * UUID. */
static void test_version_as_xapian(void **state)
{
	(void)state;
	char *xdir = tu_mkdtemp(), *odir = tu_mkdtemp();
	char *xdb = tu_path(xdir, "db");
	xap_db_t *db = NULL;
	char *err = NULL;
	assert_int_equal(xap_db_open_write(xdb, XAP_DB_CREATE, 0, &db, &err), XAP_OK);
	static const struct {
		const char *term;
		unsigned wdf;
	} docs[3][2] = {
		{ { "a", 2 }, { "b", 1 } }, /* length 3 */
		{ { "c", 5 }, { "e", 2 } }, /* length 7: the greatest wdf 5 */
		{ { "d", 1 }, { NULL, 0 } }, /* length 1, then deleted */
	};
	for (int i = 0; i < 3; i++) {
		xap_doc_t *doc = NULL;
		assert_int_equal(xap_doc_new(&doc), XAP_OK);
		for (int j = 0; j < 2 && docs[i][j].term; j++)
			assert_int_equal(xap_doc_add_term(doc, docs[i][j].term, 1, docs[i][j].wdf),
					 XAP_OK);
		assert_int_equal(xap_db_add_doc(db, doc, NULL), XAP_OK);
		xap_doc_destroy(doc);
	}
	assert_int_equal(xap_db_delete_doc(db, 3), XAP_OK);
	assert_int_equal(xap_db_add_spelling(db, "word", 4), XAP_OK);
	assert_int_equal(xap_db_commit(db), XAP_OK);
	xap_db_destroy(db);

	size_t xlen, olen;
	unsigned char *x = slurp(xdb, "iamglass", &xlen);
	const unsigned char *p = x + 32, *end = x + xlen;
	uint32_t rev = (uint32_t)unpack(&p, end);
	glass_root_t roots[GLASS_TABLES];
	for (int i = 0; i < GLASS_TABLES; i++) {
		glass_root_t *r = &roots[i];
		memset(r, 0, sizeof *r);
		r->root = (uint32_t)unpack(&p, end);
		uint64_t v = unpack(&p, end);
		r->level = (unsigned)(v >> 2);
		r->sequential = (v & 2) != 0;
		r->root_is_fake = (v & 1) != 0;
		r->num_entries = unpack(&p, end);
		r->blocksize = (unsigned)unpack(&p, end) << 11;
		r->compress_min = (uint32_t)unpack(&p, end);
		r->fl_len = (unsigned)unpack(&p, end);
		assert_true(r->fl_len <= GBT_FL_MAX && r->fl_len <= (size_t)(end - p));
		memcpy(r->fl_serialised, p, r->fl_len);
		p += r->fl_len;
	}
	glass_stats_t st = { .doccount = 2, .last_docid = 3, .doclen_lbound = 1,
			     .doclen_ubound = 7, .wdf_ubound = 5, .total_doclen = 10,
			     .spelling_wordfreq_ubound = 4 };
	assert_int_equal(glass_version_write(odir, rev, roots, &st), 0);
	unsigned char *o = slurp(odir, "iamglass", &olen);
	assert_int_equal(olen, xlen);
	assert_memory_equal(o, x, 16);
	assert_memory_not_equal(o + 16, x + 16, 16);
	assert_memory_equal(o + 32, x + 32, xlen - 32);
	free(x);
	free(o);
	tu_rmtree(xdir);
	tu_rmtree(odir);
	free(xdb);
	free(xdir);
	free(odir);
}

int main(void)
{
	struct CMUnitTest tests[sizeof cases / sizeof cases[0] + 6];
	size_t n = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct CMUnitTest u = cmocka_unit_test_prestate(test_case, (void *)&cases[i]);
		u.name = cases[i].name;
		tests[n++] = u;
	}
	struct CMUnitTest more[] = {
		cmocka_unit_test(test_xapian_updates),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_version_file),
		cmocka_unit_test(test_version_as_xapian),
	};
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		tests[n++] = more[i];
	return _cmocka_run_group_tests("glass_btree", tests, n, NULL, NULL);
}
