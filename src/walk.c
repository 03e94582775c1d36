/* walk.c - recursive directory walk; see walk.h.
 *
 * In two passes: the directories are read in walk order, their entries
 * noted as items (files, problems) without a stat of each file where the
 * directory says what it is (d_type); then the files are stat-ed, by as
 * many threads as asked for on a large tree (an unchanged tree's update is
 * mostly this: 16,900 stat calls on the dev corpus), and the items reported
 * and listed in walk order, as one pass would have. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "strmap.h"

/* Directories deeper than this are reported, not walked. */
#define MAX_DEPTH 512
/* Files stat-ed by more than one thread from this many on. */
#define PARALLEL_MIN 512
/* Files a thread takes at a time. */
#define STAT_CHUNK 64
/* Threads that stat files, at most. */
#define STAT_THREADS 4

/* An entry of the walk, in walk order: a file or a problem. */
typedef struct {
	char *path;
	const char *reason;  /* a problem: its reason (NULL: strerror(err)) */
	int err;             /* the stat's errno, 0 when it succeeded */
	int skipped;         /* a problem: a stated skip */
	int is_file;         /* a file (else a problem) */
	int stated;          /* the file's stat is done */
	mode_t mode;
	int64_t mtime;
	uint64_t size;
} item_t;

typedef struct {
	const walk_opts_t *o;
	walk_list_t *out;
	strmap_t seen;     /* "dev:ino" of the directories visited: each is walked once */
	size_t root_len;   /* of the root, without trailing slashes: shard paths are relative */
	int oom;
	item_t *items;
	size_t n, cap;
} walker_t;

static item_t *new_item(walker_t *w, const char *path)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		item_t *v = realloc(w->items, cap * sizeof *v);
		if (!v) {
			w->oom = 1;
			return NULL;
		}
		w->items = v;
		w->cap = cap;
	}
	item_t *it = &w->items[w->n];
	memset(it, 0, sizeof *it);
	if (!(it->path = strdup(path))) {
		w->oom = 1;
		return NULL;
	}
	w->n++;
	return it;
}

/* A problem with PATH, reported in walk order: REASON, or strerror(ERR). */
static void problem(walker_t *w, const char *path, const char *reason, int err, int skipped)
{
	item_t *it = new_item(w, path);
	if (it) {
		it->reason = reason;
		it->err = err;
		it->skipped = skipped;
	}
}

/* What IT keeps of its stat ST. */
static void item_stat(item_t *it, const struct stat *st)
{
	it->mode = st->st_mode;
	it->mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	it->size = (uint64_t)st->st_size;
}

/* A file to list once it is stat-ed; ST: stat-ed already. */
static void file_item(walker_t *w, const char *path, const struct stat *st)
{
	item_t *it = new_item(w, path);
	if (!it)
		return;
	it->is_file = 1;
	if (st) {
		it->stated = 1;
		item_stat(it, st);
	}
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

static int add_file(walker_t *w, item_t *it)
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
	l->files[l->n].path = it->path; /* handed over */
	it->path = NULL;
	l->files[l->n].mtime = it->mtime;
	l->files[l->n].size = it->size;
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

static void walk_dir(walker_t *w, const char *dir, unsigned depth, int checked);

/* 1, said as a problem, when directory PATH (its stat ST) was walked
 * already; else it is marked walked. */
static int walked_before(walker_t *w, const char *path, const struct stat *st)
{
	if (!visited(w, st))
		return 0;
	problem(w, path, "directory already walked (symbolic link loop?)", 0, 1);
	return 1;
}

/* 1, said as a problem, when directory PATH at DEPTH is too deep to walk. */
static int too_deep(walker_t *w, const char *path, unsigned depth)
{
	if (depth < MAX_DEPTH)
		return 0;
	problem(w, path, "directories nested too deeply", 0, 1);
	return 1;
}

/* PATH, which a stat ST names a directory, walked unless it was already or
 * is too deep. */
static void enter_dir(walker_t *w, const char *path, const struct stat *st, unsigned depth)
{
	if (!walked_before(w, path, st) && !too_deep(w, path, depth))
		walk_dir(w, path, depth + 1, 1);
}

/* PATH, whose type its directory did not tell (a symbolic link, a root, a
 * file system without d_type): stat-ed now, for a directory is walked in
 * its place. */
/* Why PATH, whose stat failed with ERR, is skipped when it is a symbolic
 * link (a broken one, or a loop); NULL when it is not one. */
static const char *link_problem(const char *path, int err)
{
	struct stat lst;
	if (lstat(path, &lst) != 0 || !S_ISLNK(lst.st_mode))
		return NULL;
	return err == ELOOP ? "symbolic link loop" : "broken symbolic link";
}

static void walk_entry(walker_t *w, const char *path, unsigned depth, int is_root)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		int e = errno;
		/* a missing root is the caller's mistake whatever the shard */
		if (!is_root && !in_shard(w, path, 0))
			return;
		const char *link = link_problem(path, e);
		if (link)
			problem(w, path, link, 0, 1);
		else if (is_root || e != ENOENT) /* a file that vanished mid-walk is no news */
			problem(w, path, NULL, e, 0);
		return;
	}
	if (S_ISDIR(st.st_mode))
		enter_dir(w, path, &st, depth);
	else if (in_shard(w, path, is_root))
		file_item(w, path, &st);
	/* else another shard's file (or problem) */
}

/* The entries of directory DIR, at DEPTH; CHECKED: DIR was stat-ed and
 * marked visited already (else it is here, from its open descriptor). */
static void walk_dir(walker_t *w, const char *dir, unsigned depth, int checked)
{
	DIR *d = opendir(dir);
	if (!d) {
		problem(w, dir, NULL, errno, 0);
		if (add_bad_dir(w, dir))
			w->oom = 1;
		return;
	}
	struct stat st;
	if (!checked && fstat(dirfd(d), &st) == 0 && walked_before(w, dir, &st)) {
		closedir(d);
		return;
	}
	/* Read the names first and close: deep trees must not hold one fd a
	 * level. Each name is kept with its type (d_type), one byte before it. */
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
		size_t len = strlen(nm);
		if (!(names[n] = malloc(len + 2))) {
			w->oom = 1;
			break;
		}
		names[n][0] = (char)e->d_type;
		memcpy(names[n] + 1, nm, len + 1);
		names[n]++;
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
		if (excluded(w->o, names[i], path.p))
			continue;
		unsigned char type = (unsigned char)names[i][-1];
		if (type == DT_REG) {
			/* stat-ed later, with the others */
			if (in_shard(w, path.p, 0))
				file_item(w, path.p, NULL);
		} else if (type == DT_DIR) {
			if (!too_deep(w, path.p, depth))
				walk_dir(w, path.p, depth + 1, 0);
		} else {
			walk_entry(w, path.p, depth, 0);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i] - 1);
	free(names);
	buf_free(&path);
}

/* The stat of the files of items [0, n): the threads share them out
 * STAT_CHUNK at a time. */
typedef struct {
	item_t *items;
	size_t n;
	atomic_size_t next;
} stat_job_t;

static void *stat_files(void *arg)
{
	stat_job_t *j = arg;
	for (;;) {
		size_t a = atomic_fetch_add(&j->next, STAT_CHUNK);
		if (a >= j->n)
			return NULL;
		size_t b = a + STAT_CHUNK < j->n ? a + STAT_CHUNK : j->n;
		for (size_t i = a; i < b; i++) {
			item_t *it = &j->items[i];
			struct stat st;
			if (!it->is_file || it->stated)
				continue;
			if (stat(it->path, &st) != 0)
				it->err = errno;
			else
				item_stat(it, &st);
		}
	}
}

/* Every file item stat-ed: by this thread and, for many files, helpers (as
 * many threads in all as asked for, at most the processors and
 * STAT_THREADS). */
static void stat_all(walker_t *w)
{
	stat_job_t j = { w->items, w->n, 0 };
	pthread_t th[STAT_THREADS - 1];
	size_t nth = 0;
	if (w->n >= PARALLEL_MIN && w->o->threads > 1) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		size_t want = cpus > STAT_THREADS ? STAT_THREADS : cpus > 1 ? (size_t)cpus : 1;
		if (want > w->o->threads)
			want = w->o->threads;
		while (nth + 1 < want && pthread_create(&th[nth], NULL, stat_files, &j) == 0)
			nth++;
	}
	stat_files(&j);
	for (size_t i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
}

/* Item IT reported (a problem) or listed (a file), as a walk in one pass
 * would have when it came to it. */
static void settle(walker_t *w, item_t *it)
{
	if (!it->is_file) {
		if (w->o->on_problem)
			w->o->on_problem(w->o->ctx, it->path,
					 it->reason ? it->reason : strerror(it->err), it->skipped);
		return;
	}
	if (it->err) {
		/* a type that changed since its directory was read */
		it->reason = link_problem(it->path, it->err);
		if (!it->reason && it->err == ENOENT)
			return; /* a file that vanished mid-walk is no news */
		it->is_file = 0;
		it->skipped = it->reason != NULL;
		settle(w, it);
	} else if (S_ISREG(it->mode)) {
		if (add_file(w, it))
			w->oom = 1;
	} else {
		it->is_file = 0;
		it->reason = "not a regular file";
		it->skipped = 1;
		settle(w, it);
	}
}

int walk_path(const char *path, const walk_opts_t *o, walk_list_t *out)
{
	walker_t w = { .o = o, .out = out, .root_len = strlen(path) };
	while (w.root_len > 1 && path[w.root_len - 1] == '/')
		w.root_len--;
	walk_entry(&w, path, 0, 1);
	if (!w.oom)
		stat_all(&w);
	for (size_t i = 0; i < w.n; i++) {
		if (!w.oom)
			settle(&w, &w.items[i]);
		free(w.items[i].path);
	}
	free(w.items);
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
