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
	"\n"
	"Serve an index read-only over TCP with Xapian's xapian-tcpsrv, so that\n"
	"'lode search -i tcp:HOST:PORT' on another machine searches it. Listens on\n"
	"127.0.0.1 unless --interface says otherwise (0.0.0.0: every interface).\n";

int cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "port", required_argument, NULL, 'p' },
		{ "interface", required_argument, NULL, 'I' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *index = NULL, *port = NULL, *iface = "127.0.0.1", *timeout = NULL;
	unsigned u;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': index = optarg; break;
		case 'p': port = optarg; break;
		case 'I': iface = optarg; break;
		case 't': timeout = optarg; break;
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
	if (timeout && opts_uint(timeout, &u)) {
		error("serve: --timeout: expected seconds, got '%s'", timeout);
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
	char *args[12];
	int n = 0;
	args[n++] = "xapian-tcpsrv";
	args[n++] = "--port";
	args[n++] = (char *)port;
	args[n++] = "--interface";
	args[n++] = (char *)iface;
	if (timeout) {
		args[n++] = "--timeout";
		args[n++] = (char *)timeout;
	}
	args[n++] = path;
	args[n] = NULL;
	fflush(NULL);
	execvp(args[0], args);
	error("serve: cannot run xapian-tcpsrv: %m (install xapian-tools)");
	free(path);
	return EXIT_ERROR;
}
