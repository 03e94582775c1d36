/* glass_version.c - write a glass database's version file (glass_version.h).
 *
 * Layout (format 2016-03-14, every Xapian 1.4): a 14-byte magic and the
 * format's 2-byte date, the database UUID (16 bytes), then numbers in
 * Xapian's pack_uint form (7 bits a byte, low first, the top bit set on all
 * but the last): the revision; for each table its root block, level << 2 |
 * sequential << 1 | root_is_fake, entries, block size / 2048,
 * compress_min, and the free list's state as a length-prefixed string;
 * then the statistics: doccount, last_docid - doccount, doclen lower
 * bound, wdf upper bound, doclen upper bound - wdf upper bound, the oldest
 * changeset kept (0: none), total length, spelling frequency upper bound.
 * The two differences are taken in 32 bits, as Xapian takes them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "glass_version.h"

#define VERSION_READ 256 /* what Xapian reads of the file */

static const unsigned char MAGIC[16] = { 0x0f, 0x0d, 'X', 'a', 'p', 'i', 'a', 'n', ' ',
					 'G', 'l', 'a', 's', 's', 0x04, 0x6e };

typedef struct {
	unsigned char b[512];
	size_t n;
} vbuf_t;

static void put(vbuf_t *v, const void *p, size_t n)
{
	if (v->n + n <= sizeof v->b)
		memcpy(v->b + v->n, p, n);
	v->n += n; /* past the end: only the length counts (EOVERFLOW) */
}

static void pack(vbuf_t *v, uint64_t x)
{
	unsigned char t[10];
	size_t n = 0;
	while (x >= 128) {
		t[n++] = (unsigned char)(x | 0x80);
		x >>= 7;
	}
	t[n++] = (unsigned char)x;
	put(v, t, n);
}

/* A version 4 (random) UUID. */
static int make_uuid(unsigned char u[16])
{
	size_t got = 0;
	while (got < 16) {
		ssize_t k = getrandom(u + got, 16 - got, 0);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)k;
	}
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	return 0;
}

static int serialise(vbuf_t *v, uint32_t rev, const glass_root_t roots[GLASS_TABLES],
		     const glass_stats_t *st)
{
	unsigned char uuid[16];
	if (make_uuid(uuid) != 0)
		return -1;
	put(v, MAGIC, sizeof MAGIC);
	put(v, uuid, sizeof uuid);
	pack(v, rev);
	for (int i = 0; i < GLASS_TABLES; i++) {
		const glass_root_t *r = &roots[i];
		if (r->blocksize < 2048 || r->blocksize > 65536 ||
		    (r->blocksize & (r->blocksize - 1)) || r->fl_len > GBT_FL_MAX) {
			errno = EINVAL;
			return -1;
		}
		pack(v, r->root);
		pack(v, (uint64_t)r->level << 2 | (r->sequential ? 2 : 0) | (r->root_is_fake ? 1 : 0));
		pack(v, r->num_entries);
		pack(v, r->blocksize >> 11);
		pack(v, r->compress_min);
		pack(v, r->fl_len);
		put(v, r->fl_serialised, r->fl_len);
	}
	pack(v, st->doccount);
	pack(v, (uint32_t)(st->last_docid - st->doccount));
	pack(v, st->doclen_lbound);
	pack(v, st->wdf_ubound);
	pack(v, (uint32_t)(st->doclen_ubound - st->wdf_ubound));
	pack(v, 0);
	pack(v, st->total_doclen);
	pack(v, st->spelling_wordfreq_ubound);
	if (v->n > VERSION_READ) {
		errno = EOVERFLOW;
		return -1;
	}
	return 0;
}

static int write_file(const char *path, const vbuf_t *v, int sync)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	const unsigned char *p = v->b;
	size_t n = v->n;
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			goto fail;
		p += k;
		n -= (size_t)k;
	}
	if (sync && fsync(fd) != 0)
		goto fail;
	return close(fd);
fail:;
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

int glass_version_write_flags(const char *dir, uint32_t rev,
			      const glass_root_t roots[GLASS_TABLES], const glass_stats_t *st,
			      unsigned flags)
{
	if (!dir || !roots || !st) {
		errno = EINVAL;
		return -1;
	}
	vbuf_t v;
	v.n = 0;
	if (serialise(&v, rev, roots, st) != 0)
		return -1;
	char tmp[4096], path[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/v.tmp", dir) >= sizeof tmp ||
	    (size_t)snprintf(path, sizeof path, "%s/iamglass", dir) >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int sync = (flags & GLASS_VERSION_SYNC) != 0;
	if (write_file(tmp, &v, sync) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return sync ? sync_dir(dir) : 0;
}

int glass_version_write(const char *dir, uint32_t rev, const glass_root_t roots[GLASS_TABLES],
			const glass_stats_t *st)
{
	return glass_version_write_flags(dir, rev, roots, st, 0);
}
