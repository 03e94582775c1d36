/* tokenize.h - the one tokenizer, used for indexing, querying and highlighting.
 *
 * Tokens stream through a callback (as FTS5's xToken): nothing allocates a
 * token list. Each token carries its folded form (see normalize.h), the byte
 * offsets [start, end) of the original text it came from, and a position.
 *
 * Rules (Unicode word characters decide what a word is):
 *  - apostrophes inside words: "Kremlin's" -> kremlin (possessive dropped),
 *    "don't" -> dont; ’ and ' alike.
 *  - hyphenated words: "war-torn" -> war (pos p), torn (p+1), and the joined
 *    form wartorn COLOCATED at p.
 *  - numbers and versions stay whole: 3.14, 1,000, 1.4.22, 2021-09-15 is three
 *    numbers joined by hyphens (as above).
 *  - e-mail addresses and URLs: their parts as words (pos p, p+1 ...), and the
 *    whole, folded, COLOCATED at the first part's position.
 *  - CJK (norm_is_cjk) runs: each character is a token (pos p, p+1, ...) and
 *    each pair of neighbours a COLOCATED bigram at the first one's position.
 *  - tokens longer than TOK_MAX_LEN bytes (folded) are dropped.
 */
#ifndef LODE_TOKENIZE_H
#define LODE_TOKENIZE_H
#include <stddef.h>

#define TOK_MAX_LEN 64

enum {
	TOK_COLOCATED = 1, /* alternative form at the previous primary token's position */
	TOK_CJK = 2,       /* a CJK character or bigram */
	TOK_NUMBER = 4,    /* starts with a digit */
	TOK_WILDCARD = 8,  /* query mode only: the word was followed by '*' */
};

/* Called for each token. tok is the folded form (not NUL-terminated, valid
 * only during the call). Return nonzero to stop the run (tok_run returns it). */
typedef int (*tok_cb)(void *ctx, const char *tok, size_t toklen,
		      size_t start, size_t end, unsigned pos, int flags);

/* Tokenize TEXT (valid UTF-8). Positions start at first_pos. *next_pos (may be
 * NULL) receives the position after the last token. Returns 0, the callback's
 * nonzero value, or -1 when out of memory. */
int tok_run(const char *text, size_t len, unsigned first_pos, tok_cb cb, void *ctx,
	    unsigned *next_pos);
#endif
