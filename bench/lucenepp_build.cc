/* lucenepp_build.cc - the Lucene++ 3.0 peer for bench/run-bench.sh: build an index.
 *
 * What a user reaching for Lucene++ would write: one IndexWriter on a new
 * FSDirectory with the StandardAnalyzer (LUCENE_CURRENT: lower-casing,
 * English stop words, no stemming), one Document per file: "path" stored and
 * not indexed, "body" the file's text analyzed (with positions) and not
 * stored; optimize() and close() at the end. The body is the file's bytes as
 * they are (no HTML parsing, no decompression: the harness feeds a plain
 * copy), decoded from UTF-8 by wide_text.h. Every token is indexed
 * (MaxFieldLengthUNLIMITED), as the other peers index whole files. Writer
 * defaults otherwise (flush at 16 MB of buffered postings).
 *
 * usage: lucenepp_build DIR [LIST]    LIST: one path per line; "-" or absent: stdin
 * DIR is created anew. prints: docs N bytes B seconds S
 */
#include <lucene++/LuceneHeaders.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "peer.h"
#include "wide_text.h"

using namespace Lucene;

static int run(const char *dir, std::istream &list)
{
	auto t0 = std::chrono::steady_clock::now();
	String wdir;
	bench::utf8_to_wide(dir, wdir);
	IndexWriterPtr writer = newLucene<IndexWriter>(
		FSDirectory::open(wdir), newLucene<StandardAnalyzer>(LuceneVersion::LUCENE_CURRENT),
		true, IndexWriter::MaxFieldLengthUNLIMITED);

	unsigned long docs = 0, skipped = 0;
	unsigned long long bytes = 0;
	std::string path, text;
	String wpath, wtext;
	while (std::getline(list, path)) {
		if (path.empty())
			continue;
		if (!bench::slurp(path, text)) {
			std::fprintf(stderr, "lucenepp_build: cannot read %s\n", path.c_str());
			skipped++;
			continue;
		}
		bench::utf8_to_wide(path, wpath);
		bench::utf8_to_wide(text, wtext);
		DocumentPtr doc = newLucene<Document>();
		doc->add(newLucene<Field>(L"path", wpath, Field::STORE_YES, Field::INDEX_NO));
		doc->add(newLucene<Field>(L"body", wtext, Field::STORE_NO, Field::INDEX_ANALYZED));
		writer->addDocument(doc);
		docs++;
		bytes += text.size();
	}
	writer->optimize();
	writer->close();
	std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
	bench::print_result(docs, bytes, dt.count(), skipped);
	return 0;
}

int main(int argc, char **argv)
{
	return bench::peer_main<LuceneException>(argc, argv, "lucenepp_build", "DIR", run,
				    [](const LuceneException &e) { return StringUtils::toUTF8(e.getError()); });
}
