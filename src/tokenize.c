/* tokenize.c - the one tokenizer; the rules are in tokenize.h.
 *
 * Speed matters (this is the indexing hot path): ASCII letters and digits are
 * lower-cased through a table while scanning, and utf8proc is reached only
 * for words with non-ASCII characters. Nothing here allocates; folded tokens
 * live in fixed buffers of TOK_MAX_LEN bytes, since longer ones are dropped. */
#include "tokenize.h"
#include "normalize.h"

#include <string.h>

#define FOLD_CAP TOK_MAX_LEN
/* A non-ASCII stretch longer than this cannot fold into FOLD_CAP bytes
 * (short of pathological stacks of marks): drop it without folding. */
#define SRC_CAP (16 * TOK_MAX_LEN)

/* Lower-case form of ASCII letters and digits; 0 for every other byte. */
static const char word_lc[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 0, 0, 0, 0, 0, 0,
	0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0, 0, 0, 0, 0,
	0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0, 0, 0, 0, 0,
};

/* Bytes that need a closer look at a word's edges. */
enum {
	B_URL = 1,  /* may start a URL: h f w */
	B_MAIL = 2, /* may follow the first run of an e-mail address: . - _ + % @ */
	B_END = 4,  /* ASCII that cannot join a compound: all but . - _ */
};

static const unsigned char byte_flags[256] = {
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	/*  !  "  #  $  %  &  '  (  )  *  +  ,  -  .  / */
	4, 4, 4, 4, 4, 6, 4, 4, 4, 4, 4, 6, 4, 2, 2, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	/* @  A  B  C  D  E  F  G  H  I  J  K  L  M  N  O */
	6, 4, 4, 4, 4, 4, 5, 4, 5, 4, 4, 4, 4, 4, 4, 4,
	/* P  Q  R  S  T  U  V  W  X  Y  Z  [  \  ]  ^  _ */
	4, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4, 4, 2,
	/* `  a  b  c  d  e  f  g  h  i  j  k  l  m  n  o */
	4, 4, 4, 4, 4, 4, 5, 4, 5, 4, 4, 4, 4, 4, 4, 4,
	/* p  q  r  s  t  u  v  w  x  y  z  {  |  }  ~ DEL */
	4, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4, 4, 4,
};

/* What a character does to the word around it. */
enum {
	C_SEP,    /* separates words */
	C_WORD,   /* word character (not CJK) */
	C_CJK,    /* CJK word character: a token of its own */
	C_APOS,   /* ' ’ ʼ: dropped inside a word */
	C_HYPHEN, /* joins a compound */
	C_UNDER,  /* joins a compound (code identifiers) */
	C_JOINER, /* soft hyphen, ZWJ, ZWNJ, word joiner: dropped inside a word */
};

typedef struct {
	const unsigned char *s;
	size_t len;
	tok_cb cb;
	void *ctx;
	unsigned pos;   /* position of the next primary token */
	int rc;         /* sticky: callback's stop value, or -1 out of memory */
} tk_t;

static int classify(int cp)
{
	switch (cp) {
	case 0x2019: case 0x02BC: case 0xFF07:
		return C_APOS;
	case 0x2010: case 0x2011: case 0xFF0D:
		return C_HYPHEN;
	case 0xFF3F:
		return C_UNDER;
	case 0x00AD: case 0x200C: case 0x200D: case 0x2060:
		return C_JOINER;
	default:
		break;
	}
	if (norm_is_cjk(cp))
		return C_CJK;
	return norm_is_word_char(cp) ? C_WORD : C_SEP;
}

/* Class of the character at I (C_SEP at the end of the text, with *n = 0);
 * *n receives its length. Invalid UTF-8 decodes as U+FFFD, a separator. */
static int class_at(const tk_t *t, size_t i, size_t *n)
{
	if (i >= t->len) {
		*n = 0;
		return C_SEP;
	}
	unsigned char c = t->s[i];
	if (c < 0x80) {
		*n = 1;
		if (word_lc[c])
			return C_WORD;
		return c == '\'' ? C_APOS : c == '-' ? C_HYPHEN : c == '_' ? C_UNDER : C_SEP;
	}
	int cp;
	*n = norm_decode((const char *)t->s + i, t->len - i, &cp);
	return classify(cp);
}

static int cp_at(const tk_t *t, size_t i, size_t *n)
{
	int cp = -1;
	*n = norm_decode((const char *)t->s + i, t->len - i, &cp);
	return cp;
}

static int digit_at(const tk_t *t, size_t i)
{
	size_t n;
	if (i >= t->len)
		return 0;
	if (t->s[i] < 0x80)
		return t->s[i] >= '0' && t->s[i] <= '9';
	return norm_is_digit(cp_at(t, i, &n));
}

/* Is the character ending just before J (J > 0) a digit? */
static int digit_before(const tk_t *t, size_t j)
{
	if (t->s[j - 1] < 0x80)
		return t->s[j - 1] >= '0' && t->s[j - 1] <= '9';
	size_t k = j - 1;
	while (k > 0 && j - k < 4 && (t->s[k] & 0xC0) == 0x80)
		k--;
	int cp;
	norm_decode((const char *)t->s + k, j - k, &cp);
	return norm_is_digit(cp);
}

static int num_flag(const char *tok, size_t n)
{
	int cp;
	if (n == 0)
		return 0;
	if ((unsigned char)tok[0] < 0x80)
		return tok[0] >= '0' && tok[0] <= '9' ? TOK_NUMBER : 0;
	norm_decode(tok, n, &cp);
	return norm_is_digit(cp) ? TOK_NUMBER : 0;
}

static void emit(tk_t *t, const char *tok, size_t n, size_t start, size_t end,
		 unsigned pos, int flags)
{
	if (t->rc || n == 0 || n > TOK_MAX_LEN)
		return;
	t->rc = t->cb(t->ctx, tok, n, start, end, pos, flags);
}

/* A primary token takes a position even when too long to be reported. */
static void emit_primary(tk_t *t, const char *tok, size_t n, size_t start, size_t end,
			 int flags)
{
	if (n == 0 || t->rc)
		return;
	emit(t, tok, n, start, end, t->pos, flags);
	t->pos++;
}

/* Fold text[a, b) into OUT (FOLD_CAP bytes) at offset O; returns the new
 * offset, which may exceed FOLD_CAP (then the token is too long). */
static size_t fold_into(tk_t *t, size_t a, size_t b, char *out, size_t o)
{
	if (b - a > SRC_CAP)
		return o + FOLD_CAP + 1;
	size_t n;
	if (norm_fold_n((const char *)t->s + a, b - a, out + (o < FOLD_CAP ? o : FOLD_CAP),
			o < FOLD_CAP ? FOLD_CAP - o : 0, &n)) {
		t->rc = -1;
		return o;
	}
	return o + n;
}

typedef struct {
	size_t end;     /* just past the part (a dropped possessive 's included) */
	size_t flen;    /* folded length; > FOLD_CAP: too long */
	int letter1;    /* the part is a single letter (abbreviation candidate) */
} part_t;

/* Scan one word at I (a C_WORD character): letters, digits and marks, with
 * inner apostrophes and joiners dropped and number punctuation kept. Its
 * folded form goes to OUT (FOLD_CAP bytes). */
static void scan_part(tk_t *t, size_t i, char *out, part_t *p)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j = i, seg = i, seg_o = 0, o = 0, n;
	int seg_ascii = 1;
	p->end = 0;
	for (;;) {
		while (j < len) { /* the hot loop */
			char l = word_lc[s[j]];
			if (!l)
				break;
			if (o < FOLD_CAP)
				out[o] = l;
			o++;
			j++;
		}
		if (j >= len)
			break;
		unsigned char c = s[j];
		if (c == '.' || c == ',') {
			if (!digit_before(t, j) || !digit_at(t, j + 1))
				break;
			if (o < FOLD_CAP)
				out[o] = (char)c;
			o++;
			j++;
			continue;
		}
		if (c < 0x80 && c != '\'')
			break;
		int cls = class_at(t, j, &n);
		if (cls == C_WORD) {
			seg_ascii = 0;
			j += n;
			continue;
		}
		if (cls != C_APOS && cls != C_JOINER)
			break;
		size_t k = j + n, n2;
		if (class_at(t, k, &n2) != C_WORD)
			break;
		/* The segment before the apostrophe ends here. */
		if (!seg_ascii)
			o = fold_into(t, seg, j, out, seg_o);
		if (cls == C_APOS && (s[k] | 0x20) == 's' && class_at(t, k + 1, &n2) != C_WORD) {
			p->end = k + 1; /* possessive: 's dropped */
			seg_ascii = 1;
			break;
		}
		j = seg = k;
		seg_o = o;
		seg_ascii = 1;
	}
	if (!seg_ascii)
		o = fold_into(t, seg, j, out, seg_o);
	if (!p->end)
		p->end = j;
	p->flen = o;
	p->letter1 = 0;
	if (s[i] < 0x80) {
		p->letter1 = p->end == i + 1 && s[i] >= 'A';
	} else if (p->end - i <= 4) {
		int cp0 = cp_at(t, i, &n);
		p->letter1 = p->end == i + n && norm_is_letter(cp0);
	}
}

/* Does text at I start with P (lower case), ignoring the case of letters? */
static int has_prefix(const tk_t *t, size_t i, const char *p)
{
	for (; *p; p++, i++) {
		if (i >= t->len)
			return 0;
		unsigned char c = t->s[i];
		if ((word_lc[c] ? word_lc[c] : (char)c) != *p)
			return 0;
	}
	return 1;
}

/* URL at I ("http://", "https://", "ftp://", "www." and a word character):
 * returns its end, or 0. Called for words starting with h, f or w. */
static size_t match_url(const tk_t *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t k = 0, n;
	switch (s[i] | 0x20) {
	case 'h':
		if (has_prefix(t, i, "http://"))
			k = i + 7;
		else if (has_prefix(t, i, "https://"))
			k = i + 8;
		break;
	case 'w':
		if (has_prefix(t, i, "www."))
			k = i + 4;
		break;
	default:
		if (has_prefix(t, i, "ftp://"))
			k = i + 6;
		break;
	}
	if (!k)
		return 0;
	if (class_at(t, k, &n) != C_WORD)
		return 0;
	size_t j = k, open = 0, close = 0;
	while (j < t->len) {
		unsigned char c = s[j];
		if (c >= 0x80) {
			if (class_at(t, j, &n) != C_WORD)
				break;
			j += n;
			continue;
		}
		if (c <= 0x20 || c == 0x7F || strchr("<>\"'`{}|\\^", c))
			break;
		open += c == '(' || c == '[';
		close += c == ')' || c == ']';
		j++;
	}
	for (;;) { /* trailing punctuation belongs to the sentence */
		unsigned char c = s[j - 1];
		if (strchr(".,;:!?", c)) {
			j--;
		} else if ((c == ')' || c == ']') && close > open) {
			j--;
			close--;
		} else {
			break;
		}
	}
	return j;
}

static int email_local(unsigned char c)
{
	return word_lc[c] || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* E-mail address at I (ASCII local@label.label...): returns its end, or 0. */
static size_t match_email(const tk_t *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j = i, n;
	while (j < len && email_local(s[j]))
		j++;
	if (j >= len || s[j] != '@' || s[j - 1] == '.')
		return 0;
	size_t k = j + 1;
	int labels = 0;
	for (;;) {
		size_t ls = k;
		while (k < len && (word_lc[s[k]] || s[k] == '-'))
			k++;
		while (k > ls && s[k - 1] == '-')
			k--;
		if (k == ls)
			return 0;
		labels++;
		if (k + 1 < len && s[k] == '.' && word_lc[s[k + 1]]) {
			k++;
			continue;
		}
		break;
	}
	if (labels < 2 || class_at(t, k, &n) == C_WORD)
		return 0;
	return k;
}

/* A URL or e-mail address [a, b): its word runs, then the whole. */
static size_t emit_whole(tk_t *t, size_t a, size_t b)
{
	char tok[FOLD_CAP];
	unsigned p0 = t->pos;
	size_t j = a, n;
	while (j < b) {
		if (class_at(t, j, &n) != C_WORD) {
			j += n;
			continue;
		}
		size_t st = j;
		while (j < b && class_at(t, j, &n) == C_WORD)
			j += n;
		size_t fl = fold_into(t, st, j, tok, 0);
		emit_primary(t, tok, fl, st, j, num_flag(tok, fl));
	}
	size_t fl = fold_into(t, a, b, tok, 0);
	emit(t, tok, fl, a, b, p0, TOK_COLOCATED);
	return b;
}

/* Append a part of FLEN folded bytes to the joined form (FOLD_CAP bytes) at
 * JL; returns the new length (> FOLD_CAP: too long). */
static size_t join_add(char *joined, size_t jl, const char *part, size_t flen)
{
	if (jl < FOLD_CAP && flen <= FOLD_CAP)
		memcpy(joined + jl, part, flen < FOLD_CAP - jl ? flen : FOLD_CAP - jl);
	return jl + (flen <= FOLD_CAP ? flen : FOLD_CAP + 1);
}

/* A word at I, with what hyphens, underscores or abbreviation dots join to
 * it; or a URL or e-mail address starting there. Returns where it ends. */
static size_t scan_word(tk_t *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t len = t->len, cs = i, jl = 0, n;
	unsigned p0 = t->pos;
	char part[FOLD_CAP], joined[FOLD_CAP];
	int nparts = 0, abbr = 1, joining = 0;

	if (byte_flags[s[i]] & B_URL) {
		size_t e = match_url(t, i);
		if (e)
			return emit_whole(t, i, e);
	}
	for (;;) {
		part_t p;
		scan_part(t, i, part, &p);
		if (i == cs && p.end < len && (byte_flags[s[p.end]] & B_MAIL)) {
			size_t e = match_email(t, cs);
			if (e)
				return emit_whole(t, cs, e);
		}
		if (p.flen) {
			emit_primary(t, part, p.flen, i, p.end, num_flag(part, p.flen));
			nparts++;
			if (joining)
				jl = join_add(joined, jl, part, p.flen);
		}
		abbr = abbr && p.letter1;
		i = p.end;
		if (i >= len || t->rc || (byte_flags[s[i]] & B_END))
			break;
		if (s[i] == '.') {
			/* U.S.: a dot between single letters */
			if (!abbr || class_at(t, i + 1, &n) != C_WORD ||
			    !norm_is_letter(cp_at(t, i + 1, &n)) ||
			    class_at(t, i + 1 + n, &n) == C_WORD)
				break;
			i++;
		} else {
			size_t n2;
			int cls = class_at(t, i, &n);
			if ((cls != C_HYPHEN && cls != C_UNDER) ||
			    class_at(t, i + n, &n2) != C_WORD)
				break;
			abbr = 0;
			i += n;
		}
		/* Most words are alone: the joined form starts only here. */
		if (!joining) {
			joining = 1;
			jl = join_add(joined, 0, part, p.flen);
		}
	}
	if (nparts >= 2)
		emit(t, joined, jl, cs, i, p0, TOK_COLOCATED | num_flag(joined, jl));
	return i;
}

/* Marks, half-width voicing marks and conjoining vowel/final jamo stay with
 * the CJK character before them. */
static int cjk_attaches(int cp)
{
	return norm_is_mark(cp) || cp == 0xFF9E || cp == 0xFF9F ||
	       (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF);
}

/* A run of CJK characters at I: unigrams and colocated bigrams. */
static size_t scan_cjk(tk_t *t, size_t i)
{
	char prev[FOLD_CAP], cur[FOLD_CAP], bi[2 * FOLD_CAP];
	size_t pl = 0, prev_start = 0, n;
	unsigned prev_pos = 0;
	while (i < t->len && !t->rc && class_at(t, i, &n) == C_CJK) {
		size_t st = i;
		i += n;
		while (i < t->len && cjk_attaches(cp_at(t, i, &n)))
			i += n;
		size_t cl = fold_into(t, st, i, cur, 0);
		if (cl == 0 || cl > FOLD_CAP) {
			emit_primary(t, cur, cl, st, i, TOK_CJK);
			pl = 0;
			continue;
		}
		unsigned pos = t->pos;
		emit_primary(t, cur, cl, st, i, TOK_CJK);
		if (pl) {
			memcpy(bi, prev, pl);
			memcpy(bi + pl, cur, cl);
			emit(t, bi, pl + cl, prev_start, i, prev_pos, TOK_CJK | TOK_COLOCATED);
		}
		memcpy(prev, cur, cl);
		pl = cl;
		prev_start = st;
		prev_pos = pos;
	}
	return i;
}

int tok_run(const char *text, size_t len, unsigned first_pos, tok_cb cb, void *ctx,
	    unsigned *next_pos)
{
	tk_t t = { (const unsigned char *)text, len, cb, ctx, first_pos, 0 };
	size_t i = 0, n;
	while (i < len && !t.rc) {
		unsigned char c = t.s[i];
		if (c < 0x80) {
			if (word_lc[c])
				i = scan_word(&t, i);
			else
				i++;
			continue;
		}
		int cls = class_at(&t, i, &n);
		if (cls == C_WORD)
			i = scan_word(&t, i);
		else if (cls == C_CJK)
			i = scan_cjk(&t, i);
		else
			i += n;
	}
	if (next_pos)
		*next_pos = t.pos;
	return t.rc;
}
