/* index_read.h - open an index for reading as lode's readers (search, stats,
 * check) see it: a bulk build's runs (runs.h) included, each document once.
 *
 * Xapian opens a stub as it is. While a build merges a segment's runs into
 * it, the segment holds their documents before the stub stops listing
 * them, and through the stub they would count twice; this opener leaves
 * such runs out. An index without runs is opened by Xapian in one call. */
#ifndef LODE_INDEX_READ_H
#define LODE_INDEX_READ_H
#include "xapian_c.h"

/* Open the index at PATH (a directory: a stub of segments or a database)
 * read-only into *DB. XAP_OK, or the failure with *EM (malloc'd, may be
 * NULL; the caller frees it). */
xap_status_t index_read_open(const char *path, xap_db_t **db, char **em);
#endif
