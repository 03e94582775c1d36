/* cmd_serve.c - `lode serve`: exec xapian-tcpsrv for an index, read-only. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "opts.h"

const char usage_serve[] =
	"usage: lode serve [-i INDEX] --port PORT [--interface ADDR] [--timeout SECONDS]\n"
	"                  [--quiet]\n"
	"\n"
	"Serve an index read-only over TCP with Xapian's xapian-tcpsrv, in the\n"
	"foreground, so that 'lode search -i tcp:HOST:PORT' elsewhere searches it as if\n"
	"it were local. Each connection sees the index as it was when it connected.\n"
	"\n"
	"  -i, --index INDEX    the index (default as for 'lode index')\n"
	"  -p, --port PORT      the TCP port to listen on (required)\n"
	"      --interface ADDR the address to listen on (default 127.0.0.1; 0.0.0.0:\n"
	"                       every interface; nothing is encrypted or authenticated)\n"
	"      --timeout SECONDS close connections idle or busy for longer (default:\n"
	"                       xapian-tcpsrv's)\n"
	"  -q, --quiet          no messages for each connection\n"
	"\n"
	"Exit status: 2 when the index cannot be opened or xapian-tcpsrv cannot be run;\n"
	"otherwise xapian-tcpsrv's.\n";

int cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "port", required_argument, NULL, 'p' },
		{ "interface", required_argument, NULL, 'I' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *index = NULL, *port = NULL, *iface = "127.0.0.1", *timeout = NULL;
	int quiet = 0;
	unsigned u, secs = 0;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:p:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': index = optarg; break;
		case 'p': port = optarg; break;
		case 'I': iface = optarg; break;
		case 't': timeout = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(usage_serve, stdout); return EXIT_OK_;
		default:
			error("serve: unknown option '%s'", argv[optind - 1]);
			return EXIT_ERROR;
		}
	}
	if (!port || opts_uint(port, &u) || u == 0 || u > 65535) {
		error("serve: --port PORT is required (1-65535)");
		return EXIT_ERROR;
	}
	if (timeout && (opts_uint(timeout, &secs) || secs == 0 || secs > 4000000)) {
		error("serve: --timeout: expected seconds (1 or more), got '%s'", timeout);
		return EXIT_ERROR;
	}
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
	lode_stats_free(&st);
	char *args[12], ms[16];
	int n = 0;
	args[n++] = "xapian-tcpsrv";
	args[n++] = "--port";
	args[n++] = (char *)port;
	args[n++] = "--interface";
	args[n++] = (char *)iface;
	if (timeout) {
		/* xapian-tcpsrv counts milliseconds */
		snprintf(ms, sizeof ms, "%u000", secs);
		args[n++] = "--timeout";
		args[n++] = ms;
	}
	if (quiet)
		args[n++] = "--quiet";
	args[n++] = path;
	args[n] = NULL;
	fflush(NULL);
	execvp(args[0], args);
	error("serve: cannot run xapian-tcpsrv: %m (install xapian-tools)");
	free(path);
	return EXIT_ERROR;
}
