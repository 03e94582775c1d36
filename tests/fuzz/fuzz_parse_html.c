/* fuzz_parse_html.c - parse_html() on arbitrary bytes as a FMT_HTML file; every emitted
 * document is read through and checked (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_parse_all(parse_html, "fuzz.html", FMT_HTML, (const char *)data, size, NULL);
	return 0;
}
