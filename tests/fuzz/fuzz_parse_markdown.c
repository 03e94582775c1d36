/* fuzz_parse_markdown.c - parse_markdown() on arbitrary bytes as a FMT_MARKDOWN file; every emitted
 * document is read through and checked (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_parse_all(parse_markdown, "fuzz.md", FMT_MARKDOWN, (const char *)data, size, NULL);
	return 0;
}
