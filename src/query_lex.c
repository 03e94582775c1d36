/* query_lex.c - splits a query into tokens for the parser; see query_lex.h.
 *
 * Syntax is only recognised where a person typing a query would put it, so
 * that pasted prose and URLs survive: '+'/'-' only in front of something,
 * '(' and quotes only at the start of a chunk, field names only in lower case
 * and directly followed by a value. A '(' inside a chunk belongs to it
 * together with its ')' ("f(x)", "wiki/Foo_(bar)"). */
#include "query_lex.h"

#include <string.h>

size_t qlex_space(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] <= 0x20 || u[0] == 0x7F)
		return 1;
	if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0) /* no-break space */
		return 2;
	if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
	    ((u[2] >= 0x80 && u[2] <= 0x8A) || u[2] == 0xAF || u[2] == 0xA8 || u[2] == 0xA9))
		return 3; /* en/em/thin... spaces, line/paragraph separators */
	if (n >= 3 && u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
		return 3; /* medium mathematical space */
	if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3; /* ideographic space */
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 3; /* a byte order mark pasted along */
	return 0;
}

size_t qlex_quote(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == '"')
		return 1;
	/* “ ” „ : English and German typographic quotes, as word processors paste them. */
	if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x9C && u[2] <= 0x9E)
		return 3;
	return 0;
}

static const struct {
	const char *name;
	qfield_t field;
} fields[] = {
	{"title", QF_TITLE}, {"author", QF_AUTHOR}, {"url", QF_URL},   {"path", QF_PATH},
	{"lang", QF_LANG},   {"tag", QF_TAG},       {"format", QF_FORMAT}, {"id", QF_ID},
	{"date", QF_DATE},
};

static int field_lookup(const char *s, size_t len, qfield_t *f)
{
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		if (strlen(fields[i].name) == len && !memcmp(fields[i].name, s, len)) {
			*f = fields[i].field;
			return 1;
		}
	}
	return 0;
}

static int is_word(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && !memcmp(s, w, len);
}

/* Is S (LEN bytes) an operator? Fills the token type and NEAR window; sets
 * *bad for "NEAR/" followed by something that is not a usable number. */
static int operator(const char *s, size_t len, qtok_t *t, int *bad)
{
	*bad = 0;
	if (is_word(s, len, "AND"))
		t->type = T_AND;
	else if (is_word(s, len, "OR"))
		t->type = T_OR;
	else if (is_word(s, len, "NOT"))
		t->type = T_NOT;
	else if (is_word(s, len, "NEAR")) {
		t->type = T_NEAR;
		t->window = QP_NEAR_DEFAULT;
	} else if (len > 5 && !memcmp(s, "NEAR/", 5)) {
		unsigned long w = 0;
		for (size_t i = 5; i < len; i++) {
			if (s[i] < '0' || s[i] > '9' || w > QP_NEAR_MAX) {
				*bad = 1;
				return 0;
			}
			w = w * 10 + (unsigned long)(s[i] - '0');
		}
		if (w > QP_NEAR_MAX) {
			*bad = 1;
			return 0;
		}
		t->type = T_NEAR;
		t->window = (unsigned)w;
	} else
		return 0;
	return 1;
}

/* A chunk runs to the next space, or to a ')' that closes nothing inside it;
 * it also ends before a '(' that follows an operator ("NOT(x)"). */
static size_t chunk_len(const char *s, size_t n)
{
	size_t j = 0;
	unsigned inner = 0;
	while (j < n && !qlex_space(s + j, n - j)) {
		if (s[j] == ')') {
			if (!inner)
				break;
			inner--;
		} else if (s[j] == '(') {
			qtok_t t;
			int bad;
			if (operator(s, j, &t, &bad))
				break;
			inner++;
		}
		j++;
	}
	return j;
}

const char *qlex_next(qlex_t *l, qtok_t *t)
{
	size_t n;
	memset(t, 0, sizeof *t);
	while (l->i < l->len && (n = qlex_space(l->q + l->i, l->len - l->i)))
		l->i += n;
	if (l->i >= l->len) {
		t->type = T_END;
		return NULL;
	}
	const char *s = l->q + l->i;
	size_t left = l->len - l->i;

	if (*s == '(' || *s == ')') {
		t->type = *s == '(' ? T_LPAREN : T_RPAREN;
		l->i++;
		return NULL;
	}
	if ((n = qlex_quote(s, left))) {
		size_t j = n, m = 0;
		while (j < left && !(m = qlex_quote(s + j, left - j)))
			j++;
		if (j >= left)
			return "unclosed quote";
		t->type = T_PHRASE;
		t->s = s + n;
		t->len = j - n;
		l->i += j + m;
		return NULL;
	}
	if ((*s == '+' || *s == '-') && left > 1 && !qlex_space(s + 1, left - 1) &&
	    s[1] != '+' && s[1] != '-' && s[1] != ')') {
		t->type = *s == '+' ? T_PLUS : T_MINUS;
		l->i++;
		return NULL;
	}
	size_t k = 0;
	while (k < left && s[k] >= 'a' && s[k] <= 'z')
		k++;
	if (k > 0 && k + 1 < left && s[k] == ':' && !qlex_space(s + k + 1, left - k - 1) &&
	    s[k + 1] != ')' && field_lookup(s, k, &t->field)) {
		t->type = T_FIELD;
		l->i += k + 1;
		return NULL;
	}

	n = chunk_len(s, left);
	l->i += n;
	int bad;
	if (operator(s, n, t, &bad))
		return NULL;
	if (bad)
		return "NEAR/n needs a number from 0 to 1000";
	t->type = T_WORD;
	t->s = s;
	while (n > 0 && s[n - 1] == '*') {
		n--;
		t->wildcard = 1;
	}
	t->len = n;
	return NULL;
}
