/* trecfile.c - reading qrels and run files; see trecfile.h. */
#include "trecfile.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ string table */

#define BLOCK_SIZE 65536

void trec_strtab_init(trec_strtab_t *t)
{
	memset(t, 0, sizeof *t);
}

void trec_strtab_free(trec_strtab_t *t)
{
	char *b = t->block;
	while (b) {
		char *prev;
		memcpy(&prev, b, sizeof prev);
		free(b);
		b = prev;
	}
	free(t->str);
	free(t->slot);
	trec_strtab_init(t);
}

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot holding S, or the empty slot where it would go. */
static uint32_t probe(const trec_strtab_t *t, const char *s, size_t len)
{
	uint32_t mask = t->nslot - 1;
	uint32_t i = (uint32_t)hash_bytes(s, len) & mask;
	while (t->slot[i]) {
		const char *o = t->str[t->slot[i] - 1];
		if (strncmp(o, s, len) == 0 && o[len] == '\0')
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

int64_t trec_strtab_find(const trec_strtab_t *t, const char *s, size_t len)
{
	if (!t->nslot)
		return -1;
	uint32_t i = probe(t, s, len);
	return t->slot[i] ? (int64_t)t->slot[i] - 1 : -1;
}

static int grow_slots(trec_strtab_t *t)
{
	uint32_t nslot = t->nslot ? t->nslot * 2 : 1024;
	if (nslot <= t->nslot)
		return -1;
	uint32_t *slot = calloc(nslot, sizeof *slot);
	if (!slot)
		return -1;
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	for (uint32_t id = 0; id < t->n; id++) {
		const char *s = t->str[id];
		t->slot[probe(t, s, strlen(s))] = id + 1;
	}
	return 0;
}

/* A copy of S in the newest block (a new block when it does not fit). */
static char *store(trec_strtab_t *t, const char *s, size_t len)
{
	if (!t->block || t->used + len + 1 > t->size) {
		size_t size = sizeof(char *) + len + 1;
		if (size < BLOCK_SIZE)
			size = BLOCK_SIZE;
		char *b = malloc(size);
		if (!b)
			return NULL;
		memcpy(b, &t->block, sizeof t->block);
		t->block = b;
		t->used = sizeof(char *);
		t->size = size;
	}
	char *p = t->block + t->used;
	memcpy(p, s, len);
	p[len] = '\0';
	t->used += len + 1;
	return p;
}

int64_t trec_strtab_add(trec_strtab_t *t, const char *s, size_t len)
{
	if ((uint64_t)(t->n + 1) * 2 > t->nslot && grow_slots(t))
		return -1;
	uint32_t i = probe(t, s, len);
	if (t->slot[i])
		return (int64_t)t->slot[i] - 1;
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 256;
		char **str = cap > t->cap ? realloc(t->str, (size_t)cap * sizeof *str) : NULL;
		if (!str)
			return -1;
		t->str = str;
		t->cap = cap;
	}
	char *p = store(t, s, len);
	if (!p)
		return -1;
	t->str[t->n] = p;
	t->slot[i] = ++t->n;
	return (int64_t)t->n - 1;
}

/* ------------------------------------------------------------ line reader */

#define MAX_TOK 8

typedef struct {
	FILE *f;
	const char *name;      /* the path as messages show it */
	char *line;
	size_t cap;
	unsigned long lineno;
	char *tok[MAX_TOK];    /* the first tokens, NUL-terminated in place */
	size_t toklen[MAX_TOK];
	size_t ntok;           /* every token, also those past MAX_TOK */
	int nul;               /* the line held a NUL byte */
	locale_t c_locale;     /* numbers are read the same whatever LC_NUMERIC says */
	char **errmsg;
} reader_t;

static lode_status_t fail(reader_t *rd, lode_status_t st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static lode_status_t fail(reader_t *rd, lode_status_t st, const char *fmt, ...)
{
	if (!rd->errmsg)
		return st;
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	char *msg = NULL;
	int n = rd->lineno ? asprintf(&msg, "%s:%lu: %s", rd->name, rd->lineno, what)
			   : asprintf(&msg, "%s: %s", rd->name, what);
	*rd->errmsg = n < 0 ? NULL : msg;
	return st;
}

/* TOK shortened and made printable, for quoting in a message. */
static const char *shown(const char *tok, char out[48])
{
	size_t i = 0;
	for (; tok[i] && i < 40; i++)
		out[i] = (unsigned char)tok[i] < 0x20 || tok[i] == 0x7F ? '?' : tok[i];
	if (tok[i])
		out[i++] = '.', out[i++] = '.', out[i++] = '.';
	out[i] = '\0';
	return out;
}

static lode_status_t rd_open(reader_t *rd, const char *path, char **errmsg)
{
	memset(rd, 0, sizeof *rd);
	rd->errmsg = errmsg;
	int is_stdin = strcmp(path, "-") == 0;
	rd->name = is_stdin ? "<stdin>" : path;
	rd->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!rd->c_locale)
		return fail(rd, LODE_NOMEM, "out of memory");
	rd->f = is_stdin ? stdin : fopen(path, "r");
	if (!rd->f)
		return fail(rd, LODE_IO, "%s", strerror(errno));
	return LODE_OK;
}

static void rd_close(reader_t *rd)
{
	if (rd->f && rd->f != stdin)
		fclose(rd->f);
	if (rd->c_locale)
		freelocale(rd->c_locale);
	free(rd->line);
}

/* ireval.py splits with str.split(), whose ASCII whitespace includes the
 * information separators 0x1C-0x1F. */
static int is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
}

/* Read and split the next line: 1, or 0 at the end, or -1 (errno) on a read error. */
static int rd_next(reader_t *rd)
{
	errno = 0;
	ssize_t n = getline(&rd->line, &rd->cap, rd->f);
	if (n < 0)
		return ferror(rd->f) ? -1 : 0;
	rd->lineno++;
	char *s = rd->line, *end = rd->line + n;
	rd->nul = memchr(s, '\0', (size_t)n) != NULL;
	if (rd->lineno == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3; /* a byte-order mark from a Windows editor */
	rd->ntok = 0;
	while (s < end) {
		while (s < end && is_space((unsigned char)*s))
			s++;
		if (s == end)
			break;
		char *t = s;
		while (s < end && !is_space((unsigned char)*s))
			s++;
		if (rd->ntok < MAX_TOK) {
			rd->tok[rd->ntok] = t;
			rd->toklen[rd->ntok] = (size_t)(s - t);
		}
		rd->ntok++;
		if (s < end)
			*s++ = '\0';
	}
	return 1;
}

static lode_status_t rd_error(reader_t *rd)
{
	int e = errno ? errno : EIO;
	rd->lineno = 0;
	return fail(rd, LODE_IO, "%s", strerror(e));
}

/* TOK as a finite number (Python's float() accepts the same plain forms). */
static int parse_number(const reader_t *rd, const char *tok, double *out)
{
	char *end;
	errno = 0;
	double v = strtod_l(tok, &end, rd->c_locale);
	if (end == tok || *end || isnan(v))
		return -1;
	*out = v;
	return 0;
}

static int is_integer(const char *tok)
{
	if (*tok == '+' || *tok == '-')
		tok++;
	if (!*tok)
		return 0;
	for (; *tok; tok++)
		if (*tok < '0' || *tok > '9')
			return 0;
	return 1;
}

static int is_header(const char *tok)
{
	return strcasecmp(tok, "query-id") == 0 || strcasecmp(tok, "qid") == 0 ||
	       strcasecmp(tok, "query_id") == 0;
}

/* ------------------------------------------------------------ the files */

void trec_data_init(trec_data_t *t)
{
	memset(t, 0, sizeof *t);
	trec_strtab_init(&t->qids);
	trec_strtab_init(&t->docids);
}

void trec_data_free(trec_data_t *t)
{
	trec_strtab_free(&t->qids);
	trec_strtab_free(&t->docids);
	free(t->judg);
	free(t->hits);
	trec_data_init(t);
}

/* Room for one more element of SIZE bytes in *ARR (holding *N of *CAP). */
static int reserve(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 1024;
	if (c > ((size_t)-1) / size)
		return -1;
	void *p = realloc(*arr, c * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = c;
	return 0;
}

lode_status_t trec_read_qrels(trec_data_t *t, const char *path, char **errmsg)
{
	reader_t rd;
	lode_status_t st = rd_open(&rd, path, errmsg);
	char q1[48];
	int r = 0;
	while (st == LODE_OK && (r = rd_next(&rd)) > 0) {
		if (rd.nul) {
			st = fail(&rd, LODE_INVALID, "NUL byte in the line (not a text file?)");
			break;
		}
		if (rd.ntok == 0 || (rd.lineno == 1 && is_header(rd.tok[0])))
			continue;
		/* TREC: qid iter docid rel; BEIR: query-id corpus-id score. */
		size_t d = rd.ntok == 4 ? 2 : 1, v = rd.ntok == 4 ? 3 : 2;
		if (rd.ntok != 3 && rd.ntok != 4) {
			st = fail(&rd, LODE_INVALID, "expected 'qid 0 docid rel'");
			break;
		}
		double rel;
		if (parse_number(&rd, rd.tok[v], &rel)) {
			/* Three words without a number: most likely a TREC line cut short. */
			if (rd.ntok == 3)
				st = fail(&rd, LODE_INVALID, "expected 'qid 0 docid rel'");
			else
				st = fail(&rd, LODE_INVALID, "relevance '%s' is not a number",
					  shown(rd.tok[v], q1));
			break;
		}
		/* ireval's int(float(x)) truncates toward zero, as the cast does. */
		if (rel <= -2147483649.0 || rel >= 2147483648.0) {
			st = fail(&rd, LODE_INVALID, "relevance '%s' is out of range",
				  shown(rd.tok[v], q1));
			break;
		}
		int64_t qid = trec_strtab_add(&t->qids, rd.tok[0], rd.toklen[0]);
		int64_t did = trec_strtab_add(&t->docids, rd.tok[d], rd.toklen[d]);
		if (qid < 0 || did < 0 || t->njudg >= UINT32_MAX ||
		    reserve((void **)&t->judg, &t->judg_cap, t->njudg, sizeof *t->judg)) {
			st = fail(&rd, LODE_NOMEM, "out of memory");
			break;
		}
		t->judg[t->njudg] = (trec_judgment_t){ (uint32_t)qid, (uint32_t)did,
						       (uint32_t)t->njudg, (int)rel };
		t->njudg++;
	}
	if (st == LODE_OK && r < 0)
		st = rd_error(&rd);
	rd_close(&rd);
	return st;
}

lode_status_t trec_read_run(trec_data_t *t, const char *path, char **errmsg)
{
	reader_t rd;
	lode_status_t st = rd_open(&rd, path, errmsg);
	char q1[48];
	int r = 0;
	while (st == LODE_OK && (r = rd_next(&rd)) > 0) {
		if (rd.nul) {
			st = fail(&rd, LODE_INVALID, "NUL byte in the line (not a text file?)");
			break;
		}
		if (rd.ntok == 0)
			continue;
		if (rd.ntok < 6) {
			st = fail(&rd, LODE_INVALID, "expected 'qid Q0 docid rank score tag'");
			break;
		}
		double score;
		if (!is_integer(rd.tok[3])) {
			st = fail(&rd, LODE_INVALID, "rank '%s' is not an integer",
				  shown(rd.tok[3], q1));
			break;
		}
		if (parse_number(&rd, rd.tok[4], &score)) {
			st = fail(&rd, LODE_INVALID, "score '%s' is not a number",
				  shown(rd.tok[4], q1));
			break;
		}
		int64_t qid = trec_strtab_find(&t->qids, rd.tok[0], rd.toklen[0]);
		if (qid < 0)
			continue; /* a query nobody judged: it counts nowhere */
		int64_t did = trec_strtab_add(&t->docids, rd.tok[2], rd.toklen[2]);
		if (did < 0 || reserve((void **)&t->hits, &t->hits_cap, t->nhits, sizeof *t->hits)) {
			st = fail(&rd, LODE_NOMEM, "out of memory");
			break;
		}
		t->hits[t->nhits++] = (trec_hit_t){ (uint32_t)qid, (uint32_t)did, score,
						    t->docids.str[did] };
	}
	if (st == LODE_OK && r < 0)
		st = rd_error(&rd);
	rd_close(&rd);
	return st;
}
