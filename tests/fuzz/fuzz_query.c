/* fuzz_query.c - qry_parse() on arbitrary bytes, in the default mode, with
 * QP_DEFAULT_OR and with QP_LITERAL (which must never report a syntax error).
 * Every tree is walked and checked against query.h (kinds of children, text
 * lengths, date bounds, NEAR windows) and described with qnode_describe(). */
#include "fuzz_common.h"
#include "query.h"

static int date_ok(const char d[9])
{
	size_t n = strnlen(d, 9);
	if (n != 0 && n != 8)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return 0;
	return 1;
}

static void walk(const qnode_t *n, unsigned depth)
{
	FZ_CHECK(n != NULL, "NULL node in the tree");
	FZ_CHECK(depth < 10 * QP_MAX_DEPTH, "tree deeper than the nesting allows");
	FZ_CHECK(n->type >= Q_TERM && n->type <= Q_AND_MAYBE, "unknown node type");
	FZ_CHECK(n->field >= QF_BODY && n->field <= QF_DATE, "unknown field");
	FZ_CHECK(n->nkids == 0 || n->kids != NULL, "children counted but missing");
	if (n->text) {
		/* A FILTER keeps the folded value whole, NUL bytes too (id:"\0"):
		 * harmless, as search.c uses (text, len). Tokens never hold one. */
		FZ_CHECK(n->text[n->len] == '\0', "node text not NUL-terminated at len");
		size_t k = fz_touch(n->text);
		FZ_CHECK(k == n->len || (n->type == Q_FILTER && k < n->len),
			 "node text length differs from len");
		FZ_CHECK(enc_valid_utf8(n->text, n->len), "node text is not valid UTF-8");
	}
	fz_touch(qry_field_prefix(n->field));
	switch (n->type) {
	case Q_TERM:
	case Q_WILDCARD:
	case Q_FILTER:
		FZ_CHECK(n->nkids == 0, "a leaf with children");
		FZ_CHECK(n->text != NULL, "a leaf without text");
		if (n->type == Q_TERM)
			FZ_CHECK(n->len > 0, "an empty term");
		break;
	case Q_PHRASE:
		FZ_CHECK(n->nkids >= 1, "an empty phrase");
		for (size_t i = 0; i < n->nkids; i++)
			FZ_CHECK(n->kids[i] && n->kids[i]->type == Q_TERM, "a phrase of non-terms");
		break;
	case Q_NEAR:
		FZ_CHECK(n->nkids >= 2, "NEAR with fewer than two operands");
		FZ_CHECK(n->window <= QP_NEAR_MAX, "NEAR window over QP_NEAR_MAX");
		for (size_t i = 0; i < n->nkids; i++)
			FZ_CHECK(n->kids[i] && (n->kids[i]->type == Q_TERM || n->kids[i]->type == Q_PHRASE),
				 "NEAR over something other than terms and phrases");
		break;
	case Q_AND:
	case Q_OR:
	case Q_AND_NOT:
	case Q_AND_MAYBE:
		FZ_CHECK(n->nkids >= 2, "a boolean operator with fewer than two operands");
		break;
	case Q_DATE:
		FZ_CHECK(date_ok(n->date_lo) && date_ok(n->date_hi), "a date bound not YYYYMMDD");
		break;
	case Q_ALL:
		FZ_CHECK(n->nkids == 0, "ALL with children");
		break;
	}
	for (size_t i = 0; i < n->nkids; i++)
		walk(n->kids[i], depth + 1);
}

static void parse(const char *q, size_t len, int flags)
{
	qnode_t *root = (qnode_t *)1;
	const char *err = (const char *)1;
	qp_result_t r = qry_parse(q, len, flags, &root, &err);
	FZ_CHECK(r >= QP_OK && r <= QP_NOMEM, "unknown result");
	if (flags & QP_LITERAL)
		FZ_CHECK(r != QP_SYNTAX, "QP_LITERAL reported a syntax error");
	if (r == QP_SYNTAX) {
		FZ_CHECK(err != NULL && err != (const char *)1, "QP_SYNTAX without a message");
		FZ_CHECK(fz_touch(err) > 0, "empty syntax message");
	}
	if (r != QP_OK) {
		FZ_CHECK(root == NULL, "*out set on failure");
		return;
	}
	FZ_CHECK(root != NULL, "QP_OK without a tree");
	walk(root, 0);
	char *d = qnode_describe(root);
	FZ_CHECK(d != NULL, "qnode_describe failed");
	FZ_CHECK(fz_touch(d) > 0, "empty description");
	free(d);
	qnode_free(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *q = (const char *)data;
	parse(q, size, 0);
	parse(q, size, QP_DEFAULT_OR);
	parse(q, size, QP_LITERAL);
	return 0;
}
