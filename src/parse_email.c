/* parse_email.c - e-mail messages (RFC 822/2045) and mbox files to documents.
 *
 * One message is one document: Subject is the title, From's display name
 * (else its address) the author, Date the date, Message-ID (without <>) the
 * id, Keywords the tags, Content-Language the language. The text is every
 * text/plain part that is not an attachment, in order; a multipart/alternative
 * contributes one part, text/plain first, then a nested multipart, then
 * text/html (through the HTML extractor). Other types and parts with
 * Content-Disposition: attachment are skipped. Broken MIME is read as far as
 * it goes, with one warning per message: a multipart whose boundary never
 * appears is read as plain text, a missing closing boundary ends the last
 * part at the end of the message, base64 junk is skipped, an unknown
 * transfer encoding is read as is.
 *
 * mbox: a message starts at a "From " line at the top of the file, or after
 * a blank line when it carries a time (hh:mm) as mbox separators do - a body
 * line such as "From here on..." does not split. Body lines ">From ",
 * ">>From " lose one '>' (mboxrd). Each message has subkey "M<n>" (1-based,
 * counting skipped ones) and the line of its "From " separator. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "encoding.h"
#include "mime.h"
#include "parse.h"
#include "parse_html.h"

/* Parts nest a few levels in real mail; the bound keeps recursion shallow. */
#define MIME_MAX_DEPTH 16

typedef struct {
	const parse_input_t *in;
	const char *base;    /* the message's bytes, for line numbers in warnings */
	unsigned base_line;  /* line of base[0] in the file */
	int warned;
	buf_t text, title, author, id, tags, lang;
	char date[11];
} mail_t;

typedef struct {
	char type[80];       /* "text/plain", lowercased */
	char charset[40];
	char cte[40];        /* Content-Transfer-Encoding, lowercased */
	char boundary[256];
	int has_boundary;
	int attachment;
	const char *body;
	size_t body_len;
} part_t;

static void mail_warn(mail_t *m, const char *at, const char *reason)
{
	if (m->warned || !m->in->warn)
		return;
	m->warned = 1;
	unsigned line = m->base_line;
	for (const char *p = m->base; p < at; p++)
		line += *p == '\n';
	m->in->warn(m->in->ctx, line, reason);
}

static int name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && !strncasecmp(name, want, nlen);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Author from a From value: the first mailbox's display name (quotes
 * removed, encoded words decoded), else its "(comment)", else the address. */
static void from_author(const char *val, size_t vlen, buf_t *out)
{
	const char *lt = NULL, *e = val + vlen;
	int quoted = 0, angle = 0;
	for (const char *p = val; p < e; p++) {
		if (*p == '\\' && quoted && p + 1 < e) {
			p++;
		} else if (*p == '"') {
			quoted = !quoted;
		} else if (!quoted && *p == '<' && !lt) {
			lt = p;
			angle = 1;
		} else if (!quoted && *p == '>') {
			angle = 0;
		} else if (!quoted && !angle && *p == ',') {
			e = p; /* only the first mailbox */
			break;
		}
	}
	buf_t name = BUF_INIT;
	const char *addr = val, *addr_end = e;
	if (lt) {
		for (const char *p = val; p < lt; p++) {
			if (*p == '\\' && p + 1 < lt)
				buf_addc(&name, *++p);
			else if (*p != '"')
				buf_addc(&name, *p);
		}
		addr = lt + 1;
		const char *gt = memchr(addr, '>', (size_t)(e - addr));
		addr_end = gt ? gt : e;
	} else {
		const char *lp = memchr(val, '(', (size_t)(e - val));
		const char *rp = lp ? memchr(lp, ')', (size_t)(e - lp)) : NULL;
		if (rp) {
			buf_add(&name, lp + 1, (size_t)(rp - lp - 1));
			addr_end = lp;
		}
	}
	size_t before = out->len;
	if (name.len)
		mime_decode_header(name.p, name.len, out);
	if (out->len == before)
		mime_decode_header(addr, (size_t)(addr_end - addr), out);
	out->oom |= name.oom;
	buf_free(&name);
}

static void date_header(const char *val, size_t vlen, char out[11])
{
	const char *lp = memchr(val, '(', vlen); /* "... +0200 (CEST)" */
	size_t n = lp ? (size_t)(lp - val) : vlen;
	if (date_parse(val, n, out) == 0)
		return;
	const char *comma = memchr(val, ',', n); /* a weekday it may not know */
	if (!comma || date_parse(comma + 1, n - (size_t)(comma + 1 - val), out) != 0)
		out[0] = '\0';
}

/* Append each comma-separated item of the decoded header to OUT. */
static void list_header(const char *val, size_t vlen, buf_t *out)
{
	buf_t d = BUF_INIT;
	mime_decode_header(val, vlen, &d);
	for (const char *p = d.p; p && *p;) {
		size_t n = strcspn(p, ",");
		const char *s = p, *e = p + n;
		while (s < e && is_blank(*s))
			s++;
		while (e > s && is_blank(e[-1]))
			e--;
		if (e > s) {
			if (out->len)
				buf_addc(out, ',');
			buf_add(out, s, (size_t)(e - s));
		}
		p += n + (p[n] == ',');
	}
	out->oom |= d.oom;
	buf_free(&d);
}

static void top_header(mail_t *m, const char *name, size_t nlen, const char *val, size_t vlen)
{
	if (name_is(name, nlen, "subject") && !m->title.len) {
		mime_decode_header(val, vlen, &m->title);
	} else if (name_is(name, nlen, "from") && !m->author.len) {
		from_author(val, vlen, &m->author);
	} else if (name_is(name, nlen, "date") && !m->date[0]) {
		date_header(val, vlen, m->date);
	} else if (name_is(name, nlen, "message-id") && !m->id.len) {
		mime_decode_header(val, vlen, &m->id);
		if (m->id.len >= 2 && m->id.p[0] == '<' && m->id.p[m->id.len - 1] == '>') {
			memmove(m->id.p, m->id.p + 1, m->id.len - 2);
			m->id.len -= 2;
			m->id.p[m->id.len] = '\0';
		}
	} else if (name_is(name, nlen, "keywords")) {
		list_header(val, vlen, &m->tags);
	} else if (name_is(name, nlen, "content-language") && !m->lang.len) {
		size_t i = 0, k;
		while (i < vlen && is_blank(val[i]))
			i++;
		for (k = i; k < vlen && k - i < 35 && (val[k] == '-' || is_alnum(val[k])); k++)
			;
		buf_add(&m->lang, val + i, k - i);
	}
}

/* Read the headers of the entity S[0..len) into P (TOP: also the message's
 * own fields). DEFTYPE applies when Content-Type is absent or unusable. */
static void read_part(mail_t *m, const char *s, size_t len, const char *deftype, part_t *p, int top)
{
	size_t hlen, body = mime_body_offset(s, len, &hlen);
	const char *cur = s, *name, *val;
	size_t nlen, vlen;
	int have_type = 0;
	memset(p, 0, sizeof *p);
	while (mime_header_next(&cur, s + hlen, &name, &nlen, &val, &vlen)) {
		if (name_is(name, nlen, "content-type") && !have_type) {
			have_type = 1;
			mime_value_token(val, vlen, p->type, sizeof p->type);
			mime_param(val, vlen, "charset", p->charset, sizeof p->charset);
			p->has_boundary = mime_param(val, vlen, "boundary", p->boundary,
						     sizeof p->boundary) == 0 && p->boundary[0];
		} else if (name_is(name, nlen, "content-transfer-encoding")) {
			mime_value_token(val, vlen, p->cte, sizeof p->cte);
		} else if (name_is(name, nlen, "content-disposition")) {
			char disp[16];
			mime_value_token(val, vlen, disp, sizeof disp);
			p->attachment = !strcmp(disp, "attachment");
		} else if (top) {
			top_header(m, name, nlen, val, vlen);
		}
	}
	if (!strchr(p->type, '/'))
		snprintf(p->type, sizeof p->type, "%s", deftype);
	p->body = s + body;
	p->body_len = len - body;
}

/* Append decoded UTF-8 text U to the message text: parts on their own
 * lines, CRs and control characters out, no leading blank lines. */
static void add_text(mail_t *m, const char *u, size_t n)
{
	buf_t *t = &m->text;
	if (t->len && t->p[t->len - 1] != '\n')
		buf_addc(t, '\n');
	size_t i = 0;
	if (!t->len)
		while (i < n && is_blank(u[i]))
			i++;
	while (i < n) {
		size_t j = i;
		while (j < n && ((unsigned char)u[j] >= 0x20 || u[j] == '\n' || u[j] == '\t') &&
		       u[j] != 0x7F)
			j++;
		buf_add(t, u + i, j - i);
		i = j + (j < n);
	}
}

static void leaf(mail_t *m, const part_t *p, int html)
{
	buf_t dec = BUF_INIT;
	const char *s = p->body;
	size_t n = p->body_len;
	if (!strcmp(p->cte, "base64")) {
		if (mime_decode_base64(s, n, &dec))
			mail_warn(m, p->body, "email: bad base64 in a MIME part, decodable data kept");
		s = dec.p;
		n = dec.len;
	} else if (!strcmp(p->cte, "quoted-printable")) {
		mime_decode_qp(s, n, &dec);
		s = dec.p;
		n = dec.len;
	} else if (p->cte[0] && strcmp(p->cte, "7bit") && strcmp(p->cte, "8bit") &&
		   strcmp(p->cte, "binary")) {
		mail_warn(m, p->body, "email: unknown Content-Transfer-Encoding, part read as is");
	}
	/* us-ascii labels on 8-bit text are common: let the bytes decide. */
	const char *cs = p->charset[0] && strcasecmp(p->charset, "us-ascii") &&
			 strcasecmp(p->charset, "ascii") ? p->charset : NULL;
	if (n && html) {
		html_doc_t hd;
		parse_result_t hr = html_extract(s, n, cs, &hd);
		if (hr == PARSE_OK)
			add_text(m, hd.text.p, hd.text.len);
		else if (hr == PARSE_FAILED)
			mail_warn(m, p->body, "email: HTML part skipped, the HTML module cannot be loaded");
		m->text.oom |= hd.text.oom;
		html_doc_free(&hd);
	} else if (n) {
		buf_t u = BUF_INIT;
		if (enc_to_utf8(s, n, cs, &u) == ENC_BINARY)
			mail_warn(m, p->body, "email: binary data in a text part, part skipped");
		else
			add_text(m, u.p, u.len);
		m->text.oom |= u.oom;
		buf_free(&u);
	}
	m->text.oom |= dec.oom;
	buf_free(&dec);
}

/* A line L..LE (without '\n') that is "--BD" or "--BD--" with trailing
 * blanks: 1 for a delimiter, 2 for the closing one, 0 otherwise. */
static int delimiter(const char *l, const char *le, const char *bd, size_t bdl)
{
	if ((size_t)(le - l) < bdl + 2 || l[0] != '-' || l[1] != '-' || memcmp(l + 2, bd, bdl))
		return 0;
	const char *r = l + 2 + bdl;
	int kind = 1;
	if (le - r >= 2 && r[0] == '-' && r[1] == '-') {
		kind = 2;
		r += 2;
	}
	while (r < le && is_blank(*r))
		r++;
	return r == le ? kind : 0;
}

/* The next delimiter line in [p, end): returns its start, with *kind and
 * *after (the start of the next line); NULL when there is none. */
static const char *next_delimiter(const char *p, const char *end, const char *bd,
				  int *kind, const char **after)
{
	size_t bdl = strlen(bd);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if ((*kind = delimiter(p, le, bd, bdl))) {
			*after = nl ? nl + 1 : end;
			return p;
		}
		p = nl ? nl + 1 : end;
	}
	return NULL;
}

static void walk(mail_t *m, const char *s, size_t len, const char *deftype, int depth, int top);

/* How much a multipart/alternative wants part S: plain text first. */
static int alternative_score(mail_t *m, const char *s, size_t len)
{
	part_t p;
	read_part(m, s, len, "text/plain", &p, 0);
	if (p.attachment)
		return 0;
	if (!strcmp(p.type, "text/plain"))
		return 3;
	if (!strncmp(p.type, "multipart/", 10))
		return 2;
	return !strcmp(p.type, "text/html");
}

static void walk_multipart(mail_t *m, const part_t *p, int depth)
{
	const char *end = p->body + p->body_len, *after, *best = NULL;
	size_t best_len = 0;
	int kind, best_score = 0;
	int alt = !strcmp(p->type, "multipart/alternative");
	const char *deftype = !strcmp(p->type, "multipart/digest") ? "message/rfc822" : "text/plain";
	const char *d = next_delimiter(p->body, end, p->boundary, &kind, &after);
	if (!d) {
		mail_warn(m, p->body, "email: MIME boundary not found, body read as text");
		leaf(m, p, 0);
		return;
	}
	while (kind == 1) {
		const char *ps = after, *next_after;
		int next_kind = 0;
		const char *nd = next_delimiter(ps, end, p->boundary, &next_kind, &next_after);
		const char *pe = nd ? nd : end;
		if (nd && pe > ps && pe[-1] == '\n') /* the line break belongs to the delimiter */
			pe--;
		if (nd && pe > ps && pe[-1] == '\r')
			pe--;
		if (!nd)
			mail_warn(m, ps, "email: closing MIME boundary missing");
		if (alt) {
			int sc = alternative_score(m, ps, (size_t)(pe - ps));
			if (sc > best_score) {
				best_score = sc;
				best = ps;
				best_len = (size_t)(pe - ps);
			}
		} else {
			walk(m, ps, (size_t)(pe - ps), deftype, depth + 1, 0);
		}
		if (!nd)
			break;
		kind = next_kind;
		after = next_after;
	}
	if (best)
		walk(m, best, best_len, "text/plain", depth + 1, 0);
}

/* Add the text of the entity S[0..len) (a message when TOP). */
static void walk(mail_t *m, const char *s, size_t len, const char *deftype, int depth, int top)
{
	part_t p;
	read_part(m, s, len, deftype, &p, top);
	if (p.attachment)
		return;
	int multi = !strncmp(p.type, "multipart/", 10);
	int message = !strcmp(p.type, "message/rfc822") || !strcmp(p.type, "message/global");
	if ((multi || message) && depth >= MIME_MAX_DEPTH) {
		mail_warn(m, s, "email: MIME parts nested too deeply, inner parts skipped");
	} else if (multi && !p.has_boundary) {
		mail_warn(m, s, "email: multipart without a boundary, body read as text");
		leaf(m, &p, 0);
	} else if (multi) {
		walk_multipart(m, &p, depth);
	} else if (message) {
		walk(m, p.body, p.body_len, "text/plain", depth + 1, 0);
	} else if (!strcmp(p.type, "text/html")) {
		leaf(m, &p, 1);
	} else if (!strcmp(p.type, "text/plain") || !strcmp(p.type, "text/markdown") ||
		   !strcmp(p.type, "text/x-markdown")) {
		leaf(m, &p, 0);
	}
}

static void mail_reset(mail_t *m, const char *s, unsigned line)
{
	m->base = s;
	m->base_line = line;
	m->warned = 0;
	buf_reset(&m->text);
	buf_reset(&m->title);
	buf_reset(&m->author);
	buf_reset(&m->id);
	buf_reset(&m->tags);
	buf_reset(&m->lang);
	m->date[0] = '\0';
}

static void mail_free(mail_t *m)
{
	buf_free(&m->text);
	buf_free(&m->title);
	buf_free(&m->author);
	buf_free(&m->id);
	buf_free(&m->tags);
	buf_free(&m->lang);
}

static int mail_oom(const mail_t *m)
{
	return m->text.oom || m->title.oom || m->author.oom || m->id.oom || m->tags.oom ||
	       m->lang.oom;
}

/* Parse the message S[0..len), whose first byte is on LINE, into M. */
static void mail_parse(mail_t *m, const char *s, size_t len, unsigned line)
{
	mail_reset(m, s, line);
	walk(m, s, len, "text/plain", 0, 1);
	while (m->text.len && is_blank(m->text.p[m->text.len - 1]))
		m->text.p[--m->text.len] = '\0';
}

static const char *nonempty(const buf_t *b)
{
	return b->len ? b->p : NULL;
}

static int mail_emit(const mail_t *m, ldoc_emit_fn emit, const char *subkey, unsigned line)
{
	ldoc_t doc;
	memset(&doc, 0, sizeof doc);
	doc.format = "email";
	doc.title = nonempty(&m->title);
	doc.author = nonempty(&m->author);
	doc.date = m->date[0] ? m->date : NULL;
	doc.tags = nonempty(&m->tags);
	doc.lang = nonempty(&m->lang);
	doc.id = nonempty(&m->id);
	doc.subkey = subkey;
	doc.text = m->text.len ? m->text.p : "";
	doc.text_len = m->text.len;
	doc.line = line;
	return emit(m->in->ctx, &doc);
}

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl : end;
}

parse_result_t parse_email(const parse_input_t *in, ldoc_emit_fn emit, const char **reason)
{
	const char *s = in->data, *end = in->data + in->len;
	unsigned line = 1;
	parse_result_t r = PARSE_OK;
	const char *why = NULL;
	if (enc_is_binary(in->data, in->len)) {
		if (reason)
			*reason = "binary";
		return PARSE_BINARY;
	}
	if (in->len >= 5 && !memcmp(s, "From ", 5)) { /* saved with its mbox separator */
		s = line_end(s, end);
		s += s < end;
		line = 2;
	}
	mail_t m;
	memset(&m, 0, sizeof m);
	m.in = in;
	mail_parse(&m, s, (size_t)(end - s), line);
	if (mail_oom(&m)) {
		r = PARSE_NOMEM;
		why = "out of memory";
	} else if (!m.title.len && !m.text.len) {
		r = PARSE_EMPTY;
		why = "empty";
	} else if (mail_emit(&m, emit, NULL, 1)) {
		r = PARSE_STOPPED;
		why = "stopped";
	}
	mail_free(&m);
	if (reason)
		*reason = why;
	return r;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* mbox writers put the delivery time on the separator; body lines that
 * happen to start with "From " rarely carry "hh:mm". */
static int has_time(const char *l, const char *le)
{
	for (const char *p = l + 5; p + 5 <= le; p++)
		if (is_digit(p[0]) && is_digit(p[1]) && p[2] == ':' && is_digit(p[3]) &&
		    is_digit(p[4]))
			return 1;
	return 0;
}

/* Date of a separator "From addr Tue Sep 14 10:00:00 [zone] 2021", for
 * messages without a usable Date header. */
static void separator_date(const char *l, const char *le, char out[11])
{
	const char *tok[8];
	int tl[8], nt = 0;
	for (const char *p = l + 5; p < le && nt < 8;) {
		while (p < le && is_blank(*p))
			p++;
		if (p >= le)
			break;
		tok[nt] = p;
		while (p < le && !is_blank(*p))
			p++;
		tl[nt] = (int)(p - tok[nt]) < 16 ? (int)(p - tok[nt]) : 16;
		nt++;
	}
	const char *year = NULL;
	for (int i = nt - 1; i >= 5 && !year; i--)
		if (tl[i] == 4 && is_digit(tok[i][0]) && is_digit(tok[i][1]) &&
		    is_digit(tok[i][2]) && is_digit(tok[i][3]))
			year = tok[i];
	if (!year)
		return;
	char d[64];
	int n = snprintf(d, sizeof d, "%.*s %.*s %.4s", tl[3], tok[3], tl[2], tok[2], year);
	if (n <= 0 || date_parse(d, (size_t)n, out) != 0)
		out[0] = '\0';
}

/* mboxrd: ">From " and ">>From " lines lose one '>'. Returns 1 with the
 * unescaped copy in OUT when some line needed it, else 0. Lines keep their
 * numbers. */
static int unescape_from(const char *s, size_t len, buf_t *out)
{
	const char *p = s, *end = s + len, *copied = s;
	int any = 0;
	while (p < end) {
		const char *q = p;
		while (q < end && *q == '>')
			q++;
		if (q > p && end - q >= 5 && !memcmp(q, "From ", 5)) {
			buf_add(out, copied, (size_t)(p - copied));
			copied = p + 1;
			any = 1;
		}
		p = line_end(p, end);
		p += p < end;
	}
	if (any)
		buf_add(out, copied, (size_t)(end - copied));
	return any;
}

typedef struct {
	mail_t m;
	ldoc_emit_fn emit;
	buf_t copy;
	unsigned n, emitted;
} mbox_t;

/* One message: the separator SEP..SEP_END on line SEP_LINE (SEP NULL for
 * text before the first separator), its bytes MSG..MSG_END from MSG_LINE. */
static parse_result_t mbox_message(mbox_t *mb, const char *sep, const char *sep_end,
				   unsigned sep_line, const char *msg, const char *msg_end,
				   unsigned msg_line)
{
	char subkey[16];
	const char *s = msg;
	size_t len = (size_t)(msg_end - msg);
	unsigned line = sep ? sep_line : msg_line;
	snprintf(subkey, sizeof subkey, "M%u", ++mb->n);
	buf_reset(&mb->copy);
	if (unescape_from(msg, len, &mb->copy)) {
		s = mb->copy.p;
		len = mb->copy.len;
	}
	if (mb->copy.oom)
		return PARSE_NOMEM;
	mail_parse(&mb->m, s, len, msg_line);
	if (!mb->m.date[0] && sep)
		separator_date(sep, sep_end, mb->m.date);
	if (mail_oom(&mb->m))
		return PARSE_NOMEM;
	if (!mb->m.title.len && !mb->m.text.len) {
		if (mb->m.in->warn && !mb->m.warned)
			mb->m.in->warn(mb->m.in->ctx, line, "email: empty message skipped");
		return PARSE_OK;
	}
	if (mail_emit(&mb->m, mb->emit, subkey, line))
		return PARSE_STOPPED;
	mb->emitted++;
	return PARSE_OK;
}

static int all_blank(const char *s, const char *e)
{
	for (; s < e; s++)
		if (!is_blank(*s))
			return 0;
	return 1;
}

parse_result_t parse_mbox(const parse_input_t *in, ldoc_emit_fn emit, const char **reason)
{
	const char *s = in->data, *end = in->data + in->len;
	const char *p = s, *msg = s, *sep = NULL, *sep_end = NULL;
	unsigned ln = 1, msg_line = 1, sep_line = 0;
	int prev_blank = 1;
	parse_result_t r = PARSE_OK;
	/* Binary when the first message's headers are: binary data further on
	 * (a raw attachment) is skipped part by part by the message parser. */
	const char *blank = memmem(s, in->len, "\n\n", 2);
	const char *blank_crlf = memmem(s, in->len, "\n\r\n", 3);
	if (!blank || (blank_crlf && blank_crlf < blank))
		blank = blank_crlf;
	if (enc_is_binary(s, blank ? (size_t)(blank - s) : in->len)) {
		if (reason)
			*reason = "binary";
		return PARSE_BINARY;
	}
	mbox_t mb;
	memset(&mb, 0, sizeof mb);
	mb.m.in = in;
	mb.emit = emit;
	for (;;) {
		int at_end = p >= end;
		const char *le = at_end ? end : line_end(p, end);
		int is_sep = !at_end && le - p >= 5 && !memcmp(p, "From ", 5) &&
			     (p == s || (prev_blank && has_time(p, le)));
		if (at_end || is_sep) {
			if (sep || !all_blank(msg, p))
				r = mbox_message(&mb, sep, sep_end, sep_line, msg, p, msg_line);
			if (at_end || r != PARSE_OK)
				break;
			sep = p;
			sep_end = le;
			sep_line = ln;
			msg = le + (le < end);
			msg_line = ln + 1;
		}
		prev_blank = le == p || (le - p == 1 && *p == '\r');
		p = le + (le < end);
		ln++;
	}
	mail_free(&mb.m);
	buf_free(&mb.copy);
	const char *why = NULL;
	if (r == PARSE_OK && !mb.emitted)
		r = PARSE_EMPTY;
	if (r == PARSE_EMPTY)
		why = "empty";
	else if (r == PARSE_STOPPED)
		why = "stopped";
	else if (r == PARSE_NOMEM)
		why = "out of memory";
	if (reason)
		*reason = why;
	return r;
}
