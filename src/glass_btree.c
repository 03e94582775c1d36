/* glass_btree.c - write a new glass B-tree table in one pass (glass_btree.h).
 *
 * The file is a run of equal blocks. Each starts with an 11-byte header
 * (big-endian, as every number in a block): revision (4), level (1: 0 for a
 * leaf), the free gap between directory and items (2), the total free space
 * (2; the same here: a block is written once, without holes), and the end
 * of the directory (2). The directory, 2-byte offsets to the items in key
 * order, follows the header and grows up; the items fill the block from its
 * end down.
 *
 * A leaf item: size-3 with three flags in its top bits (2: compressed, last
 * component, first component), key length (1), key, the component number
 * (2, absent from a first component), a piece of the tag. A branch item:
 * child block number (4), key length (1), key, component number (2). The
 * first leaf of a table starts with the "null item" (empty key, empty tag),
 * which every glass table holds; the first item of every branch block has an
 * empty key and component 0, since the key that separates that block from
 * its left neighbour is held in the level above.
 *
 * Writing in key order, each level keeps one block open. A leaf is closed
 * when the next item does not fit: it takes the next block number and is
 * appended to the output, and an item pointing at it goes into the level
 * above, which closes the same way; so leaves lie in key order in the file,
 * and the branch blocks among them (readers in "sequential" mode skip
 * them). A new leaf's key in the level above is the shortest start of its
 * first key that still sorts after the previous leaf's last key (as glass
 * truncates it), with the first item's component number.
 *
 * A tag longer than one item allows (a quarter block, less the key) is
 * split into components, numbered from 1. As the compactor does, the first
 * takes just what the open leaf has left over whole maximal items, so that
 * the maximal ones that follow fill each leaf to the byte. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass_btree.h"

#define HDR 11           /* block header; the directory starts here */
#define I_COMPRESSED 0x80 /* flags in an item's first byte */
#define I_LAST 0x40
#define I_FIRST 0x20
#define SIZE_MASK 0x1fff /* the rest of its first two bytes: size - 3 */
#define BRANCH_FIXED 7   /* a branch item less its key */
#define OUT_BYTES (2u << 20)

struct level {
	unsigned char *blk;
	unsigned dir_end, item_start; /* the free gap is [dir_end, item_start) */
	unsigned nitems;
	/* this block's key in its parent (empty for the leftmost at a level) */
	unsigned char sep[GBT_MAX_KEY];
	unsigned sep_len, sep_comp;
};

struct gbt {
	int fd;
	int err;           /* sticky errno of a failed write */
	int finished;
	unsigned bs;
	unsigned max_item; /* glass's largest item: four must fit in a block */
	uint32_t rev, compress_min;
	uint32_t next_block;
	uint64_t entries;
	int top;           /* the highest level with an open block */
	struct level lv[GBT_MAX_LEVELS];
	unsigned char *out; /* closed blocks not yet written */
	size_t out_len, out_cap;
	unsigned char last_key[GBT_MAX_KEY];
	unsigned last_len;
};

static void put2(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put4(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

int gbt_key_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int d = memcmp(a, b, alen < blen ? alen : blen);
	if (d)
		return d;
	return alen < blen ? -1 : alen > blen;
}

static void level_reset(struct level *l, unsigned bs)
{
	l->dir_end = HDR;
	l->item_start = bs;
	l->nitems = 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int out_flush(gbt_t *t)
{
	if (t->out_len && write_all(t->fd, t->out, t->out_len) != 0) {
		t->err = errno;
		return -1;
	}
	t->out_len = 0;
	return 0;
}

/* Finish level J's open block, append it to the output and return its
 * number through *N. */
static int block_emit(gbt_t *t, int j, uint32_t *n)
{
	struct level *l = &t->lv[j];
	if (t->next_block == UINT32_MAX) {
		t->err = EFBIG;
		return -1;
	}
	unsigned char *b = l->blk;
	unsigned gap = l->item_start - l->dir_end;
	put4(b, t->rev);
	b[4] = (unsigned char)j;
	put2(b + 5, gap);
	put2(b + 7, gap);
	put2(b + 9, l->dir_end);
	/* the gap is never read: zeros keep the output the same run to run */
	memset(b + l->dir_end, 0, gap);
	if (t->out_len + t->bs > t->out_cap && out_flush(t) != 0)
		return -1;
	memcpy(t->out + t->out_len, b, t->bs);
	t->out_len += t->bs;
	*n = t->next_block++;
	return 0;
}

static int branch_put(gbt_t *t, int j, const unsigned char *key, unsigned klen, unsigned comp,
		      uint32_t child);

/* Close level J's open block and point the level above at it. */
static int level_close(gbt_t *t, int j)
{
	uint32_t n;
	if (block_emit(t, j, &n) != 0)
		return -1;
	if (j == t->top) {
		if (j + 1 == GBT_MAX_LEVELS) {
			t->err = EFBIG;
			return -1;
		}
		struct level *up = &t->lv[j + 1];
		if (!up->blk && !(up->blk = malloc(t->bs))) {
			t->err = ENOMEM;
			return -1;
		}
		level_reset(up, t->bs);
		t->top = j + 1;
	}
	struct level *l = &t->lv[j];
	if (branch_put(t, j + 1, l->sep, l->sep_len, l->sep_comp, n) != 0)
		return -1;
	level_reset(l, t->bs);
	return 0;
}

/* Add to level J (> 0) an item for block CHILD, whose key in this level is
 * KEY[0, KLEN) with component COMP. */
static int branch_put(gbt_t *t, int j, const unsigned char *key, unsigned klen, unsigned comp,
		      uint32_t child)
{
	struct level *l = &t->lv[j];
	if (l->nitems && BRANCH_FIXED + klen + 2 > l->item_start - l->dir_end &&
	    level_close(t, j) != 0)
		return -1;
	if (l->nitems == 0) {
		/* a block's first key lives in its parent only */
		memcpy(l->sep, key, klen);
		l->sep_len = klen;
		l->sep_comp = comp;
		klen = 0;
		comp = 0;
	}
	unsigned size = BRANCH_FIXED + klen;
	unsigned char *p = l->blk + (l->item_start -= size);
	put4(p, child);
	p[4] = (unsigned char)klen;
	memcpy(p + 5, key, klen);
	put2(p + 5 + klen, comp);
	put2(l->blk + l->dir_end, l->item_start);
	l->dir_end += 2;
	l->nitems++;
	return 0;
}

/* Add a leaf item: component COMP of KEY (of LAST components when LAST),
 * holding DATA[0, DLEN). SHARED: how many first bytes KEY has in common with
 * the previous item's key. */
static int leaf_put(gbt_t *t, const unsigned char *key, unsigned klen, unsigned comp, int last,
		    const unsigned char *data, size_t dlen, unsigned shared, int deflated)
{
	struct level *l = &t->lv[0];
	unsigned size = 3 + klen + (comp > 1 ? 2 : 0) + (unsigned)dlen;
	if (size + 2 > l->item_start - l->dir_end) {
		if (level_close(t, 0) != 0)
			return -1;
		/* the shortest start of KEY that sorts after the previous key */
		unsigned n = shared < klen ? shared + 1 : klen;
		memcpy(l->sep, key, n);
		l->sep_len = n;
		l->sep_comp = comp;
	}
	unsigned char *p = l->blk + (l->item_start -= size);
	put2(p, size - 3);
	p[0] |= (comp == 1 ? I_FIRST : 0) | (last ? I_LAST : 0) | (deflated ? I_COMPRESSED : 0);
	p[2] = (unsigned char)klen;
	memcpy(p + 3, key, klen);
	unsigned o = 3 + klen;
	if (comp > 1) {
		put2(p + o, comp);
		o += 2;
	}
	if (dlen)
		memcpy(p + o, data, dlen);
	put2(l->blk + l->dir_end, l->item_start);
	l->dir_end += 2;
	l->nitems++;
	return 0;
}

gbt_t *gbt_new(const char *path, unsigned blocksize, uint32_t compress_min, uint32_t rev)
{
	if (!path || blocksize < 2048 || blocksize > 65536 || (blocksize & (blocksize - 1))) {
		errno = EINVAL;
		return NULL;
	}
	gbt_t *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->bs = blocksize;
	t->max_item = (blocksize - HDR - 4 * 2) / 4;
	if (t->max_item > SIZE_MASK + 3)
		t->max_item = SIZE_MASK + 3;
	t->rev = rev;
	t->compress_min = compress_min;
	t->out_cap = OUT_BYTES / blocksize < 16 ? 16 * (size_t)blocksize : OUT_BYTES;
	t->out = malloc(t->out_cap);
	t->lv[0].blk = malloc(blocksize);
	if (!t->out || !t->lv[0].blk) {
		free(t->out);
		free(t->lv[0].blk);
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	t->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (t->fd < 0) {
		int e = errno;
		free(t->out);
		free(t->lv[0].blk);
		free(t);
		errno = e;
		return NULL;
	}
	level_reset(&t->lv[0], blocksize);
	/* the null item, which every glass table starts with */
	static const unsigned char none[1];
	leaf_put(t, none, 0, 1, 1, none, 0, 0, 0);
	return t;
}

/* Bytes of tag the first of M components takes (M set too), or 0 when the
 * tag needs more than GBT_MAX_COMPONENTS. */
static size_t first_piece(const gbt_t *t, unsigned klen, size_t tlen, size_t *m)
{
	const struct level *l = &t->lv[0];
	size_t cd = 3 + klen + 2;            /* where a later component's data starts */
	size_t piece = t->max_item - cd;     /* what a later component holds */
	size_t first = piece + 2;            /* a first one has no component number */
	if (tlen <= first) {
		*m = 1;
		return tlen;
	}
	/* What the open leaf has left after whole maximal items: when it is
	 * worth an item, the first component takes exactly that. */
	size_t spare = (l->item_start - l->dir_end) % (t->max_item + 2);
	if (spare > 2 + cd) {
		spare -= 2 + cd;
		/* worth it when it costs no extra item, or holds a fair amount */
		if (spare >= (tlen - 2) % piece || spare >= klen + 34u)
			first = spare + 2;
	}
	*m = (tlen - first + piece - 1) / piece + 1;
	return *m > GBT_MAX_COMPONENTS ? 0 : first;
}

static int add(gbt_t *t, const void *key_, size_t klen, const void *tag_, size_t tlen,
	       int deflated)
{
	static const unsigned char empty[1];
	const unsigned char *key = key_, *tag = tag_ ? tag_ : empty;
	if (!t || t->finished || !key || (!tag_ && tlen)) {
		errno = EINVAL;
		return -1;
	}
	if (t->err) {
		errno = t->err;
		return -1;
	}
	if (klen == 0 || klen > GBT_MAX_KEY ||
	    gbt_key_cmp(t->last_key, t->last_len, key, klen) >= 0) {
		errno = EINVAL;
		return -1;
	}
	size_t m;
	size_t first = first_piece(t, (unsigned)klen, tlen, &m);
	if (m > GBT_MAX_COMPONENTS) {
		errno = EFBIG;
		return -1;
	}
	unsigned shared = 0;
	while (shared < t->last_len && shared < klen && t->last_key[shared] == key[shared])
		shared++;
	size_t piece = t->max_item - (3 + klen + 2);
	size_t o = 0;
	for (size_t i = 1; i <= m; i++) {
		size_t n = i == 1 ? first : (i == m ? tlen - o : piece);
		if (leaf_put(t, key, (unsigned)klen, (unsigned)i, i == m, tag + o, n,
			     i == 1 ? shared : (unsigned)klen, deflated) != 0) {
			errno = t->err;
			return -1;
		}
		o += n;
	}
	memcpy(t->last_key, key, klen);
	t->last_len = (unsigned)klen;
	t->entries++;
	return 0;
}

int gbt_add(gbt_t *t, const void *key, size_t klen, const void *tag, size_t tlen)
{
	return add(t, key, klen, tag, tlen, 0);
}

int gbt_add_deflated(gbt_t *t, const void *key, size_t klen, const void *tag, size_t tlen)
{
	return add(t, key, klen, tag, tlen, 1);
}

/* The free list of a table just written: none free, every block used. */
static void fl_pack(glass_root_t *r, uint32_t rev, uint32_t nblocks)
{
	uint32_t v[6] = { rev, nblocks, 0, 0, 0, 0 };
	unsigned n = 0;
	for (int i = 0; i < 6; i++) {
		uint32_t x = v[i];
		while (x >= 128) {
			r->fl_serialised[n++] = (unsigned char)(x | 0x80);
			x >>= 7;
		}
		r->fl_serialised[n++] = (unsigned char)x;
	}
	r->fl_len = n;
}

void gbt_root_absent(glass_root_t *root, unsigned blocksize, uint32_t compress_min)
{
	memset(root, 0, sizeof *root);
	root->root_is_fake = 1;
	root->sequential = 1;
	root->blocksize = blocksize;
	root->compress_min = compress_min;
}

int gbt_finish(gbt_t *t, glass_root_t *root)
{
	if (!t || !root || t->finished) {
		errno = EINVAL;
		return -1;
	}
	if (t->err) {
		errno = t->err;
		return -1;
	}
	t->finished = 1;
	gbt_root_absent(root, t->bs, t->compress_min);
	if (t->entries == 0)
		return 0; /* as Xapian leaves a table never written to */
	/* closing a level may open one above it: t->top is read anew */
	for (int j = 0; j < t->top; j++)
		if (level_close(t, j) != 0)
			goto fail;
	uint32_t n;
	if (block_emit(t, t->top, &n) != 0 || out_flush(t) != 0)
		goto fail;
	root->root = n;
	root->level = (unsigned)t->top;
	root->num_entries = t->entries;
	root->root_is_fake = 0;
	fl_pack(root, t->rev, t->next_block);
	return 0;
fail:
	errno = t->err;
	return -1;
}

int gbt_sync(gbt_t *t)
{
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	return fdatasync(t->fd);
}

void gbt_free(gbt_t *t)
{
	if (!t)
		return;
	close(t->fd);
	for (int j = 0; j < GBT_MAX_LEVELS; j++)
		free(t->lv[j].blk);
	free(t->out);
	free(t);
}
