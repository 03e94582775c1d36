/* encoding.h - turn a file's bytes into valid UTF-8 text.
 *
 * Decides between text and binary, strips a UTF-8 BOM, converts UTF-16 (LE/BE,
 * with BOM; without BOM when the NUL pattern makes it unmistakable), converts a
 * declared legacy charset through iconv, and treats bytes that are not valid
 * UTF-8 as Windows-1252 (the usual culprit) instead of dropping them.
 * The output never holds C0 control characters other than \t \n \r \f, nor
 * DEL: each becomes one space (keeps words apart, and byte counts close). */
#ifndef LODE_ENCODING_H
#define LODE_ENCODING_H
#include <stddef.h>
#include "buf.h"

typedef enum {
	ENC_OK = 0,       /* out holds valid UTF-8 */
	ENC_BINARY = 1,   /* NUL bytes or a high share of control bytes */
	ENC_NOMEM = 2,
} enc_result_t;

/* Convert DATA to UTF-8, appending to OUT (which always ends valid UTF-8).
 * CHARSET: a declared charset ("iso-8859-1", "windows-1251", "utf-8" ...) or
 * NULL to guess. An unknown charset name is ignored (guessing instead). A BOM
 * wins over CHARSET; "iso-8859-1"/"latin1" are read as Windows-1252 and
 * "us-ascii" as a guess, as browsers do. ENC_BINARY appends nothing. */
enc_result_t enc_to_utf8(const char *data, size_t len, const char *charset, buf_t *out);

/* 1 when DATA looks binary (NUL bytes outside UTF-16, > 10% control bytes in
 * the first 8 KiB), else 0. */
int enc_is_binary(const char *data, size_t len);

/* 1 when S is entirely valid UTF-8 (no overlongs, no surrogates). */
int enc_valid_utf8(const char *s, size_t len);

/* Length (1..4) of the valid UTF-8 sequence at S, 0 if invalid. */
size_t enc_utf8_seqlen(const char *s, size_t len);

/* Replace, in place, the control bytes enc_to_utf8() never outputs (C0 but
 * \t \n \r \f, and DEL) with spaces; for text that is already UTF-8
 * (JSON strings, say). */
void enc_clean_controls(char *s, size_t len);
#endif
