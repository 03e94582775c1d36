/* index_space.h - room on the index's file system for what a commit or a
 * compaction is about to write. */
#ifndef LODE_INDEX_SPACE_H
#define LODE_INDEX_SPACE_H

#include <stdint.h>

/* What committing a batch of DOCS documents and BYTES bytes of text may
 * write at most, counted high. */
uint64_t space_commit_need(unsigned docs, uint64_t bytes);

/* The bytes an unprivileged writer may still use on DIR's file system in
 * *AVAIL. Returns 0, or -1 when the file system cannot say. */
int space_avail(const char *dir, uint64_t *avail);

/* The bytes DIR's files take (not recursive: a Xapian database is flat). */
uint64_t space_dir_bytes(const char *dir);

#endif
