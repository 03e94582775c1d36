/* fuzz_parse.c - parse_document() with format detection: the input's first
 * line (up to 64 bytes) is the file's path, so the extension logic is fuzzed
 * too, and the rest is the file. Also checks that parse_detect() and the
 * format names agree. */
#include "fuzz_common.h"

#define PATH_MAX_FUZZ 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[PATH_MAX_FUZZ + 1];
	size_t n = 0;
	while (n < size && n < PATH_MAX_FUZZ && data[n] != '\n' && data[n] != '\0')
		n++;
	memcpy(path, data, n);
	path[n] = '\0';
	size_t skip = n < size ? n + 1 : n;
	const char *text = (const char *)data + skip;
	size_t len = size - skip;

	fmt_t f = parse_detect(path, text, len);
	FZ_CHECK(f >= FMT_UNKNOWN && f <= FMT_JSONL, "parse_detect: unknown format");
	const char *name = parse_format_name(f);
	if (f != FMT_UNKNOWN) {
		FZ_CHECK(name != NULL, "no name for a format");
		FZ_CHECK(parse_format_from_name(name) == f, "format name does not map back");
	}
	fz_touch(name);
	fz_parse_all(parse_document, path, FMT_UNKNOWN, text, len, NULL);
	return 0;
}
