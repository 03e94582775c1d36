/* buf.c - growable byte buffer; see buf.h. */
#include "buf.h"
#include "encoding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf_t *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

void buf_free(buf_t *b)
{
	free(b->p);
	buf_init(b);
}

void buf_reset(buf_t *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

int buf_reserve(buf_t *b, size_t extra)
{
	if (b->oom)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1) {
		if (cap > ((size_t)-1) / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

int buf_add(buf_t *b, const char *s, size_t n)
{
	if (buf_reserve(b, n))
		return -1;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int buf_adds(buf_t *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addc(buf_t *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_printf(buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char tmp[256];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof tmp)
		return buf_add(b, tmp, (size_t)n);
	if (buf_reserve(b, (size_t)n))
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}


int buf_add_json_str(buf_t *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	buf_addc(b, '"');
	size_t i = 0;
	while (i < n) {
		unsigned c = u[i];
		if (c >= 0x80) {
			size_t k = enc_utf8_seqlen(s + i, n - i);
			if (k == 0) {
				buf_add(b, "\xEF\xBF\xBD", 3);
				i++;
			} else {
				buf_add(b, s + i, k);
				i += k;
			}
			continue;
		}
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7F)
				buf_printf(b, "\\u%04x", c);
			else
				buf_addc(b, (char)c);
		}
		i++;
	}
	return buf_addc(b, '"');
}

char *buf_detach(buf_t *b, size_t *len)
{
	if (b->oom) {
		buf_free(b);
		if (len)
			*len = 0;
		return NULL;
	}
	if (!b->p && buf_reserve(b, 0))
		return NULL;
	char *p = b->p;
	p[b->len] = '\0';
	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}
