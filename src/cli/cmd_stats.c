/* cmd_stats.c - `lode stats` and `lode check`: what an index holds, and
 * whether it is sound. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "opts.h"

const char usage_stats[] =
	"usage: lode stats [-i INDEX] [--json]\n"
	"\n"
	"Documents, unique terms, postings, size on disk, roots, language, schema\n"
	"version and last update of an index.\n"
	"  -i, --index INDEX   the index (default as for 'lode index')\n"
	"      --json          one JSON object\n";

const char usage_check[] =
	"usage: lode check [-i INDEX] [--quiet]\n"
	"\n"
	"Verify an index: Xapian's own consistency check, then lode's invariants (every\n"
	"document has a readable record with a path and content hash, and a key no other\n"
	"document has). Prints each problem; exit 0 when sound, 1 when problems were\n"
	"found, 2 when the index cannot be opened.\n";

/* -i and --json/--quiet, shared by both commands. */
static int parse(int argc, char **argv, const char *usage, const char **index, int *flag)
{
	static const struct option longopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'J' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': *index = optarg; break;
		case 'J': case 'q': *flag = 1; break;
		case 'h': fputs(usage, stdout); return 1;
		default:
			error("%s: unknown option '%s'", argv[0], argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		error("%s: unexpected argument '%s'", argv[0], argv[optind]);
		return -1;
	}
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	const char *index = NULL;
	int json = 0;
	int p = parse(argc, argv, usage_stats, &index, &json);
	if (p)
		return p > 0 ? EXIT_OK_ : EXIT_ERROR;
	char *path = cli_index_path(index);
	lode_stats_t st;
	char *em = NULL;
	lode_status_t rc = lode_stats_get(path, &st, &em);
	if (rc != LODE_OK) {
		error("%s", em ? em : lode_status_str(rc));
		lode_free(em);
		free(path);
		return cli_exit_code(rc);
	}
	if (json) {
		printf("{\"index\": ");
		opts_json_str(stdout, path);
		printf(", \"documents\": %llu, \"unique_terms\": %llu, \"postings\": %llu, "
		       "\"size_bytes\": %llu, \"avg_length\": %.2f, \"language\": ",
		       (unsigned long long)st.documents, (unsigned long long)st.unique_terms,
		       (unsigned long long)st.postings, (unsigned long long)st.size_bytes, st.avg_length);
		opts_json_str(stdout, st.lang);
		printf(", \"schema\": %u, \"last_update\": ", st.schema);
		opts_json_str(stdout, st.last_update);
		printf(", \"roots\": [");
		int first = 1;
		for (char *r = st.roots; r && *r;) {
			char *e = strchr(r, '\n');
			if (e)
				*e = '\0';
			printf("%s", first ? "" : ", ");
			opts_json_str(stdout, r);
			first = 0;
			r = e ? e + 1 : r + strlen(r);
		}
		printf("]}\n");
	} else {
		printf("index:        %s\n", path);
		printf("documents:    %llu\n", (unsigned long long)st.documents);
		printf("unique terms: %llu\n", (unsigned long long)st.unique_terms);
		printf("postings:     %llu\n", (unsigned long long)st.postings);
		printf("size on disk: %.1f MB\n", (double)st.size_bytes / 1e6);
		printf("avg length:   %.1f terms\n", st.avg_length);
		printf("language:     %s\n", st.lang);
		printf("schema:       %u\n", st.schema);
		printf("last update:  %s\n", *st.last_update ? st.last_update : "never");
		printf("roots:\n");
		for (char *r = st.roots; r && *r;) {
			char *e = strchr(r, '\n');
			size_t n = e ? (size_t)(e - r) : strlen(r);
			printf("  %.*s\n", (int)n, r);
			r += n + (e ? 1 : 0);
		}
	}
	lode_stats_free(&st);
	free(path);
	return EXIT_OK_;
}

static void print_problem(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
}

int cmd_check(int argc, char **argv)
{
	const char *index = NULL;
	int quiet = 0;
	int p = parse(argc, argv, usage_check, &index, &quiet);
	if (p)
		return p > 0 ? EXIT_OK_ : EXIT_ERROR;
	char *path = cli_index_path(index);
	uint64_t problems = 0;
	char *em = NULL;
	lode_status_t rc = lode_index_verify(path, &problems, quiet ? NULL : print_problem, NULL, &em);
	if (rc != LODE_OK) {
		error("%s", em ? em : lode_status_str(rc));
		lode_free(em);
		free(path);
		return EXIT_ERROR;
	}
	if (!quiet)
		printf("%s: %llu problem%s\n", path, (unsigned long long)problems,
		       problems == 1 ? "" : "s");
	free(path);
	return problems ? EXIT_NOMATCH : EXIT_OK_;
}
