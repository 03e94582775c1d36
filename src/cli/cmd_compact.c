/* cmd_compact.c - `lode compact` and `lode merge`, through Xapian's compactor. */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "msg.h"

const char usage_compact[] =
	"usage: lode compact [-i INDEX] [--into OUT]\n"
	"\n"
	"Rewrite an index compactly (Xapian's compactor). With --into, the compacted copy\n"
	"is written to OUT and INDEX is left as it is; without, INDEX is replaced by its\n"
	"compacted copy once that is complete (searches that have it open keep reading the\n"
	"old files). Waits for no writer: run it when 'lode index' is not running.\n";

const char usage_merge[] =
	"usage: lode merge INDEX... --into OUT\n"
	"\n"
	"Merge several indexes (shards) into one new compact index OUT.\n";

static int parse_into(int argc, char **argv, const char *usage, const char **index,
		      const char **into)
{
	static const struct option longopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "into", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': *index = optarg; break;
		case 'o': *into = optarg; break;
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

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

/* Remove a directory tree (an index: a directory of files). */
static int rmtree(const char *dir)
{
	return nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

int cmd_compact(int argc, char **argv)
{
	const char *index = NULL, *into = NULL;
	int p = parse_into(argc, argv, usage_compact, &index, &into);
	if (p)
		return p > 0 ? EXIT_OK_ : EXIT_ERROR;
	if (optind < argc) {
		error("compact: unexpected argument '%s'", argv[optind]);
		return EXIT_ERROR;
	}
	char *path = cli_index_path(index);
	buf_t tmp = BUF_INIT, old = BUF_INIT;
	const char *dest = into;
	if (!dest) {
		buf_printf(&tmp, "%s.compact-%ld", path, (long)getpid());
		dest = tmp.p;
	} else if (exists(dest)) {
		error("compact: %s exists already", dest);
		free(path);
		return EXIT_ERROR;
	}
	const char *srcs[1] = { path };
	char *em = NULL;
	lode_status_t rc = lode_compact(srcs, 1, dest, &em);
	int code = EXIT_OK_;
	if (rc != LODE_OK) {
		error("%s", em ? em : lode_status_str(rc));
		lode_free(em);
		if (!into)
			rmtree(dest);
		code = cli_exit_code(rc);
	} else if (!into) {
		/* swap: the old files stay readable to searches holding them open */
		buf_printf(&old, "%s.old-%ld", path, (long)getpid());
		if (rename(path, old.p) != 0 || rename(dest, path) != 0) {
			error("compact: cannot replace %s: %s", path, strerror(errno));
			if (!exists(path))
				rename(old.p, path);
			code = EXIT_ERROR;
		} else {
			rmtree(old.p);
		}
	}
	buf_free(&tmp);
	buf_free(&old);
	free(path);
	return code;
}

int cmd_merge(int argc, char **argv)
{
	const char *index = NULL, *into = NULL;
	int p = parse_into(argc, argv, usage_merge, &index, &into);
	if (p)
		return p > 0 ? EXIT_OK_ : EXIT_ERROR;
	if (!into || optind >= argc) {
		error("merge: usage: lode merge INDEX... --into OUT");
		return EXIT_ERROR;
	}
	if (exists(into)) {
		error("merge: %s exists already", into);
		return EXIT_ERROR;
	}
	char *em = NULL;
	lode_status_t rc = lode_compact((const char *const *)argv + optind, (size_t)(argc - optind),
					into, &em);
	if (rc != LODE_OK) {
		error("%s", em ? em : lode_status_str(rc));
		lode_free(em);
		return cli_exit_code(rc);
	}
	return EXIT_OK_;
}
