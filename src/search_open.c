/* search_open.c - lode_search_open: the sources of a search (local indexes,
 * tcp:HOST:PORT ones, shard lists) opened as one database, and, when partial
 * answers are allowed, left out when they cannot be reached or fail during a
 * search. See search_impl.h. */
#include "lode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "index_read.h"
#include "schema.h"
#include "search_impl.h"
#include "stem.h"
#include "xapian_c.h"

const char *lode_search_errmsg(const lode_search_t *s)
{
	return s && s->err.p ? s->err.p : "";
}

void search_set_err(lode_search_t *s, const char *what, const char *detail)
{
	buf_reset(&s->err);
	buf_printf(&s->err, "%s%s%s", what, detail && *detail ? ": " : "", detail ? detail : "");
}

static double meta_num(xap_db_t *db, const char *key, double dflt)
{
	char *v = NULL;
	size_t n;
	double r = dflt;
	if (xap_db_get_metadata(db, key, &v, &n) == XAP_OK && v && *v)
		r = atof(v);
	free(v);
	return r;
}

/* ------------------------------------------------------------- open */

/* 1 when PATH is a regular file: a Xapian stub (*is_list 0) or a shard list. */
static int is_stub_or_list(const char *path, int *is_list)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[512];
	*is_list = 1;
	if (fgets(line, sizeof line, f)) {
		static const char *const stub_words[] = { "auto ", "glass ", "chert ", "remote ",
							  "inmemory", "honey " };
		for (size_t i = 0; i < sizeof stub_words / sizeof *stub_words; i++)
			if (strncmp(line, stub_words[i], strlen(stub_words[i])) == 0)
				*is_list = 0;
	}
	fclose(f);
	return 1;
}

static lode_status_t add_source(lode_search_t *s, const char *src, int depth);

static lode_status_t add_list(lode_search_t *s, const char *path, int depth)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		search_set_err(s, path, "cannot read the shard list");
		return LODE_IO;
	}
	char line[4096];
	lode_status_t rc = LODE_OK;
	size_t added = 0;
	while (rc == LODE_OK && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		/* relative entries are relative to the list's directory */
		buf_t full = BUF_INIT;
		const char *slash = strrchr(path, '/');
		if (*p != '/' && strncmp(p, "tcp:", 4) != 0 && slash)
			buf_printf(&full, "%.*s/%s", (int)(slash - path), path, p);
		else
			buf_adds(&full, p);
		rc = add_source(s, full.p, depth + 1);
		buf_free(&full);
		added++;
	}
	fclose(f);
	if (rc == LODE_OK && !added) {
		search_set_err(s, path, "the shard list names no index");
		rc = LODE_INVALID;
	}
	return rc;
}

/* Remember SRC's own handle (taken over) beside the combined one. */
static lode_status_t keep_source(lode_search_t *s, const char *src, xap_db_t *db)
{
	if (s->nsrcs == s->cap_srcs) {
		size_t cap = s->cap_srcs ? s->cap_srcs * 2 : 4;
		search_src_t *n = realloc(s->srcs, cap * sizeof *n);
		if (!n)
			return LODE_NOMEM;
		s->srcs = n;
		s->cap_srcs = cap;
	}
	char *name = strdup(src);
	if (!name)
		return LODE_NOMEM;
	s->srcs[s->nsrcs].name = name;
	s->srcs[s->nsrcs].db = db;
	s->nsrcs++;
	return LODE_OK;
}

/* With LODE_SEARCH_PARTIAL, a source that failed with RC (its reason in
 * s->err) is listed as missing and the search goes on: LODE_OK. Mistakes in
 * the sources themselves (RC LODE_INVALID) and LODE_NOMEM are never skipped. */
static lode_status_t skip_or_fail(lode_search_t *s, lode_status_t rc)
{
	if (!(s->flags & LODE_SEARCH_PARTIAL) || rc == LODE_INVALID || rc == LODE_NOMEM)
		return rc;
	char **m = realloc(s->missing, (s->nmissing + 1) * sizeof *m);
	if (!m)
		return LODE_NOMEM;
	s->missing = m;
	if (!(m[s->nmissing] = strdup(lode_search_errmsg(s))))
		return LODE_NOMEM;
	s->nmissing++;
	s->last_fail = rc;
	return LODE_OK;
}

/* Open SRC, an index path or tcp:HOST:PORT (not a list), into *db; on
 * failure the reason, naming SRC, is in s->err. */
static lode_status_t open_one(lode_search_t *s, const char *src, xap_db_t **db)
{
	char *em = NULL;
	xap_status_t xs;
	int remote = strncmp(src, "tcp:", 4) == 0;
	*db = NULL;
	if (remote) {
		const char *hp = src + 4;
		const char *colon = strrchr(hp, ':');
		unsigned port = 0;
		if (!colon || colon == hp || sscanf(colon + 1, "%u", &port) != 1 || !port ||
		    port > 65535) {
			search_set_err(s, src, "expected tcp:HOST:PORT");
			return LODE_INVALID;
		}
		char *host = strndup(hp, (size_t)(colon - hp));
		if (!host)
			return LODE_NOMEM;
		xs = xap_db_open_remote(host, port, s->timeout_ms, db, &em);
		free(host);
		s->remote = 1;
	} else {
		xs = index_read_open(src, db, &em);
	}
	if (xs != XAP_OK) {
		buf_reset(&s->err);
		if (xs == XAP_NOT_FOUND)
			buf_printf(&s->err, "%s: no index there (run 'lode index' first)", src);
		else if (remote)
			buf_printf(&s->err, "%s: cannot reach the shard (%s)", src,
				   em ? em : xap_status_str(xs));
		else
			buf_printf(&s->err, "%s: %s", src, em ? em : xap_status_str(xs));
	}
	free(em);
	return (lode_status_t)xs;
}

static lode_status_t add_source(lode_search_t *s, const char *src, int depth)
{
	if (depth > 4) {
		search_set_err(s, src, "shard lists nested too deeply");
		return LODE_INVALID;
	}
	int is_list = 0;
	if (strncmp(src, "tcp:", 4) != 0 && is_stub_or_list(src, &is_list) && is_list) {
		lode_status_t lrc = add_list(s, src, depth);
		return lrc == LODE_IO ? skip_or_fail(s, lrc) : lrc;
	}
	xap_db_t *db = NULL;
	lode_status_t orc = open_one(s, src, &db);
	if (orc != LODE_OK)
		return skip_or_fail(s, orc);
	if (!s->first_opened) {
		/* the first shard's settings are the search's */
		char *lang = NULL;
		size_t n;
		if (xap_db_get_metadata(db, META_LANG, &lang, &n) == XAP_OK && lang && *lang) {
			free(s->lang);
			s->lang = lang;
		} else {
			free(lang);
		}
		s->k1 = meta_num(db, META_K1, DEFAULT_K1);
		s->b = meta_num(db, META_B, DEFAULT_B);
		s->title_weight = meta_num(db, META_TITLE_WEIGHT, DEFAULT_TITLE_WEIGHT);
		s->first_opened = 1;
	}
	xap_status_t xs = xap_db_add(s->db, db);
	if (xs != XAP_OK) {
		search_set_err(s, src, xap_db_errmsg(s->db));
		xap_db_destroy(db);
		return (lode_status_t)xs;
	}
	lode_status_t rc = keep_source(s, src, db);
	if (rc != LODE_OK)
		xap_db_destroy(db);
	return rc;
}

lode_status_t lode_search_open(const char *const *sources, size_t n, unsigned timeout_ms,
			       lode_search_t **out, char **errmsg)
{
	return lode_search_open_ex(sources, n, timeout_ms, 0, out, errmsg);
}

const char *lode_search_missing(const lode_search_t *s, size_t i)
{
	return s && i < s->nmissing ? s->missing[i] : NULL;
}

lode_status_t lode_search_open_ex(const char *const *sources, size_t n, unsigned timeout_ms,
				  unsigned flags, lode_search_t **out, char **errmsg)
{
	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	lode_search_t *s = calloc(1, sizeof *s);
	if (!s)
		return LODE_NOMEM;
	s->flags = flags;
	s->timeout_ms = timeout_ms;
	lode_status_t rc = LODE_OK;
	char *em = NULL;
	if (xap_db_new_combined(&s->db, &em) != XAP_OK) {
		free(em);
		free(s);
		return LODE_NOMEM;
	}
	for (size_t i = 0; i < n && rc == LODE_OK; i++)
		rc = add_source(s, sources[i], 0);
	if (rc == LODE_OK && n == 0) {
		search_set_err(s, "no index given", NULL);
		rc = LODE_INVALID;
	}
	if (rc == LODE_OK && s->nsrcs == 0) {
		/* partial, and every source left out */
		buf_reset(&s->err);
		buf_printf(&s->err, "no shard answers (first: %s)", s->missing[0]);
		rc = s->last_fail;
	}
	if (rc == LODE_OK) {
		s->stem = stemmer_new(s->lang ? s->lang : "english", &em);
		if (!s->stem) {
			search_set_err(s, "cannot stem", em);
			free(em);
			rc = LODE_INVALID;
		}
	}
	if (rc != LODE_OK) {
		if (errmsg)
			*errmsg = strdup(lode_search_errmsg(s));
		lode_search_close(s);
		return rc;
	}
	*out = s;
	return LODE_OK;
}

void lode_search_close(lode_search_t *s)
{
	if (!s)
		return;
	xap_db_destroy(s->db);
	for (size_t i = 0; i < s->nsrcs; i++) {
		free(s->srcs[i].name);
		xap_db_destroy(s->srcs[i].db);
	}
	free(s->srcs);
	for (size_t i = 0; i < s->nmissing; i++)
		free(s->missing[i]);
	free(s->missing);
	stemmer_destroy(s->stem);
	free(s->lang);
	buf_free(&s->err);
	free(s);
}

/* After a search failed with RC: did a source go away (a server down, a
 * timeout)? Each is reached again on a fresh connection, since an old one
 * may still hold another shard's unread reply. Without LODE_SEARCH_PARTIAL
 * the first that fails is named in s->err and RC stands; with it, those
 * are left out and db is rebuilt from the rest: LODE_RETRY. RC also when
 * every source still answers (the failure was something else). */
lode_status_t search_recheck_sources(lode_search_t *s, lode_status_t rc)
{
	if (rc == LODE_OK || rc == LODE_RETRY || rc == LODE_BAD_QUERY || rc == LODE_NOMEM ||
	    rc == LODE_INVALID || rc == LODE_INTERNAL)
		return rc;
	buf_t why = BUF_INIT;
	buf_adds(&why, lode_search_errmsg(s));
	xap_db_t *comb = NULL, **fresh = calloc(s->nsrcs, sizeof *fresh);
	char *em = NULL;
	if (!fresh || xap_db_new_combined(&comb, &em) != XAP_OK) {
		free(em);
		free(fresh);
		buf_free(&why);
		return rc;
	}
	size_t dead = 0;
	lode_status_t out = rc;
	for (size_t i = 0; i < s->nsrcs; i++) {
		if (open_one(s, s->srcs[i].name, &fresh[i]) == LODE_OK &&
		    xap_db_add(comb, fresh[i]) == XAP_OK)
			continue;
		xap_db_destroy(fresh[i]);
		fresh[i] = NULL;
		if (!dead++ && !(s->flags & LODE_SEARCH_PARTIAL))
			break; /* s->err names it */
		if (skip_or_fail(s, LODE_ENGINE) != LODE_OK) {
			out = LODE_NOMEM;
			break;
		}
	}
	if (out == LODE_NOMEM) {
		search_set_err(s, "out of memory", NULL);
	} else if (!dead) {
		search_set_err(s, why.p ? why.p : "search failed", NULL);
	} else if ((s->flags & LODE_SEARCH_PARTIAL) && dead < s->nsrcs) {
		size_t keep = 0;
		for (size_t i = 0; i < s->nsrcs; i++) {
			xap_db_destroy(s->srcs[i].db);
			if (fresh[i]) {
				s->srcs[keep] = s->srcs[i];
				s->srcs[keep++].db = fresh[i];
				fresh[i] = NULL;
			} else {
				free(s->srcs[i].name);
			}
		}
		s->nsrcs = keep;
		xap_db_destroy(s->db);
		s->db = comb;
		comb = NULL;
		out = LODE_RETRY;
	} else if (s->flags & LODE_SEARCH_PARTIAL) {
		buf_reset(&s->err);
		buf_printf(&s->err, "no shard answers (first: %s)", s->missing[s->nmissing - dead]);
	}
	for (size_t i = 0; i < s->nsrcs; i++)
		xap_db_destroy(fresh[i]);
	free(fresh);
	xap_db_destroy(comb);
	buf_free(&why);
	return out;
}
