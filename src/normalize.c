/* normalize.c - Unicode folding and character classes; see normalize.h.
 *
 * Folding is done code point by code point with utf8proc_decompose_char
 * (compatibility decomposition + full case folding), then our own canonical
 * reordering, mark filter and recomposition. utf8proc_map would do most of
 * it, but its STRIPMARK removes every mark (breaking Indic and kana) and it
 * mallocs per call; here short inputs never allocate.
 *
 * Most characters need no context and fold through a table (ASCII, the
 * alphabets below U+0800) or to themselves (Han); utf8proc sees only the
 * chunks of other characters between them, so long texts never need one
 * big buffer. */
#include "normalize.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define DECOMP_OPTS (UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | \
		     UTF8PROC_IGNORE | UTF8PROC_STABLE)
#define STACK_CPS 256

/* The decoder, inlined into this file's loops (norm_decode wraps it). */
static inline size_t decode(const char *str, size_t len, int *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (len == 0) {
		*cp = 0;
		return 0;
	}
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = (int)c;
		return 1;
	}
	size_t k;
	unsigned min;
	if (c >= 0xC2 && c <= 0xDF)
		k = 2, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 3, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 4, min = 0x10000;
	else
		goto bad;
	if (len < k)
		goto bad;
	unsigned v = c & (0x3Fu >> (k - 1));
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*cp = (int)v;
	return k;
bad:
	*cp = 0xFFFD;
	return 1;
}

size_t norm_decode(const char *s, size_t len, int *cp)
{
	return decode(s, len, cp);
}

static int category(int cp)
{
	if (cp < 0 || cp > 0x10FFFF)
		return UTF8PROC_CATEGORY_CN;
	return utf8proc_category(cp);
}

int norm_is_word_char(int cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	/* L* (1-5), M* (6-8), Nd Nl No (9-11) are contiguous in utf8proc. */
	int c = category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

int norm_is_letter(int cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	int c = category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int norm_is_digit(int cp)
{
	if (cp < 0x80)
		return cp >= '0' && cp <= '9';
	return category(cp) == UTF8PROC_CATEGORY_ND;
}

int norm_is_mark(int cp)
{
	if (cp < 0x300)
		return 0;
	int c = category(cp);
	return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}

/* Han ideographs: no case, no decomposition, never composed with anything. */
static int is_han_core(int cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x20000 && cp <= 0x2F7FF) || (cp >= 0x30000 && cp <= 0x3134F);
}

int norm_is_cjk(int cp)
{
	if (cp < 0x1100)
		return 0;
	if (is_han_core(cp) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
	    (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA))
		return 1;
	int in = (cp <= 0x11FF) ||                    /* Hangul jamo */
		 (cp >= 0x3005 && cp <= 0x3007) ||    /* 々 〆 〇 */
		 (cp >= 0x3021 && cp <= 0x3029) ||    /* Hangzhou numerals */
		 (cp >= 0x3031 && cp <= 0x3035) ||    /* kana repeat marks */
		 (cp >= 0x3038 && cp <= 0x303C) ||
		 (cp >= 0x3040 && cp <= 0x30FF) ||    /* Hiragana, Katakana */
		 (cp >= 0x3100 && cp <= 0x318F) ||    /* Bopomofo, Hangul compat jamo */
		 (cp >= 0x31A0 && cp <= 0x31BF) ||    /* Bopomofo extended */
		 (cp >= 0x31F0 && cp <= 0x31FF) ||    /* Katakana phonetic ext. */
		 (cp >= 0xA960 && cp <= 0xA97F) ||    /* Hangul jamo ext. A */
		 (cp >= 0xD7B0 && cp <= 0xD7FF) ||    /* Hangul jamo ext. B */
		 (cp >= 0xF900 && cp <= 0xFAFF) ||    /* compatibility ideographs */
		 (cp >= 0xFF66 && cp <= 0xFFDC) ||    /* half-width kana, Hangul */
		 (cp >= 0x1B000 && cp <= 0x1B16F) ||  /* kana supplement, ext. */
		 (cp >= 0x2F800 && cp <= 0x2FA1F);    /* compat. ideographs supp. */
	return in && norm_is_word_char(cp);
}

int norm_is_sentence_end(int cp)
{
	switch (cp) {
	case '.': case '!': case '?':
	case 0x037E:            /* Greek question mark */
	case 0x0589:            /* Armenian full stop */
	case 0x061F: case 0x06D4: /* Arabic question mark, full stop */
	case 0x0964: case 0x0965: /* Devanagari danda, double danda */
	case 0x2026:            /* … */
	case 0x203C: case 0x2047: case 0x2048: case 0x2049:
	case 0x3002:            /* 。 */
	case 0xFE52: case 0xFE56: case 0xFE57:
	case 0xFF01: case 0xFF0E: case 0xFF1F: case 0xFF61:
		return 1;
	default:
		return 0;
	}
}

/* Marks that are removed by accent folding: Mn and Me, except in scripts
 * whose vowels and voicing are written as marks (removing them would merge
 * unrelated words). */
static int strip_mark(const utf8proc_property_t *p, int cp)
{
	if (p->category != UTF8PROC_CATEGORY_MN && p->category != UTF8PROC_CATEGORY_ME)
		return 0;
	if ((cp >= 0x0900 && cp <= 0x109F) ||   /* Indic, Thai, Lao, Tibetan, Myanmar */
	    (cp >= 0x1700 && cp <= 0x1BFF) ||   /* Philippine, Khmer, ..., Batak */
	    (cp >= 0xA800 && cp <= 0xABFF) ||   /* Syloti Nagri ... Meetei Mayek */
	    (cp >= 0x11000 && cp <= 0x11FFF) || /* historic Indic */
	    cp == 0x3099 || cp == 0x309A)       /* kana voicing */
		return 0;
	return 1;
}

/* Letters with strokes and the æ œ ligatures, which have no decomposition,
 * folded to what people type. Returns the replacement (1 or 2 code points in
 * out), or 0 when CP is kept as is. */
static int extra_fold(int cp, int out[2])
{
	switch (cp) {
	case 0x0131: out[0] = 'i'; return 1;               /* ı */
	case 0x00F8: out[0] = 'o'; return 1;               /* ø */
	case 0x0142: out[0] = 'l'; return 1;               /* ł */
	case 0x0111: out[0] = 'd'; return 1;               /* đ */
	case 0x0127: out[0] = 'h'; return 1;               /* ħ */
	case 0x0167: out[0] = 't'; return 1;               /* ŧ */
	case 0x00E6: out[0] = 'a'; out[1] = 'e'; return 2; /* æ */
	case 0x0153: out[0] = 'o'; out[1] = 'e'; return 2; /* œ */
	default: return 0;
	}
}

/* Append N bytes to OUT as far as CAP allows; *o always counts them all. */
static void put(char *out, size_t cap, size_t *o, const char *b, size_t n)
{
	if (*o < cap) {
		size_t room = cap - *o;
		memcpy(out + *o, b, n < room ? n : room);
	}
	*o += n;
}

static void put_cp(char *out, size_t cap, size_t *o, int cp)
{
	unsigned char tmp[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
	put(out, cap, o, (const char *)tmp, (size_t)n);
}

/* Canonical ordering: a stable sort of each run of non-starters by
 * combining class (runs are short, so insertion sort). */
static void reorder(int32_t *cp, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int ci = utf8proc_get_property(cp[i])->combining_class;
		if (ci == 0)
			continue;
		size_t j = i;
		int32_t v = cp[i];
		while (j > 0) {
			int cj = utf8proc_get_property(cp[j - 1])->combining_class;
			if (cj <= ci)
				break;
			cp[j] = cp[j - 1];
			j--;
		}
		cp[j] = v;
	}
}

/* Fold one chunk (see the file comment) through utf8proc. */
static int fold_chunk(const char *s, size_t len, char *out, size_t cap, size_t *o)
{
	int32_t stack[STACK_CPS];
	int32_t *cp = stack;
	size_t ncap = STACK_CPS, n = 0;
	int rc = 0;
	for (size_t i = 0; i < len;) {
		int c;
		i += decode(s + i, len - i, &c);
		for (;;) {
			int bound = 0;
			utf8proc_ssize_t r = utf8proc_decompose_char(c, cp + n,
				(utf8proc_ssize_t)(ncap - n), DECOMP_OPTS, &bound);
			if (r < 0)
				break; /* cannot happen for a valid code point: drop it */
			if ((size_t)r <= ncap - n) {
				n += (size_t)r;
				break;
			}
			size_t want = ncap * 2 + (size_t)r;
			int32_t *p = malloc(want * sizeof *p);
			if (!p) {
				rc = -1;
				goto out;
			}
			memcpy(p, cp, n * sizeof *p);
			if (cp != stack)
				free(cp);
			cp = p;
			ncap = want;
		}
	}
	reorder(cp, n);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!strip_mark(utf8proc_get_property(cp[i]), cp[i]))
			cp[m++] = cp[i];
	utf8proc_ssize_t k = utf8proc_normalize_utf32(cp, (utf8proc_ssize_t)m,
						      UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	for (utf8proc_ssize_t i = 0; i < k; i++) {
		int x[2];
		int nx = extra_fold(cp[i], x);
		if (nx == 0)
			put_cp(out, cap, o, cp[i]);
		for (int j = 0; j < nx; j++)
			put_cp(out, cap, o, x[j]);
	}
out:
	if (cp != stack)
		free(cp);
	return rc;
}

/* Folds of U+0080..U+07FF (Latin, Greek, Cyrillic, Hebrew, Arabic ...),
 * computed once. Such a starter folds the same whatever marks surround it
 * (marks below U+0800 are all removed, none composes with a later mark;
 * checked exhaustively against the whole pipeline when this was written),
 * so a table lookup replaces utf8proc for most alphabetic text. Marks,
 * ignorables and the few longer folds are left to utf8proc (NOT_SMALL). */
#define SMALL_END 0x800
#define NOT_SMALL 0xFF
static struct {
	unsigned char len;
	char b[7];
} small_fold[SMALL_END];
static pthread_once_t small_once = PTHREAD_ONCE_INIT;

static void small_init(void)
{
	for (int cp = 0x80; cp < SMALL_END; cp++) {
		unsigned char u[4];
		char tmp[16];
		size_t ul = (size_t)utf8proc_encode_char(cp, u), o = 0;
		small_fold[cp].len = NOT_SMALL;
		/* Ignorables (which fold to nothing) stay out too: in the full
		 * pipeline, marks on either side of them still meet. */
		if (norm_is_mark(cp) || fold_chunk((const char *)u, ul, tmp, sizeof tmp, &o) ||
		    o == 0 || o > sizeof small_fold[cp].b)
			continue;
		memcpy(small_fold[cp].b, tmp, o);
		small_fold[cp].len = (unsigned char)o;
	}
}

/* The fold of the character at S when it needs no context (then *n is its
 * length and *fl its fold), else NULL. Han is copied as is. */
static const char *simple_fold(const char *s, size_t len, size_t *n, size_t *fl)
{
	static const char lower[] = "abcdefghijklmnopqrstuvwxyz";
	unsigned char c = (unsigned char)s[0];
	if (c < 0x80) {
		*n = *fl = 1;
		return c >= 'A' && c <= 'Z' ? lower + (c - 'A') : s;
	}
	int cp;
	*n = decode(s, len, &cp);
	/* built on the first non-ASCII character: an ASCII query or text
	 * (most searches) never pays for the table */
	pthread_once(&small_once, small_init);
	if (cp < SMALL_END && small_fold[cp].len != NOT_SMALL) {
		*fl = small_fold[cp].len;
		return small_fold[cp].b;
	}
	if (is_han_core(cp)) {
		*fl = *n;
		return s;
	}
	return NULL;
}

int norm_fold_n(const char *s, size_t len, char *out, size_t cap, size_t *outlen)
{
	size_t o = 0, i = 0, n, fl;
	while (i < len) {
		const char *f = simple_fold(s + i, len - i, &n, &fl);
		if (f) {
			put(out, cap, &o, f, fl);
			i += n;
			continue;
		}
		/* A chunk: up to the next character that needs no context. */
		size_t e = i + n;
		while (e < len && !simple_fold(s + e, len - e, &n, &fl))
			e += n;
		if (fold_chunk(s + i, e - i, out, cap, &o))
			return -1;
		i = e;
	}
	*outlen = o;
	return 0;
}

int norm_fold(const char *s, size_t len, buf_t *out)
{
	if (buf_reserve(out, len + 16))
		return -1;
	size_t room = out->cap - out->len - 1, n;
	if (norm_fold_n(s, len, out->p + out->len, room, &n)) {
		out->oom = 1;
		return -1;
	}
	if (n > room) {
		if (buf_reserve(out, n))
			return -1;
		if (norm_fold_n(s, len, out->p + out->len, n, &n)) {
			out->oom = 1;
			return -1;
		}
	}
	out->len += n;
	out->p[out->len] = '\0';
	return 0;
}
