/* test_parse_html.c - HTML pages in, text and fields out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers/doccap.h"
#include "parse.h"
#include "parse_html.h"

/* A byte string literal with its length. */
#define B(s) s, sizeof(s) - 1

struct page_case {
	const char *name;
	const char *in;
	size_t len;
	const char *title, *author, *date, *url, *tags, *lang;
	const char *text; /* exact */
};

static const struct page_case pages[] = {
	{ "metadata from title, meta and link",
	  B("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\n"
	    "<title>  Solar   power &amp; wind </title>\n"
	    "<meta name=\"author\" content=\"Jane Doe\">\n"
	    "<meta property=\"og:title\" content=\"Not this\">\n"
	    "<meta name=\"date\" content=\"2020-01-01\">\n"
	    "<meta property=\"article:published_time\" content=\"2021-09-15T10:00:00Z\">\n"
	    "<meta name=\"keywords\" content=\"energy, solar ,,wind\">\n"
	    "<meta property=\"article:tag\" content=\"Solar\">\n"
	    "<meta property=\"article:tag\" content=\"grid\">\n"
	    "<link rel=\"stylesheet canonical\" href=\"https://example.org/solar\">\n"
	    "<meta property=\"og:url\" content=\"https://example.org/og\">\n"
	    "</head><body><p>Panels convert light.</p></body></html>\n"),
	  "Solar power & wind", "Jane Doe", "2021-09-15", "https://example.org/solar",
	  "energy,solar,wind,grid", "en-GB", "Panels convert light." },
	{ "og:title, og:url, byl, dc.date as fallbacks",
	  B("<html><head><meta property=\"og:title\" content=\"Open Graph title\">"
	    "<meta property=\"og:url\" content=\"https://example.org/og\">"
	    "<meta name=\"byl\" content=\"By John Smith\">"
	    "<meta name=\"DC.date\" content=\"2019-03-04\">"
	    "</head><body><h1>Heading</h1><p>Body.</p></body></html>"),
	  "Open Graph title", "John Smith", "2019-03-04", "https://example.org/og", NULL, NULL,
	  "Heading\nBody." },
	{ "first h1 as title, <time> in the article, article:author",
	  B("<html xml:lang=\"fr\"><body><nav><time datetime=\"2001-01-01\">x</time></nav>"
	    "<meta property=\"article:author\" content=\"https://facebook.com/someone\">"
	    "<meta property=\"article:author\" content=\"Marie Curie\">"
	    "<article><h1>First <em>heading</em></h1><time datetime=\"2018-07-08T09:00\">"
	    "8 July</time><h1>Second</h1></article></body></html>"),
	  "First heading", "Marie Curie", "2018-07-08", NULL, NULL, "fr",
	  "First heading\n8 July\nSecond" },
	{ "script, style, nav, footer, aside, form, svg, hidden dropped",
	  B("<html><head><style>p { color: red }</style><script>var s = '<p>no</p>';</script>"
	    "<title>T</title></head><body>"
	    "<header><a href=\"/\">Site logo</a></header>"
	    "<nav><ul><li>Home</li><li>About</li></ul></nav>"
	    "<article><header><h2>Headline</h2><p>By Ann</p></header>"
	    "<p>Kept text.</p><footer>share this</footer></article>"
	    "<aside>related links</aside><form><label>Name</label><button>Go</button></form>"
	    "<svg><title>icon</title><text>svg text</text></svg>"
	    "<noscript>enable js</noscript><template><p>tmpl</p></template>"
	    "<div hidden>secret</div><p>After.</p>"
	    "<footer>Copyright</footer></body></html>"),
	  "T", NULL, NULL, NULL, NULL, NULL, "Headline\nBy Ann\nKept text.\nAfter." },
	{ "entities decoded, numeric C1 references read as Windows-1252",
	  B("<p>Caf&eacute; &lt;b&gt; &amp; &#8364;5 &#x263A; &#150; x&nbsp;y &quot;q&quot;</p>"),
	  NULL, NULL, NULL, NULL, NULL, NULL, "Café <b> & €5 ☺ – x y \"q\"" },
	{ "blocks on lines, inline joined, cells spaced, whitespace collapsed",
	  B("<div>one\n  two</div><p>foo<b>bar</b> baz<br>next</p>"
	    "<ul><li>a</li><li>b</li></ul><table><tr><td>c1</td><td>c2</td></tr>"
	    "<tr><th>h</th></tr></table>"),
	  NULL, NULL, NULL, NULL, NULL, NULL, "one two\nfoobar baz\nnext\na\nb\nc1 c2\nh" },
	{ "pre keeps its line breaks",
	  B("<p>code:</p><pre>int x;\n\n   return x;</pre><p>end</p>"),
	  NULL, NULL, NULL, NULL, NULL, NULL, "code:\nint x;\nreturn x;\nend" },
	{ "windows-1252 declared by <meta charset>",
	  B("<html><head><meta charset=\"windows-1252\"><title>caf\xe9</title></head>"
	    "<body><p>caf\xe9 \x80 \x93quoted\x94</p></body></html>"),
	  "café", NULL, NULL, NULL, NULL, NULL, "café € “quoted”" },
	{ "iso-8859-1 declared by http-equiv, read as Windows-1252",
	  B("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
	    "charset=ISO-8859-1\"></head><body><p>na\xefve \x85</p></body></html>"),
	  NULL, NULL, NULL, NULL, NULL, NULL, "naïve …" },
	{ "windows-1251 declared: the declaration, not a guess, decides",
	  B("<html><head><meta charset=\"windows-1251\"></head>"
	    "<body><p>\xcf\xf0\xe8\xe2\xe5\xf2</p></body></html>"),
	  NULL, NULL, NULL, NULL, NULL, NULL, "Привет" },
	{ "UTF-8 without a declaration is not read as Latin-1",
	  B("<html><body><p>caf\xc3\xa9 \xe2\x82\xac \xe6\x97\xa5\xe6\x9c\xac</p></body></html>"),
	  NULL, NULL, NULL, NULL, NULL, NULL, "café € 日本" },
	{ "undeclared 8-bit bytes that are not UTF-8 fall back to Windows-1252",
	  B("<p>caf\xe9 cr\xe8me</p>"),
	  NULL, NULL, NULL, NULL, NULL, NULL, "café crème" },
	{ "description is the text only when nothing is visible",
	  B("<html><head><title>App</title><meta name=\"description\" content=\"A summary.\">"
	    "</head><body><div id=\"root\"></div><script>render()</script></body></html>"),
	  "App", NULL, NULL, NULL, NULL, NULL, "A summary." },
	{ "description ignored when there is text",
	  B("<html><head><meta name=\"description\" content=\"A summary.\"></head>"
	    "<body><p>Real text.</p></body></html>"),
	  NULL, NULL, NULL, NULL, NULL, NULL, "Real text." },
	{ "Content-Language when <html> has no lang; bad dates ignored",
	  B("<html><head><meta http-equiv=\"content-language\" content=\"de, en\">"
	    "<meta name=\"date\" content=\"not a date\"></head><body>Text</body></html>"),
	  NULL, NULL, NULL, NULL, NULL, "de", "Text" },
};

static void check_field(const char *what, size_t i, const char *got, const char *want)
{
	if (!want && got)
		fail_msg("case %zu: %s is \"%s\", want none", i, what, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("case %zu: %s is \"%s\", want \"%s\"", i, what, got ? got : "(null)", want);
}

static void test_pages(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		const struct page_case *c = &pages[i];
		cap_t cap;
		memset(&cap, 0, sizeof cap);
		parse_input_t in = cap_input(&cap, c->in, c->len);
		const char *why = "unset";
		parse_result_t r = parse_html(&in, cap_emit, &why);
		if (r != PARSE_OK || cap.ndocs != 1)
			fail_msg("case %zu (%s): result %d, %zu docs", i, c->name, r, cap.ndocs);
		assert_null(why);
		assert_int_equal(cap.bad_docs, 0);
		const cap_doc_t *d = &cap.docs[0];
		assert_string_equal(d->format, "html");
		check_field("title", i, d->title, c->title);
		check_field("author", i, d->author, c->author);
		check_field("date", i, d->date, c->date);
		check_field("url", i, d->url, c->url);
		check_field("tags", i, d->tags, c->tags);
		check_field("lang", i, d->lang, c->lang);
		check_field("text", i, d->text, c->text);
		assert_null(d->subkey);
		assert_int_equal(d->line, 1);
		assert_int_equal(cap.nwarn, 0);
		cap_free(&cap);
	}
}

struct status_case {
	const char *in;
	size_t len;
	parse_result_t want;
	const char *reason;
};

static void test_status(void **state)
{
	(void)state;
	static const struct status_case cases[] = {
		{ B(""), PARSE_EMPTY, "empty" },
		{ B("<html><head></head><body>  \n <div> </div></body></html>"), PARSE_EMPTY, "empty" },
		{ B("<html><body><script>only()</script></body></html>"), PARSE_EMPTY, "empty" },
		{ B("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0"), PARSE_BINARY, "binary" },
		{ B("<title>Only a title</title>"), PARSE_OK, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		cap_t cap;
		memset(&cap, 0, sizeof cap);
		parse_input_t in = cap_input(&cap, cases[i].in, cases[i].len);
		const char *why = "unset";
		parse_result_t r = parse_html(&in, cap_emit, &why);
		if (r != cases[i].want)
			fail_msg("case %zu: result %d, want %d", i, r, cases[i].want);
		assert_int_equal(cap.ndocs, r == PARSE_OK);
		if (cases[i].reason)
			assert_string_equal(why, cases[i].reason);
		else
			assert_null(why);
		cap_free(&cap);
	}
}

static void test_emit_stops(void **state)
{
	(void)state;
	cap_t cap;
	memset(&cap, 0, sizeof cap);
	cap.stop_after = 1;
	parse_input_t in = cap_input(&cap, B("<p>text</p>"));
	assert_int_equal(parse_html(&in, cap_emit, NULL), PARSE_STOPPED);
	assert_int_equal(cap.ndocs, 1);
	cap_free(&cap);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * n + tl + 1);
	assert_non_null(s);
	memcpy(s, head, hl);
	for (size_t i = 0; i < n; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + n * ul, tail, tl + 1);
	*len = hl + ul * n + tl;
	return s;
}

static double seconds_since(clock_t t0)
{
	return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/* 100k unclosed <div>: bounded time, the text before the cut kept, one
 * warning that says where the page was cut. */
static void test_unclosed_divs(void **state)
{
	(void)state;
	size_t len;
	char *s = repeat("<html><body><p>start here</p>\n", "<div>", 100000, "end", &len);
	cap_t cap;
	memset(&cap, 0, sizeof cap);
	parse_input_t in = cap_input(&cap, s, len);
	clock_t t0 = clock();
	assert_int_equal(parse_html(&in, cap_emit, NULL), PARSE_OK);
	assert_true(seconds_since(t0) < 2.0);
	assert_int_equal(cap.ndocs, 1);
	assert_string_equal(cap.docs[0].text, "start here");
	assert_int_equal(cap.nwarn, 1);
	assert_int_equal(cap.warn_line[0], 2);
	assert_non_null(strstr(cap.warn_reason[0], "nested too deeply"));
	cap_free(&cap);
	free(s);
}

/* Unclosed inline elements followed by end tags that match none of them:
 * libxml2 searches its element stack for each end tag, which took 20 s
 * on this input before the depth cap. */
static void test_nesting_with_stray_end_tags(void **state)
{
	(void)state;
	size_t l1, l2;
	char *opens = repeat("<p>start</p>", "<span>", 100000, "", &l1);
	char *closes = repeat("", "</div>", 100000, "end", &l2);
	char *s = malloc(l1 + l2 + 1);
	assert_non_null(s);
	memcpy(s, opens, l1);
	memcpy(s + l1, closes, l2 + 1);
	cap_t cap;
	memset(&cap, 0, sizeof cap);
	parse_input_t in = cap_input(&cap, s, l1 + l2);
	clock_t t0 = clock();
	assert_int_equal(parse_html(&in, cap_emit, NULL), PARSE_OK);
	assert_true(seconds_since(t0) < 2.0);
	assert_string_equal(cap.docs[0].text, "start");
	cap_free(&cap);
	free(s);
	free(opens);
	free(closes);
}

/* Nesting below the cap is read in full. */
static void test_moderate_nesting_kept(void **state)
{
	(void)state;
	size_t len;
	char *s = repeat("<p>start</p>", "<div><span>", 400, "end", &len);
	cap_t cap;
	memset(&cap, 0, sizeof cap);
	parse_input_t in = cap_input(&cap, s, len);
	assert_int_equal(parse_html(&in, cap_emit, NULL), PARSE_OK);
	assert_string_equal(cap.docs[0].text, "start\nend");
	assert_int_equal(cap.nwarn, 0);
	cap_free(&cap);
	free(s);
}

/* Bytes from a fixed pseudo-random sequence, with and without NULs, with
 * and without tags sprinkled in: never a crash, and text is valid UTF-8. */
static void test_binary_junk(void **state)
{
	(void)state;
	size_t len = 200000;
	char *s = malloc(len);
	assert_non_null(s);
	for (int variant = 0; variant < 4; variant++) {
		uint32_t x = 2463534242u + (uint32_t)variant;
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			s[i] = (char)(x >> 24);
			if (variant >= 1 && !s[i])
				s[i] = ' ';
			if (variant >= 2 && x % 7 == 0)
				s[i] = "<>/=\"&;"[x % 5];
			if (variant == 3 && x % 11 == 0)
				s[i] = 'a';
		}
		cap_t cap;
		memset(&cap, 0, sizeof cap);
		parse_input_t in = cap_input(&cap, s, len);
		parse_result_t r = parse_html(&in, cap_emit, NULL);
		if (variant == 0)
			assert_int_equal(r, PARSE_BINARY);
		assert_true(r == PARSE_OK || r == PARSE_EMPTY || r == PARSE_BINARY);
		assert_int_equal(cap.bad_docs, 0);
		cap_free(&cap);
	}
	free(s);
}

/* A page longer than one 64 KiB chunk, with multi-byte characters and a
 * tag straddling every chunk boundary candidate, reads back whole. */
static void test_large_page_chunks(void **state)
{
	(void)state;
	size_t len;
	char *s = repeat("<html><body>", "<p class=\"x\">Gr\xc3\xbc\xc3\x9f\xe2\x82\xac</p>", 20000,
			 "<p>last</p></body></html>", &len);
	cap_t cap;
	memset(&cap, 0, sizeof cap);
	parse_input_t in = cap_input(&cap, s, len);
	assert_int_equal(parse_html(&in, cap_emit, NULL), PARSE_OK);
	const char *t = cap.docs[0].text;
	size_t n = 0;
	for (const char *p = t; (p = strstr(p, "Grüß€")); p++)
		n++;
	assert_int_equal(n, 20000);
	assert_string_equal(t + strlen(t) - 5, "\nlast");
	assert_int_equal(cap.bad_docs, 0);
	cap_free(&cap);
	free(s);
}

struct sniff_case {
	const char *in;
	const char *want; /* NULL: none declared */
};

static void test_sniff_charset(void **state)
{
	(void)state;
	static const struct sniff_case cases[] = {
		{ "<meta charset=\"UTF-8\">", "utf-8" },
		{ "<META CHARSET=koi8-r>", "koi8-r" },
		{ "<meta charset='windows-1251'/>", "windows-1251" },
		{ "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">",
		  "windows-1252" },
		{ "<meta content='text/html;charset=Shift_JIS' http-equiv='content-type'>", "shift_jis" },
		{ "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><html>", "iso-8859-15" },
		{ "<meta charset=\"us-ascii\">", "windows-1252" },
		{ "<meta charset=\"utf-16le\">", "utf-8" },
		{ "<!-- <meta charset=\"koi8-r\"> --><meta charset=\"utf-8\">", "utf-8" },
		{ "<meta name=\"charset\" content=\"x\"><p>charset=utf-8</p>", NULL },
		{ "<meta http-equiv=\"refresh\" content=\"0; charset=koi8-r\">", NULL },
		{ "<metadata charset=\"koi8-r\">", NULL },
		{ "<p>no declaration</p>", NULL },
		{ "<meta charset=\"", NULL },
		{ "", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[40];
		int r = html_sniff_charset(cases[i].in, strlen(cases[i].in), out);
		if (!cases[i].want && r == 0)
			fail_msg("case %zu: got \"%s\", want none", i, out);
		if (cases[i].want && (r != 0 || strcmp(out, cases[i].want)))
			fail_msg("case %zu: got %s, want \"%s\"", i, r ? "none" : out, cases[i].want);
	}
}

/* The transport charset of a MIME part wins over the page's own meta. */
static void test_extract_transport_charset(void **state)
{
	(void)state;
	html_doc_t d;
	static const char page[] = "<meta charset=\"utf-8\"><p>caf\xe9</p>";
	assert_int_equal(html_extract(page, sizeof page - 1, "iso-8859-1", &d), PARSE_OK);
	assert_string_equal(d.text.p, "café");
	html_doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_emit_stops),
		cmocka_unit_test(test_unclosed_divs),
		cmocka_unit_test(test_nesting_with_stray_end_tags),
		cmocka_unit_test(test_moderate_nesting_kept),
		cmocka_unit_test(test_binary_junk),
		cmocka_unit_test(test_large_page_chunks),
		cmocka_unit_test(test_sniff_charset),
		cmocka_unit_test(test_extract_transport_charset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
