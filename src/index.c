/* index.c - lode_index_*: bring an index up to date with directories of files.
 *
 * One update: walk the paths; compare each file's mtime and size with what
 * the index remembers ("f:" metadata, schema.h); read, parse and turn new or
 * changed files into Xapian documents (pipeline.c, in worker threads); write
 * them in file order from this thread, one transaction per batch, so every
 * committed batch is searchable and a crash leaves the last commit intact;
 * remove the documents of files that are gone. */
#include "lode.h"

#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "glass_docdata.h"
#include "index_impl.h"
#include "index_space.h"
#include "runs.h"
#include "schema.h"
#include "stem.h"
#include "strmap.h"
#include "walk.h"
#include "xapian_c.h"

#define DEFAULT_MAX_SIZE (64ull << 20)
#define DEFAULT_BATCH_DOCS 1000
#define DEFAULT_MAX_MEMORY (128ull << 20)

void lode_index_opts_init(lode_index_opts_t *o)
{
	memset(o, 0, sizeof *o);
	o->wait_seconds = 0;
	o->max_size = DEFAULT_MAX_SIZE;
	o->batch_docs = DEFAULT_BATCH_DOCS;
	o->max_memory = DEFAULT_MAX_MEMORY;
}

const char *lode_index_errmsg(const lode_index_t *idx)
{
	return idx && idx->err.p ? idx->err.p : "";
}

void index_set_err(lode_index_t *idx, const char *fmt, const char *arg)
{
	buf_reset(&idx->err);
	buf_printf(&idx->err, fmt, arg ? arg : "");
}

lode_status_t index_status_of(xap_status_t st)
{
	/* The binding's enum mirrors lode_status_t value for value. */
	return (lode_status_t)st;
}

char *lode_default_index_path(void)
{
	const char *env = getenv("LODE_INDEX");
	if (env && *env)
		return strdup(env);
	buf_t b = BUF_INIT;
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg) {
		buf_printf(&b, "%s/lode/index", xdg);
	} else {
		const char *home = getenv("HOME");
		buf_printf(&b, "%s/.local/share/lode/index", home && *home ? home : ".");
	}
	return buf_detach(&b, NULL);
}

/* mkdir -p of PATH's parent directories (the index directory itself is
 * created by Xapian). */
static int make_parents(const char *path)
{
	char *p = strdup(path);
	if (!p)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

/* A run killed while Xapian was creating PATH leaves table files but no
 * "iamglass" (nothing was ever committed there), and Xapian then refuses to
 * open or create it. Remove such leftovers, and only those. */
static void clear_uncommitted(const char *path)
{
	buf_t p = BUF_INIT;
	buf_printf(&p, "%s/iamglass", path);
	struct stat st;
	int committed = stat(p.p, &st) == 0;
	buf_reset(&p);
	buf_printf(&p, "%s/XAPIANDB", path);
	committed |= stat(p.p, &st) == 0;
	DIR *d = committed ? NULL : opendir(path);
	if (!d) {
		buf_free(&p);
		return;
	}
	static const char *const suffixes[] = { ".glass", ".tmp", ".baseA", ".baseB" };
	char names[64][64];
	size_t n = 0;
	int foreign = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && !foreign) {
		const char *nm = e->d_name;
		if (!strcmp(nm, ".") || !strcmp(nm, ".."))
			continue;
		int ours = !strcmp(nm, "flintlock");
		for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes && !ours; i++) {
			size_t a = strlen(nm), b = strlen(suffixes[i]);
			ours = a > b && !strcmp(nm + a - b, suffixes[i]);
		}
		if (!ours || n == 64 || strlen(nm) >= 64)
			foreign = 1; /* something else lives here: leave it all alone */
		else
			snprintf(names[n++], 64, "%s", nm);
	}
	closedir(d);
	for (size_t i = 0; i < n && !foreign; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", path, names[i]);
		unlink(p.p);
	}
	buf_free(&p);
}

static char *meta_get(xap_db_t *db, const char *key)
{
	char *v = NULL;
	size_t n;
	if (xap_db_get_metadata(db, key, &v, &n) != XAP_OK)
		return NULL;
	return v;
}

static xap_status_t meta_set(xap_db_t *db, const char *key, const char *val)
{
	return xap_db_set_metadata(db, key, val, strlen(val));
}

/* Compacting copies every segment before the old one goes: without room
 * for the copies the index stays as it is, still marked as a first build,
 * and a later run compacts it. */
static int room_to_compact(lode_index_t *idx, const lode_index_callbacks_t *cb,
			   lode_index_summary_t *sum)
{
	uint64_t need = space_commit_need(0, 0), avail;
	for (unsigned k = 0; k < idx->layout.n; k++) {
		need += space_dir_bytes(idx->layout.path[k]);
		runs_t r = RUNS_INIT; /* a bulk build's runs, merged into it */
		if (runs_read(idx->path, idx->layout.path[k], &r) == 0)
			for (size_t i = 0; i < r.n; i++)
				need += space_dir_bytes(r.path[i]);
		runs_free(&r);
	}
	if (space_avail(idx->layout.path[0], &avail) != 0 || avail >= need)
		return 1;
	sum->warnings++;
	if (cb && cb->on_warning) {
		char why[160];
		snprintf(why, sizeof why,
			 "not compacted: %s (%.1f MB free, compacting may take %.1f MB);"
			 " a later run compacts it",
			 strerror(ENOSPC), avail / 1e6, need / 1e6);
		cb->on_warning(cb->ctx, idx->path, 0, why);
	}
	return 0;
}

/* 1 while the first build of the index has not completed (META_FIRST_BUILD
 * in segment 0; indexes made before the mark count as complete). */
static int first_build_pending(lode_index_t *idx)
{
	char *v = meta_get(idx->db, META_FIRST_BUILD);
	int pending = v && *v;
	free(v);
	return pending;
}

static lode_status_t end_first_build(lode_index_t *idx)
{
	return index_status_of(meta_set(idx->db, META_FIRST_BUILD, ""));
}

unsigned index_doc_count(lode_index_t *idx)
{
	unsigned total = 0;
	for (unsigned k = 0; k < idx->layout.n; k++) {
		unsigned n = 0;
		xap_db_doc_count(idx->seg[k], &n); /* 0 on failure */
		total += n;
	}
	return total;
}

static void iso_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Write the settings of a new index into DB and commit. LANG is canonical.
 * FIRST: DB is the index's segment 0, which marks the first build pending. */
static xap_status_t write_settings(xap_db_t *db, const char *lang, int first)
{
	char num[32];
	xap_status_t xs = meta_set(db, META_LANG, lang);
	if (xs == XAP_OK && first)
		xs = meta_set(db, META_FIRST_BUILD, "incomplete");
	snprintf(num, sizeof num, "%d", SCHEMA_VERSION);
	if (xs == XAP_OK) xs = meta_set(db, META_SCHEMA, num);
	snprintf(num, sizeof num, "%g", DEFAULT_K1);
	if (xs == XAP_OK) xs = meta_set(db, META_K1, num);
	snprintf(num, sizeof num, "%g", DEFAULT_B);
	if (xs == XAP_OK) xs = meta_set(db, META_B, num);
	snprintf(num, sizeof num, "%g", DEFAULT_TITLE_WEIGHT);
	if (xs == XAP_OK) xs = meta_set(db, META_TITLE_WEIGHT, num);
	if (xs == XAP_OK) xs = xap_db_commit(db);
	return xs;
}

/* The canonical name of WANT (NULL or "": english), or NULL with *errmsg. */
static char *canonical_lang(const char *want, char **errmsg)
{
	stemmer_t *st = stemmer_new(want && *want ? want : "english", errmsg);
	if (!st)
		return NULL;
	char *r = strdup(stemmer_lang(st));
	stemmer_destroy(st);
	return r;
}

/* Settings of a new index, or checks against an existing one's. */
static lode_status_t init_settings(lode_index_t *idx, const char *want_lang)
{
	char *schema = meta_get(idx->db, META_SCHEMA);
	char *lang = meta_get(idx->db, META_LANG);
	lode_status_t rc = LODE_OK;
	if (!schema || !lang) {
		index_set_err(idx, "cannot read the index settings: %s", xap_db_errmsg(idx->db));
		rc = LODE_ENGINE;
		goto out;
	}
	if (*schema && atoi(schema) > SCHEMA_VERSION) {
		index_set_err(idx, "index was made by a newer lode (schema %s)", schema);
		rc = LODE_INVALID;
		goto out;
	}
	if (*lang && want_lang && *want_lang) {
		stemmer_t *a = stemmer_new(want_lang, NULL);
		int same = a && strcmp(stemmer_lang(a), lang) == 0;
		stemmer_destroy(a);
		if (!same) {
			buf_reset(&idx->err);
			buf_printf(&idx->err, "index was built for language '%s', not '%s': "
				   "use a new index to change it", lang, want_lang);
			rc = LODE_INVALID;
			goto out;
		}
	}
	if (*lang) {
		idx->lang = lang;
		lang = NULL;
	} else {
		char *em = NULL;
		idx->lang = canonical_lang(want_lang, &em);
		if (!idx->lang) {
			index_set_err(idx, "%s", em ? em : "unknown language");
			free(em);
			rc = LODE_INVALID;
			goto out;
		}
		xap_status_t xs = write_settings(idx->db, idx->lang, 1);
		if (xs != XAP_OK) {
			index_set_err(idx, "cannot initialise the index: %s", xap_db_errmsg(idx->db));
			rc = index_status_of(xs);
		}
	}
out:
	free(schema);
	free(lang);
	return rc;
}

/* A new database at DIR, set to store records as lode deflated them
 * (glass_docdata.c), with LANG's settings in it when LANG is given (FIRST:
 * DIR is the index's segment 0). Returns 0 or a status. */
static int new_database(const char *dir, const char *lang, int first)
{
	xap_db_t *db = NULL;
	char *em = NULL;
	xap_status_t xs = xap_db_open_write(dir, XAP_DB_CREATE, 0, &db, &em);
	free(em);
	if (xs == XAP_OK && lang)
		xs = write_settings(db, lang, first);
	xap_db_destroy(db);
	if (xs != XAP_OK)
		return (int)index_status_of(xs);
	/* a version file of another layout (1) is left as it is; one that
	 * cannot be read or replaced (-1) fails the creation */
	return glass_docdata_raw(dir) < 0 ? LODE_IO : 0;
}

/* segments_create's callback: one new segment with the settings in it. */
static int init_segment(void *ctx, const char *segment, unsigned k)
{
	return new_database(segment, ctx, k == 0);
}

/* How many segments a new index gets. */
static unsigned new_segments(const lode_index_opts_t *o)
{
	unsigned n = o->segments ? o->segments : index_jobs(o);
	if (!o->segments && n > 8)
		n = 8;
	return n > 16 ? 16 : n ? n : 1;
}

/* A new index at PATH is segmented, one segment for -j1 too: its segments
 * are listed in a stub, where a bulk build lists its runs (index_runs.c).
 * Unless PATH holds an index already or is taken (then it is opened or
 * created as a plain database, as before). */
static lode_status_t create_segmented(const char *path, const lode_index_opts_t *o,
				      char **errmsg)
{
	if (segments_exists(path))
		return LODE_OK;
	unsigned n = new_segments(o);
	char *em = NULL;
	char *lang = canonical_lang(o->lang, &em);
	if (!lang) {
		if (errmsg)
			*errmsg = em;
		else
			free(em);
		return LODE_INVALID;
	}
	int r = segments_create(path, n, init_segment, lang);
	int e = errno;
	free(lang);
	if (r == 0 || (r == -1 && e == EEXIST))
		return LODE_OK;
	if (errmsg) {
		buf_t b = BUF_INIT;
		if (r == -1)
			buf_printf(&b, "%s: cannot create the index: %s", path, strerror(e));
		else
			buf_printf(&b, "%s: cannot create the index: %s", path,
				   lode_status_str((lode_status_t)r));
		*errmsg = buf_detach(&b, NULL);
	}
	return r == -1 ? LODE_IO : (lode_status_t)r;
}

/* A new plain database at PATH, made as a new segment is: beside it, then
 * renamed into place (its settings are written once it is open). When PATH
 * appeared meanwhile or holds other files, it is left to Xapian to open or
 * create as before. */
static void create_plain(const char *path)
{
	char *tmp = segments_mktemp(path);
	if (!tmp)
		return;
	if (new_database(tmp, NULL, 0) != 0 || rename(tmp, path) != 0)
		segments_rmtree(tmp);
	free(tmp);
}

lode_status_t index_open_segment(lode_index_t *idx, unsigned k, unsigned wait_seconds,
				 char **errmsg)
{
	const char *path = idx->layout.path[k];
	char *em = NULL;
	if (idx->layout.n == 1) {
		clear_uncommitted(path);
		if (!segments_exists(path))
			create_plain(path);
	}
	int mode = idx->layout.n == 1 ? XAP_DB_CREATE_OR_OPEN : XAP_DB_OPEN;
	if (idx->no_sync)
		mode |= XAP_DB_NO_SYNC;
	xap_status_t xs = xap_db_open_write(path, mode, wait_seconds * 1000u, &idx->seg[k], &em);
	/* Xapian reports any failure to take its lock as a lock error: a
	 * read-only or forbidden directory is not "busy". */
	if (xs == XAP_BUSY && access(path, W_OK) != 0 && errno != ENOENT) {
		free(em);
		em = strdup(strerror(errno));
		xs = XAP_ENGINE;
	}
	if (xs == XAP_OK)
		return LODE_OK;
	lode_status_t rc = xs == XAP_ENGINE ? LODE_IO : index_status_of(xs);
	if (errmsg) {
		buf_t b = BUF_INIT;
		if (xs == XAP_BUSY)
			buf_printf(&b, "%s: index is busy: another 'lode index' is writing it",
				   idx->path);
		else
			buf_printf(&b, "%s: %s", path, em ? em : xap_status_str(xs));
		*errmsg = buf_detach(&b, NULL);
	}
	free(em);
	return rc;
}

static void close_segments(lode_index_t *idx)
{
	for (unsigned k = 0; k < idx->layout.n; k++) {
		xap_db_destroy(idx->seg[k]);
		idx->seg[k] = NULL;
		rdd_free(idx->rdd[k]); /* runs not merged: the next run merges them */
		idx->rdd[k] = NULL;
	}
	idx->db = NULL;
	segments_free(&idx->layout);
}

lode_status_t lode_index_open(const char *path, const lode_index_opts_t *opts,
			      lode_index_t **out, char **errmsg)
{
	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	lode_index_opts_t defaults;
	if (!opts) {
		lode_index_opts_init(&defaults);
		opts = &defaults;
	}
	lode_index_t *idx = calloc(1, sizeof *idx);
	if (!idx)
		return LODE_NOMEM;
	idx->opts = *opts;
	if (!idx->opts.max_size)
		idx->opts.max_size = DEFAULT_MAX_SIZE;
	if (!idx->opts.batch_docs)
		idx->opts.batch_docs = DEFAULT_BATCH_DOCS;
	if (!idx->opts.max_memory)
		idx->opts.max_memory = DEFAULT_MAX_MEMORY;
	else if (idx->opts.max_memory == UINT64_MAX)
		idx->opts.max_memory = 0;
	idx->path = strdup(path);
	lode_status_t rc = LODE_NOMEM;
	if (!idx->path)
		goto fail;
	if (make_parents(path)) {
		rc = LODE_IO;
		if (errmsg) {
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s: cannot create its directory: %s", path, strerror(errno));
			*errmsg = buf_detach(&b, NULL);
		}
		goto fail;
	}
	/* A new index is built without waiting for the disk at each batch and
	 * synced once at the end of each update (segments_sync): a killed process
	 * loses nothing Xapian committed (the page cache keeps it); a power cut
	 * during the first build can only cost that build. An existing index
	 * is synced at every commit: what it holds is never put at risk. */
	idx->no_sync = !segments_exists(path);
	rc = create_segmented(path, &idx->opts, errmsg);
	if (rc != LODE_OK)
		goto fail;
	const char *why = NULL;
	if (segments_read(path, &idx->layout, &why)) {
		rc = LODE_CORRUPT;
		if (errmsg) {
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s: %s", path, why ? why : "cannot read");
			*errmsg = buf_detach(&b, NULL);
		}
		goto fail;
	}
	/* what killed creations or compactions left beside the index or its
	 * segments (hidden directories of processes that are gone) */
	segments_clear_stale(path);
	for (unsigned k = 0; k < idx->layout.n; k++)
		if (strcmp(idx->layout.path[k], path) != 0)
			segments_clear_stale(idx->layout.path[k]);
	/* Segment 0 first: its lock is the index's lock. */
	for (unsigned k = 0; k < idx->layout.n; k++) {
		rc = index_open_segment(idx, k, k ? 0 : opts->wait_seconds, errmsg);
		if (rc != LODE_OK)
			goto fail;
	}
	idx->db = idx->seg[0];
	rc = init_settings(idx, opts->lang);
	if (rc != LODE_OK) {
		if (errmsg)
			*errmsg = strdup(lode_index_errmsg(idx));
		goto fail;
	}
	*out = idx;
	return LODE_OK;
fail:
	close_segments(idx);
	free(idx->path);
	free(idx->lang);
	buf_free(&idx->err);
	free(idx);
	return rc;
}

lode_status_t lode_index_close(lode_index_t *idx)
{
	if (!idx)
		return LODE_OK;
	lode_status_t rc = LODE_OK;
	for (unsigned k = 0; k < idx->layout.n; k++) {
		xap_status_t xs = idx->seg[k] ? xap_db_commit(idx->seg[k]) : XAP_OK;
		if (xs != XAP_OK && rc == LODE_OK)
			rc = index_status_of(xs);
	}
	if (rc == LODE_OK && idx->no_sync && segments_sync(&idx->layout))
		rc = LODE_IO;
	close_segments(idx);
	free(idx->path);
	free(idx->lang);
	buf_free(&idx->err);
	free(idx);
	return rc;
}

/* ------------------------------------------------------------- update */

/* One number at *P in BASE (10 or 16; a '-' allowed before a decimal one),
 * after white space, into *OUT; *P moves past it. 0, or -1 when there is
 * none (*P and *OUT untouched). */
static int number_at(const char **p, unsigned base, unsigned long long *out, int *neg)
{
	const char *s = *p;
	while (isspace((unsigned char)*s))
		s++;
	*neg = base == 10 && *s == '-';
	s += *neg;
	unsigned long long v = 0;
	const char *d = s;
	for (;; s++) {
		unsigned c = (unsigned char)*s, x;
		if (c - '0' < 10)
			x = c - '0';
		else if (base == 16 && (c | 0x20) - 'a' < 6)
			x = (c | 0x20) - 'a' + 10;
		else
			break;
		v = v * base + x;
	}
	if (s == d)
		return -1;
	*out = v;
	*p = s;
	return 0;
}

/* A file record's value, "MTIME SIZE HASH NDOCS " (decimal, decimal, hex,
 * decimal), read as sscanf's "%lld %llu %llx %zu %n" would (which was a
 * third of an unchanged tree's update): each number is set as far as the
 * value holds them. Returns where what follows the numbers and their white
 * space starts (a shortened key's path), 0 when not all four are there. */
static int file_record_parse(const char *v, long long *mt, unsigned long long *sz,
			     unsigned long long *h, size_t *nd)
{
	const char *p = v;
	unsigned long long x;
	int neg;
	if (number_at(&p, 10, &x, &neg))
		return 0;
	*mt = neg ? (long long)(0 - x) : (long long)x;
	if (number_at(&p, 10, sz, &neg) || neg)
		return 0;
	if (number_at(&p, 16, h, &neg))
		return 0;
	if (number_at(&p, 10, &x, &neg) || neg)
		return 0;
	*nd = (size_t)x;
	while (isspace((unsigned char)*p))
		p++;
	return (int)(p - v);
}

/* What segment K remembers of its files ("f:" metadata) into KNOWN. */
static int load_known_segment(xap_db_t *db, unsigned k, strmap_t *known)
{
	xap_termlist_t *tl = NULL;
	if (xap_db_metadata_keys(db, META_FILE, &tl) != XAP_OK)
		return -1;
	const char *key;
	size_t kl;
	size_t pl = strlen(META_FILE);
	int rc = 0;
	buf_t kb = BUF_INIT;
	while (rc == 0 && xap_termlist_next(tl, &key, &kl)) {
		buf_reset(&kb);
		buf_add(&kb, key, kl);
		char *v = NULL;
		size_t vl;
		known_t *kn = calloc(1, sizeof *kn);
		if (kb.oom || !kn || xap_db_get_metadata(db, kb.p, &v, &vl) != XAP_OK) {
			free(kn), free(v);
			rc = -1;
			break;
		}
		long long mt = 0;
		unsigned long long sz = 0, h = 0;
		size_t nd = 0;
		int end = file_record_parse(v, &mt, &sz, &h, &nd);
		kn->mtime = mt;
		kn->size = sz;
		kn->hash = h;
		kn->seg = k;
		/* the path: in the key, or after the numbers when the key had to
		 * be shortened (schema_file_key) */
		const char *path = kb.p + pl;
		if (end > 0 && (size_t)end < vl) {
			buf_reset(&kb);
			buf_add(&kb, v + end, vl - (size_t)end);
			path = kb.p;
		}
		free(v);
		/* one segment per path; should a copy sit in two, the first wins */
		if (kb.oom || strmap_get(known, path)) {
			free(kn);
			rc = kb.oom ? -1 : rc;
			continue;
		}
		if (!strmap_put(known, path, kn)) {
			free(kn);
			rc = -1;
		}
	}
	buf_free(&kb);
	if (rc == 0 && xap_termlist_status(tl) != XAP_OK)
		rc = -1;
	xap_termlist_destroy(tl);
	return rc;
}

static int load_known(lode_index_t *idx, strmap_t *known)
{
	for (unsigned k = 0; k < idx->layout.n; k++)
		if (load_known_segment(idx->seg[k], k, known))
			return -1;
	return 0;
}

/* load_known in a thread of its own, while the tree is walked (unless -j1):
 * on an unchanged tree the two are the whole of the work (the walk's stat
 * calls, and reading the file records), and neither touches what the other
 * does. */
typedef struct {
	lode_index_t *idx;
	strmap_t *known;
	int rc;
} known_job_t;

static void *load_known_job(void *arg)
{
	known_job_t *j = arg;
	j->rc = load_known(j->idx, j->known);
	return NULL;
}

/* Roots: each path given, absolute and with its symbolic links resolved, so
 * that a tree reached by two names is indexed once and under one name (the
 * paths shown in results are under it). A path that does not exist is only
 * made absolute. */
static char *absolute(const char *p)
{
	char *r = realpath(p, NULL);
	if (r)
		return r;
	/* missing: keep it lexically absolute so that its documents can go */
	if (p[0] == '/')
		return strdup(p);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return strdup(p);
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s/%s", cwd, p);
	return buf_detach(&b, NULL);
}

typedef struct {
	lode_index_t *idx;
	const lode_index_callbacks_t *cb;
	lode_index_summary_t *sum;
} walk_ctx_t;

static void on_walk_problem(void *ctx, const char *path, const char *reason, int skipped)
{
	walk_ctx_t *w = ctx;
	if (skipped)
		w->sum->skipped++;
	else
		w->sum->failed++;
	if (w->cb && w->cb->on_file)
		w->cb->on_file(w->cb->ctx, path, skipped ? LODE_FILE_SKIPPED : LODE_FILE_FAILED,
			       reason, 0);
}

static lode_status_t remember_roots(lode_index_t *idx, char **roots, size_t n)
{
	char *old = meta_get(idx->db, META_ROOTS);
	buf_t b = BUF_INIT;
	if (old && *old) {
		buf_adds(&b, old);
		if (b.p[b.len - 1] != '\n')
			buf_addc(&b, '\n');
	}
	for (size_t i = 0; i < n; i++) {
		if (!roots[i])
			continue;
		/* skip roots already listed */
		int dup = 0;
		for (const char *l = old ? old : ""; *l;) {
			const char *e = strchr(l, '\n');
			size_t len = e ? (size_t)(e - l) : strlen(l);
			if (len == strlen(roots[i]) && strncmp(l, roots[i], len) == 0)
				dup = 1;
			l += len + (e ? 1 : 0);
		}
		if (!dup) {
			buf_adds(&b, roots[i]);
			buf_addc(&b, '\n');
		}
	}
	free(old);
	xap_status_t xs = xap_db_set_metadata(idx->db, META_ROOTS, b.p ? b.p : "", b.len);
	buf_free(&b);
	return index_status_of(xs);
}

/* Split the remembered roots into a malloc'd array. */
static char **roots_from_index(lode_index_t *idx, size_t *n)
{
	*n = 0;
	char *v = meta_get(idx->db, META_ROOTS);
	if (!v)
		return NULL;
	size_t cap = 1;
	for (char *s = v; *s; s++)
		cap += *s == '\n';
	char **r = calloc(cap, sizeof *r);
	if (!r) {
		free(v);
		return NULL;
	}
	for (char *s = v, *e; *s; s = e + 1) {
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		if (e > s)
			r[(*n)++] = strndup(s, (size_t)(e - s));
		if (!*e)
			break;
	}
	free(v);
	return r;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

lode_status_t lode_index_update(lode_index_t *idx, const char *const *paths, size_t n,
				const lode_index_callbacks_t *cb, lode_index_summary_t *summary)
{
	lode_index_summary_t sum_local;
	lode_index_summary_t *sum = summary ? summary : &sum_local;
	memset(sum, 0, sizeof *sum);
	if (!idx)
		return LODE_INVALID;
	buf_reset(&idx->err);
	double t0 = index_now();

	char **roots = NULL;
	size_t nroots = 0;
	int have_stdin = 0;
	if (n == 0) {
		roots = roots_from_index(idx, &nroots);
		if (!nroots) {
			free_strv(roots, nroots);
			index_set_err(idx, "%sno paths given, and the index knows no roots yet", NULL);
			return LODE_INVALID;
		}
	} else {
		roots = calloc(n, sizeof *roots);
		if (!roots)
			return LODE_NOMEM;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(paths[i], "-") == 0) {
				have_stdin = 1;
				continue;
			}
			if (!(roots[nroots++] = absolute(paths[i]))) {
				free_strv(roots, nroots);
				return LODE_NOMEM;
			}
		}
	}

	lode_status_t rc = LODE_OK;
	walk_list_t files = { 0 };
	strmap_t known = STRMAP_INIT;
	walk_ctx_t wctx = { idx, cb, sum };
	walk_opts_t wo = {
		.excludes = idx->opts.excludes, .n_excludes = idx->opts.n_excludes,
		.include_hidden = idx->opts.include_hidden, .on_problem = on_walk_problem,
		.shard = idx->opts.shard, .shards = idx->opts.shards,
		.threads = index_jobs(&idx->opts), .ctx = &wctx,
	};
	/* Roots given on the command line that do not exist are errors, not
	 * deletions; remembered roots that vanished lose their documents. */
	char **keep_roots = calloc(nroots ? nroots : 1, sizeof *keep_roots);
	if (!keep_roots) {
		rc = LODE_NOMEM;
		goto out;
	}
	/* A bulk build stopped before its end (by a signal, a stop asked for,
	 * a crash) left runs (runs.h): they go into their segments before
	 * anything else is read or written. */
	runs_clear_unlisted(idx->path);
	if (index_has_runs(idx) && (rc = index_compact(idx, cb, sum)) != LODE_OK)
		goto out;
	known_job_t kj = { idx, &known, 0 };
	pthread_t kt;
	/* -j1 keeps to one thread: the benchmark's baseline for -j2 */
	int kthread = index_jobs(&idx->opts) > 1 &&
		      pthread_create(&kt, NULL, load_known_job, &kj) == 0;
	if (!kthread)
		load_known_job(&kj);
	for (size_t i = 0; i < nroots && rc == LODE_OK; i++) {
		struct stat st;
		if (stat(roots[i], &st) != 0) {
			if (n > 0 || errno != ENOENT) {
				on_walk_problem(&wctx, roots[i], strerror(errno), 0);
				continue;
			}
			keep_roots[i] = roots[i]; /* a remembered root is gone: remove its files */
			continue;
		}
		keep_roots[i] = roots[i];
		if (walk_path(roots[i], &wo, &files))
			rc = LODE_NOMEM;
	}
	if (kthread)
		pthread_join(kt, NULL);
	if (rc != LODE_OK)
		goto out;
	if (kj.rc) {
		index_set_err(idx, "cannot read the index: %s", xap_db_errmsg(idx->db));
		rc = LODE_ENGINE;
		goto out;
	}

	/* The roots go in with the first batch: after a crash, a plain
	 * `lode index` knows what to finish. */
	rc = remember_roots(idx, keep_roots, nroots);
	/* A new index's batches may be runs (index_runs.c), which segment 0's
	 * own writer does not commit: the roots are committed now. */
	if (rc == LODE_OK && known.n == 0 && index_doc_count(idx) == 0)
		rc = index_status_of(xap_db_commit(idx->db));
	if (rc != LODE_OK) {
		index_set_err(idx, "cannot record the roots: %s", xap_db_errmsg(idx->db));
		goto out;
	}
	rc = pipeline_run(idx, &files, &known, keep_roots, nroots, have_stdin, cb, sum);
	if (rc == LODE_OK || rc == LODE_INTERRUPTED) {
		/* The first run over a new index that completes compacts it, be
		 * it the run that made the index or one that finished it after an
		 * interruption; asked to stop once every file was in, the
		 * compaction is left for the next run. */
		/* a bulk build's runs (index_runs.c) are merged into their
		 * segments by the compaction; with --no-compact they stay as
		 * they are, searchable, until the next run merges them */
		int compact = rc == LODE_OK && !idx->opts.no_compact &&
			      (index_has_runs(idx) ||
			       (first_build_pending(idx) && !idx->compacted &&
				index_doc_count(idx) > 0));
		if (compact && cb && cb->stop && *cb->stop) {
			compact = 0;
			rc = LODE_INTERRUPTED;
			sum->interrupted = 1;
		}
		int put_off = compact && !room_to_compact(idx, cb, sum);
		if (put_off)
			compact = 0;
		lode_status_t r2 = LODE_OK;
		char now[32];
		iso_now(now);
		r2 = index_status_of(meta_set(idx->db, META_UPDATED, now));
		/* without a compaction to come, a completed first build ends here */
		if (r2 == LODE_OK && rc == LODE_OK && !compact && !put_off)
			r2 = end_first_build(idx);
		double tc = index_now();
		if (r2 == LODE_OK)
			r2 = index_status_of(xap_db_commit(idx->db));
		if (r2 != LODE_OK) {
			index_set_err(idx, "cannot commit: %s", xap_db_errmsg(idx->db));
			rc = r2;
			compact = 0;
		}
		/* A new index about to be compacted is synced as its compacted copy:
		 * the pages of the copy that goes need never reach the disk. */
		if (rc == LODE_OK && idx->no_sync && !compact && segments_sync(&idx->layout)) {
			index_set_err(idx, "cannot sync the index to disk: %s", strerror(errno));
			rc = LODE_IO;
		}
		sum->t_commit += index_now() - tc;
		if (compact) {
			double tk = index_now();
			idx->compacted = 1;
			rc = index_compact(idx, cb, sum);
			if (rc == LODE_OK) {
				xap_status_t xs = end_first_build(idx) == LODE_OK
						  ? xap_db_commit(idx->db) : XAP_ENGINE;
				if (xs != XAP_OK) {
					index_set_err(idx, "cannot commit: %s", xap_db_errmsg(idx->db));
					rc = index_status_of(xs);
				}
			}
			sum->t_compact = index_now() - tk;
			if (rc != LODE_OK) /* what stays in place goes to disk */
				segments_sync(&idx->layout);
		}
	}
out:
	sum->t_total = index_now() - t0;
	free(keep_roots);
	free_strv(roots, nroots);
	walk_list_free(&files);
	strmap_free(&known, free);
	return rc;
}

unsigned index_jobs(const lode_index_opts_t *o)
{
	unsigned n = o->jobs;
	if (!n) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c > 0 ? (unsigned)c : 1;
	}
	return n > 64 ? 64 : n;
}

double index_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
