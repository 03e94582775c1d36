/* fuzz_parse_email.c - parse_email() on arbitrary bytes as a FMT_EMAIL file; every emitted
 * document is read through and checked (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_parse_all(parse_email, "fuzz.eml", FMT_EMAIL, (const char *)data, size, NULL);
	return 0;
}
