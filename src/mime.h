/* mime.h - RFC 822/2045/2047 pieces for the e-mail parser: header blocks,
 * Content-Type parameters, encoded words and transfer encodings. Lines end
 * in LF or CRLF; nothing here allocates except into the caller's buffers. */
#ifndef LODE_MIME_H
#define LODE_MIME_H
#include <stddef.h>
#include "buf.h"

/* Where the body of the entity S[0..len) starts: after the blank line that
 * ends its header block, or at the first line that is neither a header
 * field nor a continuation (a missing separator). *hdr_len gets the length
 * of the header block. */
size_t mime_body_offset(const char *s, size_t len, size_t *hdr_len);

/* Next header field of a header block: *cur walks from the block's start
 * to END. NAME/NLEN get the field name, VAL/VLEN the raw value (still
 * folded, without the final line break). Returns 1, or 0 at the end. */
int mime_header_next(const char **cur, const char *end, const char **name, size_t *nlen,
		     const char **val, size_t *vlen);

/* Decode a header value for people: unfold, decode RFC 2047 encoded words
 * (=?charset?B|Q?...?=) to UTF-8 (raw 8-bit text is taken as UTF-8 or
 * Windows-1252), collapse whitespace and trim. Appends to OUT. */
void mime_decode_header(const char *val, size_t vlen, buf_t *out);

/* The first token of a structured value ("text/plain; charset=..." ->
 * "text/plain"), lowercased into OUT (size OSZ); "" when absent or too long. */
void mime_value_token(const char *val, size_t vlen, char *out, size_t osz);

/* Parameter NAME (case-insensitive) of a Content-Type or
 * Content-Disposition value, unquoted, into OUT (size OSZ). Returns 0, or -1
 * when absent or longer than OSZ - 1. */
int mime_param(const char *val, size_t vlen, const char *name, char *out, size_t osz);

/* Append the base64-decoded S to OUT, skipping whitespace. A character
 * outside the alphabet ends its line's data. Returns how many there were. */
size_t mime_decode_base64(const char *s, size_t len, buf_t *out);

/* Append the quoted-printable-decoded S to OUT: =XX escapes, soft line
 * breaks removed; a malformed '=' stays as it is. */
void mime_decode_qp(const char *s, size_t len, buf_t *out);
#endif
