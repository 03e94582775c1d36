/* cmd_index.c - `lode index`: add or update documents; the ingest loop's
 * messages, progress bar and summary. */
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "opts.h"

const char usage_index[] =
	"usage: lode index [-i INDEX] [--lang LANG] [-j N] [--exclude GLOB]... [--hidden]\n"
	"                  [--max-size SIZE] [--wait SECONDS] [--stats-json FILE] [--quiet]\n"
	"                  [--field NAME=FIELD]... [--shard K/N] [--segments N]\n"
	"                  [--memory SIZE] [--no-compact] [PATH...]\n"
	"\n"
	"Index the files under each PATH (directories are walked; '-' reads one document\n"
	"from standard input). With no PATH, bring every root the index knows up to date.\n"
	"Changed files are re-indexed, deleted ones removed, unchanged ones only stat'ed.\n"
	"\n"
	"  -i, --index INDEX     the index (default: $LODE_INDEX, else\n"
	"                        ${XDG_DATA_HOME:-~/.local/share}/lode/index)\n"
	"      --lang LANG       stemming language of a new index (default english)\n"
	"  -j, --jobs N          worker threads (default: number of cores)\n"
	"      --segments N      a new index: write N segments in parallel, 1..16\n"
	"                        (default: as many as jobs, at most 8)\n"
	"      --memory SIZE     commit a batch early once the heap passes SIZE\n"
	"                        (default 128M; K, M, G suffixes)\n"
	"      --no-compact      a new index: do not compact it at the end of its\n"
	"                        first build (compacting about halves its size)\n"
	"      --exclude GLOB    skip names or paths matching GLOB (repeatable)\n"
	"      --hidden          also index hidden files and directories\n"
	"      --max-size SIZE   skip files larger than SIZE after decompression\n"
	"                        (default 64M; K, M, G suffixes)\n"
	"      --wait SECONDS    wait this long for another writer's lock (default 0)\n"
	"      --stats-json FILE write counts and time per stage as JSON\n"
	"      --field NAME=FIELD  JSON-lines field for NAME (id, title, text, author,\n"
	"                        date, url), e.g. --field text=contents\n"
	"      --shard K/N       index only shard K (1..N) of N: the files whose path\n"
	"                        relative to its PATH hashes to K; give the same K/N\n"
	"                        on every update of that index\n"
	"  -q, --quiet           no per-file messages, no progress bar\n"
	"  -h, --help            this help\n"
	"\n"
	"Exit status: 0 every file indexed or skipped for a stated reason, 1 some files\n"
	"failed, 2 usage or index error, 3 index busy, 130 interrupted.\n";

static volatile sig_atomic_t stop_flag;

static void on_sigint(int sig)
{
	(void)sig;
	stop_flag = 1;
	signal(SIGINT, SIG_DFL); /* a second Ctrl-C kills at once */
}

typedef struct {
	int tty;         /* progress bar on stderr */
	int bar_shown;
	double t0;
} ui_t;

static const char *outcome_word(lode_file_outcome_t o)
{
	return o == LODE_FILE_SKIPPED ? "skipped" : "failed";
}

static void clear_bar(ui_t *ui)
{
	if (ui->bar_shown) {
		fputs("\r\033[K", stderr);
		ui->bar_shown = 0;
	}
}

static void on_file(void *ctx, const char *path, lode_file_outcome_t o, const char *reason,
		    unsigned ndocs)
{
	(void)ndocs;
	ui_t *ui = ctx;
	if (o != LODE_FILE_SKIPPED && o != LODE_FILE_FAILED)
		return;
	clear_bar(ui);
	/* failures are shown even with --quiet: they change the exit status */
	if (o == LODE_FILE_FAILED)
		fprintf(stderr, "lode: %s: %s: %s\n", msg_safe(path), outcome_word(o), reason ? reason : "");
	else
		warn("%s: %s: %s", msg_safe(path), outcome_word(o), reason ? reason : "");
}

static void on_warning(void *ctx, const char *path, unsigned line, const char *reason)
{
	ui_t *ui = ctx;
	clear_bar(ui);
	if (line)
		warn("%s:%u: %s", msg_safe(path), line, reason);
	else
		warn("%s: %s", msg_safe(path), reason);
}

static void on_progress(void *ctx, const lode_index_summary_t *s, uint64_t total)
{
	ui_t *ui = ctx;
	if (!ui->tty)
		return;
	double el = opts_now() - ui->t0;
	double mb = (double)s->bytes_read / 1e6;
	double rate = el > 0 ? mb / el : 0;
	double left = total > s->bytes_read ? (double)(total - s->bytes_read) / 1e6 : 0;
	unsigned eta = rate > 0 ? (unsigned)(left / rate) : 0;
	fprintf(stderr, "\r\033[K%llu files  %.1f MB  %.1f MB/s  ETA %u:%02u",
		(unsigned long long)(s->indexed + s->unchanged + s->skipped + s->failed), mb, rate,
		eta / 60, eta % 60);
	ui->bar_shown = 1;
}

static void summary_line(const lode_index_summary_t *s)
{
	double mb = (double)s->bytes_read / 1e6;
	note("%llu indexed (%llu documents), %llu unchanged, %llu removed, %llu skipped, "
	     "%llu failed%s; %.1f MB in %.2f s (%.1f MB/s)",
	     (unsigned long long)s->indexed, (unsigned long long)s->docs_added,
	     (unsigned long long)s->unchanged, (unsigned long long)s->removed,
	     (unsigned long long)s->skipped, (unsigned long long)s->failed,
	     s->interrupted ? ", interrupted" : "", mb, s->t_total,
	     s->t_total > 0 ? mb / s->t_total : 0.0);
}

static int write_stats_json(const char *file, const lode_index_summary_t *s, const char *index)
{
	FILE *f = strcmp(file, "-") == 0 ? stdout : fopen(file, "w");
	if (!f) {
		error("%s: cannot write: %m", file);
		return -1;
	}
	fprintf(f, "{\"index\": ");
	opts_json_str(f, index);
	fprintf(f, ", \"files_seen\": %llu, \"indexed\": %llu, \"unchanged\": %llu, "
		   "\"removed\": %llu, \"skipped\": %llu, \"failed\": %llu, "
		   "\"documents_added\": %llu, \"documents_removed\": %llu, \"warnings\": %llu, "
		   "\"bytes\": %llu, \"interrupted\": %s, "
		   "\"seconds\": {\"total\": %.4f, \"read\": %.4f, \"parse\": %.4f, "
		   "\"terms\": %.4f, \"write\": %.4f, \"commit\": %.4f, \"compact\": %.4f}, "
		   "\"mb_per_s\": %.3f}\n",
		(unsigned long long)s->files_seen, (unsigned long long)s->indexed,
		(unsigned long long)s->unchanged, (unsigned long long)s->removed,
		(unsigned long long)s->skipped, (unsigned long long)s->failed,
		(unsigned long long)s->docs_added, (unsigned long long)s->docs_removed,
		(unsigned long long)s->warnings, (unsigned long long)s->bytes_read,
		s->interrupted ? "true" : "false", s->t_total, s->t_read, s->t_parse, s->t_terms,
		s->t_write, s->t_commit, s->t_compact,
		s->t_total > 0 ? (double)s->bytes_read / 1e6 / s->t_total : 0.0);
	if (f != stdout)
		fclose(f);
	return 0;
}

/* --shard K/N (K from 1) into the 0-based shard of shards. */
static int set_shard(lode_index_opts_t *o, const char *arg)
{
	const char *slash = strchr(arg, '/');
	unsigned k, n;
	char ks[16];
	if (!slash || (size_t)(slash - arg) >= sizeof ks)
		return -1;
	memcpy(ks, arg, (size_t)(slash - arg));
	ks[slash - arg] = '\0';
	if (opts_uint(ks, &k) || opts_uint(slash + 1, &n) || n == 0 || k == 0 || k > n)
		return -1;
	o->shard = k - 1;
	o->shards = n;
	return 0;
}

/* --field NAME=FIELD into the JSON-lines map. */
static int set_field(lode_index_opts_t *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || !eq[1])
		return -1;
	size_t n = (size_t)(eq - arg);
	const char **slot = NULL;
	if (n == 2 && !strncmp(arg, "id", n)) slot = &o->jsonl_id;
	else if (n == 5 && !strncmp(arg, "title", n)) slot = &o->jsonl_title;
	else if (n == 4 && !strncmp(arg, "text", n)) slot = &o->jsonl_text;
	else if (n == 6 && !strncmp(arg, "author", n)) slot = &o->jsonl_author;
	else if (n == 4 && !strncmp(arg, "date", n)) slot = &o->jsonl_date;
	else if (n == 3 && !strncmp(arg, "url", n)) slot = &o->jsonl_url;
	if (!slot)
		return -1;
	*slot = eq + 1;
	return 0;
}

int cmd_index(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "lang", required_argument, NULL, 'L' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "hidden", no_argument, NULL, 'H' },
		{ "max-size", required_argument, NULL, 'M' },
		{ "wait", required_argument, NULL, 'w' },
		{ "stats-json", required_argument, NULL, 'S' },
		{ "field", required_argument, NULL, 'F' },
		{ "shard", required_argument, NULL, 'K' },
		{ "segments", required_argument, NULL, 'G' },
		{ "no-compact", no_argument, NULL, 'C' },
		{ "memory", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* A build allocates and frees the buffers of its batches run after
	 * run: kept by malloc instead of going back to the kernel, they are
	 * not faulted in again each time (half the page faults of a build) */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	lode_index_opts_t o;
	lode_index_opts_init(&o);
	const char *index_opt = NULL, *stats_json = NULL;
	const char **excludes = calloc((size_t)argc + 1, sizeof *excludes);
	if (!excludes)
		return EXIT_ERROR;
	int c, bad = 0;
	optind = 1;
	opterr = 0;
	while (!bad && (c = getopt_long(argc, argv, "i:j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': index_opt = optarg; break;
		case 'L': o.lang = optarg; break;
		case 'j':
			if (opts_uint(optarg, &o.jobs) || o.jobs == 0) {
				error("-j: expected a number of jobs >= 1, got '%s'", optarg);
				bad = 1;
			}
			break;
		case 'x': excludes[o.n_excludes++] = optarg; break;
		case 'H': o.include_hidden = 1; break;
		case 'M':
			if (opts_size(optarg, &o.max_size) || o.max_size == 0) {
				error("--max-size: expected a size like 64M, got '%s'", optarg);
				bad = 1;
			}
			break;
		case 'w':
			if (opts_uint(optarg, &o.wait_seconds)) {
				error("--wait: expected seconds, got '%s'", optarg);
				bad = 1;
			}
			break;
		case 'S': stats_json = optarg; break;
		case 'F':
			if (set_field(&o, optarg)) {
				error("--field: expected NAME=FIELD with NAME one of id, title, text, "
				      "author, date, url; got '%s'", optarg);
				bad = 1;
			}
			break;
		case 'K':
			if (set_shard(&o, optarg)) {
				error("--shard: expected K/N with 1 <= K <= N, e.g. 1/2; got '%s'", optarg);
				bad = 1;
			}
			break;
		case 'G':
			if (opts_uint(optarg, &o.segments) || o.segments == 0 || o.segments > 16) {
				error("--segments: expected a number from 1 to 16, got '%s'", optarg);
				bad = 1;
			}
			break;
		case 'C': o.no_compact = 1; break;
		case 'm':
			if (opts_size(optarg, &o.max_memory) || o.max_memory < (1u << 20)) {
				error("--memory: expected a size of at least 1M, like 128M; got '%s'",
				      optarg);
				bad = 1;
			}
			break;
		case 'q': msg_set_quiet(1); break;
		case 'h':
			fputs(usage_index, stdout);
			free(excludes);
			return EXIT_OK_;
		default:
			error("index: unknown option '%s' (see 'lode help index')", argv[optind - 1]);
			bad = 1;
		}
	}
	if (bad) {
		free(excludes);
		return EXIT_ERROR;
	}
	o.excludes = excludes;

	char *path = cli_index_path(index_opt);
	lode_index_t *idx = NULL;
	char *em = NULL;
	lode_status_t rc = lode_index_open(path, &o, &idx, &em);
	if (rc != LODE_OK) {
		error("%s", em ? em : lode_status_str(rc));
		lode_free(em);
		free(path);
		free(excludes);
		return cli_exit_code(rc);
	}
	ui_t ui = { isatty(2) && !msg_quiet(), 0, opts_now() };
	lode_index_callbacks_t cb = { on_file, on_warning, on_progress, &stop_flag, &ui };
	struct sigaction sa = { 0 };
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	lode_index_summary_t sum;
	rc = lode_index_update(idx, (const char *const *)argv + optind, (size_t)(argc - optind), &cb, &sum);
	clear_bar(&ui);
	if (rc != LODE_OK && rc != LODE_INTERRUPTED)
		error("%s", lode_index_errmsg(idx));
	lode_status_t crc = lode_index_close(idx);
	if (rc == LODE_OK && crc != LODE_OK) {
		error("%s: cannot commit: %s", path, lode_status_str(crc));
		rc = crc;
	}
	/* an update refused before it began has nothing to sum up */
	if (rc == LODE_OK || rc == LODE_INTERRUPTED || sum.files_seen || sum.failed)
		summary_line(&sum);
	if (stats_json)
		write_stats_json(stats_json, &sum, path);
	free(path);
	free(excludes);
	if (rc == LODE_INTERRUPTED)
		return EXIT_INTERRUPTED;
	if (rc != LODE_OK)
		return cli_exit_code(rc);
	return sum.failed ? EXIT_NOMATCH : EXIT_OK_;
}
