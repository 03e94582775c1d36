/* stem.h - Snowball stemming through Xapian, with a word -> stem cache.
 * Only tokens that are words are stemmed: numbers and CJK pass unchanged. */
#ifndef LODE_STEM_H
#define LODE_STEM_H
#include <stddef.h>

typedef struct stemmer stemmer_t;

/* LANG: a Xapian stemmer name or ISO 639 code ("english", "en", "fr"), or
 * "none" (no stemming). Returns NULL and *errmsg (malloc'd, caller frees;
 * errmsg may be NULL) for an unknown language. Caller destroys the result. */
stemmer_t *stemmer_new(const char *lang, char **errmsg);
/* Frees ST and every stem it handed out; NULL is a no-op. */
void stemmer_destroy(stemmer_t *st);
/* The stem of folded token TOK (flags from tokenize.h): TOK_NUMBER and
 * TOK_CJK tokens, and every token for "none", come back unchanged.
 * Returns a NUL-terminated pointer owned by ST, *out_len its length; NULL
 * only when out of memory. It is valid until the next stemmer_stem() on ST
 * (a short word's stem lives in the cache's table, which moves when it
 * grows): copy it if you keep it. A cache hit costs one hash and no
 * allocation. */
const char *stemmer_stem(stemmer_t *st, const char *tok, size_t len, int flags, size_t *out_len);
/* Canonical Xapian name of the language ("english" for "en", "none"),
 * owned by ST. */
const char *stemmer_lang(const stemmer_t *st);
/* 1 when LANG is a language Xapian can stem (or "none"). */
int stemmer_lang_ok(const char *lang);
#endif
