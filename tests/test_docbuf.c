/* test_docbuf.c - a document recorded as the calls that build it: replayed
 * in order with every operand intact, its data found, and made into the
 * Xapian document the same calls would have made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "docbuf.h"
#include "xapian_c.h"

/* The calls, one line each: "P term pos", "B term", "V slot value", "D data". */
typedef struct {
	buf_t log;
} log_t;

static int l_posting(void *ctx, const char *t, size_t l, unsigned pos)
{
	buf_printf(&((log_t *)ctx)->log, "P %.*s %u\n", (int)l, t, pos);
	return 0;
}

static int l_boolean(void *ctx, const char *t, size_t l)
{
	buf_printf(&((log_t *)ctx)->log, "B %.*s\n", (int)l, t);
	return 0;
}

static int l_value(void *ctx, unsigned slot, const char *v, size_t l)
{
	buf_printf(&((log_t *)ctx)->log, "V %u %.*s\n", slot, (int)l, v);
	return 0;
}

static int l_data(void *ctx, const char *d, size_t l)
{
	buf_printf(&((log_t *)ctx)->log, "D %.*s\n", (int)l, d);
	return 0;
}

static const docbuf_ops_t log_ops = { l_posting, l_boolean, l_value, l_data };

static void test_replay(void **state)
{
	(void)state;
	static const struct {
		char op;
		const char *s;
		unsigned n;  /* position or slot */
	} calls[] = {
		{ 'P', "whale", 1 },    { 'P', "white", 2 },        { 'P', "whale", 300000 },
		{ 'B', "Fmoby.txt", 0 }, { 'V', "20240102", 0 },     { 'P', "", 7 },
		{ 'D', "first", 0 },     { 'V', "a\0b", 4000000 },   { 'D', "second", 0 },
		{ 'P', "caf\xc3\xa9", 4294967295u },
	};
	docbuf_t d = DOCBUF_INIT;
	buf_t want = BUF_INIT;
	for (size_t i = 0; i < sizeof calls / sizeof *calls; i++) {
		const char *s = calls[i].s;
		size_t len = strlen(s) + (s[0] == 'a' ? 2 : 0); /* "a\0b" */
		switch (calls[i].op) {
		case 'P':
			assert_int_equal(docbuf_posting(&d, s, len, calls[i].n), 0);
			buf_printf(&want, "P %.*s %u\n", (int)len, s, calls[i].n);
			break;
		case 'B':
			assert_int_equal(docbuf_boolean(&d, s, len), 0);
			buf_printf(&want, "B %.*s\n", (int)len, s);
			break;
		case 'V':
			assert_int_equal(docbuf_value(&d, calls[i].n, s, len), 0);
			buf_printf(&want, "V %u %.*s\n", calls[i].n, (int)len, s);
			break;
		default:
			assert_int_equal(docbuf_data(&d, s, len), 0);
			buf_printf(&want, "D %.*s\n", (int)len, s);
			break;
		}
	}
	log_t l = { BUF_INIT };
	assert_int_equal(docbuf_replay(&d, &log_ops, &l), 0);
	assert_int_equal(l.log.len, want.len);
	assert_memory_equal(l.log.p, want.p, want.len);

	const char *data;
	size_t dl;
	docbuf_get_data(&d, &data, &dl);
	assert_int_equal(dl, 6);
	assert_memory_equal(data, "second", 6); /* the last one counts */

	docbuf_clear(&d);
	buf_reset(&l.log);
	assert_int_equal(docbuf_replay(&d, &log_ops, &l), 0);
	assert_int_equal(l.log.len, 0);
	docbuf_get_data(&d, &data, &dl);
	assert_null(data);
	buf_free(&l.log);
	buf_free(&want);
	docbuf_free(&d);
}

static int stop_at_second(void *ctx, const char *t, size_t l, unsigned pos)
{
	(void)t, (void)l, (void)pos;
	return ++*(int *)ctx == 2 ? 7 : 0;
}

static void test_replay_stops(void **state)
{
	(void)state;
	docbuf_t d = DOCBUF_INIT;
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(docbuf_posting(&d, "w", 1, i), 0);
	docbuf_ops_t ops = log_ops;
	ops.posting = stop_at_second;
	int calls = 0;
	assert_int_equal(docbuf_replay(&d, &ops, &calls), 7);
	assert_int_equal(calls, 2);
	docbuf_free(&d);
}

/* The Xapian document from a recording has what the same calls give. */
static void test_to_xapian(void **state)
{
	(void)state;
	docbuf_t d = DOCBUF_INIT;
	docbuf_posting(&d, "whale", 5, 1);
	docbuf_posting(&d, "white", 5, 2);
	docbuf_posting(&d, "whale", 5, 5);
	docbuf_boolean(&d, "Fx", 2);
	docbuf_value(&d, 1, "key", 3);
	docbuf_data(&d, "record", 6);
	xap_doc_t *doc = NULL;
	assert_int_equal(xap_doc_new(&doc), XAP_OK);
	xap_doc_add_posting(doc, "stale", 5, 9, 1); /* cleared first */
	assert_int_equal(docbuf_to_xapian(&d, doc), XAP_OK);

	xap_termlist_t *tl = NULL;
	assert_int_equal(xap_doc_termlist(doc, &tl), XAP_OK);
	buf_t got = BUF_INIT;
	const char *t;
	size_t tlen;
	while (xap_termlist_next(tl, &t, &tlen)) {
		unsigned tf, wdf;
		double w;
		xap_termlist_current(tl, &tf, &wdf, &w);
		buf_printf(&got, "%.*s:%u ", (int)tlen, t, wdf);
	}
	xap_termlist_destroy(tl);
	assert_string_equal(got.p, "Fx:0 whale:2 white:1 ");
	const char *v, *data;
	size_t vl, dl;
	assert_int_equal(xap_doc_get_value(doc, 1, &v, &vl), XAP_OK);
	assert_int_equal(vl, 3);
	assert_memory_equal(v, "key", 3);
	assert_int_equal(xap_doc_get_data(doc, &data, &dl), XAP_OK);
	assert_int_equal(dl, 6);
	assert_memory_equal(data, "record", 6);
	buf_free(&got);
	xap_doc_destroy(doc);
	docbuf_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_replay_stops),
		cmocka_unit_test(test_to_xapian),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
