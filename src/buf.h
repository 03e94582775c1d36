/* buf.h - a growable byte buffer with a sticky out-of-memory flag.
 * Appends after a failed allocation do nothing; check buf.oom once at the end
 * (the FTS5 sticky-rc idiom). p is always NUL-terminated when len > 0. */
#ifndef LODE_BUF_H
#define LODE_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct {
	char *p;
	size_t len, cap;
	int oom;
} buf_t;

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(buf_t *b);
void buf_free(buf_t *b);                       /* frees p, back to empty */
void buf_reset(buf_t *b);                      /* len = 0, keeps memory */
int buf_reserve(buf_t *b, size_t extra);       /* 0 ok, -1 oom (sticky) */
int buf_add(buf_t *b, const char *s, size_t n);
int buf_adds(buf_t *b, const char *s);
int buf_addc(buf_t *b, char c);
int buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append S as a JSON string literal, quotes included (invalid UTF-8 bytes
 * become U+FFFD). */
int buf_add_json_str(buf_t *b, const char *s, size_t n);
/* Hand over p (caller frees with free(); never NULL unless oom), buffer empty. */
char *buf_detach(buf_t *b, size_t *len);
#endif
