/* xapian_bare.cc - the "bare Xapian loop" baseline for bench/run-bench.sh.
 *
 * What a user who skips lode would write: read a list of files, hand each
 * file's bytes to Xapian::TermGenerator (English stemmer, STEM_SOME, with
 * positions), add_document into one WritableDatabase, commit once at the end.
 * No parsing (HTML is indexed with its tags), no decompression (the harness
 * feeds an uncompressed copy), no unique-id term, document data = the path.
 *
 * usage: xapian_bare DB [LIST]    LIST: one path per line; "-" or absent: stdin
 * prints: docs N bytes B seconds S
 *
 * It is C++ because it is the peer a user would write against Xapian's own
 * API; lode itself reaches Xapian only through bindings/.
 */
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "peer.h"

static int run(const char *db_path, std::istream &list)
{
	auto t0 = std::chrono::steady_clock::now();
	Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
	Xapian::TermGenerator tg;
	tg.set_stemmer(Xapian::Stem("english"));
	tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);

	unsigned long docs = 0, skipped = 0;
	unsigned long long bytes = 0;
	std::string path, text;
	while (std::getline(list, path)) {
		if (path.empty())
			continue;
		if (!bench::slurp(path, text)) {
			std::fprintf(stderr, "xapian_bare: cannot read %s\n", path.c_str());
			skipped++;
			continue;
		}
		Xapian::Document doc;
		doc.set_data(path);
		tg.set_document(doc);
		tg.index_text(text);  // positional by default
		db.add_document(doc);
		docs++;
		bytes += text.size();
	}
	db.commit();
	std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
	bench::print_result(docs, bytes, dt.count(), skipped);
	return 0;
}

int main(int argc, char **argv)
{
	return bench::peer_main<Xapian::Error>(argc, argv, "xapian_bare", "DB", run,
				    [](const Xapian::Error &e) { return e.get_description(); });
}
