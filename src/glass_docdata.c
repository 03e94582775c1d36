/* glass_docdata.c - keep Xapian from compressing the document data of
 * lode's databases.
 *
 * A record's text, the bulk of it, is already deflated by lode (record.c),
 * in a way that lets a search inflate only the part its passages need. Glass
 * deflates every docdata tag again (zlib's default level) when that saves a
 * byte, and then inflates the whole record for every hit read: a build spent
 * 7% of its time in that second deflate, and a search as long in inflate as
 * in all of its snippets' own reading.
 *
 * Glass keeps, per table, the tag length from which it tries to compress
 * ("compress_min") in its version file, iamglass (format 2016-03-14, that
 * of every Xapian 1.4): set once when a database is created, and written
 * back unchanged at every commit. A database lode creates gets the largest
 * value for its docdata table before any writer opens it, so no tag is ever
 * compressed; nothing else in the file changes, and Xapian reads such a
 * file as it reads its own (it only compares tag lengths with the value).
 * Anything else in the file than this layout leaves it alone.
 *
 * Xapian's compactor gives the tables it writes the default value, so it
 * would try, in vain, to deflate every record again while copying it. The
 * records need no compacting (added in docid order, their blocks are full),
 * so index_compact.c compacts a segment less its docdata table and then
 * hands the table over as it is: glass_docdata_take links the file into the
 * copy and puts its root info (the same fields) into the copy's version
 * file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "glass_docdata.h"

#define VERSION_MAX 1024 /* iamglass is about a hundred bytes */
#define TABLE_DOCDATA 1  /* postlist, docdata, termlist, position, ... */
#define RAW_MIN 0xFFFFFFFFu

static const char MAGIC[16] = { '\x0f', '\x0d', 'X', 'a', 'p', 'i', 'a', 'n', ' ',
				'G', 'l', 'a', 's', 's', '\x04', '\x6e' };

/* Xapian's pack_uint: 7 bits a byte, low first. */
static int unpack(const unsigned char **p, const unsigned char *end, unsigned long long *v)
{
	*v = 0;
	for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned c = *(*p)++;
		*v |= (unsigned long long)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return 0;
	}
	return -1;
}

static void pack(buf_t *b, unsigned long long v)
{
	while (v >= 128) {
		buf_addc(b, (char)(v | 0x80));
		v >>= 7;
	}
	buf_addc(b, (char)v);
}

/* Where things are in a version file: the revision, and for each table up
 * to docdata its root info (root, level and flags, entries, block size /
 * 2048, compress_min, the free list as a length-prefixed string) and, inside
 * it, its compress_min. Offsets into the file. */
typedef struct {
	size_t rev_at, rev_end;
	unsigned long long rev;
	size_t root_at, root_end; /* docdata's root info */
	size_t cm_at, cm_end;     /* its compress_min */
	unsigned long long cm, entries;
} layout_t;

/* Lay out the version file V[0, n); 0, -1 when it is not laid out so. */
static int parse_version(const unsigned char *v, size_t n, layout_t *l)
{
	if (n < sizeof MAGIC + 16 || memcmp(v, MAGIC, sizeof MAGIC) != 0)
		return -1;
	const unsigned char *p = v + sizeof MAGIC + 16, *e = v + n; /* the uuid */
	unsigned long long x;
	l->rev_at = (size_t)(p - v);
	if (unpack(&p, e, &l->rev))
		return -1;
	l->rev_end = (size_t)(p - v);
	for (unsigned t = 0; t <= TABLE_DOCDATA; t++) {
		l->root_at = (size_t)(p - v);
		for (int i = 0; i < 4; i++) {
			if (unpack(&p, e, &x))
				return -1;
			if (i == 2)
				l->entries = x;
		}
		l->cm_at = (size_t)(p - v);
		if (unpack(&p, e, &l->cm))
			return -1;
		l->cm_end = (size_t)(p - v);
		unsigned long long len;
		if (unpack(&p, e, &len) || len > (unsigned long long)(e - p))
			return -1;
		p += len;
		l->root_end = (size_t)(p - v);
	}
	return 0;
}

static int read_all(const char *path, buf_t *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char tmp[VERSION_MAX];
	ssize_t k = read(fd, tmp, sizeof tmp);
	int e = errno;
	close(fd);
	if (k < 0) {
		errno = e;
		return -1;
	}
	buf_add(b, tmp, (size_t)k);
	return b->oom ? (errno = ENOMEM, -1) : 0;
}

static int write_replace(const char *path, const char *tmp, const buf_t *b)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	int ok = write(fd, b->p, b->len) == (ssize_t)b->len && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	if (ok && rename(tmp, path) == 0)
		return 0;
	e = ok ? errno : e;
	unlink(tmp);
	errno = e;
	return -1;
}

/* The version file of DIR into V: 0, 1 when it is not laid out as glass's
 * (L unset), -1 with errno when it cannot be read. */
static int read_version(const char *dir, buf_t *v, layout_t *l)
{
	buf_t path = BUF_INIT;
	buf_printf(&path, "%s/iamglass", dir);
	int rc = path.oom ? (errno = ENOMEM, -1) : read_all(path.p, v);
	if (rc == 0 && (v->len >= VERSION_MAX || parse_version((const unsigned char *)v->p, v->len, l)))
		rc = 1;
	buf_free(&path);
	return rc;
}

/* V (unless out of memory) as DIR's version file, in one step: 0, -1 with
 * errno. */
static int write_version(const char *dir, const buf_t *v)
{
	if (v->oom) {
		errno = ENOMEM;
		return -1;
	}
	buf_t path = BUF_INIT, tmp = BUF_INIT;
	buf_printf(&path, "%s/iamglass", dir);
	buf_printf(&tmp, "%s/iamglass.lode-tmp", dir);
	int rc = path.oom || tmp.oom ? (errno = ENOMEM, -1) : write_replace(path.p, tmp.p, v);
	buf_free(&path);
	buf_free(&tmp);
	return rc;
}

int glass_docdata_raw(const char *dbdir)
{
	buf_t v = BUF_INIT, out = BUF_INIT;
	layout_t l;
	int rc = read_version(dbdir, &v, &l);
	if (rc == 0 && l.cm != RAW_MIN) {
		buf_add(&out, v.p, l.cm_at);
		pack(&out, RAW_MIN);
		buf_add(&out, v.p + l.cm_end, v.len - l.cm_end);
		rc = write_version(dbdir, &out);
	}
	buf_free(&v);
	buf_free(&out);
	return rc;
}

xap_status_t glass_compact(const char *const *srcs, size_t n, const char *dest, int multipass,
			   char **errmsg)
{
	xap_status_t xs = xap_compact(srcs, n, dest, multipass, errmsg);
	if (xs == XAP_OK)
		glass_docdata_raw(dest);
	return xs;
}

int glass_docdata_take(const char *from, const char *to)
{
	buf_t vf = BUF_INIT, vt = BUF_INIT, out = BUF_INIT;
	buf_t src = BUF_INIT, dst = BUF_INIT;
	layout_t lf, lt;
	int rc = read_version(from, &vf, &lf);
	if (rc == 0)
		rc = read_version(to, &vt, &lt);
	if (rc != 0)
		goto done;
	buf_printf(&src, "%s/docdata.glass", from);
	buf_printf(&dst, "%s/docdata.glass", to);
	if (src.oom || dst.oom) {
		errno = ENOMEM;
		rc = -1;
		goto done;
	}
	/* TO must have no document data of its own */
	struct stat st;
	if (lt.entries != 0 || lstat(dst.p, &st) == 0 || errno != ENOENT) {
		rc = 1;
		goto done;
	}
	/* TO's revision, FROM's root info for docdata; the table's blocks carry
	 * revisions up to FROM's, which a reader refuses above its own */
	buf_add(&out, vt.p, lt.rev_at);
	pack(&out, lt.rev > lf.rev ? lt.rev : lf.rev);
	buf_add(&out, vt.p + lt.rev_end, lt.root_at - lt.rev_end);
	buf_add(&out, vf.p + lf.root_at, lf.root_end - lf.root_at);
	buf_add(&out, vt.p + lt.root_end, vt.len - lt.root_end);
	if (out.oom) {
		errno = ENOMEM;
		rc = -1;
		goto done;
	}
	if (link(src.p, dst.p) != 0) {
		rc = -1;
		goto done;
	}
	rc = write_version(to, &out);
	if (rc != 0) {
		int e = errno;
		unlink(dst.p);
		errno = e;
	}
done:
	buf_free(&vf);
	buf_free(&vt);
	buf_free(&out);
	buf_free(&src);
	buf_free(&dst);
	return rc;
}
