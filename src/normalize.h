/* normalize.h - the one text normalization used for documents, queries and the
 * highlighter: Unicode NFKC, full case folding (ß -> ss, final sigma -> σ),
 * accent folding (café -> cafe, naïve -> naive: combining marks removed after
 * canonical decomposition), and ASCII fast paths. Input must be valid UTF-8. */
#ifndef LODE_NORMALIZE_H
#define LODE_NORMALIZE_H
#include <stddef.h>
#include "buf.h"

/* Append the folded form of S to OUT. Returns 0, or -1 when out of memory. */
int norm_fold(const char *s, size_t len, buf_t *out);

/* Unicode character classes used by the tokenizer (codepoint in, 0/1 out). */
int norm_is_word_char(int cp);   /* letters, marks, digits (L*, M*, Nd, Nl, No) */
int norm_is_cjk(int cp);         /* Han, Hiragana, Katakana, Hangul: indexed per character */
int norm_is_sentence_end(int cp);/* . ! ? and their full-width / CJK forms */

/* Decode the UTF-8 sequence at S (len bytes left): returns its length and the
 * code point in *cp; invalid bytes return 1 with *cp = 0xFFFD. */
size_t norm_decode(const char *s, size_t len, int *cp);
#endif
