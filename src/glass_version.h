/* glass_version.h - write a glass database's version file, iamglass.
 *
 * The version file names the database's revision and, for each of its six
 * tables, where the B-tree's root is (glass_root_t, from gbt_finish or
 * gbt_root_absent); with the database's statistics. Xapian opens a
 * database by reading it; tables written by glass_btree.c become a
 * database once it is in place. */
#ifndef LODE_GLASS_VERSION_H
#define LODE_GLASS_VERSION_H
#include <stdint.h>

#include "glass_btree.h"

/* glass's table order in the version file */
enum { GLASS_POSTLIST, GLASS_DOCDATA, GLASS_TERMLIST, GLASS_POSITION, GLASS_SPELLING,
       GLASS_SYNONYM, GLASS_TABLES };

typedef struct {
	uint32_t doccount, last_docid, doclen_lbound, doclen_ubound, wdf_ubound,
		spelling_wordfreq_ubound;
	uint64_t total_doclen;
} glass_stats_t;

#define GLASS_VERSION_SYNC 1u /* fsync the file before the rename, the directory after */

/* Write DIR/iamglass (to DIR/v.tmp, then renamed over it) for revision REV
 * (that of the tables' gbt_new): a fresh random UUID, ROOTS[GLASS_TABLES],
 * ST. Xapian reads at most 256 bytes of it: a longer one (never seen in
 * practice) is EOVERFLOW. 0, or -1 with errno (the temporary removed). */
int glass_version_write(const char *dir, uint32_t rev, const glass_root_t roots[GLASS_TABLES],
			const glass_stats_t *st);
/* The same, with FLAGS (GLASS_VERSION_SYNC, or 0 as glass_version_write). */
int glass_version_write_flags(const char *dir, uint32_t rev,
			      const glass_root_t roots[GLASS_TABLES], const glass_stats_t *st,
			      unsigned flags);

#endif
