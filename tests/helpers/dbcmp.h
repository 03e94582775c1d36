/* dbcmp.h - build the same documents into a glass database with Xapian's
 * writer and with lode's (glass_writer.h), and compare two databases
 * through Xapian's API: every term's frequencies, postings with wdf, wdf
 * upper bound and positions, every document's termlist, length, values and
 * data, value statistics, the version file's statistics, metadata; and
 * Xapian's check of the second. Shared by test_glass_writer and
 * test_glass_merge. Include after <cmocka.h>: failures fail the test. */
#ifndef LODE_DBCMP_H
#define LODE_DBCMP_H
#include <stddef.h>
#include <stdint.h>

#include "xapian_c.h"

/* One call on a document: 'p' add_posting(s, a = pos, b = wdf_inc), 't'
 * add_term(s, b = wdf_inc), 'v' add_value(a = slot, s), 'd' set_data(s);
 * on the database: 'm' set_metadata(s, t). */
typedef struct {
	char kind;
	const char *s;
	size_t len;
	unsigned a, b;
	const char *t;
	size_t tlen;
} op_t;

typedef struct {
	unsigned docid;
	const op_t *ops;
	size_t n;
} tdoc_t;

typedef struct {
	tdoc_t *docs;
	size_t n;
	const op_t *meta;
	size_t nmeta;
} corpus_t;

#define S(lit) (lit), sizeof(lit) - 1
#define P(lit, pos, inc) { 'p', S(lit), (pos), (inc), NULL, 0 }
#define T(lit, inc) { 't', S(lit), 0, (inc), NULL, 0 }
#define V(slot, lit) { 'v', S(lit), (slot), 0, NULL, 0 }
#define D(lit) { 'd', S(lit), 0, 0, NULL, 0 }
#define M(key, tag) { 'm', S(key), 0, 0, S(tag) }
#define N(a) (sizeof(a) / sizeof *(a))

/* Documents C into a new database at DIR, by Xapian's replace_document
 * (docids as given) and by lode's writer. */
void dc_build_xapian(const char *dir, const corpus_t *c);
void dc_build_gw(const char *dir, const corpus_t *c);
/* Xapian's, committing after every EVERY documents (0: once, at the end):
 * a database of several revisions, its blocks part full. */
void dc_build_xapian_every(const char *dir, const corpus_t *c, size_t every);
/* O applied to DOC through the binding. */
void dc_apply_xap(xap_doc_t *doc, const op_t *o);
/* PATH opened for reading (asserted). */
xap_db_t *dc_open_read(const char *path);
/* The statistics of PATH's version file: doccount, last docid, doclen
 * lower bound, wdf upper bound, doclen upper bound, total length. */
void dc_version_stats(const char *path, uint64_t st[6]);
/* GOT reads as WANT; Xapian's check of GOT finds nothing. SLOTS: value
 * slots whose statistics to compare (-1 ends). */
void dc_compare_dbs(const char *want, const char *got, const int *slots);

#define VOCAB 20000

typedef struct {
	char words[VOCAB][12];
	size_t lens[VOCAB];
	double cdf[VOCAB];
	char data[64][40];
	size_t nops;
	op_t *ops;
	tdoc_t *docs;
} gen_t;

/* N documents from docid FIRST on (a gap of 3 after every hundredth):
 * Zipf-distributed terms, an id term, values in slots 0 and 3, data on
 * most, every 50th document long. G holds them (dc_gen_free). */
corpus_t dc_generate(gen_t *g, size_t n, unsigned first, uint64_t seed);
void dc_gen_free(gen_t *g);
extern const int dc_gen_slots[]; /* the slots dc_generate fills, and one it does not */

#endif
