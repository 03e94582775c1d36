/* fts5_query.c - the SQLite FTS5 peer for bench/run-bench.sh: search.
 *
 * Runs the query a user of FTS5 would write against fts5_build's table:
 *   SELECT path, snippet(docs,1,'[',']','...',16) FROM docs
 *   WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10
 * The query is passed to MATCH as it is, so the query set must use syntax
 * FTS5 and lode share: words (implicit AND), "phrases", AND OR NOT, ( ).
 *
 * usage: fts5_query DB QUERY       one query, one process (what the harness
 *                                  times): prints "path<TAB>snippet" lines;
 *                                  exit 0 matched, 1 nothing matched, 2 error
 *        fts5_query DB -f FILE     every line of FILE in one process: prints
 *                                  "ms<TAB>hits<TAB>query" (in-process latency)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

static const char query_sql[] =
	"SELECT path, snippet(docs,1,'[',']','...',16) FROM docs "
	"WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10";

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Runs QUERY with the prepared statement; prints the rows to OUT unless it
 * is NULL. Returns the number of rows, or -1 after printing the error. */
static int run_query(sqlite3 *db, sqlite3_stmt *st, const char *query, FILE *out)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	int rows = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		if (out)
			fprintf(out, "%s\t%s\n", (const char *)sqlite3_column_text(st, 0),
				(const char *)sqlite3_column_text(st, 1));
		else
			(void)sqlite3_column_text(st, 1);  /* build the snippet anyway */
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "fts5_query: %s: %s\n", query, sqlite3_errmsg(db));
		return -1;
	}
	return rows;
}

/* Every non-empty line of PATH as a query; returns the exit code. */
static int run_file(sqlite3 *db, sqlite3_stmt *st, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "fts5_query: %s: %s\n", path, strerror(errno));
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int code = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		double t0 = now_ms();
		int rows = run_query(db, st, line, NULL);
		double dt = now_ms() - t0;
		if (rows < 0)
			code = 2;
		else
			printf("%.3f\t%d\t%s\n", dt, rows, line);
	}
	free(line);
	fclose(f);
	return code;
}

int main(int argc, char **argv)
{
	int file_mode = argc == 4 && strcmp(argv[2], "-f") == 0;
	if (argc != 3 && !file_mode) {
		fprintf(stderr, "usage: fts5_query DB QUERY | fts5_query DB -f FILE\n");
		return 2;
	}
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "fts5_query: %s: %s\n", argv[1], sqlite3_errmsg(db));
		sqlite3_close(db);
		return 2;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, query_sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "fts5_query: %s: %s\n", argv[1], sqlite3_errmsg(db));
		sqlite3_close(db);
		return 2;
	}
	int code;
	if (file_mode) {
		code = run_file(db, st, argv[3]);
	} else {
		int rows = run_query(db, st, argv[2], stdout);
		code = rows < 0 ? 2 : rows == 0 ? 1 : 0;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return code;
}
