/* gw_speed.c - the bulk glass writer (glass_writer.h) against Xapian's own
 * writer on the same documents (not a test).
 *
 *   gw_speed [FILE] [ROUNDS] [KEEP]
 *
 * The documents are made in memory first: with no FILE (or "-"), 3000
 * generated ones with Zipf-distributed words as test_glass_writer makes
 * them; else one document per line of FILE (a JSONL corpus such as
 * ../shared/ir/cacm/corpus.jsonl), its lower-cased letter and digit runs
 * as words. As lode indexes, each word is a term with a position and, for
 * every other one, a "Z" stem-like term without; each document has an id
 * term, two values and its text as data. Then, ROUNDS times (default 5),
 * alternately: Xapian's path (a new database set to store data raw as lode
 * sets it, replace_document per document, commit) and gw_new .. gw_finish,
 * each timed from the first document to the database on disk (no fsync
 * for either). Prints the best and median wall time of each, documents/s,
 * MB/s of text and their ratio. With KEEP (a directory that does not
 * exist), the last round's two databases are left in KEEP/xapian and
 * KEEP/gw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glass_docdata.h"
#include "glass_writer.h"
#include "xapian_c.h"

typedef struct {
	const char *s;
	unsigned len, pos; /* pos 0: a term without position */
} tok_t;

typedef struct {
	size_t start, n; /* its tokens */
	const char *text;
	size_t text_len;
	char id[16], val[16];
} doc_t;

static tok_t *toks;
static size_t ntoks, captoks;
static doc_t *docs;
static size_t ndocs;
static char *arena;        /* the words, lower-cased */
static size_t text_bytes;

static void add_tok(const char *s, unsigned len, unsigned pos)
{
	if (ntoks == captoks) {
		captoks = captoks ? 2 * captoks : 1 << 16;
		toks = realloc(toks, captoks * sizeof *toks);
	}
	toks[ntoks++] = (tok_t){ s, len, pos };
}

/* The words of TEXT, with a "Z" term of the first 6 bytes of every other. */
static void split(doc_t *d, const char *text, size_t n, char **out)
{
	d->start = ntoks;
	unsigned pos = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && !((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z') ||
				  (text[i] >= '0' && text[i] <= '9')))
			i++;
		size_t b = i;
		char *w = *out + 1;
		while (i < n && ((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z') ||
				 (text[i] >= '0' && text[i] <= '9'))) {
			char c = text[i++];
			*w++ = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
		if (i == b || i - b > 64)
			continue;
		unsigned len = (unsigned)(i - b);
		**out = 'Z';
		add_tok(*out + 1, len, ++pos);
		if (pos % 2)
			add_tok(*out, 1 + (len < 6 ? len : 6), 0);
		*out += len + 1;
	}
	d->n = ntoks - d->start;
}

static uint64_t rng_state = 42;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* 3000 documents of words w0 .. w19999 drawn with Zipf's law (1 / rank),
 * 5 to 124 words each, every 50th 2500 words. */
static char *generate(size_t *len)
{
	enum { VOCAB = 20000, NDOCS = 3000 };
	static double cdf[VOCAB];
	double sum = 0;
	for (size_t r = 0; r < VOCAB; r++)
		cdf[r] = sum += 1.0 / (double)(r + 1);
	size_t cap = 1 << 20, n = 0;
	char *t = malloc(cap);
	for (size_t i = 0; i < NDOCS; i++) {
		size_t words = i % 50 == 49 ? 2500 : 5 + rng() % 120;
		for (size_t k = 0; k < words; k++) {
			double u = (double)(rng() >> 11) / 9007199254740992.0 * sum;
			size_t lo = 0, hi = VOCAB - 1;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (cdf[mid] < u)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (n + 16 > cap)
				t = realloc(t, cap *= 2);
			n += (size_t)sprintf(t + n, "w%zu ", lo);
		}
		t[n++] = '\n';
	}
	*len = n;
	return t;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	*len = fread(p, 1, (size_t)n, f);
	fclose(f);
	return p;
}

static void load(const char *path)
{
	size_t n;
	char *text = path ? slurp(path, &n) : generate(&n);
	if (!text) {
		perror(path);
		exit(1);
	}
	arena = malloc(2 * n + 16);
	char *out = arena;
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += text[i] == '\n';
	docs = calloc(lines + 1, sizeof *docs);
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - text) : n;
		doc_t *d = &docs[ndocs];
		d->text = text + i;
		d->text_len = e - i;
		split(d, text + i, e - i, &out);
		snprintf(d->id, sizeof d->id, "Q%zu", ndocs + 1);
		snprintf(d->val, sizeof d->val, "%08zu", (ndocs * 2654435761u) % 100000);
		text_bytes += e - i;
		ndocs++;
		i = e + 1;
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "gw_speed: %s: %s\n", what, msg);
	exit(1);
}

static double run_xapian(const char *dir)
{
	xap_db_t *db = NULL;
	char *em = NULL;
	if (xap_db_open_write(dir, XAP_DB_CREATE, 0, &db, &em) != XAP_OK)
		die(dir, em);
	xap_db_destroy(db);
	glass_docdata_raw(dir);
	double t0 = now();
	if (xap_db_open_write(dir, XAP_DB_OPEN | XAP_DB_NO_SYNC, 0, &db, &em) != XAP_OK)
		die(dir, em);
	xap_doc_t *doc = NULL;
	xap_doc_new(&doc);
	for (size_t i = 0; i < ndocs; i++) {
		const doc_t *d = &docs[i];
		xap_doc_clear(doc);
		for (size_t k = d->start; k < d->start + d->n; k++) {
			if (toks[k].pos)
				xap_doc_add_posting(doc, toks[k].s, toks[k].len, toks[k].pos, 1);
			else
				xap_doc_add_term(doc, toks[k].s, toks[k].len, 1);
		}
		xap_doc_add_boolean_term(doc, d->id, strlen(d->id));
		xap_doc_add_value(doc, 0, d->val, strlen(d->val));
		xap_doc_add_value(doc, 1, d->id, strlen(d->id));
		xap_doc_set_data(doc, d->text, d->text_len);
		if (xap_db_replace_doc(db, (unsigned)i + 1, doc) != XAP_OK)
			die("replace_document", xap_db_errmsg(db));
	}
	if (xap_db_commit(db) != XAP_OK)
		die("commit", xap_db_errmsg(db));
	xap_doc_destroy(doc);
	xap_db_destroy(db);
	return now() - t0;
}

static double run_gw(const char *dir)
{
	double t0 = now();
	char *em = NULL;
	gw_t *w = gw_new(dir, &em);
	if (!w)
		die(dir, em);
	int rc = 0;
	for (size_t i = 0; i < ndocs; i++) {
		const doc_t *d = &docs[i];
		rc |= gw_doc_begin(w, (unsigned)i + 1);
		for (size_t k = d->start; k < d->start + d->n; k++) {
			if (toks[k].pos)
				rc |= gw_posting(w, toks[k].s, toks[k].len, toks[k].pos, 1);
			else
				rc |= gw_term(w, toks[k].s, toks[k].len, 1);
		}
		rc |= gw_term(w, d->id, strlen(d->id), 0);
		rc |= gw_value(w, 0, d->val, strlen(d->val));
		rc |= gw_value(w, 1, d->id, strlen(d->id));
		rc |= gw_data(w, d->text, d->text_len);
		rc |= gw_doc_end(w);
	}
	rc |= gw_finish(w);
	if (rc)
		die("gw", gw_error(w));
	gw_free(w);
	return now() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void rmdb(const char *dir)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		die(dir, "cannot remove");
}

static long long du(const char *dir)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "du -sb '%s'", dir);
	FILE *p = popen(cmd, "r");
	long long n = -1;
	if (p && fscanf(p, "%lld", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

int main(int argc, char **argv)
{
	const char *file = argc > 1 && strcmp(argv[1], "-") != 0 ? argv[1] : NULL;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	if (rounds < 1 || rounds > 100)
		rounds = 5;
	load(file);
	char tmpl[512] = "/tmp/gw_speed.XXXXXX";
	const char *keep = argc > 3 ? argv[3] : NULL;
	if (keep) {
		snprintf(tmpl, sizeof tmpl, "%s", keep);
		if (mkdir(tmpl, 0755) != 0)
			die(keep, "cannot create");
	} else if (!mkdtemp(tmpl)) {
		die("mkdtemp", "failed");
	}
	char xdir[600], gdir[600];
	snprintf(xdir, sizeof xdir, "%s/xapian", tmpl);
	snprintf(gdir, sizeof gdir, "%s/gw", tmpl);
	double tx[100], tg[100];
	long long sx = 0, sg = 0;
	for (int r = 0; r < rounds; r++) {
		rmdb(xdir);
		rmdb(gdir);
		tx[r] = run_xapian(xdir);
		tg[r] = run_gw(gdir);
		sx = du(xdir);
		sg = du(gdir);
	}
	if (!keep)
		rmdb(tmpl);
	qsort(tx, (size_t)rounds, sizeof *tx, cmp_double);
	qsort(tg, (size_t)rounds, sizeof *tg, cmp_double);
	double mb = (double)text_bytes / 1e6;
	printf("%zu documents, %zu terms added, %.2f MB of text, %d rounds\n", ndocs, ntoks, mb,
	       rounds);
	printf("xapian: best %.3f s, median %.3f s: %.0f docs/s, %.2f MB/s; %lld bytes on disk\n",
	       tx[0], tx[rounds / 2], (double)ndocs / tx[0], mb / tx[0], sx);
	printf("gw:     best %.3f s, median %.3f s: %.0f docs/s, %.2f MB/s; %lld bytes on disk\n",
	       tg[0], tg[rounds / 2], (double)ndocs / tg[0], mb / tg[0], sg);
	printf("gw is %.2fx as fast (best), %.2fx (median)\n", tx[0] / tg[0],
	       tx[rounds / 2] / tg[rounds / 2]);
	return 0;
}
