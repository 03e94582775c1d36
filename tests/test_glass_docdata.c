/* test_glass_docdata.c - a glass database set to store document data raw
 * stores it so, and still works; files that are not glass are left alone;
 * the databases lode creates (plain, segmented) are set so from the start; a
 * compacted copy made without its document data takes the original's. */
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
#include "lode.h"
#include "xapian_c.h"
#include "helpers/testutil.h"

#define RUN 4000 /* a record of one repeated byte: deflate shrinks it to nothing */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	*len = fread(b, 1, (size_t)n, f);
	fclose(f);
	return b;
}

/* A document of RUN bytes of C added to DIR (created when CREATE). */
static void add_doc(const char *dir, int create, char c)
{
	xap_db_t *db = NULL;
	assert_int_equal(xap_db_open_write(dir, create ? XAP_DB_CREATE : XAP_DB_OPEN, 0, &db, NULL),
			 XAP_OK);
	xap_doc_t *doc = NULL;
	assert_int_equal(xap_doc_new(&doc), XAP_OK);
	char data[RUN];
	memset(data, c, sizeof data);
	assert_int_equal(xap_doc_set_data(doc, data, sizeof data), XAP_OK);
	assert_int_equal(xap_doc_add_posting(doc, "word", 4, 1, 1), XAP_OK);
	unsigned id;
	assert_int_equal(xap_db_add_doc(db, doc, &id), XAP_OK);
	assert_int_equal(xap_db_commit(db), XAP_OK);
	xap_doc_destroy(doc);
	xap_db_destroy(db);
}

/* 1 when DIR's docdata table holds the run as it was given. */
static int stored_raw(const char *dir)
{
	char *p = tu_path(dir, "docdata.glass");
	size_t n = 0;
	char *b = slurp(p, &n);
	free(p);
	assert_non_null(b);
	char run[1000];
	memset(run, 'a', sizeof run);
	int found = memmem(b, n, run, sizeof run) != NULL;
	free(b);
	return found;
}

/* DB's version file (*LEN bytes), to compare with later. */
static char *version_of(const char *db, size_t *len)
{
	char *v = tu_path(db, "iamglass");
	char *b = slurp(v, len);
	assert_non_null(b);
	free(v);
	return b;
}

/* DB's version file is still BEFORE (LEN bytes), which is freed. */
static void assert_version_kept(const char *db, char *before, size_t len)
{
	size_t n;
	char *after = version_of(db, &n);
	assert_int_equal(n, len);
	assert_memory_equal(before, after, len);
	free(before);
	free(after);
}

/* DB is set to store data raw already: setting it again changes nothing. */
static void assert_set_already(const char *db)
{
	size_t len;
	char *before = version_of(db, &len);
	assert_int_equal(glass_docdata_raw(db), 0);
	assert_version_kept(db, before, len);
}

static void test_raw_after(void **state)
{
	(void)state;
	char *tmp = tu_mkdtemp();
	char *plain = tu_path(tmp, "plain"), *raw = tu_path(tmp, "raw");
	/* Xapian's way: compressed */
	add_doc(plain, 1, 'a');
	assert_false(stored_raw(plain));
	/* set before the first document: raw, and read back whole */
	xap_db_t *db = NULL;
	assert_int_equal(xap_db_open_write(raw, XAP_DB_CREATE, 0, &db, NULL), XAP_OK);
	xap_db_destroy(db);
	assert_int_equal(glass_docdata_raw(raw), 0);
	add_doc(raw, 0, 'a');
	add_doc(raw, 0, 'a'); /* a second writer keeps the setting */
	assert_true(stored_raw(raw));
	assert_int_equal(xap_db_open_read(raw, &db, NULL), XAP_OK);
	unsigned n = 0;
	assert_int_equal(xap_db_doc_count(db, &n), XAP_OK);
	assert_int_equal(n, 2);
	xap_doc_t *doc = NULL;
	assert_int_equal(xap_db_get_doc(db, 2, &doc), XAP_OK);
	const char *data;
	size_t len;
	assert_int_equal(xap_doc_get_data(doc, &data, &len), XAP_OK);
	assert_int_equal(len, RUN);
	assert_true(data[0] == 'a' && data[RUN - 1] == 'a');
	xap_doc_destroy(doc);
	xap_db_destroy(db);
	assert_set_already(raw);
	tu_rmtree(tmp);
	free(plain);
	free(raw);
	free(tmp);
}

/* Not glass, or not there: left alone, and said so. */
static void test_not_glass(void **state)
{
	(void)state;
	char *tmp = tu_mkdtemp();
	static const char *const bodies[] = {
		"not a version file",
		"\x0f\x0dXapian Glass\x04\x6e" "0123456789abcdef", /* cut short */
		"\x0f\x0dXapian Glass\x03\x01" "0123456789abcdef\x01\x02\x03", /* another format */
	};
	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		char *p = tu_write(tmp, "iamglass", bodies[i], strlen(bodies[i]));
		assert_int_equal(glass_docdata_raw(tmp), 1);
		size_t n;
		char *b = slurp(p, &n);
		assert_int_equal(n, strlen(bodies[i]));
		assert_memory_equal(b, bodies[i], strlen(bodies[i]));
		free(b);
		free(p);
	}
	char *none = tu_path(tmp, "none");
	errno = 0;
	assert_int_equal(glass_docdata_raw(none), -1);
	assert_int_equal(errno, ENOENT);
	free(none);
	tu_rmtree(tmp);
	free(tmp);
}

/* lode's own new databases, an index of one segment or of two, are set so
 * already. */
static void test_lode_creates_raw(void **state)
{
	(void)state;
	char *tmp = tu_mkdtemp();
	static const struct { unsigned segments; const char *db; } cases[] = {
		{ 1, "/s0" }, { 2, "/s0" }, { 2, "/s1" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char name[32];
		snprintf(name, sizeof name, "idx%zu", i);
		char *idx = tu_path(tmp, name);
		lode_index_opts_t o;
		lode_index_opts_init(&o);
		o.segments = cases[i].segments;
		o.jobs = 1;
		lode_index_t *w = NULL;
		assert_int_equal(lode_index_open(idx, &o, &w, NULL), LODE_OK);
		assert_int_equal(lode_index_close(w), LODE_OK);
		char db[512];
		snprintf(db, sizeof db, "%s%s", idx, cases[i].db);
		assert_set_already(db);
		free(idx);
	}
	tu_rmtree(tmp);
	free(tmp);
}

/* DIR holds N documents, document D's data RUN bytes of WANT[D - 1] (0: no
 * such document), and Xapian's check finds nothing wrong. */
static void assert_docs(const char *dir, const char *want)
{
	size_t errors = 99;
	assert_int_equal(xap_db_check(dir, &errors, NULL), XAP_OK);
	assert_int_equal(errors, 0);
	xap_db_t *db = NULL;
	assert_int_equal(xap_db_open_read(dir, &db, NULL), XAP_OK);
	unsigned n = 0, live = 0;
	assert_int_equal(xap_db_doc_count(db, &n), XAP_OK);
	for (size_t d = 0; want[d]; d++) {
		if (want[d] == '-')
			continue;
		live++;
		xap_doc_t *doc = NULL;
		assert_int_equal(xap_db_get_doc(db, (unsigned)d + 1, &doc), XAP_OK);
		const char *data;
		size_t len;
		assert_int_equal(xap_doc_get_data(doc, &data, &len), XAP_OK);
		assert_int_equal(len, RUN);
		assert_true(data[0] == want[d] && data[RUN - 1] == want[d]);
		xap_doc_destroy(doc);
	}
	assert_int_equal(n, live);
	xap_db_destroy(db);
}

/* A copy of SRC less its document data, compacted into DEST, takes SRC's
 * document data back: every record reads as before, Xapian's check passes,
 * and the copy takes updates. */
static void test_take(void **state)
{
	(void)state;
	char *tmp = tu_mkdtemp();
	char *src = tu_path(tmp, "src"), *shadow = tu_path(tmp, "shadow"),
	     *dest = tu_path(tmp, "dest");
	add_doc(src, 1, 'a');
	assert_int_equal(glass_docdata_raw(src), 0);
	add_doc(src, 0, 'b');
	add_doc(src, 0, 'c'); /* three commits: revisions the copy must reach */
	/* the compactor's input: every file but the document data */
	assert_int_equal(mkdir(shadow, 0777), 0);
	static const char *const files[] = { "iamglass", "postlist.glass", "termlist.glass",
					     "position.glass" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *from = tu_path(src, files[i]);
		size_t n;
		char *b = slurp(from, &n);
		assert_non_null(b);
		free(tu_write(shadow, files[i], b, n));
		free(b);
		free(from);
	}
	const char *in[1] = { shadow };
	assert_int_equal(xap_compact(in, 1, dest, 0, NULL), XAP_OK);
	char *dd = tu_path(dest, "docdata.glass");
	assert_int_not_equal(access(dd, F_OK), 0); /* none of its own */
	assert_int_equal(glass_docdata_take(src, dest), 0);
	assert_int_equal(access(dd, F_OK), 0);
	assert_docs(dest, "abc");
	assert_docs(src, "abc"); /* the source is as it was */
	/* its records are stored raw, as the source's were */
	assert_set_already(dest);
	/* updates (the table is now the copy's: the source is left unused, as
	 * lode removes it): a new document, one deleted, then read again */
	add_doc(dest, 0, 'd');
	xap_db_t *db = NULL;
	assert_int_equal(xap_db_open_write(dest, XAP_DB_OPEN, 0, &db, NULL), XAP_OK);
	assert_int_equal(xap_db_delete_doc(db, 1), XAP_OK);
	assert_int_equal(xap_db_commit(db), XAP_OK);
	xap_db_destroy(db);
	assert_docs(dest, "-bcd");
	/* a copy with document data of its own is left alone */
	size_t len;
	char *before = version_of(dest, &len);
	assert_int_equal(glass_docdata_take(src, dest), 1);
	assert_version_kept(dest, before, len);
	/* not glass: left alone */
	char *other = tu_path(tmp, "other");
	assert_int_equal(mkdir(other, 0777), 0);
	free(tu_write(other, "iamglass", "not a version file", 18));
	assert_int_equal(glass_docdata_take(other, dest), 1);
	assert_docs(dest, "-bcd");
	free(other);
	free(dd);
	tu_rmtree(tmp);
	free(src);
	free(shadow);
	free(dest);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_after),
		cmocka_unit_test(test_not_glass),
		cmocka_unit_test(test_lode_creates_raw),
		cmocka_unit_test(test_take),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
