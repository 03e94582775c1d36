/* stopwords.h - words too common to help ranking, dropped from queries
 * (never from documents, never inside a quoted phrase, and never when a
 * query has nothing else). Lucene's English list; other languages keep all. */
#ifndef LODE_STOPWORDS_H
#define LODE_STOPWORDS_H
#include <stddef.h>
#include "query.h"

/* 1 when the folded word W is a stopword of LANG (a Xapian language name). */
int stopword_is(const char *lang, const char *w, size_t len);

/* Remove stopword terms from the AND/OR lists of TREE (in place), keeping at
 * least one operand in each list. */
void stopword_prune(qnode_t *tree, const char *lang);
#endif
