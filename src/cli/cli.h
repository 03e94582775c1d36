/* cli.h - what the subcommands of the lode program share. */
#ifndef LODE_CLI_H
#define LODE_CLI_H
#include "lode.h"

/* Exit codes, one table (documented in lode(1), EXIT STATUS). */
enum {
	EXIT_OK_ = 0,        /* success; for search: something matched */
	EXIT_NOMATCH = 1,    /* search: nothing matched; index: some files failed */
	EXIT_ERROR = 2,      /* usage error, or an error with the index */
	EXIT_BUSY = 3,       /* the index is locked by another writer (after --wait) */
	EXIT_PARTIAL = 4,    /* search --allow-partial: some shards did not answer */
	EXIT_INTERRUPTED = 130,
};

/* The exit code for a liblode status (the table in main.c). */
int cli_exit_code(lode_status_t st);

typedef int (*cmd_fn)(int argc, char **argv);

typedef struct {
	const char *name;
	cmd_fn run;
	const char *summary;  /* one line for `lode help` */
	const char *usage;    /* the synopsis and options for `lode help NAME` / --help */
} cli_command_t;

/* The index path from -i, else the default; caller frees with lode_free(). */
char *cli_index_path(const char *opt);

int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_compact(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Usage texts, shared by the table and each command's --help. */
extern const char usage_index[], usage_search[], usage_stats[], usage_check[],
	usage_eval[], usage_compact[], usage_merge[], usage_serve[];
#endif
