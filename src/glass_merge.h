/* glass_merge.h - merge glass databases of disjoint docids into a new one,
 * as Xapian's compactor does with DBCOMPACT_NO_RENUMBER, but with every
 * term's postings re-chunked into full chunks, and in one pass over each
 * table (glass_read.h in, glass_btree.h out). Tags are written raw but
 * termlists', deflated as the compactor deflates them (with libdeflate).
 *
 * What the result holds, read through Xapian's API, is what
 * Xapian::Database::compact(dest, DBCOMPACT_NO_RENUMBER) of the same
 * sources gives: each term's posting list (termfreq and collection
 * frequency summed), the document lengths, the value streams and their
 * statistics (counts summed, lowest lower bound, highest upper bound), the
 * termlists, positions and document data copied by key, user metadata,
 * and the version file's statistics combined as Xapian combines them. A
 * metadata key several sources hold keeps the first source's value:
 * Xapian's compactor, given no Compactor to resolve it, keeps the first
 * its heap yields, which among equal keys is no particular source. */
#ifndef LODE_GLASS_MERGE_H
#define LODE_GLASS_MERGE_H
#include <stddef.h>

#define GM_NO_DOCDATA 1u /* leave the document data out: DEST gets no docdata table */
#define GM_NO_SYNC 2u    /* no fsync of the tables and version file (tests) */
#define GM_RAW_TERMLIST 4u /* termlist tags stored raw, not deflated as Xapian's compactor does */
#define GM_THREADS 8u      /* the position table written by a second thread */

/* Merge the glass databases SRCS[0..n) (n >= 1) into DEST, an existing
 * empty directory. Every docid of SRCS[i] must be below every docid of
 * SRCS[i+1] (a source may hold none: only metadata, or nothing). A source
 * with spelling or synonym entries is refused, as is anything this does
 * not read (another backend, a damaged table, docids not ascending): the
 * caller falls back on Xapian's compactor. The sources are only read.
 * Returns 0; or -1 with errno and, when ERR is not NULL, a message in
 * *ERR (caller frees), the files made in DEST removed. */
int glass_merge(const char *const *srcs, size_t n, const char *dest, unsigned flags,
		char **err);

#endif
