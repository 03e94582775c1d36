/* stem.c - Snowball stemming through the Xapian binding, with a word -> stem
 * cache; see stem.h.
 *
 * Indexing stems every token, and natural text repeats a small vocabulary,
 * so the cache turns almost every call into one hash and one probe: no
 * allocation and no trip into C++. It is an open-addressing table (linear
 * probing, load at most 0.7) of 32-byte slots, each holding "word\0stem\0"
 * itself when that fits in 24 bytes, else pointing into an arena. On the dev
 * corpus the table outgrows the processor's caches (300k words), so a lookup
 * costs a cache miss; the arena's second one is spared for most words (the
 * terms stage of a -j2 build 4% less time, bench/README). The cache stops
 * growing at STEM_CACHE_MAX words (about 70 MB with the table) and later new
 * words are stemmed into a per-call buffer instead.
 */
#include "stem.h"

#include "tokenize.h"
#include "xapian_c.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEM_CACHE_MAX (1u << 20) /* distinct words kept */
#define STEM_TABLE_MIN 1024       /* initial slots (a power of two) */
#define ARENA_CHUNK (64 * 1024)

/* "word\0stem\0" of at most this many bytes lives in the slot itself. */
#define INLINE_MAX 24

/* A cached word: 32 bytes, half a cache line, so that the lookup of a word
 * of up to 11 letters or so (most of them) reads the slot and nothing in
 * the arena. Words and stems of more than 255 bytes are not cached. */
typedef struct {
	uint32_t hash;    /* the word's hash, high half; 0: an empty slot */
	uint8_t klen, slen;
	uint8_t inl;      /* 1: "word\0stem\0" in u.in, else at u.key */
	uint8_t pad;
	union {
		char in[INLINE_MAX];
		const char *key;  /* in the arena */
	} u;
} stem_slot_t;

static const char *slot_key(const stem_slot_t *s)
{
	return s->inl ? s->u.in : s->u.key;
}

typedef struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
} arena_chunk_t;

struct stemmer {
	xap_stem_t *xs;       /* NULL for "none" */
	char *lang;           /* canonical name */
	stem_slot_t *slots;   /* mask + 1 slots, or NULL before the first word */
	size_t mask;
	size_t n;             /* words cached */
	arena_chunk_t *arena; /* newest chunk first */
	char *spill;          /* per-call buffer for what is not cached */
	size_t spill_cap;
};

/* A 64-bit hash of the word, eight bytes at a time (words are short). */
static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)len * 0xff51afd7ed558ccdull);
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
		s += 8;
		len -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0x94d049bb133111ebull;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

/* N bytes that stay put until stemmer_destroy(); NULL when out of memory. */
static char *arena_alloc(stemmer_t *st, size_t n)
{
	arena_chunk_t *c = st->arena;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->cap = cap;
		c->used = 0;
		c->next = st->arena;
		st->arena = c;
	}
	char *p = c->data + c->used;
	c->used += n;
	return p;
}

/* Double the table (or create it); -1 when out of memory. */
static int table_grow(stemmer_t *st)
{
	size_t cap = st->slots ? (st->mask + 1) * 2 : STEM_TABLE_MIN;
	stem_slot_t *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; st->slots && i <= st->mask; i++) {
		const stem_slot_t *s = &st->slots[i];
		if (!s->hash)
			continue;
		size_t j = s->hash & (cap - 1);
		while (slots[j].hash)
			j = (j + 1) & (cap - 1);
		slots[j] = *s;
	}
	free(st->slots);
	st->slots = slots;
	st->mask = cap - 1;
	return 0;
}

/* Copy S into the per-call buffer, NUL-terminated; NULL when out of memory. */
static const char *spill(stemmer_t *st, const char *s, size_t len)
{
	if (len + 1 > st->spill_cap) {
		size_t cap = st->spill_cap ? st->spill_cap : 128;
		while (cap < len + 1)
			cap *= 2;
		char *p = realloc(st->spill, cap);
		if (!p)
			return NULL;
		st->spill = p;
		st->spill_cap = cap;
	}
	memcpy(st->spill, s, len);
	st->spill[len] = '\0';
	return st->spill;
}

/* Stem through Xapian into *OUT (borrowed from st->xs until its next call).
 * A stemmer failure other than memory keeps the word as it is. */
static int stem_uncached(stemmer_t *st, const char *tok, size_t len, const char **out,
			 size_t *out_len)
{
	xap_status_t rc = xap_stem_word(st->xs, tok, len, out, out_len);
	if (rc == XAP_NOMEM)
		return -1;
	if (rc != XAP_OK) {
		*out = tok;
		*out_len = len;
	}
	return 0;
}

const char *stemmer_stem(stemmer_t *st, const char *tok, size_t len, int flags, size_t *out_len)
{
	size_t dummy;
	if (!out_len)
		out_len = &dummy;
	*out_len = 0;
	if (!st || (!tok && len))
		return NULL;
	if (!st->xs || (flags & (TOK_NUMBER | TOK_CJK)) || len > UINT32_MAX) {
		*out_len = len;
		return spill(st, tok, len);
	}

	/* the high half picks the slot and marks it used (never 0) */
	uint32_t h = (uint32_t)(hash_bytes(tok, len) >> 32) | 1;
	size_t i = 0;
	if (st->slots) {
		for (i = h & st->mask; st->slots[i].hash; i = (i + 1) & st->mask) {
			const stem_slot_t *s = &st->slots[i];
			if (s->hash == h && s->klen == len) {
				const char *k = slot_key(s);
				if (memcmp(k, tok, len) == 0) {
					*out_len = s->slen;
					return k + len + 1;
				}
			}
		}
	}

	const char *stem;
	size_t slen;
	if (stem_uncached(st, tok, len, &stem, &slen))
		return NULL;
	if (st->n >= STEM_CACHE_MAX || len > 255 || slen > 255) {
		*out_len = slen;
		return spill(st, stem, slen);
	}
	if (!st->slots || (st->n + 1) * 10 > (st->mask + 1) * 7) {
		if (table_grow(st))
			return NULL;
		for (i = h & st->mask; st->slots[i].hash; i = (i + 1) & st->mask)
			;
	}
	stem_slot_t *sl = &st->slots[i];
	size_t need = len + slen + 2;
	char *key = sl->u.in;
	if (need > INLINE_MAX && !(key = arena_alloc(st, need)))
		return NULL;
	memcpy(key, tok, len);
	key[len] = '\0';
	memcpy(key + len + 1, stem, slen);
	key[len + 1 + slen] = '\0';
	sl->hash = h;
	sl->klen = (uint8_t)len;
	sl->slen = (uint8_t)slen;
	sl->inl = need <= INLINE_MAX;
	if (!sl->inl)
		sl->u.key = key;
	st->n++;
	*out_len = slen;
	return key + len + 1;
}

/* A malloc'd "unknown stemming language" message listing the known ones. */
static char *unknown_lang_msg(const char *lang)
{
	char *msg = NULL;
	if (asprintf(&msg, "unknown stemming language \"%s\" (known: none %s)",
		     lang ? lang : "(null)", xap_stem_languages()) < 0)
		return NULL;
	return msg;
}

stemmer_t *stemmer_new(const char *lang, char **errmsg)
{
	if (errmsg)
		*errmsg = NULL;
	stemmer_t *st = calloc(1, sizeof *st);
	if (!st) {
		if (errmsg)
			*errmsg = strdup("out of memory");
		return NULL;
	}
	xap_status_t rc = XAP_OK;
	if (!lang) {
		rc = XAP_INVALID;
	} else if (strcmp(lang, "none") != 0) {
		/* Xapian's own "none" would work too, but costs a copy per word */
		rc = xap_stem_new(lang, &st->xs, NULL);
	}
	if (rc == XAP_OK)
		st->lang = strdup(st->xs ? xap_stem_name(st->xs) : "none");
	if (rc != XAP_OK || !st->lang) {
		if (errmsg)
			*errmsg = rc == XAP_INVALID ? unknown_lang_msg(lang)
						    : strdup(xap_status_str(rc ? rc : XAP_NOMEM));
		stemmer_destroy(st);
		return NULL;
	}
	return st;
}

void stemmer_destroy(stemmer_t *st)
{
	if (!st)
		return;
	xap_stem_destroy(st->xs);
	free(st->lang);
	free(st->slots);
	free(st->spill);
	for (arena_chunk_t *c = st->arena, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(st);
}

const char *stemmer_lang(const stemmer_t *st)
{
	return st ? st->lang : "";
}

int stemmer_lang_ok(const char *lang)
{
	if (!lang)
		return 0;
	if (strcmp(lang, "none") == 0)
		return 1;
	xap_stem_t *xs = NULL;
	int ok = xap_stem_new(lang, &xs, NULL) == XAP_OK;
	xap_stem_destroy(xs);
	return ok;
}
