/* cmd_search.c - `lode search`: options anywhere around the query, one
 * query or a batch of topics, results through a printer (print.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "heap.h"
#include "msg.h"
#include "opts.h"
#include "print.h"

const char usage_search[] =
	"usage: lode search [-i INDEX]... [-n N] [--offset K] [--sort relevance|date|-date]\n"
	"                   [--json] [-l] [-0] [-c] [--color auto|always|never] [--snippets N]\n"
	"                   [--snippet-len CHARS] [--k1 X] [--b Y] [--title-weight W]\n"
	"                   [--or] [--literal] [--keep-stopwords] [--timeout MS]\n"
	"                   [--allow-partial] QUERY...\n"
	"       lode search --batch TOPICS [--run-tag TAG] [-n 1000] [--full-syntax] [-i INDEX]...\n"
	"\n"
	"Search the index. Words must all match (--or: any); \"exact phrases\"; a NEAR b,\n"
	"a NEAR/5 b; AND, OR, NOT, +must, -mustnot, (groups); prefix*; fields title:\n"
	"author: url: path: lang: tag: format: id:; dates date:2021, date:2021-09,\n"
	"date:2021-09-01..2021-09-30, date:..2020-12-31. Case and accents are ignored.\n"
	"A query that does not parse is searched word by word (said on stderr).\n"
	"\n"
	"  -i, --index INDEX    an index, tcp:HOST:PORT, or a shard list file; repeat to\n"
	"                       search several as one (default as for 'lode index')\n"
	"  -n, --limit N        hits to show (default 10)\n"
	"      --offset K       skip the first K hits\n"
	"      --sort ORDER     relevance (default), date (newest first) or -date (oldest)\n"
	"      --json           one JSON object per hit\n"
	"  -l, --files          only the paths of matching files, best first\n"
	"  -0, --null           as -l, each path ended by a NUL (for xargs -0)\n"
	"  -c, --count          only the number of matching documents\n"
	"      --color WHEN     auto (default: on a terminal, unless NO_COLOR), always, never\n"
	"      --snippets N     passages per hit (default 2; 0: none)\n"
	"      --snippet-len N  characters per passage (default 200)\n"
	"      --k1 X, --b Y    BM25 parameters (default: the index's, 0.9 and 0.4)\n"
	"      --title-weight W extra weight of a title match (default 0.5)\n"
	"      --or             any word may match (default: all must)\n"
	"      --literal        no query syntax: search the words as they are\n"
	"      --keep-stopwords don't drop the, of, and ... from the query (never dropped\n"
	"                       inside \"phrases\" or when the query has nothing else)\n"
	"      --timeout MS     for remote indexes (default 10000)\n"
	"      --allow-partial  when some of several indexes cannot be reached, answer\n"
	"                       from the others: each one left out is named in a warning,\n"
	"                       and the exit status is 4\n"
	"      --batch TOPICS   run each 'qid<TAB>query' line of TOPICS ('-': stdin) and\n"
	"                       print a TREC run: qid Q0 docid rank score tag\n"
	"      --run-tag TAG    the run's tag (default lode)\n"
	"      --full-syntax    batch topics use the query language (default: literal, OR)\n"
	"  -h, --help           this help\n"
	"\n"
	"Exit status: 0 something matched, 1 nothing matched, 2 error, 4 a partial answer\n"
	"(--allow-partial, an index left out).\n";

typedef struct {
	const char **indexes;
	size_t n_indexes;
	lode_query_opts_t q;
	out_mode_t mode;
	const char *color;   /* auto, always, never */
	const char *batch;
	const char *run_tag;
	int full_syntax;
	int limit_set;
	unsigned timeout_ms;
	int allow_partial;
	size_t n_warned;     /* indexes left out and said so */
	buf_t query;
} search_args_t;

typedef enum { A_FLAG, A_UINT, A_DOUBLE, A_STR } argkind_t;

/* Returns 1 if ARG (with its value at argv[*i + 1]) is an option and was
 * consumed, 0 if it is part of the query, -1 on a bad value. */
static int take_option(search_args_t *a, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char *val = NULL;
	char name[32];
	/* --name=value */
	const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
	if (eq && (size_t)(eq - arg) < sizeof name) {
		memcpy(name, arg, (size_t)(eq - arg));
		name[eq - arg] = '\0';
		val = eq + 1;
		arg = name;
	}
	static const struct {
		const char *s, *l;
		argkind_t kind;
	} table[] = {
		{ "-i", "--index", A_STR }, { "-n", "--limit", A_UINT }, { NULL, "--offset", A_UINT },
		{ NULL, "--sort", A_STR }, { NULL, "--json", A_FLAG }, { "-l", "--files", A_FLAG },
		{ "-0", "--null", A_FLAG },
		{ "-c", "--count", A_FLAG }, { NULL, "--color", A_STR }, { NULL, "--colour", A_STR },
		{ NULL, "--snippets", A_UINT }, { NULL, "--snippet-len", A_UINT },
		{ NULL, "--k1", A_DOUBLE }, { NULL, "--b", A_DOUBLE }, { NULL, "--title-weight", A_DOUBLE },
		{ NULL, "--or", A_FLAG }, { NULL, "--literal", A_FLAG },
		{ NULL, "--keep-stopwords", A_FLAG }, { NULL, "--timeout", A_UINT },
		{ NULL, "--allow-partial", A_FLAG },
		{ NULL, "--batch", A_STR }, { NULL, "--run-tag", A_STR }, { NULL, "--full-syntax", A_FLAG },
		{ "-h", "--help", A_FLAG },
	};
	size_t k;
	for (k = 0; k < sizeof table / sizeof *table; k++)
		if ((table[k].s && !strcmp(arg, table[k].s)) || !strcmp(arg, table[k].l))
			break;
	if (k == sizeof table / sizeof *table)
		return 0;
	const char *lname = table[k].l;
	if (table[k].kind != A_FLAG && !val) {
		if (*i + 1 >= argc) {
			error("search: %s needs a value", lname);
			return -1;
		}
		val = argv[++*i];
	}
	unsigned u = 0;
	double d = 0;
	if (table[k].kind == A_UINT && opts_uint(val, &u)) {
		error("search: %s: expected a number, got '%s'", lname, val);
		return -1;
	}
	if (table[k].kind == A_DOUBLE && (opts_double(val, &d) || d < 0)) {
		error("search: %s: expected a number >= 0, got '%s'", lname, val);
		return -1;
	}
	if (!strcmp(lname, "--index")) a->indexes[a->n_indexes++] = val;
	else if (!strcmp(lname, "--limit")) a->q.limit = u, a->limit_set = 1;
	else if (!strcmp(lname, "--offset")) a->q.offset = u;
	else if (!strcmp(lname, "--sort")) {
		if (!strcmp(val, "relevance")) a->q.sort = LODE_SORT_RELEVANCE;
		else if (!strcmp(val, "date") || !strcmp(val, "-date") || !strcmp(val, "newest"))
			a->q.sort = val[0] == '-' ? LODE_SORT_DATE_ASC : LODE_SORT_DATE_DESC;
		else if (!strcmp(val, "oldest") || !strcmp(val, "+date")) a->q.sort = LODE_SORT_DATE_ASC;
		else {
			error("search: --sort: expected relevance, date or -date, got '%s'", val);
			return -1;
		}
	}
	else if (!strcmp(lname, "--json")) a->mode = OUT_JSON;
	else if (!strcmp(lname, "--files")) a->mode = a->mode == OUT_PATHS0 ? OUT_PATHS0 : OUT_PATHS;
	else if (!strcmp(lname, "--null")) a->mode = OUT_PATHS0;
	else if (!strcmp(lname, "--count")) a->mode = OUT_COUNT;
	else if (!strcmp(lname, "--color") || !strcmp(lname, "--colour")) {
		if (strcmp(val, "auto") && strcmp(val, "always") && strcmp(val, "never")) {
			error("search: --color: expected auto, always or never, got '%s'", val);
			return -1;
		}
		a->color = val;
	}
	else if (!strcmp(lname, "--snippets")) a->q.snippets = u;
	else if (!strcmp(lname, "--snippet-len")) a->q.snippet_len = u;
	else if (!strcmp(lname, "--k1")) a->q.k1 = d;
	else if (!strcmp(lname, "--b")) {
		if (d > 1) {
			error("search: --b: expected a number from 0 to 1, got '%s'", val);
			return -1;
		}
		a->q.b = d;
	}
	else if (!strcmp(lname, "--title-weight")) {
		/* scores are multiplied by it: far beyond any use, they overflow */
		if (d > 1e6) {
			error("search: --title-weight: expected a number from 0 to 1000000, got '%s'", val);
			return -1;
		}
		a->q.title_weight = d;
	}
	else if (!strcmp(lname, "--or")) a->q.default_or = 1;
	else if (!strcmp(lname, "--literal")) a->q.literal = 1;
	else if (!strcmp(lname, "--keep-stopwords")) a->q.keep_stopwords = 1;
	else if (!strcmp(lname, "--timeout")) a->timeout_ms = u;
	else if (!strcmp(lname, "--allow-partial")) a->allow_partial = 1;
	else if (!strcmp(lname, "--batch")) a->batch = val;
	else if (!strcmp(lname, "--run-tag")) a->run_tag = val;
	else if (!strcmp(lname, "--full-syntax")) a->full_syntax = 1;
	else if (!strcmp(lname, "--help")) return 2;
	return 1;
}

static int want_color(const char *when)
{
	if (!strcmp(when, "always"))
		return 1;
	if (!strcmp(when, "never"))
		return 0;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	const char *term = getenv("TERM");
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(1);
}

/* Warn once about each index left out so far; 1 if any was. */
static int warn_missing(search_args_t *a, lode_search_t *s)
{
	const char *m;
	while ((m = lode_search_missing(s, a->n_warned)) != NULL) {
		warn("%s; left out, the answer is partial", m);
		a->n_warned++;
	}
	return a->n_warned > 0;
}

/* Run every topic of a TSV file; a TREC run on stdout. */
static int run_batch(search_args_t *a, lode_search_t *s, printer_t *pr)
{
	FILE *f = strcmp(a->batch, "-") ? fopen(a->batch, "r") : stdin;
	if (!f) {
		error("%s: cannot read topics: %m", a->batch);
		return EXIT_ERROR;
	}
	if (!a->limit_set)
		a->q.limit = 1000;
	if (!a->full_syntax) {
		a->q.literal = 1;
		a->q.default_or = 1;
	}
	a->q.snippets = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0, matched = 0;
	int rc = EXIT_NOMATCH;
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len)
			continue;
		char *tab = strchr(line, '\t');
		if (!tab) {
			warn("%s:%u: expected 'qid<TAB>query', line skipped", a->batch, lineno);
			continue;
		}
		*tab = '\0';
		lode_results_t *r = NULL;
		lode_status_t st = lode_search_run(s, tab + 1, &a->q, &r);
		warn_missing(a, s);
		if (st == LODE_BAD_QUERY) {
			warn("%s:%u: query %s: %s", a->batch, lineno, line, lode_search_errmsg(s));
			continue;
		}
		if (st != LODE_OK) {
			error("%s", lode_search_errmsg(s));
			rc = cli_exit_code(st);
			break;
		}
		if (lode_results_count(r))
			matched++;
		printer_results(pr, r, line);
		lode_results_free(r);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (rc == EXIT_NOMATCH && matched)
		rc = EXIT_OK_;
	if (rc != EXIT_ERROR && a->n_warned)
		rc = EXIT_PARTIAL;
	return rc;
}

int cmd_search(int argc, char **argv)
{
	heap_use_huge_pages(); /* fewer page faults: see heap.c */
	search_args_t a = { 0 };
	lode_query_opts_init(&a.q);
	a.mode = OUT_TEXT;
	a.color = "auto";
	a.timeout_ms = 10000;
	a.indexes = calloc((size_t)argc + 1, sizeof *a.indexes);
	if (!a.indexes)
		return EXIT_ERROR;
	int rc = EXIT_ERROR, end_of_opts = 0;
	char *default_index = NULL;
	for (int i = 1; i < argc; i++) {
		if (!end_of_opts && !strcmp(argv[i], "--")) {
			end_of_opts = 1;
			continue;
		}
		int t = end_of_opts ? 0 : take_option(&a, argc, argv, &i);
		if (t < 0)
			goto out;
		if (t == 2) {
			fputs(usage_search, stdout);
			rc = EXIT_OK_;
			goto out;
		}
		if (t == 0) {
			if (a.query.len)
				buf_addc(&a.query, ' ');
			buf_adds(&a.query, argv[i]);
		}
	}
	if (!a.batch && !a.query.len) {
		error("search: no query (see 'lode help search')");
		goto out;
	}
	if (!a.n_indexes) {
		default_index = cli_index_path(NULL);
		a.indexes[a.n_indexes++] = default_index;
	}
	lode_search_t *s = NULL;
	char *em = NULL;
	lode_status_t st = lode_search_open_ex(a.indexes, a.n_indexes, a.timeout_ms,
					       a.allow_partial ? LODE_SEARCH_PARTIAL : 0, &s, &em);
	if (st != LODE_OK) {
		error("%s", em ? em : lode_status_str(st));
		lode_free(em);
		goto out;
	}
	if (a.mode == OUT_COUNT)
		a.q.exact_count = 1, a.q.snippets = 0, a.q.limit = 1;
	if (a.mode == OUT_PATHS || a.mode == OUT_PATHS0)
		a.q.snippets = 0;
	a.q.suggest = a.mode == OUT_TEXT || a.mode == OUT_JSON;
	printer_t *pr = printer_new(a.batch ? OUT_TREC : a.mode, stdout,
				    a.mode == OUT_TEXT && want_color(a.color), a.run_tag);
	if (!pr) {
		lode_search_close(s);
		goto out;
	}
	if (a.batch) {
		rc = run_batch(&a, s, pr);
	} else {
		lode_results_t *r = NULL;
		st = lode_search_run(s, a.query.p, &a.q, &r);
		int partial = warn_missing(&a, s);
		if (st != LODE_OK) {
			error("%s", lode_search_errmsg(s));
			rc = cli_exit_code(st);
		} else {
			if (lode_results_literal(r))
				warn("query not understood (%s): searched its words literally",
				     lode_results_literal(r));
			if (lode_results_note(r))
				warn("%s", lode_results_note(r));
			printer_results(pr, r, NULL);
			if (lode_results_suggestion(r))
				note("no match; did you mean: %s", lode_results_suggestion(r));
			rc = lode_results_total(r) ? EXIT_OK_ : EXIT_NOMATCH;
			if (partial)
				rc = EXIT_PARTIAL;
			lode_results_free(r);
		}
	}
	if (fflush(stdout) != 0 && rc == EXIT_OK_)
		rc = EXIT_ERROR;
	printer_free(pr);
	lode_search_close(s);
out:
	free(default_index);
	free(a.indexes);
	buf_free(&a.query);
	return rc;
}
