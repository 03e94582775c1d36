/* fuzz_readfile.c - rf_from_memory() on arbitrary bytes (gzip members, nested
 * gzip, bombs, junk after the end) with a 1 MiB cap and with a cap near the
 * input's size, where the off-by-ones live. */
#include "fuzz_common.h"
#include "readfile.h"

static void check(const char *in, size_t in_len, size_t max_size)
{
	char *data = (char *)1;
	size_t len = 12345;
	int was_gzip = -1;
	const char *reason = (const char *)1;
	rf_result_t r = rf_from_memory(in, in_len, max_size, &data, &len, &was_gzip, &reason);
	FZ_CHECK(r >= RF_OK && r <= RF_NOMEM, "unknown result");
	FZ_CHECK(was_gzip == 0 || was_gzip == 1, "was_gzip not set");
	if (r != RF_OK) {
		FZ_CHECK(data == NULL, "failure left *data set");
		FZ_CHECK(reason != NULL && reason != (const char *)1, "failure without a reason");
		fz_touch(reason);
		return;
	}
	FZ_CHECK(data != NULL, "RF_OK without data");
	FZ_CHECK(len <= max_size, "more than max_size bytes");
	FZ_CHECK(data[len] == '\0', "data not NUL-terminated");
	fz_touch_n(data, len);
	if (!was_gzip)
		FZ_CHECK(len == in_len && (len == 0 || memcmp(data, in, len) == 0),
			 "plain input not passed through unchanged");
	free(data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	check(s, size, 1u << 20);
	/* a cap that gzip data often crosses: a third of the input .. a few times it */
	size_t small = size / 3 + (size ? data[size - 1] : 0) * 4;
	check(s, size, small);
	check(s, size, 0);
	return 0;
}
