/* xapian_c.cc - the C API of xapian_c.h over Xapian 1.4: errors and
 * databases (documents, term iteration and the stemmer are in
 * xapian_c_doc.cc; queries and searching in xapian_c_search.cc).
 *
 * Every extern "C" entry point has the same shape:
 *
 *	if (!h) return XAP_INTERNAL;
 *	try { ...; return XAP_OK; } catch (...) { return classify(h->err); }
 *
 * classify() is the one place that knows Xapian's exception classes. Misuse
 * detected here (NULL arguments, a write on a read-only db) is thrown as a
 * Xapian::InvalidArgumentError/InvalidOperationError so it travels the same
 * road and leaves a message on the handle.
 */
#include "xapian_c_impl.hh"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>
#include <thread>
#include <vector>

using namespace xapc;

/* ------------------------------------------------------------ errors */

/* Copy TEXT into MSG without letting bad_alloc escape a catch block. */
static void set_msg(std::string &msg, const char *text) noexcept
{
	try {
		msg = text;
	} catch (...) {
		msg.clear();
	}
}

static void set_msg(std::string &msg, const Xapian::Error &e) noexcept
{
	try {
		msg = e.get_description();
	} catch (...) {
		set_msg(msg, e.get_msg().c_str());
	}
}

xap_status_t xapc::classify(std::string &msg) noexcept
{
	try {
		throw;
	} catch (const Xapian::DatabaseLockError &e) {
		set_msg(msg, e);
		return XAP_BUSY;
	} catch (const Xapian::DatabaseNotFoundError &e) {
		set_msg(msg, e);
		return XAP_NOT_FOUND;
	} catch (const Xapian::DocNotFoundError &e) {
		set_msg(msg, e);
		return XAP_NOT_FOUND;
	} catch (const Xapian::DatabaseModifiedError &e) {
		set_msg(msg, e);
		return XAP_RETRY;
	} catch (const Xapian::DatabaseCorruptError &e) {
		set_msg(msg, e);
		return XAP_CORRUPT;
	} catch (const Xapian::QueryParserError &e) {
		set_msg(msg, e);
		return XAP_BAD_QUERY;
	} catch (const Xapian::WildcardError &e) {
		/* the query, not the engine, is at fault: too broad a wildcard */
		set_msg(msg, e);
		return XAP_BAD_QUERY;
	} catch (const Xapian::InvalidArgumentError &e) {
		set_msg(msg, e);
		return XAP_INVALID;
	} catch (const Xapian::InvalidOperationError &e) {
		set_msg(msg, e);
		return XAP_INVALID;
	} catch (const Xapian::Error &e) { /* not a std::exception */
		set_msg(msg, e);
		return XAP_ENGINE;
	} catch (const std::bad_alloc &) {
		set_msg(msg, "out of memory");
		return XAP_NOMEM;
	} catch (const std::exception &e) {
		set_msg(msg, e.what());
		return XAP_INTERNAL;
	} catch (...) {
		set_msg(msg, "unknown C++ exception");
		return XAP_INTERNAL;
	}
}

xap_status_t xapc::ctor_fail(xap_status_t st, const std::string &msg, char **errmsg) noexcept
{
	if (errmsg)
		*errmsg = strdup(msg.empty() ? xap_status_str(st) : msg.c_str());
	return st;
}

void xapc::need(bool ok, const char *what)
{
	if (!ok)
		throw Xapian::InvalidArgumentError(what);
}

std::string xapc::str(const char *s, size_t len)
{
	need(s || len == 0, "NULL text with a non-zero length");
	return s ? std::string(s, len) : std::string();
}

char *xapc::dup_out(const std::string &s)
{
	char *p = static_cast<char *>(malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

static Xapian::WritableDatabase &writable(xap_db_t *db)
{
	if (!db->writable)
		throw Xapian::InvalidOperationError("database is open read-only");
	return db->wdb;
}

extern "C" const char *xap_status_str(xap_status_t st)
{
	static const char *const names[] = {
		"ok", "busy", "not found", "retry", "corrupt", "bad query",
		"engine error", "out of memory", "internal error", "invalid argument",
	};
	if ((unsigned)st < sizeof names / sizeof *names)
		return names[st];
	return "unknown";
}

/* ------------------------------------------------------------ databases */

extern "C" xap_status_t xap_db_open_read(const char *path, xap_db_t **out, char **errmsg)
{
	std::string err;
	if (errmsg)
		*errmsg = NULL;
	if (out)
		*out = NULL;
	try {
		need(path && out, "xap_db_open_read: NULL argument");
		xap_db_t *db = new xap_db_t;
		try {
			db->db = Xapian::Database(path);
		} catch (...) {
			delete db;
			throw;
		}
		*out = db;
		return XAP_OK;
	} catch (...) {
		return ctor_fail(classify(err), err, errmsg);
	}
}

extern "C" xap_status_t xap_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
					   xap_db_t **out, char **errmsg)
{
	std::string err;
	if (errmsg)
		*errmsg = NULL;
	if (out)
		*out = NULL;
	try {
		need(host && out, "xap_db_open_remote: NULL argument");
		useconds_t t = timeout_ms ? timeout_ms : 10000;
		xap_db_t *db = new xap_db_t;
		try {
			db->db = Xapian::Remote::open(host, port, t, t);
		} catch (...) {
			delete db;
			throw;
		}
		*out = db;
		return XAP_OK;
	} catch (...) {
		return ctor_fail(classify(err), err, errmsg);
	}
}

static int write_flags(int mode)
{
	static const int actions[] = {
		-1, Xapian::DB_CREATE_OR_OPEN, Xapian::DB_CREATE, Xapian::DB_OPEN,
		Xapian::DB_CREATE_OR_OVERWRITE,
	};
	int action = mode & 0xff;
	need(action >= 1 && action <= 4, "xap_db_open_write: unknown mode");
	need((mode & ~(0xff | XAP_DB_NO_SYNC | XAP_DB_DANGEROUS | XAP_DB_FULL_SYNC)) == 0,
	     "xap_db_open_write: unknown flag");
	int flags = actions[action] | Xapian::DB_BACKEND_GLASS;
	if (mode & XAP_DB_NO_SYNC)
		flags |= Xapian::DB_NO_SYNC;
	if (mode & XAP_DB_DANGEROUS)
		flags |= Xapian::DB_DANGEROUS;
	if (mode & XAP_DB_FULL_SYNC)
		flags |= Xapian::DB_FULL_SYNC;
	return flags;
}

/* Xapian 1.4 cannot wait for the lock with a deadline (DB_RETRY_LOCK waits
 * forever), so poll: 50 ms, then doubling up to 200 ms, never past wait_ms. */
static Xapian::WritableDatabase open_locked(const char *path, int flags, unsigned wait_ms)
{
	using clock = std::chrono::steady_clock;
	const clock::time_point start = clock::now();
	unsigned delay = 50;
	for (;;) {
		try {
			return Xapian::WritableDatabase(path, flags);
		} catch (const Xapian::DatabaseLockError &e) {
			auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
				clock::now() - start).count();
			if ((unsigned long long)waited >= wait_ms) {
				throw Xapian::DatabaseLockError(
					std::string("database ") + path +
					" is locked by another writer (waited " +
					std::to_string(waited) + " ms)", e.get_msg());
			}
			unsigned left = wait_ms - (unsigned)waited;
			std::this_thread::sleep_for(
				std::chrono::milliseconds(delay < left ? delay : left));
			if (delay < 200)
				delay *= 2;
		}
	}
}

extern "C" xap_status_t xap_db_open_write(const char *path, int mode, unsigned wait_ms,
					  xap_db_t **out, char **errmsg)
{
	std::string err;
	if (errmsg)
		*errmsg = NULL;
	if (out)
		*out = NULL;
	try {
		need(path && out, "xap_db_open_write: NULL argument");
		int flags = write_flags(mode);
		xap_db_t *db = new xap_db_t;
		try {
			db->wdb = open_locked(path, flags, wait_ms);
			db->db = db->wdb;
			db->writable = true;
		} catch (...) {
			delete db;
			throw;
		}
		*out = db;
		return XAP_OK;
	} catch (...) {
		return ctor_fail(classify(err), err, errmsg);
	}
}

extern "C" xap_status_t xap_db_new_combined(xap_db_t **out, char **errmsg)
{
	std::string err;
	if (errmsg)
		*errmsg = NULL;
	if (out)
		*out = NULL;
	try {
		need(out != NULL, "xap_db_new_combined: NULL argument");
		*out = new xap_db_t;
		(*out)->combined = true;
		return XAP_OK;
	} catch (...) {
		return ctor_fail(classify(err), err, errmsg);
	}
}

extern "C" xap_status_t xap_db_add(xap_db_t *db, xap_db_t *shard)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		need(shard != NULL, "xap_db_add: NULL shard");
		if (db->writable)
			throw Xapian::InvalidOperationError("cannot add shards to a writable database");
		db->db.add_database(shard->db);
		db->combined = true;
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" void xap_db_destroy(xap_db_t *db)
{
	try {
		delete db;
	} catch (...) {
		/* a failed implicit commit has nowhere to report to */
	}
}

extern "C" const char *xap_db_errmsg(const xap_db_t *db)
{
	return db ? db->err.c_str() : "";
}

extern "C" int xap_db_is_writable(const xap_db_t *db)
{
	return db && db->writable;
}

extern "C" xap_status_t xap_db_reopen(xap_db_t *db)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		db->db.reopen();
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_commit(xap_db_t *db)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		writable(db).commit();
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_begin_transaction(xap_db_t *db, int flushed)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		writable(db).begin_transaction(flushed != 0);
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_commit_transaction(xap_db_t *db)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		writable(db).commit_transaction();
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_cancel_transaction(xap_db_t *db)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		writable(db).cancel_transaction();
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_add_doc(xap_db_t *db, const xap_doc_t *doc, unsigned *docid_out)
{
	if (docid_out)
		*docid_out = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(doc != NULL, "xap_db_add_doc: NULL document");
		Xapian::docid id = writable(db).add_document(doc->doc);
		if (docid_out)
			*docid_out = id;
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_replace_doc_by_term(xap_db_t *db, const char *term, size_t len,
						   const xap_doc_t *doc, unsigned *docid_out)
{
	if (docid_out)
		*docid_out = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(doc != NULL && len > 0, "xap_db_replace_doc_by_term: NULL document or empty term");
		Xapian::docid id = writable(db).replace_document(str(term, len), doc->doc);
		if (docid_out)
			*docid_out = id;
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_delete_docs_by_term(xap_db_t *db, const char *term, size_t len)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		need(len > 0, "xap_db_delete_docs_by_term: empty term");
		writable(db).delete_document(str(term, len));
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_delete_doc(xap_db_t *db, unsigned docid)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		writable(db).delete_document(docid);
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_get_doc(xap_db_t *db, unsigned docid, xap_doc_t **out)
{
	if (out)
		*out = NULL;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_db_get_doc: NULL argument");
		Xapian::Document d = db->db.get_document(docid);
		xap_doc_t *doc = new xap_doc_t;
		doc->doc = d;
		doc->from_db = true;
		*out = doc;
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

/* One statistic: run GET on DB's reader into *OUT (zeroed on failure). */
template <typename T, typename F>
static xap_status_t db_stat(xap_db_t *db, T *out, F get)
{
	if (out)
		*out = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "NULL output");
		*out = static_cast<T>(get(db->db));
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_doc_count(xap_db_t *db, unsigned *out)
{
	return db_stat(db, out, [](Xapian::Database &d) { return d.get_doccount(); });
}

extern "C" xap_status_t xap_db_last_docid(xap_db_t *db, unsigned *out)
{
	return db_stat(db, out, [](Xapian::Database &d) { return d.get_lastdocid(); });
}

extern "C" xap_status_t xap_db_avg_length(xap_db_t *db, double *out)
{
	return db_stat(db, out, [](Xapian::Database &d) { return d.get_avlength(); });
}

extern "C" xap_status_t xap_db_total_length(xap_db_t *db, uint64_t *out)
{
	return db_stat(db, out, [](Xapian::Database &d) { return d.get_total_length(); });
}

extern "C" xap_status_t xap_db_revision(xap_db_t *db, uint64_t *out)
{
	return db_stat(db, out, [db](Xapian::Database &d) {
		if (db->combined)
			throw Xapian::InvalidOperationError("a combined database has no single revision");
		return d.get_revision();
	});
}

extern "C" xap_status_t xap_db_term_freq(xap_db_t *db, const char *term, size_t len, unsigned *out)
{
	return db_stat(db, out, [&](Xapian::Database &d) { return d.get_termfreq(str(term, len)); });
}

extern "C" xap_status_t xap_db_coll_freq(xap_db_t *db, const char *term, size_t len, uint64_t *out)
{
	return db_stat(db, out,
		       [&](Xapian::Database &d) { return d.get_collection_freq(str(term, len)); });
}

extern "C" xap_status_t xap_db_term_exists(xap_db_t *db, const char *term, size_t len, int *out)
{
	return db_stat(db, out, [&](Xapian::Database &d) { return d.term_exists(str(term, len)); });
}

extern "C" xap_status_t xap_db_uuid(xap_db_t *db, char **out)
{
	if (out)
		*out = NULL;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(out != NULL, "xap_db_uuid: NULL output");
		*out = dup_out(db->db.get_uuid());
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

/* The numbers from BEGIN to END into a malloc'd array *OUT of *N. */
template <typename It>
static void to_array(It begin, It end, unsigned **out, size_t *n)
{
	std::vector<unsigned> v;
	for (It it = begin; it != end; ++it)
		v.push_back(*it);
	unsigned *p = static_cast<unsigned *>(malloc((v.size() ? v.size() : 1) * sizeof *p));
	if (!p)
		throw std::bad_alloc();
	if (!v.empty())
		memcpy(p, v.data(), v.size() * sizeof *p);
	*out = p;
	*n = v.size();
}

extern "C" xap_status_t xap_db_postlist(xap_db_t *db, const char *term, size_t len,
					unsigned **docids, size_t *n)
{
	if (docids)
		*docids = NULL;
	if (n)
		*n = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(docids && n, "xap_db_postlist: NULL output");
		std::string t = str(term, len);
		to_array(db->db.postlist_begin(t), db->db.postlist_end(t), docids, n);
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_positions(xap_db_t *db, unsigned docid, const char *term,
					 size_t len, unsigned **pos, size_t *n)
{
	if (pos)
		*pos = NULL;
	if (n)
		*n = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(pos && n, "xap_db_positions: NULL output");
		std::string t = str(term, len);
		to_array(db->db.positionlist_begin(docid, t), db->db.positionlist_end(docid, t),
			 pos, n);
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_check(const char *path, size_t *errors, char **errmsg)
{
	std::string err;
	if (errmsg)
		*errmsg = NULL;
	if (errors)
		*errors = 0;
	try {
		need(path && errors, "xap_db_check: NULL argument");
		/* opts 0: the report only lists the problems found */
		std::ostringstream report;
		*errors = Xapian::Database::check(path, 0, &report);
		if (*errors && errmsg) {
			std::string text = report.str();
			if (text.size() > 4096)
				text.resize(4096);
			if (text.empty())
				text = "database check found errors";
			*errmsg = dup_out(text);
		}
		return XAP_OK;
	} catch (...) {
		return ctor_fail(classify(err), err, errmsg);
	}
}

extern "C" xap_status_t xap_db_get_metadata(xap_db_t *db, const char *key, char **val, size_t *len)
{
	if (val)
		*val = NULL;
	if (len)
		*len = 0;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(key && *key && val, "xap_db_get_metadata: NULL argument or empty key");
		std::string v = db->db.get_metadata(key);
		*val = dup_out(v);
		if (len)
			*len = v.size();
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_set_metadata(xap_db_t *db, const char *key, const char *val, size_t len)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		need(key && *key, "xap_db_set_metadata: NULL or empty key");
		writable(db).set_metadata(key, str(val, len));
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_add_spelling(xap_db_t *db, const char *word, unsigned inc)
{
	if (!db)
		return XAP_INTERNAL;
	try {
		need(word != NULL, "xap_db_add_spelling: NULL word");
		writable(db).add_spelling(word, inc);
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_db_spelling_suggestion(xap_db_t *db, const char *word,
						   unsigned max_edit_distance, char **out)
{
	if (out)
		*out = NULL;
	if (!db)
		return XAP_INTERNAL;
	try {
		need(word && out, "xap_db_spelling_suggestion: NULL argument");
		*out = dup_out(db->db.get_spelling_suggestion(word, max_edit_distance));
		return XAP_OK;
	} catch (...) {
		return classify(db->err);
	}
}

extern "C" xap_status_t xap_compact(const char *const *srcs, size_t n_srcs, const char *dest,
				    int multipass, char **errmsg)
{
	std::string err;
	if (errmsg)
		*errmsg = NULL;
	try {
		need(srcs && n_srcs > 0 && dest, "xap_compact: no sources or no destination");
		Xapian::Database all;
		for (size_t i = 0; i < n_srcs; i++) {
			need(srcs[i] != NULL, "xap_compact: NULL source");
			all.add_database(Xapian::Database(srcs[i]));
		}
		all.compact(dest, multipass ? Xapian::DBCOMPACT_MULTIPASS : 0);
		return XAP_OK;
	} catch (...) {
		return ctor_fail(classify(err), err, errmsg);
	}
}

