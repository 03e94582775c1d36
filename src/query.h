/* query.h - lode's query language, parsed into a tree (qnode_t) that both the
 * search (compiled to a Xapian query in search.c) and the highlighter
 * (snippet.c) walk, so what is matched is what is highlighted.
 *
 * Grammar, loosest binding first:
 *   query   := or_expr
 *   or_expr := and_expr ( OR and_expr )*
 *   and_expr:= unary ( [AND] unary )*       implicit operator: AND (or OR by option)
 *   unary   := NOT unary | '+' prim | '-' prim | near
 *   near    := prim ( NEAR[/n] prim )*      default window 10; a chain is one group
 *                                            with its widest window
 *   prim    := '(' or_expr ')' | '"' words '"' | field ':' value | word ['*']
 * Fields: title: author: url: path: lang: tag: format: id: date:
 *   date:2021  date:2021-09  date:2021-09-01..2021-09-30  date:..2020-12-31  date:2021-01-01..
 * Operators are recognised in upper case only (AND OR NOT NEAR), so pasted prose
 * containing "and"/"or" stays words. Words go through tok_run(), so a query
 * word is exactly what the same word in a document became: one that splits into
 * several tokens ("war-torn", "U.S.", CJK) becomes a phrase of them.
 * A field applies to a word, a "phrase" or a (group): title:(solar OR wind).
 * Field names are lower case and must be followed by a value without a space;
 * anything else with a colon ("foo:bar", "https://x.y") is just words.
 * With the default AND, +x is x and -x / NOT x exclude; with QP_DEFAULT_OR,
 * plain words are optional, +x required (Q_AND_MAYBE), -x excluded.
 * Parentheses (and field prefixes) nest at most QP_MAX_DEPTH deep.
 */
#ifndef LODE_QUERY_H
#define LODE_QUERY_H
#include <stddef.h>

typedef enum {
	Q_TERM,      /* text: one folded token (unstemmed) */
	Q_PHRASE,    /* kids: Q_TERMs, consecutive positions */
	Q_NEAR,      /* kids: Q_TERM/Q_PHRASE, any order, at most window other words
		      * between them: all of their words lie within window + (the
		      * number of words in kids) consecutive positions (so Xapian's
		      * OP_NEAR window is window + that count) */
	Q_AND,       /* kids */
	Q_OR,        /* kids */
	Q_AND_NOT,   /* kids[0] AND NOT (kids[1] OR ...) ; a lone NOT x becomes ALL AND_NOT x */
	Q_WILDCARD,  /* text: folded prefix */
	Q_FILTER,    /* field is boolean (lang, tag, format, id): text is the folded value */
	Q_DATE,      /* date_lo/date_hi "YYYYMMDD" ("" = open) */
	Q_ALL,       /* every document */
	Q_AND_MAYBE, /* kids[0] must match; kids[1..] only add weight (QP_DEFAULT_OR with +x) */
} qtype_t;

typedef enum {
	QF_BODY = 0,  /* default: text (and title, boosted) */
	QF_TITLE, QF_AUTHOR, QF_URL, QF_PATH, QF_LANG, QF_TAG, QF_FORMAT, QF_ID, QF_DATE,
} qfield_t;

typedef struct qnode {
	qtype_t type;
	qfield_t field;        /* for TERM/PHRASE/NEAR/WILDCARD/FILTER */
	char *text;            /* NUL-terminated, owned */
	size_t len;
	int tflags;            /* Q_TERM: the tokenizer's TOK_NUMBER / TOK_CJK flags, so the
				* term is stemmed exactly as the indexer stemmed it */
	unsigned window;       /* Q_NEAR */
	char date_lo[9], date_hi[9];
	struct qnode **kids;
	size_t nkids;
} qnode_t;

typedef enum {
	QP_OK = 0,
	QP_SYNTAX = 1,   /* *err says what; the caller may retry with QP_LITERAL */
	QP_EMPTY = 2,    /* nothing searchable in the query */
	QP_NOMEM = 3,
} qp_result_t;

#define QP_MAX_DEPTH 40      /* nested parentheses / field prefixes */
#define QP_NEAR_DEFAULT 10
#define QP_NEAR_MAX 1000

enum {
	QP_DEFAULT_OR = 1,  /* implicit operator OR instead of AND */
	QP_LITERAL = 2,     /* no syntax at all: every word a term (never fails but EMPTY) */
};

/* Parse Q (UTF-8; invalid bytes tolerated). On QP_OK *out is the tree (free
 * with qnode_free). On QP_SYNTAX *err is a static message. */
qp_result_t qry_parse(const char *q, size_t len, int flags, qnode_t **out, const char **err);
/* The same; *TOO_LONG (when not NULL) is set on QP_OK and QP_EMPTY to the
 * number of words left out because they are longer than any term a document
 * can have (TOK_MAX_LEN bytes folded: the indexer drops them too). */
qp_result_t qry_parse_ex(const char *q, size_t len, int flags, qnode_t **out, const char **err,
			 unsigned *too_long);
void qnode_free(qnode_t *n);
/* A readable, canonical dump for tests, malloc'd (NULL when out of memory):
 *   (AND (TERM war) (PHRASE war torn))   (OR (TERM title:solar) (WILDCARD sol))
 *   (NEAR/10 (TERM a) (PHRASE b c))      (AND_NOT (ALL) (FILTER lang:en))
 *   (DATE 20210101..20211231)            (AND_MAYBE (TERM a) (TERM b))
 * A field other than the body is written before the text (title:). */
char *qnode_describe(const qnode_t *n);
/* Field prefix of Xapian terms for FIELD ("" for body, "S" title, "A" author,
 * "U" url, "P" path, "L" lang, "K" tag, "T" format, "XID" id). */
const char *qry_field_prefix(qfield_t f);
#endif
