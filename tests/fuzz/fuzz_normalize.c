/* fuzz_normalize.c - norm_fold() on arbitrary bytes: the output is valid
 * UTF-8 and folding is idempotent, fold(fold(x)) == fold(x) (the index and the
 * query fold the same text once; a second fold changing it would make a query
 * word miss its own document). norm_fold_n() must agree with norm_fold(), and
 * norm_decode() must step through any bytes. */
#include "fuzz_common.h"
#include "normalize.h"

static void dump(const char *label, const char *s, size_t n)
{
	fprintf(stderr, "%s (%zu bytes):", label, n);
	for (size_t i = 0; i < n && i < 200; i++)
		fprintf(stderr, " %02x", (unsigned char)s[i]);
	fprintf(stderr, "\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	buf_t once = BUF_INIT, twice = BUF_INIT;
	FZ_CHECK(norm_fold(s, size, &once) == 0, "norm_fold failed");
	FZ_CHECK(!once.oom, "out of memory");
	FZ_CHECK(enc_valid_utf8(once.p, once.len), "folded text is not valid UTF-8");
	FZ_CHECK(norm_fold(once.p, once.len, &twice) == 0, "norm_fold failed");
	if (twice.len != once.len || (once.len && memcmp(once.p, twice.p, once.len) != 0)) {
		dump("input", s, size);
		dump("fold(x)", once.p, once.len);
		dump("fold(fold(x))", twice.p, twice.len);
		FZ_CHECK(0, "norm_fold is not idempotent");
	}

	/* norm_fold_n: same bytes, cut at CAP, full length reported */
	char small[16];
	size_t outlen = 0;
	FZ_CHECK(norm_fold_n(s, size, small, sizeof small, &outlen) == 0, "norm_fold_n failed");
	FZ_CHECK(outlen == once.len, "norm_fold_n and norm_fold disagree on the length");
	size_t k = outlen < sizeof small ? outlen : sizeof small;
	FZ_CHECK(k == 0 || memcmp(small, once.p, k) == 0, "norm_fold_n and norm_fold disagree");

	size_t i = 0;
	while (i < size) {
		int cp = -1;
		size_t n = norm_decode(s + i, size - i, &cp);
		FZ_CHECK(n >= 1 && n <= 4 && n <= size - i, "norm_decode step out of range");
		FZ_CHECK(cp >= 0 && cp <= 0x10FFFF, "norm_decode code point out of range");
		fz_sink += (size_t)(norm_is_word_char(cp) + norm_is_cjk(cp) + norm_is_letter(cp) +
				    norm_is_digit(cp) + norm_is_mark(cp) + norm_is_sentence_end(cp));
		i += n;
	}
	buf_free(&once);
	buf_free(&twice);
	return 0;
}
