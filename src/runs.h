/* runs.h - the batches of a bulk build, each written by lode's own writer
 * (glass_writer.h) as a small database of its own - a "run" - and listed in
 * the index's stub beside its segment, so that it is searchable the moment
 * it is complete; the runs of a segment are merged into it at the end of the
 * build (index_compact.c), or by the next `lode index` when a build was
 * stopped before that.
 *
 * Segment INDEX/sK's runs are the directories INDEX/sK.rN (N from 1 up),
 * listed in INDEX/XAPIANDB as "auto sK.rN" after the segments. A run's
 * document ids follow its segment's and each other's, so merging keeps
 * them. segments_read leaves run lines out: a run is not a segment. */
#ifndef LODE_RUNS_H
#define LODE_RUNS_H
#include <stddef.h>

typedef struct {
	size_t n;
	char **path;   /* each run's directory, in the stub's order (malloc'd) */
} runs_t;

#define RUNS_INIT { 0, NULL }

/* 1 when the stub entry NAME (LEN bytes, no directory) names a run. */
int runs_is_run(const char *name, size_t len);

/* The runs of segment SEG (its directory) that INDEX's stub lists. 0, or -1
 * with errno when the stub cannot be read. No stub: no runs. */
int runs_read(const char *index, const char *seg, runs_t *out);
void runs_free(runs_t *r);
/* 1 when INDEX's stub lists a run (of any segment), 0 when it lists none or
 * there is no stub, -1 with errno when it cannot be read: one read of the
 * stub, for a reader that opens an index without runs as it is. */
int runs_any(const char *index);

/* The directory of SEG's run number N (malloc'd; NULL when out of memory). */
char *runs_path(const char *seg, unsigned n);

/* Add the complete run RUN (a directory in INDEX) to INDEX's stub: written
 * to a temporary file and renamed over the stub, so a reader finds the old
 * list or the new one. Callers in several threads are serialised. 0, or -1
 * with errno. */
int runs_publish(const char *index, const char *run);

/* Drop segment SEG's runs from INDEX's stub (synced to disk, as above).
 * 0, or -1 with errno. */
int runs_unlist(const char *index, const char *seg);

/* Remove the run directories of INDEX that its stub does not list: what a
 * build stopped while writing a run left. */
void runs_clear_unlisted(const char *index);
#endif
