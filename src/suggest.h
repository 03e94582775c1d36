/* suggest.h - "did you mean": for a query whose words the index does not
 * know, the closest words of the index's own vocabulary. */
#ifndef LODE_SUGGEST_H
#define LODE_SUGGEST_H
#include <stddef.h>
#include "query.h"
#include "search_impl.h"

/* The query with each unknown body word replaced by the nearest indexed word
 * (edit distance <= 2, more frequent first), or NULL when nothing changes.
 * Malloc'd; caller frees. */
char *suggest_query(lode_search_t *s, const char *query, size_t len, const qnode_t *tree);

/* Damerau-Levenshtein (optimal string alignment) distance of two byte
 * strings, giving up (returning max+1) once it exceeds MAX. */
unsigned suggest_distance(const char *a, size_t al, const char *b, size_t bl, unsigned max);
#endif
