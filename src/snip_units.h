/* snip_units.h - a hit's text cut into sentence-sized units for snippets
 * (snip_units.c), and the character helpers snippet.c shares with it. */
#ifndef LODE_SNIP_UNITS_H
#define LODE_SNIP_UNITS_H
#include <stddef.h>
#include "normalize.h"
#include "snip_match.h"

typedef struct {
	size_t start, end; /* first and after last non-space byte */
	unsigned chars;    /* characters, a whitespace run counting one */
	int cont;          /* a piece of a long sentence, not its start */
	int para;          /* starts a paragraph: a passage never runs into one */
} unit_t;

typedef struct {
	unit_t *v;
	size_t n, cap;
} units_t;

/* norm_decode with the ASCII case inline: segmenting runs over every byte. */
static inline size_t decode(const char *s, size_t n, int *cp)
{
	if ((unsigned char)*s < 0x80) {
		*cp = (unsigned char)*s;
		return 1;
	}
	return norm_decode(s, n, cp);
}

static inline int is_space_cp(int cp)
{
	/* controls too: they would only garble a terminal */
	return cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

static inline int invalid_at(const char *s, size_t n, int *cp, size_t *k)
{
	*k = norm_decode(s, n, cp);
	return *cp == 0xFFFD && *k == 1;
}

/* The units of the paragraphs of T[0, n) that hold an occurrence of OCC
 * (sorted by start), in text order, sentences of about PLEN characters;
 * with no occurrence, the first paragraph's first sentences, starting at
 * START (the first non-space byte). Returns 0, -1 when out of memory. */
int snip_region_units(const char *t, size_t n, size_t start, const snip_occs_t *occ,
		      unsigned plen, units_t *u);

/* The first and after the last non-space byte of T[0, n). */
void snip_text_bounds(const char *t, size_t n, size_t *start, size_t *end);
#endif
