/* test_record.c - a document's stored record: fields and text round-trip,
 * the fields decode without the text, and the text inflates only as far as
 * it is asked for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "record.h"

/* N bytes of words that compress well but not to nothing: "w0001 w0002 ...". */
static char *words(size_t n)
{
	char *t = malloc(n + 1);
	assert_non_null(t);
	for (size_t i = 0, k = 0; i < n; k++) {
		char w[16];
		int l = snprintf(w, sizeof w, "w%05zu ", k % 99991);
		for (int j = 0; j < l && i < n; j++)
			t[i++] = w[j];
	}
	t[n] = '\0';
	return t;
}

static void encode(const char *text, size_t len, buf_t *out)
{
	record_t r = {0};
	r.path = "/a/b.txt";
	r.title = "A title";
	r.date = "2021-09-01";
	r.hash = 42;
	r.mtime = 1700000000;
	r.size = len;
	r.line = 7;
	r.text = text;
	r.text_len = len;
	assert_int_equal(record_encode(&r, out), 0);
}

static void test_round_trip(void **state)
{
	(void)state;
	/* raw (short) and compressed (long) texts */
	static const size_t lens[] = {0, 5, 511, 512, 70000};
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		char *text = words(lens[i]);
		buf_t enc = BUF_INIT, store = BUF_INIT;
		encode(text, lens[i], &enc);
		record_t r;
		assert_int_equal(record_decode(enc.p, enc.len, &r, &store), 0);
		assert_string_equal(r.path, "/a/b.txt");
		assert_string_equal(r.title, "A title");
		assert_string_equal(r.date, "2021-09-01");
		assert_null(r.author);
		assert_int_equal(r.hash, 42);
		assert_int_equal(r.mtime, 1700000000);
		assert_int_equal(r.line, 7);
		assert_int_equal(r.text_len, lens[i]);
		assert_memory_equal(r.text, text, lens[i]);
		buf_free(&enc);
		buf_free(&store);
		free(text);
	}
}

/* The fields without the text: the store holds only them, and the text
 * comes back in prefixes that grow, equal to the text's start. */
static void test_fields_then_prefixes(void **state)
{
	(void)state;
	static const size_t lens[] = {0, 100, 600, 300000};
	static const size_t wants[] = {0, 1, 64, 1000, 65536, 65537, 200000, 300000, 400000};
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		char *text = words(lens[i]);
		buf_t enc = BUF_INIT, store = BUF_INIT;
		encode(text, lens[i], &enc);
		record_t r;
		record_text_t t;
		assert_int_equal(record_decode_fields(enc.p, enc.len, &r, &store, &t), 0);
		assert_string_equal(r.path, "/a/b.txt");
		assert_string_equal(r.title, "A title");
		assert_int_equal(r.line, 7);
		assert_int_equal(r.text_len, 0);
		assert_int_equal(t.len, lens[i]);
		/* a short compressed record is inflated whole at once, a
		 * long one only as far as its fields */
		if (t.z && t.base + t.len <= RECORD_WHOLE_MAX)
			assert_int_equal(t.out.len, t.base + t.len);
		else if (t.z)
			assert_true(t.out.len < t.base + 16);
		/* the text is not copied into the store */
		assert_true(store.len < 64);
		for (size_t w = 0; w < sizeof wants / sizeof *wants; w++) {
			const char *p;
			size_t avail;
			assert_int_equal(record_text_prefix(&t, wants[w], &p, &avail), 0);
			size_t want = wants[w] < lens[i] ? wants[w] : lens[i];
			assert_int_equal(avail, want);
			assert_memory_equal(p, text, avail);
			/* never inflated beyond what was asked for (the
			 * fields before the text are inflated first, and
			 * the last field's header a few bytes past it),
			 * unless a third of the record or more was asked
			 * for, or it is short: then all of it, at once */
			if (t.out.len > t.base + want + 16) {
				assert_int_equal(t.out.len, t.base + t.len);
				assert_true(3 * (t.base + want) >= t.base + t.len ||
					    t.base + t.len <= RECORD_WHOLE_MAX);
			}
		}
		record_text_free(&t);
		record_text_free(&t); /* twice is harmless */
		buf_free(&enc);
		buf_free(&store);
		free(text);
	}
	/* no text reader wanted */
	buf_t enc = BUF_INIT, store = BUF_INIT;
	encode("short", 5, &enc);
	record_t r;
	assert_int_equal(record_decode_fields(enc.p, enc.len, &r, &store, NULL), 0);
	assert_string_equal(r.path, "/a/b.txt");
	buf_free(&enc);
	buf_free(&store);
}

/* A damaged stream: the fields still decode, the text reads as far as it
 * is good and then says so. */
static void test_damaged_text(void **state)
{
	(void)state;
	size_t len = 200000;
	char *text = words(len);
	buf_t enc = BUF_INIT, store = BUF_INIT;
	encode(text, len, &enc);
	/* the compressed text is the last field: garble its second half */
	for (size_t i = enc.len - enc.len / 4; i < enc.len; i++)
		enc.p[i] ^= 0x5A;
	record_t r;
	record_text_t t;
	assert_int_equal(record_decode(enc.p, enc.len, &r, &store), -1);
	assert_int_equal(record_decode_fields(enc.p, enc.len, &r, &store, &t), 0);
	assert_string_equal(r.path, "/a/b.txt");
	const char *p;
	size_t avail;
	assert_int_equal(record_text_prefix(&t, 1000, &p, &avail), 0);
	assert_int_equal(avail, 1000);
	assert_memory_equal(p, text, 1000);
	assert_int_equal(record_text_prefix(&t, len, &p, &avail), -1);
	assert_true(avail < len);
	/* what came out before the damage is still the text */
	assert_true(avail >= 1000);
	assert_memory_equal(p, text, 1000);
	/* and it stays failed */
	assert_int_equal(record_text_prefix(&t, len, &p, &avail), -1);
	record_text_free(&t);
	buf_free(&enc);
	buf_free(&store);
	free(text);
}

/* A damaged zlib header: the stream is read raw past it, so the header is
 * checked on its own; the record, fields and all, is refused. */
static void test_damaged_header(void **state)
{
	(void)state;
	size_t len = 5000;
	char *text = words(len);
	buf_t enc = BUF_INIT, store = BUF_INIT;
	encode(text, len, &enc);
	/* 0x78 0x01: deflate, 32K window, level 1 */
	char *h = memmem(enc.p, enc.len, "\x78\x01", 2);
	assert_non_null(h);
	record_t r;
	record_text_t t;
	static const unsigned char bad[] = {
		0x02,                         /* the header check (a multiple of 31) fails */
		0x20 | (31 - (0x7820 % 31)), /* well-formed, asks for a preset dictionary */
	};
	for (size_t i = 0; i < sizeof bad; i++) {
		h[1] = (char)bad[i];
		assert_int_equal(record_decode_fields(enc.p, enc.len, &r, &store, &t), -1);
		assert_int_equal(record_decode(enc.p, enc.len, &r, &store), -1);
		record_text_free(&t);
	}
	buf_free(&enc);
	buf_free(&store);
	free(text);
}

/* A record as lode wrote it before 'Z': the fields plain, the text alone
 * deflated ('X'). Both decoders still read it. */
static void test_legacy_x(void **state)
{
	(void)state;
	size_t len = 10000; /* its length a two-byte varint */
	char *text = words(len);
	uLongf cap = compressBound((uLong)len);
	unsigned char *z = malloc(cap);
	assert_int_equal(compress2(z, &cap, (const Bytef *)text, (uLong)len, 1), Z_OK);
	buf_t enc = BUF_INIT, store = BUF_INIT;
	/* 'p' "/old.txt", then 'X': varint field length, varint raw length, stream */
	buf_add(&enc, "p\x08/old.txt", 10);
	unsigned char hdr[3] = { (unsigned char)(0x80 | (len & 0x7F)), (unsigned char)(len >> 7), 0 };
	size_t flen = 2 + cap;
	buf_addc(&enc, 'X');
	buf_addc(&enc, (char)(0x80 | (flen & 0x7F)));
	buf_addc(&enc, (char)((flen >> 7) & 0x7F));
	assert_true(flen < (1u << 14));
	buf_add(&enc, (const char *)hdr, 2);
	buf_add(&enc, (const char *)z, cap);
	record_t r;
	assert_int_equal(record_decode(enc.p, enc.len, &r, &store), 0);
	assert_string_equal(r.path, "/old.txt");
	assert_int_equal(r.text_len, len);
	assert_memory_equal(r.text, text, len);
	record_text_t t;
	assert_int_equal(record_decode_fields(enc.p, enc.len, &r, &store, &t), 0);
	assert_string_equal(r.path, "/old.txt");
	const char *p;
	size_t avail;
	/* a tenth: inflated no further than asked */
	assert_int_equal(record_text_prefix(&t, 1000, &p, &avail), 0);
	assert_int_equal(avail, 1000);
	assert_memory_equal(p, text, 1000);
	assert_true(t.out.len <= 1000);
	/* 4000 more, over a third: all of it at once */
	assert_int_equal(record_text_prefix(&t, 5000, &p, &avail), 0);
	assert_int_equal(avail, 5000);
	assert_memory_equal(p, text, 5000);
	assert_int_equal(t.out.len, len);
	record_text_free(&t);
	buf_free(&enc);
	buf_free(&store);
	free(z);
	free(text);
}

/* N bytes of prose-like text: words drawn at random from a small list
 * (words() counts up, which deflate at level 1 leaves regular enough for a
 * second deflate to find more in; text does not). */
static char *prose(size_t n)
{
	static const char *const w[] = {
		"the", "index", "of", "a", "search", "engine", "keeps", "postings", "for",
		"every", "term", "and", "position", "so", "that", "phrases", "can", "be",
		"found", "quickly", "when", "readers", "ask", "questions", "about", "old",
		"letters", "newspapers", "archives", "with", "dates", "authors", "titles",
	};
	char *t = malloc(n + 1);
	uint32_t x = 12345;
	for (size_t i = 0; i < n;) {
		x = x * 1103515245u + 12345u;
		const char *s = w[(x >> 16) % (sizeof w / sizeof *w)];
		for (size_t j = 0; s[j] && i < n; j++)
			t[i++] = s[j];
		if (i < n)
			t[i++] = (x >> 8) % 13 == 0 ? '\n' : (x >> 8) % 7 == 0 ? '.' : ' ';
	}
	t[n] = '\0';
	return t;
}

/* What 'Z' is for: Xapian deflates a record again (its compactor, at zlib's
 * default level, keeping the result only when it is smaller) and then
 * inflates all of it for each hit. A 'Z' record leaves it nothing to gain. */
static void test_z_leaves_nothing_to_deflate(void **state)
{
	(void)state;
	static const size_t lens[] = {600, 5000, 100000};
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		char *text = prose(lens[i]);
		buf_t enc = BUF_INIT;
		encode(text, lens[i], &enc);
		assert_int_equal(enc.p[0], 'Z');
		z_stream zs = {0};
		assert_int_equal(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 9,
					      Z_DEFAULT_STRATEGY), Z_OK);
		unsigned char *out = malloc(enc.len);
		zs.next_in = (Bytef *)enc.p;
		zs.avail_in = (uInt)enc.len;
		zs.next_out = out;
		zs.avail_out = (uInt)enc.len - 1;
		/* does not fit in one byte less: Xapian keeps the record as it is */
		assert_int_not_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
		deflateEnd(&zs);
		free(out);
		buf_free(&enc);
		free(text);
	}
}

/* Malformed records: refused by both decoders, nothing left to free. */
static void test_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *data;
		size_t len;
	} bad[] = {
		{"p\x05" "ab", 4},           /* length past the end */
		{"p\x80", 2},                /* varint cut off */
		{"X\x03\xff\xff\x7f", 5},    /* claims a huge raw length */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		record_t r;
		record_text_t t;
		buf_t store = BUF_INIT;
		assert_int_equal(record_decode(bad[i].data, bad[i].len, &r, &store), -1);
		assert_int_equal(record_decode_fields(bad[i].data, bad[i].len, &r, &store, &t), -1);
		assert_int_equal(t.len, 0);
		record_text_free(&t);
		buf_free(&store);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_fields_then_prefixes),
		cmocka_unit_test(test_damaged_text),
		cmocka_unit_test(test_damaged_header),
		cmocka_unit_test(test_legacy_x),
		cmocka_unit_test(test_z_leaves_nothing_to_deflate),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
