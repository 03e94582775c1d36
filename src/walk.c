/* walk.c - recursive directory walk; see walk.h. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "strmap.h"

/* Directories deeper than this are reported, not walked. */
#define MAX_DEPTH 512

typedef struct {
	const walk_opts_t *o;
	walk_list_t *out;
	strmap_t seen;     /* "dev:ino" of the directories visited: each is walked once */
	size_t root_len;   /* of the root, without trailing slashes: shard paths are relative */
	int oom;
} walker_t;

static void problem(walker_t *w, const char *path, const char *reason, int skipped)
{
	if (w->o->on_problem)
		w->o->on_problem(w->o->ctx, path, reason, skipped);
}

static int excluded(const walk_opts_t *o, const char *name, const char *path)
{
	for (size_t i = 0; i < o->n_excludes; i++)
		if (fnmatch(o->excludes[i], name, 0) == 0 || fnmatch(o->excludes[i], path, 0) == 0)
			return 1;
	return 0;
}

unsigned walk_shard_of(const char *rel, size_t len, unsigned shards)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)rel[i];
		h *= 0x100000001b3ULL;
	}
	return shards > 1 ? (unsigned)(h % shards) : 0;
}

/* 1 when PATH is in the shard being walked (always, without shards). PATH
 * is the root itself or below it; a root is judged by its last component. */
static int in_shard(const walker_t *w, const char *path, int is_root)
{
	if (w->o->shards <= 1)
		return 1;
	const char *rel;
	if (is_root) {
		size_t n = w->root_len;
		while (n && path[n - 1] != '/')
			n--;
		rel = path + n;
		return walk_shard_of(rel, w->root_len - n, w->o->shards) == w->o->shard;
	}
	rel = path + w->root_len;
	while (*rel == '/')
		rel++;
	return walk_shard_of(rel, strlen(rel), w->o->shards) == w->o->shard;
}

static int add_file(walker_t *w, const char *path, const struct stat *st)
{
	walk_list_t *l = w->out;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		walk_file_t *f = realloc(l->files, cap * sizeof *f);
		if (!f)
			return -1;
		l->files = f;
		l->cap = cap;
	}
	char *p = strdup(path);
	if (!p)
		return -1;
	l->files[l->n].path = p;
	l->files[l->n].mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	l->files[l->n].size = (uint64_t)st->st_size;
	l->n++;
	return 0;
}

static int add_bad_dir(walker_t *w, const char *path)
{
	walk_list_t *l = w->out;
	if (l->n_bad == l->cap_bad) {
		size_t cap = l->cap_bad ? l->cap_bad * 2 : 8;
		char **d = realloc(l->bad_dirs, cap * sizeof *d);
		if (!d)
			return -1;
		l->bad_dirs = d;
		l->cap_bad = cap;
	}
	if (!(l->bad_dirs[l->n_bad] = strdup(path)))
		return -1;
	l->n_bad++;
	return 0;
}

/* 1 if the directory was visited already, else records it. */
static int visited(walker_t *w, const struct stat *st)
{
	char key[48];
	snprintf(key, sizeof key, "%llx:%llx", (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino);
	if (strmap_get(&w->seen, key))
		return 1;
	if (!strmap_put(&w->seen, key, NULL)) {
		w->oom = 1;
		return 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(walker_t *w, const char *dir, unsigned depth);

static void walk_entry(walker_t *w, const char *path, unsigned depth, int is_root)
{
	struct stat st, lst;
	if (stat(path, &st) != 0) {
		int e = errno;
		/* a missing root is the caller's mistake whatever the shard */
		if (!is_root && !in_shard(w, path, 0))
			return;
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			problem(w, path, e == ELOOP ? "symbolic link loop" : "broken symbolic link", 1);
		else if (is_root || e != ENOENT) /* a file that vanished mid-walk is no news */
			problem(w, path, strerror(e), 0);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (visited(w, &st)) {
			problem(w, path, "directory already walked (symbolic link loop?)", 1);
			return;
		}
		if (depth >= MAX_DEPTH) {
			problem(w, path, "directories nested too deeply", 1);
			return;
		}
		walk_dir(w, path, depth + 1);
	} else if (!in_shard(w, path, is_root)) {
		return; /* another shard's file (or problem) */
	} else if (S_ISREG(st.st_mode)) {
		if (add_file(w, path, &st))
			w->oom = 1;
	} else {
		problem(w, path, "not a regular file", 1);
	}
}

static void walk_dir(walker_t *w, const char *dir, unsigned depth)
{
	DIR *d = opendir(dir);
	if (!d) {
		problem(w, dir, strerror(errno), 0);
		if (add_bad_dir(w, dir))
			w->oom = 1;
		return;
	}
	/* Read the names first and close: deep trees must not hold one fd a level. */
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *nm = e->d_name;
		if (nm[0] == '.' && (nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0')))
			continue;
		if (nm[0] == '.' && !w->o->include_hidden)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				w->oom = 1;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(nm))) {
			w->oom = 1;
			break;
		}
		n++;
	}
	closedir(d);
	if (n) /* an empty directory: no names, and qsort must not be given NULL */
		qsort(names, n, sizeof *names, cmp_str);
	buf_t path = BUF_INIT;
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	int root_dir = dl == 1 && dir[0] == '/';
	for (size_t i = 0; i < n && !w->oom; i++) {
		buf_reset(&path);
		buf_add(&path, dir, dl);
		if (!root_dir)
			buf_addc(&path, '/');
		buf_adds(&path, names[i]);
		if (path.oom) {
			w->oom = 1;
			break;
		}
		if (!excluded(w->o, names[i], path.p))
			walk_entry(w, path.p, depth, 0);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_free(&path);
}

int walk_path(const char *path, const walk_opts_t *o, walk_list_t *out)
{
	walker_t w = { .o = o, .out = out, .root_len = strlen(path) };
	while (w.root_len > 1 && path[w.root_len - 1] == '/')
		w.root_len--;
	walk_entry(&w, path, 0, 1);
	strmap_free(&w.seen, NULL);
	return w.oom ? -1 : 0;
}

void walk_list_free(walk_list_t *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->files[i].path);
	free(l->files);
	for (size_t i = 0; i < l->n_bad; i++)
		free(l->bad_dirs[i]);
	free(l->bad_dirs);
	memset(l, 0, sizeof *l);
}

int walk_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (strncmp(path, dir, n) != 0)
		return 0;
	return path[n] == '\0' || path[n] == '/' || (n == 1 && dir[0] == '/');
}
