/* tokenize.h - the one tokenizer, used for indexing, querying and highlighting.
 *
 * Tokens stream through a callback (as FTS5's xToken): nothing allocates a
 * token list. Each token carries its folded form (see normalize.h), the byte
 * offsets [start, end) of the original text it came from, and a position.
 * Positions count primary tokens only; a COLOCATED token is an alternative
 * form that shares the position of the first primary token it spans, and is
 * reported right after the LAST primary token it spans (so "war-torn" gives
 * war@0 torn@1 +wartorn@0). Its offsets span everything it covers.
 *
 * Rules (Unicode word characters, norm_is_word_char, decide what a word is):
 *  - words are maximal runs of word characters; anything else separates
 *    (punctuation, symbols, emoji, invalid UTF-8 bytes).
 *  - apostrophes (' ’ ʼ) between word characters: "Kremlin's" -> kremlin (a
 *    possessive 's is dropped; the token's offsets still cover it),
 *    "don't" -> dont, "rock'n'roll" -> rocknroll. A leading or trailing
 *    apostrophe is a separator. Soft hyphens and zero-width (non-)joiners
 *    between word characters are dropped the same way.
 *  - hyphens (- ‐ ‑ －) and underscores (_ ＿) between word characters:
 *    "war-torn" -> war (pos p), torn (p+1), and the joined form wartorn
 *    COLOCATED at p. Chains are one compound: "state-of-the-art" gives four
 *    words and stateoftheart once; "x86_64" gives x86, 64 and +x8664 (the
 *    connector is dropped in the joined form, so my_var also matches myvar).
 *  - numbers: '.' or ',' between two digits stays inside the word, so 3.14,
 *    1,000, 1.4.22 and 192.168.0.1 are single tokens (kept as written: 1,000
 *    is not 1000). 2021-09-15 is three numbers joined as above. A token that
 *    starts with a digit has TOK_NUMBER.
 *  - abbreviations: single letters joined by dots ("U.S.", "e.g.") give each
 *    letter as a word and the joined form COLOCATED: u s +us.
 *  - e-mail addresses (local@domain.tld) and URLs (http:// https:// ftp://
 *    www.): their word-character runs as words (pos p, p+1 ...), and the
 *    whole, folded, COLOCATED at p. A URL ends at white space, quotes, <>,
 *    or a CJK character; a trailing . , ; : ! ? and an unbalanced ) or ] are
 *    not part of it.
 *  - CJK (norm_is_cjk) runs: each character (with any marks or conjoining
 *    jamo after it) is a token with TOK_CJK (pos p, p+1, ...), and each pair
 *    of neighbours a TOK_CJK|TOK_COLOCATED bigram at the first one's
 *    position, reported after the second character.
 *  - tokens whose folded form is longer than TOK_MAX_LEN bytes are dropped
 *    but their position is still used, so a phrase never matches across a
 *    dropped word (a word of more than 16 * TOK_MAX_LEN bytes of original
 *    non-ASCII text is dropped without folding it). A word that folds to
 *    nothing (only marks, e.g. a lone variation selector) is no token and
 *    takes no position.
 */
#ifndef LODE_TOKENIZE_H
#define LODE_TOKENIZE_H
#include <stddef.h>

#define TOK_MAX_LEN 64

enum {
	TOK_COLOCATED = 1, /* alternative form at the position of the first primary
			      token it spans (reported after the last one) */
	TOK_CJK = 2,       /* a CJK character or bigram */
	TOK_NUMBER = 4,    /* starts with a digit */
	TOK_WILDCARD = 8,  /* reserved for query mode; tok_run never sets it (the
			      query parser looks for a trailing '*' itself) */
};

/* Called for each token. tok is the folded form (not NUL-terminated, valid
 * only during the call). Return nonzero to stop the run (tok_run returns it). */
typedef int (*tok_cb)(void *ctx, const char *tok, size_t toklen,
		      size_t start, size_t end, unsigned pos, int flags);

/* Tokenize TEXT (UTF-8; invalid bytes are separators). Positions start at
 * first_pos. *next_pos (may be NULL) receives the position after the last
 * primary token (first_pos when there was none). Returns 0, the callback's
 * nonzero value, or -1 when out of memory. */
int tok_run(const char *text, size_t len, unsigned first_pos, tok_cb cb, void *ctx,
	    unsigned *next_pos);
#endif
