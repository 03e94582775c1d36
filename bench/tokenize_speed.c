/* tokenize_speed.c - throughput of the tokenizer alone (not a test).
 *
 *   tokenize_speed FILE [N [LANG]]
 *
 * Reads FILE into memory, tokenizes it N times (default 10) with a callback
 * that only counts - or, given LANG ("english"), stems each token as
 * indexing does (stem.h: the word -> stem cache, kept from one pass to the
 * next as a build keeps it from one document to the next) - and prints MB/s
 * (10^6 bytes of input per second) and tokens per second. The file is tokenized as one text, so a few large files
 * measure the hot loop rather than call overhead. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "stem.h"
#include "tokenize.h"

typedef struct {
	unsigned long long tokens, bytes;
	stemmer_t *st;
} count_t;

static int count_cb(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
		    unsigned pos, int flags)
{
	count_t *c = ctx;
	c->tokens++;
	if (c->st) {
		size_t n;
		if (!stemmer_stem(c->st, tok, toklen, flags, &n))
			return 1;
		toklen = n;
	}
	c->bytes += toklen;
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	char *p = malloc(cap);
	while (p) {
		n += fread(p + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *q = realloc(p, cap *= 2);
		if (!q)
			free(p);
		p = q;
	}
	if (ferror(f)) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = n;
	return p;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s FILE [N [LANG]]\n", argv[0]);
		return 2;
	}
	int reps = argc >= 3 ? atoi(argv[2]) : 10;
	stemmer_t *st = NULL;
	if (argc == 4) {
		char *em = NULL;
		if (!(st = stemmer_new(argv[3], &em))) {
			fprintf(stderr, "%s: %s\n", argv[3], em ? em : "cannot stem");
			return 2;
		}
	}
	if (reps < 1)
		reps = 1;
	size_t len;
	char *text = slurp(argv[1], &len);
	if (!text) {
		perror(argv[1]);
		return 1;
	}
	count_t c = { 0, 0, st };
	double best = 1e300;
	for (int r = 0; r < reps; r++) {
		count_t one = { 0, 0, st };
		double t0 = now();
		if (tok_run(text, len, 0, count_cb, &one, NULL) != 0) {
			fprintf(stderr, "tok_run failed\n");
			return 1;
		}
		double dt = now() - t0;
		if (dt < best)
			best = dt;
		c = one;
	}
	if (best <= 0)
		best = 1e-9;
	printf("%s: %zu bytes, %llu tokens%s, best of %d: %.1f MB/s, %.1f M tokens/s\n",
	       argv[1], len, c.tokens, st ? " stemmed" : "", reps, (double)len / best / 1e6,
	       (double)c.tokens / best / 1e6);
	stemmer_destroy(st);
	free(text);
	return 0;
}
