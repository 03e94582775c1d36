/* fts5_build.c - the SQLite FTS5 peer for bench/run-bench.sh: build an index.
 *
 * What a user reaching for SQLite would write: one FTS5 table
 *   docs(path UNINDEXED, body)  tokenize='porter unicode61'
 * one transaction, one prepared INSERT per file, default pragmas (so the
 * commit is as durable as Xapian's). The body is the file's bytes as they
 * are: no HTML parsing, no decompression (the harness feeds a plain copy).
 *
 * usage: fts5_build DB [LIST]    LIST: one path per line; "-" or absent: stdin
 * DB is created anew. prints: docs N bytes B seconds S
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads the whole of PATH into *buf (grown as needed, caller frees);
 * returns the length, or -1 with errno set. */
static long slurp(const char *path, char **buf, size_t *cap)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t len = 0;
	for (;;) {
		if (len == *cap) {
			size_t ncap = *cap ? *cap * 2 : 1 << 16;
			char *nb = realloc(*buf, ncap);
			if (!nb) {
				fclose(f);
				errno = ENOMEM;
				return -1;
			}
			*buf = nb;
			*cap = ncap;
		}
		size_t n = fread(*buf + len, 1, *cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		errno = EIO;
		return -1;
	}
	return (long)len;
}

/* Removes DB and the side files a previous run may have left. */
static void remove_db(const char *db)
{
	static const char *const suffix[] = { "", "-journal", "-wal", "-shm" };
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		unlink(p);
	}
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "fts5_build: %s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int build(sqlite3 *db, FILE *list)
{
	double t0 = now();
	if (exec_sql(db, "CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, "
			 "tokenize='porter unicode61')") ||
	    exec_sql(db, "BEGIN"))
		return -1;
	sqlite3_stmt *ins = NULL;
	if (sqlite3_prepare_v2(db, "INSERT INTO docs(path, body) VALUES (?, ?)", -1, &ins,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "fts5_build: prepare: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	char *line = NULL, *body = NULL;
	size_t line_cap = 0, body_cap = 0;
	unsigned long docs = 0, skipped = 0;
	unsigned long long bytes = 0;
	int rc = 0;
	ssize_t n;
	while ((n = getline(&line, &line_cap, list)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			continue;
		long len = slurp(line, &body, &body_cap);
		if (len < 0) {
			fprintf(stderr, "fts5_build: %s: %s\n", line, strerror(errno));
			skipped++;
			continue;
		}
		sqlite3_bind_text64(ins, 1, line, (sqlite3_uint64)n, SQLITE_STATIC, SQLITE_UTF8);
		sqlite3_bind_text64(ins, 2, body, (sqlite3_uint64)len, SQLITE_STATIC, SQLITE_UTF8);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "fts5_build: insert %s: %s\n", line, sqlite3_errmsg(db));
			rc = -1;
			break;
		}
		sqlite3_reset(ins);
		docs++;
		bytes += (unsigned long long)len;
	}
	sqlite3_finalize(ins);
	free(line);
	free(body);
	if (rc == 0 && exec_sql(db, "COMMIT"))
		rc = -1;
	if (rc == 0) {
		printf("docs %lu bytes %llu seconds %.3f", docs, bytes, now() - t0);
		if (skipped)
			printf(" skipped %lu", skipped);
		printf("\n");
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: fts5_build DB [LIST]\n");
		return 2;
	}
	FILE *list = stdin;
	if (argc == 3 && strcmp(argv[2], "-") != 0) {
		list = fopen(argv[2], "r");
		if (!list) {
			fprintf(stderr, "fts5_build: %s: %s\n", argv[2], strerror(errno));
			return 2;
		}
	}
	remove_db(argv[1]);
	sqlite3 *db = NULL;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
		fprintf(stderr, "fts5_build: %s: %s\n", argv[1], sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	int rc = build(db, list);
	sqlite3_close(db);
	if (list != stdin)
		fclose(list);
	return rc ? 1 : 0;
}
