/* schema.h - how lode lays out a Xapian database: term prefixes, value slots
 * and metadata keys. Everything that writes or reads an index uses these, and
 * stock Xapian tools (xapian-delve, xapian-tcpsrv) see an ordinary database.
 *
 * Terms (text terms are folded, see normalize.h; "stemmed" = stem.h):
 *   (none)  body text, stemmed, with positions
 *   S       title, stemmed, with positions
 *   A       author words, folded, with positions
 *   U       url words, folded, with positions
 *   P       path words, folded, with positions
 *   K       tag (whole, folded), boolean
 *   L       language, boolean
 *   T       format ("text", "markdown", ...), boolean
 *   XID     document id (folded), boolean
 *   Q       unique key: path, or path + "\x1f" + subkey (see schema_key)
 *   F       file: path; every document of a file carries it
 * Values: slot 0 date "YYYYMMDD"; slot 1 sort key (path "\0" subkey), the
 * tie-breaker that keeps the ranking independent of docids.
 * Metadata: "lode:schema", "lode:lang", "lode:roots" (newline-separated),
 * "lode:updated" (ISO 8601), "lode:k1", "lode:b", "lode:title_weight",
 * and per file "f:" + path -> "mtime size hash ndocs". */
#ifndef LODE_SCHEMA_H
#define LODE_SCHEMA_H
#include <stddef.h>
#include "buf.h"

#define SCHEMA_VERSION 1

#define PFX_TITLE "S"
#define PFX_AUTHOR "A"
#define PFX_URL "U"
#define PFX_PATH "P"
#define PFX_TAG "K"
#define PFX_LANG "L"
#define PFX_FORMAT "T"
#define PFX_ID "XID"
#define PFX_KEY "Q"
#define PFX_FILE "F"

#define SLOT_DATE 0
#define SLOT_SORT 1

#define META_SCHEMA "lode:schema"
#define META_LANG "lode:lang"
#define META_ROOTS "lode:roots"
#define META_UPDATED "lode:updated"
#define META_K1 "lode:k1"
#define META_B "lode:b"
#define META_TITLE_WEIGHT "lode:title_weight"
/* "incomplete" in segment 0 of a new index until a run over it completes:
 * that run compacts it (an interrupted first build is compacted later). */
#define META_FIRST_BUILD "lode:first-build"
/* What the index remembers of a file: key "f:" + path (schema_file_key),
 * value "MTIME SIZE HASH NDOCS", then " " + the path when the key had to be
 * shortened. */
#define META_FILE "f:"

/* Defaults saved in a new index (search may override per query). */
#define DEFAULT_K1 0.9
#define DEFAULT_B 0.4
#define DEFAULT_TITLE_WEIGHT 0.5

/* Xapian refuses terms and keys longer than 245 bytes: longer ones keep a
 * readable head and end in a hash of the whole. */
#define SCHEMA_MAX_TERM 240

/* Append PREFIX + S (len N) to OUT, shortened with a hash if too long. */
void schema_term(buf_t *out, const char *prefix, const char *s, size_t n);
/* Unique key term of a document: Q + path [+ "\x1f" + subkey]. */
void schema_key(buf_t *out, const char *path, const char *subkey);
/* The metadata key of what the index remembers of the file PATH: META_FILE
 * + path, shortened as schema_term shortens (Xapian's keys end at 245
 * bytes, paths do not). Returns 1 when shortened: the record's value then
 * ends with " " + the path, which the key no longer holds. */
int schema_file_key(buf_t *out, const char *path);
#endif
