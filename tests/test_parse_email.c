/* test_parse_email.c - messages and mbox files in, documents out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/doccap.h"
#include "parse.h"

#define B(s) s, sizeof(s) - 1

struct mail_case {
	const char *name;
	const char *in;
	size_t len;
	const char *title, *author, *date, *id;
	const char *text;      /* exact */
	unsigned nwarn;        /* 0 or 1: at most one warning per message */
	unsigned warn_line;
};

static const struct mail_case mails[] = {
	{ "simple message",
	  B("From: Alice Example <alice@example.org>\n"
	    "To: bob@example.org\n"
	    "Subject: Lunch on Friday\n"
	    "Date: Wed, 15 Sep 2021 10:00:00 +0000\n"
	    "Message-ID: <1234@example.org>\n"
	    "\n"
	    "Shall we meet at noon?\n"
	    "\n"
	    "Alice\n"),
	  "Lunch on Friday", "Alice Example", "2021-09-15", "1234@example.org",
	  "Shall we meet at noon?\n\nAlice", 0, 0 },
	{ "folded headers, CRLF, date comment, quoted display name",
	  B("Subject: A subject that goes\r\n on and on\r\n\tand on\r\n"
	    "From: \"Doe, John\"\r\n <john@example.org>\r\n"
	    "Date: Tue, 2 Mar 2021 08:30:00 +0100 (CET)\r\n"
	    "\r\n"
	    "Body line.\r\n"),
	  "A subject that goes on and on and on", "Doe, John", "2021-03-02", NULL,
	  "Body line.", 0, 0 },
	{ "encoded words: base64 UTF-8 split mid-character, Q Latin-1, spaces between",
	  B("Subject: =?utf-8?B?SGVsbG8gd8O2?= =?utf-8?B?cmxkIOKC?=\n"
	    "  =?UTF-8?b?rA==?= and =?iso-8859-1?Q?caf=E9_cr=E8me?=\n"
	    "From: =?iso-8859-1?q?J=FCrgen_M=FCller?= <jm@example.de>\n"
	    "\n"
	    "x\n"),
	  "Hello wörld € and café crème", "Jürgen Müller", NULL, NULL, "x", 0, 0 },
	{ "author from a bare address and from a (comment)",
	  B("From: carol@example.org\nSubject: s\n\nx\n"),
	  "s", "carol@example.org", NULL, NULL, "x", 0, 0 },
	{ "author from an old-style (comment)",
	  B("From: dave@example.org (Dave Jones)\n\nx\n"),
	  NULL, "Dave Jones", NULL, NULL, "x", 0, 0 },
	{ "quoted-printable with soft line breaks, charset iso-8859-1",
	  B("Subject: qp\n"
	    "Content-Type: text/plain; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n"
	    "\n"
	    "Caf=E9 au lait, a very long line that was wr=\n"
	    "apped by the mailer =3D soft break.=20\n"
	    "Bad = escape =ZZ stays.\n"),
	  "qp", NULL, NULL, NULL,
	  "Café au lait, a very long line that was wrapped by the mailer = soft break. \n"
	  "Bad = escape =ZZ stays.", 0, 0 },
	{ "base64 body",
	  B("Subject: b64\n"
	    "Content-Type: text/plain; charset=\"utf-8\"\n"
	    "Content-Transfer-Encoding: BASE64\n"
	    "\n"
	    "VGhlIHF1aWNrIGJyb3duIGZveCDigJQganVt\n"
	    "cHMgb3ZlciB0aGUgbGF6eSBkb2cu\n"),
	  "b64", NULL, NULL, NULL, "The quick brown fox — jumps over the lazy dog.", 0, 0 },
	{ "8-bit body in iso-8859-1",
	  B("Subject: latin\nContent-Type: text/plain; charset=ISO-8859-1\n"
	    "Content-Transfer-Encoding: 8bit\n\nna\xefve \xbd\n"),
	  "latin", NULL, NULL, NULL, "naïve ½", 0, 0 },
	{ "multipart/alternative: the plain part is chosen",
	  B("Subject: alt\n"
	    "Content-Type: multipart/alternative; boundary=\"b1\"\n"
	    "\n"
	    "This is a multi-part message in MIME format.\n"
	    "--b1\n"
	    "Content-Type: text/html; charset=utf-8\n"
	    "\n"
	    "<p>HTML <b>version</b></p>\n"
	    "--b1\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "\n"
	    "Plain version\n"
	    "--b1--\n"
	    "epilogue\n"),
	  "alt", NULL, NULL, NULL, "Plain version", 0, 0 },
	{ "multipart/mixed: attachments skipped, nested alternative, parts in order",
	  B("Subject: mixed\r\n"
	    "Content-Type: multipart/mixed; boundary=outer\r\n"
	    "\r\n"
	    "--outer\r\n"
	    "Content-Type: multipart/alternative; boundary=\"inner\"\r\n"
	    "\r\n"
	    "--inner\r\n"
	    "Content-Type: text/plain\r\n"
	    "\r\n"
	    "First part.\r\n"
	    "--inner\r\n"
	    "Content-Type: text/html\r\n"
	    "\r\n"
	    "<p>not this</p>\r\n"
	    "--inner--\r\n"
	    "--outer\r\n"
	    "Content-Type: application/pdf; name=\"r.pdf\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "JVBERi0xLjQKJcfs\r\n"
	    "--outer\r\n"
	    "Content-Type: text/plain; name=\"notes.txt\"\r\n"
	    "Content-Disposition: attachment; filename=\"notes.txt\"\r\n"
	    "\r\n"
	    "attached notes\r\n"
	    "--outer\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "Second part =E2=9C=93\r\n"
	    "--outer--\r\n"),
	  "mixed", NULL, NULL, NULL, "First part.\nSecond part ✓", 0, 0 },
	{ "HTML-only message",
	  B("Subject: html\n"
	    "Content-Type: text/html; charset=windows-1252\n"
	    "\n"
	    "<html><head><title>Ignored</title><style>p{}</style></head>"
	    "<body><p>Hello \x93world\x94</p><p>Second</p></body></html>\n"),
	  "html", NULL, NULL, NULL, "Hello “world”\nSecond", 0, 0 },
	{ "alternative without a plain part: HTML converted, charset from MIME",
	  B("Subject: alt-html\n"
	    "Content-Type: multipart/alternative; boundary=zz\n"
	    "\n"
	    "--zz\n"
	    "Content-Type: text/html; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n"
	    "\n"
	    "<div>Gr=FC=DFe</div><script>x()</script>\n"
	    "--zz\n"
	    "Content-Type: image/png\n"
	    "\n"
	    "PNG\n"
	    "--zz--\n"),
	  "alt-html", NULL, NULL, NULL, "Grüße", 0, 0 },
	{ "inline message/rfc822 is read, no top-level fields from it",
	  B("Subject: Fwd\n"
	    "Content-Type: multipart/mixed; boundary=m\n"
	    "\n"
	    "--m\n"
	    "\n"
	    "See below.\n"
	    "--m\n"
	    "Content-Type: message/rfc822\n"
	    "\n"
	    "Subject: inner\n"
	    "From: inner@example.org\n"
	    "\n"
	    "Inner body.\n"
	    "--m--\n"),
	  "Fwd", NULL, NULL, NULL, "See below.\nInner body.", 0, 0 },
	{ "missing closing boundary: the last part runs to the end, one warning",
	  B("Subject: broken\n"                               /* 1 */
	    "Content-Type: multipart/mixed; boundary=\"q\"\n" /* 2 */
	    "\n"                                              /* 3 */
	    "--q\n"                                           /* 4 */
	    "Content-Type: text/plain\n"                      /* 5 */
	    "\n"                                              /* 6 */
	    "One.\n"                                          /* 7 */
	    "--q\n"                                           /* 8 */
	    "Content-Type: text/plain\n"                      /* 9 */
	    "\n"
	    "Two, never closed.\n"),
	  "broken", NULL, NULL, NULL, "One.\nTwo, never closed.", 1, 9 },
	{ "boundary never appears: the body is read as text, one warning",
	  B("Subject: nob\n"
	    "Content-Type: multipart/mixed; boundary=\"nothere\"\n"
	    "\n"
	    "Just text after all.\n"),
	  "nob", NULL, NULL, NULL, "Just text after all.", 1, 4 },
	{ "bad base64: decodable lines kept, junk skipped, one warning",
	  B("Subject: bad64\n"
	    "Content-Transfer-Encoding: base64\n"
	    "\n"
	    "R29vZCBsaW5lLg==\n"
	    "!!!! garbage that is not base64 !!!!\n"
	    "IEFuZCBhbm90aGVyLg==\n"),
	  "bad64", NULL, NULL, NULL, "Good line. And another.", 1, 4 },
	{ "unknown transfer encoding: read as is, one warning",
	  B("Subject: cte\nContent-Transfer-Encoding: 8-bit\n\nplain enough\n"),
	  "cte", NULL, NULL, NULL, "plain enough", 1, 4 },
	{ "no blank line after the headers: body starts at the first non-header",
	  B("Subject: nosep\nFrom: a@b.c\nThis line is body.\nAnd this.\n"),
	  "nosep", "a@b.c", NULL, NULL, "This line is body.\nAnd this.", 0, 0 },
	{ "saved with its mbox separator line",
	  B("From alice@example.org Tue Sep 14 10:00:00 2021\nSubject: saved\n\nbody\n"),
	  "saved", NULL, NULL, NULL, "body", 0, 0 },
	{ "subject only, empty body",
	  B("Subject: Only a subject\n\n"),
	  "Only a subject", NULL, NULL, NULL, "", 0, 0 },
};

static void check_field(const char *what, size_t i, const char *got, const char *want)
{
	if (!want && got)
		fail_msg("case %zu: %s is \"%s\", want none", i, what, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("case %zu: %s is \"%s\", want \"%s\"", i, what, got ? got : "(null)", want);
}

static void test_messages(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof mails / sizeof *mails; i++) {
		const struct mail_case *c = &mails[i];
		cap_t cap;
		memset(&cap, 0, sizeof cap);
		parse_input_t in = cap_input(&cap, c->in, c->len);
		const char *why = "unset";
		parse_result_t r = parse_email(&in, cap_emit, &why);
		if (r != PARSE_OK || cap.ndocs != 1)
			fail_msg("case %zu (%s): result %d, %zu docs", i, c->name, r, cap.ndocs);
		assert_null(why);
		assert_int_equal(cap.bad_docs, 0);
		const cap_doc_t *d = &cap.docs[0];
		assert_string_equal(d->format, "email");
		check_field("title", i, d->title, c->title);
		check_field("author", i, d->author, c->author);
		check_field("date", i, d->date, c->date);
		check_field("id", i, d->id, c->id);
		check_field("text", i, d->text, c->text);
		assert_null(d->subkey);
		assert_int_equal(d->line, 1);
		if (cap.nwarn != c->nwarn)
			fail_msg("case %zu: %u warnings, want %u", i, cap.nwarn, c->nwarn);
		if (c->nwarn && cap.warn_line[0] != c->warn_line)
			fail_msg("case %zu: warning on line %u, want %u (%s)", i, cap.warn_line[0],
				 c->warn_line, cap.warn_reason[0]);
		cap_free(&cap);
	}
}

static void test_keywords_and_language(void **state)
{
	(void)state;
	cap_t cap;
	memset(&cap, 0, sizeof cap);
	parse_input_t in = cap_input(&cap, B("Keywords: solar, wind\nKeywords: =?utf-8?Q?gr=C3=BCn?=\n"
					     "Content-Language: de-DE, en\n\ntext\n"));
	assert_int_equal(parse_email(&in, cap_emit, NULL), PARSE_OK);
	assert_string_equal(cap.docs[0].tags, "solar,wind,grün");
	assert_string_equal(cap.docs[0].lang, "de-DE");
	cap_free(&cap);
}

struct status_case {
	const char *in;
	size_t len;
	parse_result_t want;
};

static void test_status(void **state)
{
	(void)state;
	static const struct status_case cases[] = {
		{ B(""), PARSE_EMPTY },
		{ B("From: a@b.c\nTo: d@e.f\n\n\n  \n"), PARSE_EMPTY },
		{ B("Subject: x\nContent-Type: image/png\n\nPNG\n"), PARSE_OK },
		{ B("Content-Type: image/png\n\nPNG data\n"), PARSE_EMPTY },
		{ B("Subject: \0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\n\n"), PARSE_BINARY },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		cap_t cap;
		memset(&cap, 0, sizeof cap);
		parse_input_t in = cap_input(&cap, cases[i].in, cases[i].len);
		parse_result_t r = parse_email(&in, cap_emit, NULL);
		if (r != cases[i].want)
			fail_msg("case %zu: result %d, want %d", i, r, cases[i].want);
		assert_int_equal(cap.ndocs, r == PARSE_OK);
		cap_free(&cap);
	}
}

/* Three messages, the second broken: all are indexed, the broken one keeps
 * what decodes and warns once with a line inside it. */
static const char mbox3[] =
	"From alice@example.org Tue Sep 14 10:00:00 2021\n"    /* 1 */
	"From: Alice <alice@example.org>\n"                    /* 2 */
	"Subject: First\n"                                     /* 3 */
	"\n"                                                   /* 4 */
	"Hello one.\n"                                         /* 5 */
	"\n"                                                   /* 6 */
	"From here on, a body line: no time, no split.\n"      /* 7 */
	">From escaped in mboxrd\n"                            /* 8 */
	">>From twice\n"                                       /* 9 */
	"\n"                                                   /* 10 */
	"From bob@example.org Wed Sep 15 11:00:00 2021\n"      /* 11 */
	"From: bob@example.org\n"                              /* 12 */
	"Subject: Broken\n"                                    /* 13 */
	"Content-Type: multipart/mixed; boundary=zz\n"         /* 14 */
	"\n"                                                   /* 15 */
	"--zz\n"                                               /* 16 */
	"Content-Type: text/plain\n"                           /* 17 */
	"Content-Transfer-Encoding: base64\n"                  /* 18 */
	"\n"                                                   /* 19 */
	"QnJva2VuIGJ1dCBkZWNvZGFibGU=\n"                       /* 20 */
	"*** not base64 ***\n"                                 /* 21 */
	"\n"                                                   /* 22 */
	"From carol@example.org Thu Sep 16 12:00:00 2021\n"    /* 23 */
	"From: \"Carol\" <carol@example.org>\n"                /* 24 */
	"Subject: Third\n"                                     /* 25 */
	"Date: Fri, 17 Sep 2021 09:00:00 +0000\n"              /* 26 */
	"\n"                                                   /* 27 */
	"Third body.\n";                                       /* 28 */

struct mbox_want {
	const char *subkey, *title, *author, *date, *text;
	unsigned line;
};

static void test_mbox(void **state)
{
	(void)state;
	static const struct mbox_want want[] = {
		{ "M1", "First", "Alice", "2021-09-14",
		  "Hello one.\n\nFrom here on, a body line: no time, no split.\n"
		  "From escaped in mboxrd\n>From twice", 1 },
		{ "M2", "Broken", "bob@example.org", "2021-09-15", "Broken but decodable", 11 },
		{ "M3", "Third", "Carol", "2021-09-17", "Third body.", 23 },
	};
	cap_t cap;
	memset(&cap, 0, sizeof cap);
	parse_input_t in = cap_input(&cap, mbox3, sizeof mbox3 - 1);
	const char *why = "unset";
	assert_int_equal(parse_mbox(&in, cap_emit, &why), PARSE_OK);
	assert_null(why);
	assert_int_equal(cap.ndocs, 3);
	assert_int_equal(cap.bad_docs, 0);
	for (size_t i = 0; i < 3; i++) {
		const cap_doc_t *d = &cap.docs[i];
		check_field("subkey", i, d->subkey, want[i].subkey);
		check_field("title", i, d->title, want[i].title);
		check_field("author", i, d->author, want[i].author);
		check_field("date", i, d->date, want[i].date);
		check_field("text", i, d->text, want[i].text);
		assert_string_equal(d->format, "email");
		if (d->line != want[i].line)
			fail_msg("message %zu: line %u, want %u", i, d->line, want[i].line);
	}
	/* Missing closing boundary and bad base64: one warning for the message,
	 * at the start of its broken part. */
	assert_int_equal(cap.nwarn, 1);
	assert_int_equal(cap.warn_line[0], 17);
	cap_free(&cap);
}

static void test_mbox_edges(void **state)
{
	(void)state;
	cap_t cap;
	memset(&cap, 0, sizeof cap);

	/* An empty message is skipped with a warning but keeps its number. */
	static const char empty_mid[] =
		"From a Tue Sep 14 10:00:00 2021\nSubject: one\n\n1\n\n"
		"From b Tue Sep 14 10:00:00 2021\nX-Nothing: here\n\n\n"
		"From c Tue Sep 14 10:00:00 2021\r\nSubject: three\r\n\r\n3\r\n";
	parse_input_t in = cap_input(&cap, empty_mid, sizeof empty_mid - 1);
	assert_int_equal(parse_mbox(&in, cap_emit, NULL), PARSE_OK);
	assert_int_equal(cap.ndocs, 2);
	assert_string_equal(cap.docs[1].subkey, "M3");
	assert_int_equal(cap.docs[1].line, 10);
	assert_string_equal(cap.docs[1].text, "3");
	assert_int_equal(cap.nwarn, 1);
	assert_int_equal(cap.warn_line[0], 6);
	cap_free(&cap);

	/* The emit callback stops the walk. */
	cap.stop_after = 1;
	in = cap_input(&cap, mbox3, sizeof mbox3 - 1);
	assert_int_equal(parse_mbox(&in, cap_emit, NULL), PARSE_STOPPED);
	assert_int_equal(cap.ndocs, 1);
	cap.stop_after = 0;
	cap_free(&cap);

	/* Nothing but separators: empty. */
	in = cap_input(&cap, B("From a Tue Sep 14 10:00:00 2021\n\n"));
	const char *why = NULL;
	assert_int_equal(parse_mbox(&in, cap_emit, &why), PARSE_EMPTY);
	assert_string_equal(why, "empty");
	assert_int_equal(cap.ndocs, 0);
	cap_free(&cap);

	/* Text before the first separator is a message of its own. */
	in = cap_input(&cap, B("Subject: stray\n\nbefore\n\nFrom x Tue Sep 14 10:00:00 2021\n\nafter\n"));
	assert_int_equal(parse_mbox(&in, cap_emit, NULL), PARSE_OK);
	assert_int_equal(cap.ndocs, 2);
	assert_string_equal(cap.docs[0].subkey, "M1");
	assert_int_equal(cap.docs[0].line, 1);
	assert_string_equal(cap.docs[1].text, "after");
	assert_int_equal(cap.docs[1].line, 5);
	cap_free(&cap);
}

/* Many parts, deep nesting, unterminated everything: no crash, bounded. */
static void test_hostile_mime(void **state)
{
	(void)state;
	size_t cap_sz = 1 << 20, n = 0;
	char *s = malloc(cap_sz);
	assert_non_null(s);
	n += (size_t)snprintf(s + n, cap_sz - n, "Subject: deep\n");
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(s + n, cap_sz - n,
				      "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
	n += (size_t)snprintf(s + n, cap_sz - n, "\ninnermost\n");
	for (int i = 0; i < 3000; i++)
		n += (size_t)snprintf(s + n, cap_sz - n, "--b0\nContent-Type: text/plain\n\np%d\n", i);
	n += (size_t)snprintf(s + n, cap_sz - n, "=?utf-8?B?garbage =?x?Q?=ZZ\n");
	cap_t cap;
	memset(&cap, 0, sizeof cap);
	parse_input_t in = cap_input(&cap, s, n);
	parse_result_t r = parse_email(&in, cap_emit, NULL);
	assert_int_equal(r, PARSE_OK);
	assert_int_equal(cap.bad_docs, 0);
	/* Parts past the nesting cap are dropped, the siblings are all read. */
	assert_null(strstr(cap.docs[0].text, "innermost"));
	assert_non_null(strstr(cap.docs[0].text, "p0\np1\np2\n"));
	assert_non_null(strstr(cap.docs[0].text, "\np2999"));
	assert_int_equal(cap.nwarn, 1); /* the first problem: b1 is never closed */
	assert_non_null(strstr(cap.warn_reason[0], "closing MIME boundary missing"));
	cap_free(&cap);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_keywords_and_language),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_mbox),
		cmocka_unit_test(test_mbox_edges),
		cmocka_unit_test(test_hostile_mime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
