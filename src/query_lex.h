/* query_lex.h - the query lexer, shared by the parser (query.c) only.
 * It splits a query into operators, parentheses, quoted phrases, field
 * prefixes and chunks of words; what a chunk means is the parser's business. */
#ifndef LODE_QUERY_LEX_H
#define LODE_QUERY_LEX_H
#include <stddef.h>

#include "query.h"

typedef enum {
	T_END, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT, T_NEAR, T_PLUS, T_MINUS,
	T_PHRASE,  /* s/len: the text between the quotes */
	T_FIELD,   /* field: a known "name:" directly followed by its value */
	T_WORD,    /* s/len: a chunk of text up to a space, without trailing '*' */
} qtok_type_t;

typedef struct {
	qtok_type_t type;
	const char *s;     /* points into the query */
	size_t len;
	int wildcard;      /* T_WORD: ended in '*' (not counted in len) */
	unsigned window;   /* T_NEAR */
	qfield_t field;    /* T_FIELD */
} qtok_t;

typedef struct {
	const char *q;
	size_t len, i;     /* the query and the lexer's position in it */
} qlex_t;

/* Read the next token from L into *T. Returns NULL, or a static message for a
 * lexical error (an unclosed quote, a bad NEAR/n). */
const char *qlex_next(qlex_t *l, qtok_t *t);

/* Byte length of the whitespace character at S (N bytes left), or 0. ASCII
 * controls count as space, and so do the Unicode spaces pasted text carries. */
size_t qlex_space(const char *s, size_t n);
/* Byte length of a quotation mark at S (" or the typographic ones), or 0. */
size_t qlex_quote(const char *s, size_t n);
#endif
