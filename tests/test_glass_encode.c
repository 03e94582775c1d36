/* test_glass_encode.c - the glass encodings give the bytes Xapian 1.4.22's
 * own code gives (the expected bytes were printed by pack.h and
 * bitstream.cc themselves), and chunked lists split and decode as Xapian
 * reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "glass_encode.h"

#define MAXB 512

typedef struct {
	size_t n;
	unsigned char b[MAXB];
} bytes_t;

/* "61 00 ff" -> bytes */
static bytes_t hex(const char *s)
{
	bytes_t r = { 0, { 0 } };
	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		r.b[r.n++] = (unsigned char)strtoul((char[]){ s[0], s[1], 0 }, NULL, 16);
		s += 2;
	}
	return r;
}

static void assert_bytes(const void *got, size_t n, const char *want)
{
	bytes_t w = hex(want);
	assert_int_equal(n, w.n);
	assert_memory_equal(got, w.b, n);
}

static void test_sortable_uint(void **state)
{
	(void)state;
	static const struct {
		uint64_t v;
		const char *want;
	} cases[] = {
		{ 0, "00 00" },
		{ 1, "00 01" },
		{ 0x7fff, "7f ff" },
		{ 0x8000, "80 80 00" },
		{ 0x3fffff, "bf ff ff" },
		{ 0x400000, "c0 40 00 00" },
		{ 0x1fffffff, "df ff ff ff" },
		{ 0x20000000, "e0 20 00 00 00" },
		{ 0xffffffff, "e0 ff ff ff ff" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		unsigned char p[GE_SORTABLE_MAX];
		assert_bytes(p, ge_sortable_uint(p, cases[i].v), cases[i].want);
	}
	/* byte order is numeric order across the length changes */
	unsigned char a[GE_SORTABLE_MAX + 1] = { 0 }, b[GE_SORTABLE_MAX + 1] = { 0 };
	for (uint64_t v = 1; v < 0xffffffffu; v = v * 3 + 1) {
		size_t na = ge_sortable_uint(a, v - 1), nb = ge_sortable_uint(b, v);
		int c = memcmp(a, b, na < nb ? na : nb);
		assert_true(c < 0 || (c == 0 && na < nb));
	}
}

static void test_uint(void **state)
{
	(void)state;
	static const struct {
		uint64_t v;
		const char *want;
	} cases[] = {
		{ 0, "00" },
		{ 127, "7f" },
		{ 128, "80 01" },
		{ 300, "ac 02" },
		{ 0xffffffff, "ff ff ff ff 0f" },
		{ UINT64_MAX, "ff ff ff ff ff ff ff ff ff 01" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		unsigned char p[GE_UINT_MAX];
		size_t n = ge_uint(p, cases[i].v);
		assert_bytes(p, n, cases[i].want);
		/* and back, the end exactly where it ends */
		const unsigned char *q = p;
		uint64_t v = 1;
		assert_int_equal(ge_get_uint(&q, p + n, &v), 0);
		assert_true(v == cases[i].v);
		assert_ptr_equal(q, p + n);
		uint32_t v32 = 0;
		q = p;
		assert_int_equal(ge_get_uint32(&q, p + n, &v32), cases[i].v > UINT32_MAX ? -1 : 0);
		/* cut short: never read past the end */
		q = p;
		assert_int_equal(ge_get_uint(&q, p + n - 1, &v), -1);
	}
	/* a tenth byte above 1: more than 64 bits */
	static const unsigned char over[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 };
	const unsigned char *q = over;
	uint64_t v;
	assert_int_equal(ge_get_uint(&q, over + sizeof over, &v), -1);
}

static void test_keys(void **state)
{
	(void)state;
	unsigned char k[GE_MAX_KEY + GE_SORTABLE_MAX];
	assert_bytes(k, ge_term(k, "a\0b", 3, 0), "61 00 ff 62 00");
	assert_bytes(k, ge_term(k, "a\0b", 3, 1), "61 00 ff 62");
	assert_int_equal(ge_term_len("a\0b\0", 4), 6);
	assert_bytes(k, ge_term(k, "\0", 1, 1), "00 ff");
	assert_bytes(k, ge_postlist_key(k, "ab", 2), "61 62");
	assert_bytes(k, ge_postlist_chunk_key(k, "ab", 2, 0x8000), "61 62 00 80 80 00");
	assert_bytes(k, ge_position_key(k, "ab", 2, 7), "61 62 00 00 07");
	assert_bytes(k, ge_doclen_key(k, 0), "00 e0");
	assert_bytes(k, ge_doclen_key(k, 3), "00 e0 00 03");
	assert_bytes(k, ge_valuestats_key(k, 0), "00 d0");
	assert_bytes(k, ge_valuestats_key(k, 1), "00 d0 01");
	assert_bytes(k, ge_valuestats_key(k, 256), "00 d0 00 01");
	assert_bytes(k, ge_valuechunk_key(k, 200, 1), "00 d8 c8 01 00 01");
	assert_bytes(k, ge_docid_key(k, 9), "00 09");
	assert_bytes(k, ge_slots_key(k, 9), "00 09 00");
	assert_bytes(k, ge_metadata_key(k, "k", 1), "00 c0 6b");
}

/* Position lists: Xapian's bytes for each. */
static void test_positions(void **state)
{
	(void)state;
	static const struct {
		uint32_t pos[12];
		size_t n;
		const char *want;
	} cases[] = {
		{ { 5 }, 1, "05" },
		{ { 1, 2 }, 2, "02 01" },
		{ { 1, 3 }, 2, "03 01" },
		{ { 1, 2, 3 }, 3, "03 03" },
		{ { 3, 7, 8, 20 }, 4, "14 43 06 00" },
		{ { 1, 100, 101, 102, 1000, 65000 }, 6, "e8 fb 03 01 00 04 00 62 00 62 00 80 c0 01" },
		{ { 0, 1 }, 2, "01" },
		{ { 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22 }, 11, "16 22 eb ba" },
		{ { 1, 4294967295u }, 2, "ff ff ff ff 0f 01 00 00 00 00 00 00 00" },
		{ { 7, 1000000, 3000000000u, 4294967294u }, 4,
		  "fe ff ff ff 0f 07 00 00 00 02 00 00 00 38 42 0f 00 bf 1b c1 b2" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_t b = BUF_INIT;
		ge_positions(&b, cases[i].pos, cases[i].n);
		assert_false(b.oom);
		assert_bytes(b.p, b.len, cases[i].want);
		buf_free(&b);
	}
}

static void test_positions_long(void **state)
{
	(void)state;
	uint32_t pos[300], p = 0;
	for (unsigned i = 0; i < 300; i++) {
		p += 1 + (i * 7919) % 13;
		pos[i] = p;
	}
	buf_t b = BUF_INIT;
	ge_positions(&b, pos, 300);
	assert_bytes(b.p, b.len,
		     "ae 10 01 a0 12 c2 73 7f b3 67 6a 32 ab b1 0d 6f 8d 0c ca 6a f3 e0 2d a8 22 52 "
		     "52 b9 b2 1d ed ca 99 32 46 bb 5d a1 f0 93 c8 68 27 a9 80 cc 6a 4c 7c 9d 6f 78 "
		     "6b 64 b0 36 0f de 82 73 45 6c 9e 6a 34 21 67 ca f1 17 46 bb 5d a1 28 91 63 cd "
		     "9d 51 93 59 8d 75 f0 16 45 a4 b6 a9 cf 2a a4 4a 13 22 9d 29 a9 9c 1d ed ca 99 "
		     "f2 88 76 52 40 46 d7 35 ab b1 e6 7a 23 83 cd 53 df a2 89 22 d2 4c 2a b7 2b 04 "
		     "87 0b 3f 89 8c 76 92 11 28 91 a3 41 d6 14 90 7d ab 31 78 cb 1d e7 8a d8 3c d5 "
		     "68 42 ce 94 5f 18 ed 76 85 a2 44 8e 35 17");
	buf_free(&b);
}

static void test_termlist(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	ge_termlist_t tl;
	ge_termlist_begin(&tl, &b, 205, 4);
	ge_termlist_add(&tl, "ab", 2, 1);
	ge_termlist_add(&tl, "ac", 2, 2);   /* keep 1, (2+1)*(2+1)+1 = 10 packed */
	ge_termlist_add(&tl, "acd", 3, 200); /* too big a wdf: keep, add, varint */
	ge_termlist_add(&tl, "b", 1, 2);    /* (2+1)*(3+1)+0 = 12 */
	assert_false(b.oom);
	assert_bytes(b.p, b.len,
		     "cd 01 04 02 61 62 01 0a 01 63 02 01 64 c8 01 0c 01 62");
	buf_free(&b);

	/* a packed byte would pass 255: not packed */
	char t1[60], t2[60];
	memset(t1, 'x', sizeof t1);
	memcpy(t2, t1, sizeof t2);
	t2[59] = 'y';
	ge_termlist_begin(&tl, &b, 4, 2);
	ge_termlist_add(&tl, t1, 60, 1);
	ge_termlist_add(&tl, t2, 60, 3); /* 4 * 61 + 59 = 303 */
	assert_int_equal((unsigned char)b.p[b.len - 4], 59);
	assert_int_equal((unsigned char)b.p[b.len - 1], 3);
	buf_free(&b);
}

static void test_slots_and_stats(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	ge_slots(&b, (const uint32_t[]){ 0, 1, 5, 300 }, 4);
	assert_bytes(b.p, b.len, "00 00 03 a6 02");
	buf_reset(&b);
	ge_valuestats(&b, 3, "ab", 2, "ab", 2);
	assert_bytes(b.p, b.len, "03 02 61 62");
	buf_reset(&b);
	ge_valuestats(&b, 2, "a", 1, "ab", 2);
	assert_bytes(b.p, b.len, "02 01 61 61 62");
	buf_free(&b);
}

/* What a list's chunks came out as. */
typedef struct {
	size_t n;
	unsigned char key[64][GE_MAX_KEY + GE_SORTABLE_MAX];
	size_t klen[64];
	buf_t tag[64];
} sink_t;

static int sink(void *ctx, const void *key, size_t klen, const void *tag, size_t tlen)
{
	sink_t *s = ctx;
	assert_true(s->n < 64);
	memcpy(s->key[s->n], key, klen);
	s->klen[s->n] = klen;
	buf_init(&s->tag[s->n]);
	buf_add(&s->tag[s->n], tag, tlen);
	s->n++;
	return 0;
}

static void sink_free(sink_t *s)
{
	for (size_t i = 0; i < s->n; i++)
		buf_free(&s->tag[i]);
	s->n = 0;
}

static uint64_t un(const unsigned char **p)
{
	uint64_t v = 0;
	for (unsigned sh = 0;; sh += 7) {
		unsigned c = *(*p)++;
		v |= (uint64_t)(c & 0x7f) << sh;
		if (!(c & 0x80))
			return v;
	}
}

/* Decode the chunks as Xapian's reader does; check the entries are
 * (did = 3 i + 1, wdf = i) for i < N and the chunking as Xapian's. */
static void check_postlist(sink_t *s, const char *term, size_t n)
{
	size_t i = 0;
	uint32_t prev_last = 0;
	for (size_t c = 0; c < s->n; c++) {
		const unsigned char *p = (const unsigned char *)s->tag[c].p;
		const unsigned char *e = p + s->tag[c].len;
		uint32_t did;
		unsigned char k[GE_MAX_KEY + GE_SORTABLE_MAX];
		if (c == 0) {
			size_t kl = term ? ge_postlist_key(k, term, strlen(term)) : ge_doclen_key(k, 0);
			assert_int_equal(s->klen[0], kl);
			assert_memory_equal(s->key[0], k, kl);
			assert_int_equal(un(&p), term ? n : 0);
			uint64_t cf = un(&p);
			assert_int_equal(cf, term ? (uint64_t)n * (n - 1) / 2 : 0);
			did = (uint32_t)un(&p) + 1;
		} else {
			did = 3 * (uint32_t)i + 1;
			size_t kl = term ? ge_postlist_chunk_key(k, term, strlen(term), did)
					 : ge_doclen_key(k, did);
			assert_int_equal(s->klen[c], kl);
			assert_memory_equal(s->key[c], k, kl);
			assert_true(did > prev_last);
		}
		assert_int_equal(*p++, c + 1 == s->n ? '1' : '0');
		uint32_t last = did + (uint32_t)un(&p);
		const unsigned char *body = p;
		for (int first = 1; p < e; first = 0) {
			if (!first)
				did += (uint32_t)un(&p) + 1;
			assert_int_equal(did, 3 * i + 1);
			assert_int_equal(un(&p), i);
			i++;
		}
		assert_int_equal(did, last);
		/* ended at the first entry past the size, not before */
		if (c + 1 < s->n) {
			assert_true(e - body >= GE_CHUNK_SIZE);
			assert_true(e - body < GE_CHUNK_SIZE + 2 * GE_UINT_MAX);
		}
		prev_last = last;
	}
	assert_int_equal(i, n);
}

static void test_postlist_chunks(void **state)
{
	(void)state;
	static const struct {
		const char *term;
		size_t n;
		size_t chunks;
	} cases[] = {
		{ "one", 1, 1 },
		{ "few", 10, 1 },
		{ "many", 3000, 5 }, /* entries of 2 or 3 bytes */
		{ NULL, 3000, 5 },   /* the length list */
		{ "a\0b", 5000, 8 },
	};
	static sink_t s;
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		ge_postlist_t pl;
		ge_postlist_init(&pl, sink, &s);
		const char *t = cases[c].term;
		size_t n = cases[c].n;
		ge_postlist_begin(&pl, t, t ? strlen(t) : 0, t ? n : 0, t ? (uint64_t)n * (n - 1) / 2 : 0);
		for (size_t i = 0; i < n; i++)
			ge_postlist_add(&pl, 3 * (uint32_t)i + 1, i);
		assert_int_equal(ge_postlist_end(&pl), 0);
		ge_postlist_free(&pl);
		assert_int_equal(s.n, cases[c].chunks);
		check_postlist(&s, t, n);
		sink_free(&s);
	}
}

static void test_value_chunks(void **state)
{
	(void)state;
	static sink_t s;
	ge_values_t vs;
	ge_values_init(&vs, sink, &s);
	ge_values_begin(&vs, 3);
	char v[100];
	memset(v, 'v', sizeof v);
	for (uint32_t d = 1; d <= 50; d++)
		ge_values_add(&vs, 2 * d, v, d); /* chunk sizes: 2 + d + ... */
	assert_int_equal(ge_values_end(&vs), 0);
	ge_values_free(&vs);
	/* decode: every value once, chunks end at or past the size */
	uint32_t want = 1;
	for (size_t c = 0; c < s.n; c++) {
		const unsigned char *p = (const unsigned char *)s.tag[c].p;
		const unsigned char *e = p + s.tag[c].len;
		unsigned char k[32];
		size_t kl = ge_valuechunk_key(k, 3, 2 * want);
		assert_int_equal(s.klen[c], kl);
		assert_memory_equal(s.key[c], k, kl);
		uint32_t did = 2 * want;
		for (int first = 1; p < e; first = 0) {
			if (!first)
				did += (uint32_t)un(&p) + 1;
			assert_int_equal(did, 2 * want);
			uint64_t len = un(&p);
			assert_int_equal(len, want);
			p += len;
			want++;
		}
		if (c + 1 < s.n)
			assert_true(s.tag[c].len >= GE_CHUNK_SIZE);
	}
	assert_int_equal(want, 51);
	assert_int_equal(s.n, 1); /* 50 values of 1..50 bytes: 1325 + 100 bytes */
	sink_free(&s);

	ge_values_init(&vs, sink, &s);
	ge_values_begin(&vs, 0);
	for (uint32_t d = 1; d <= 100; d++)
		ge_values_add(&vs, d, v, 99); /* 100 or 101 bytes each */
	assert_int_equal(ge_values_end(&vs), 0);
	ge_values_free(&vs);
	assert_int_equal(s.n, 5); /* 20 values reach 2000 bytes */
	assert_int_equal(s.tag[0].len, 100 + 19 * 101);
	sink_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sortable_uint),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_positions_long),
		cmocka_unit_test(test_termlist),
		cmocka_unit_test(test_slots_and_stats),
		cmocka_unit_test(test_postlist_chunks),
		cmocka_unit_test(test_value_chunks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
