/* test_glass_merge.c - glass_merge of databases written by Xapian's writer
 * and by lode's reads, through Xapian's API, as Xapian's compactor's merge
 * of them keeping docids (xap_compact_keep_docids), and checks clean with
 * Xapian's check and xapian-check; its tables hold, entry for entry, what
 * lode's writer makes of all the documents at once: every posting list
 * re-chunked into full chunks, termlists deflated as Xapian's compactor
 * deflates them. What it cannot merge it refuses, leaving
 * nothing behind. */
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

#include "glass_docdata.h"
#include "glass_merge.h"
#include "glass_read.h"
#include "xapian_c.h"
#include "helpers/dbcmp.h"
#include "helpers/testutil.h"
#include "helpers/xaptest.h"

/* Under ASan: libxapian 1.4.22's Database::check() frees an object with a
 * sized delete of the wrong size (inside libxapian.so): see test_binding. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "new_delete_type_mismatch=0";
}

typedef struct {
	char *root;
} dirs_t;

static int setup(void **state)
{
	dirs_t *d = calloc(1, sizeof *d);
	d->root = tu_mkdtemp();
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	dirs_t *d = *state;
	tu_rmtree(d->root);
	free(d->root);
	free(d);
	return 0;
}

static char *sub(const dirs_t *d, const char *name)
{
	return tu_path(d->root, name);
}

/* Every entry of table T of A and of B, in order, is the same. */
static void same_entries(const char *a, const char *b, int t)
{
	glass_meta_t ma, mb;
	assert_int_equal(glass_meta_read(a, &ma, NULL), 0);
	assert_int_equal(glass_meta_read(b, &mb, NULL), 0);
	gr_cursor_t *ca = gr_open(a, &ma, t, NULL), *cb = gr_open(b, &mb, t, NULL);
	assert_non_null(ca);
	assert_non_null(cb);
	size_t n = 0;
	for (;;) {
		const unsigned char *ka, *kb, *ta, *tb;
		size_t kla, klb, tla, tlb;
		int ra = gr_next(ca, &ka, &kla, &ta, &tla), rb = gr_next(cb, &kb, &klb, &tb, &tlb);
		if (ra != rb)
			print_error("%s: entry %zu: one table ends first\n", glass_table_name(t), n);
		assert_int_equal(ra, rb);
		if (!ra)
			break;
		if (kla != klb || memcmp(ka, kb, kla) || tla != tlb || memcmp(ta, tb, tla))
			print_error("%s: entry %zu differs (key %zu / %zu bytes, tag %zu / %zu)\n",
				    glass_table_name(t), n, kla, klb, tla, tlb);
		assert_int_equal(kla, klb);
		assert_memory_equal(ka, kb, kla);
		assert_int_equal(tla, tlb);
		assert_memory_equal(ta, tb, tla);
		n++;
	}
	assert_int_equal(gr_status(ca), 0);
	assert_int_equal(gr_status(cb), 0);
	gr_close(ca);
	gr_close(cb);
}

static long file_size(const char *dir, const char *name)
{
	char *p = tu_path(dir, name);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	free(p);
	return (long)sb.st_size;
}

static void merge_ok(const char *const *srcs, size_t n, const char *dest, unsigned flags)
{
	char *err = NULL;
	assert_int_equal(mkdir(dest, 0777), 0);
	int rc = glass_merge(srcs, n, dest, flags | GM_NO_SYNC, &err);
	if (rc)
		print_error("glass_merge: %s\n", err);
	assert_int_equal(rc, 0);
	assert_null(err);
}

/* Xapian's command-line check, when it is installed. */
static void xapian_check(const char *db)
{
	if (system("command -v xapian-check >/dev/null 2>&1") != 0)
		return;
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "xapian-check '%s' >/dev/null 2>&1", db);
	assert_int_equal(system(cmd), 0);
}

/* The merge of SRCS against Xapian's compactor's. */
static void against_compactor(const dirs_t *d, const char *const *srcs, size_t n,
			      const int *slots, const char *merged)
{
	char *ref = sub(d, "compacted");
	char *err = NULL;
	OK(xap_compact_keep_docids(srcs, n, ref, &err), err);
	merge_ok(srcs, n, merged, 0);
	dc_compare_dbs(ref, merged, slots);
	xapian_check(merged);
	free(ref);
}

/* ------------------------------------------------------ the small table */

static char long_a[245], long_b[244], long_c[245];
static const op_t m1[] = {
	P("hello", 1, 1), P("world", 2, 1), P("hello", 3, 1), T("Qone", 0), T("XTAG", 2),
	V(0, "b"), V(5, "zz"), V(300, "big slot"), D("doc one"),
};
static const op_t m2[] = {
	P("rep", 4, 1), P("rep", 4, 1), P("ooo", 9, 1), P("ooo", 3, 1), P("heavy", 2, 3),
	P("hello", 6, 1), T("hello", 4), V(0, "a"), V(5, "zy"), V(7, "\xff\xff"), D("two"),
};
static const op_t m3[] = {
	P("\xc3\xa9t\xc3\xa9", 1, 1), P("a\0b", 3, 1), P("\0lead", 4, 1), T("\xff\xfe", 1),
	V(128, "v\0" "128"), V(1, "\xff"), V(0, "c"), D("bin\0ary"),
};
static const op_t m4[] = { V(0, "0"), V(1, "\x01"), D("values and data, no terms") };
static op_t m5[3];
static op_t m6[40];
static char slotv[40][8];
static tdoc_t small_docs[] = {
	{ 1, m1, sizeof m1 / sizeof *m1 }, { 2, NULL, 0 }, { 4, m2, sizeof m2 / sizeof *m2 },
	{ 9, m3, sizeof m3 / sizeof *m3 }, { 10, m4, sizeof m4 / sizeof *m4 },
	{ 30, m5, 3 }, { 31, m6, 40 },
};
static const op_t seg_meta[] = { M("f:b", "segment's"), M("f:a", "\0bin") };
static const op_t run1_meta[] = { M("f:c", "one") };
static const op_t run2_meta[] = { M("f:d", "two"), M("\x80high", "x") };
static const int small_slots[] = { 0, 1, 5, 7, 9, 30, 39, 128, 300, -1 };

static void small_init(void)
{
	memset(long_a, 'x', sizeof long_a);
	memset(long_b, 'x', sizeof long_b);
	memset(long_c, 'x', sizeof long_c);
	long_c[244] = 'y';
	m5[0] = (op_t){ 'p', long_a, sizeof long_a, 1, 1, NULL, 0 };
	m5[1] = (op_t){ 'p', long_b, sizeof long_b, 2, 1, NULL, 0 };
	m5[2] = (op_t){ 't', long_c, sizeof long_c, 0, 5, NULL, 0 };
	for (unsigned i = 0; i < 40; i++) { /* values in many slots */
		int n = snprintf(slotv[i], sizeof slotv[i], "s%u", i * 7 % 13);
		m6[i] = (op_t){ 'v', slotv[i], (size_t)n, i, 0, NULL, 0 };
	}
}

/* A segment of Xapian's holding only metadata, then runs: lode's, an
 * empty one of Xapian's, Xapian's, lode's, an empty one of lode's last (its
 * statistics are zeros: neither the least length nor the last docid);
 * long terms, many slots. */
static void test_small(void **state)
{
	dirs_t *d = *state;
	small_init();
	corpus_t seg = { NULL, 0, seg_meta, 2 };
	corpus_t r1 = { small_docs, 3, run1_meta, 1 };
	corpus_t empty = { NULL, 0, NULL, 0 };
	corpus_t r2 = { small_docs + 3, 2, run2_meta, 2 };
	corpus_t r3 = { small_docs + 5, 2, NULL, 0 };
	char *s0 = sub(d, "s0"), *s1 = sub(d, "r1"), *s2 = sub(d, "r2"), *s3 = sub(d, "r3"),
	     *s4 = sub(d, "r4"), *s5 = sub(d, "r5"), *m = sub(d, "merged");
	dc_build_xapian(s0, &seg);
	dc_build_gw(s1, &r1);
	dc_build_xapian(s2, &empty);
	dc_build_xapian(s3, &r2);
	dc_build_gw(s4, &r3);
	dc_build_gw(s5, &empty);
	const char *srcs[] = { s0, s1, s2, s3, s4, s5 };
	against_compactor(d, srcs, 6, small_slots, m);
	/* one source alone: a copy */
	char *one = sub(d, "one"), *ref1 = sub(d, "ref1"), *err = NULL;
	merge_ok((const char *const *)&s3, 1, one, 0);
	OK(xap_compact_keep_docids((const char *const *)&s3, 1, ref1, &err), err);
	dc_compare_dbs(ref1, one, small_slots);
	free(one);
	free(ref1);
	free(s0);
	free(s1);
	free(s2);
	free(s3);
	free(s4);
	free(s5);
	free(m);
}

/* ------------------------------------------------------------ generated */

/* 3000 documents in eight sources, Xapian's (several commits) and lode's
 * in turn, one empty and one of metadata only: the commonest terms span
 * every source and many chunks. The merge is what lode's writer makes of
 * them all, table for table and entry for entry, and what Xapian's
 * compactor makes of them read through the API; its postlist table is
 * smaller than the compactor's, which keeps each source's last chunk. */
static void test_generated(void **state)
{
	dirs_t *d = *state;
	gen_t *g = calloc(1, sizeof *g);
	corpus_t all = dc_generate(g, 3000, 1, 42);
	static const size_t cut[] = { 0, 0, 400, 400, 900, 2000, 2001, 2600, 3000 };
	static const op_t meta[][1] = { { M("f:seg", "s") }, { M("f:1", "a") }, { M("f:2", "b") },
					{ M("f:3", "c") }, { M("f:4", "d") }, { M("f:5", "e") },
					{ M("f:6", "f") }, { M("f:7", "g") } };
	char *srcs[8];
	for (size_t i = 0; i < 8; i++) {
		char name[16];
		snprintf(name, sizeof name, "src%zu", i);
		srcs[i] = sub(d, name);
		corpus_t c = { all.docs + cut[i], cut[i + 1] - cut[i], meta[i], i == 3 ? 0 : 1 };
		if (i % 2 == 0)
			dc_build_xapian_every(srcs[i], &c, 150);
		else
			dc_build_gw(srcs[i], &c);
	}
	char *m = sub(d, "merged"), *one = sub(d, "one");
	against_compactor(d, (const char *const *)srcs, 8, dc_gen_slots, m);

	/* lode's writer, all at once: the same tables */
	op_t allmeta[8];
	size_t k = 0;
	for (size_t i = 0; i < 8; i++)
		if (i != 3)
			allmeta[k++] = meta[i][0];
	corpus_t whole = all;
	whole.meta = allmeta;
	whole.nmeta = k;
	dc_build_gw(one, &whole);
	for (int t = GLASS_POSTLIST; t <= GLASS_POSITION; t++)
		same_entries(one, m, t);

	glass_meta_t mm, mc;
	char *ref = sub(d, "compacted");
	assert_int_equal(glass_meta_read(m, &mm, NULL), 0);
	assert_int_equal(glass_meta_read(ref, &mc, NULL), 0);
	assert_true(mm.roots[GLASS_POSTLIST].num_entries < mc.roots[GLASS_POSTLIST].num_entries);
	/* termlists deflated as Xapian's compactor deflates them; or not */
	char *raw = sub(d, "raw");
	merge_ok((const char *const *)srcs, 8, raw, GM_RAW_TERMLIST);
	dc_compare_dbs(ref, raw, dc_gen_slots);
	same_entries(m, raw, GLASS_TERMLIST);
	assert_true(file_size(m, "termlist.glass") * 4 < file_size(raw, "termlist.glass") * 3);
	assert_true(file_size(m, "termlist.glass") <= file_size(ref, "termlist.glass"));
	free(raw);
	/* the position table written by a thread of its own: the same tables */
	char *thr = sub(d, "threaded");
	merge_ok((const char *const *)srcs, 8, thr, GM_THREADS);
	for (int t = GLASS_POSTLIST; t <= GLASS_POSITION; t++)
		same_entries(m, thr, t);
	xapian_check(thr);
	free(thr);
	/* what the sources were made to hold: w0 in each, in several chunks */
	xap_db_t *db = dc_open_read(m);
	unsigned tf;
	DBOK(db, xap_db_term_freq(db, "w0", 2, &tf));
	assert_true(tf > 2500);
	xap_db_destroy(db);
	for (size_t i = 0; i < 8; i++)
		free(srcs[i]);
	free(m);
	free(one);
	free(ref);
	dc_gen_free(g);
}

/* Without document data, then that of a database holding all of it
 * linked in (glass_docdata_take), as index_compact.c does. */
static void test_no_docdata(void **state)
{
	dirs_t *d = *state;
	gen_t *g = calloc(1, sizeof *g);
	corpus_t all = dc_generate(g, 500, 1, 3);
	corpus_t a = all, b = all;
	a.n = 200;
	b.docs += 200;
	b.n -= 200;
	char *sa = sub(d, "a"), *sb = sub(d, "b"), *m = sub(d, "m"), *rec = sub(d, "records"),
	     *want = sub(d, "want"), *dd = tu_path(m, "docdata.glass");
	dc_build_gw(sa, &a);
	dc_build_xapian(sb, &b);
	dc_build_gw(rec, &all);
	dc_build_xapian(want, &all);
	merge_ok((const char *const[]){ sa, sb }, 2, m, GM_NO_DOCDATA);
	assert_int_equal(access(dd, F_OK), -1);
	assert_int_equal(glass_docdata_take(rec, m), 0);
	dc_compare_dbs(want, m, dc_gen_slots);
	free(sa);
	free(sb);
	free(m);
	free(rec);
	free(want);
	free(dd);
	dc_gen_free(g);
}

/* A metadata key two sources hold keeps the first source's value. */
static void test_duplicate_metadata(void **state)
{
	dirs_t *d = *state;
	static const op_t ma[] = { M("k", "first"), M("only-a", "1") };
	static const op_t mb[] = { M("k", "second"), M("only-b", "2") };
	corpus_t a = { NULL, 0, ma, 2 }, b = { NULL, 0, mb, 2 };
	char *sa = sub(d, "a"), *sb = sub(d, "b"), *m = sub(d, "m");
	dc_build_xapian(sa, &a);
	dc_build_gw(sb, &b);
	merge_ok((const char *const[]){ sa, sb }, 2, m, 0);
	xap_db_t *db = dc_open_read(m);
	char *v;
	size_t n;
	DBOK(db, xap_db_get_metadata(db, "k", &v, &n));
	assert_int_equal(n, 5);
	assert_memory_equal(v, "first", 5);
	free(v);
	DBOK(db, xap_db_get_metadata(db, "only-b", &v, &n));
	assert_int_equal(n, 1);
	free(v);
	xap_db_destroy(db);
	free(sa);
	free(sb);
	free(m);
}

/* ------------------------------------------------------------- refusals */

static void refused(const char *const *srcs, size_t n, const char *dest, int want_errno)
{
	char *err = NULL;
	errno = 0;
	assert_int_equal(glass_merge(srcs, n, dest, GM_NO_SYNC, &err), -1);
	if (want_errno)
		assert_int_equal(errno, want_errno);
	assert_non_null(err);
	assert_true(strlen(err) > 0);
	free(err);
	/* nothing left behind */
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", dest);
	assert_int_equal(system(cmd), 0);
}

static void test_refusals(void **state)
{
	dirs_t *d = *state;
	gen_t *g = calloc(1, sizeof *g);
	corpus_t all = dc_generate(g, 300, 1, 9);
	corpus_t a = all, b = all;
	a.n = 200;
	b.docs += 100; /* docids 101.. overlap a's */
	b.n -= 100;
	char *sa = sub(d, "a"), *sb = sub(d, "b"), *sp = sub(d, "spell"), *dest = sub(d, "dest"),
	     *tl = tu_path(sa, "postlist.glass");
	dc_build_gw(sa, &a);
	dc_build_xapian(sb, &b);
	assert_int_equal(mkdir(dest, 0777), 0);
	refused((const char *const[]){ sa, sb }, 2, dest, EINVAL);
	refused((const char *const[]){ sb, sa }, 2, dest, EINVAL); /* not ascending */

	/* docids interleaved (1, 5 then 3): no key in both, yet a term's
	 * postings would not ascend */
	static const op_t one[] = { P("both", 1, 1) };
	tdoc_t ia[] = { { 1, one, 1 }, { 5, one, 1 } }, ib[] = { { 3, one, 1 } };
	corpus_t ca = { ia, 2, NULL, 0 }, cb = { ib, 1, NULL, 0 };
	char *xa = sub(d, "ia"), *xb = sub(d, "ib");
	dc_build_gw(xa, &ca);
	dc_build_xapian(xb, &cb);
	refused((const char *const[]){ xa, xb }, 2, dest, EINVAL);
	/* the same docid in both, a document of data only */
	static const op_t data[] = { D("data") };
	tdoc_t da[] = { { 2, data, 1 } };
	corpus_t cd = { da, 1, NULL, 0 };
	tu_rmtree(xa);
	tu_rmtree(xb);
	dc_build_gw(xa, &cd);
	dc_build_gw(xb, &cd);
	refused((const char *const[]){ xa, xb }, 2, dest, EINVAL);
	free(xa);
	free(xb);

	/* DEST a database already: refused, and left as it was */
	char *err2 = NULL;
	unsigned before, after;
	xap_db_t *db = dc_open_read(sb);
	DBOK(db, xap_db_doc_count(db, &before));
	xap_db_destroy(db);
	assert_int_equal(glass_merge((const char *const[]){ sa }, 1, sb, GM_NO_SYNC, &err2), -1);
	assert_int_equal(errno, EEXIST);
	free(err2);
	db = dc_open_read(sb);
	DBOK(db, xap_db_doc_count(db, &after));
	xap_db_destroy(db);
	assert_int_equal(after, before);

	/* a spelling table */
	db = NULL;
	char *err = NULL;
	OK(xap_db_open_write(sp, XAP_DB_CREATE, 0, &db, &err), err);
	DBOK(db, xap_db_add_spelling(db, "word", 1));
	DBOK(db, xap_db_commit(db));
	xap_db_destroy(db);
	refused((const char *const[]){ sp }, 1, dest, ENOTSUP);

	/* not a database; a damaged table */
	refused((const char *const[]){ dest }, 1, dest, 0);
	assert_int_equal(truncate(tl, 8192 * 3 + 100), 0);
	refused((const char *const[]){ sa }, 1, dest, EBADMSG);
	free(sa);
	free(sb);
	free(sp);
	free(dest);
	free(tl);
	dc_gen_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_docdata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_metadata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
