/* cmd_compact.c - `lode compact` and `lode merge`, through Xapian's compactor. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "msg.h"
#include "opts.h"
#include "segments.h"

/* Compaction reading an index that a writer commits to meanwhile: try again. */
#define RETRIES 3

const char usage_compact[] =
	"usage: lode compact [-i INDEX] [--into OUT] [--wait SECONDS]\n"
	"\n"
	"Rewrite an index compactly (Xapian's compactor). With --into, the compacted copy\n"
	"is written to OUT and INDEX is left as it is; without, INDEX is replaced by its\n"
	"compacted copy in one step once that is complete: searches that have the old one\n"
	"open keep reading it, searches started after see the new one. Meanwhile the\n"
	"index is locked against writers, as 'lode index' locks it.\n"
	"\n"
	"  -i, --index INDEX    the index (default as for 'lode index')\n"
	"      --into OUT       write the compact copy to OUT (must not exist)\n"
	"      --wait SECONDS   wait this long for a running 'lode index' (default 0)\n"
	"\n"
	"Exit status: 0 done, 2 error, 3 the index is busy (another writer).\n";

const char usage_merge[] =
	"usage: lode merge INDEX... --into OUT\n"
	"\n"
	"Merge several indexes (shards) into one new compact index OUT, which searches\n"
	"as the indexes searched together do: 'lode search -i A -i B' and\n"
	"'lode search -i OUT' give the same hits, scores and snippets.\n"
	"\n"
	"      --into OUT       the new index (must not exist)\n"
	"\n"
	"Exit status: 0 done, 2 error.\n";

typedef struct {
	const char *index, *into;
	unsigned wait_seconds;
} compact_args_t;

static int parse_into(int argc, char **argv, const char *usage, compact_args_t *a)
{
	static const struct option longopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "into", required_argument, NULL, 'o' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': a->index = optarg; break;
		case 'o': a->into = optarg; break;
		case 'w':
			if (opts_uint(optarg, &a->wait_seconds)) {
				error("%s: --wait: expected seconds, got '%s'", argv[0], optarg);
				return -1;
			}
			break;
		case 'h': fputs(usage, stdout); return 1;
		default:
			error("%s: unknown option '%s'", argv[0], argv[optind - 1]);
			return -1;
		}
	}
	return 0;
}

static int exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

/* lode_compact, again while a writer's commit gets in the way. */
static lode_status_t compact_retry(const char *const *srcs, size_t n, const char *dest)
{
	lode_status_t rc = LODE_RETRY;
	for (int i = 0; i < RETRIES && rc == LODE_RETRY; i++) {
		char *em = NULL;
		if (i)
			segments_rmtree(dest);
		rc = lode_compact(srcs, n, dest, &em);
		if (rc != LODE_OK && (rc != LODE_RETRY || i + 1 == RETRIES))
			error("%s", em ? em : lode_status_str(rc));
		lode_free(em);
	}
	return rc;
}

/* 0 when PATH opens as one local index (read-only: nothing is created, so
 * that a mistyped path is never turned into an index, then replaced), else
 * the exit code, said. */
static int check_index(const char *path)
{
	lode_stats_t st;
	char *em = NULL;
	lode_status_t rc = lode_stats_get(path, &st, &em);
	lode_stats_free(&st);
	if (rc != LODE_OK) {
		error("%s", em ? em : lode_status_str(rc));
		lode_free(em);
		return cli_exit_code(rc);
	}
	return 0;
}

/* In place: lock against writers, compact beside, swap, remove the old. */
static int compact_in_place(const char *path, unsigned wait_seconds)
{
	int code = check_index(path);
	if (code)
		return code;
	lode_index_opts_t o;
	lode_index_opts_init(&o);
	o.wait_seconds = wait_seconds;
	lode_index_t *lock = NULL;
	char *em = NULL;
	lode_status_t rc = lode_index_open(path, &o, &lock, &em);
	if (rc != LODE_OK) {
		error("%s", em ? em : lode_status_str(rc));
		lode_free(em);
		return cli_exit_code(rc);
	}
	/* beside the index, on its file system, so that the swap is a rename */
	buf_t tmp = BUF_INIT;
	size_t pl = strlen(path);
	while (pl > 1 && path[pl - 1] == '/')
		pl--;
	buf_printf(&tmp, "%.*s.compact-%ld", (int)pl, path, (long)getpid());
	if (exists(tmp.p))
		segments_rmtree(tmp.p);
	const char *srcs[1] = { path };
	rc = compact_retry(srcs, 1, tmp.p);
	if (rc != LODE_OK) {
		code = cli_exit_code(rc);
	} else if (segments_swap(path, tmp.p) != 0) {
		error("compact: cannot replace %s: %s", path, strerror(errno));
		code = EXIT_ERROR;
	}
	/* the lock is on the old files, which the swap moved to tmp */
	lode_index_close(lock);
	segments_rmtree(tmp.p);
	buf_free(&tmp);
	return code;
}

int cmd_compact(int argc, char **argv)
{
	compact_args_t a = { 0 };
	int p = parse_into(argc, argv, usage_compact, &a);
	if (p)
		return p > 0 ? EXIT_OK_ : EXIT_ERROR;
	if (optind < argc) {
		error("compact: unexpected argument '%s'", argv[optind]);
		return EXIT_ERROR;
	}
	char *path = cli_index_path(a.index);
	int code = EXIT_OK_;
	if (!a.into) {
		code = compact_in_place(path, a.wait_seconds);
	} else if (exists(a.into)) {
		error("compact: %s exists already", a.into);
		code = EXIT_ERROR;
	} else {
		const char *srcs[1] = { path };
		lode_status_t rc = compact_retry(srcs, 1, a.into);
		if (rc != LODE_OK) {
			segments_rmtree(a.into);
			code = cli_exit_code(rc);
		}
	}
	free(path);
	return code;
}

int cmd_merge(int argc, char **argv)
{
	compact_args_t a = { 0 };
	int p = parse_into(argc, argv, usage_merge, &a);
	if (p)
		return p > 0 ? EXIT_OK_ : EXIT_ERROR;
	if (a.index || !a.into || optind >= argc) {
		error("merge: usage: lode merge INDEX... --into OUT");
		return EXIT_ERROR;
	}
	if (exists(a.into)) {
		error("merge: %s exists already", a.into);
		return EXIT_ERROR;
	}
	lode_status_t rc = compact_retry((const char *const *)argv + optind, (size_t)(argc - optind),
					 a.into);
	if (rc != LODE_OK) {
		segments_rmtree(a.into);
		return cli_exit_code(rc);
	}
	return EXIT_OK_;
}
