/* glass_read.c - read a glass database (glass_read.h).
 *
 * The version file is glass_version.c's layout read back. A table is read
 * from its root down (glass_btree.c describes the blocks and items): the
 * cursor keeps one block per level, and walks the branch items of each in
 * directory order, so the leaves come in key order whatever their place in
 * the file; older revisions' blocks, free ones and the free list are never
 * reached. A tag is the data of its components in order (they may span
 * leaves), inflated when its first item says so (raw deflate, as Xapian's
 * CompressionStream writes it).
 *
 * What a damaged table could make an unchecked reader do, this checks: a
 * block number past the file's end, a block whose level is not one less
 * than its parent's (which also bounds the descent), a directory or item
 * outside its block, keys not in increasing order, components out of
 * sequence, a tag that does not inflate. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "glass_encode.h"
#include "glass_read.h"

#define HDR 11
#define I_COMPRESSED 0x80
#define I_LAST 0x40
#define I_FIRST 0x20
#define SIZE_MASK 0x1fff
#define VERSION_MAX 4096 /* far more than any version file holds */

static const unsigned char MAGIC[16] = { 0x0f, 0x0d, 'X', 'a', 'p', 'i', 'a', 'n', ' ',
					 'G', 'l', 'a', 's', 's', 0x04, 0x6e };

static const char *const NAMES[GLASS_TABLES] = { "postlist.glass", "docdata.glass",
						  "termlist.glass", "position.glass",
						  "spelling.glass", "synonym.glass" };

const char *glass_table_name(int t)
{
	return t >= 0 && t < GLASS_TABLES ? NAMES[t] : "?";
}

static unsigned get2(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get4(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void set_err(char **err, const char *fmt, ...)
{
	if (!err)
		return;
	char b[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	*err = strdup(b);
}

static int parse_meta(const unsigned char *b, size_t n, glass_meta_t *m)
{
	const unsigned char *p = b + 32, *end = b + n;
	if (n < 32 || memcmp(b, MAGIC, sizeof MAGIC) != 0)
		return -1;
	memcpy(m->uuid, b + 16, 16);
	if (ge_get_uint32(&p, end, &m->rev) != 0)
		return -1;
	for (int i = 0; i < GLASS_TABLES; i++) {
		glass_root_t *r = &m->roots[i];
		uint64_t flags, bs, fl;
		if (ge_get_uint32(&p, end, &r->root) != 0 || ge_get_uint(&p, end, &flags) != 0 ||
		    ge_get_uint(&p, end, &r->num_entries) != 0 || ge_get_uint(&p, end, &bs) != 0 ||
		    ge_get_uint32(&p, end, &r->compress_min) != 0 || ge_get_uint(&p, end, &fl) != 0 ||
		    fl > GBT_FL_MAX || fl > (uint64_t)(end - p))
			return -1;
		r->level = (unsigned)(flags >> 2);
		r->sequential = (flags & 2) != 0;
		r->root_is_fake = (flags & 1) != 0;
		if (bs < 1 || bs > 32 || (bs & (bs - 1)) || r->level >= GBT_MAX_LEVELS)
			return -1;
		r->blocksize = (unsigned)bs << 11;
		memcpy(r->fl_serialised, p, fl);
		r->fl_len = (unsigned)fl;
		p += fl;
	}
	uint64_t x[8];
	for (int i = 0; i < 8; i++)
		if (ge_get_uint(&p, end, &x[i]) != 0)
			return -1;
	if (p != end || x[0] > UINT32_MAX || x[0] + x[1] > UINT32_MAX || x[2] > UINT32_MAX ||
	    x[3] > UINT32_MAX || x[3] + x[4] > UINT32_MAX || x[5] > UINT32_MAX ||
	    x[7] > UINT32_MAX)
		return -1;
	m->st.doccount = (uint32_t)x[0];
	m->st.last_docid = (uint32_t)(x[0] + x[1]);
	m->st.doclen_lbound = (uint32_t)x[2];
	m->st.wdf_ubound = (uint32_t)x[3];
	m->st.doclen_ubound = (uint32_t)(x[3] + x[4]);
	m->oldest_changeset = (uint32_t)x[5];
	m->st.total_doclen = x[6];
	m->st.spelling_wordfreq_ubound = (uint32_t)x[7];
	return 0;
}

int glass_meta_read(const char *dir, glass_meta_t *m, char **err)
{
	if (err)
		*err = NULL;
	memset(m, 0, sizeof *m);
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/iamglass", dir) >= sizeof path) {
		errno = ENAMETOOLONG;
		set_err(err, "%s: path too long", dir);
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		set_err(err, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	unsigned char b[VERSION_MAX];
	size_t n = 0;
	while (n < sizeof b) {
		ssize_t k = read(fd, b + n, sizeof b - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			close(fd);
			set_err(err, "%s: %s", path, strerror(e));
			errno = e;
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	if (n == sizeof b || parse_meta(b, n, m) != 0) {
		memset(m, 0, sizeof *m);
		set_err(err, "%s: not a glass version file this reads, or damaged", path);
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/* ----------------------------------------------------------------- cursor */

struct lvl {
	unsigned char *blk;
	uint32_t no;    /* its block number */
	unsigned i, n;  /* the next directory entry; how many */
};

struct gr_cursor {
	int fd;
	int err;
	int started, done;
	unsigned bs, top;
	uint32_t rev, root;
	uint64_t nblocks;
	const char *name;
	struct lvl lv[GBT_MAX_LEVELS];
	unsigned char key[GBT_MAX_KEY];
	unsigned klen;
	int have_key;   /* KEY holds the last entry's (or the one being read) */
	unsigned char *tag;
	size_t tlen, tcap;
	unsigned char *inf; /* an inflated tag */
	size_t icap;
	z_stream zs;
	int zs_ready;
	char msg[256];
};

static int fail(gr_cursor_t *c, int e, const char *fmt, ...)
{
	if (!c->err) {
		c->err = e;
		int k = snprintf(c->msg, sizeof c->msg, "%s: ", c->name);
		va_list ap;
		va_start(ap, fmt);
		if (k > 0 && (size_t)k < sizeof c->msg)
			vsnprintf(c->msg + k, sizeof c->msg - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Read block NO into level J, which it must be a block of. */
static int load(gr_cursor_t *c, unsigned j, uint32_t no)
{
	struct lvl *l = &c->lv[j];
	if (no >= c->nblocks)
		return fail(c, EBADMSG, "block %u past the end of the file", no);
	size_t got = 0;
	while (got < c->bs) {
		ssize_t k = pread(c->fd, l->blk + got, c->bs - got, (off_t)no * c->bs + (off_t)got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return fail(c, errno, "block %u: %s", no, strerror(errno));
		if (k == 0)
			return fail(c, EBADMSG, "block %u cut short", no);
		got += (size_t)k;
	}
	const unsigned char *b = l->blk;
	unsigned dir_end = get2(b + 9);
	if (get4(b) > c->rev)
		return fail(c, EBADMSG, "block %u is newer than the database", no);
	if (b[4] != j)
		return fail(c, EBADMSG, "block %u is at level %u, not %u", no, b[4], j);
	if (dir_end < HDR || dir_end > c->bs || (dir_end - HDR) % 2)
		return fail(c, EBADMSG, "block %u: bad directory", no);
	l->no = no;
	l->i = 0;
	l->n = (dir_end - HDR) / 2;
	if (j > 0 && l->n == 0)
		return fail(c, EBADMSG, "block %u: an empty branch", no);
	/* every item starts past the directory and in the block */
	for (unsigned k = 0; k < l->n; k++) {
		unsigned o = get2(b + HDR + 2 * k);
		if (o < dir_end || o + (j ? 7u : 3u) > c->bs)
			return fail(c, EBADMSG, "block %u: item %u outside the block", no, k);
	}
	return 0;
}

/* From level J's current item down to a leaf, each child's first item. */
static int descend(gr_cursor_t *c, unsigned j)
{
	for (; j > 0; j--) {
		struct lvl *l = &c->lv[j];
		const unsigned char *it = l->blk + get2(l->blk + HDR + 2 * l->i);
		unsigned klen = it[4];
		if ((size_t)(it - l->blk) + 7 + klen > c->bs)
			return fail(c, EBADMSG, "block %u: item %u outside the block", l->no, l->i);
		if (load(c, j - 1, get4(it)) != 0)
			return -1;
	}
	return 0;
}

gr_cursor_t *gr_open(const char *dir, const glass_meta_t *m, int t, char **err)
{
	if (err)
		*err = NULL;
	if (!dir || !m || t < 0 || t >= GLASS_TABLES) {
		errno = EINVAL;
		set_err(err, "gr_open: bad arguments");
		return NULL;
	}
	const glass_root_t *r = &m->roots[t];
	gr_cursor_t *c = calloc(1, sizeof *c);
	if (!c) {
		set_err(err, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	c->fd = -1;
	c->name = NAMES[t];
	c->bs = r->blocksize;
	c->top = r->level;
	c->rev = m->rev;
	c->root = r->root;
	if (r->root_is_fake) {
		c->done = 1; /* never written: nothing in it */
		return c;
	}
	char path[4096];
	int e = 0;
	struct stat sb;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, NAMES[t]) >= sizeof path)
		e = ENAMETOOLONG;
	else if ((c->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(c->fd, &sb) != 0)
		e = errno;
	for (unsigned j = 0; !e && j <= c->top; j++)
		if (!(c->lv[j].blk = malloc(c->bs)))
			e = ENOMEM;
	if (e) {
		set_err(err, "%s/%s: %s", dir, NAMES[t], strerror(e));
		gr_close(c);
		errno = e;
		return NULL;
	}
	c->nblocks = (uint64_t)sb.st_size / c->bs;
	return c;
}

/* Room for N more bytes of tag. */
static int tag_room(gr_cursor_t *c, size_t n)
{
	if (c->tcap - c->tlen >= n)
		return 0;
	size_t cap = c->tcap ? c->tcap : 4096;
	while (cap - c->tlen < n)
		cap *= 2;
	unsigned char *p = realloc(c->tag, cap);
	if (!p)
		return fail(c, ENOMEM, "out of memory");
	c->tag = p;
	c->tcap = cap;
	return 0;
}

/* The tag, inflated into c->inf; its length through *N. */
static int inflate_tag(gr_cursor_t *c, size_t *n)
{
	if (!c->zs_ready) {
		if (inflateInit2(&c->zs, -15) != Z_OK)
			return fail(c, ENOMEM, "cannot start zlib");
		c->zs_ready = 1;
	} else if (inflateReset(&c->zs) != Z_OK) {
		return fail(c, EBADMSG, "zlib reset failed");
	}
	size_t out = 0;
	c->zs.next_in = c->tag;
	c->zs.avail_in = (uInt)c->tlen;
	if (c->tlen > UINT32_MAX)
		return fail(c, EBADMSG, "a deflated tag too big");
	for (;;) {
		if (c->icap - out < 4096) {
			size_t cap = c->icap ? c->icap * 2 : 4 * c->tlen + 4096;
			unsigned char *p = realloc(c->inf, cap);
			if (!p)
				return fail(c, ENOMEM, "out of memory");
			c->inf = p;
			c->icap = cap;
		}
		size_t room = c->icap - out < UINT32_MAX ? c->icap - out : UINT32_MAX;
		c->zs.next_out = c->inf + out;
		c->zs.avail_out = (uInt)room;
		int z = inflate(&c->zs, Z_NO_FLUSH);
		out += room - c->zs.avail_out;
		if (z == Z_STREAM_END)
			break;
		if (z != Z_OK && !(z == Z_BUF_ERROR && c->zs.avail_out == 0))
			return fail(c, EBADMSG, "a deflated tag does not inflate");
		if (c->zs.avail_out != 0 && c->zs.avail_in == 0)
			return fail(c, EBADMSG, "a deflated tag cut short");
	}
	*n = out;
	return 0;
}

/* The next leaf item, through *IT (in level 0's block), or 0 at the end. */
static int next_item(gr_cursor_t *c, const unsigned char **it)
{
	if (!c->started) {
		c->started = 1;
		if (load(c, c->top, c->root) != 0 || descend(c, c->top) != 0)
			return -1;
	}
	while (c->lv[0].i >= c->lv[0].n) {
		unsigned j = 1;
		while (j <= c->top && ++c->lv[j].i >= c->lv[j].n)
			j++;
		if (j > c->top)
			return 0;
		if (descend(c, j) != 0)
			return -1;
	}
	struct lvl *l = &c->lv[0];
	*it = l->blk + get2(l->blk + HDR + 2 * l->i++);
	return 1;
}

int gr_next(gr_cursor_t *c, const unsigned char **key, size_t *klen, const unsigned char **tag,
	    size_t *tlen)
{
	if (!c || c->err || c->done)
		return 0;
	unsigned want = 1; /* the component expected next */
	int compressed = 0;
	for (;;) {
		const unsigned char *it;
		int r = next_item(c, &it);
		if (r <= 0) {
			if (r == 0 && want > 1)
				fail(c, EBADMSG, "the table ends inside a tag");
			c->done = 1;
			return 0;
		}
		const struct lvl *l = &c->lv[0];
		size_t at = (size_t)(it - l->blk);
		unsigned size = (get2(it) & SIZE_MASK) + 3;
		unsigned kl = it[2];
		int first = (it[0] & I_FIRST) != 0, last = (it[0] & I_LAST) != 0;
		size_t cd = 3 + (size_t)kl + (first ? 0 : 2);
		if (at + size > c->bs || cd > size) {
			fail(c, EBADMSG, "block %u: item %u outside the block", l->no, l->i - 1);
			return 0;
		}
		const unsigned char *k = it + 3;
		unsigned comp = first ? 1 : get2(it + 3 + kl);
		if (kl == 0) {
			/* the null item, which every table starts with */
			if (want > 1 || !first || !last || c->have_key) {
				fail(c, EBADMSG, "block %u: an empty key", l->no);
				return 0;
			}
			continue;
		}
		if (want == 1) {
			if (!first || comp != 1) {
				fail(c, EBADMSG, "block %u: a tag without its first component", l->no);
				return 0;
			}
			if (c->have_key && gbt_key_cmp(c->key, c->klen, k, kl) >= 0) {
				fail(c, EBADMSG, "block %u: keys out of order", l->no);
				return 0;
			}
			memcpy(c->key, k, kl);
			c->klen = kl;
			c->have_key = 1;
			c->tlen = 0;
			compressed = (it[0] & I_COMPRESSED) != 0;
		} else if (first || comp != want || kl != c->klen || memcmp(k, c->key, kl) != 0) {
			fail(c, EBADMSG, "block %u: components of a tag out of sequence", l->no);
			return 0;
		}
		if (tag_room(c, size - cd) != 0)
			return 0;
		memcpy(c->tag + c->tlen, it + cd, size - cd);
		c->tlen += size - cd;
		if (!last) {
			if (want++ == GBT_MAX_COMPONENTS) {
				fail(c, EBADMSG, "a tag of too many components");
				return 0;
			}
			continue;
		}
		*key = c->key;
		*klen = c->klen;
		if (compressed) {
			if (inflate_tag(c, tlen) != 0)
				return 0;
			*tag = c->inf;
		} else {
			*tag = c->tag ? c->tag : (const unsigned char *)"";
			*tlen = c->tlen;
		}
		return 1;
	}
}

void gr_close(gr_cursor_t *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	for (unsigned j = 0; j < GBT_MAX_LEVELS; j++)
		free(c->lv[j].blk);
	free(c->tag);
	free(c->inf);
	if (c->zs_ready)
		inflateEnd(&c->zs);
	free(c);
}

int gr_status(const gr_cursor_t *c)
{
	return c ? c->err : EINVAL;
}

const char *gr_error(const gr_cursor_t *c)
{
	return c && c->err ? c->msg : "";
}
