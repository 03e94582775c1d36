/* query_node.c - freeing, describing and naming query tree nodes (query.h).
 * The parser (query.c) builds the trees; everything here only walks them. */
#include "query.h"

#include <stdlib.h>

#include "buf.h"

void qnode_free(qnode_t *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		qnode_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n);
}

static const char *field_name(qfield_t f)
{
	static const char *const names[] = {
		[QF_BODY] = "",        [QF_TITLE] = "title", [QF_AUTHOR] = "author",
		[QF_URL] = "url",      [QF_PATH] = "path",   [QF_LANG] = "lang",
		[QF_TAG] = "tag",      [QF_FORMAT] = "format", [QF_ID] = "id",
		[QF_DATE] = "date",
	};
	if ((unsigned)f < sizeof names / sizeof *names && names[f])
		return names[f];
	return "?";
}

const char *qry_field_prefix(qfield_t f)
{
	static const char *const prefixes[] = {
		[QF_BODY] = "", [QF_TITLE] = "S", [QF_AUTHOR] = "A", [QF_URL] = "U",
		[QF_PATH] = "P", [QF_LANG] = "L", [QF_TAG] = "K", [QF_FORMAT] = "T",
		[QF_ID] = "XID", [QF_DATE] = "",
	};
	if ((unsigned)f < sizeof prefixes / sizeof *prefixes && prefixes[f])
		return prefixes[f];
	return "";
}

static const char *type_name(qtype_t t)
{
	static const char *const names[] = {
		[Q_TERM] = "TERM",       [Q_PHRASE] = "PHRASE",   [Q_NEAR] = "NEAR",
		[Q_AND] = "AND",         [Q_OR] = "OR",           [Q_AND_NOT] = "AND_NOT",
		[Q_WILDCARD] = "WILDCARD", [Q_FILTER] = "FILTER", [Q_DATE] = "DATE",
		[Q_ALL] = "ALL",         [Q_AND_MAYBE] = "AND_MAYBE",
	};
	if ((unsigned)t < sizeof names / sizeof *names && names[t])
		return names[t];
	return "?";
}

static void add_field(buf_t *b, qfield_t f)
{
	if (f != QF_BODY) {
		buf_adds(b, field_name(f));
		buf_addc(b, ':');
	}
}

static void describe(buf_t *b, const qnode_t *n)
{
	buf_addc(b, '(');
	buf_adds(b, type_name(n->type));
	switch (n->type) {
	case Q_TERM:
	case Q_WILDCARD:
	case Q_FILTER:
		buf_addc(b, ' ');
		add_field(b, n->field);
		buf_add(b, n->text ? n->text : "", n->len);
		break;
	case Q_PHRASE:
		/* A phrase's words are terms of the phrase's field: print them bare. */
		buf_addc(b, ' ');
		add_field(b, n->field);
		for (size_t i = 0; i < n->nkids; i++) {
			if (i)
				buf_addc(b, ' ');
			buf_add(b, n->kids[i]->text ? n->kids[i]->text : "", n->kids[i]->len);
		}
		break;
	case Q_DATE:
		buf_printf(b, " %s..%s", n->date_lo, n->date_hi);
		break;
	case Q_NEAR:
		buf_printf(b, "/%u", n->window);
		/* fall through */
	default:
		for (size_t i = 0; i < n->nkids; i++) {
			buf_addc(b, ' ');
			describe(b, n->kids[i]);
		}
	}
	buf_addc(b, ')');
}

char *qnode_describe(const qnode_t *n)
{
	buf_t b = BUF_INIT;
	if (n)
		describe(&b, n);
	else
		buf_adds(&b, "(NULL)");
	return buf_detach(&b, NULL);
}
