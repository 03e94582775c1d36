/* xapian_c_inspect.cc - what a test needs to compare two databases through
 * Xapian's API beyond what the rest of xapian_c.h offers: replace by
 * docid, posting lists with wdf, document lengths and the bounds Xapian
 * keeps, value statistics, a document's value slots, compaction that keeps
 * docids. Declared in the "inspect" block at the end of xapian_c.h; same
 * shape as every entry point there (try, classify). */
#include "xapian_c_impl.hh"

#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

using namespace xapc;

/* V as a malloc'd array (*OUT; caller frees), *N entries. */
static void to_c(const std::vector<unsigned> &v, unsigned **out, size_t *n)
{
	unsigned *p = static_cast<unsigned *>(malloc((v.size() ? v.size() : 1) * sizeof *p));
	if (!p)
		throw std::bad_alloc();
	if (!v.empty())
		memcpy(p, v.data(), v.size() * sizeof *p);
	*out = p;
	*n = v.size();
}

extern "C" xap_status_t xap_db_replace_doc(xap_db_t *db, unsigned docid, const xap_doc_t *doc)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		need(doc != NULL && docid > 0, "xap_db_replace_doc: NULL document or docid 0");
		need(db->writable, "xap_db_replace_doc: database not writable");
		db->wdb.replace_document(docid, doc->doc);
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_postlist_wdf(xap_db_t *db, const char *term, size_t len,
					    unsigned **docids, unsigned **wdfs, size_t *n)
{
	if (docids)
		*docids = NULL;
	if (wdfs)
		*wdfs = NULL;
	if (n)
		*n = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(docids && wdfs && n, "xap_db_postlist_wdf: NULL output");
		std::string t = str(term, len);
		std::vector<unsigned> d, w;
		for (Xapian::PostingIterator it = db->db.postlist_begin(t);
		     it != db->db.postlist_end(t); ++it) {
			d.push_back(*it);
			w.push_back(it.get_wdf());
		}
		size_t m;
		to_c(d, docids, n);
		try {
			to_c(w, wdfs, &m);
		} catch (...) {
			free(*docids);
			*docids = NULL;
			*n = 0;
			throw;
		}
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_doclength(xap_db_t *db, unsigned docid, unsigned *out)
{
	if (out)
		*out = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_db_doclength: NULL output");
		*out = db->db.get_doclength(docid);
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_doclength_bounds(xap_db_t *db, unsigned *lo, unsigned *hi)
{
	if (lo)
		*lo = 0;
	if (hi)
		*hi = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(lo && hi, "xap_db_doclength_bounds: NULL output");
		*lo = db->db.get_doclength_lower_bound();
		*hi = db->db.get_doclength_upper_bound();
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_wdf_upper_bound(xap_db_t *db, const char *term, size_t len,
					       unsigned *out)
{
	if (out)
		*out = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(out != NULL && len > 0, "xap_db_wdf_upper_bound: NULL output or empty term");
		*out = db->db.get_wdf_upper_bound(str(term, len));
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_value_stats(xap_db_t *db, unsigned slot, unsigned *freq,
					   char **lo, size_t *lolen, char **hi, size_t *hilen)
{
	if (freq)
		*freq = 0;
	if (lo)
		*lo = NULL;
	if (hi)
		*hi = NULL;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(freq && lo && lolen && hi && hilen, "xap_db_value_stats: NULL output");
		std::string l = db->db.get_value_lower_bound(slot);
		std::string h = db->db.get_value_upper_bound(slot);
		*freq = db->db.get_value_freq(slot);
		*lo = dup_out(l);
		try {
			*hi = dup_out(h);
		} catch (...) {
			free(*lo);
			*lo = NULL;
			throw;
		}
		*lolen = l.size();
		*hilen = h.size();
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_doc_values(xap_doc_t *doc, unsigned **slots, size_t *n)
{
	if (slots)
		*slots = NULL;
	if (n)
		*n = 0;
	if (!doc)
		return XAP_INTERNAL;
	try {
		need(slots && n, "xap_doc_values: NULL output");
		std::vector<unsigned> v;
		for (Xapian::ValueIterator it = doc->doc.values_begin(); it != doc->doc.values_end();
		     ++it)
			v.push_back(it.get_valueno());
		to_c(v, slots, n);
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

extern "C" xap_status_t xap_compact_keep_docids(const char *const *srcs, size_t n_srcs,
						const char *dest, char **errmsg)
{
	std::string err;
	if (errmsg)
		*errmsg = NULL;
	try {
		need(srcs && n_srcs > 0 && dest, "xap_compact_keep_docids: no sources or no destination");
		Xapian::Database all;
		for (size_t i = 0; i < n_srcs; i++) {
			need(srcs[i] != NULL, "xap_compact_keep_docids: NULL source");
			all.add_database(Xapian::Database(srcs[i]));
		}
		all.compact(dest, Xapian::DBCOMPACT_NO_RENUMBER);
		return XAP_OK;
	} catch (...) {
		return ctor_fail(classify(err), err, errmsg);
	}
}
