/* dbcmp.c - see dbcmp.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glass_writer.h"
#include "dbcmp.h"
#include "testutil.h"
#include "xaptest.h"

void dc_apply_xap(xap_doc_t *doc, const op_t *o)
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

void dc_build_xapian_every(const char *dir, const corpus_t *c, size_t every)
{
	xap_db_t *db = NULL;
	char *err = NULL;
	OK(xap_db_open_write(dir, XAP_DB_CREATE | XAP_DB_NO_SYNC, 0, &db, &err), err);
	for (size_t i = 0; i < c->n; i++) {
		xap_doc_t *doc = NULL;
		assert_int_equal(xap_doc_new(&doc), XAP_OK);
		for (size_t j = 0; j < c->docs[i].n; j++)
			dc_apply_xap(doc, &c->docs[i].ops[j]);
		DBOK(db, xap_db_replace_doc(db, c->docs[i].docid, doc));
		xap_doc_destroy(doc);
		if (every && (i + 1) % every == 0)
			DBOK(db, xap_db_commit(db));
	}
	for (size_t i = 0; i < c->nmeta; i++)
		set_meta_xap(db, &c->meta[i]);
	DBOK(db, xap_db_commit(db));
	xap_db_destroy(db);
}

void dc_build_xapian(const char *dir, const corpus_t *c)
{
	dc_build_xapian_every(dir, c, 0);
}

void dc_build_gw(const char *dir, const corpus_t *c)
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

xap_db_t *dc_open_read(const char *path)
{
	xap_db_t *db = NULL;
	char *err = NULL;
	OK(xap_db_open_read(path, &db, &err), err);
	return db;
}

/* The statistics of PATH's version file: doccount, last docid, doclen
 * lower bound, wdf upper bound, doclen upper bound, total length. */
void dc_version_stats(const char *path, uint64_t st[6])
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
void dc_compare_dbs(const char *want, const char *got, const int *slots)
{
	size_t errors = 1;
	char *report = NULL;
	OK(xap_db_check(got, &errors, &report), report);
	if (errors)
		print_error("check: %s\n", report);
	assert_int_equal(errors, 0);

	xap_db_t *a = dc_open_read(want), *b = dc_open_read(got);
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
	dc_version_stats(want, sa);
	dc_version_stats(got, sb);
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


/* ------------------------------------------------------------ generated */

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}



/* N documents from docid FIRST on (a gap of 3 after every hundredth):
 * terms Zipf-distributed over the vocabulary (some of them non-ASCII), a
 * boolean id term, values in slots 0 and 3, data on most; every 50th
 * document is long, so that its commonest terms have long position lists. */
corpus_t dc_generate(gen_t *g, size_t n, unsigned first, uint64_t seed)
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

void dc_gen_free(gen_t *g)
{
	free(g->ops);
	free(g->docs);
	free(g);
}

const int dc_gen_slots[] = { 0, 1, 3, -1 };