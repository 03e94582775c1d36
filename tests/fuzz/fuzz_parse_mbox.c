/* fuzz_parse_mbox.c - parse_mbox() on arbitrary bytes as a FMT_MBOX file; every emitted
 * document is read through and checked (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_parse_all(parse_mbox, "fuzz.mbox", FMT_MBOX, (const char *)data, size, NULL);
	return 0;
}
