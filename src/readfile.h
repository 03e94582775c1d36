/* readfile.h - read a whole file (or stdin) into memory, gunzipping it when it
 * starts with the gzip magic bytes (nested gzip too), never past max_size bytes
 * of decompressed data. */
#ifndef LODE_READFILE_H
#define LODE_READFILE_H
#include <stddef.h>

typedef enum {
	RF_OK = 0,
	RF_TOO_LARGE = 1,   /* more than max_size bytes (after decompression) */
	RF_UNREADABLE = 2,  /* open/read failed: *reason from strerror */
	RF_BAD_GZIP = 3,    /* truncated or corrupt gzip stream */
	RF_NOMEM = 4,
} rf_result_t;

/* Read PATH ("-" = stdin). On RF_OK, *data (malloc'd, NUL-terminated, caller
 * frees) and *len; *was_gzip set when it was compressed. On failure *data is
 * NULL and *reason a short message (static or from strerror). */
rf_result_t rf_read(const char *path, size_t max_size, char **data, size_t *len,
		    int *was_gzip, const char **reason);
/* Flags of rf_read_flags. */
enum {
	RF_REGULAR_ONLY = 1,  /* a path that is not a regular file (say a FIFO that
				 replaced one mid-run) is RF_UNREADABLE at once */
};
/* rf_read with FLAGS. */
rf_result_t rf_read_flags(const char *path, int flags, size_t max_size, char **data,
			  size_t *len, int *was_gzip, const char **reason);
/* Same, from a memory buffer already read (decompresses when gzip). */
rf_result_t rf_from_memory(const char *in, size_t in_len, size_t max_size, char **data,
			   size_t *len, int *was_gzip, const char **reason);
#endif
