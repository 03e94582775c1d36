/* glass_read.h - read a Xapian 1.4 glass database: its version file, and
 * each table's entries in key order.
 *
 * The reading side of glass_btree.h and glass_version.h, for any glass
 * database: one lode's writer made (full leaves, one revision, tags raw)
 * or Xapian's (several revisions, part-full blocks, tags of many
 * components, tags deflated). Nothing is trusted: every offset, length and
 * block number is checked against its block and file, so a damaged
 * database is an error (EBADMSG, with a message), never a crash or a read
 * outside a buffer. Nothing may write to the database meanwhile. */
#ifndef LODE_GLASS_READ_H
#define LODE_GLASS_READ_H
#include <stddef.h>
#include <stdint.h>

#include "glass_btree.h"
#include "glass_version.h"

/* What DIR/iamglass says. */
typedef struct {
	uint32_t rev;
	unsigned char uuid[16];
	glass_root_t roots[GLASS_TABLES]; /* in glass's table order (glass_version.h) */
	glass_stats_t st;
	uint32_t oldest_changeset;
} glass_meta_t;

/* Read DIR/iamglass into *M. 0; -1 with errno (EBADMSG: not a glass
 * version file this knows, or damaged) and, when ERR is not NULL, a
 * message in *ERR (caller frees). */
int glass_meta_read(const char *dir, glass_meta_t *m, char **err);

/* The file name of table T (GLASS_POSTLIST...): "postlist.glass". */
const char *glass_table_name(int t);

typedef struct gr_cursor gr_cursor_t;

/* A cursor over table T of the database at DIR whose version file M
 * describes, before its first entry. A table whose root is fake (never
 * written) has no entries and needs no file. Returns the cursor (caller
 * frees with gr_close), or NULL with errno and, when ERR is not NULL, a
 * message in *ERR (caller frees). */
gr_cursor_t *gr_open(const char *dir, const glass_meta_t *m, int t, char **err);

/* Step to the next entry in key order (the null item is skipped) and lend
 * its key and whole tag (inflated when stored deflated) through the
 * pointers, valid until the next gr_next or gr_close on C. 1: an entry; 0:
 * no more, or a failure: gr_status tells which. */
int gr_next(gr_cursor_t *c, const unsigned char **key, size_t *klen, const unsigned char **tag,
	    size_t *tlen);

/* 0 while C is good or done; else the errno of its failure (EBADMSG: the
 * table is damaged), which sticks, described by gr_error. */
int gr_status(const gr_cursor_t *c);
/* What went wrong, "" when nothing did. Owned by C, valid until gr_close. */
const char *gr_error(const gr_cursor_t *c);

/* Close the file and free C (NULL: no-op). */
void gr_close(gr_cursor_t *c);

#endif
