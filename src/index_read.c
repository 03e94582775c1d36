/* index_read.c - open an index for reading, the runs of a bulk build
 * included; see index_read.h. */
#include "index_read.h"

#include <stdlib.h>
#include <string.h>

#include "runs.h"
#include "segments.h"

/* SRC's segments and those of its runs (runs.h) that are not in their
 * segment yet, as one database. While a bulk build merges a segment's runs
 * into it, the segment holds their documents before the stub stops listing
 * them: a run whose last docid the segment has is left out (they are
 * merged all at once, so then all are), and a run removed between reading
 * the stub and opening it has the stub read again. 1 when SRC lists no run
 * (open it as it is); 0 with *DB, or -1 with *XS and *EM, otherwise. */
static int open_with_runs(const char *src, xap_db_t **db, xap_status_t *xs, char **em)
{
	/* the common case, an index without runs, costs one read of the stub */
	if (runs_any(src) != 1)
		return 1;
	for (int attempt = 0; attempt < 4; attempt++) {
		segments_t seg;
		const char *why = NULL;
		if (segments_read(src, &seg, &why) != 0)
			return 1;
		runs_t r[SEGMENTS_MAX];
		size_t nruns = 0;
		int bad = seg.n < 1 || !strcmp(seg.path[0], src); /* a plain database */
		for (unsigned k = 0; k < seg.n; k++) {
			r[k] = (runs_t)RUNS_INIT;
			if (!bad && runs_read(src, seg.path[k], &r[k]) != 0)
				bad = 1;
			nruns += r[k].n;
		}
		int retry = 0;
		*xs = XAP_OK;
		if (!bad && nruns)
			*xs = xap_db_new_combined(db, em);
		for (unsigned k = 0; !bad && nruns && *xs == XAP_OK && !retry && k < seg.n; k++) {
			xap_db_t *sd = NULL;
			unsigned seg_last = 0;
			*xs = xap_db_open_read(seg.path[k], &sd, em);
			if (*xs == XAP_OK && (*xs = xap_db_add(*db, sd)) == XAP_OK)
				xap_db_last_docid(sd, &seg_last);
			xap_db_destroy(sd);
			for (size_t i = 0; *xs == XAP_OK && !retry && i < r[k].n; i++) {
				xap_db_t *rd = NULL;
				unsigned run_last = 0;
				char *rem = NULL;
				if (xap_db_open_read(r[k].path[i], &rd, &rem) != XAP_OK)
					retry = 1; /* merged and removed meanwhile */
				else if (xap_db_last_docid(rd, &run_last) == XAP_OK && run_last > seg_last)
					*xs = xap_db_add(*db, rd);
				xap_db_destroy(rd);
				free(rem);
			}
		}
		for (unsigned k = 0; k < seg.n; k++)
			runs_free(&r[k]);
		segments_free(&seg);
		if (bad || !nruns)
			return 1;
		if (*xs == XAP_OK && !retry)
			return 0;
		xap_db_destroy(*db);
		*db = NULL;
		if (*xs != XAP_OK)
			return -1;
	}
	return 1; /* the stub kept changing: Xapian opens it as it is */
}

xap_status_t index_read_open(const char *path, xap_db_t **db, char **em)
{
	xap_status_t xs = XAP_OK;
	*db = NULL;
	if (open_with_runs(path, db, &xs, em) > 0)
		xs = xap_db_open_read(path, db, em);
	return xs;
}
