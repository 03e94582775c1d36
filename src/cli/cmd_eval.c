/* cmd_eval.c - `lode eval QRELS RUN`: score a TREC run against relevance
 * judgments and print trec_eval-style lines or one JSON object. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "msg.h"

const char usage_eval[] =
	"usage: lode eval [OPTIONS] QRELS RUN\n"
	"Score the TREC run RUN (qid Q0 docid rank score tag) against the judgments\n"
	"QRELS (qid 0 docid rel, or BEIR's query-id corpus-id score) as trec_eval -c\n"
	"does. Prints the mean of each metric over the judged queries.\n"
	"\n"
	"  -m, --metrics LIST   comma-separated metrics (default ndcg@10,map,recall@100,p@30,mrr):\n"
	"                       ndcg@K map map@K recall@K p@K mrr mrr@K, or trec_eval's\n"
	"                       ndcg_cut.K map_cut.K recall.K P.K recip_rank\n"
	"      --gain-map LIST  remap judged values first, JUDGED:GAIN,... (e.g. -1:5,1:4)\n"
	"  -q, --per-query      print each query's figures too, before the means\n"
	"      --json           print one JSON object: means and per-query figures\n"
	"  -h, --help           show this help\n";

enum { OPT_GAIN_MAP = 256, OPT_JSON };

typedef struct {
	const char *qrels, *run;
	const char *metrics;   /* NULL: the library's default list */
	const char *gain_map;
	int per_query, json, help;
} eval_opts_t;

/* Fill O from the command line; 0, or -1 after reporting a usage error. */
static int parse_args(int argc, char **argv, eval_opts_t *o)
{
	static const struct option longopts[] = {
		{ "metrics", required_argument, NULL, 'm' },
		{ "gain-map", required_argument, NULL, OPT_GAIN_MAP },
		{ "per-query", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(o, 0, sizeof *o);
	optind = 0; /* GNU: start afresh, whatever parsed argv before */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":m:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': o->metrics = optarg; break;
		case OPT_GAIN_MAP: o->gain_map = optarg; break;
		case 'q': o->per_query = 1; break;
		case OPT_JSON: o->json = 1; break;
		case 'h': o->help = 1; return 0;
		case ':':
			error("eval: option '%s' needs a value (see 'lode eval --help')",
			      msg_safe(argv[optind - 1]));
			return -1;
		default:
			error("eval: unknown option '%s' (see 'lode eval --help')",
			      msg_safe(argv[optind - 1]));
			return -1;
		}
	}
	if (argc - optind != 2) {
		error("eval: %s (usage: lode eval [OPTIONS] QRELS RUN)",
		      argc - optind < 2 ? "expected a qrels file and a run file"
					: "too many arguments");
		return -1;
	}
	o->qrels = argv[optind];
	o->run = argv[optind + 1];
	return 0;
}

/* V in the fewest digits that read back as V (what Python's json prints). */
static void add_number(buf_t *b, double v)
{
	char s[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	buf_adds(b, s);
}

/* {"NAME": value, ...}: the means when MEAN, else query Q's figures. */
static void add_row(buf_t *b, const lode_eval_t *e, size_t q, int mean)
{
	buf_addc(b, '{');
	for (size_t m = 0; m < lode_eval_n_metrics(e); m++) {
		const char *name = lode_eval_metric_name(e, m);
		buf_adds(b, m ? ", " : "");
		buf_add_json_str(b, name, strlen(name));
		buf_adds(b, ": ");
		add_number(b, mean ? lode_eval_mean(e, m) : lode_eval_value(e, q, m));
	}
	buf_addc(b, '}');
}

static int print_json(const lode_eval_t *e)
{
	buf_t b = BUF_INIT;
	size_t nq = lode_eval_n_queries(e);
	buf_adds(&b, "{\n \"all\": ");
	add_row(&b, e, 0, 1);
	buf_printf(&b, ",\n \"num_q\": %zu,\n \"per_query\": {", nq);
	for (size_t q = 0; q < nq; q++) {
		const char *id = lode_eval_query_id(e, q);
		buf_adds(&b, q ? ",\n  " : "\n  ");
		buf_add_json_str(&b, id, strlen(id));
		buf_adds(&b, ": ");
		add_row(&b, e, q, 0);
	}
	buf_adds(&b, nq ? "\n }\n}\n" : "}\n}\n");
	if (b.oom) {
		buf_free(&b);
		error("eval: out of memory");
		return -1;
	}
	fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
	return 0;
}

/* trec_eval's layout: "metric<TAB>qid<TAB>0.1234", the means under qid "all". */
static void print_text(const lode_eval_t *e, int per_query)
{
	size_t nm = lode_eval_n_metrics(e), nq = lode_eval_n_queries(e);
	if (per_query)
		for (size_t q = 0; q < nq; q++)
			for (size_t m = 0; m < nm; m++)
				printf("%s\t%s\t%.4f\n", lode_eval_metric_name(e, m),
				       lode_eval_query_id(e, q), lode_eval_value(e, q, m));
	printf("num_q\tall\t%zu\n", nq);
	for (size_t m = 0; m < nm; m++)
		printf("%s\tall\t%.4f\n", lode_eval_metric_name(e, m), lode_eval_mean(e, m));
}

int cmd_eval(int argc, char **argv)
{
	eval_opts_t o;
	if (parse_args(argc, argv, &o))
		return EXIT_ERROR;
	if (o.help) {
		fputs(usage_eval, stdout);
		return EXIT_OK_;
	}
	lode_eval_t *e;
	char *msg;
	lode_status_t st = lode_eval_run(o.qrels, o.run, o.metrics, o.gain_map, &e, &msg);
	if (st != LODE_OK) {
		error("%s", msg ? msg : lode_status_str(st));
		lode_free(msg);
		return cli_exit_code(st);
	}
	if (lode_eval_n_queries(e) == 0)
		warn("%s: no query has a relevant judgment: every figure is 0", msg_safe(o.qrels));

	/* Figures read "0.3123" whatever locale the user runs in. */
	locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
	int rc = EXIT_OK_;
	if (o.json) {
		if (print_json(e))
			rc = EXIT_ERROR;
	} else {
		print_text(e, o.per_query);
	}
	if (c_locale) {
		uselocale(old);
		freelocale(c_locale);
	}
	lode_eval_free(e);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		error("eval: cannot write the output: %s", strerror(errno));
		rc = EXIT_ERROR;
	}
	return rc;
}
