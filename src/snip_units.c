/* snip_units.c - cut a hit's text into sentence-sized units (see
 * snip_units.h): sentences end at a stop followed by a capital, not after an
 * abbreviation; a short line ends at its newline; a blank line starts a
 * paragraph that no passage runs into; a long sentence is cut at spaces.
 * Only the paragraphs holding matches are cut. */
#include "snip_units.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* A line this short ends at its newline (a heading, a list item, an address). */
#define SHORT_LINE 40

/* --------------------------------------------------- characters and text */

static inline int is_sentence_end(int cp)
{
	return cp < 0x80 ? (cp == '.' || cp == '!' || cp == '?') : norm_is_sentence_end(cp);
}

/* ASCII that is neither a space (nor a control) nor a stop: what segment()
 * counts without decoding. A table: it is asked for nearly every byte. */
static const unsigned char plain_tab[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* controls */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, /* space ! . */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* ? */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* DEL */
	/* 0x80 and up: not ASCII */
};

static inline int plain_ascii(char c)
{
	return plain_tab[(unsigned char)c];
}

/* Closing quotes and brackets that may follow a sentence's final stop. */
static int is_closer(int cp)
{
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' || cp == 0x2019 ||
	       cp == 0x201D || cp == 0xBB || cp == 0x300D || cp == 0x300F || cp == 0xFF09;
}

/* Does the text at S start with a lower-case letter (the sentence goes on)? */
static int starts_lower(const char *s, size_t n)
{
	int cp;
	if (!n)
		return 0;
	norm_decode(s, n, &cp);
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* Does the line at S start like a list item, heading or quote? */
static int block_start(const char *s, size_t n)
{
	size_t i = 0;
	if (!n)
		return 0;
	if (strchr("-*#>+", s[0]) || (n >= 3 && !memcmp(s, "\xE2\x80\xA2", 3)))
		return 1;
	while (i < n && i < 4 && s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 0 && i < n && (s[i] == '.' || s[i] == ')');
}

/* Is the '.' at DOT the end of an abbreviation or initial ("Mr.", "J.", "U.S.")
 * rather than of a sentence? UNIT_START bounds the look back. */
static int abbreviation(const char *t, size_t unit_start, size_t dot)
{
	static const struct {
		const char *s;
		size_t n;
	} abbr[] = {{"mr", 2}, {"mrs", 3}, {"ms", 2},   {"dr", 2},  {"prof", 4}, {"st", 2},
		    {"sr", 2}, {"jr", 2},  {"vs", 2},   {"no", 2},  {"fig", 3},  {"inc", 3},
		    {"ltd", 3}, {"co", 2}, {"cf", 2},  {"approx", 6}};
	size_t b = dot;
	while (b > unit_start && ((t[b - 1] | 0x20) >= 'a' && (t[b - 1] | 0x20) <= 'z'))
		b--;
	size_t n = dot - b;
	if (n == 1)
		return 1;
	if (n > 6)
		return 0; /* longer than any of them: every sentence's last word */
	for (size_t i = 0; i < sizeof abbr / sizeof *abbr; i++)
		if (abbr[i].n == n && !strncasecmp(t + b, abbr[i].s, n))
			return 1;
	return 0;
}

/* ---------------------------------------------------------------- units */

static int push_unit(units_t *u, size_t start, size_t end, unsigned chars, int cont, int para)
{
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 64;
		unit_t *nv = realloc(u->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		u->v = nv;
		u->cap = cap;
	}
	u->v[u->n++] = (unit_t){start, end, chars, cont, para};
	return 0;
}

/* Cut T[from, n) into sentences: a stop, maybe closing quotes, then a space
 * before something that is not lower case (CJK stops need no space); and at
 * block ends (a blank line; a newline after a short line or before a list
 * item). FROM is the text's start or just after a blank line: nothing before
 * it changes how the rest is cut. The first unit and each after a blank line
 * start a paragraph. */
static int segment(const char *t, size_t from, size_t n, units_t *u)
{
	size_t i = from, ustart = 0, uend = 0;
	unsigned uchars = 0, line_chars = 0;
	int open = 0, pend = 0; /* pend: 1 after a stop, 2 after a CJK stop */
	int para = 1;
	while (i < n) {
		int cp;
		size_t k = decode(t + i, n - i, &cp);
		if (is_space_cp(cp)) {
			size_t j = i;
			unsigned nl = 0;
			while (j < n) {
				int c2;
				size_t k2 = decode(t + j, n - j, &c2);
				if (!is_space_cp(c2))
					break;
				nl += c2 == '\n';
				j += k2;
			}
			if (open && (nl >= 2 ||
				     (nl == 1 && (line_chars < SHORT_LINE || block_start(t + j, n - j))) ||
				     (pend && !starts_lower(t + j, n - j)))) {
				if (push_unit(u, ustart, uend, uchars, 0, para))
					return -1;
				open = 0;
				para = 0;
			} else if (open) {
				uchars++;
			}
			if (nl >= 2)
				para = 1;
			if (nl)
				line_chars = 0;
			pend = 0;
			i = j;
			continue;
		}
		if (pend && !is_closer(cp)) {
			if (pend == 2 && open) {
				if (push_unit(u, ustart, uend, uchars, 0, para))
					return -1;
				open = 0;
				para = 0;
			}
			pend = 0; /* "3.14", "U.S.A": no space, no end */
		}
		if (!open) {
			open = 1;
			ustart = i;
			uchars = 0;
		}
		uchars++;
		line_chars++;
		uend = i + k;
		if (is_sentence_end(cp))
			pend = cp >= 0x3000 ? 2 : (cp == '.' && abbreviation(t, ustart, i)) ? 0 : 1;
		i += k;
		if (!pend) {
			/* the common case, counted without decoding: ASCII that
			 * is neither a space nor a stop, and single spaces
			 * between such (they end nothing) */
			size_t j = i;
			unsigned spaces = 0;
			for (;;) {
				if (j < n && plain_ascii(t[j])) {
					j++;
				} else if (j + 1 < n && t[j] == ' ' && plain_ascii(t[j + 1])) {
					spaces++;
					j++;
				} else {
					break;
				}
			}
			uchars += (unsigned)(j - i);
			line_chars += (unsigned)(j - i) - spaces;
			if (j > i)
				uend = j;
			i = j;
		}
	}
	if (open && push_unit(u, ustart, uend, uchars, 0, para))
		return -1;
	return 0;
}

/* Split the sentence T[start, end) of CHARS characters, too long for a
 * passage, into pieces of at most LIMIT characters that windows can combine
 * around a match: at the last space far enough into the piece, else between
 * two characters (CJK, a long URL). */
static int split_sentence(const char *t, const unit_t *s, unsigned limit, units_t *out)
{
	size_t i = s->start, pstart = s->start, pend = s->start, ws_at = 0, ws_next = 0;
	unsigned pchars = 0, ws_chars = 0;
	int cont = 0, space = 0;
	while (i < s->end) {
		int cp;
		size_t k = decode(t + i, s->end - i, &cp);
		if (is_space_cp(cp)) {
			if (!space) {
				ws_at = i;
				ws_chars = pchars++;
			}
			space = 1;
			i += k;
			ws_next = i;
			continue;
		}
		space = 0;
		if (pchars >= limit) {
			if (ws_next > pstart && ws_chars >= limit / 3) {
				if (push_unit(out, pstart, ws_at, ws_chars, cont, s->para && !cont))
					return -1;
				pstart = ws_next;
				pchars -= ws_chars + 1;
			} else {
				if (push_unit(out, pstart, pend, pchars, cont, s->para && !cont))
					return -1;
				pstart = i;
				pchars = 0;
			}
			cont = 1;
			ws_next = 0;
		}
		pchars++;
		pend = i + k;
		i += k;
		/* printable ASCII after it, counted at once up to the limit (the
		 * loop above would only count it) */
		size_t j = i, lim = i + (limit - pchars < s->end - i ? limit - pchars : s->end - i);
		while (j < lim && (unsigned char)(t[j] - 0x21) < 0x5E)
			j++;
		if (j > i) {
			pchars += (unsigned)(j - i);
			pend = i = j;
		}
	}
	return push_unit(out, pstart, pend, pchars, cont, s->para && !cont);
}

/* The units windows are made of, for T[from, n) (FROM as for segment):
 * sentences, the long ones in pieces. Appends to U. */
static int make_units(const char *t, size_t from, size_t n, unsigned plen, units_t *u)
{
	units_t sent = {0};
	int rc = segment(t, from, n, &sent);
	for (size_t i = 0; i < sent.n && rc == 0; i++) {
		if (sent.v[i].chars <= plen)
			rc = push_unit(u, sent.v[i].start, sent.v[i].end, sent.v[i].chars, 0,
				       sent.v[i].para);
		else
			rc = split_sentence(t, &sent.v[i], plen > 1 ? plen / 2 : 1, u);
	}
	free(sent.v);
	return rc;
}

/* ----------------------------------------------------------- paragraphs */

/* Only the paragraphs that hold matches are cut into units: passages never
 * cross a blank line, so no other text can be in one, and a long text read
 * for its matches is not segmented in full. */

static int blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Just after the blank line ("\n", blanks, "\n") at or after AT in T[0, n),
 * or N. segment() starts afresh there. */
static size_t para_end(const char *t, size_t at, size_t n)
{
	while (at < n) {
		const char *nl = memchr(t + at, '\n', n - at);
		if (!nl)
			return n;
		size_t j = (size_t)(nl - t) + 1;
		while (j < n && blank_byte(t[j]))
			j++;
		if (j < n && t[j] == '\n')
			return j + 1;
		at = j;
	}
	return n;
}

/* Just after the last blank line that ends at or before AT, but not before
 * FROM (itself the text's start or just after a blank line). */
static size_t para_start(const char *t, size_t from, size_t at)
{
	while (at > from) {
		const char *nl = memrchr(t + from, '\n', at - from);
		if (!nl)
			return from;
		size_t k = (size_t)(nl - t), j = k;
		while (j > from && blank_byte(t[j - 1]))
			j--;
		if (j > from && t[j - 1] == '\n')
			return k + 1;
		at = k;
	}
	return from;
}

/* Bytes of context cut into units on each side of a match in a big
 * paragraph: a passage is at most about 1.25 PLEN characters, and the
 * sentence it starts with needs its start found. (Bytes, not characters:
 * in a script of 3-byte characters, passages around a match in a big
 * paragraph may start a little later than they could.) */
static size_t reach(unsigned plen)
{
	return (size_t)plen * 3 + 64;
}

/* AT moved forward past the next whitespace (within 64 bytes, else to a
 * character start, never beyond END): a place to cut that is not inside a
 * word. */
static size_t snap(const char *t, size_t at, size_t end)
{
	for (size_t i = at; i < end && i < at + 64; i++)
		if (blank_byte(t[i]) || t[i] == '\n')
			return i + 1;
	while (at < end && ((unsigned char)t[at] & 0xC0) == 0x80)
		at++;
	return at;
}

/* Units of T[from, to), a stretch of the paragraph T[ps, pe): a stretch
 * that starts inside the paragraph starts with a piece of a sentence. */
static int stretch_units(const char *t, size_t ps, size_t pe, size_t from, size_t to,
			 unsigned plen, units_t *u)
{
	size_t a = from > ps ? snap(t, from, to) : ps, b = to < pe ? snap(t, to, pe) : pe;
	size_t first = u->n;
	if (make_units(t, a, b, plen, u))
		return -1;
	if (a > ps && first < u->n)
		u->v[first].cont = 1;
	return 0;
}

/* Units of the paragraph T[ps, pe) holding occurrences OCC[i0, i1): all of
 * it, or when it is big (a 100 KB speech on one line) only the stretches
 * around the occurrences: no passage can reach further. Stretches start
 * paragraphs of their own, so that no passage joins two. */
static int para_units(const char *t, size_t ps, size_t pe, const snip_occs_t *occ, size_t i0,
		      size_t i1, unsigned plen, units_t *u)
{
	size_t r = reach(plen);
	if (pe - ps <= 4 * r)
		return make_units(t, ps, pe, plen, u);
	size_t from = 0, to = 0;
	for (size_t i = i0; i < i1; i++) {
		const snip_occ_t *o = &occ->v[i];
		size_t s = o->start > ps + r ? o->start - r : ps;
		size_t e = o->end + r < pe ? o->end + r : pe;
		if (i > i0 && s <= to) {
			if (e > to)
				to = e;
			continue;
		}
		if (i > i0 && stretch_units(t, ps, pe, from, to, plen, u))
			return -1;
		from = s;
		to = e;
	}
	return stretch_units(t, ps, pe, from, to, plen, u);
}

/* The units of the paragraphs of T[0, n) that hold an occurrence of OCC
 * (sorted by start), in text order; with no occurrence, the first
 * paragraph's first sentences, starting at START (the first non-space byte). */
int snip_region_units(const char *t, size_t n, size_t start, const snip_occs_t *occ,
			unsigned plen, units_t *u)
{
	if (!occ->n) {
		size_t pe = para_end(t, start, n), r = reach(plen);
		return stretch_units(t, 0, pe, 0, start + r < pe ? start + r : pe, plen, u);
	}
	size_t from = 0, to = 0, i0 = 0;
	for (size_t i = 0; i < occ->n; i++) {
		const snip_occ_t *o = &occ->v[i];
		if (i && o->start < to) {
			if (o->end > to)
				to = para_end(t, o->end, n);
			continue;
		}
		if (i && para_units(t, from, to, occ, i0, i, plen, u))
			return -1;
		from = para_start(t, to, o->start);
		to = para_end(t, o->end, n);
		i0 = i;
	}
	return para_units(t, from, to, occ, i0, occ->n, plen, u);
}

/* The first and after the last non-space byte of T[0, n). */
void snip_text_bounds(const char *t, size_t n, size_t *start, size_t *end)
{
	size_t s = 0, e = n;
	while (s < n) {
		int cp;
		size_t k = decode(t + s, n - s, &cp);
		if (!is_space_cp(cp) || (cp == 0xFFFD && k == 1))
			break;
		s += k;
	}
	while (e > s) {
		size_t b = e - 1;
		while (b > s && e - b < 4 && ((unsigned char)t[b] & 0xC0) == 0x80)
			b--;
		int cp;
		size_t k = decode(t + b, e - b, &cp);
		if (b + k != e || !is_space_cp(cp) || (cp == 0xFFFD && k == 1))
			break;
		e = b;
	}
	*start = s;
	*end = e;
}
