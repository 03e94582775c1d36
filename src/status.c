/* status.c - version, status names, and freeing what liblode hands over. */
#include "lode.h"

#include <stdlib.h>

const char *lode_version(void)
{
	return LODE_VERSION_STRING;
}

const char *lode_status_str(lode_status_t st)
{
	static const char *const names[] = {
		[LODE_OK] = "success",
		[LODE_BUSY] = "index is busy (locked by another writer)",
		[LODE_NO_INDEX] = "no such index",
		[LODE_RETRY] = "index was modified, retry",
		[LODE_CORRUPT] = "index is corrupt",
		[LODE_BAD_QUERY] = "bad query",
		[LODE_ENGINE] = "search engine error",
		[LODE_NOMEM] = "out of memory",
		[LODE_INTERNAL] = "internal error",
		[LODE_INVALID] = "invalid argument",
		[LODE_IO] = "input/output error",
		[LODE_INTERRUPTED] = "interrupted",
	};
	if ((unsigned)st < sizeof names / sizeof *names && names[st])
		return names[st];
	return "unknown status";
}

void lode_free(void *p)
{
	free(p);
}
