/* xapian_noop.cc - the latency floor of any command-line search over Xapian.
 *
 * It starts, opens the index read-only and exits: the dynamic loading of
 * libxapian (and libstdc++), its static constructors and the opening of the
 * database's tables, which every Xapian-based CLI pays before it parses a
 * query. bench/run-bench.sh times it as the "noop-xapian" floor row; it is
 * not a peer.
 *
 * usage: xapian_noop DB [QUERY...]    the query is ignored: the harness
 *                                     passes it so that every row runs the
 *                                     same command lines
 * exit: 0 opened, 2 usage or a Xapian error (said on stderr)
 *
 * C++ like xapian_bare.cc, for the same reason: it is what a program written
 * against Xapian's own API costs; it links libxapian only.
 */
#include <xapian.h>

#include <cstdio>

int main(int argc, char **argv)
{
	if (argc < 2) {
		std::fprintf(stderr, "usage: xapian_noop DB [QUERY...]\n");
		return 2;
	}
	try {
		Xapian::Database db(argv[1]);
		// The constructor opens every table already; asking for the count
		// makes sure a lazily opened shard would be paid for too.
		(void)db.get_doccount();
	} catch (const Xapian::Error &e) {
		std::fprintf(stderr, "xapian_noop: %s\n", e.get_description().c_str());
		return 2;
	}
	return 0;
}
