/* stopwords.c - see stopwords.h. */
#include "stopwords.h"

#include <stdlib.h>
#include <string.h>

/* Lucene's EnglishAnalyzer stop set, sorted for bsearch. */
static const char *const english[] = {
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into",
	"is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then",
	"there", "these", "they", "this", "to", "was", "will", "with",
};

static int cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int stopword_is(const char *lang, const char *w, size_t len)
{
	if (!lang || strcmp(lang, "english") != 0 || len > 8)
		return 0;
	char buf[9];
	memcpy(buf, w, len);
	buf[len] = '\0';
	return bsearch(buf, english, sizeof english / sizeof *english, sizeof *english, cmp) != NULL;
}

static int is_stop_term(const qnode_t *n, const char *lang)
{
	return n->type == Q_TERM && n->field == QF_BODY && stopword_is(lang, n->text, n->len);
}

void stopword_prune(qnode_t *n, const char *lang)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i]->type != Q_PHRASE && n->kids[i]->type != Q_NEAR)
			stopword_prune(n->kids[i], lang);
	if (n->type != Q_AND && n->type != Q_OR)
		return;
	size_t keep = 0;
	for (size_t i = 0; i < n->nkids; i++)
		keep += !is_stop_term(n->kids[i], lang);
	if (keep == 0 || keep == n->nkids)
		return;
	size_t j = 0;
	for (size_t i = 0; i < n->nkids; i++) {
		if (is_stop_term(n->kids[i], lang))
			qnode_free(n->kids[i]);
		else
			n->kids[j++] = n->kids[i];
	}
	n->nkids = j;
}
