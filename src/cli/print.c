/* print.c - result printers; see print.h. */
#include "print.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "opts.h"
#include "strmap.h"

#define C_RESET "\033[0m"
#define C_MATCH "\033[1;31m"
#define C_TITLE "\033[1m"
#define C_PATH "\033[35m"
#define C_DIM "\033[2m"
#define C_RANK "\033[32m"

struct printer {
	out_mode_t mode;
	FILE *out;
	int color;
	const char *tag;
	strmap_t paths_seen;    /* OUT_PATHS: each path once */
};

printer_t *printer_new(out_mode_t mode, FILE *out, int color, const char *run_tag)
{
	printer_t *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->mode = mode;
	p->out = out;
	p->color = color;
	p->tag = run_tag ? run_tag : "lode";
	return p;
}

void printer_free(printer_t *p)
{
	if (!p)
		return;
	strmap_free(&p->paths_seen, NULL);
	free(p);
}

static void put(printer_t *p, const char *code)
{
	if (p->color)
		fputs(code, p->out);
}

/* TEXT[0..len) with the spans highlighted; newlines and tabs as spaces and
 * other control characters dropped, so a passage stays on one line. */
static void put_highlighted(printer_t *p, const char *text, size_t len, const lode_span_t *hl,
			    size_t nhl, const char *style)
{
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		if (k < nhl && i == hl[k].start)
			put(p, C_MATCH);
		unsigned char c = (unsigned char)text[i];
		if (c == '\n' || c == '\t' || c == '\r')
			fputc(' ', p->out);
		else if (c >= 0x20 && c != 0x7F)
			fputc(c, p->out);
		if (k < nhl && i + 1 == hl[k].end) {
			put(p, C_RESET);
			if (style)
				put(p, style); /* the text around goes on in its own style */
			k++;
		}
	}
}

/* S with control characters shown as '?' (a file name may hold any). */
static void put_safe(printer_t *p, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 ? '?' : *s, p->out);
}

static void print_text_hit(printer_t *p, const lode_hit_t *h)
{
	put(p, C_RANK);
	fprintf(p->out, "%u.", h->rank);
	put(p, C_RESET);
	fputc(' ', p->out);
	if (h->title) {
		put(p, C_TITLE);
		put_highlighted(p, h->title, strlen(h->title), h->title_hl, h->title_nhl, C_TITLE);
	} else {
		/* no title: the document's id (its file's name, or its key in a
		 * file of several), dimmed, so that such hits can be told apart */
		const char *name = h->id && *h->id ? h->id : h->path;
		put(p, C_DIM);
		put_safe(p, name);
	}
	put(p, C_RESET);
	if (h->date) {
		fputs("  ", p->out);
		put(p, C_DIM);
		fputs(h->date, p->out);
		put(p, C_RESET);
	}
	fputc('\n', p->out);
	fputs("   ", p->out);
	put(p, C_PATH);
	put_safe(p, h->path);
	put(p, C_RESET);
	if (h->snippets && h->nsnippets)
		fprintf(p->out, ":%u", h->snippets[0].line);
	if (h->author) {
		fputs("  ", p->out);
		put(p, C_DIM);
		fprintf(p->out, "by %s", h->author);
		put(p, C_RESET);
	}
	fputc('\n', p->out);
	for (size_t i = 0; i < h->nsnippets; i++) {
		const lode_snippet_t *s = &h->snippets[i];
		fputs("   ", p->out);
		if (s->cut_before)
			fputs("... ", p->out);
		put_highlighted(p, s->text, s->len, s->hl, s->nhl, NULL);
		if (s->cut_after)
			fputs(" ...", p->out);
		fputc('\n', p->out);
	}
	fputc('\n', p->out);
}

static void json_field(FILE *f, const char *name, const char *v)
{
	fprintf(f, ", \"%s\": ", name);
	if (v)
		opts_json_str(f, v);
	else
		fputs("null", f);
}

static void print_json_hit(printer_t *p, const lode_hit_t *h)
{
	FILE *f = p->out;
	fprintf(f, "{\"rank\": %u, \"score\": %.6f", h->rank, h->score);
	json_field(f, "path", h->path);
	json_field(f, "id", h->id);
	json_field(f, "title", h->title);
	json_field(f, "author", h->author);
	json_field(f, "date", h->date);
	json_field(f, "url", h->url);
	json_field(f, "format", h->format);
	fputs(", \"snippets\": [", f);
	for (size_t i = 0; i < h->nsnippets; i++) {
		const lode_snippet_t *s = &h->snippets[i];
		buf_t b = BUF_INIT;
		buf_add_json_str(&b, s->text, s->len);
		fprintf(f, "%s{\"text\": %s, \"highlights\": [", i ? ", " : "", b.p ? b.p : "\"\"");
		buf_free(&b);
		for (size_t k = 0; k < s->nhl; k++)
			fprintf(f, "%s[%zu, %zu]", k ? ", " : "", s->hl[k].start, s->hl[k].end);
		fprintf(f, "], \"line\": %u}", s->line);
	}
	fputs("]}\n", f);
}

void printer_results(printer_t *p, const lode_results_t *r, const char *qid)
{
	size_t n = lode_results_count(r);
	if (p->mode == OUT_COUNT) {
		fprintf(p->out, "%llu\n", (unsigned long long)lode_results_total(r));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		lode_hit_t h;
		if (lode_results_hit(r, i, &h) != LODE_OK)
			break;
		switch (p->mode) {
		case OUT_TEXT: print_text_hit(p, &h); break;
		case OUT_JSON: print_json_hit(p, &h); break;
		case OUT_PATHS:
		case OUT_PATHS0:
			if (!strmap_get(&p->paths_seen, h.path)) {
				strmap_put(&p->paths_seen, h.path, NULL);
				fputs(h.path, p->out);
				putc(p->mode == OUT_PATHS0 ? '\0' : '\n', p->out);
			}
			break;
		case OUT_TREC:
			fprintf(p->out, "%s Q0 %s %u %.6f %s\n", qid ? qid : "0",
				h.id ? h.id : h.path, h.rank, h.score, p->tag);
			break;
		case OUT_COUNT:
			break;
		}
	}
}
