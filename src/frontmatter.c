/* frontmatter.c - YAML/TOML front matter of Markdown files; see frontmatter.h.
 * Not a YAML parser: a line reader for the handful of shapes that site
 * generators and scrapers write, which is all the metadata lode keeps. */
#include "frontmatter.h"

#include <string.h>
#include <strings.h>

#include "date.h"

/* The block must close within this many lines, or it is not front matter. */
#define FM_MAX_LINES 500

typedef struct {
	const char *s;
	size_t n;
} span_t;

void fm_init(fm_t *fm)
{
	buf_init(&fm->title);
	buf_init(&fm->author);
	buf_init(&fm->tags);
	buf_init(&fm->url);
	buf_init(&fm->lang);
	fm->date[0] = '\0';
}

void fm_free(fm_t *fm)
{
	buf_free(&fm->title);
	buf_free(&fm->author);
	buf_free(&fm->tags);
	buf_free(&fm->url);
	buf_free(&fm->lang);
	fm->date[0] = '\0';
}

int fm_oom(const fm_t *fm)
{
	return fm->title.oom || fm->author.oom || fm->tags.oom || fm->url.oom || fm->lang.oom;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static span_t trim(span_t v)
{
	while (v.n && is_blank(*v.s))
		v.s++, v.n--;
	while (v.n && is_blank(v.s[v.n - 1]))
		v.n--;
	return v;
}

/* The next line of [*pos, end) without its newline (or '\r'). */
static int next_line(const char *s, size_t end, size_t *pos, span_t *line)
{
	if (*pos >= end)
		return 0;
	const char *nl = memchr(s + *pos, '\n', end - *pos);
	size_t k = nl ? (size_t)(nl - (s + *pos)) : end - *pos;
	line->s = s + *pos;
	line->n = k && line->s[k - 1] == '\r' ? k - 1 : k;
	*pos += k + (nl ? 1 : 0);
	return 1;
}

static int line_is(span_t l, const char *mark)
{
	l = trim(l);
	return l.n == strlen(mark) && memcmp(l.s, mark, l.n) == 0;
}

/* Append V without its quotes ("..." with \" \\ escapes, '...' with ''), or,
 * unquoted, up to a " #" comment. */
static void add_scalar(buf_t *b, span_t v)
{
	v = trim(v);
	if (v.n >= 2 && v.s[0] == '"' && v.s[v.n - 1] == '"') {
		for (size_t i = 1; i + 1 < v.n; i++) {
			if (v.s[i] == '\\' && i + 2 < v.n) {
				i++;
				char c = v.s[i];
				buf_addc(b, c == 'n' ? '\n' : c == 't' ? '\t' : c);
			} else {
				buf_addc(b, v.s[i]);
			}
		}
		return;
	}
	if (v.n >= 2 && v.s[0] == '\'' && v.s[v.n - 1] == '\'') {
		for (size_t i = 1; i + 1 < v.n; i++) {
			buf_addc(b, v.s[i]);
			if (v.s[i] == '\'' && v.s[i + 1] == '\'')
				i++;
		}
		return;
	}
	for (size_t i = 1; i < v.n; i++)
		if (v.s[i] == '#' && is_blank(v.s[i - 1])) {
			v.n = i;
			break;
		}
	v = trim(v);
	buf_add(b, v.s, v.n);
}

/* Append one list item, with SEP before it unless it is the first. */
static void add_item(buf_t *b, span_t v, const char *sep)
{
	buf_t tmp = BUF_INIT;
	add_scalar(&tmp, v);
	if (tmp.len) {
		if (b->len)
			buf_adds(b, sep);
		buf_add(b, tmp.p, tmp.len);
	}
	if (tmp.oom)
		b->oom = 1;
	buf_free(&tmp);
}

/* Append "[a, 'b', c]" or "a, b" (SPLIT: a comma string is a list too). */
static void add_inline_list(buf_t *b, span_t v, const char *sep, int split)
{
	v = trim(v);
	if (v.n >= 2 && v.s[0] == '[' && v.s[v.n - 1] == ']') {
		v.s++, v.n -= 2;
		split = 1;
	} else if (!split) {
		add_item(b, v, sep);
		return;
	}
	size_t start = 0;
	char quote = 0;
	for (size_t i = 0; i <= v.n; i++) {
		char c = i < v.n ? v.s[i] : ',';
		if (quote) {
			quote = c == quote ? 0 : quote;
			if (i < v.n)
				continue;
		} else if (c == '"' || c == '\'') {
			quote = c;
			continue;
		}
		if (c != ',')
			continue;
		span_t item = { v.s + start, i - start };
		add_item(b, item, sep);
		start = i + 1;
	}
}

enum field { F_NONE, F_TITLE, F_AUTHOR, F_DATE, F_TAGS, F_KEYWORDS, F_URL, F_CANONICAL, F_LANG };

static enum field field_of(span_t key)
{
	static const struct {
		const char *name;
		enum field f;
	} names[] = {
		{ "title", F_TITLE },        { "author", F_AUTHOR },      { "authors", F_AUTHOR },
		{ "date", F_DATE },          { "published", F_DATE },     { "pubdate", F_DATE },
		{ "publishdate", F_DATE },   { "tags", F_TAGS },          { "keywords", F_KEYWORDS },
		{ "url", F_URL },            { "canonical_url", F_CANONICAL },
		{ "canonical", F_CANONICAL }, { "lang", F_LANG },         { "language", F_LANG },
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i].name) == key.n && strncasecmp(key.s, names[i].name, key.n) == 0)
			return names[i].f;
	return F_NONE;
}

/* Per-document state while reading the block. */
typedef struct {
	fm_t *fm;
	buf_t keywords, url, canonical, date;
	enum field list;  /* the key whose "- item" lines follow */
} reader_t;

static buf_t *target(reader_t *r, enum field f)
{
	switch (f) {
	case F_TITLE: return &r->fm->title;
	case F_AUTHOR: return &r->fm->author;
	case F_TAGS: return &r->fm->tags;
	case F_KEYWORDS: return &r->keywords;
	case F_URL: return &r->url;
	case F_CANONICAL: return &r->canonical;
	case F_LANG: return &r->fm->lang;
	case F_DATE: return &r->date;
	case F_NONE: break;
	}
	return NULL;
}

static const char *separator_of(enum field f)
{
	return f == F_AUTHOR ? ", " : ",";
}

/* A "key: value" (YAML) or "key = value" (TOML) line at the top level. */
static void top_level(reader_t *r, span_t line, char assign)
{
	size_t k = 0;
	while (k < line.n && line.s[k] != assign && !is_blank(line.s[k]))
		k++;
	span_t key = { line.s, k };
	size_t i = k;
	while (i < line.n && is_blank(line.s[i]))
		i++;
	r->list = F_NONE;
	if (k == 0 || i >= line.n || line.s[i] != assign)
		return;
	span_t value = trim((span_t){ line.s + i + 1, line.n - i - 1 });
	enum field f = field_of(key);
	buf_t *b = target(r, f);
	if (!b)
		return;
	if (value.n == 0) {
		r->list = f; /* items (or "name:") on the following lines */
		return;
	}
	if (b->len && f != F_TAGS && f != F_KEYWORDS)
		return; /* the first one wins */
	if (f == F_TAGS || f == F_KEYWORDS)
		add_inline_list(b, value, ",", 1);
	else if (f == F_AUTHOR)
		add_inline_list(b, value, ", ", 0);
	else if (value.s[0] == '>' || value.s[0] == '|')
		r->list = f; /* a block scalar: the indented lines below */
	else
		add_scalar(b, value);
}

/* An indented line below a key without a value: "- item", "name: X", or a
 * block scalar's text. */
static void nested(reader_t *r, span_t line)
{
	buf_t *b = target(r, r->list);
	span_t v = trim(line);
	if (!b || v.n == 0)
		return;
	if (v.s[0] == '-' && (v.n == 1 || is_blank(v.s[1]))) {
		span_t item = { v.s + 1, v.n - 1 };
		span_t t = trim(item);
		/* "- name: Jane" (a list of author mappings) */
		if (t.n > 5 && strncasecmp(t.s, "name:", 5) == 0)
			item = (span_t){ t.s + 5, t.n - 5 };
		add_item(b, item, separator_of(r->list));
	} else if (v.n > 5 && strncasecmp(v.s, "name:", 5) == 0) {
		add_item(b, (span_t){ v.s + 5, v.n - 5 }, separator_of(r->list));
	} else if (r->list == F_TITLE) {
		if (b->len)
			buf_addc(b, ' ');
		buf_add(b, v.s, v.n); /* folded title */
	}
}

size_t fm_parse(const char *text, size_t len, fm_t *fm)
{
	size_t pos = 0;
	span_t line;
	if (!next_line(text, len, &pos, &line))
		return 0;
	const char *close1, *close2;
	char assign;
	if (line_is(line, "---"))
		close1 = "---", close2 = "...", assign = ':';
	else if (line_is(line, "+++"))
		close1 = close2 = "+++", assign = '=';
	else
		return 0;
	/* Find the end first: without one this is a thematic break, not metadata. */
	size_t body_start = pos, end = 0, after = 0;
	for (int i = 0; i < FM_MAX_LINES && next_line(text, len, &pos, &line); i++)
		if (line_is(line, close1) || line_is(line, close2)) {
			end = (size_t)(line.s - text);
			after = pos;
			break;
		}
	if (!after)
		return 0;

	reader_t r = { .fm = fm, .keywords = BUF_INIT, .url = BUF_INIT, .canonical = BUF_INIT,
		       .date = BUF_INIT, .list = F_NONE };
	pos = body_start;
	while (next_line(text, end, &pos, &line)) {
		span_t t = trim(line);
		if (t.n == 0 || t.s[0] == '#')
			continue;
		if (is_blank(line.s[0]) || line.s[0] == '-')
			nested(&r, line);
		else
			top_level(&r, line, assign);
	}
	if (!fm->tags.len && r.keywords.len)
		buf_add(&fm->tags, r.keywords.p, r.keywords.len);
	buf_t *url = r.canonical.len ? &r.canonical : &r.url;
	if (url->len)
		buf_add(&fm->url, url->p, url->len);
	if (r.date.len && date_parse(r.date.p, r.date.len, fm->date) != 0) {
		/* "2021-09-15 10:00:00 +0000 UTC" and other stamps: the date part */
		size_t k = strcspn(r.date.p, " T");
		if (date_parse(r.date.p, k, fm->date) != 0)
			fm->date[0] = '\0';
	}
	if (r.keywords.oom || r.url.oom || r.canonical.oom || r.date.oom)
		fm->title.oom = 1; /* reported through fm_oom() */
	buf_free(&r.keywords);
	buf_free(&r.url);
	buf_free(&r.canonical);
	buf_free(&r.date);
	return after;
}
