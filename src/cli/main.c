/* main.c - the lode program: dispatch to a subcommand from one table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const char usage_help[] = "lode help [COMMAND]\n";
static const char usage_version[] = "lode --version\n";

static const cli_command_t commands[] = {
	{ "index", cmd_index, "add or update documents in an index", usage_index },
	{ "search", cmd_search, "search an index", usage_search },
	{ "stats", cmd_stats, "show what an index holds", usage_stats },
	{ "check", cmd_check, "verify an index's consistency", usage_check },
	{ "eval", cmd_eval, "evaluate a TREC run against relevance judgments", usage_eval },
	{ "compact", cmd_compact, "compact an index", usage_compact },
	{ "merge", cmd_merge, "merge indexes into one", usage_merge },
	{ "serve", cmd_serve, "serve an index over TCP (xapian-tcpsrv)", usage_serve },
	{ "help", cmd_help, "show help for lode or a command", usage_help },
	{ "version", cmd_version, "print the version", usage_version },
};
#define N_COMMANDS (sizeof commands / sizeof *commands)

static const struct { lode_status_t st; int code; } exit_table[] = {
	{ LODE_OK, EXIT_OK_ },
	{ LODE_BUSY, EXIT_BUSY },
	{ LODE_INTERRUPTED, EXIT_INTERRUPTED },
};

int cli_exit_code(lode_status_t st)
{
	for (size_t i = 0; i < sizeof exit_table / sizeof *exit_table; i++)
		if (exit_table[i].st == st)
			return exit_table[i].code;
	return EXIT_ERROR;
}

char *cli_index_path(const char *opt)
{
	if (opt)
		return strdup(opt);
	return lode_default_index_path();
}

static const cli_command_t *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_overview(FILE *f)
{
	fprintf(f, "usage: lode COMMAND [OPTIONS] [ARGS]\n\n"
		   "lode indexes directories of articles and searches them.\n\nCommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'lode help COMMAND' or 'lode COMMAND --help' shows a command's options.\n"
		   "See lode(1) for the query language and exit codes.\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		print_overview(stdout);
		return EXIT_OK_;
	}
	const cli_command_t *c = find_command(argv[1]);
	if (!c) {
		error("no such command: %s (try 'lode help')", argv[1]);
		return EXIT_ERROR;
	}
	fputs(c->usage, stdout);
	return EXIT_OK_;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc; (void)argv;
	printf("lode %s\n", lode_version());
	return EXIT_OK_;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_overview(stderr);
		return EXIT_ERROR;
	}
	const char *name = argv[1];
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
		name = "version";
	else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		name = "help";
	const cli_command_t *c = find_command(name);
	if (!c) {
		error("no such command: %s (try 'lode help')", msg_safe(argv[1]));
		return EXIT_ERROR;
	}
	return c->run(argc - 1, argv + 1);
}
