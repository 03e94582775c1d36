/* parse_html.c - HTML pages to documents. The bytes are converted to UTF-8
 * here, with the charset a MIME part names or the page declares in its
 * first 4 KiB; the parsing itself, libxml2's, is in the HTML module
 * (html_module.h), loaded on first use. */
#include "parse_html.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "encoding.h"
#include "html_module.h"

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static const char *const win1252_labels[] = {
	"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
	"iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1",
	"l1", "latin1", "us-ascii", "x-cp1252",
};

/* Lowercase and trim NAME[0..n) into OUT, mapping the labels WHATWG reads as
 * Windows-1252 to it and UTF-16 labels inside an ASCII page to UTF-8.
 * Returns 0, or -1 when nothing usable is left. */
static int charset_label(const char *name, size_t n, char out[40])
{
	while (n && (is_space((unsigned char)*name) || *name == '"' || *name == '\'')) {
		name++;
		n--;
	}
	size_t k = 0;
	while (k < n && k < 39 && !is_space((unsigned char)name[k]) && name[k] != '"' &&
	       name[k] != '\'' && name[k] != ';' && name[k] != '>') {
		char c = name[k];
		out[k++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	out[k] = '\0';
	if (!k)
		return -1;
	for (size_t i = 0; i < sizeof win1252_labels / sizeof *win1252_labels; i++)
		if (!strcmp(out, win1252_labels[i]))
			strcpy(out, "windows-1252");
	if (!strncmp(out, "utf-16", 6) || !strcmp(out, "x-user-defined") ||
	    !strcmp(out, "utf8"))
		strcpy(out, !strcmp(out, "x-user-defined") ? "windows-1252" : "utf-8");
	return 0;
}

/* Value of attribute NAME within a tag's attribute text [p, end). */
static const char *tag_attr(const char *p, const char *end, const char *name, size_t *vlen)
{
	size_t nl = strlen(name);
	while (p < end) {
		while (p < end && (is_space((unsigned char)*p) || *p == '/'))
			p++;
		const char *an = p;
		while (p < end && *p != '=' && !is_space((unsigned char)*p) && *p != '/')
			p++;
		size_t al = (size_t)(p - an);
		while (p < end && is_space((unsigned char)*p))
			p++;
		const char *v = p;
		size_t vl = 0;
		if (p < end && *p == '=') {
			p++;
			while (p < end && is_space((unsigned char)*p))
				p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				char q = *p++;
				v = p;
				while (p < end && *p != q)
					p++;
				vl = (size_t)(p - v);
				if (p < end)
					p++;
			} else {
				v = p;
				while (p < end && !is_space((unsigned char)*p))
					p++;
				vl = (size_t)(p - v);
			}
		}
		if (al == nl && !strncasecmp(an, name, nl)) {
			*vlen = vl;
			return v;
		}
		if (!al && p < end && vl == 0)
			p++;
	}
	return NULL;
}

static const char *find_ci(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);
	for (size_t i = 0; i + wl <= n; i++)
		if (!strncasecmp(s + i, word, wl))
			return s + i;
	return NULL;
}

int html_sniff_charset(const char *data, size_t len, char out[40])
{
	const char *p = data, *end = data + (len < 4096 ? len : 4096);
	size_t vl;
	if (end - p > 5 && !strncmp(p, "<?xml", 5)) {
		const char *q = memchr(p, '>', (size_t)(end - p));
		const char *v = q ? tag_attr(p + 5, q, "encoding", &vl) : NULL;
		if (v && charset_label(v, vl, out) == 0)
			return 0;
	}
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt)
			break;
		if (end - lt >= 4 && !strncmp(lt, "<!--", 4)) {
			const char *c = find_ci(lt + 4, (size_t)(end - lt - 4), "-->");
			if (!c)
				break;
			p = c + 3;
			continue;
		}
		const char *gt = memchr(lt, '>', (size_t)(end - lt));
		if (!gt)
			break;
		p = gt + 1;
		if (gt - lt < 6 || strncasecmp(lt, "<meta", 5) ||
		    !(is_space((unsigned char)lt[5]) || lt[5] == '/'))
			continue;
		const char *v = tag_attr(lt + 5, gt, "charset", &vl);
		if (v && charset_label(v, vl, out) == 0)
			return 0;
		const char *eq = tag_attr(lt + 5, gt, "http-equiv", &vl);
		if (!eq || vl != 12 || strncasecmp(eq, "content-type", 12))
			continue;
		v = tag_attr(lt + 5, gt, "content", &vl);
		const char *cs = v ? find_ci(v, vl, "charset=") : NULL;
		if (cs && charset_label(cs + 8, vl - (size_t)(cs + 8 - v), out) == 0)
			return 0;
	}
	return -1;
}

parse_result_t html_extract(const char *data, size_t len, const char *charset, html_doc_t *doc)
{
	memset(doc, 0, sizeof *doc);
	char label[40];
	const char *cs = NULL;
	if (charset && charset_label(charset, strlen(charset), label) == 0)
		cs = label;
	else if (html_sniff_charset(data, len, label) == 0)
		cs = label;
	buf_t u = BUF_INIT;
	enc_result_t er = enc_to_utf8(data, len, cs, &u);
	if (er != ENC_OK || u.oom) {
		buf_free(&u);
		return er == ENC_BINARY ? PARSE_BINARY : PARSE_NOMEM;
	}
	const char *why = NULL;
	const html_module_t *m = html_module(&why);
	parse_result_t r = m ? m->extract(&u, doc) : PARSE_FAILED;
	buf_free(&u);
	return r;
}

void html_doc_free(html_doc_t *doc)
{
	if (!doc)
		return;
	buf_free(&doc->text);
	buf_free(&doc->title);
	buf_free(&doc->author);
	buf_free(&doc->url);
	buf_free(&doc->tags);
	buf_free(&doc->lang);
}

static const char *nonempty(const buf_t *b)
{
	return b->len ? b->p : NULL;
}

parse_result_t parse_html(const parse_input_t *in, ldoc_emit_fn emit, const char **reason)
{
	const char *why = NULL;
	parse_result_t r;
	html_doc_t d;
	if (enc_is_binary(in->data, in->len)) {
		if (reason)
			*reason = "binary";
		return PARSE_BINARY;
	}
	r = html_extract(in->data, in->len, NULL, &d);
	if (r == PARSE_OK && d.cut_line && in->warn)
		in->warn(in->ctx, d.cut_line, "html: elements nested too deeply, rest of the page ignored");
	if (r == PARSE_BINARY) {
		why = "binary";
	} else if (r == PARSE_FAILED) {
		html_module(&why);
	} else if (r == PARSE_NOMEM) {
		why = "out of memory";
	} else if (!d.text.len && !d.title.len) {
		r = PARSE_EMPTY;
		why = "empty";
	} else {
		ldoc_t doc;
		memset(&doc, 0, sizeof doc);
		doc.format = "html";
		doc.title = nonempty(&d.title);
		doc.author = nonempty(&d.author);
		doc.date = d.date[0] ? d.date : NULL;
		doc.url = nonempty(&d.url);
		doc.tags = nonempty(&d.tags);
		doc.lang = nonempty(&d.lang);
		doc.text = d.text.len ? d.text.p : "";
		doc.text_len = d.text.len;
		doc.line = 1;
		if (emit(in->ctx, &doc)) {
			r = PARSE_STOPPED;
			why = "stopped";
		}
	}
	html_doc_free(&d);
	if (reason)
		*reason = why;
	return r;
}
