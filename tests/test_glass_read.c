/* test_glass_read.c - glass_read reads back what Xapian's writer (several
 * revisions, part-full blocks, deleted documents, a deflated tag of many
 * components) and lode's wrote: the version file as Xapian reports it,
 * every table's entries in key order, as many as the version file counts,
 * each document's data as it was given; a table never written has none;
 * and damaged files are errors, never crashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass_encode.h"
#include "glass_read.h"
#include "xapian_c.h"
#include "helpers/dbcmp.h"
#include "helpers/testutil.h"
#include "helpers/xaptest.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "new_delete_type_mismatch=0";
}

static int setup(void **state)
{
	*state = tu_mkdtemp();
	return 0;
}

static int teardown(void **state)
{
	tu_rmtree(*state);
	free(*state);
	return 0;
}

/* Entries of table T, after checking they come in strictly increasing key
 * order; -1 when the cursor failed (its errno in *E). */
static long count_entries(const char *dir, const glass_meta_t *m, int t, int *e)
{
	gr_cursor_t *c = gr_open(dir, m, t, NULL);
	assert_non_null(c);
	unsigned char prev[GBT_MAX_KEY];
	size_t plen = 0;
	long n = 0;
	const unsigned char *k, *tag;
	size_t kl, tl;
	while (gr_next(c, &k, &kl, &tag, &tl)) {
		assert_true(kl >= 1 && kl <= GBT_MAX_KEY);
		if (n)
			assert_true(gbt_key_cmp(prev, plen, k, kl) < 0);
		memcpy(prev, k, kl);
		plen = kl;
		n++;
	}
	*e = gr_status(c);
	if (*e)
		assert_true(strlen(gr_error(c)) > 0);
	else
		assert_string_equal(gr_error(c), "");
	assert_int_equal(gr_next(c, &k, &kl, &tag, &tl), 0); /* stays done */
	gr_close(c);
	return *e ? -1 : n;
}

/* The version file as Xapian reports it; every table as long as it says. */
static void check_db(const char *dir)
{
	glass_meta_t m;
	char *err = NULL;
	assert_int_equal(glass_meta_read(dir, &m, &err), 0);
	assert_null(err);
	uint64_t st[6];
	dc_version_stats(dir, st);
	assert_int_equal(m.st.doccount, st[0]);
	assert_int_equal(m.st.last_docid, st[1]);
	assert_int_equal(m.st.doclen_lbound, st[2]);
	assert_int_equal(m.st.wdf_ubound, st[3]);
	assert_int_equal(m.st.doclen_ubound, st[4]);
	assert_int_equal(m.st.total_doclen, st[5]);
	xap_db_t *db = dc_open_read(dir);
	uint64_t rev;
	char *uuid;
	DBOK(db, xap_db_revision(db, &rev));
	assert_int_equal(m.rev, rev);
	DBOK(db, xap_db_uuid(db, &uuid));
	char hex[40];
	size_t h = 0;
	for (int i = 0; i < 16; i++) {
		h += (size_t)snprintf(hex + h, sizeof hex - h, "%02x", m.uuid[i]);
		if (i == 3 || i == 5 || i == 7 || i == 9)
			hex[h++] = '-';
	}
	hex[h] = '\0';
	assert_string_equal(hex, uuid);
	free(uuid);
	xap_db_destroy(db);
	for (int t = 0; t < GLASS_TABLES; t++) {
		int e;
		long n = count_entries(dir, &m, t, &e);
		assert_int_equal(e, 0);
		assert_int_equal(n, (long)m.roots[t].num_entries);
	}
}

/* Document DID's data, read from the docdata table, is WANT. */
static void data_is(const char *dir, uint32_t did, const char *want, size_t len)
{
	glass_meta_t m;
	assert_int_equal(glass_meta_read(dir, &m, NULL), 0);
	gr_cursor_t *c = gr_open(dir, &m, GLASS_DOCDATA, NULL);
	unsigned char key[GE_SORTABLE_MAX];
	size_t klen = ge_docid_key(key, did);
	const unsigned char *k, *tag;
	size_t kl, tl;
	int found = 0;
	while (!found && gr_next(c, &k, &kl, &tag, &tl))
		if (kl == klen && memcmp(k, key, kl) == 0) {
			assert_int_equal(tl, len);
			assert_memory_equal(tag, want, len);
			found = 1;
		}
	assert_int_equal(gr_status(c), 0);
	assert_true(found);
	gr_close(c);
}

static char *big;
static uint32_t big_did;
static const size_t BIG = 1 << 20;

/* Xapian's writer: commits every 40 documents, a megabyte of data that
 * deflates (a tag of many items, deflated), documents deleted and
 * replaced afterwards. */
static void build_xapian_db(const char *dir)
{
	gen_t *g = calloc(1, sizeof *g);
	corpus_t c = dc_generate(g, 600, 1, 5);
	static op_t bops[2];
	big = malloc(BIG);
	for (size_t i = 0; i < BIG; i++)
		big[i] = (char)("abcdefgh"[(i * 7 + i / 1000) % 8]);
	bops[0] = (op_t){ 'p', "big", 3, 1, 1, NULL, 0 };
	bops[1] = (op_t){ 'd', big, BIG, 0, 0, NULL, 0 };
	big_did = c.docs[300].docid;
	c.docs[300] = (tdoc_t){ big_did, bops, 2 };
	dc_build_xapian_every(dir, &c, 40);
	xap_db_t *db = NULL;
	char *err = NULL;
	OK(xap_db_open_write(dir, XAP_DB_OPEN, 0, &db, &err), err);
	for (unsigned d = 10; d < 100; d += 3)
		DBOK(db, xap_db_delete_doc(db, d));
	DBOK(db, xap_db_set_metadata(db, "key", "value", 5));
	DBOK(db, xap_db_commit(db));
	xap_db_destroy(db);
	dc_gen_free(g);
}

static void test_xapian_db(void **state)
{
	const char *root = *state;
	char *dir = tu_path(root, "x");
	build_xapian_db(dir);
	check_db(dir);
	glass_meta_t m;
	assert_int_equal(glass_meta_read(dir, &m, NULL), 0);
	assert_true(m.rev > 10);
	assert_true(m.roots[GLASS_POSTLIST].level >= 1);
	data_is(dir, big_did, big, BIG);
	free(big);
	free(dir);
}

static void test_gw_db(void **state)
{
	const char *root = *state;
	char *dir = tu_path(root, "g");
	gen_t *g = calloc(1, sizeof *g);
	corpus_t c = dc_generate(g, 2000, 1, 8);
	dc_build_gw(dir, &c);
	check_db(dir);
	data_is(dir, 2, "data 1 of the batch", 19);
	dc_gen_free(g);
	free(dir);
}

/* A table never written (no positions here) has no entries, and no file. */
static void test_absent_table(void **state)
{
	const char *root = *state;
	char *dir = tu_path(root, "e");
	static const op_t ops[] = { T("Qonly", 0) };
	tdoc_t docs[] = { { 1, ops, 1 } };
	corpus_t c = { docs, 1, NULL, 0 };
	dc_build_gw(dir, &c);
	glass_meta_t m;
	assert_int_equal(glass_meta_read(dir, &m, NULL), 0);
	assert_true(m.roots[GLASS_POSITION].root_is_fake);
	int e;
	assert_int_equal(count_entries(dir, &m, GLASS_POSITION, &e), 0);
	assert_int_equal(count_entries(dir, &m, GLASS_SPELLING, &e), 0);
	check_db(dir);
	free(dir);
}

static uint64_t rs = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static void copy(const char *from, const char *to)
{
	char cmd[8400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", to, from, to);
	assert_int_equal(system(cmd), 0);
}

static void poke(const char *path, long off, unsigned char x)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, off, SEEK_SET);
	int c = fgetc(f);
	fseek(f, off, SEEK_SET);
	fputc(c < 0 ? x : (c ^ x), f);
	fclose(f);
}

/* Bytes changed at random in every table and in the version file, files
 * cut short: each read ends, done or failed with a message, and a table
 * cut short fails (EBADMSG). */
static void test_damaged(void **state)
{
	const char *root = *state;
	char *good = tu_path(root, "good"), *bad = tu_path(root, "bad");
	build_xapian_db(good);
	free(big);
	int failed = 0;
	copy(good, bad);
	for (int round = 0; round < 200; round++) {
		int t = round % 4;
		char *f = tu_path(bad, glass_table_name(t)), *g = tu_path(good, glass_table_name(t));
		copy(g, f);
		free(g);
		FILE *fp = fopen(f, "rb");
		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		long size = ftell(fp);
		fclose(fp);
		for (int k = 0; k < 1 + round % 5; k++)
			poke(f, (long)(rnd() % (uint64_t)size), (unsigned char)(1 + rnd() % 255));
		glass_meta_t m;
		assert_int_equal(glass_meta_read(bad, &m, NULL), 0);
		int e;
		if (count_entries(bad, &m, t, &e) < 0) {
			failed++;
			assert_true(e == EBADMSG);
		}
		free(f);
	}
	print_message("%d of 200 damaged tables failed\n", failed);
	assert_true(failed > 20); /* many a change is in a tag, which only its reader can judge */

	copy(good, bad);
	char *pl = tu_path(bad, "postlist.glass");
	assert_int_equal(truncate(pl, 8192 * 5), 0);
	glass_meta_t m;
	assert_int_equal(glass_meta_read(bad, &m, NULL), 0);
	int e;
	assert_int_equal(count_entries(bad, &m, GLASS_POSTLIST, &e), -1);
	assert_int_equal(e, EBADMSG);
	free(pl);

	/* the version file: cut short, or any byte of its start changed */
	char *v = tu_path(bad, "iamglass");
	for (int k = 0; k < 40; k++) {
		copy(good, bad);
		poke(v, k, 0x80);
		char *err = NULL;
		int rc = glass_meta_read(bad, &m, &err);
		if (k < 16) { /* the magic */
			assert_int_equal(rc, -1);
			assert_int_equal(errno, EBADMSG);
			assert_non_null(err);
		}
		free(err);
	}
	assert_int_equal(truncate(v, 40), 0);
	char *err = NULL;
	assert_int_equal(glass_meta_read(bad, &m, &err), -1);
	assert_int_equal(errno, EBADMSG);
	free(err);
	assert_int_equal(glass_meta_read(root, &m, &err), -1); /* none */
	assert_int_equal(errno, ENOENT);
	free(err);
	free(v);
	free(good);
	free(bad);
}

/* Block B of PATH (8 KB blocks), read or written whole. */
static void block_io(const char *path, long b, unsigned char *blk, int write)
{
	FILE *f = fopen(path, write ? "r+b" : "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, b * 8192, SEEK_SET), 0);
	assert_int_equal(write ? fwrite(blk, 1, 8192, f) : fread(blk, 1, 8192, f), 8192);
	fclose(f);
}

/* Damage a reader could take for data: a leaf that says it is a branch, a
 * component numbered out of sequence. Each is EBADMSG. */
static void test_inconsistent(void **state)
{
	const char *root = *state;
	char *good = tu_path(root, "good"), *bad = tu_path(root, "bad");
	gen_t *g = calloc(1, sizeof *g);
	corpus_t c = dc_generate(g, 50, 1, 4);
	static op_t bops[2];
	char *data = malloc(100000);
	for (size_t i = 0; i < 100000; i++)
		data[i] = (char)(i * 131 % 251);
	bops[0] = (op_t){ 'p', "big", 3, 1, 1, NULL, 0 };
	bops[1] = (op_t){ 'd', data, 100000, 0, 0, NULL, 0 };
	c.docs[20] = (tdoc_t){ c.docs[20].docid, bops, 2 };
	dc_build_gw(good, &c);
	char *dd = tu_path(bad, "docdata.glass");
	unsigned char blk[8192];
	glass_meta_t m;
	int e, found = 0;

	/* lode's tables are written leaf by leaf: block 0 is a leaf */
	copy(good, bad);
	block_io(dd, 0, blk, 0);
	assert_int_equal(blk[4], 0);
	blk[4] = 1;
	block_io(dd, 0, blk, 1);
	assert_int_equal(glass_meta_read(bad, &m, NULL), 0);
	assert_int_equal(count_entries(bad, &m, GLASS_DOCDATA, &e), -1);
	assert_int_equal(e, EBADMSG);

	/* the first leaf that starts with a later component: numbered on */
	copy(good, bad);
	for (long b = 0; !found; b++) {
		block_io(dd, b, blk, 0);
		if (blk[4] != 0)
			continue;
		unsigned o = (unsigned)blk[11] << 8 | blk[12];
		if (blk[o] & 0x20)
			continue;
		unsigned at = o + 3 + blk[o + 2] + 1;
		blk[at]++;
		block_io(dd, b, blk, 1);
		found = 1;
	}
	assert_int_equal(glass_meta_read(bad, &m, NULL), 0);
	assert_int_equal(count_entries(bad, &m, GLASS_DOCDATA, &e), -1);
	assert_int_equal(e, EBADMSG);
	free(data);
	free(dd);
	free(good);
	free(bad);
	dc_gen_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xapian_db, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gw_db, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inconsistent, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
