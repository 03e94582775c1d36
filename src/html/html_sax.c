/* html_sax.c - the HTML module (lode-html.so, see html_module.h): a UTF-8
 * page to visible text and metadata, with libxml2's push parser driving SAX
 * callbacks (no tree is built). parse_html.c, in liblode, has already
 * converted the bytes to UTF-8 with the charset the page declares (or the
 * one a MIME part names); libxml2 is told to ignore <meta charset>: decoding
 * is then the same whether the page came from a file or a mail, a UTF-8 page
 * without a declaration is never read as Latin-1, and the text handed out is
 * valid UTF-8 by construction.
 *
 * What counts as text: everything outside script, style, noscript, template,
 * svg, math, nav, aside, footer, form controls, embedded objects and elements
 * with the `hidden` attribute. <header> is dropped as page chrome (logo,
 * menu) except inside <article>, where it holds the headline and byline.
 * Block elements end lines; whitespace runs collapse to one space, except
 * newlines inside <pre>. The description meta has no ldoc_t field: it becomes
 * the text only when the page has no visible text (a script-rendered shell),
 * so that a summary is not counted twice otherwise. */
#include "html_module.h"
#include "lode.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "date.h"
#include "encoding.h"
#include "parse_html.h"

/* Real pages nest a few hundred elements at most. libxml2 looks end tags up
 * through its open-element stack, so hostile nesting (tens of thousands of
 * unclosed tags followed by end tags) is quadratic; past this depth we stop. */
#define HTML_MAX_DEPTH 1024
#define HTML_CHUNK (64 * 1024)
#define TAGS_MAX 2048

enum { EL_INLINE = 0, EL_BLOCK, EL_CELL, EL_DROP, EL_HEADER, EL_PRE };
enum { SEP_NONE = 0, SEP_SPACE, SEP_LINE };

typedef struct {
	const char *name;
	int kind;
} element_t;

static const element_t elements[] = { /* sorted by name for bsearch */
	{ "address", EL_BLOCK }, { "article", EL_BLOCK }, { "aside", EL_DROP },
	{ "audio", EL_DROP }, { "blockquote", EL_BLOCK }, { "body", EL_BLOCK },
	{ "br", EL_BLOCK }, { "button", EL_DROP }, { "canvas", EL_DROP },
	{ "caption", EL_BLOCK }, { "center", EL_BLOCK }, { "datalist", EL_DROP },
	{ "dd", EL_BLOCK }, { "details", EL_BLOCK }, { "dialog", EL_BLOCK },
	{ "dir", EL_BLOCK }, { "div", EL_BLOCK }, { "dl", EL_BLOCK }, { "dt", EL_BLOCK },
	{ "embed", EL_DROP }, { "fieldset", EL_BLOCK }, { "figcaption", EL_BLOCK },
	{ "figure", EL_BLOCK }, { "footer", EL_DROP }, { "form", EL_DROP },
	{ "h1", EL_BLOCK }, { "h2", EL_BLOCK }, { "h3", EL_BLOCK }, { "h4", EL_BLOCK },
	{ "h5", EL_BLOCK }, { "h6", EL_BLOCK }, { "header", EL_HEADER },
	{ "hgroup", EL_BLOCK }, { "hr", EL_BLOCK }, { "html", EL_BLOCK },
	{ "iframe", EL_DROP }, { "legend", EL_BLOCK }, { "li", EL_BLOCK },
	{ "listing", EL_PRE }, { "main", EL_BLOCK }, { "math", EL_DROP },
	{ "menu", EL_BLOCK }, { "nav", EL_DROP }, { "noembed", EL_DROP },
	{ "noframes", EL_DROP }, { "noscript", EL_DROP }, { "object", EL_DROP },
	{ "ol", EL_BLOCK }, { "p", EL_BLOCK }, { "pre", EL_PRE }, { "script", EL_DROP },
	{ "section", EL_BLOCK }, { "select", EL_DROP }, { "style", EL_DROP },
	{ "summary", EL_BLOCK }, { "svg", EL_DROP }, { "table", EL_BLOCK },
	{ "tbody", EL_BLOCK }, { "td", EL_CELL }, { "template", EL_DROP },
	{ "textarea", EL_DROP }, { "tfoot", EL_BLOCK }, { "th", EL_CELL },
	{ "thead", EL_BLOCK }, { "title", EL_BLOCK }, { "tr", EL_BLOCK },
	{ "ul", EL_BLOCK }, { "video", EL_DROP }, { "xmp", EL_PRE },
};

/* Windows-1252 meanings of C1 code points: &#150; means an en dash to every
 * browser, while libxml2 hands out U+0096. 0: undefined, dropped. */
static const unsigned short c1_cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

typedef struct {
	html_doc_t *doc;
	htmlParserCtxtPtr ctxt;
	unsigned depth;         /* open elements */
	unsigned skip_depth;    /* depth of the dropped element we are in, 0: none */
	unsigned article_depth; /* depth of the outermost open <article>, 0: none */
	unsigned pre_depth;     /* depth of the outermost open <pre>, 0: none */
	unsigned h1_depth;      /* capturing the first <h1> */
	int in_title, title_seen, h1_seen;
	int sep, title_sep, h1_sep; /* pending separators (SEP_*) */
	buf_t h1, og_title, og_url, description;
	int date_rank, author_rank, url_rank, lang_rank; /* lower wins; INT_MAX: none */
} hstate_t;

static int element_cmp(const void *key, const void *el)
{
	return strcmp(key, ((const element_t *)el)->name);
}

static int element_kind(const char *name)
{
	const element_t *e = bsearch(name, elements, sizeof elements / sizeof *elements,
				     sizeof *elements, element_cmp);
	return e ? e->kind : EL_INLINE;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void put_utf8(buf_t *b, unsigned cp)
{
	char u[3];
	if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, u, 2);
	} else {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, u, 3);
	}
}

static void flush_sep(buf_t *b, int *sep)
{
	if (*sep && b->len)
		buf_addc(b, *sep == SEP_LINE ? '\n' : ' ');
	*sep = SEP_NONE;
}

/* Append S to B collapsing whitespace (NBSP included) into *SEP, which is
 * written out only before the next visible character: no leading or
 * trailing blanks. PRE keeps newlines as line breaks. Control characters
 * are dropped and C1 code points read as Windows-1252. */
static void text_add(buf_t *b, int *sep, int pre, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (is_space(c)) {
			int want = (c == '\n' && pre) ? SEP_LINE : SEP_SPACE;
			if (*sep < want)
				*sep = want;
			i++;
		} else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
			if (*sep < SEP_SPACE)
				*sep = SEP_SPACE;
			i += 2;
		} else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] <= 0x9F) {
			unsigned cp = c1_cp1252[(unsigned char)s[i + 1] - 0x80];
			if (cp) {
				flush_sep(b, sep);
				put_utf8(b, cp);
			}
			i += 2;
		} else if (c < 0x20 || c == 0x7F) {
			i++;
		} else {
			size_t j = i + 1;
			while (j < len) {
				unsigned char d = (unsigned char)s[j];
				if (is_space(d) || d < 0x20 || d == 0x7F || d == 0xC2)
					break;
				j++;
			}
			flush_sep(b, sep);
			buf_add(b, s + i, j - i);
			i = j;
		}
	}
}

/* B = S with whitespace collapsed and trimmed. */
static void field_set(buf_t *b, const char *s)
{
	int sep = SEP_NONE;
	buf_reset(b);
	if (s)
		text_add(b, &sep, 0, s, strlen(s));
}

static const char *attr(const xmlChar **atts, const char *name)
{
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (!strcasecmp((const char *)atts[i], name))
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

static int has_token(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = list; *p;) {
		while (*p && is_space((unsigned char)*p))
			p++;
		const char *q = p;
		while (*q && !is_space((unsigned char)*q))
			q++;
		if ((size_t)(q - p) == wl && !strncasecmp(p, word, wl))
			return 1;
		p = q;
	}
	return 0;
}

/* Add each tag of LIST (split on ',' and ';' when SPLIT) once, trimmed. */
static void tags_add(buf_t *tags, const char *list, int split)
{
	buf_t one = BUF_INIT;
	const char *p = list;
	while (*p) {
		size_t n = split ? strcspn(p, ",;") : strlen(p);
		int sep = SEP_NONE;
		buf_reset(&one);
		text_add(&one, &sep, 0, p, n);
		p += n;
		if (*p)
			p++;
		if (!one.len || tags->len + one.len + 1 > TAGS_MAX)
			continue;
		int dup = 0;
		for (const char *t = tags->p; t && *t && !dup;) {
			size_t tl = strcspn(t, ",");
			dup = tl == one.len && !strncasecmp(t, one.p, tl);
			t += tl + (t[tl] == ',');
		}
		if (dup)
			continue;
		if (tags->len)
			buf_addc(tags, ',');
		buf_add(tags, one.p, one.len);
	}
	buf_free(&one);
}

/* Field B takes VALUE when RANK beats the rank it has (*HAVE) and VALUE is
 * not blank. */
static void offer(buf_t *b, int *have, int rank, const char *value)
{
	if (!value || rank >= *have)
		return;
	buf_t v = BUF_INIT;
	field_set(&v, value);
	if (v.len) {
		buf_reset(b);
		buf_add(b, v.p, v.len);
		*have = rank;
	}
	b->oom |= v.oom;
	buf_free(&v);
}

static void offer_date(hstate_t *st, int rank, const char *value)
{
	char out[11];
	if (value && rank < st->date_rank && date_parse(value, strlen(value), out) == 0) {
		memcpy(st->doc->date, out, sizeof out);
		st->date_rank = rank;
	}
}

static void offer_lang(hstate_t *st, int rank, const char *value)
{
	if (!value || rank >= st->lang_rank)
		return;
	while (is_space((unsigned char)*value))
		value++;
	size_t n = 0;
	while (n < 35 && value[n] && (value[n] == '-' || value[n] == '_' ||
		(value[n] >= '0' && value[n] <= '9') || ((value[n] | 0x20) >= 'a' &&
		(value[n] | 0x20) <= 'z')))
		n++;
	if (!n)
		return;
	buf_reset(&st->doc->lang);
	buf_add(&st->doc->lang, value, n);
	st->lang_rank = rank;
}

static void on_meta(hstate_t *st, const xmlChar **atts)
{
	const char *content = attr(atts, "content");
	const char *key = attr(atts, "name");
	if (!key)
		key = attr(atts, "property");
	const char *itemprop = attr(atts, "itemprop");
	const char *equiv = attr(atts, "http-equiv");
	if (!content)
		return;
	if (itemprop && !strcasecmp(itemprop, "datePublished"))
		offer_date(st, 1, content);
	if (equiv && !strcasecmp(equiv, "content-language"))
		offer_lang(st, 1, content);
	if (!key)
		return;
	if (!strcasecmp(key, "author"))
		offer(&st->doc->author, &st->author_rank, 0, content);
	else if (!strcasecmp(key, "dc.creator") || !strcasecmp(key, "dcterms.creator"))
		offer(&st->doc->author, &st->author_rank, 1, content);
	else if (!strcasecmp(key, "byl"))
		offer(&st->doc->author, &st->author_rank, 2,
		      strncasecmp(content, "by ", 3) ? content : content + 3);
	else if (!strcasecmp(key, "article:author") && strncasecmp(content, "http", 4))
		offer(&st->doc->author, &st->author_rank, 3, content);
	else if (!strcasecmp(key, "article:published_time"))
		offer_date(st, 0, content);
	else if (!strcasecmp(key, "date") || !strcasecmp(key, "pubdate") ||
		 !strcasecmp(key, "publish-date"))
		offer_date(st, 2, content);
	else if (!strcasecmp(key, "dc.date") || !strcasecmp(key, "dc.date.issued") ||
		 !strcasecmp(key, "dcterms.date") || !strcasecmp(key, "dcterms.created"))
		offer_date(st, 4, content);
	else if (!strcasecmp(key, "keywords"))
		tags_add(&st->doc->tags, content, 1);
	else if (!strcasecmp(key, "article:tag"))
		tags_add(&st->doc->tags, content, 0);
	else if (!strcasecmp(key, "og:title") && !st->og_title.len)
		field_set(&st->og_title, content);
	else if (!strcasecmp(key, "og:url") && !st->og_url.len)
		field_set(&st->og_url, content);
	else if ((!strcasecmp(key, "description") || !strcasecmp(key, "og:description")) &&
		 !st->description.len)
		field_set(&st->description, content);
}

/* Elements whose start matters whether or not we are in dropped content. */
static void on_meta_element(hstate_t *st, const char *n, const xmlChar **atts)
{
	if (!strcmp(n, "meta")) {
		on_meta(st, atts);
	} else if (!strcmp(n, "link")) {
		const char *rel = attr(atts, "rel");
		if (rel && has_token(rel, "canonical"))
			offer(&st->doc->url, &st->url_rank, 0, attr(atts, "href"));
	} else if (!strcmp(n, "html")) {
		const char *l = attr(atts, "lang");
		offer_lang(st, 0, l ? l : attr(atts, "xml:lang"));
	} else if (!strcmp(n, "article")) {
		if (!st->article_depth)
			st->article_depth = st->depth;
	} else if (!strcmp(n, "time")) {
		if (st->article_depth && !st->skip_depth)
			offer_date(st, 3, attr(atts, "datetime"));
	} else if (!strcmp(n, "title")) {
		if (!st->title_seen && !st->skip_depth)
			st->in_title = 1;
	} else if (!strcmp(n, "h1")) {
		if (!st->h1_seen && !st->h1_depth)
			st->h1_depth = st->depth;
	}
}

static void on_start(void *ud, const xmlChar *name, const xmlChar **atts)
{
	hstate_t *st = ud;
	const char *n = (const char *)name;
	if (++st->depth > HTML_MAX_DEPTH) {
		if (!st->doc->cut_line)
			st->doc->cut_line = st->ctxt->input ? (unsigned)st->ctxt->input->line : 1;
		xmlStopParser(st->ctxt);
		return;
	}
	on_meta_element(st, n, atts);
	if (st->skip_depth)
		return;
	int kind = element_kind(n);
	if (kind == EL_DROP || (kind == EL_HEADER && !st->article_depth) || attr(atts, "hidden")) {
		st->skip_depth = st->depth;
		return;
	}
	if (kind == EL_PRE && !st->pre_depth)
		st->pre_depth = st->depth;
	if (kind == EL_CELL && st->sep < SEP_SPACE)
		st->sep = SEP_SPACE;
	else if (kind != EL_INLINE && kind != EL_CELL)
		st->sep = SEP_LINE;
}

static void on_end(void *ud, const xmlChar *name)
{
	hstate_t *st = ud;
	const char *n = (const char *)name;
	if (!st->depth)
		return;
	if (st->in_title && !strcmp(n, "title")) {
		st->in_title = 0;
		st->title_seen = 1;
	}
	if (st->h1_depth == st->depth) {
		st->h1_depth = 0;
		st->h1_seen = 1;
	}
	if (st->skip_depth == st->depth)
		st->skip_depth = 0;
	else if (!st->skip_depth) {
		int kind = element_kind(n);
		if (kind == EL_CELL && st->sep < SEP_SPACE)
			st->sep = SEP_SPACE;
		else if (kind != EL_INLINE && kind != EL_CELL)
			st->sep = SEP_LINE;
	}
	if (st->article_depth == st->depth)
		st->article_depth = 0;
	if (st->pre_depth == st->depth)
		st->pre_depth = 0;
	st->depth--;
}

static void on_text(void *ud, const xmlChar *ch, int len)
{
	hstate_t *st = ud;
	const char *s = (const char *)ch;
	if (len <= 0)
		return;
	if (st->in_title) {
		text_add(&st->doc->title, &st->title_sep, 0, s, (size_t)len);
		return;
	}
	if (st->h1_depth)
		text_add(&st->h1, &st->h1_sep, 0, s, (size_t)len);
	if (!st->skip_depth)
		text_add(&st->doc->text, &st->sep, st->pre_depth != 0, s, (size_t)len);
}

/* Length of the next chunk of S[0..n): about HTML_CHUNK bytes, cut just after
 * a '>' when one is near (libxml2 then has whole tags) and never inside a
 * UTF-8 sequence (libxml2 would take a split one for an encoding error). */
static size_t chunk_len(const char *s, size_t n)
{
	if (n <= HTML_CHUNK)
		return n;
	size_t near = n - HTML_CHUNK < 4096 ? n - HTML_CHUNK : 4096;
	const char *gt = memchr(s + HTML_CHUNK, '>', near);
	if (gt)
		return (size_t)(gt - s) + 1;
	for (size_t i = HTML_CHUNK; i < n; i++)
		if ((unsigned char)s[i] < 0x80)
			return i + 1;
	return n;
}

/* Stream S through libxml2. Returns 0, or -1 when libxml2 is out of memory. */
static int run_parser(hstate_t *st, const char *s, size_t len)
{
	htmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.startElement = on_start;
	sax.endElement = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_text;
	htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt(&sax, st, NULL, 0, NULL,
							  XML_CHAR_ENCODING_UTF8);
	if (!ctxt)
		return -1;
	htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			   HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
	st->ctxt = ctxt;
	size_t off = 0;
	while (off < len && !st->doc->cut_line) {
		size_t n = chunk_len(s + off, len - off);
		if (n > 1u << 30) /* htmlParseChunk counts in int */
			n = 1u << 30;
		htmlParseChunk(ctxt, s + off, (int)n, 0);
		off += n;
	}
	htmlParseChunk(ctxt, NULL, 0, 1);
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	htmlFreeParserCtxt(ctxt);
	return 0;
}
/* Bytes other than tab, newline, CR and form feed below 0x20 make libxml2
 * stop or complain; they carry no text. */
static void strip_controls(buf_t *b)
{
	size_t j = 0;
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->p[i];
		if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r' || c == '\f')
			b->p[j++] = (char)c;
	}
	b->len = j;
	if (b->p)
		b->p[j] = '\0';
}

static void fix_utf8(buf_t *b)
{
	if (!b->len || enc_valid_utf8(b->p, b->len))
		return;
	buf_t u = BUF_INIT;
	enc_to_utf8(b->p, b->len, "utf-8", &u);
	buf_free(b);
	*b = u;
}

/* See html_module_t.extract. */
static parse_result_t sax_extract(buf_t *u, html_doc_t *doc)
{
	strip_controls(u);
	hstate_t st;
	memset(&st, 0, sizeof st);
	st.doc = doc;
	st.date_rank = st.author_rank = st.url_rank = st.lang_rank = 1 << 30;
	int rc = u->len ? run_parser(&st, u->p, u->len) : 0;

	if (!doc->title.len && st.og_title.len)
		buf_add(&doc->title, st.og_title.p, st.og_title.len);
	if (!doc->title.len && st.h1.len)
		buf_add(&doc->title, st.h1.p, st.h1.len);
	if (!doc->url.len && st.og_url.len)
		buf_add(&doc->url, st.og_url.p, st.og_url.len);
	if (!doc->text.len && st.description.len)
		buf_add(&doc->text, st.description.p, st.description.len);
	buf_t *all[] = { &doc->text, &doc->title, &doc->author, &doc->url, &doc->tags, &doc->lang };
	int oom = rc != 0 || st.h1.oom || st.og_title.oom || st.og_url.oom || st.description.oom;
	for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
		fix_utf8(all[i]);
		oom |= all[i]->oom;
	}
	buf_free(&st.h1);
	buf_free(&st.og_title);
	buf_free(&st.og_url);
	buf_free(&st.description);
	return oom ? PARSE_NOMEM : PARSE_OK;
}

/* See html_module_t.entity: libxml2's table of HTML 4 entities. */
static unsigned entity(const char *name)
{
	const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
	return e ? e->value : 0;
}

/* What liblode looks up after dlopen (the only symbol lode-html.so exports). */
const html_module_t lode_html_module = {
	LODE_VERSION_STRING, sizeof(html_doc_t), sax_extract, entity,
};
