/* glass_btree.h - write a new Xapian glass B-tree table in one pass.
 *
 * A bulk build hands its entries over in key order; each table file is
 * written once, front to back, with every block filled the way Xapian's
 * compactor fills them (xapian-compact's output is no smaller), and Xapian
 * then reads, checks, updates and compacts the table as its own. The layout
 * is glass's (Xapian 1.4, format 2016-03-14): see glass_btree.c.
 *
 * Key order: bytes compared as unsigned (memcmp), a key that is a prefix of
 * another first. Keys are 1..GBT_MAX_KEY bytes; a tag is 0 bytes or more,
 * split into items ("components") as glass splits it, at most
 * GBT_MAX_COMPONENTS of them (about 130 MB of tag with 8 KB blocks). Tags
 * are stored as given: deflated only when the caller did it
 * (gbt_add_deflated). */
#ifndef LODE_GLASS_BTREE_H
#define LODE_GLASS_BTREE_H
#include <stddef.h>
#include <stdint.h>

#define GBT_MAX_KEY 255            /* glass's longest key */
#define GBT_MAX_COMPONENTS 65535   /* items one tag may take (a 2-byte count) */
#define GBT_MAX_LEVELS 10          /* glass's cursor depth: root level < 10 */
#define GBT_FL_MAX 32              /* the free-list state's longest serialisation */

/* A table's root info, as the version file (iamglass) holds it. */
typedef struct {
	uint32_t root;          /* root block number */
	unsigned level;         /* 0: the root is a leaf */
	uint64_t num_entries;   /* entries added (the null item not counted) */
	int root_is_fake;       /* empty table: no block was ever written */
	int sequential;         /* leaves lie in key order in the file */
	unsigned blocksize;
	uint32_t compress_min;  /* Xapian tries to deflate longer tags it writes */
	/* the free list's state, serialised as glass keeps it (revision, first
	 * unused block, two cursors); empty for a table never written */
	unsigned char fl_serialised[GBT_FL_MAX];
	unsigned fl_len;
} glass_root_t;

typedef struct gbt gbt_t;

/* Create PATH (a new file, e.g. DIR/postlist.glass: an existing one is an
 * error, EEXIST) for a table of BLOCKSIZE-byte blocks (a power of two,
 * 2048..65536; 8192 is lode's) at database revision REV (lode's fresh
 * builds use 1, as xapian-compact does); COMPRESS_MIN is recorded in the
 * root info. Returns the writer (caller frees with gbt_free), or NULL with
 * errno. */
gbt_t *gbt_new(const char *path, unsigned blocksize, uint32_t compress_min, uint32_t rev);

/* Append one entry. KEY[0, KLEN) must follow the previous key in the order
 * above, 1 <= KLEN <= GBT_MAX_KEY; else -1 with EINVAL, nothing written, and
 * the table goes on. A tag too big for GBT_MAX_COMPONENTS items: -1 EFBIG,
 * likewise. A write failure: -1 with its errno, and every later call fails
 * with it too. Returns 0. Copies what it needs: KEY and TAG may be reused. */
int gbt_add(gbt_t *t, const void *key, size_t klen, const void *tag, size_t tlen);
/* The same, for a TAG deflated already (raw deflate, as Xapian's
 * CompressionStream makes it): its items say so, and readers inflate it. */
int gbt_add_deflated(gbt_t *t, const void *key, size_t klen, const void *tag, size_t tlen);

/* Write what is buffered and the branch levels; fill *ROOT. A table with no
 * entries writes no block (its root is fake, its file stays empty). No fsync
 * (see gbt_sync). After it, only gbt_sync and gbt_free. 0, or -1 with errno. */
int gbt_finish(gbt_t *t, glass_root_t *root);

/* fdatasync the table file (after gbt_finish, for a caller that wants the
 * build durable before writing the version file). 0 / -1 errno. */
int gbt_sync(gbt_t *t);

/* Close the file and free T (NULL: no-op). After a failed or missing
 * gbt_finish the file is garbage: the caller removes it. */
void gbt_free(gbt_t *t);

/* Root info for a table not written at all (no file), as Xapian records an
 * absent lazy table. docdata, position, spelling and synonym may be absent;
 * postlist may not, nor termlist if Xapian's writer is to open the
 * database (a reader does without): give them an empty table instead
 * (gbt_new, then gbt_finish with no entries). */
void gbt_root_absent(glass_root_t *root, unsigned blocksize, uint32_t compress_min);

/* Glass's key order: <0, 0, >0 as A sorts before, with, after B. */
int gbt_key_cmp(const void *a, size_t alen, const void *b, size_t blen);

#endif
