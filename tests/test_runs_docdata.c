/* test_runs_docdata.c - a segment's records written as one table beside it
 * while its runs are written: linked into a database that has none
 * (glass_docdata_take), each document reads its own record back, an empty
 * record is none, and the hidden directory goes with rdd_free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "glass_docdata.h"
#include "glass_writer.h"
#include "runs_docdata.h"
#include "xapian_c.h"
#include "helpers/testutil.h"

static const struct {
	unsigned docid;
	const char *data; /* "": no record */
} docs[] = {
	{ 1, "first record" }, { 2, "" }, { 3, "third, after an empty one" },
	{ 7, "after a gap in the ids" }, { 300, "a three-byte docid key" },
};
#define NDOCS (sizeof docs / sizeof *docs)

/* A database of DOCS's documents (one term each) without document data. */
static void write_without_data(const char *dir)
{
	char *em = NULL;
	gw_t *w = gw_new(dir, &em);
	assert_non_null(w);
	for (size_t i = 0; i < NDOCS; i++) {
		assert_int_equal(gw_doc_begin(w, docs[i].docid), 0);
		assert_int_equal(gw_posting(w, "word", 4, 1, 1), 0);
		assert_int_equal(gw_doc_end(w), 0);
	}
	assert_int_equal(gw_finish(w), 0);
	gw_free(w);
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_records_taken(void **state)
{
	(void)state;
	char *tmp = tu_mkdtemp();
	char *seg = tu_path(tmp, "s0");
	write_without_data(seg);

	rdd_t *r = rdd_new(seg);
	assert_non_null(r);
	for (size_t i = 0; i < NDOCS; i++)
		assert_int_equal(rdd_add(r, docs[i].docid, docs[i].data, strlen(docs[i].data)), 0);
	assert_int_equal(rdd_docs(r), NDOCS);
	const char *dir = rdd_finish(r);
	assert_non_null(dir);
	char *hidden = strdup(dir);
	assert_true(is_dir(hidden));
	assert_int_equal(glass_docdata_take(dir, seg), 0);

	xap_db_t *db = NULL;
	char *em = NULL;
	assert_int_equal(xap_db_open_read(seg, &db, &em), XAP_OK);
	for (size_t i = 0; i < NDOCS; i++) {
		xap_doc_t *doc = NULL;
		const char *data;
		size_t len;
		assert_int_equal(xap_db_get_doc(db, docs[i].docid, &doc), XAP_OK);
		assert_int_equal(xap_doc_get_data(doc, &data, &len), XAP_OK);
		if (len != strlen(docs[i].data) || memcmp(data, docs[i].data, len) != 0)
			fail_msg("docid %u: '%.*s', want '%s'", docs[i].docid, (int)len, data,
				 docs[i].data);
		xap_doc_destroy(doc);
	}
	size_t errors = 99;
	assert_int_equal(xap_db_check(seg, &errors, &em), XAP_OK);
	assert_int_equal(errors, 0);
	xap_db_destroy(db);

	rdd_free(r);
	assert_false(is_dir(hidden)); /* the table's file lives on, linked into s0 */
	free(hidden);
	free(seg);
	tu_rmtree(tmp);
	free(tmp);
}

/* Freed unfinished: nothing is left beside the segment. */
static void test_free_unfinished(void **state)
{
	(void)state;
	char *tmp = tu_mkdtemp();
	char *seg = tu_path(tmp, "s0");
	rdd_t *r = rdd_new(seg);
	assert_non_null(r);
	assert_int_equal(rdd_add(r, 1, "x", 1), 0);
	rdd_free(r);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", tmp);
	assert_int_equal(system(cmd), 0);
	free(seg);
	tu_rmtree(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_taken),
		cmocka_unit_test(test_free_unfinished),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
