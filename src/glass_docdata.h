/* glass_docdata.h - store a glass database's document data as it is given. */
#ifndef LODE_GLASS_DOCDATA_H
#define LODE_GLASS_DOCDATA_H
#include <stddef.h>

#include "xapian_c.h"

/* Set the glass database at DBDIR, which no writer may have open, to store
 * document data without compressing it. Returns 0 (done, or it was so
 * already), 1 when DBDIR's version file is not the glass format this knows
 * (left alone), -1 with errno when it cannot be read or written. */
int glass_docdata_raw(const char *dbdir);

/* Xapian's compaction of SRCS into DEST (xap_compact), after which DEST too
 * stores document data raw: the compactor makes its tables anew. A stub
 * DEST is left as it is. */
xap_status_t glass_compact(const char *const *srcs, size_t n, const char *dest, int multipass,
			   char **errmsg);

/* Take the document data of the glass database FROM into TO, a copy of FROM
 * that Xapian's compactor made without it (no docdata table): FROM's table
 * file is hard-linked into TO, and TO's version file gets FROM's root info
 * for it, and FROM's revision when that is the newer (the table's blocks
 * carry FROM's revisions; a reader refuses a block newer than its
 * database). Nothing may write to either meanwhile; from then on the table
 * file is TO's, and FROM, which TO is to replace, must not be written to
 * again. Returns 0; 1 when a version file is not the glass format this
 * knows or TO has document data already (nothing changed); -1 with errno
 * when a file cannot be read, linked or written (nothing changed). */
int glass_docdata_take(const char *from, const char *to);

#endif
