/* runs_docdata.c - a segment's records in one table; see runs_docdata.h. */
#include "runs_docdata.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "glass_btree.h"
#include "glass_encode.h"
#include "glass_version.h"
#include "segments.h"

#define BLOCKSIZE 8192
#define REV 1              /* a new table's, as glass_writer.c writes */
#define RAW_MIN 0xFFFFFFFFu /* never compressed (glass_docdata.c) */

struct rdd {
	char *dir;
	gbt_t *t;
	unsigned docs, last;
	int finished;
};

rdd_t *rdd_new(const char *seg)
{
	rdd_t *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	buf_t p = BUF_INIT;
	if ((r->dir = segments_mktemp(seg)) != NULL)
		buf_printf(&p, "%s/docdata.glass", r->dir);
	if (r->dir && !p.oom && (r->t = gbt_new(p.p, BLOCKSIZE, RAW_MIN, REV)) != NULL) {
		buf_free(&p);
		return r;
	}
	int e = p.oom ? ENOMEM : errno;
	buf_free(&p);
	rdd_free(r);
	errno = e;
	return NULL;
}

int rdd_add(rdd_t *r, unsigned docid, const char *data, size_t len)
{
	unsigned char key[16];
	r->docs++;
	r->last = docid;
	if (!len)
		return 0;
	return gbt_add(r->t, key, ge_docid_key(key, docid), data, len);
}

unsigned rdd_docs(const rdd_t *r)
{
	return r->docs;
}

const char *rdd_finish(rdd_t *r)
{
	if (r->finished)
		return r->dir;
	glass_root_t roots[GLASS_TABLES];
	for (int i = 0; i < GLASS_TABLES; i++)
		gbt_root_absent(&roots[i], BLOCKSIZE, i == GLASS_DOCDATA ? RAW_MIN : 0);
	if (gbt_finish(r->t, &roots[GLASS_DOCDATA]) != 0)
		return NULL;
	glass_stats_t st;
	memset(&st, 0, sizeof st);
	st.doccount = r->docs;
	st.last_docid = r->last;
	if (glass_version_write(r->dir, REV, roots, &st) != 0)
		return NULL;
	r->finished = 1;
	return r->dir;
}

void rdd_free(rdd_t *r)
{
	if (!r)
		return;
	gbt_free(r->t);
	if (r->dir)
		segments_rmtree(r->dir);
	free(r->dir);
	free(r);
}
