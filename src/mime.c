/* mime.c - RFC 822/2045/2047 pieces for the e-mail parser; see mime.h.
 * Everything is lenient: real mail breaks every rule, and a search index
 * wants whatever text can be recovered rather than a verdict. */
#include "mime.h"

#include <string.h>
#include <strings.h>

#include "encoding.h"

/* Encoded words are at most 75 characters by RFC 2047; mailers exceed that,
 * but a bound keeps a header full of "=?" from being searched quadratically. */
#define WORD_MAX 1024

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* S[0..n) starts with "name:" (optional blanks before the colon). */
static int is_field(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] != ':' && (unsigned char)s[i] > 32 && (unsigned char)s[i] < 127)
		i++;
	if (!i)
		return 0;
	while (i < n && is_wsp(s[i]))
		i++;
	return i < n && s[i] == ':';
}

size_t mime_body_offset(const char *s, size_t len, size_t *hdr_len)
{
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		size_t next = nl ? e + 1 : len;
		size_t n = e - i;
		if (n && s[e - 1] == '\r')
			n--;
		if (n == 0) {
			*hdr_len = i;
			return next;
		}
		/* A leading blank line has no header to continue: no headers. */
		if (is_wsp(s[i]) ? i == 0 : !is_field(s + i, n)) {
			*hdr_len = i;
			return i;
		}
		i = next;
	}
	*hdr_len = len;
	return len;
}

int mime_header_next(const char **cur, const char *end, const char **name, size_t *nlen,
		     const char **val, size_t *vlen)
{
	const char *p = *cur;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		const char *c = p;
		while (c < le && *c != ':' && (unsigned char)*c > 32 && (unsigned char)*c < 127)
			c++;
		const char *ne = c;
		while (c < le && is_wsp(*c))
			c++;
		if (ne == p || c >= le || *c != ':') {
			p = next; /* a stray continuation or junk line */
			continue;
		}
		*name = p;
		*nlen = (size_t)(ne - p);
		c++;
		while (c < le && is_wsp(*c))
			c++;
		const char *ve = le;
		while (next < end && is_wsp(*next)) {
			nl = memchr(next, '\n', (size_t)(end - next));
			ve = nl ? nl : end;
			next = nl ? nl + 1 : end;
		}
		if (ve > c && ve[-1] == '\r')
			ve--;
		*val = c;
		*vlen = (size_t)(ve - c);
		*cur = next;
		return 1;
	}
	*cur = end;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

size_t mime_decode_base64(const char *s, size_t len, buf_t *out)
{
	char tmp[258];
	size_t nt = 0, bad = 0;
	unsigned long acc = 0;
	int n = 0;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '=';
		int v = b64val(c);
		if (v >= 0) {
			acc = (acc << 6) | (unsigned)v;
			if (++n == 4) {
				tmp[nt++] = (char)(acc >> 16);
				tmp[nt++] = (char)(acc >> 8);
				tmp[nt++] = (char)acc;
				n = 0;
				acc = 0;
			}
		} else if (c == '=' || !is_space(c)) {
			/* Padding, or the end: flush a partial quantum. Data may go
			 * on after padding when blocks were concatenated. After a
			 * character that is not base64 the line is out of step:
			 * the rest of it would decode to junk, so it is skipped. */
			if (c != '=') {
				bad++;
				while (i + 1 < len && s[i + 1] != '\n')
					i++;
			}
			if (n == 2) {
				tmp[nt++] = (char)(acc >> 4);
			} else if (n == 3) {
				tmp[nt++] = (char)(acc >> 10);
				tmp[nt++] = (char)(acc >> 2);
			} else if (n == 1) {
				bad++;
			}
			n = 0;
			acc = 0;
		}
		if (nt >= 255) {
			buf_add(out, tmp, nt);
			nt = 0;
		}
	}
	buf_add(out, tmp, nt);
	return bad;
}

void mime_decode_qp(const char *s, size_t len, buf_t *out)
{
	size_t i = 0, start = 0;
	while (i < len) {
		const char *eq = memchr(s + i, '=', len - i);
		if (!eq)
			break;
		i = (size_t)(eq - s);
		buf_add(out, s + start, i - start);
		size_t k = i + 1;
		while (k < len && is_wsp(s[k]))
			k++;
		if (k >= len) {
			i = len; /* soft break at the very end */
		} else if (s[k] == '\n') {
			i = k + 1;
		} else if (s[k] == '\r' && (k + 1 >= len || s[k + 1] == '\n')) {
			i = k + 2 < len ? k + 2 : len;
		} else if (i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			buf_addc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
			i += 3;
		} else {
			buf_addc(out, '=');
			i++;
		}
		start = i;
	}
	if (start < len)
		buf_add(out, s + start, len - start);
}

/* Parse an encoded word at S (which starts with "=?"): returns its length
 * and fills charset, encoding letter and text span, or 0 when it is not one. */
static size_t encoded_word(const char *s, size_t n, char cs[40], char *enc,
			   const char **text, size_t *tlen)
{
	size_t i = 2, k = 0;
	while (i < n && s[i] != '?' && !is_space(s[i]) && k < 39) {
		cs[k++] = s[i];
		i++;
	}
	cs[k] = '\0';
	if (!k || i + 2 >= n || s[i] != '?' || s[i + 2] != '?')
		return 0;
	*enc = (char)(s[i + 1] | 0x20);
	if (*enc != 'b' && *enc != 'q')
		return 0;
	char *star = strchr(cs, '*'); /* RFC 2231 language suffix */
	if (star)
		*star = '\0';
	i += 3;
	size_t lim = n - i < WORD_MAX ? n : i + WORD_MAX;
	for (size_t j = i; j + 1 < lim; j++) {
		if (s[j] == '?' && s[j + 1] == '=') {
			*text = s + i;
			*tlen = j - i;
			return j + 2;
		}
	}
	return 0;
}

static void decode_word(char enc, const char *t, size_t n, buf_t *raw)
{
	if (enc == 'b') {
		mime_decode_base64(t, n, raw);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '_') {
			buf_addc(raw, ' ');
		} else if (t[i] == '=' && i + 2 < n && hexval(t[i + 1]) >= 0 &&
			   hexval(t[i + 2]) >= 0) {
			buf_addc(raw, (char)(hexval(t[i + 1]) * 16 + hexval(t[i + 2])));
			i += 2;
		} else {
			buf_addc(raw, t[i]);
		}
	}
}

/* enc_to_utf8 for header text: control bytes that make it look binary
 * are dropped and the rest converted, rather than losing the whole value. */
static void header_utf8(const char *s, size_t n, const char *cs, buf_t *res)
{
	if (!n || enc_to_utf8(s, n, cs, res) != ENC_BINARY)
		return;
	buf_t clean = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] >= 0x20 && s[i] != 0x7F) || s[i] == '\t')
			buf_addc(&clean, s[i]);
	if (clean.len)
		enc_to_utf8(clean.p, clean.len, cs, res);
	res->oom |= clean.oom;
	buf_free(&clean);
}

static void flush_raw(buf_t *raw, const char *cs, buf_t *res)
{
	header_utf8(raw->p, raw->len, cs[0] ? cs : NULL, res);
	buf_reset(raw);
}

static int all_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_space(s[i]))
			return 0;
	return 1;
}

/* Append S to OUT with whitespace runs as one space, trimmed, controls out. */
static void collapse(const char *s, size_t n, buf_t *out)
{
	int pend = 0;
	size_t start = out->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_space((char)c)) {
			pend = 1;
		} else if (c >= 0x20 && c != 0x7F) {
			if (pend && out->len > start)
				buf_addc(out, ' ');
			pend = 0;
			buf_addc(out, (char)c);
		}
	}
}

void mime_decode_header(const char *val, size_t vlen, buf_t *out)
{
	buf_t raw = BUF_INIT, res = BUF_INIT;
	char pend_cs[40] = "", cs[40];
	const char *plain = val, *end = val + vlen, *p = val;
	int after_word = 0;
	while (p + 1 < end) {
		const char *q = memchr(p, '=', (size_t)(end - p - 1));
		if (!q)
			break;
		const char *text;
		size_t tlen, wl;
		char enc;
		if (q[1] != '?' || !(wl = encoded_word(q, (size_t)(end - q), cs, &enc, &text, &tlen))) {
			p = q + 1;
			continue;
		}
		/* Blanks between two encoded words are not text (RFC 2047 6.2). */
		if (plain < q && !(after_word && all_space(plain, (size_t)(q - plain)))) {
			flush_raw(&raw, pend_cs, &res);
			header_utf8(plain, (size_t)(q - plain), NULL, &res);
		}
		/* Words in one charset are joined before conversion: mailers
		 * split multi-byte characters across them. */
		if (strcasecmp(cs, pend_cs))
			flush_raw(&raw, pend_cs, &res);
		memcpy(pend_cs, cs, sizeof cs);
		decode_word(enc, text, tlen, &raw);
		after_word = 1;
		p = plain = q + wl;
	}
	flush_raw(&raw, pend_cs, &res);
	if (plain < end)
		header_utf8(plain, (size_t)(end - plain), NULL, &res);
	collapse(res.p ? res.p : "", res.len, out);
	out->oom |= raw.oom | res.oom;
	buf_free(&raw);
	buf_free(&res);
}

void mime_value_token(const char *val, size_t vlen, char *out, size_t osz)
{
	size_t i = 0, k = 0;
	while (i < vlen && is_space(val[i]))
		i++;
	while (i < vlen && val[i] != ';' && val[i] != '(' && !is_space(val[i])) {
		if (k + 1 >= osz) {
			out[0] = '\0';
			return;
		}
		char c = val[i++];
		out[k++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	out[k] = '\0';
}

int mime_param(const char *val, size_t vlen, const char *name, char *out, size_t osz)
{
	const char *p = val, *e = val + vlen;
	size_t nl = strlen(name);
	while (p < e) {
		int quoted = 0; /* skip to the next ';' outside a quoted string */
		while (p < e && (quoted || *p != ';')) {
			if (*p == '"')
				quoted = !quoted;
			else if (*p == '\\' && quoted && p + 1 < e)
				p++;
			p++;
		}
		if (p >= e)
			break;
		p++;
		while (p < e && is_space(*p))
			p++;
		const char *an = p;
		while (p < e && *p != '=' && *p != ';' && !is_space(*p))
			p++;
		size_t al = (size_t)(p - an);
		while (p < e && is_space(*p))
			p++;
		if (p >= e || *p != '=')
			continue;
		p++;
		while (p < e && is_space(*p))
			p++;
		int match = al == nl && !strncasecmp(an, name, nl);
		size_t k = 0;
		int too_long = 0;
		if (p < e && *p == '"') {
			for (p++; p < e && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < e)
					p++;
				if (*p == '\r' || *p == '\n')
					continue;
				if (k + 1 < osz)
					out[k++] = *p;
				else
					too_long = 1;
			}
			if (p < e)
				p++;
		} else {
			for (; p < e && *p != ';' && !is_space(*p); p++) {
				if (k + 1 < osz)
					out[k++] = *p;
				else
					too_long = 1;
			}
		}
		if (match) {
			out[k] = '\0';
			return too_long ? -1 : 0;
		}
	}
	if (osz)
		out[0] = '\0';
	return -1;
}
