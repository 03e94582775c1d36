/* fuzz_tokenize.c - tok_run() on arbitrary bytes, checking tokenize.h's
 * promises for every token: offsets inside the text and start <= end; a
 * folded form that is non-empty, at most TOK_MAX_LEN bytes and valid UTF-8;
 * primary positions that rise from first_pos (dropped over-long words
 * skip some); a COLOCATED token at the position of a primary token
 * already reported; *next_pos past the last primary position. */
#include "fuzz_common.h"
#include "tokenize.h"

typedef struct {
	size_t len;
	unsigned first_pos;
	int any_primary;
	unsigned last_pos;  /* of the last primary token */
	size_t ntok, stop_at;
} tcx_t;

static int on_token(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
		    unsigned pos, int flags)
{
	tcx_t *c = ctx;
	FZ_CHECK(start <= end, "token start > end");
	FZ_CHECK(end <= c->len, "token end past the text");
	FZ_CHECK(tok != NULL && toklen > 0, "empty folded token");
	FZ_CHECK(toklen <= TOK_MAX_LEN, "folded token longer than TOK_MAX_LEN");
	fz_touch_n(tok, toklen);
	FZ_CHECK(enc_valid_utf8(tok, toklen), "folded token is not valid UTF-8");
	FZ_CHECK((flags & ~(TOK_COLOCATED | TOK_CJK | TOK_NUMBER)) == 0, "unknown token flag");
	FZ_CHECK(pos >= c->first_pos, "position before first_pos");
	if (flags & TOK_COLOCATED) {
		FZ_CHECK(c->any_primary, "COLOCATED token before any primary token");
		FZ_CHECK(pos <= c->last_pos, "COLOCATED token ahead of the primary tokens");
	} else {
		if (c->any_primary)
			FZ_CHECK(pos > c->last_pos, "primary positions do not increase");
		c->any_primary = 1;
		c->last_pos = pos;
	}
	c->ntok++;
	return c->stop_at && c->ntok >= c->stop_at ? 7 : 0;
}

static void run(const char *s, size_t len, unsigned first_pos, size_t stop_at)
{
	tcx_t c = { len, first_pos, 0, 0, 0, stop_at };
	unsigned next = 0xDEADBEEF;
	int rc = tok_run(s, len, first_pos, on_token, &c, &next);
	if (stop_at && c.ntok >= stop_at) {
		FZ_CHECK(rc == 7, "the callback's stop value was not returned");
		return;
	}
	FZ_CHECK(rc == 0, "tok_run failed");
	/* a dropped over-long word takes a position without a token: next_pos
	 * may be past first_pos with no token seen */
	FZ_CHECK(next >= first_pos && next <= first_pos + len, "next_pos out of range");
	if (c.any_primary)
		FZ_CHECK(next > c.last_pos, "next_pos not past the last primary token");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	run(s, size, 0, 0);
	run(s, size, 1000, 3); /* a later start, and a callback that stops early */
	return 0;
}
