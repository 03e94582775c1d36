/* normalize.h - the one text normalization used for documents, queries and the
 * highlighter: Unicode NFKC, full case folding (ß -> ss, final sigma -> σ),
 * accent folding (café -> cafe, naïve -> naive: combining marks removed after
 * canonical decomposition), and ASCII fast paths. Input must be valid UTF-8
 * (invalid bytes are folded to U+FFFD rather than rejected).
 *
 * Accent folding removes non-spacing and enclosing marks (Mn, Me) except
 * where marks are the vowels or voicing of a script (Indic, Thai, Lao,
 * Tibetan, Myanmar, Khmer and the like, and kana voicing U+3099/U+309A), so
 * が stays が and हिंदी keeps its vowel signs. Turkish İ folds to i (its dot
 * is a mark) and dotless ı to i as well; a few letters with strokes fold to
 * their base letter (ø o, ł l, đ d, ħ h, ŧ t) and æ œ to ae oe. Default
 * ignorable code points (soft hyphen, zero-width joiners, variation
 * selectors) are removed. */
#ifndef LODE_NORMALIZE_H
#define LODE_NORMALIZE_H
#include <stddef.h>
#include "buf.h"

/* Append the folded form of S to OUT. Returns 0, or -1 when out of memory. */
int norm_fold(const char *s, size_t len, buf_t *out);

/* Fold S into OUT without allocating in the common case: writes at most CAP
 * bytes (a longer result is cut, possibly mid-character) and sets *outlen to
 * the full folded length, so *outlen > CAP means "did not fit". Returns 0, or
 * -1 when out of memory (only for very long runs of non-ASCII text). */
int norm_fold_n(const char *s, size_t len, char *out, size_t cap, size_t *outlen);

/* Unicode character classes used by the tokenizer (codepoint in, 0/1 out). */
int norm_is_word_char(int cp);   /* letters, marks, digits (L*, M*, Nd, Nl, No) */
int norm_is_cjk(int cp);         /* Han, Hiragana, Katakana, Hangul, Bopomofo word
				    characters: indexed per character */
int norm_is_sentence_end(int cp);/* . ! ? and their full-width / CJK forms */
int norm_is_letter(int cp);      /* L* */
int norm_is_digit(int cp);       /* Nd */
int norm_is_mark(int cp);        /* M* */

/* Decode the UTF-8 sequence at S (len bytes left): returns its length and the
 * code point in *cp; invalid bytes return 1 with *cp = 0xFFFD (len == 0
 * returns 0). */
size_t norm_decode(const char *s, size_t len, int *cp);
#endif
