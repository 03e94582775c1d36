/* fuzz_common.h - shared by the libFuzzer targets in tests/fuzz/.
 *
 * The callbacks read every byte of every string a parser hands out, so that
 * AddressSanitizer sees a dangling or unterminated pointer at the moment it
 * is handed over, and check the contracts the headers promise (a failed check
 * aborts with a message, which libFuzzer reports as a crash). */
#ifndef LODE_FUZZ_COMMON_H
#define LODE_FUZZ_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "encoding.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(cond, what)                                                            \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "fuzz check failed: %s (%s) at %s:%d\n", what,  \
				#cond, __FILE__, __LINE__);                             \
			abort();                                                        \
		}                                                                       \
	} while (0)

/* Sink for the bytes read, so the reads are not optimised away. */
static volatile size_t fz_sink;

/* Read all of S up to its NUL; returns strlen (0 for NULL). */
static inline size_t fz_touch(const char *s)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	size_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (unsigned char)s[i];
	fz_sink += sum;
	return n;
}

/* Read N bytes of S. */
static inline void fz_touch_n(const char *s, size_t n)
{
	size_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (unsigned char)s[i];
	fz_sink += sum;
}

/* "YYYY-MM-DD" with a month 1-12 and a day 1-31 (date.h's output shape). */
static inline int fz_date_shape(const char *d)
{
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	int m = (d[5] - '0') * 10 + (d[6] - '0');
	int day = (d[8] - '0') * 10 + (d[9] - '0');
	return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

/* What the emit/warn callbacks count; stop_after > 0 makes emit ask the
 * parser to stop after that many documents (the PARSE_STOPPED path). */
typedef struct {
	size_t ndocs, nwarn, stop_after;
	int stopped;
} fz_docs_t;

static inline int fz_emit(void *ctx, const ldoc_t *d)
{
	fz_docs_t *c = ctx;
	FZ_CHECK(d != NULL, "emit got a NULL document");
	FZ_CHECK(d->format && fz_touch(d->format) > 0, "document without a format");
	fz_touch(d->title);
	fz_touch(d->author);
	fz_touch(d->url);
	fz_touch(d->tags);
	fz_touch(d->lang);
	fz_touch(d->id);
	fz_touch(d->subkey);
	if (d->date && d->date[0])
		FZ_CHECK(fz_date_shape(d->date), "doc.date is not YYYY-MM-DD");
	FZ_CHECK(d->text || d->text_len == 0, "NULL text with a length");
	if (d->text) {
		fz_touch_n(d->text, d->text_len);
		FZ_CHECK(enc_valid_utf8(d->text, d->text_len), "doc.text is not valid UTF-8");
	}
	FZ_CHECK(d->line >= 1, "doc.line is not 1-based");
	c->ndocs++;
	if (c->stop_after && c->ndocs >= c->stop_after) {
		c->stopped = 1;
		return 1;
	}
	return 0;
}

static inline void fz_warn(void *ctx, unsigned line, const char *reason)
{
	fz_docs_t *c = ctx;
	FZ_CHECK(reason != NULL, "warn without a reason");
	fz_touch(reason);
	fz_sink += line;
	c->nwarn++;
}

typedef parse_result_t (*fz_parser_fn)(const parse_input_t *, ldoc_emit_fn, const char **);

/* Run PARSER over DATA and check what parse.h promises about the result.
 * Returns the number of documents emitted. */
static inline size_t fz_parse(fz_parser_fn parser, const char *path, fmt_t format,
			    const char *data, size_t len, size_t stop_after,
			    const parse_jsonl_map_t *map)
{
	fz_docs_t c = { 0, 0, stop_after, 0 };
	parse_input_t in = { path, data, len, format, map, fz_warn, &c };
	const char *reason = NULL;
	parse_result_t r = parser(&in, fz_emit, &reason);
	FZ_CHECK(r >= PARSE_OK && r <= PARSE_NOMEM, "unknown parse result");
	fz_touch(reason);
	if (r == PARSE_OK)
		FZ_CHECK(c.ndocs >= 1, "PARSE_OK without a document");
	if (r == PARSE_STOPPED)
		FZ_CHECK(c.stopped, "PARSE_STOPPED though emit never asked to stop");
	if (c.stopped)
		FZ_CHECK(r == PARSE_STOPPED, "emit asked to stop, result is not PARSE_STOPPED");
	return c.ndocs;
}

/* Parse DATA to the end, then, when it held several documents, again with
 * emit asking to stop after the first (the early-exit paths leak easily). */
static inline void fz_parse_all(fz_parser_fn parser, const char *path, fmt_t format,
				const char *data, size_t len, const parse_jsonl_map_t *map)
{
	if (fz_parse(parser, path, format, data, len, 0, map) >= 2)
		fz_parse(parser, path, format, data, len, 1, map);
}

/* The input as a NUL-terminated copy (some targets need a C string); caller frees. */
static inline char *fz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
#endif
