/* parse_markdown.c - Markdown through md4c: the text as a reader sees it (one
 * block per line, a blank line between paragraphs, link and image text kept,
 * URLs and raw HTML dropped, entities decoded), metadata from front matter,
 * and the conventions of scraped articles: a "By ..." byline and a date line
 * near the top, and an "Original url:" line giving the source address. */
#include <dlfcn.h>
#include <limits.h>
#include <md4c.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "date.h"
#include "encoding.h"
#include "frontmatter.h"
#include "html_module.h"
#include "parse.h"

/* How far down the rendered text a byline or a date line may be. */
#define TOP_LINES 8
/* Longest author a byline may give. */
#define BYLINE_MAX 80

typedef struct {
	buf_t out;        /* the rendered text */
	buf_t title;      /* text of the first level-1 heading */
	int in_title, title_done;
	int after_image;  /* the last inline was an image: its alt text is a caption */
	int cells;        /* cells so far in the current table row */
} render_t;

static void add(render_t *r, const char *s, size_t n)
{
	buf_add(&r->out, s, n);
	if (r->in_title)
		buf_add(&r->title, s, n);
}

/* Start a block on a line of its own. */
static void newline(render_t *r)
{
	if (r->out.len && r->out.p[r->out.len - 1] != '\n')
		buf_addc(&r->out, '\n');
}

/* End a paragraph-like block: exactly one blank line after it. */
static void blank_line(render_t *r)
{
	if (!r->out.len)
		return;
	newline(r);
	if (r->out.len < 2 || r->out.p[r->out.len - 2] != '\n')
		buf_addc(&r->out, '\n');
}

static void add_codepoint(render_t *r, unsigned cp)
{
	char b[4];
	size_t n;
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp == 0xA0)
		cp = ' '; /* &nbsp;: a space to the reader and the tokenizer */
	if (cp < 0x80) {
		b[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F)
		b[0] = ' '; /* &#1; and friends: no control characters out */
	add(r, b, n);
}

/* "&amp;", "&#233;", "&#xE9;": md4c hands over the raw entity. Names come
 * from libxml2's HTML table (in the HTML module); an unknown one stays as
 * written, as does every name when the module cannot be loaded. */
static void add_entity(render_t *r, const char *s, size_t n)
{
	if (n >= 4 && s[1] == '#') {
		unsigned cp = 0;
		int hex = s[2] == 'x' || s[2] == 'X';
		for (size_t i = hex ? 3 : 2; i + 1 < n && cp <= 0x10FFFF; i++) {
			char c = s[i];
			unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
				   : (unsigned)((c | 0x20) - 'a' + 10);
			cp = cp * (hex ? 16 : 10) + d;
		}
		add_codepoint(r, cp);
		return;
	}
	char name[48];
	if (n >= 3 && n - 2 < sizeof name) {
		memcpy(name, s + 1, n - 2);
		name[n - 2] = '\0';
		const html_module_t *m = html_module(NULL);
		unsigned cp = m ? m->entity(name) : 0;
		if (cp) {
			add_codepoint(r, cp);
			return;
		}
	}
	add(r, s, n);
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	render_t *r = ud;
	switch (type) {
	case MD_BLOCK_H:
		newline(r);
		if (((MD_BLOCK_H_DETAIL *)detail)->level == 1 && !r->title_done)
			r->in_title = 1;
		break;
	case MD_BLOCK_TR:
		newline(r);
		r->cells = 0;
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		if (r->cells++)
			buf_adds(&r->out, " | ");
		break;
	case MD_BLOCK_DOC:
	case MD_BLOCK_HTML:
		break;
	default:
		newline(r);
	}
	r->after_image = 0;
	return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	render_t *r = ud;
	(void)detail;
	switch (type) {
	case MD_BLOCK_H:
		if (r->in_title) {
			r->in_title = 0;
			r->title_done = 1;
		}
		blank_line(r);
		break;
	case MD_BLOCK_P:
	case MD_BLOCK_CODE:
	case MD_BLOCK_TABLE:
	case MD_BLOCK_QUOTE:
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
	case MD_BLOCK_HR:
		blank_line(r);
		break;
	case MD_BLOCK_LI:
	case MD_BLOCK_TR:
		newline(r);
		break;
	default:
		break;
	}
	r->after_image = 0;
	return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	(void)type, (void)detail, (void)ud;
	return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	render_t *r = ud;
	(void)detail;
	r->after_image = type == MD_SPAN_IMG;
	return 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	render_t *r = ud;
	switch (type) {
	case MD_TEXT_HTML:
		return 0; /* raw HTML is markup, not text */
	case MD_TEXT_ENTITY:
		add_entity(r, s, n);
		break;
	case MD_TEXT_NULLCHAR:
		add_codepoint(r, 0xFFFD);
		break;
	case MD_TEXT_BR:
		buf_addc(&r->out, '\n');
		if (r->in_title)
			buf_addc(&r->title, ' ');
		break;
	case MD_TEXT_SOFTBR:
		/* A caption image then its text on the next line: keep them apart. */
		buf_addc(&r->out, r->after_image ? '\n' : ' ');
		if (r->in_title)
			buf_addc(&r->title, ' ');
		break;
	default: /* normal, code, math */
		add(r, s, n);
	}
	r->after_image = 0;
	return r->out.oom || r->title.oom;
}

/* ------------------------------------------------------------------ conventions */

typedef struct {
	const char *s;
	size_t n;
} span_t;

static int is_blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static span_t trim(span_t v)
{
	while (v.n && is_blank_char(*v.s))
		v.s++, v.n--;
	while (v.n && is_blank_char(v.s[v.n - 1]))
		v.n--;
	return v;
}

/* Markdown emphasis around a line: "**Original url:**". */
static span_t unemphasize(span_t v)
{
	v = trim(v);
	while (v.n && (*v.s == '*' || *v.s == '_'))
		v.s++, v.n--;
	while (v.n && (v.s[v.n - 1] == '*' || v.s[v.n - 1] == '_'))
		v.n--;
	return trim(v);
}

/* The address in "<https://...>", "[text](https://...)" or "https://...". */
static span_t url_in(span_t v)
{
	span_t none = { NULL, 0 };
	v = unemphasize(v);
	if (v.n && v.s[0] == '<') {
		const char *end = memchr(v.s, '>', v.n);
		if (!end)
			return none;
		v = (span_t){ v.s + 1, (size_t)(end - v.s) - 1 };
	} else if (v.n && v.s[0] == '[') {
		const char *open = memmem(v.s, v.n, "](", 2);
		const char *end = open ? memchr(open, ')', v.n - (size_t)(open - v.s)) : NULL;
		if (!end)
			return none;
		v = (span_t){ open + 2, (size_t)(end - open) - 2 };
	}
	v = trim(v);
	if (!(v.n > 8 && (strncasecmp(v.s, "https://", 8) == 0 || strncasecmp(v.s, "http://", 7) == 0)))
		return none;
	for (size_t i = 0; i < v.n; i++)
		if (v.s[i] == ' ' || v.s[i] == '\t')
			return none;
	return v;
}

/* Blank [s, s + n) in place, keeping newlines (so md4c sees empty lines). */
static void blank_out(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\n')
			s[i] = ' ';
}

/* "Original url:" then "<https://...>" (same or next non-empty line): the
 * address goes to URL, both lines leave the text. */
static void take_original_url(char *s, size_t len, buf_t *url)
{
	static const char label[] = "original url";
	size_t pos = 0;
	while (pos < len) {
		char *line = s + pos;
		char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + (nl ? 1 : 0);
		span_t v = unemphasize((span_t){ line, n });
		if (v.n < sizeof label - 1 || strncasecmp(v.s, label, sizeof label - 1) != 0)
			continue;
		span_t rest = { v.s + sizeof label - 1, v.n - (sizeof label - 1) };
		rest = unemphasize(rest);
		if (rest.n && rest.s[0] == ':')
			rest = unemphasize((span_t){ rest.s + 1, rest.n - 1 });
		span_t u = url_in(rest);
		char *end = line + n;
		if (!u.s && rest.n == 0) {
			/* the address on the next non-empty line */
			while (pos < len) {
				char *l2 = s + pos;
				char *nl2 = memchr(l2, '\n', len - pos);
				size_t n2 = nl2 ? (size_t)(nl2 - l2) : len - pos;
				pos += n2 + (nl2 ? 1 : 0);
				if (trim((span_t){ l2, n2 }).n == 0)
					continue;
				u = url_in((span_t){ l2, n2 });
				end = l2 + n2;
				break;
			}
		}
		if (!u.s)
			continue;
		buf_add(url, u.s, u.n);
		blank_out(line, (size_t)(end - line));
		return;
	}
}

/* A byline among the first lines of the rendered text: "By AFP",
 * "By Jane Doe and John Roe", "By Jane Doe | Sep 15 2021" -> the name(s).
 * The title's own line is not one ("# By Design: a history"). */
static int find_byline(const char *s, size_t len, const char *title, buf_t *author)
{
	size_t pos = 0;
	int seen = 0;
	while (pos < len && seen < TOP_LINES) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (s + pos)) : len - pos;
		span_t v = trim((span_t){ s + pos, n });
		pos += n + 1;
		if (v.n == 0)
			continue;
		seen++;
		if (title && strlen(title) == v.n && memcmp(title, v.s, v.n) == 0)
			continue;
		if (v.n < 4 || !(v.s[0] == 'B' && (v.s[1] == 'y' || v.s[1] == 'Y') && v.s[2] == ' '))
			continue;
		span_t name = trim((span_t){ v.s + 3, v.n - 3 });
		/* cut at a separator before a date or an outlet */
		static const char *const seps[] = { " | ", " \xC2\xB7 ", " \xE2\x80\xA2 ", " - ",
						    " \xE2\x80\x93 ", " \xE2\x80\x94 ", NULL };
		for (const char *const *p = seps; *p; p++) {
			const char *at = memmem(name.s, name.n, *p, strlen(*p));
			if (at)
				name.n = (size_t)(at - name.s);
		}
		name = trim(name);
		unsigned char c0 = name.n ? (unsigned char)name.s[0] : 0;
		int words = 1;
		for (size_t i = 0; i < name.n; i++)
			words += name.s[i] == ' ';
		if (name.n == 0 || name.n > BYLINE_MAX || words > 10 || name.s[name.n - 1] == '.' ||
		    !((c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80))
			return 0; /* "By the time we left, ..." is prose */
		buf_add(author, name.s, name.n);
		return 1;
	}
	return 0;
}

static span_t trimmed_buf(const buf_t *b)
{
	span_t v = { b->p, b->len };
	while (v.n && (is_blank_char(*v.s) || *v.s == '\n'))
		v.s++, v.n--;
	while (v.n && (is_blank_char(v.s[v.n - 1]) || v.s[v.n - 1] == '\n'))
		v.n--;
	return v;
}

/* Copy of V, NUL-terminated, in B (which is reset). */
static const char *as_string(buf_t *b, span_t v)
{
	buf_reset(b);
	buf_add(b, v.s ? v.s : "", v.n);
	return b->len ? b->p : NULL;
}

/* md4c is opened on the first Markdown document, not when the program
 * starts: a search, and an index run over other formats, never load it (a
 * shared library costs every process its mapping and relocations). */
#define MD4C_SONAME "libmd4c.so.0"

typedef int (*md_parse_fn)(const MD_CHAR *text, MD_SIZE size, const MD_PARSER *parser,
			   void *userdata);

static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static md_parse_fn md_parse_ptr;
static char md_why[256];

static void md_load(void)
{
	void *h = dlopen(MD4C_SONAME, RTLD_NOW | RTLD_LOCAL);
	void *f = h ? dlsym(h, "md_parse") : NULL;
	if (f) {
		memcpy(&md_parse_ptr, &f, sizeof f); /* a data pointer to a function's */
	} else {
		const char *e = dlerror();
		snprintf(md_why, sizeof md_why, "cannot load the Markdown parser: %s",
			 e ? e : MD4C_SONAME);
	}
}

parse_result_t parse_markdown(const parse_input_t *in, ldoc_emit_fn emit, const char **reason)
{
	const char *dummy;
	if (!reason)
		reason = &dummy;
	*reason = NULL;
	buf_t src = BUF_INIT, url = BUF_INIT, author = BUF_INIT, title = BUF_INIT;
	render_t r = { .out = BUF_INIT, .title = BUF_INIT };
	fm_t fm;
	fm_init(&fm);
	parse_result_t rc = PARSE_OK;

	pthread_once(&md_once, md_load);
	if (!md_parse_ptr) {
		rc = PARSE_FAILED;
		*reason = md_why;
		goto out;
	}
	enc_result_t er = enc_to_utf8(in->data, in->len, NULL, &src);
	if (er == ENC_BINARY) {
		rc = PARSE_BINARY;
		*reason = "binary";
		goto out;
	}
	if (er != ENC_OK || src.len > UINT_MAX) {
		rc = er != ENC_OK ? PARSE_NOMEM : PARSE_FAILED;
		*reason = er != ENC_OK ? "out of memory" : "too large for the Markdown parser";
		goto out;
	}
	size_t body = fm_parse(src.p ? src.p : "", src.len, &fm);
	if (src.len)
		take_original_url(src.p + body, src.len - body, &url);

	MD_PARSER parser = {
		.abi_version = 0,
		.flags = MD_DIALECT_GITHUB,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = text,
	};
	int md = md_parse_ptr(src.p ? src.p + body : "", (MD_SIZE)(src.len - body), &parser, &r);
	if (md != 0 || r.out.oom || r.title.oom || url.oom || fm_oom(&fm)) {
		rc = PARSE_NOMEM;
		*reason = "out of memory";
		goto out;
	}

	span_t txt = trimmed_buf(&r.out);
	span_t h1 = trimmed_buf(&r.title);
	const char *t = fm.title.len ? fm.title.p : as_string(&title, h1);
	if (txt.n == 0 && !t) {
		rc = PARSE_EMPTY;
		*reason = "empty";
		goto out;
	}
	if (fm.author.len)
		buf_add(&author, fm.author.p, fm.author.len);
	else
		find_byline(txt.s, txt.n, t, &author);
	char date[11] = "";
	if (fm.date[0])
		memcpy(date, fm.date, sizeof date);
	else if (date_find_in_text(txt.s, txt.n, TOP_LINES, date) != 0)
		date[0] = '\0';
	/* The text ends where its last block does (buf stays NUL-terminated). */
	if (txt.n) {
		memmove(r.out.p, txt.s, txt.n);
		r.out.len = txt.n;
		r.out.p[txt.n] = '\0';
	}
	if (author.oom || title.oom) {
		rc = PARSE_NOMEM;
		*reason = "out of memory";
		goto out;
	}
	ldoc_t doc = {
		.format = "markdown",
		.title = t,
		.author = author.len ? author.p : NULL,
		.date = date[0] ? date : NULL,
		.url = fm.url.len ? fm.url.p : url.len ? url.p : NULL,
		.tags = fm.tags.len ? fm.tags.p : NULL,
		.lang = fm.lang.len ? fm.lang.p : NULL,
		.text = txt.n ? r.out.p : "",
		.text_len = txt.n,
		.line = 1,
	};
	if (emit(in->ctx, &doc) != 0) {
		rc = PARSE_STOPPED;
		*reason = "stopped";
	}
out:
	buf_free(&src);
	buf_free(&url);
	buf_free(&author);
	buf_free(&title);
	buf_free(&r.out);
	buf_free(&r.title);
	fm_free(&fm);
	return rc;
}
