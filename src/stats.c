/* stats.c - lode_stats_get, lode_index_verify, lode_compact: looking at
 * and maintaining an index as a whole. */
#include "lode.h"

#include <dirent.h>
#include <unistd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "glass_docdata.h"
#include "index_read.h"
#include "segments.h"
#include "record.h"
#include "schema.h"
#include "strmap.h"
#include "xapian_c.h"

static char *meta_str(xap_db_t *db, const char *key)
{
	char *v = NULL;
	size_t n;
	if (xap_db_get_metadata(db, key, &v, &n) != XAP_OK) {
		free(v);
		return strdup("");
	}
	return v;
}

/* Bytes of the files in DIR (an index is one flat directory). */
/* Bytes of the files in DIR and, for a segmented index, its segments. */
static uint64_t dir_bytes_depth(const char *dir, int depth)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return (uint64_t)st.st_size;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	uint64_t total = 0;
	struct dirent *e;
	buf_t p = BUF_INIT;
	while ((e = readdir(d)) != NULL) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", dir, e->d_name);
		if (p.oom || e->d_name[0] == '.' || stat(p.p, &st) != 0)
			continue;
		if (S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
		else if (S_ISDIR(st.st_mode) && depth > 0)
			total += dir_bytes_depth(p.p, depth - 1);
	}
	closedir(d);
	buf_free(&p);
	return total;
}

static uint64_t dir_bytes(const char *dir)
{
	return dir_bytes_depth(dir, 1);
}

static lode_status_t open_read(const char *path, xap_db_t **db, char **errmsg)
{
	char *em = NULL;
	xap_status_t xs = index_read_open(path, db, &em);
	if (xs != XAP_OK) {
		if (errmsg) {
			buf_t b = BUF_INIT;
			if (xs == XAP_NOT_FOUND)
				buf_printf(&b, "%s: no index there (run 'lode index' first)", path);
			else
				buf_printf(&b, "%s: %s", path, em ? em : xap_status_str(xs));
			*errmsg = buf_detach(&b, NULL);
		}
		free(em);
		return (lode_status_t)xs;
	}
	return LODE_OK;
}

lode_status_t lode_stats_get(const char *path, lode_stats_t *out, char **errmsg)
{
	memset(out, 0, sizeof *out);
	if (errmsg)
		*errmsg = NULL;
	xap_db_t *db = NULL;
	lode_status_t rc = open_read(path, &db, errmsg);
	if (rc != LODE_OK)
		return rc;
	unsigned n = 0;
	xap_status_t xs = xap_db_doc_count(db, &n);
	out->documents = n;
	if (xs == XAP_OK)
		xs = xap_db_avg_length(db, &out->avg_length);
	xap_termlist_t *tl = NULL;
	if (xs == XAP_OK)
		xs = xap_db_allterms(db, "", &tl);
	if (xs == XAP_OK) {
		const char *t;
		size_t tlen;
		while (xap_termlist_next(tl, &t, &tlen)) {
			unsigned tf = 0;
			xap_termlist_current(tl, &tf, NULL, NULL);
			out->unique_terms++;
			out->postings += tf;
		}
		xs = xap_termlist_status(tl);
		xap_termlist_destroy(tl);
	}
	if (xs != XAP_OK) {
		if (errmsg) {
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s: %s", path, xap_db_errmsg(db));
			*errmsg = buf_detach(&b, NULL);
		}
		xap_db_destroy(db);
		return (lode_status_t)xs;
	}
	out->roots = meta_str(db, META_ROOTS);
	out->lang = meta_str(db, META_LANG);
	char *schema = meta_str(db, META_SCHEMA);
	out->schema = schema ? (unsigned)atoi(schema) : 0;
	free(schema);
	out->last_update = meta_str(db, META_UPDATED);
	out->size_bytes = dir_bytes(path);
	xap_db_destroy(db);
	if (!out->roots || !out->lang || !out->last_update) {
		lode_stats_free(out);
		return LODE_NOMEM;
	}
	return LODE_OK;
}

void lode_stats_free(lode_stats_t *st)
{
	if (!st)
		return;
	free(st->roots);
	free(st->lang);
	free(st->last_update);
	memset(st, 0, sizeof *st);
}

typedef struct {
	void (*report)(void *ctx, const char *line);
	void *ctx;
	uint64_t problems;
	buf_t line;
	buf_t pending;          /* the document scan's problems, one per line */
	uint64_t npending;      /* reported once the scan saw one revision whole */
} verifier_t;

static void problem(verifier_t *v, const char *fmt, unsigned docid, const char *detail)
{
	v->npending++;
	buf_printf(&v->pending, fmt, docid, detail ? detail : "");
	buf_addc(&v->pending, '\n');
}

/* Every document: a decodable record with a path and hash, and a unique
 * key that no other document has. XAP_RETRY when a writer's commits
 * overtook the scan (the caller reopens and scans again). */
static xap_status_t scan_docs(verifier_t *v, xap_db_t *db)
{
	unsigned last = 0;
	xap_status_t xs = xap_db_last_docid(db, &last);
	strmap_t keys = STRMAP_INIT;
	buf_t store = BUF_INIT, key = BUF_INIT;
	buf_reset(&v->pending);
	v->npending = 0;
	for (unsigned id = 1; xs == XAP_OK && id <= last; id++) {
		xap_doc_t *doc = NULL;
		xs = xap_db_get_doc(db, id, &doc);
		if (xs == XAP_NOT_FOUND) {
			xs = XAP_OK;
			continue;
		}
		if (xs == XAP_RETRY)
			break;
		if (xs != XAP_OK) {
			problem(v, "document %u: cannot be read%s", id, NULL);
			xs = XAP_OK;
			continue;
		}
		const char *data;
		size_t len;
		record_t r;
		xs = xap_doc_get_data(doc, &data, &len);
		if (xs == XAP_RETRY) {
			xap_doc_destroy(doc);
			break;
		}
		if (xs != XAP_OK || record_decode(data, len, &r, &store) != 0) {
			problem(v, "document %u: stored record is damaged%s", id, NULL);
		} else if (!r.path || !*r.path) {
			problem(v, "document %u: no path recorded%s", id, NULL);
		} else {
			if (!r.hash)
				problem(v, "document %u: no content hash recorded (%s)", id, r.path);
			schema_key(&key, r.path, r.subkey);
			if (strmap_get(&keys, key.p))
				problem(v, "document %u: duplicate key %s", id, key.p + 1);
			else
				strmap_put(&keys, key.p, NULL);
			unsigned tf = 0;
			if (xap_db_term_freq(db, key.p, key.len, &tf) == XAP_RETRY) {
				xap_doc_destroy(doc);
				xs = XAP_RETRY;
				break;
			}
			if (tf != 1)
				problem(v, "document %u: key term missing or shared (%s)", id, r.path);
		}
		xs = XAP_OK;
		xap_doc_destroy(doc);
	}
	strmap_free(&keys, NULL);
	buf_free(&store);
	buf_free(&key);
	return xs;
}

/* Xapian's check of each segment (it does not follow a stub). */
static xap_status_t check_segments(const char *path, size_t *errors, char **em)
{
	segments_t segs;
	const char *why = NULL;
	if (segments_read(path, &segs, &why)) {
		*em = strdup(why ? why : "cannot read the index layout");
		return XAP_CORRUPT;
	}
	xap_status_t xs = XAP_OK;
	for (unsigned k = 0; k < segs.n && xs == XAP_OK; k++) {
		/* Xapian's check reads a live database without a fixed revision:
		 * a writer's commit can show it a passing error (or a "corrupt"
		 * exception). Damage stays; so a segment counts as damaged only
		 * when three checks in a row say so. */
		size_t e = 0;
		for (int attempt = 0; attempt < 3; attempt++) {
			e = 0;
			free(*em);
			*em = NULL;
			xs = xap_db_check(segs.path[k], &e, em);
			if (xs == XAP_OK && e == 0)
				break;
			if (xs != XAP_OK && xs != XAP_CORRUPT && xs != XAP_RETRY)
				break; /* not something a commit can cause */
		}
		*errors += e;
	}
	segments_free(&segs);
	return xs;
}

lode_status_t lode_index_verify(const char *path, uint64_t *problems,
				void (*report)(void *ctx, const char *line), void *ctx,
				char **errmsg)
{
	*problems = 0;
	if (errmsg)
		*errmsg = NULL;
	verifier_t v = { report, ctx, 0, BUF_INIT, BUF_INIT, 0 };
	/* Opened first: Xapian's check names a missing index only as an
	 * opening error, where open_read says there is no index. */
	xap_db_t *db = NULL;
	lode_status_t rc = open_read(path, &db, errmsg);
	if (rc != LODE_OK)
		return rc;
	size_t xerr = 0;
	char *em = NULL;
	xap_status_t xs = check_segments(path, &xerr, &em);
	/* Xapian 1.4's check opens the tables read/write: on a read-only copy
	 * (a snapshot, a backup) it cannot run, and lode's own checks still can. */
	if (xs != XAP_OK && access(path, W_OK) != 0 && (errno == EROFS || errno == EACCES)) {
		if (report) {
			buf_printf(&v.line, "note: Xapian's table check skipped: %s", strerror(errno));
			report(ctx, v.line.p);
			buf_reset(&v.line);
		}
		free(em);
		em = NULL;
		xs = XAP_OK;
	}
	if (xs != XAP_OK) {
		if (errmsg) {
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s: %s", path, em ? em : xap_status_str(xs));
			*errmsg = buf_detach(&b, NULL);
		}
		free(em);
		xap_db_destroy(db);
		*problems = 1;
		return (lode_status_t)xs;
	}
	if (xerr) {
		v.problems += xerr;
		if (report) {
			buf_printf(&v.line, "Xapian's check found %zu error(s)", xerr);
			report(ctx, v.line.p);
		}
	}
	/* A writer may commit while the documents are read: a scan that its
	 * commits overtook starts again on the new revision (its problems are
	 * reported only from a scan that saw one revision whole). */
	for (int attempt = 0;; attempt++) {
		xs = scan_docs(&v, db);
		if (xs != XAP_RETRY)
			break;
		/* opened afresh, not reopened: runs may have been merged */
		xap_db_destroy(db);
		db = NULL;
		if (attempt == 8 || open_read(path, &db, NULL) != LODE_OK) {
			if (errmsg) {
				buf_t b = BUF_INIT;
				buf_printf(&b, "%s: the index changed too often while it was checked: "
					   "try again", path);
				*errmsg = buf_detach(&b, NULL);
			}
			buf_free(&v.pending);
			buf_free(&v.line);
			xap_db_destroy(db);
			*problems = v.problems;
			return LODE_ENGINE;
		}
	}
	v.problems += v.npending;
	for (const char *l = v.pending.p; l && *l;) {
		const char *e = strchr(l, '\n');
		buf_reset(&v.line);
		buf_add(&v.line, l, (size_t)(e - l));
		if (v.report)
			v.report(v.ctx, v.line.p);
		l = e + 1;
	}
	buf_free(&v.pending);
	buf_free(&v.line);
	xap_db_destroy(db);
	*problems = v.problems;
	return xs == XAP_OK ? LODE_OK : (lode_status_t)xs;
}

lode_status_t lode_compact(const char *const *srcs, size_t n, const char *dest, char **errmsg)
{
	if (errmsg)
		*errmsg = NULL;
	char *em = NULL;
	xap_status_t xs = glass_compact(srcs, n, dest, 1, &em);
	if (xs != XAP_OK) {
		if (errmsg) {
			buf_t b = BUF_INIT;
			buf_printf(&b, "%s: %s", dest, em ? em : xap_status_str(xs));
			*errmsg = buf_detach(&b, NULL);
		}
		free(em);
		return (lode_status_t)xs;
	}
	return LODE_OK;
}
