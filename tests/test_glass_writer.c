/* test_glass_writer.c - a database the bulk glass writer makes reads,
 * through Xapian's API, exactly as the one Xapian's replace_document(docid,
 * doc) makes of the same documents: every term's frequencies, posting list,
 * wdf upper bound and positions, every document's termlist, length, values
 * and data, the value statistics, the database's counts and the bounds
 * Xapian keeps in its version file, metadata; and Xapian's check finds
 * nothing wrong. Then Xapian's compactor merges two of them, and Xapian's
 * writer updates one, as its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass_docdata.h"
#include "glass_writer.h"
#include "xapian_c.h"
#include "helpers/testutil.h"
#include "helpers/xaptest.h"

/* Under ASan: libxapian 1.4.22's Database::check() itself frees an object
 * with a sized delete of the wrong size (inside libxapian.so), so that one
 * check is off for this binary, as in test_binding. Unused without ASan. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "new_delete_type_mismatch=0";
}

/* ------------------------------------------------------------ documents */

/* One call on a document: 'p' add_posting(s, a = pos, b = wdf_inc), 't'
 * add_term(s, b = wdf_inc), 'v' add_value(a = slot, s), 'd' set_data(s);
 * on the database: 'm' set_metadata(s, t). */
typedef struct {
	char kind;
	const char *s;
	size_t len;
	unsigned a, b;
	const char *t;
	size_t tlen;
} op_t;

typedef struct {
	unsigned docid;
	const op_t *ops;
	size_t n;
} tdoc_t;

typedef struct {
	tdoc_t *docs;
	size_t n;
	const op_t *meta;
	size_t nmeta;
} corpus_t;

#define S(lit) (lit), sizeof(lit) - 1
#define P(lit, pos, inc) { 'p', S(lit), (pos), (inc), NULL, 0 }
#define T(lit, inc) { 't', S(lit), 0, (inc), NULL, 0 }
#define V(slot, lit) { 'v', S(lit), (slot), 0, NULL, 0 }
#define D(lit) { 'd', S(lit), 0, 0, NULL, 0 }
#define M(key, tag) { 'm', S(key), 0, 0, S(tag) }
#define N(a) (sizeof(a) / sizeof *(a))

static void apply_xap(xap_doc_t *doc, const op_t *o)
{
	switch (o->kind) {
	case 'p':
		OK(xap_doc_add_posting(doc, o->s, o->len, o->a, o->b), xap_doc_errmsg(doc));
		break;
	case 't':
		OK(xap_doc_add_term(doc, o->s, o->len, o->b), xap_doc_errmsg(doc));
		break;
	case 'v':
		OK(xap_doc_add_value(doc, o->a, o->s, o->len), xap_doc_errmsg(doc));
		break;
	case 'd':
		OK(xap_doc_set_data(doc, o->s, o->len), xap_doc_errmsg(doc));
		break;
	default:
		fail();
	}
}

static void apply_gw(gw_t *w, const op_t *o)
{
	int rc = -1;
	switch (o->kind) {
	case 'p':
		rc = gw_posting(w, o->s, o->len, o->a, o->b);
		break;
	case 't':
		rc = gw_term(w, o->s, o->len, o->b);
		break;
	case 'v':
		rc = gw_value(w, o->a, o->s, o->len);
		break;
	case 'd':
		rc = gw_data(w, o->s, o->len);
		break;
	}
	if (rc)
		print_error("gw: %s\n", gw_error(w));
	assert_int_equal(rc, 0);
}

/* Metadata keys are NUL-terminated in the binding. */
static void set_meta_xap(xap_db_t *db, const op_t *m)
{
	char key[300];
	memcpy(key, m->s, m->len);
	key[m->len] = '\0';
	DBOK(db, xap_db_set_metadata(db, key, m->t, m->tlen));
}

static void build_xapian(const char *dir, const corpus_t *c)
{
	xap_db_t *db = NULL;
	char *err = NULL;
	OK(xap_db_open_write(dir, XAP_DB_CREATE | XAP_DB_NO_SYNC, 0, &db, &err), err);
	for (size_t i = 0; i < c->n; i++) {
		xap_doc_t *doc = NULL;
		assert_int_equal(xap_doc_new(&doc), XAP_OK);
		for (size_t j = 0; j < c->docs[i].n; j++)
			apply_xap(doc, &c->docs[i].ops[j]);
		DBOK(db, xap_db_replace_doc(db, c->docs[i].docid, doc));
		xap_doc_destroy(doc);
	}
	for (size_t i = 0; i < c->nmeta; i++)
		set_meta_xap(db, &c->meta[i]);
	DBOK(db, xap_db_commit(db));
	xap_db_destroy(db);
}

static void build_gw(const char *dir, const corpus_t *c)
{
	char *err = NULL;
	gw_t *w = gw_new(dir, &err);
	if (!w)
		print_error("gw_new: %s\n", err);
	assert_non_null(w);
	for (size_t i = 0; i < c->n; i++) {
		assert_int_equal(gw_doc_begin(w, c->docs[i].docid), 0);
		for (size_t j = 0; j < c->docs[i].n; j++)
			apply_gw(w, &c->docs[i].ops[j]);
		assert_int_equal(gw_doc_end(w), 0);
	}
	for (size_t i = 0; i < c->nmeta; i++) {
		const op_t *m = &c->meta[i];
		assert_int_equal(gw_metadata(w, m->s, m->len, m->t, m->tlen), 0);
	}
	int rc = gw_finish(w);
	if (rc)
		print_error("gw_finish: %s\n", gw_error(w));
	assert_int_equal(rc, 0);
	gw_free(w);
}

/* ------------------------------------------------------------ comparing */

static xap_db_t *open_read(const char *path)
{
	xap_db_t *db = NULL;
	char *err = NULL;
	OK(xap_db_open_read(path, &db, &err), err);
	return db;
}

/* The statistics of PATH's version file: doccount, last docid, doclen
 * lower bound, wdf upper bound, doclen upper bound, total length. */
static void version_stats(const char *path, uint64_t st[6])
{
	char *v = tu_path(path, "iamglass");
	FILE *f = fopen(v, "rb");
	assert_non_null(f);
	unsigned char b[1024];
	size_t n = fread(b, 1, sizeof b, f);
	fclose(f);
	free(v);
	const unsigned char *p = b + 32, *e = b + n; /* magic, uuid */
	uint64_t x[48];
	size_t k = 0;
	while (p < e && k < 1 + 6 * 6 + 8) {
		uint64_t val = 0;
		for (unsigned sh = 0; p < e; sh += 7) {
			unsigned c = *p++;
			val |= (uint64_t)(c & 0x7f) << sh;
			if (!(c & 0x80))
				break;
		}
		x[k++] = val;
		if (k >= 2 && k <= 37 && (k - 1) % 6 == 0) /* a root info's free list */
			p += val;
	}
	assert_int_equal(k, 1 + 6 * 6 + 8);
	const uint64_t *s = x + 37;
	st[0] = s[0];
	st[1] = s[1] + s[0];
	st[2] = s[2];
	st[3] = s[3];
	st[4] = s[4] + s[3];
	st[5] = s[6];
}

static void same_bytes(const char *a, size_t alen, const char *b, size_t blen, const char *what)
{
	if (alen != blen || memcmp(a, b, alen) != 0)
		print_error("%s differs: %zu / %zu bytes\n", what, alen, blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
}

/* TERM in A and B: frequencies, postings with wdf, positions. */
static void compare_term(xap_db_t *a, xap_db_t *b, const char *t, size_t len)
{
	uint64_t cfa, cfb;
	DBOK(a, xap_db_coll_freq(a, t, len, &cfa));
	DBOK(b, xap_db_coll_freq(b, t, len, &cfb));
	assert_int_equal(cfa, cfb);
	unsigned ua, ub;
	DBOK(a, xap_db_wdf_upper_bound(a, t, len, &ua));
	DBOK(b, xap_db_wdf_upper_bound(b, t, len, &ub));
	assert_int_equal(ua, ub);
	unsigned *da, *wa, *db_, *wb;
	size_t na, nb;
	DBOK(a, xap_db_postlist_wdf(a, t, len, &da, &wa, &na));
	DBOK(b, xap_db_postlist_wdf(b, t, len, &db_, &wb, &nb));
	assert_int_equal(na, nb);
	assert_memory_equal(da, db_, na * sizeof *da);
	assert_memory_equal(wa, wb, na * sizeof *wa);
	for (size_t i = 0; i < na; i++) {
		unsigned *pa, *pb;
		size_t ma, mb;
		DBOK(a, xap_db_positions(a, da[i], t, len, &pa, &ma));
		DBOK(b, xap_db_positions(b, da[i], t, len, &pb, &mb));
		assert_int_equal(ma, mb);
		assert_memory_equal(pa, pb, ma * sizeof *pa);
		free(pa);
		free(pb);
	}
	free(da);
	free(wa);
	free(db_);
	free(wb);
}

static void compare_allterms(xap_db_t *a, xap_db_t *b)
{
	xap_termlist_t *ta, *tb;
	DBOK(a, xap_db_allterms(a, "", &ta));
	DBOK(b, xap_db_allterms(b, "", &tb));
	for (;;) {
		const char *sa, *sb;
		size_t la, lb;
		int ra = xap_termlist_next(ta, &sa, &la), rb = xap_termlist_next(tb, &sb, &lb);
		assert_int_equal(ra, rb);
		if (!ra)
			break;
		same_bytes(sa, la, sb, lb, "term");
		unsigned fa, fb;
		xap_termlist_current(ta, &fa, NULL, NULL);
		xap_termlist_current(tb, &fb, NULL, NULL);
		assert_int_equal(fa, fb);
		char t[256];
		memcpy(t, sa, la);
		compare_term(a, b, t, la);
	}
	assert_int_equal(xap_termlist_status(ta), XAP_OK);
	assert_int_equal(xap_termlist_status(tb), XAP_OK);
	xap_termlist_destroy(ta);
	xap_termlist_destroy(tb);
}

static void compare_termlists(xap_doc_t *a, xap_doc_t *b)
{
	xap_termlist_t *ta, *tb;
	assert_int_equal(xap_doc_termlist(a, &ta), XAP_OK);
	assert_int_equal(xap_doc_termlist(b, &tb), XAP_OK);
	for (;;) {
		const char *sa, *sb;
		size_t la, lb;
		int ra = xap_termlist_next(ta, &sa, &la), rb = xap_termlist_next(tb, &sb, &lb);
		assert_int_equal(ra, rb);
		if (!ra)
			break;
		same_bytes(sa, la, sb, lb, "termlist term");
		unsigned fa, fb, wa, wb;
		xap_termlist_current(ta, &fa, &wa, NULL);
		xap_termlist_current(tb, &fb, &wb, NULL);
		assert_int_equal(fa, fb);
		assert_int_equal(wa, wb);
	}
	assert_int_equal(xap_termlist_status(ta), XAP_OK);
	assert_int_equal(xap_termlist_status(tb), XAP_OK);
	xap_termlist_destroy(ta);
	xap_termlist_destroy(tb);
}

static void compare_doc(xap_db_t *a, xap_db_t *b, unsigned did)
{
	xap_doc_t *x = NULL, *y = NULL;
	xap_status_t sa = xap_db_get_doc(a, did, &x), sb = xap_db_get_doc(b, did, &y);
	assert_int_equal(sa, sb);
	if (sa != XAP_OK)
		return;
	unsigned la, lb;
	DBOK(a, xap_db_doclength(a, did, &la));
	DBOK(b, xap_db_doclength(b, did, &lb));
	assert_int_equal(la, lb);
	compare_termlists(x, y);
	const char *pa, *pb;
	size_t na, nb;
	assert_int_equal(xap_doc_get_data(x, &pa, &na), XAP_OK);
	assert_int_equal(xap_doc_get_data(y, &pb, &nb), XAP_OK);
	same_bytes(pa, na, pb, nb, "data");
	unsigned *va, *vb;
	assert_int_equal(xap_doc_values(x, &va, &na), XAP_OK);
	assert_int_equal(xap_doc_values(y, &vb, &nb), XAP_OK);
	assert_int_equal(na, nb);
	assert_memory_equal(va, vb, na * sizeof *va);
	for (size_t i = 0; i < na; i++) {
		char want[4096];
		size_t wl;
		assert_int_equal(xap_doc_get_value(x, va[i], &pa, &wl), XAP_OK);
		assert_true(wl < sizeof want);
		memcpy(want, pa, wl);
		assert_int_equal(xap_doc_get_value(y, va[i], &pb, &nb), XAP_OK);
		same_bytes(want, wl, pb, nb, "value");
	}
	free(va);
	free(vb);
	xap_doc_destroy(x);
	xap_doc_destroy(y);
}

static void compare_meta(xap_db_t *a, xap_db_t *b)
{
	xap_termlist_t *ta, *tb;
	DBOK(a, xap_db_metadata_keys(a, "", &ta));
	DBOK(b, xap_db_metadata_keys(b, "", &tb));
	for (;;) {
		const char *ka, *kb;
		size_t la, lb;
		int ra = xap_termlist_next(ta, &ka, &la), rb = xap_termlist_next(tb, &kb, &lb);
		assert_int_equal(ra, rb);
		if (!ra)
			break;
		same_bytes(ka, la, kb, lb, "metadata key");
		char key[300];
		memcpy(key, ka, la);
		key[la] = '\0';
		char *va, *vb;
		size_t na, nb;
		DBOK(a, xap_db_get_metadata(a, key, &va, &na));
		DBOK(b, xap_db_get_metadata(b, key, &vb, &nb));
		same_bytes(va, na, vb, nb, "metadata");
		free(va);
		free(vb);
	}
	xap_termlist_destroy(ta);
	xap_termlist_destroy(tb);
}

/* GOT reads as WANT; Xapian's check of GOT finds nothing. SLOTS: value
 * slots whose statistics to compare (-1 ends). */
static void compare_dbs(const char *want, const char *got, const int *slots)
{
	size_t errors = 1;
	char *report = NULL;
	OK(xap_db_check(got, &errors, &report), report);
	if (errors)
		print_error("check: %s\n", report);
	assert_int_equal(errors, 0);

	xap_db_t *a = open_read(want), *b = open_read(got);
	unsigned ca, cb, la, lb, loa, lob, hia, hib;
	uint64_t ta, tb;
	double ava, avb;
	DBOK(a, xap_db_doc_count(a, &ca));
	DBOK(b, xap_db_doc_count(b, &cb));
	assert_int_equal(ca, cb);
	DBOK(a, xap_db_last_docid(a, &la));
	DBOK(b, xap_db_last_docid(b, &lb));
	assert_int_equal(la, lb);
	DBOK(a, xap_db_total_length(a, &ta));
	DBOK(b, xap_db_total_length(b, &tb));
	assert_int_equal(ta, tb);
	DBOK(a, xap_db_avg_length(a, &ava));
	DBOK(b, xap_db_avg_length(b, &avb));
	assert_true(ava == avb);
	DBOK(a, xap_db_doclength_bounds(a, &loa, &hia));
	DBOK(b, xap_db_doclength_bounds(b, &lob, &hib));
	assert_int_equal(loa, lob);
	assert_int_equal(hia, hib);
	uint64_t sa[6], sb[6];
	version_stats(want, sa);
	version_stats(got, sb);
	for (int i = 0; i < 6; i++)
		assert_int_equal(sa[i], sb[i]);

	compare_allterms(a, b);
	for (unsigned d = 1; d <= la + 1; d++)
		compare_doc(a, b, d);
	for (const int *s = slots; *s >= 0; s++) {
		unsigned fa, fb;
		char *loa_, *lob_, *hia_, *hib_;
		size_t nla, nlb, nha, nhb;
		DBOK(a, xap_db_value_stats(a, (unsigned)*s, &fa, &loa_, &nla, &hia_, &nha));
		DBOK(b, xap_db_value_stats(b, (unsigned)*s, &fb, &lob_, &nlb, &hib_, &nhb));
		assert_int_equal(fa, fb);
		same_bytes(loa_, nla, lob_, nlb, "value lower bound");
		same_bytes(hia_, nha, hib_, nhb, "value upper bound");
		free(loa_);
		free(lob_);
		free(hia_);
		free(hib_);
	}
	compare_meta(a, b);
	xap_db_destroy(a);
	xap_db_destroy(b);
}

/* ------------------------------------------------------- the small table */

static const op_t d1[] = {
	P("hello", 1, 1), P("world", 2, 1), P("hello", 3, 1), T("Qone", 0), T("XTAG", 2),
	V(0, "b"), V(5, "zz"), D("doc one"),
};
static const op_t d5[] = {
	P("rep", 4, 1), P("rep", 4, 1),                   /* one position, wdf 2 */
	P("ooo", 9, 1), P("ooo", 3, 1), P("ooo", 7, 1), /* out of order */
	P("heavy", 2, 3), P("hell", 5, 1), P("hello", 6, 1), T("hello", 4),
	V(0, "a"), V(5, "zz"), D("gone"), D(""),
};
static const op_t d9[] = {
	P("\xc3\xa9t\xc3\xa9", 1, 1), P("a", 2, 1), P("a\0b", 3, 1), P("\0lead", 4, 1),
	T("\xff\xfe", 1), P("a\0b", 8, 1), V(256, "v256"), V(128, "v\0" "128"), V(1, "\xff"),
	D("bin\0ary \xff data"),
};
static const op_t d10[] = { V(0, "c"), D("values and data, no terms") };
static const op_t d11[] = {
	P("zero", 3, 0), T("both", 1), P("both", 1, 1), P("both", 2, 2), T("Qeleven", 0),
	V(7, "x"), V(7, "y"), V(8, "gone"), V(8, ""), V(5, "aa"),
};
static const op_t tiny_meta[] = {
	M("k1", "v1"), M("\x80high", "bin\0ary"), M("k1", "v2"), M("gone", "x"), M("gone", ""),
	M("z", "last"),
};

static char long_a[245], long_b[244], long_c[245];
static op_t d12[4];
static tdoc_t tiny_docs[] = {
	{ 1, d1, N(d1) }, { 2, NULL, 0 }, { 5, d5, N(d5) }, { 9, d9, N(d9) },
	{ 10, d10, N(d10) }, { 11, d11, N(d11) }, { 40, d12, N(d12) },
};
static const int tiny_slots[] = { 0, 1, 2, 5, 7, 8, 128, 256, -1 };

/* Terms of Xapian's longest, one of them a prefix of another. */
static corpus_t tiny(void)
{
	memset(long_a, 'x', sizeof long_a);
	memset(long_b, 'x', sizeof long_b);
	memset(long_c, 'x', sizeof long_c);
	long_c[244] = 'y';
	d12[0] = (op_t){ 'p', long_a, sizeof long_a, 1, 1, NULL, 0 };
	d12[1] = (op_t){ 'p', long_b, sizeof long_b, 2, 1, NULL, 0 };
	d12[2] = (op_t){ 't', long_c, sizeof long_c, 0, 5, NULL, 0 };
	d12[3] = (op_t){ 'p', "hello", 5, 9, 1, NULL, 0 };
	return (corpus_t){ tiny_docs, N(tiny_docs), tiny_meta, N(tiny_meta) };
}

typedef struct {
	char *root, *xap, *gw;
} dirs_t;

static int setup(void **state)
{
	dirs_t *d = calloc(1, sizeof *d);
	d->root = tu_mkdtemp();
	d->xap = tu_path(d->root, "xapian");
	d->gw = tu_path(d->root, "gw");
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	dirs_t *d = *state;
	tu_rmtree(d->root);
	free(d->root);
	free(d->xap);
	free(d->gw);
	free(d);
	return 0;
}

static void test_tiny(void **state)
{
	dirs_t *d = *state;
	corpus_t c = tiny();
	build_xapian(d->xap, &c);
	build_gw(d->gw, &c);
	compare_dbs(d->xap, d->gw, tiny_slots);
}

/* ------------------------------------------------------------ generated */

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

#define VOCAB 20000

typedef struct {
	char words[VOCAB][12];
	size_t lens[VOCAB];
	double cdf[VOCAB];
	char data[64][40];
	size_t nops;
	op_t *ops;
	tdoc_t *docs;
} gen_t;

/* N documents from docid FIRST on (a gap of 3 after every hundredth):
 * terms Zipf-distributed over the vocabulary (some of them non-ASCII), a
 * boolean id term, values in slots 0 and 3, data on most; every 50th
 * document is long, so that its commonest terms have long position lists. */
static corpus_t generate(gen_t *g, size_t n, unsigned first, uint64_t seed)
{
	rng_state = seed;
	double sum = 0;
	for (size_t r = 0; r < VOCAB; r++) {
		g->lens[r] = (size_t)snprintf(g->words[r], sizeof g->words[r],
					      r % 7 == 3 ? "\xc3\xa9%zx" : "w%zu", r);
		sum += 1.0 / (double)(r + 1);
		g->cdf[r] = sum;
	}
	size_t cap = 0;
	size_t *len = malloc(n * sizeof *len);
	for (size_t i = 0; i < n; i++) {
		len[i] = i % 50 == 49 ? 2500 : 5 + rng() % 120;
		cap += len[i] + 8;
	}
	g->ops = malloc(cap * sizeof *g->ops);
	g->docs = malloc(n * sizeof *g->docs);
	for (size_t k = 0; k < 64; k++)
		snprintf(g->data[k], sizeof g->data[k], "data %zu of the batch", k);
	static char ids[4000][12], vals[4000][12];
	static const char *const cats[] = { "red", "green", "blue", "\xc3\xa9t\xc3\xa9", "a\0b" };
	size_t at = 0;
	unsigned did = first;
	for (size_t i = 0; i < n; i++, did++) {
		if (i && i % 100 == 0)
			did += 3;
		op_t *o = g->ops + at;
		size_t k = 0;
		for (unsigned p = 1; p <= len[i]; p++) {
			double u = (double)(rng() >> 11) / 9007199254740992.0 * sum;
			size_t lo = 0, hi = VOCAB - 1;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (g->cdf[mid] < u)
					lo = mid + 1;
				else
					hi = mid;
			}
			o[k++] = (op_t){ 'p', g->words[lo], g->lens[lo], p, 1 + (p % 17 == 0), NULL, 0 };
		}
		size_t id = i % 4000;
		int idl = snprintf(ids[id], sizeof ids[id], "Q%u", did);
		o[k++] = (op_t){ 't', ids[id], (size_t)idl, 0, 0, NULL, 0 };
		int vl = snprintf(vals[id], sizeof vals[id], "%08u", did * 2654435761u % 100000);
		o[k++] = (op_t){ 'v', vals[id], (size_t)vl, 0, 0, NULL, 0 };
		if (i % 3 == 0) {
			const char *c = cats[i / 3 % 5];
			o[k++] = (op_t){ 'v', c, i / 3 % 5 == 4 ? 3 : strlen(c), 3, 0, NULL, 0 };
		}
		if (i % 7 != 0)
			o[k++] = (op_t){ 'd', g->data[i % 64], strlen(g->data[i % 64]), 0, 0, NULL, 0 };
		g->docs[i] = (tdoc_t){ did, o, k };
		at += k;
	}
	free(len);
	return (corpus_t){ g->docs, n, NULL, 0 };
}

static void gen_free(gen_t *g)
{
	free(g->ops);
	free(g->docs);
	free(g);
}

static const int gen_slots[] = { 0, 1, 3, -1 };

static void test_generated(void **state)
{
	dirs_t *d = *state;
	gen_t *g = calloc(1, sizeof *g);
	corpus_t c = generate(g, 3000, 1, 42);
	build_xapian(d->xap, &c);
	build_gw(d->gw, &c);
	compare_dbs(d->xap, d->gw, gen_slots);
	/* what the batch was made to hold: a posting list of several chunks
	 * (at least 2 bytes an entry, a chunk ends past 2000), a long
	 * position list (document 50 has 2500 words) */
	xap_db_t *db = open_read(d->gw);
	unsigned tf, *pos;
	size_t n;
	DBOK(db, xap_db_term_freq(db, "w0", 2, &tf));
	assert_true(tf > 2500);
	DBOK(db, xap_db_positions(db, 50, "w0", 2, &pos, &n));
	assert_true(n > 150);
	free(pos);
	xap_db_destroy(db);
	gen_free(g);
}

/* A document with a megabyte of data (a tag of many items). */
static void test_big_data(void **state)
{
	dirs_t *d = *state;
	size_t n = 1 << 20;
	char *big = malloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(i * 7 + i / 4096);
	op_t ops[] = { P("big", 1, 1), { 'd', big, n, 0, 0, NULL, 0 } };
	op_t small[] = { P("small", 1, 1), D("after") };
	tdoc_t docs[] = { { 1, small, N(small) }, { 2, ops, N(ops) }, { 3, small, N(small) } };
	corpus_t c = { docs, N(docs), NULL, 0 };
	build_xapian(d->xap, &c);
	build_gw(d->gw, &c);
	compare_dbs(d->xap, d->gw, (const int[]){ -1 });
	free(big);
}

/* Two gw databases of disjoint docids, merged by Xapian's compactor
 * keeping docids, and by lode's (glass_compact: renumbering, data kept
 * raw), read as Xapian's one database of all the documents. */
static void test_compact(void **state)
{
	dirs_t *d = *state;
	gen_t *g = calloc(1, sizeof *g);
	corpus_t all = generate(g, 400, 1, 7);
	corpus_t lo = all, hi = all;
	lo.n = 180;
	hi.docs += 180;
	hi.n -= 180;
	char *a = tu_path(d->root, "a"), *b = tu_path(d->root, "b"), *m = tu_path(d->root, "m");
	build_gw(a, &lo);
	build_gw(b, &hi);
	build_xapian(d->xap, &all);
	char *err = NULL;
	OK(xap_compact_keep_docids((const char *const[]){ a, b }, 2, m, &err), err);
	compare_dbs(d->xap, m, gen_slots);
	/* lode's own compaction renumbers: B's docids follow A's last here */
	char *r = tu_path(d->root, "r");
	assert_int_equal(lo.docs[lo.n - 1].docid + 1, hi.docs[0].docid);
	OK(glass_compact((const char *const[]){ a, b }, 2, r, 0, &err), err);
	compare_dbs(d->xap, r, gen_slots);
	free(a);
	free(b);
	free(m);
	free(r);
	gen_free(g);
}

/* Xapian's writer deletes, replaces and adds documents in a gw database
 * as in its own. */
static void test_xapian_updates(void **state)
{
	dirs_t *d = *state;
	corpus_t c = tiny();
	build_xapian(d->xap, &c);
	build_gw(d->gw, &c);
	static const op_t repl[] = { P("hello", 1, 1), P("new", 2, 1), V(5, "a"), D("replaced") };
	static const op_t added[] = { P("world", 1, 1), T("Qadded", 0), D("added") };
	const char *dirs[] = { d->xap, d->gw };
	for (int i = 0; i < 2; i++) {
		xap_db_t *db = NULL;
		char *err = NULL;
		OK(xap_db_open_write(dirs[i], XAP_DB_OPEN, 0, &db, &err), err);
		DBOK(db, xap_db_delete_doc(db, 1));
		xap_doc_t *doc = NULL;
		assert_int_equal(xap_doc_new(&doc), XAP_OK);
		for (size_t j = 0; j < N(repl); j++)
			apply_xap(doc, &repl[j]);
		DBOK(db, xap_db_replace_doc(db, 5, doc));
		xap_doc_destroy(doc);
		assert_int_equal(xap_doc_new(&doc), XAP_OK);
		for (size_t j = 0; j < N(added); j++)
			apply_xap(doc, &added[j]);
		unsigned id;
		DBOK(db, xap_db_add_doc(db, doc, &id));
		assert_int_equal(id, 41);
		xap_doc_destroy(doc);
		DBOK(db, xap_db_set_metadata(db, "k1", "v3", 2));
		DBOK(db, xap_db_commit(db));
		xap_db_destroy(db);
	}
	compare_dbs(d->xap, d->gw, tiny_slots);
}

/* ---------------------------------------------------------------- misuse */

/* Each misuse fails that call with a message and leaves the writer as it
 * was: the database it finishes holds just the good document. */
static void test_misuse(void **state)
{
	dirs_t *d = *state;
	char t246[246];
	memset(t246, 't', sizeof t246);
	char nuls[245];
	memset(nuls, 0, sizeof nuls);
	gw_t *w = gw_new(d->gw, NULL);
	assert_non_null(w);
	assert_string_equal(gw_error(w), "");
	assert_int_equal(gw_posting(w, "a", 1, 1, 1), -1);  /* outside a document */
	assert_int_equal(gw_doc_end(w), -1);
	assert_int_equal(gw_doc_begin(w, 0), -1);
	assert_int_equal(gw_doc_begin(w, 3), 0);
	assert_int_equal(gw_doc_begin(w, 4), -1);           /* inside one */
	assert_int_equal(gw_finish(w), -1);
	assert_int_equal(gw_posting(w, "", 0, 1, 1), -1);   /* empty term */
	assert_int_equal(gw_posting(w, t246, 246, 1, 1), -1);
	assert_int_equal(gw_term(w, nuls, 245, 1), -1);      /* 490 bytes escaped */
	assert_int_equal(gw_posting(w, t246, 245, 1, 1), 0);
	assert_int_equal(gw_posting(w, "ok", 2, 2, 1), 0);
	assert_string_not_equal(gw_error(w), "");
	assert_int_equal(gw_doc_end(w), 0);
	assert_int_equal(gw_doc_begin(w, 3), -1);           /* not above the last */
	assert_int_equal(gw_metadata(w, "", 0, "v", 1), -1);
	assert_int_equal(gw_metadata(w, t246, 254, "v", 1), -1);
	assert_int_equal(gw_finish(w), 0);
	assert_int_equal(gw_doc_begin(w, 9), -1);           /* finished */
	assert_int_equal(gw_finish(w), -1);
	gw_free(w);

	xap_db_t *db = open_read(d->gw);
	unsigned n, last, tf;
	DBOK(db, xap_db_doc_count(db, &n));
	DBOK(db, xap_db_last_docid(db, &last));
	DBOK(db, xap_db_term_freq(db, "ok", 2, &tf));
	assert_int_equal(n, 1);
	assert_int_equal(last, 3);
	assert_int_equal(tf, 1);
	xap_db_destroy(db);

	/* a directory with something in it is refused */
	char *err = NULL;
	assert_null(gw_new(d->gw, &err));
	assert_non_null(strstr(err, "not empty"));
	free(err);
}

/* Without gw_finish nothing is left behind; an empty batch is an empty
 * database. */
static void test_abandon_and_empty(void **state)
{
	dirs_t *d = *state;
	gw_t *w = gw_new(d->gw, NULL);
	assert_int_equal(gw_doc_begin(w, 1), 0);
	assert_int_equal(gw_data(w, "x", 1), 0);
	assert_int_equal(gw_doc_end(w), 0);
	gw_free(w);
	char *err = NULL;
	xap_db_t *db = NULL;
	assert_int_not_equal(xap_db_open_read(d->gw, &db, &err), XAP_OK);
	free(err);
	tu_rmtree(d->gw); /* in case */

	corpus_t none = { NULL, 0, NULL, 0 };
	build_xapian(d->xap, &none);
	build_gw(d->gw, &none);
	compare_dbs(d->xap, d->gw, (const int[]){ 0, -1 });
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tiny, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xapian_updates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abandon_and_empty, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
