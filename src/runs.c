/* runs.c - the runs of a bulk build in the index's stub; see runs.h. */
#include "runs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "segments.h"

#define STUB "XAPIANDB"

/* The lanes of one build publish their runs into the same stub. */
static pthread_mutex_t stub_mu = PTHREAD_MUTEX_INITIALIZER;

static int digits(const char *s, size_t len)
{
	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int runs_is_run(const char *name, size_t len)
{
	/* sK.rN */
	const char *dot = memchr(name, '.', len);
	if (!dot || len < 5 || name[0] != 's' || !digits(name + 1, (size_t)(dot - name - 1)))
		return 0;
	size_t rest = len - (size_t)(dot - name) - 1;
	return rest >= 2 && dot[1] == 'r' && digits(dot + 2, rest - 1);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* INDEX's stub, whole, into OUT. 0; 1 when there is none; -1 with errno. */
static int read_stub(const char *index, buf_t *out)
{
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/" STUB, index);
	FILE *f = p.p ? fopen(p.p, "r") : NULL;
	int e = errno;
	buf_free(&p);
	if (!f) {
		errno = e;
		return e == ENOENT ? 1 : -1;
	}
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(out, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (out->oom || bad) {
		errno = out->oom ? ENOMEM : EIO;
		return -1;
	}
	return 0;
}

/* Call FN for each line of STUB that lists a run: its name, its length,
 * the line (with its newline) and its length. */
static void each_line(const buf_t *stub, void (*fn)(void *ctx, const char *name, size_t nlen,
						   const char *line, size_t llen),
		      void *ctx)
{
	const char *p = stub->p, *end = stub->p + stub->len;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *sp = memchr(p, ' ', (size_t)(le - p));
		const char *name = sp ? sp + 1 : le;
		fn(ctx, name, (size_t)(le - name), p, (size_t)((nl ? nl + 1 : end) - p));
		p = nl ? nl + 1 : end;
	}
}

/* Does run NAME belong to the segment whose directory is called SEG? */
static int run_of(const char *name, size_t nlen, const char *seg)
{
	size_t sl = strlen(seg);
	return runs_is_run(name, nlen) && nlen > sl + 1 && !memcmp(name, seg, sl) &&
	       name[sl] == '.';
}

typedef struct {
	const char *index, *seg;
	runs_t *out;
	int oom;
} collect_t;

static void collect(void *ctx, const char *name, size_t nlen, const char *line, size_t llen)
{
	(void)line, (void)llen;
	collect_t *c = ctx;
	if (c->oom || !run_of(name, nlen, c->seg))
		return;
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/%.*s", c->index, (int)nlen, name);
	char **np = p.oom ? NULL : realloc(c->out->path, (c->out->n + 1) * sizeof *np);
	if (!np) {
		buf_free(&p);
		c->oom = 1;
		return;
	}
	c->out->path = np;
	np[c->out->n++] = buf_detach(&p, NULL);
}

int runs_read(const char *index, const char *seg, runs_t *out)
{
	out->n = 0;
	out->path = NULL;
	buf_t stub = BUF_INIT;
	int r = read_stub(index, &stub);
	if (r != 0) {
		buf_free(&stub);
		return r > 0 ? 0 : -1;
	}
	collect_t c = { index, base_name(seg), out, 0 };
	each_line(&stub, collect, &c);
	buf_free(&stub);
	if (c.oom) {
		runs_free(out);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

static void any_run(void *ctx, const char *name, size_t nlen, const char *line, size_t llen)
{
	(void)line, (void)llen;
	*(int *)ctx |= runs_is_run(name, nlen);
}

int runs_any(const char *index)
{
	buf_t stub = BUF_INIT;
	int r = read_stub(index, &stub), any = 0;
	if (r == 0)
		each_line(&stub, any_run, &any);
	buf_free(&stub);
	return r < 0 ? -1 : any;
}

void runs_free(runs_t *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->path[i]);
	free(r->path);
	r->path = NULL;
	r->n = 0;
}

char *runs_path(const char *seg, unsigned n)
{
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s.r%u", seg, n);
	return p.oom ? (buf_free(&p), NULL) : buf_detach(&p, NULL);
}

/* Replace INDEX's stub by BODY: a temporary file renamed over it. */
static int write_stub(const char *index, const buf_t *body, int sync)
{
	buf_t p = BUF_INIT, tmp = BUF_INIT;
	buf_printf(&p, "%s/" STUB, index);
	buf_printf(&tmp, "%s/." STUB ".%ld", index, (long)getpid());
	if (p.oom || tmp.oom) {
		buf_free(&p);
		buf_free(&tmp);
		errno = ENOMEM;
		return -1;
	}
	int rc = -1;
	int fd = open(tmp.p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd >= 0) {
		ssize_t w = body->len ? write(fd, body->p, body->len) : 0;
		rc = w == (ssize_t)body->len ? 0 : -1;
		if (rc == 0 && sync && fsync(fd) != 0)
			rc = -1;
		if (close(fd) != 0)
			rc = -1;
		if (rc == 0 && rename(tmp.p, p.p) != 0)
			rc = -1;
		if (rc != 0) {
			int e = errno;
			unlink(tmp.p);
			errno = e;
		}
	}
	if (rc == 0 && sync) {
		int dfd = open(index, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	buf_free(&p);
	buf_free(&tmp);
	return rc;
}

int runs_publish(const char *index, const char *run)
{
	pthread_mutex_lock(&stub_mu);
	buf_t stub = BUF_INIT;
	int rc = read_stub(index, &stub);
	if (rc == 0) {
		if (stub.len && stub.p[stub.len - 1] != '\n')
			buf_addc(&stub, '\n');
		buf_printf(&stub, "auto %s\n", base_name(run));
		rc = stub.oom ? (errno = ENOMEM, -1) : write_stub(index, &stub, 0);
	} else if (rc > 0) {
		errno = ENOENT; /* a plain database has no stub to list runs in */
		rc = -1;
	}
	buf_free(&stub);
	pthread_mutex_unlock(&stub_mu);
	return rc;
}

typedef struct {
	const char *seg;
	buf_t *out;
} keep_t;

static void keep_others(void *ctx, const char *name, size_t nlen, const char *line, size_t llen)
{
	keep_t *k = ctx;
	if (!run_of(name, nlen, k->seg))
		buf_add(k->out, line, llen);
}

int runs_unlist(const char *index, const char *seg)
{
	pthread_mutex_lock(&stub_mu);
	buf_t stub = BUF_INIT, body = BUF_INIT;
	int rc = read_stub(index, &stub);
	if (rc == 0) {
		keep_t k = { base_name(seg), &body };
		each_line(&stub, keep_others, &k);
		rc = body.oom ? (errno = ENOMEM, -1) : write_stub(index, &body, 1);
	}
	buf_free(&stub);
	buf_free(&body);
	pthread_mutex_unlock(&stub_mu);
	return rc < 0 ? -1 : 0;
}

typedef struct {
	const char *name;
	int found;
} find_t;

static void find_name(void *ctx, const char *name, size_t nlen, const char *line, size_t llen)
{
	(void)line, (void)llen;
	find_t *f = ctx;
	if (strlen(f->name) == nlen && !memcmp(f->name, name, nlen))
		f->found = 1;
}

void runs_clear_unlisted(const char *index)
{
	buf_t stub = BUF_INIT, p = BUF_INIT;
	if (read_stub(index, &stub) != 0) {
		buf_free(&stub);
		return;
	}
	DIR *d = opendir(index);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (!runs_is_run(e->d_name, strlen(e->d_name)))
			continue;
		find_t f = { e->d_name, 0 };
		each_line(&stub, find_name, &f);
		if (f.found)
			continue;
		buf_reset(&p);
		buf_printf(&p, "%s/%s", index, e->d_name);
		if (p.p)
			segments_rmtree(p.p);
	}
	if (d)
		closedir(d);
	buf_free(&stub);
	buf_free(&p);
}
