/* trecfile.h - reading TREC relevance judgments (qrels) and run files for
 * lode eval. Query and document ids are interned: equal strings get the same
 * small integer, so the evaluator compares ids, not strings. Lines are split
 * on ASCII whitespace, as Python's str.split() does in ireval.py. */
#ifndef LODE_TRECFILE_H
#define LODE_TRECFILE_H
#include <stddef.h>
#include <stdint.h>

#include "lode.h"

/* Strings interned to dense ids 0..n-1. The strings live in blocks that
 * never move, so a pointer from trec_strtab_str() stays valid until free. */
typedef struct {
	char **str;       /* id -> NUL-terminated string */
	uint32_t n, cap;
	uint32_t *slot;   /* open addressing: id + 1, 0 when empty */
	uint32_t nslot;   /* a power of two, at least 2 * n */
	char *block;      /* newest block; each starts with a link to the previous */
	size_t used, size;
} trec_strtab_t;

void trec_strtab_init(trec_strtab_t *t);
void trec_strtab_free(trec_strtab_t *t);
/* The id of S (LEN bytes), adding it when absent; -1 when out of memory. */
int64_t trec_strtab_add(trec_strtab_t *t, const char *s, size_t len);
/* The id of S, or -1 when it was never added. */
int64_t trec_strtab_find(const trec_strtab_t *t, const char *s, size_t len);

/* One qrels line: query Q judged document D with value REL. SEQ is the line's
 * position among the judgments, so a later judgment of the same pair wins. */
typedef struct {
	uint32_t q, d;
	uint32_t seq;
	int rel;
} trec_judgment_t;

/* One run line; DOC is D's string (owned by the docids table), kept here
 * because ties in SCORE are broken by comparing docids. */
typedef struct {
	uint32_t q, d;
	double score;
	const char *doc;
} trec_hit_t;

typedef struct {
	trec_strtab_t qids, docids;
	trec_judgment_t *judg;
	size_t njudg, judg_cap;
	trec_hit_t *hits;
	size_t nhits, hits_cap;
} trec_data_t;

void trec_data_init(trec_data_t *t);
void trec_data_free(trec_data_t *t);

/* Append the judgments in PATH ("-": stdin): TREC "qid 0 docid rel" or BEIR
 * "query-id corpus-id score" lines, blank lines ignored, a header line allowed
 * as the first line. The value is read as a number and truncated to an
 * integer (ireval's int(float(x))). Numbers are parsed in the C locale.
 * LODE_IO when the file cannot be read, LODE_INVALID for a malformed line,
 * LODE_NOMEM; then *errmsg (if given) is "PATH:LINE: what" for lode_free(). */
lode_status_t trec_read_qrels(trec_data_t *t, const char *path, char **errmsg);

/* Append the run in PATH ("-": stdin): "qid Q0 docid rank score tag" lines
 * (extra columns ignored; the rank must be an integer, the score a number and
 * not NaN). Lines for queries that no judgment read before names are checked,
 * then dropped. Statuses and *errmsg as for trec_read_qrels(). */
lode_status_t trec_read_run(trec_data_t *t, const char *path, char **errmsg);
#endif
