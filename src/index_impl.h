/* index_impl.h - what index.c and pipeline.c share about a writable index. */
#ifndef LODE_INDEX_IMPL_H
#define LODE_INDEX_IMPL_H
#include <stdint.h>
#include "buf.h"
#include "lode.h"
#include "strmap.h"
#include "walk.h"
#include "xapian_c.h"

struct lode_index {
	xap_db_t *db;
	char *path;
	char *lang;              /* canonical stemmer name, from the index */
	lode_index_opts_t opts;  /* borrowed strings: valid while the caller's are */
	buf_t err;
};

/* What the index remembers of a file ("f:" metadata). */
typedef struct {
	int64_t mtime;
	uint64_t size, hash;
	int seen;                /* found by this run's walk */
} known_t;

void index_set_err(lode_index_t *idx, const char *fmt, const char *arg);
lode_status_t index_status_of(xap_status_t st);
double index_now(void);

/* Index FILES against KNOWN (path -> known_t), remove the known files under
 * ROOTS (entries may be NULL) that are gone, then read one document from
 * stdin when HAVE_STDIN. Commits per batch; the caller commits the last. */
lode_status_t pipeline_run(lode_index_t *idx, walk_list_t *files, strmap_t *known,
			   char **roots, size_t nroots, int have_stdin,
			   const lode_index_callbacks_t *cb, lode_index_summary_t *sum);
#endif
