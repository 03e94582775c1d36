/* clucene_build.cc - the CLucene 2.3 peer for bench/run-bench.sh: build an index.
 *
 * What a user reaching for CLucene would write: one IndexWriter on a new
 * directory with the StandardAnalyzer (lower-casing, English stop words, no
 * stemming), one Document per file: "path" stored and not indexed, "body"
 * the file's text tokenized (with positions) and not stored; optimize() and
 * close() at the end. The body is the file's bytes as they are (no HTML
 * parsing, no decompression: the harness feeds a plain copy), decoded from
 * UTF-8 by wide_text.h. Every token is indexed: CLucene's default cap of
 * 10,000 tokens per field is lifted, as the other peers index whole files.
 * Writer defaults otherwise (flush at 16 MB of buffered postings).
 *
 * usage: clucene_build DIR [LIST]    LIST: one path per line; "-" or absent: stdin
 * DIR is created anew. prints: docs N bytes B seconds S
 */
#include <CLucene.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "peer.h"
#include "wide_text.h"

using lucene::analysis::standard::StandardAnalyzer;
using lucene::document::Document;
using lucene::document::Field;
using lucene::index::IndexWriter;

static int run(const char *dir, std::istream &list)
{
	auto t0 = std::chrono::steady_clock::now();
	StandardAnalyzer analyzer;
	IndexWriter writer(dir, &analyzer, true);
	writer.setMaxFieldLength(INT_MAX);

	unsigned long docs = 0, skipped = 0;
	unsigned long long bytes = 0;
	std::string path, text;
	std::wstring wpath, wtext;
	Document doc;
	while (std::getline(list, path)) {
		if (path.empty())
			continue;
		if (!bench::slurp(path, text)) {
			std::fprintf(stderr, "clucene_build: cannot read %s\n", path.c_str());
			skipped++;
			continue;
		}
		bench::utf8_to_wide(path, wpath);
		bench::utf8_to_wide(text, wtext);
		// The document owns its fields and deletes them in clear(); each
		// field copies its text (a field made with duplicateValue=false
		// would own and free the buffer, which here is wtext's).
		doc.add(*_CLNEW Field(L"path", wpath.c_str(), Field::STORE_YES | Field::INDEX_NO));
		doc.add(*_CLNEW Field(L"body", wtext.c_str(), Field::STORE_NO | Field::INDEX_TOKENIZED));
		writer.addDocument(&doc);
		doc.clear();
		docs++;
		bytes += text.size();
	}
	writer.optimize();
	writer.close();
	std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
	bench::print_result(docs, bytes, dt.count(), skipped);
	return 0;
}

int main(int argc, char **argv)
{
	return bench::peer_main<CLuceneError>(argc, argv, "clucene_build", "DIR", run,
				    [](CLuceneError &e) { return std::string(e.what()); });
}
