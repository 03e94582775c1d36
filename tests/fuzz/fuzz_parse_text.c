/* fuzz_parse_text.c - parse_text() on arbitrary bytes as a FMT_TEXT file; every emitted
 * document is read through and checked (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_parse_all(parse_text, "fuzz.txt", FMT_TEXT, (const char *)data, size, NULL);
	return 0;
}
