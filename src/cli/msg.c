/* msg.c - one-line messages to stderr; see msg.h. */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "encoding.h"

static int quiet;

void msg_set_quiet(int q) { quiet = q; }
int msg_quiet(void) { return quiet; }

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	char line[4096];
	vsnprintf(line, sizeof line, fmt, ap);
	/* One line: a message never spans lines, whatever it quotes. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "lode: %s%s\n", kind, line);
}

void error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
}

void warn(const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

const char *msg_safe(const char *s)
{
	static char slots[2][2048];
	static int which;
	char *out = slots[which];
	which ^= 1;
	size_t o = 0, len = strlen(s);
	for (size_t i = 0; i < len && o + 5 < sizeof slots[0];) {
		unsigned char c = (unsigned char)s[i];
		/* bytes that are not UTF-8 (a Latin-1 file name) would reach the
		 * terminal as garbage: shown as \xNN like the controls */
		size_t k = c < 0x80 ? 1 : enc_utf8_seqlen(s + i, len - i);
		if (k > 1 && o + k < sizeof slots[0] - 1) {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		if (c == '\n') {
			out[o++] = '\\'; out[o++] = 'n';
		} else if (c == '\t') {
			out[o++] = '\\'; out[o++] = 't';
		} else if (c < 0x20 || c >= 0x7F) {
			o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
		i++;
	}
	out[o] = '\0';
	return out;
}
