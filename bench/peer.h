/* peer.h - what every indexing peer of bench/run-bench.sh shares (the bare
 * Xapian loop, CLucene, Lucene++): reading a file whole, its command line and
 * the one line of output the harness reads. Header-only because each peer is built from its
 * single .cc file.
 *
 * usage: NAME OUT [LIST]    LIST: one path per line; "-" or absent: stdin
 * prints: docs N bytes B seconds S [skipped K]
 */
#ifndef LODE_BENCH_PEER_H
#define LODE_BENCH_PEER_H

#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace bench {

// Whole file into `out`; false when it cannot be read (the caller skips it).
inline bool slurp(const std::string &path, std::string &out)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		return false;
	std::ostringstream ss;
	ss << in.rdbuf();
	out = ss.str();
	return !in.bad();
}

// The line the harness reads.
inline void print_result(unsigned long docs, unsigned long long bytes, double seconds,
			 unsigned long skipped)
{
	std::printf("docs %lu bytes %llu seconds %.3f", docs, bytes, seconds);
	if (skipped)
		std::printf(" skipped %lu", skipped);
	std::printf("\n");
}

// main() of a peer: RUN(OUT, list stream) builds the index and returns the
// exit status; the library's own exception type LibError is told by
// DESCRIBE(e) (a std::string), any other std::exception by what().
template <class LibError, class Run, class Describe>
int peer_main(int argc, char **argv, const char *name, const char *out_word, Run run,
	      Describe describe)
{
	if (argc < 2 || argc > 3) {
		std::fprintf(stderr, "usage: %s %s [LIST]\n", name, out_word);
		return 2;
	}
	try {
		if (argc == 3 && std::strcmp(argv[2], "-") != 0) {
			std::ifstream list(argv[2]);
			if (!list) {
				std::fprintf(stderr, "%s: cannot open %s\n", name, argv[2]);
				return 2;
			}
			return run(argv[1], list);
		}
		return run(argv[1], std::cin);
	} catch (LibError &e) {  /* not const: CLucene's what() is not */
		std::fprintf(stderr, "%s: %s\n", name, std::string(describe(e)).c_str());
	} catch (const std::exception &e) {
		std::fprintf(stderr, "%s: %s\n", name, e.what());
	}
	return 1;
}

}  // namespace bench

#endif
