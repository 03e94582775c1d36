/* parse_text.c - plain text: the whole content is the text; a first line that
 * reads like a title is the title (and stays in the text); a date line near
 * the top is the date. */
#include <string.h>

#include "buf.h"
#include "date.h"
#include "encoding.h"
#include "parse.h"

/* Longest title, in characters, and longest one that may end with a period. */
#define TITLE_MAX 120
#define TITLE_PERIOD_MAX 40
/* Where to look for a date line. */
#define DATE_LINES 6

static int is_blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* The line at S[*pos...] trimmed of blanks into [*line, *n); *pos moves past
 * it. Returns 0 at the end of S. */
static int take_line(const char *s, size_t len, size_t *pos, const char **line, size_t *n)
{
	if (*pos >= len)
		return 0;
	const char *p = s + *pos;
	const char *nl = memchr(p, '\n', len - *pos);
	size_t k = nl ? (size_t)(nl - p) : len - *pos;
	*pos += k + (nl ? 1 : 0);
	while (k && is_blank_char(*p))
		p++, k--;
	while (k && is_blank_char(p[k - 1]))
		k--;
	*line = p;
	*n = k;
	return 1;
}

static size_t count_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Short, has a letter or digit, does not end like a sentence or a lead-in,
 * is neither a date nor a byline. */
static int reads_like_title(const char *s, size_t n)
{
	size_t chars = count_chars(s, n);
	if (chars == 0 || chars > TITLE_MAX)
		return 0;
	int alnum = 0;
	for (size_t i = 0; i < n && !alnum; i++) {
		unsigned char c = (unsigned char)s[i];
		alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
	}
	if (!alnum)
		return 0;
	char last = s[n - 1];
	if (last == ',' || last == ';' || last == ':')
		return 0;
	if (last == '.' && !(n >= 3 && s[n - 2] == '.' && s[n - 3] == '.') &&
	    chars > TITLE_PERIOD_MAX)
		return 0;
	char date[11];
	if (date_parse(s, n, date) == 0)
		return 0;
	if (n > 3 && (s[0] | 0x20) == 'b' && (s[1] | 0x20) == 'y' && s[2] == ' ')
		return 0;
	return 1;
}

/* A line of '=' or '-' (three or more) under a title. */
static int is_underline(const char *s, size_t n)
{
	if (n < 3 || (s[0] != '=' && s[0] != '-'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (s[i] != s[0])
			return 0;
	return 1;
}

/* The title: the first non-empty line when it reads like one and stands
 * apart (a blank line or an underline after it, or nothing else at all). */
static int find_title(const char *s, size_t len, const char **title, size_t *tlen)
{
	size_t pos = 0, n = 0;
	const char *line = NULL;
	while (take_line(s, len, &pos, &line, &n) && n == 0)
		;
	if (!line || n == 0 || !reads_like_title(line, n))
		return 0;
	const char *next;
	size_t nn;
	if (take_line(s, len, &pos, &next, &nn) && nn != 0 && !is_underline(next, nn))
		return 0;
	*title = line;
	*tlen = n;
	return 1;
}

parse_result_t parse_text(const parse_input_t *in, ldoc_emit_fn emit, const char **reason)
{
	const char *dummy;
	if (!reason)
		reason = &dummy;
	*reason = NULL;
	buf_t text = BUF_INIT;
	enc_result_t er = enc_to_utf8(in->data, in->len, NULL, &text);
	if (er == ENC_BINARY) {
		*reason = "binary";
		return PARSE_BINARY;
	}
	if (er != ENC_OK) {
		buf_free(&text);
		*reason = "out of memory";
		return PARSE_NOMEM;
	}
	size_t i = 0;
	while (i < text.len && (is_blank_char(text.p[i]) || text.p[i] == '\n'))
		i++;
	if (i == text.len) {
		buf_free(&text);
		*reason = "empty";
		return PARSE_EMPTY;
	}

	const char *t = NULL;
	size_t tlen = 0;
	buf_t title = BUF_INIT;
	if (find_title(text.p, text.len, &t, &tlen))
		buf_add(&title, t, tlen);
	char date[11];
	int has_date = date_find_in_text(text.p, text.len, DATE_LINES, date) == 0;
	parse_result_t rc = PARSE_OK;
	if (title.oom) {
		rc = PARSE_NOMEM;
		*reason = "out of memory";
	} else {
		ldoc_t doc = {
			.format = "text",
			.title = title.len ? title.p : NULL,
			.date = has_date ? date : NULL,
			.text = text.p,
			.text_len = text.len,
			.line = 1,
		};
		if (emit(in->ctx, &doc) != 0) {
			rc = PARSE_STOPPED;
			*reason = "stopped";
		}
	}
	buf_free(&title);
	buf_free(&text);
	return rc;
}
