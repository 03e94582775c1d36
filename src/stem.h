/* stem.h - Snowball stemming through Xapian, with a word -> stem cache.
 * Only tokens that are words are stemmed: numbers and CJK pass unchanged. */
#ifndef LODE_STEM_H
#define LODE_STEM_H
#include <stddef.h>

typedef struct stemmer stemmer_t;

/* LANG: a Xapian stemmer name or code ("english", "en", "none").
 * Returns NULL and *errmsg (malloc'd, may be NULL) for an unknown language. */
stemmer_t *stemmer_new(const char *lang, char **errmsg);
void stemmer_destroy(stemmer_t *st);
/* The stem of folded token TOK (flags from tokenize.h). Returns a pointer
 * owned by ST, valid until stemmer_destroy(); *out_len its length.
 * Returns NULL only when out of memory. */
const char *stemmer_stem(stemmer_t *st, const char *tok, size_t len, int flags, size_t *out_len);
/* Canonical Xapian name of the language ("english"), owned by ST. */
const char *stemmer_lang(const stemmer_t *st);
/* 1 when LANG is a language Xapian can stem (or "none"). */
int stemmer_lang_ok(const char *lang);
#endif
