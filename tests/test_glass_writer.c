/* test_glass_writer.c - a database the bulk glass writer makes reads,
 * through Xapian's API, exactly as the one Xapian's replace_document(docid,
 * doc) makes of the same documents: every term's frequencies, posting list,
 * wdf upper bound and positions, every document's termlist, length, values
 * and data, the value statistics, the database's counts and the bounds
 * Xapian keeps in its version file, metadata; and Xapian's check finds
 * nothing wrong. Then Xapian's compactor merges two of them, and Xapian's
 * writer updates one, as its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass_docdata.h"
#include "glass_writer.h"
#include "xapian_c.h"
#include "helpers/testutil.h"
#include "helpers/xaptest.h"
#include "helpers/dbcmp.h"

/* Under ASan: libxapian 1.4.22's Database::check() itself frees an object
 * with a sized delete of the wrong size (inside libxapian.so), so that one
 * check is off for this binary, as in test_binding. Unused without ASan. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "new_delete_type_mismatch=0";
}

/* ------------------------------------------------------- the small table */

static const op_t d1[] = {
	P("hello", 1, 1), P("world", 2, 1), P("hello", 3, 1), T("Qone", 0), T("XTAG", 2),
	V(0, "b"), V(5, "zz"), D("doc one"),
};
static const op_t d5[] = {
	P("rep", 4, 1), P("rep", 4, 1),                   /* one position, wdf 2 */
	P("ooo", 9, 1), P("ooo", 3, 1), P("ooo", 7, 1), /* out of order */
	P("heavy", 2, 3), P("hell", 5, 1), P("hello", 6, 1), T("hello", 4),
	V(0, "a"), V(5, "zz"), D("gone"), D(""),
};
static const op_t d9[] = {
	P("\xc3\xa9t\xc3\xa9", 1, 1), P("a", 2, 1), P("a\0b", 3, 1), P("\0lead", 4, 1),
	T("\xff\xfe", 1), P("a\0b", 8, 1), V(256, "v256"), V(128, "v\0" "128"), V(1, "\xff"),
	D("bin\0ary \xff data"),
};
static const op_t d10[] = { V(0, "c"), D("values and data, no terms") };
static const op_t d11[] = {
	P("zero", 3, 0), T("both", 1), P("both", 1, 1), P("both", 2, 2), T("Qeleven", 0),
	V(7, "x"), V(7, "y"), V(8, "gone"), V(8, ""), V(5, "aa"),
};
static const op_t tiny_meta[] = {
	M("k1", "v1"), M("\x80high", "bin\0ary"), M("k1", "v2"), M("gone", "x"), M("gone", ""),
	M("z", "last"),
};

static char long_a[245], long_b[244], long_c[245];
static op_t d12[4];
static tdoc_t tiny_docs[] = {
	{ 1, d1, N(d1) }, { 2, NULL, 0 }, { 5, d5, N(d5) }, { 9, d9, N(d9) },
	{ 10, d10, N(d10) }, { 11, d11, N(d11) }, { 40, d12, N(d12) },
};
static const int tiny_slots[] = { 0, 1, 2, 5, 7, 8, 128, 256, -1 };

/* Terms of Xapian's longest, one of them a prefix of another. */
static corpus_t tiny(void)
{
	memset(long_a, 'x', sizeof long_a);
	memset(long_b, 'x', sizeof long_b);
	memset(long_c, 'x', sizeof long_c);
	long_c[244] = 'y';
	d12[0] = (op_t){ 'p', long_a, sizeof long_a, 1, 1, NULL, 0 };
	d12[1] = (op_t){ 'p', long_b, sizeof long_b, 2, 1, NULL, 0 };
	d12[2] = (op_t){ 't', long_c, sizeof long_c, 0, 5, NULL, 0 };
	d12[3] = (op_t){ 'p', "hello", 5, 9, 1, NULL, 0 };
	return (corpus_t){ tiny_docs, N(tiny_docs), tiny_meta, N(tiny_meta) };
}

typedef struct {
	char *root, *xap, *gw;
} dirs_t;

static int setup(void **state)
{
	dirs_t *d = calloc(1, sizeof *d);
	d->root = tu_mkdtemp();
	d->xap = tu_path(d->root, "xapian");
	d->gw = tu_path(d->root, "gw");
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	dirs_t *d = *state;
	tu_rmtree(d->root);
	free(d->root);
	free(d->xap);
	free(d->gw);
	free(d);
	return 0;
}

static void test_tiny(void **state)
{
	dirs_t *d = *state;
	corpus_t c = tiny();
	dc_build_xapian(d->xap, &c);
	dc_build_gw(d->gw, &c);
	dc_compare_dbs(d->xap, d->gw, tiny_slots);
}


static void test_generated(void **state)
{
	dirs_t *d = *state;
	gen_t *g = calloc(1, sizeof *g);
	corpus_t c = dc_generate(g, 3000, 1, 42);
	dc_build_xapian(d->xap, &c);
	dc_build_gw(d->gw, &c);
	dc_compare_dbs(d->xap, d->gw, dc_gen_slots);
	/* what the batch was made to hold: a posting list of several chunks
	 * (at least 2 bytes an entry, a chunk ends past 2000), a long
	 * position list (document 50 has 2500 words) */
	xap_db_t *db = dc_open_read(d->gw);
	unsigned tf, *pos;
	size_t n;
	DBOK(db, xap_db_term_freq(db, "w0", 2, &tf));
	assert_true(tf > 2500);
	DBOK(db, xap_db_positions(db, 50, "w0", 2, &pos, &n));
	assert_true(n > 150);
	free(pos);
	xap_db_destroy(db);
	dc_gen_free(g);
}

/* A document with a megabyte of data (a tag of many items). */
static void test_big_data(void **state)
{
	dirs_t *d = *state;
	size_t n = 1 << 20;
	char *big = malloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(i * 7 + i / 4096);
	op_t ops[] = { P("big", 1, 1), { 'd', big, n, 0, 0, NULL, 0 } };
	op_t small[] = { P("small", 1, 1), D("after") };
	tdoc_t docs[] = { { 1, small, N(small) }, { 2, ops, N(ops) }, { 3, small, N(small) } };
	corpus_t c = { docs, N(docs), NULL, 0 };
	dc_build_xapian(d->xap, &c);
	dc_build_gw(d->gw, &c);
	dc_compare_dbs(d->xap, d->gw, (const int[]){ -1 });
	free(big);
}

/* Two gw databases of disjoint docids, merged by Xapian's compactor
 * keeping docids, and by lode's (glass_compact: renumbering, data kept
 * raw), read as Xapian's one database of all the documents. */
static void test_compact(void **state)
{
	dirs_t *d = *state;
	gen_t *g = calloc(1, sizeof *g);
	corpus_t all = dc_generate(g, 400, 1, 7);
	corpus_t lo = all, hi = all;
	lo.n = 180;
	hi.docs += 180;
	hi.n -= 180;
	char *a = tu_path(d->root, "a"), *b = tu_path(d->root, "b"), *m = tu_path(d->root, "m");
	dc_build_gw(a, &lo);
	dc_build_gw(b, &hi);
	dc_build_xapian(d->xap, &all);
	char *err = NULL;
	OK(xap_compact_keep_docids((const char *const[]){ a, b }, 2, m, &err), err);
	dc_compare_dbs(d->xap, m, dc_gen_slots);
	/* lode's own compaction renumbers: B's docids follow A's last here */
	char *r = tu_path(d->root, "r");
	assert_int_equal(lo.docs[lo.n - 1].docid + 1, hi.docs[0].docid);
	OK(glass_compact((const char *const[]){ a, b }, 2, r, 0, &err), err);
	dc_compare_dbs(d->xap, r, dc_gen_slots);
	free(a);
	free(b);
	free(m);
	free(r);
	dc_gen_free(g);
}

/* Xapian's writer deletes, replaces and adds documents in a gw database
 * as in its own. */
static void test_xapian_updates(void **state)
{
	dirs_t *d = *state;
	corpus_t c = tiny();
	dc_build_xapian(d->xap, &c);
	dc_build_gw(d->gw, &c);
	static const op_t repl[] = { P("hello", 1, 1), P("new", 2, 1), V(5, "a"), D("replaced") };
	static const op_t added[] = { P("world", 1, 1), T("Qadded", 0), D("added") };
	const char *dirs[] = { d->xap, d->gw };
	for (int i = 0; i < 2; i++) {
		xap_db_t *db = NULL;
		char *err = NULL;
		OK(xap_db_open_write(dirs[i], XAP_DB_OPEN, 0, &db, &err), err);
		DBOK(db, xap_db_delete_doc(db, 1));
		xap_doc_t *doc = NULL;
		assert_int_equal(xap_doc_new(&doc), XAP_OK);
		for (size_t j = 0; j < N(repl); j++)
			dc_apply_xap(doc, &repl[j]);
		DBOK(db, xap_db_replace_doc(db, 5, doc));
		xap_doc_destroy(doc);
		assert_int_equal(xap_doc_new(&doc), XAP_OK);
		for (size_t j = 0; j < N(added); j++)
			dc_apply_xap(doc, &added[j]);
		unsigned id;
		DBOK(db, xap_db_add_doc(db, doc, &id));
		assert_int_equal(id, 41);
		xap_doc_destroy(doc);
		DBOK(db, xap_db_set_metadata(db, "k1", "v3", 2));
		DBOK(db, xap_db_commit(db));
		xap_db_destroy(db);
	}
	dc_compare_dbs(d->xap, d->gw, tiny_slots);
}

/* ---------------------------------------------------------------- misuse */

/* Each misuse fails that call with a message and leaves the writer as it
 * was: the database it finishes holds just the good document. */
static void test_misuse(void **state)
{
	dirs_t *d = *state;
	char t246[246];
	memset(t246, 't', sizeof t246);
	char nuls[245];
	memset(nuls, 0, sizeof nuls);
	gw_t *w = gw_new(d->gw, NULL);
	assert_non_null(w);
	assert_string_equal(gw_error(w), "");
	assert_int_equal(gw_posting(w, "a", 1, 1, 1), -1);  /* outside a document */
	assert_int_equal(gw_doc_end(w), -1);
	assert_int_equal(gw_doc_begin(w, 0), -1);
	assert_int_equal(gw_doc_begin(w, 3), 0);
	assert_int_equal(gw_doc_begin(w, 4), -1);           /* inside one */
	assert_int_equal(gw_finish(w), -1);
	assert_int_equal(gw_posting(w, "", 0, 1, 1), -1);   /* empty term */
	assert_int_equal(gw_posting(w, t246, 246, 1, 1), -1);
	assert_int_equal(gw_term(w, nuls, 245, 1), -1);      /* 490 bytes escaped */
	assert_int_equal(gw_posting(w, t246, 245, 1, 1), 0);
	assert_int_equal(gw_posting(w, "ok", 2, 2, 1), 0);
	assert_string_not_equal(gw_error(w), "");
	assert_int_equal(gw_doc_end(w), 0);
	assert_int_equal(gw_doc_begin(w, 3), -1);           /* not above the last */
	assert_int_equal(gw_metadata(w, "", 0, "v", 1), -1);
	assert_int_equal(gw_metadata(w, t246, 254, "v", 1), -1);
	assert_int_equal(gw_finish(w), 0);
	assert_int_equal(gw_doc_begin(w, 9), -1);           /* finished */
	assert_int_equal(gw_finish(w), -1);
	gw_free(w);

	xap_db_t *db = dc_open_read(d->gw);
	unsigned n, last, tf;
	DBOK(db, xap_db_doc_count(db, &n));
	DBOK(db, xap_db_last_docid(db, &last));
	DBOK(db, xap_db_term_freq(db, "ok", 2, &tf));
	assert_int_equal(n, 1);
	assert_int_equal(last, 3);
	assert_int_equal(tf, 1);
	xap_db_destroy(db);

	/* a directory with something in it is refused */
	char *err = NULL;
	assert_null(gw_new(d->gw, &err));
	assert_non_null(strstr(err, "not empty"));
	free(err);
}

/* Without gw_finish nothing is left behind; an empty batch is an empty
 * database. */
static void test_abandon_and_empty(void **state)
{
	dirs_t *d = *state;
	gw_t *w = gw_new(d->gw, NULL);
	assert_int_equal(gw_doc_begin(w, 1), 0);
	assert_int_equal(gw_data(w, "x", 1), 0);
	assert_int_equal(gw_doc_end(w), 0);
	gw_free(w);
	char *err = NULL;
	xap_db_t *db = NULL;
	assert_int_not_equal(xap_db_open_read(d->gw, &db, &err), XAP_OK);
	free(err);
	tu_rmtree(d->gw); /* in case */

	corpus_t none = { NULL, 0, NULL, 0 };
	dc_build_xapian(d->xap, &none);
	dc_build_gw(d->gw, &none);
	dc_compare_dbs(d->xap, d->gw, (const int[]){ 0, -1 });
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tiny, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xapian_updates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abandon_and_empty, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
