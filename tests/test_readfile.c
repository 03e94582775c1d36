/* test_readfile.c - reading files and stdin, gunzipping, size caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "readfile.h"
#include "helpers/testutil.h"

/* gzip-compress DATA (malloc'd result in *out). */
static size_t gz(const char *data, size_t len, char **out)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
			 Z_OK);
	size_t cap = deflateBound(&zs, (uLong)len) + 64;
	*out = malloc(cap);
	assert_non_null(*out);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)*out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

/* gzip applied DEPTH times. */
static size_t gz_n(const char *data, size_t len, int depth, char **out)
{
	char *cur = malloc(len + 1);
	assert_non_null(cur);
	memcpy(cur, data, len);
	size_t n = len;
	for (int i = 0; i < depth; i++) {
		char *next;
		n = gz(cur, n, &next);
		free(cur);
		cur = next;
	}
	*out = cur;
	return n;
}

static const char text[] = "The quick brown fox jumps over the lazy dog.\n";

enum mangle { M_NONE, M_TWO_MEMBERS, M_TRUNCATE, M_CORRUPT, M_TRAILING_JUNK, M_MAGIC_ONLY };

struct mem_case {
	const char *name;
	const char *plain;   /* the content before compression */
	int depth;           /* gzip layers */
	enum mangle mangle;
	size_t max_size;
	rf_result_t want_rc;
	const char *want;    /* content (RF_OK) or reason */
	int want_gzip;
};

static void test_from_memory(void **state)
{
	(void)state;
	static const struct mem_case cases[] = {
		{ "plain", text, 0, M_NONE, 1000, RF_OK, text, 0 },
		{ "plain, exactly max", "12345", 0, M_NONE, 5, RF_OK, "12345", 0 },
		{ "plain, too large", "123456", 0, M_NONE, 5, RF_TOO_LARGE, "file too large", 0 },
		{ "gzip", text, 1, M_NONE, 1000, RF_OK, text, 1 },
		{ "gzip of nothing", "", 1, M_NONE, 1000, RF_OK, "", 1 },
		{ "gzip, decompressed exactly max", "12345", 1, M_NONE, 5, RF_OK, "12345", 1 },
		{ "gzip, decompressed too large", "123456", 1, M_NONE, 5, RF_TOO_LARGE,
		  "decompressed data too large", 1 },
		{ "gzip twice", text, 2, M_NONE, 1000, RF_OK, text, 1 },
		{ "gzip three times", text, 3, M_NONE, 1000, RF_OK, text, 1 },
		{ "gzip four times", text, 4, M_NONE, 1000, RF_BAD_GZIP, "gzip nested too deeply", 1 },
		{ "two members", text, 1, M_TWO_MEMBERS, 1000, RF_OK,
		  "The quick brown fox jumps over the lazy dog.\n"
		  "The quick brown fox jumps over the lazy dog.\n", 1 },
		{ "truncated", text, 1, M_TRUNCATE, 1000, RF_BAD_GZIP, "truncated gzip stream", 1 },
		{ "corrupt", text, 1, M_CORRUPT, 1000, RF_BAD_GZIP, "corrupt gzip stream", 1 },
		{ "trailing junk ignored", text, 1, M_TRAILING_JUNK, 1000, RF_OK, text, 1 },
		{ "magic bytes only", text, 1, M_MAGIC_ONLY, 1000, RF_BAD_GZIP,
		  "truncated gzip stream", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct mem_case *c = &cases[i];
		char *in;
		size_t n = gz_n(c->plain, strlen(c->plain), c->depth, &in);
		if (c->mangle == M_TWO_MEMBERS) {
			in = realloc(in, 2 * n);
			memcpy(in + n, in, n);
			n *= 2;
		} else if (c->mangle == M_TRUNCATE) {
			n /= 2;
		} else if (c->mangle == M_CORRUPT) {
			for (size_t k = 12; k < n - 8; k++)
				in[k] = (char)(in[k] ^ 0x5A);
		} else if (c->mangle == M_TRAILING_JUNK) {
			in = realloc(in, n + 4);
			memcpy(in + n, "\0\0\0\0", 4);
			n += 4;
		} else if (c->mangle == M_MAGIC_ONLY) {
			n = 2;
		}
		char *data = (char *)"unset";
		size_t len = 99;
		int was_gzip = -1;
		const char *reason = NULL;
		rf_result_t rc = rf_from_memory(in, n, c->max_size, &data, &len, &was_gzip, &reason);
		if (rc != c->want_rc)
			fail_msg("%s: result %d (%s), want %d", c->name, rc, reason ? reason : "",
				 c->want_rc);
		if (was_gzip != c->want_gzip)
			fail_msg("%s: was_gzip %d", c->name, was_gzip);
		if (rc == RF_OK) {
			assert_int_equal(len, strlen(c->want));
			if (memcmp(data, c->want, len) != 0 || data[len] != '\0')
				fail_msg("%s: got \"%s\"", c->name, data);
		} else {
			if (data != NULL)
				fail_msg("%s: data not NULL on failure", c->name);
			if (!reason || strcmp(reason, c->want) != 0)
				fail_msg("%s: reason \"%s\", want \"%s\"", c->name,
					 reason ? reason : "(null)", c->want);
		}
		free(data);
		free(in);
	}
}

/* 20 MB of zeros (about 20 KB compressed) against a 1 MB cap. */
static void test_gzip_bomb(void **state)
{
	(void)state;
	size_t big = 20u << 20;
	char *zeros = calloc(big, 1);
	assert_non_null(zeros);
	char *bomb;
	size_t n = gz(zeros, big, &bomb);
	free(zeros);
	assert_true(n < big / 100);
	char *data = NULL;
	size_t len = 0;
	const char *reason = NULL;
	assert_int_equal(rf_from_memory(bomb, n, 1u << 20, &data, &len, NULL, &reason),
			 RF_TOO_LARGE);
	assert_null(data);
	assert_string_equal(reason, "decompressed data too large");
	/* The same bomb, gzipped again: stopped at the inner layer too. */
	char *bomb2;
	size_t n2 = gz(bomb, n, &bomb2);
	assert_int_equal(rf_from_memory(bomb2, n2, 1u << 20, &data, &len, NULL, &reason),
			 RF_TOO_LARGE);
	free(bomb2);
	free(bomb);
}

struct file_fixture {
	char *dir;
};

static int setup(void **state)
{
	struct file_fixture *f = calloc(1, sizeof *f);
	f->dir = tu_mkdtemp();
	if (!f->dir)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct file_fixture *f = *state;
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void test_read_files(void **state)
{
	struct file_fixture *f = *state;
	char *z;
	size_t zn = gz(text, sizeof text - 1, &z);
	char *plain = tu_write(f->dir, "a.txt", text, sizeof text - 1);
	/* Compressed but named .txt: the magic bytes decide, not the name. */
	char *zipped = tu_write(f->dir, "b.txt", z, zn);
	free(z);
	char *empty = tu_write(f->dir, "empty", "", 0);
	char many[1000];
	memset(many, 'a', sizeof many);
	size_t mn = gz(many, sizeof many, &z);
	char *zmany = tu_write(f->dir, "many.gz", z, mn);
	free(z);
	char *missing = tu_path(f->dir, "missing.txt");

	struct { const char *path; size_t max; rf_result_t rc; const char *want; int gz; } cases[] = {
		{ plain, 1000, RF_OK, text, 0 },
		{ zipped, 1000, RF_OK, text, 1 },
		{ empty, 1000, RF_OK, "", 0 },
		{ plain, 10, RF_TOO_LARGE, "file too large", 0 },
		{ zipped, 10, RF_TOO_LARGE, "file too large", 0 },   /* raw size over: fstat */
		{ zmany, 500, RF_TOO_LARGE, "decompressed data too large", 1 },
		{ missing, 1000, RF_UNREADABLE, strerror(ENOENT), 0 },
		{ f->dir, 1000, RF_UNREADABLE, strerror(EISDIR), 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *data = NULL;
		size_t len = 0;
		int was_gzip = -1;
		const char *reason = NULL;
		rf_result_t rc = rf_read(cases[i].path, cases[i].max, &data, &len, &was_gzip, &reason);
		if (rc != cases[i].rc)
			fail_msg("case %zu: result %d (%s)", i, rc, reason ? reason : "");
		if (rc == RF_OK) {
			assert_string_equal(data, cases[i].want);
			assert_int_equal(len, strlen(cases[i].want));
			assert_int_equal(was_gzip, cases[i].gz);
		} else {
			assert_null(data);
			assert_non_null(reason);
			assert_string_equal(reason, cases[i].want);
		}
		free(data);
	}
	free(plain);
	free(zipped);
	free(empty);
	free(zmany);
	free(missing);
}

static void test_unreadable(void **state)
{
	struct file_fixture *f = *state;
	if (geteuid() == 0)
		skip(); /* root reads everything */
	char *p = tu_write(f->dir, "secret.txt", "x", 1);
	chmod(p, 0);
	char *data = NULL;
	size_t len;
	const char *reason = NULL;
	assert_int_equal(rf_read(p, 100, &data, &len, NULL, &reason), RF_UNREADABLE);
	assert_string_equal(reason, strerror(EACCES));
	assert_null(data);
	free(p);
}

/* /proc files report size 0 and have content: the read goes past fstat. */
static void test_size_unknown(void **state)
{
	(void)state;
	char *data = NULL;
	size_t len = 0;
	const char *reason = NULL;
	assert_int_equal(rf_read("/proc/self/status", 1 << 20, &data, &len, NULL, &reason), RF_OK);
	assert_true(len > 0);
	assert_non_null(strstr(data, "Name:"));
	free(data);
	assert_int_equal(rf_read("/proc/self/status", 10, &data, &len, NULL, &reason),
			 RF_TOO_LARGE);
	assert_null(data);
}

/* Run rf_read("-") with stdin redirected from PATH. */
static rf_result_t read_stdin_from(const char *path, size_t max, char **data, size_t *len,
				   int *was_gzip)
{
	int saved = dup(STDIN_FILENO);
	int fd = open(path, O_RDONLY);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDIN_FILENO);
	close(fd);
	const char *reason;
	rf_result_t rc = rf_read("-", max, data, len, was_gzip, &reason);
	dup2(saved, STDIN_FILENO);
	close(saved);
	return rc;
}

static void test_stdin(void **state)
{
	struct file_fixture *f = *state;
	char *z;
	size_t zn = gz(text, sizeof text - 1, &z);
	char *p = tu_write(f->dir, "in.gz", z, zn);
	free(z);
	char *data = NULL;
	size_t len = 0;
	int was_gzip = 0;
	assert_int_equal(read_stdin_from(p, 1000, &data, &len, &was_gzip), RF_OK);
	assert_string_equal(data, text);
	assert_int_equal(was_gzip, 1);
	free(data);
	free(p);
}

/* A pipe (no size known in advance), fed by a child: small and too large. */
static void test_fifo(void **state)
{
	struct file_fixture *f = *state;
	char *p = tu_path(f->dir, "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	size_t sizes[] = { 100, 300000 };
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			int fd = open(p, O_WRONLY);
			char chunk[1000];
			memset(chunk, 'y', sizeof chunk);
			for (size_t done = 0; done < sizes[i]; done += 100)
				if (write(fd, chunk, 100) != 100)
					_exit(0); /* reader stopped early */
			_exit(0);
		}
		char *data = NULL;
		size_t len = 0;
		const char *reason = NULL;
		rf_result_t rc = rf_read(p, 200000, &data, &len, NULL, &reason);
		int status;
		waitpid(pid, &status, 0);
		if (i == 0) {
			assert_int_equal(rc, RF_OK);
			assert_int_equal(len, 100);
		} else {
			assert_int_equal(rc, RF_TOO_LARGE);
			assert_null(data);
		}
		free(data);
	}
	free(p);
}

/* With RF_REGULAR_ONLY a FIFO (a file replaced by one mid-run) is refused at
 * once instead of waiting for a writer that never comes. */
static void test_fifo_refused(void **state)
{
	struct file_fixture *f = *state;
	char *p = tu_path(f->dir, "fifo2");
	assert_int_equal(mkfifo(p, 0600), 0);
	char *data = NULL;
	size_t len = 0;
	const char *reason = NULL;
	assert_int_equal(rf_read_flags(p, RF_REGULAR_ONLY, 1000, &data, &len, NULL, &reason),
			 RF_UNREADABLE);
	assert_null(data);
	assert_string_equal(reason, "not a regular file");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_memory),
		cmocka_unit_test(test_gzip_bomb),
		cmocka_unit_test_setup_teardown(test_read_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
		cmocka_unit_test(test_size_unknown),
		cmocka_unit_test_setup_teardown(test_stdin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
