/* xapian_c_impl.hh - what the C++ files behind xapian_c.h share: the bodies
 * of the opaque handles and the error helpers. Never included from C.
 *
 * Files: xapian_c.cc (errors, databases), xapian_c_doc.cc (documents, term
 * iteration, stemmer), xapian_c_search.cc (queries, enquire, result sets).
 */
#ifndef LODE_XAPIAN_C_IMPL_HH
#define LODE_XAPIAN_C_IMPL_HH

#include "xapian_c.h"

#include <xapian.h>

#include <string>

struct xap_db {
	Xapian::Database db;          /* every read goes through this */
	Xapian::WritableDatabase wdb; /* same internals when writable */
	bool writable = false;
	bool combined = false;
	std::string err;
};

struct xap_doc {
	Xapian::Document doc;
	bool from_db = false; /* its termlist knows termfreqs */
	std::string out;      /* what get_data/get_value lend */
	std::string err;
};

struct xap_query {
	Xapian::Query q;
};

struct xap_enquire {
	Xapian::Enquire enq;
	bool has_query = false;
	std::string err;
	explicit xap_enquire(const Xapian::Database &db) : enq(db) {}
};

struct xap_mset {
	Xapian::MSet m;
	std::string err;
};

struct xap_stem {
	Xapian::Stem stem;
	std::string name; /* canonical language name */
	std::string out;  /* what xap_stem_word lends */
	std::string err;
};

/* Tagged: TERMS walks [it, end); ESET walks the ESet it holds. */
struct xap_termlist {
	enum kind_t { ALLTERMS, DOCTERMS, DOCTERMS_DB, KEYS, MATCHING, ESET } kind;
	Xapian::TermIterator it, end;
	Xapian::ESet eset;
	Xapian::ESetIterator eit;
	bool started = false; /* next() advances only after the first term */
	bool done = false;
	std::string cur;
	xap_status_t st = XAP_OK;
	std::string err;
};

namespace xapc {

/* Call only inside a catch block: rethrows the exception in flight and maps
 * it to a status, most-derived class first, leaving its text in MSG. The
 * one place that knows Xapian's exception classes. */
xap_status_t classify(std::string &msg) noexcept;

/* A constructor's failure: hand MSG over as a malloc'd *errmsg (if errmsg);
 * returns ST. */
xap_status_t ctor_fail(xap_status_t st, const std::string &msg, char **errmsg) noexcept;

/* Throw InvalidArgumentError(WHAT) unless OK, so misuse travels the same
 * road as Xapian's errors and leaves a message on the handle. */
void need(bool ok, const char *what);

/* (s, len) as a std::string; NULL with len > 0 is misuse. */
std::string str(const char *s, size_t len);

/* malloc'd NUL-terminated copy for the caller (throws bad_alloc). */
char *dup_out(const std::string &s);

/* A termlist over [begin, end) of the given kind (caller owns it). */
xap_termlist_t *new_termlist(xap_termlist_t::kind_t kind, Xapian::TermIterator begin,
			     Xapian::TermIterator end);

} // namespace xapc

#endif
