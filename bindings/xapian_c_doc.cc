/* xapian_c_doc.cc - documents, term iteration and the stemmer of
 * xapian_c.h (see xapian_c.cc for the shape every entry point has).
 */
#include "xapian_c_impl.hh"

#include <cstring>

using namespace xapc;

/* ------------------------------------------------------------ documents */

extern "C" xap_status_t xap_doc_new(xap_doc_t **out)
{
	std::string err;
	if (!out)
		return XAP_INVALID;
	*out = NULL;
	try {
		*out = new xap_doc_t;
		return XAP_OK;
	} catch (...) {
		return classify(err);
	}
}

extern "C" void xap_doc_destroy(xap_doc_t *doc)
{
	delete doc;
}

extern "C" const char *xap_doc_errmsg(const xap_doc_t *doc)
{
	return doc ? doc->err.c_str() : "";
}

extern "C" xap_status_t xap_doc_add_posting(xap_doc_t *doc, const char *term, size_t len,
					    unsigned pos, unsigned wdf_inc)
{
	if (!doc)
		return XAP_INTERNAL;
	try {
		doc->doc.add_posting(str(term, len), pos, wdf_inc);
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

extern "C" xap_status_t xap_doc_add_term(xap_doc_t *doc, const char *term, size_t len, unsigned wdf_inc)
{
	if (!doc)
		return XAP_INTERNAL;
	try {
		doc->doc.add_term(str(term, len), wdf_inc);
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

extern "C" xap_status_t xap_doc_add_boolean_term(xap_doc_t *doc, const char *term, size_t len)
{
	if (!doc)
		return XAP_INTERNAL;
	try {
		doc->doc.add_boolean_term(str(term, len));
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

extern "C" xap_status_t xap_doc_set_data(xap_doc_t *doc, const char *data, size_t len)
{
	if (!doc)
		return XAP_INTERNAL;
	try {
		doc->doc.set_data(str(data, len));
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

extern "C" xap_status_t xap_doc_add_value(xap_doc_t *doc, unsigned slot, const char *val, size_t len)
{
	if (!doc)
		return XAP_INTERNAL;
	try {
		need(slot != Xapian::BAD_VALUENO, "xap_doc_add_value: bad slot");
		doc->doc.add_value(slot, str(val, len));
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

extern "C" xap_status_t xap_doc_get_data(xap_doc_t *doc, const char **data, size_t *len)
{
	if (data)
		*data = NULL;
	if (len)
		*len = 0;
	if (!doc)
		return XAP_INTERNAL;
	try {
		need(data != NULL, "xap_doc_get_data: NULL output");
		doc->out = doc->doc.get_data();
		*data = doc->out.c_str();
		if (len)
			*len = doc->out.size();
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

extern "C" xap_status_t xap_doc_get_value(xap_doc_t *doc, unsigned slot, const char **val, size_t *len)
{
	if (val)
		*val = NULL;
	if (len)
		*len = 0;
	if (!doc)
		return XAP_INTERNAL;
	try {
		need(val != NULL, "xap_doc_get_value: NULL output");
		doc->out = doc->doc.get_value(slot);
		*val = doc->out.c_str();
		if (len)
			*len = doc->out.size();
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

extern "C" xap_status_t xap_doc_clear(xap_doc_t *doc)
{
	if (!doc)
		return XAP_INTERNAL;
	try {
		doc->doc.clear_terms();
		doc->doc.clear_values();
		doc->doc.set_data(std::string());
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

/* ------------------------------------------------------- term iteration */

xap_termlist_t *xapc::new_termlist(xap_termlist_t::kind_t kind, Xapian::TermIterator begin,
				    Xapian::TermIterator end)
{
	xap_termlist_t *tl = new xap_termlist_t;
	tl->kind = kind;
	tl->it = begin;
	tl->end = end;
	return tl;
}

extern "C" xap_status_t xap_doc_termlist(xap_doc_t *doc, xap_termlist_t **out)
{
	if (out)
		*out = NULL;
	if (!doc)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_doc_termlist: NULL output");
		*out = new_termlist(doc->from_db ? xap_termlist_t::DOCTERMS_DB : xap_termlist_t::DOCTERMS,
				    doc->doc.termlist_begin(), doc->doc.termlist_end());
		return XAP_OK;
	} catch (...) {
		return classify(doc->err);
	}
}

extern "C" xap_status_t xap_db_allterms(xap_db_t *db, const char *prefix, xap_termlist_t **out)
{
	if (out)
		*out = NULL;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_db_allterms: NULL output");
		std::string p = prefix ? prefix : "";
		*out = new_termlist(xap_termlist_t::ALLTERMS, db->db.allterms_begin(p),
				    db->db.allterms_end(p));
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_metadata_keys(xap_db_t *db, const char *prefix, xap_termlist_t **out)
{
	if (out)
		*out = NULL;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_db_metadata_keys: NULL output");
		std::string p = prefix ? prefix : "";
		*out = new_termlist(xap_termlist_t::KEYS, db->db.metadata_keys_begin(p),
				    db->db.metadata_keys_end(p));
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" int xap_termlist_next(xap_termlist_t *tl, const char **term, size_t *len)
{
	if (term)
		*term = NULL;
	if (len)
		*len = 0;
	if (!tl || tl->done)
		return 0;
	try {
		bool at_end;
		if (tl->kind == xap_termlist_t::ESET) {
			if (tl->started)
				++tl->eit;
			at_end = tl->eit == tl->eset.end();
			if (!at_end)
				tl->cur = *tl->eit;
		} else {
			if (tl->started)
				++tl->it;
			at_end = tl->it == tl->end;
			if (!at_end)
				tl->cur = *tl->it;
		}
		tl->started = true;
		if (at_end) {
			tl->done = true;
			return 0;
		}
		if (term)
			*term = tl->cur.c_str();
		if (len)
			*len = tl->cur.size();
		return 1;
	} catch (...) {
		tl->st = classify(tl->err);
		tl->done = true;
		return 0;
	}
}

extern "C" void xap_termlist_current(xap_termlist_t *tl, unsigned *termfreq, unsigned *wdf,
				     double *weight)
{
	if (termfreq)
		*termfreq = 0;
	if (wdf)
		*wdf = 0;
	if (weight)
		*weight = 0;
	if (!tl || tl->done || !tl->started)
		return;
	try {
		switch (tl->kind) {
		case xap_termlist_t::ESET:
			if (weight)
				*weight = tl->eit.get_weight();
			break;
		case xap_termlist_t::DOCTERMS_DB:
			if (termfreq)
				*termfreq = tl->it.get_termfreq();
			/* fall through */
		case xap_termlist_t::DOCTERMS:
			if (wdf)
				*wdf = tl->it.get_wdf();
			break;
		case xap_termlist_t::ALLTERMS:
			if (termfreq)
				*termfreq = tl->it.get_termfreq();
			break;
		case xap_termlist_t::KEYS:
		case xap_termlist_t::MATCHING:
			break;
		}
	} catch (...) {
		tl->st = classify(tl->err);
		tl->done = true;
	}
}

extern "C" xap_status_t xap_termlist_status(const xap_termlist_t *tl)
{
	return tl ? tl->st : XAP_INTERNAL;
}

extern "C" const char *xap_termlist_errmsg(const xap_termlist_t *tl)
{
	return tl ? tl->err.c_str() : "";
}

extern "C" void xap_termlist_destroy(xap_termlist_t *tl)
{
	delete tl;
}

/* ------------------------------------------------------------ stemmer */

extern "C" xap_status_t xap_stem_new(const char *lang, xap_stem_t **out, char **errmsg)
{
	std::string err;
	if (errmsg)
		*errmsg = NULL;
	if (out)
		*out = NULL;
	try {
		need(lang && out, "xap_stem_new: NULL argument");
		xap_stem_t *st = new xap_stem_t;
		try {
			st->stem = Xapian::Stem(lang);
			/* "Xapian::Stem(english)": the canonical name, codes resolved */
			std::string d = st->stem.get_description();
			size_t open = d.find('('), close = d.rfind(')');
			if (open != std::string::npos && close != std::string::npos && close > open)
				st->name = d.substr(open + 1, close - open - 1);
			else
				st->name = lang;
		} catch (...) {
			delete st;
			throw;
		}
		*out = st;
		return XAP_OK;
	} catch (...) {
		return ctor_fail(classify(err), err, errmsg);
	}
}

extern "C" void xap_stem_destroy(xap_stem_t *st)
{
	delete st;
}

extern "C" const char *xap_stem_name(const xap_stem_t *st)
{
	return st ? st->name.c_str() : "";
}

extern "C" const char *xap_stem_errmsg(const xap_stem_t *st)
{
	return st ? st->err.c_str() : "";
}

extern "C" xap_status_t xap_stem_word(xap_stem_t *st, const char *word, size_t len,
				      const char **out, size_t *out_len)
{
	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!st)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_stem_word: NULL output");
		st->out = st->stem(str(word, len));
		*out = st->out.c_str();
		if (out_len)
			*out_len = st->out.size();
		return XAP_OK;
	} catch (...) {
		return classify(st->err);
	}
}

extern "C" const char *xap_stem_languages(void)
{
	try {
		static const std::string langs = Xapian::Stem::get_available_languages();
		return langs.c_str();
	} catch (...) {
		return "";
	}
}
