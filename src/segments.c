/* segments.c - an index directory's layout; see segments.h. */
#include "segments.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "runs.h"
#include "walk.h"

#define STUB "XAPIANDB"

static int exists_in(const char *dir, const char *name)
{
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/%s", dir, name);
	struct stat st;
	int r = p.p && stat(p.p, &st) == 0;
	buf_free(&p);
	return r;
}

int segments_exists(const char *index)
{
	return exists_in(index, "iamglass") || exists_in(index, STUB);
}

void segments_free(segments_t *s)
{
	for (unsigned i = 0; i < s->n; i++)
		free(s->path[i]);
	s->n = 0;
}

/* One stub line, "auto s0" or "glass s0": the segment's directory (or one
 * of its runs, which is not a segment: runs.h). Other
 * backends (remote, inmemory) are not segments lode writes. */
static int stub_line(const char *index, const char *line, size_t len, segments_t *out,
		     const char **why)
{
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (!len || line[0] == '#')
		return 0;
	const char *sp = memchr(line, ' ', len);
	size_t tl = sp ? (size_t)(sp - line) : 0;
	int local = (tl == 4 && !memcmp(line, "auto", 4)) || (tl == 5 && !memcmp(line, "glass", 5));
	if (!local) {
		*why = "the index's XAPIANDB lists something other than local databases";
		return -1;
	}
	const char *name = sp + 1;
	size_t nlen = len - (size_t)(name - line);
	if (runs_is_run(name, nlen))
		return 0; /* a batch of a build, merged into its segment later (runs.h) */
	if (!nlen || out->n == SEGMENTS_MAX) {
		*why = nlen ? "the index has too many segments" : "bad line in the index's XAPIANDB";
		return -1;
	}
	buf_t p = BUF_INIT;
	if (name[0] == '/')
		buf_add(&p, name, nlen);
	else
		buf_printf(&p, "%s/%.*s", index, (int)nlen, name);
	if (p.oom || !p.p) {
		buf_free(&p);
		*why = "out of memory";
		return -1;
	}
	out->path[out->n++] = buf_detach(&p, NULL);
	return 0;
}

int segments_read(const char *index, segments_t *out, const char **why)
{
	memset(out, 0, sizeof *out);
	*why = NULL;
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/" STUB, index);
	FILE *f = p.p ? fopen(p.p, "r") : NULL;
	buf_free(&p);
	if (!f) {
		if (!(out->path[0] = strdup(index))) {
			*why = "out of memory";
			return -1;
		}
		out->n = 1;
		return 0;
	}
	char line[4096];
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		size_t len = strcspn(line, "\n");
		rc = stub_line(index, line, len, out, why);
	}
	fclose(f);
	if (rc == 0 && out->n == 0) {
		*why = "the index's XAPIANDB lists no segment";
		rc = -1;
	}
	if (rc)
		segments_free(out);
	return rc;
}

unsigned segments_route(const segments_t *s, const char *path)
{
	return s->n > 1 ? walk_shard_of(path, strlen(path), s->n) : 0;
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	return remove(path);
}

static void rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The directory PATH is in, into OUT ("." when PATH has no slash). */
static void parent_dir(const char *path, buf_t *out)
{
	const char *slash = strrchr(path, '/');
	buf_reset(out);
	if (slash)
		buf_printf(out, "%.*s", slash > path ? (int)(slash - path) : 1, path);
	else
		buf_adds(out, ".");
}

void segments_clear_stale(const char *index)
{
	const char *slash = strrchr(index, '/');
	const char *name = slash ? slash + 1 : index;
	buf_t dir = BUF_INIT, pre = BUF_INIT, p = BUF_INIT;
	parent_dir(index, &dir);
	buf_printf(&pre, ".%s.new-", name);
	DIR *d = dir.p && pre.p ? opendir(dir.p) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, pre.p, pre.len) != 0)
			continue;
		char *end = NULL;
		long pid = strtol(e->d_name + pre.len, &end, 10);
		if (pid <= 0 || *end != '-')
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* its creator may still be at work */
		buf_reset(&p);
		buf_printf(&p, "%s/%s", dir.p, e->d_name);
		if (p.p)
			rm_tree(p.p);
	}
	if (d)
		closedir(d);
	buf_free(&dir);
	buf_free(&pre);
	buf_free(&p);
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

/* fsync the directory PATH is in: a rename there is then durable. */
static int sync_parent(const char *path)
{
	buf_t d = BUF_INIT;
	parent_dir(path, &d);
	int rc = 0;
	if (d.p && fsync_path(d.p, O_RDONLY | O_DIRECTORY) != 0 && errno != EINVAL)
		rc = -1;
	buf_free(&d);
	return rc;
}

/* fsync DIR's regular files, then DIR. */
static int sync_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int rc = 0;
	buf_t p = BUF_INIT;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		buf_reset(&p);
		buf_printf(&p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (!p.p || stat(p.p, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (fsync_path(p.p, O_RDONLY) != 0 && errno != EINVAL)
			rc = -1;
	}
	closedir(d);
	buf_free(&p);
	if (fsync_path(dir, O_RDONLY | O_DIRECTORY) != 0 && errno != EINVAL)
		rc = -1;
	return rc;
}

int segments_sync(const segments_t *s)
{
	int rc = 0;
	for (unsigned k = 0; k < s->n; k++)
		if (sync_dir(s->path[k]))
			rc = -1;
	/* the directory that lists s0: the index's, or the parent of a plain
	 * index (after a swap, its entry changed) */
	if (s->n && s->path[0] && sync_parent(s->path[0]))
		rc = -1;
	return rc;
}

static int write_stub(const char *dir, unsigned n)
{
	buf_t p = BUF_INIT, body = BUF_INIT;
	buf_printf(&p, "%s/" STUB, dir);
	for (unsigned k = 0; k < n; k++)
		buf_printf(&body, "auto s%u\n", k);
	int rc = -1;
	FILE *f = p.p && body.p ? fopen(p.p, "w") : NULL;
	if (f) {
		rc = fwrite(body.p, 1, body.len, f) == body.len ? 0 : -1;
		if (fflush(f) || fsync(fileno(f)))
			rc = -1;
		if (fclose(f))
			rc = -1;
	}
	buf_free(&p);
	buf_free(&body);
	return rc;
}

char *segments_mktemp(const char *target)
{
	/* Beside TARGET (same file system, so a rename is atomic) and hidden,
	 * named after its creator so that segments_clear_stale knows whose it
	 * is. */
	const char *slash = strrchr(target, '/');
	buf_t tmp = BUF_INIT;
	long pid = (long)getpid();
	if (slash)
		buf_printf(&tmp, "%.*s/.%s.new-%ld-XXXXXX", (int)(slash - target), target, slash + 1,
			   pid);
	else
		buf_printf(&tmp, ".%s.new-%ld-XXXXXX", target, pid);
	if (!tmp.p || !mkdtemp(tmp.p)) {
		buf_free(&tmp);
		return NULL;
	}
	/* mkdtemp makes it private; what takes TARGET's place gets the mode
	 * any new directory gets */
	mode_t mask = umask(022);
	umask(mask);
	chmod(tmp.p, 0777 & ~mask);
	return buf_detach(&tmp, NULL);
}

int segments_swap(const char *target, const char *other)
{
	/* one step where the kernel can: no moment without TARGET */
	if (renameat2(AT_FDCWD, other, AT_FDCWD, target, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a file system that cannot exchange: two renames, a short gap */
	buf_t old = BUF_INIT;
	buf_printf(&old, "%s.old", other);
	int rc = -1;
	if (old.p && rename(target, old.p) == 0) {
		if (rename(other, target) == 0) {
			rc = 0;
			if (rename(old.p, other) != 0) /* where the caller removes it */
				rm_tree(old.p);
		} else {
			rename(old.p, target);
		}
	}
	buf_free(&old);
	return rc;
}

void segments_rmtree(const char *path)
{
	rm_tree(path);
}

int segments_create(const char *index, unsigned n,
		    int (*init)(void *ctx, const char *segment, unsigned k), void *ctx)
{
	if (n < 1 || n > SEGMENTS_MAX) {
		errno = EINVAL;
		return -1;
	}
	char *tmp = segments_mktemp(index);
	if (!tmp)
		return -1;
	buf_t seg = BUF_INIT;
	int rc = 0;
	for (unsigned k = 0; k < n && rc == 0; k++) {
		buf_reset(&seg);
		buf_printf(&seg, "%s/s%u", tmp, k);
		if (!seg.p)
			rc = -1, errno = ENOMEM;
		else if (init)
			rc = init(ctx, seg.p, k);
	}
	buf_free(&seg);
	if (rc == 0 && write_stub(tmp, n))
		rc = -1;
	if (rc == 0 && rename(tmp, index) != 0) {
		if (errno == ENOTEMPTY || errno == EEXIST)
			errno = EEXIST; /* another writer was first, or leftovers */
		rc = -1;
	}
	if (rc == 0) {
		sync_parent(index); /* the rename itself is durable once it is synced */
	} else {
		int e = errno;
		rm_tree(tmp);
		errno = e;
	}
	free(tmp);
	return rc;
}
