/* fuzz_parse_jsonl.c - parse_jsonl() on arbitrary bytes, with the default
 * field names and with a field map; every emitted document is read through
 * and checked (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const parse_jsonl_map_t map = { "key", "headline", "content", "by", "when", "link" };
	fz_parse_all(parse_jsonl, "fuzz.jsonl", FMT_JSONL, (const char *)data, size, NULL);
	fz_parse_all(parse_jsonl, "fuzz.jsonl", FMT_JSONL, (const char *)data, size, &map);
	return 0;
}
