/* test_glass_docdata.c - a glass database set to store document data raw
 * stores it so, and still works; files that are not glass are left alone;
 * the databases lode creates (plain, segmented) are set so from the start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A database at DIR with one document whose data is RUN bytes 'a'. */
static void add_run(const char *dir, int create)
{
	xap_db_t *db = NULL;
	assert_int_equal(xap_db_open_write(dir, create ? XAP_DB_CREATE : XAP_DB_OPEN, 0, &db, NULL),
			 XAP_OK);
	xap_doc_t *doc = NULL;
	assert_int_equal(xap_doc_new(&doc), XAP_OK);
	char data[RUN];
	memset(data, 'a', sizeof data);
	assert_int_equal(xap_doc_set_data(doc, data, sizeof data), XAP_OK);
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

/* DB is set to store data raw already: setting it again changes nothing. */
static void assert_set_already(const char *db)
{
	char *v = tu_path(db, "iamglass");
	size_t l1, l2;
	char *before = slurp(v, &l1);
	assert_non_null(before);
	assert_int_equal(glass_docdata_raw(db), 0);
	char *after = slurp(v, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(before, after, l1);
	free(before);
	free(after);
	free(v);
}

static void test_raw_after(void **state)
{
	(void)state;
	char *tmp = tu_mkdtemp();
	char *plain = tu_path(tmp, "plain"), *raw = tu_path(tmp, "raw");
	/* Xapian's way: compressed */
	add_run(plain, 1);
	assert_false(stored_raw(plain));
	/* set before the first document: raw, and read back whole */
	xap_db_t *db = NULL;
	assert_int_equal(xap_db_open_write(raw, XAP_DB_CREATE, 0, &db, NULL), XAP_OK);
	xap_db_destroy(db);
	assert_int_equal(glass_docdata_raw(raw), 0);
	add_run(raw, 0);
	add_run(raw, 0); /* a second writer keeps the setting */
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

/* lode's own new databases, plain and segmented, are set so already. */
static void test_lode_creates_raw(void **state)
{
	(void)state;
	char *tmp = tu_mkdtemp();
	static const struct { unsigned segments; const char *db; } cases[] = {
		{ 1, "" }, { 2, "/s0" }, { 2, "/s1" },
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_after),
		cmocka_unit_test(test_not_glass),
		cmocka_unit_test(test_lode_creates_raw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
