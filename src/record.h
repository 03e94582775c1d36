/* record.h - what lode stores as a Xapian document's data: the fields shown
 * in results and the extracted text snippets are cut from.
 *
 * Layout: a sequence of (key byte, varint length, bytes). The text is stored
 * zlib-compressed (key 'X') when that saves space, else raw ('x'). Unknown
 * keys are skipped, so later versions can add fields. */
#ifndef LODE_RECORD_H
#define LODE_RECORD_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

typedef struct {
	const char *path, *subkey, *id, *title, *author, *date, *url, *format, *lang, *tags;
	const char *text;      /* not NUL-terminated in a decoded record from raw data */
	size_t text_len;
	uint64_t hash;         /* content hash of the file */
	int64_t mtime;
	uint64_t size;
	unsigned line;         /* line of the document's start in its file */
} record_t;

/* Encode R into OUT (appending). Returns 0, -1 when out of memory. */
int record_encode(const record_t *r, buf_t *out);

/* Decode DATA into R. Strings point into STORE (a buffer the decoder fills
 * with NUL-terminated copies and the inflated text), valid while STORE lives
 * unchanged. Returns 0, -1 for a malformed record. */
int record_decode(const char *data, size_t len, record_t *r, buf_t *store);

/* 64-bit content hash (FNV-1a variant over 8-byte words; not cryptographic). */
uint64_t record_hash(const char *data, size_t len);
#endif
