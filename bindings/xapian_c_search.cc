/* xapian_c_search.cc - queries, enquire sessions and result pages of
 * xapian_c.h (see xapian_c.cc for the shape every entry point has).
 *
 * Query constructors have no handle to keep a message on, so they return
 * NULL for any failure (out of memory or an invalid argument).
 */
#include "xapian_c_impl.hh"

#include <cstring>
#include <vector>

using namespace xapc;

/* ------------------------------------------------------------ queries */

/* Wrap Q in a new handle; NULL when out of memory. */
static xap_query_t *wrap(const Xapian::Query &q) noexcept
{
	try {
		return new xap_query_t{q};
	} catch (...) {
		return NULL;
	}
}

extern "C" xap_query_t *xap_query_term(const char *term, size_t len, unsigned wqf, unsigned pos)
{
	try {
		return wrap(Xapian::Query(str(term, len), wqf, pos));
	} catch (...) {
		return NULL;
	}
}

static Xapian::Query::op xapian_op(xap_op_t op)
{
	switch (op) {
	case XAP_OP_AND: return Xapian::Query::OP_AND;
	case XAP_OP_OR: return Xapian::Query::OP_OR;
	case XAP_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
	case XAP_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
	case XAP_OP_FILTER: return Xapian::Query::OP_FILTER;
	case XAP_OP_PHRASE: return Xapian::Query::OP_PHRASE;
	case XAP_OP_NEAR: return Xapian::Query::OP_NEAR;
	case XAP_OP_XOR: return Xapian::Query::OP_XOR;
	case XAP_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
	case XAP_OP_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
	}
	throw Xapian::InvalidArgumentError("unknown query operator");
}

extern "C" xap_query_t *xap_query_combine(xap_op_t op, xap_query_t *const *subs, size_t n,
					  unsigned window)
{
	try {
		need(subs || n == 0, "xap_query_combine: NULL sub-queries");
		std::vector<Xapian::Query> v;
		v.reserve(n);
		for (size_t i = 0; i < n; i++) {
			need(subs[i] != NULL, "xap_query_combine: NULL sub-query");
			v.push_back(subs[i]->q);
		}
		return wrap(Xapian::Query(xapian_op(op), v.begin(), v.end(), window));
	} catch (...) {
		return NULL;
	}
}

extern "C" xap_query_t *xap_query_match_all(void)
{
	return wrap(Xapian::Query::MatchAll);
}

extern "C" xap_query_t *xap_query_match_nothing(void)
{
	return wrap(Xapian::Query::MatchNothing);
}

extern "C" xap_query_t *xap_query_value_range(unsigned slot, const char *lo, const char *hi)
{
	try {
		if (lo && hi)
			return wrap(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi));
		if (hi)
			return wrap(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi));
		/* VALUE_GE "" matches every document with a value in SLOT */
		return wrap(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo ? lo : ""));
	} catch (...) {
		return NULL;
	}
}

extern "C" xap_query_t *xap_query_wildcard_limit(const char *prefix, size_t len,
						 unsigned max_expansion, xap_wildcard_limit_t limit)
{
	try {
		/* no limit: LIMIT_MOST_FREQUENT would keep the "0 most frequent" */
		int type = Xapian::Query::WILDCARD_LIMIT_ERROR;
		if (max_expansion == 0)
			limit = XAP_WILDCARD_ERROR;
		switch (limit) {
		case XAP_WILDCARD_MOST_FREQUENT: type = Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT; break;
		case XAP_WILDCARD_FIRST: type = Xapian::Query::WILDCARD_LIMIT_FIRST; break;
		case XAP_WILDCARD_ERROR: type = Xapian::Query::WILDCARD_LIMIT_ERROR; break;
		default: return NULL;
		}
		return wrap(Xapian::Query(Xapian::Query::OP_WILDCARD, str(prefix, len),
					  max_expansion, type, Xapian::Query::OP_SYNONYM));
	} catch (...) {
		return NULL;
	}
}

extern "C" xap_query_t *xap_query_wildcard(const char *prefix, size_t len, unsigned max_expansion)
{
	return xap_query_wildcard_limit(prefix, len, max_expansion, XAP_WILDCARD_MOST_FREQUENT);
}

extern "C" xap_query_t *xap_query_scale(xap_query_t *q, double factor)
{
	try {
		need(q != NULL, "xap_query_scale: NULL query");
		return wrap(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor));
	} catch (...) {
		return NULL;
	}
}

extern "C" xap_query_t *xap_query_copy(xap_query_t *q)
{
	return q ? wrap(q->q) : NULL;
}

extern "C" int xap_query_is_empty(const xap_query_t *q)
{
	return !q || q->q.empty();
}

extern "C" char *xap_query_describe(const xap_query_t *q)
{
	try {
		return dup_out(q ? q->q.get_description() : std::string("(NULL)"));
	} catch (...) {
		return NULL;
	}
}

extern "C" void xap_query_destroy(xap_query_t *q)
{
	delete q;
}

/* ------------------------------------------------------------ enquire */

extern "C" xap_status_t xap_enquire_new(xap_db_t *db, xap_enquire_t **out, char **errmsg)
{
	std::string err;
	if (errmsg)
		*errmsg = NULL;
	if (out)
		*out = NULL;
	try {
		need(db && out, "xap_enquire_new: NULL argument");
		*out = new xap_enquire_t(db->db);
		return XAP_OK;
	} catch (...) {
		return ctor_fail(classify(err), err, errmsg);
	}
}

extern "C" void xap_enquire_destroy(xap_enquire_t *e)
{
	delete e;
}

extern "C" const char *xap_enquire_errmsg(const xap_enquire_t *e)
{
	return e ? e->err.c_str() : "";
}

extern "C" xap_status_t xap_enquire_set_query(xap_enquire_t *e, const xap_query_t *q)
{
	if (!e)
		return XAP_INTERNAL;
	try {
		need(q != NULL, "xap_enquire_set_query: NULL query");
		e->enq.set_query(q->q);
		e->has_query = true;
		return XAP_OK;
	} catch (...) {
		return classify(e->err);
	}
}

extern "C" xap_status_t xap_enquire_set_bm25(xap_enquire_t *e, const xap_bm25_t *p)
{
	if (!e)
		return XAP_INTERNAL;
	try {
		const xap_bm25_t defaults = XAP_BM25_DEFAULTS;
		if (!p)
			p = &defaults;
		e->enq.set_weighting_scheme(Xapian::BM25Weight(p->k1, p->k2, p->k3, p->b,
							       p->min_normlen));
		return XAP_OK;
	} catch (...) {
		return classify(e->err);
	}
}

extern "C" xap_status_t xap_enquire_sort_relevance_then_value(xap_enquire_t *e, unsigned slot,
							      int reverse)
{
	if (!e)
		return XAP_INTERNAL;
	try {
		e->enq.set_sort_by_relevance_then_value(slot, reverse != 0);
		return XAP_OK;
	} catch (...) {
		return classify(e->err);
	}
}

extern "C" xap_status_t xap_enquire_sort_value_then_relevance(xap_enquire_t *e, unsigned slot,
							      int reverse)
{
	if (!e)
		return XAP_INTERNAL;
	try {
		e->enq.set_sort_by_value_then_relevance(slot, reverse != 0);
		return XAP_OK;
	} catch (...) {
		return classify(e->err);
	}
}

extern "C" xap_status_t xap_enquire_sort_relevance(xap_enquire_t *e)
{
	if (!e)
		return XAP_INTERNAL;
	try {
		e->enq.set_sort_by_relevance();
		return XAP_OK;
	} catch (...) {
		return classify(e->err);
	}
}

extern "C" xap_status_t xap_enquire_set_collapse(xap_enquire_t *e, int slot, unsigned max)
{
	if (!e)
		return XAP_INTERNAL;
	try {
		if (slot < 0)
			e->enq.set_collapse_key(Xapian::BAD_VALUENO);
		else
			e->enq.set_collapse_key((Xapian::valueno)slot, max ? max : 1);
		return XAP_OK;
	} catch (...) {
		return classify(e->err);
	}
}

extern "C" xap_status_t xap_enquire_mset(xap_enquire_t *e, unsigned offset, unsigned limit,
					 unsigned check_at_least, xap_mset_t **out)
{
	if (out)
		*out = NULL;
	if (!e)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_enquire_mset: NULL output");
		if (!e->has_query)
			throw Xapian::InvalidOperationError("xap_enquire_mset: no query set");
		Xapian::MSet m = e->enq.get_mset(offset, limit, check_at_least);
		*out = new xap_mset_t{m, std::string()};
		return XAP_OK;
	} catch (...) {
		return classify(e->err);
	}
}

extern "C" xap_status_t xap_enquire_matching_terms(xap_enquire_t *e, unsigned docid,
						   xap_termlist_t **out)
{
	if (out)
		*out = NULL;
	if (!e)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_enquire_matching_terms: NULL output");
		if (!e->has_query)
			throw Xapian::InvalidOperationError("xap_enquire_matching_terms: no query set");
		*out = new_termlist(xap_termlist_t::MATCHING, e->enq.get_matching_terms_begin(docid),
				    e->enq.get_matching_terms_end(docid));
		return XAP_OK;
	} catch (...) {
		return classify(e->err);
	}
}

extern "C" xap_status_t xap_enquire_eset(xap_enquire_t *e, const unsigned *rset, size_t n_rset,
					 unsigned max, xap_termlist_t **out)
{
	if (out)
		*out = NULL;
	if (!e)
		return XAP_INTERNAL;
	try {
		need(out != NULL && (rset || n_rset == 0), "xap_enquire_eset: NULL argument");
		Xapian::RSet rs;
		for (size_t i = 0; i < n_rset; i++)
			rs.add_document(rset[i]);
		xap_termlist_t *tl = new xap_termlist_t;
		tl->kind = xap_termlist_t::ESET;
		try {
			tl->eset = e->enq.get_eset(max, rs);
			tl->eit = tl->eset.begin();
		} catch (...) {
			delete tl;
			throw;
		}
		*out = tl;
		return XAP_OK;
	} catch (...) {
		return classify(e->err);
	}
}

/* ------------------------------------------------------------ result pages */

extern "C" void xap_mset_destroy(xap_mset_t *m)
{
	delete m;
}

extern "C" const char *xap_mset_errmsg(const xap_mset_t *m)
{
	return m ? m->err.c_str() : "";
}

extern "C" size_t xap_mset_size(const xap_mset_t *m)
{
	return m ? m->m.size() : 0;
}

extern "C" unsigned xap_mset_matches_estimated(const xap_mset_t *m)
{
	return m ? m->m.get_matches_estimated() : 0;
}

extern "C" unsigned xap_mset_matches_lower(const xap_mset_t *m)
{
	return m ? m->m.get_matches_lower_bound() : 0;
}

extern "C" unsigned xap_mset_matches_upper(const xap_mset_t *m)
{
	return m ? m->m.get_matches_upper_bound() : 0;
}

extern "C" xap_status_t xap_mset_item(xap_mset_t *m, size_t i, unsigned *docid, double *weight)
{
	if (docid)
		*docid = 0;
	if (weight)
		*weight = 0;
	if (!m)
		return XAP_INTERNAL;
	try {
		need(i < m->m.size(), "xap_mset_item: index past the end of the page");
		Xapian::MSetIterator it = m->m[(Xapian::doccount)i];
		if (docid)
			*docid = *it;
		if (weight)
			*weight = it.get_weight();
		return XAP_OK;
	} catch (...) {
		return classify(m->err);
	}
}

extern "C" xap_status_t xap_mset_doc(xap_mset_t *m, size_t i, xap_doc_t **out)
{
	if (out)
		*out = NULL;
	if (!m)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_mset_doc: NULL output");
		need(i < m->m.size(), "xap_mset_doc: index past the end of the page");
		Xapian::Document d = m->m[(Xapian::doccount)i].get_document();
		xap_doc_t *doc = new xap_doc_t;
		doc->doc = d;
		doc->from_db = true;
		*out = doc;
		return XAP_OK;
	} catch (...) {
		return classify(m->err);
	}
}
