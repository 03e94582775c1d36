/* parse.c - which format a file is in, and the dispatch to its parser; see
 * parse.h. The extension decides when it is one we know; otherwise the first
 * lines are sniffed, and plain text is what is left. */
#include "parse.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "encoding.h"

static const struct {
	const char *ext;
	fmt_t fmt;
} doc_exts[] = {
	{ "txt", FMT_TEXT },      { "text", FMT_TEXT },
	{ "md", FMT_MARKDOWN },   { "markdown", FMT_MARKDOWN }, { "mdown", FMT_MARKDOWN },
	{ "mkd", FMT_MARKDOWN },  { "mkdn", FMT_MARKDOWN },     { "mdwn", FMT_MARKDOWN },
	{ "html", FMT_HTML },     { "htm", FMT_HTML },          { "xhtml", FMT_HTML },
	{ "shtml", FMT_HTML },
	{ "eml", FMT_EMAIL },     { "email", FMT_EMAIL },       { "msg", FMT_EMAIL },
	{ "mbox", FMT_MBOX },     { "mbx", FMT_MBOX },
	{ "jsonl", FMT_JSONL },   { "ndjson", FMT_JSONL },      { "json", FMT_JSONL },
};

/* Extensions of files that are not documents to index: media, archives,
 * binaries, office formats we cannot read, source code and configuration.
 * Each carries its skip reason, so that the reason stays a static string. */
#define ND(e) { e, "not a document (." e ")" }
static const struct {
	const char *ext, *reason;
} not_doc_exts[] = {
	/* images */
	ND("png"), ND("jpg"), ND("jpeg"), ND("gif"), ND("bmp"), ND("tif"), ND("tiff"),
	ND("webp"), ND("ico"), ND("svg"), ND("heic"), ND("avif"), ND("psd"), ND("xcf"),
	/* audio, video */
	ND("mp3"), ND("mp4"), ND("m4a"), ND("m4v"), ND("wav"), ND("flac"), ND("ogg"),
	ND("oga"), ND("ogv"), ND("opus"), ND("avi"), ND("mov"), ND("mkv"), ND("webm"),
	ND("wmv"), ND("wma"), ND("aac"), ND("mid"), ND("midi"),
	/* archives and packages */
	ND("zip"), ND("tar"), ND("tgz"), ND("tbz2"), ND("bz2"), ND("xz"), ND("zst"),
	ND("7z"), ND("rar"), ND("lz"), ND("lzma"), ND("lz4"), ND("cab"), ND("deb"),
	ND("rpm"), ND("apk"), ND("jar"), ND("war"), ND("iso"), ND("dmg"), ND("img"),
	/* objects and executables */
	ND("o"), ND("a"), ND("so"), ND("dll"), ND("exe"), ND("dylib"), ND("bin"),
	ND("class"), ND("pyc"), ND("pyo"), ND("obj"), ND("lib"), ND("wasm"), ND("ko"),
	/* documents in formats lode does not read */
	ND("pdf"), ND("doc"), ND("docx"), ND("xls"), ND("xlsx"), ND("ppt"), ND("pptx"),
	ND("odt"), ND("ods"), ND("odp"), ND("rtf"), ND("epub"), ND("mobi"), ND("djvu"),
	ND("ps"), ND("eps"),
	/* fonts, databases, data files */
	ND("ttf"), ND("otf"), ND("woff"), ND("woff2"), ND("eot"), ND("db"), ND("sqlite"),
	ND("sqlite3"), ND("pkl"), ND("pickle"), ND("npy"), ND("npz"), ND("h5"),
	ND("parquet"),
	/* source code, style sheets, configuration */
	ND("c"), ND("h"), ND("cc"), ND("cpp"), ND("cxx"), ND("hpp"), ND("hh"), ND("py"),
	ND("rb"), ND("pl"), ND("pm"), ND("go"), ND("rs"), ND("java"), ND("kt"),
	ND("scala"), ND("swift"), ND("js"), ND("mjs"), ND("cjs"), ND("ts"), ND("tsx"),
	ND("jsx"), ND("css"), ND("scss"), ND("less"), ND("php"), ND("sh"), ND("bash"),
	ND("zsh"), ND("lua"), ND("cs"), ND("sql"), ND("asm"), ND("s"), ND("el"),
	ND("hs"), ND("ml"), ND("erl"), ND("ex"), ND("exs"), ND("dart"), ND("map"),
	ND("xml"), ND("yml"), ND("yaml"), ND("toml"), ND("ini"), ND("cfg"), ND("conf"),
	ND("lock"),
};
#undef ND

/* The extension of PATH's last component, ".gz"/".gzip" taken off first,
 * lower-cased into EXT; "" when none ("README", ".bashrc"). */
static void path_ext(const char *path, char ext[16])
{
	ext[0] = '\0';
	if (!path || strcmp(path, "-") == 0)
		return;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	for (int pass = 0; pass < 2; pass++) {
		const char *dot = NULL;
		for (size_t i = n; i > 1; i--)
			if (base[i - 1] == '.') {
				dot = base + i - 1;
				break;
			}
		if (!dot || dot == base)
			return;
		size_t k = n - (size_t)(dot - base) - 1;
		if (k == 0 || k > 15)
			return;
		for (size_t i = 0; i < k; i++) {
			char c = dot[1 + i];
			ext[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		ext[k] = '\0';
		if (pass == 0 && (strcmp(ext, "gz") == 0 || strcmp(ext, "gzip") == 0)) {
			n = (size_t)(dot - base); /* look again at "a.md" of "a.md.gz" */
			ext[0] = '\0';
			continue;
		}
		return;
	}
}

/* The skip reason when PATH's extension says "not a document", else NULL. */
static const char *not_doc_reason(const char *path)
{
	char ext[16];
	path_ext(path, ext);
	if (!ext[0])
		return NULL;
	for (size_t i = 0; i < sizeof not_doc_exts / sizeof *not_doc_exts; i++)
		if (strcmp(ext, not_doc_exts[i].ext) == 0)
			return not_doc_exts[i].reason;
	return NULL;
}

/* A line of DATA: [*pos, end of line), *pos moved past the newline. */
static int next_line(const char *data, size_t len, size_t *pos, const char **line, size_t *n)
{
	if (*pos >= len)
		return 0;
	const char *s = data + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	size_t k = nl ? (size_t)(nl - s) : len - *pos;
	*pos += k + (nl ? 1 : 0);
	if (k && s[k - 1] == '\r')
		k--;
	*line = s;
	*n = k;
	return 1;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' && s[i] != '\f' &&
		    s[i] != '\v')
			return 0;
	return 1;
}

static int starts_ci(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && strncasecmp(s, p, k) == 0;
}

/* "Name: value": a field name of printable ASCII without ':' or spaces.
 * Returns the name's length, 0 if the line is not a header. */
static size_t header_name(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 76 && s[i] > ' ' && s[i] < 127 && s[i] != ':')
		i++;
	return i > 0 && i < n && s[i] == ':' ? i : 0;
}

/* RFC 822 headers at the top: every line up to the first blank one is a
 * header or a folded continuation, and at least two are fields that only
 * mail has together (From + Subject, Received + Message-ID ...). */
static int looks_like_email(const char *data, size_t len)
{
	static const char *const known[] = {
		"from", "to", "cc", "subject", "date", "received", "return-path", "message-id",
		"mime-version", "delivered-to", "reply-to", "content-type", "x-mailer",
		"in-reply-to", "references", "sender", NULL,
	};
	static const char *const strong[] = {
		"from", "subject", "received", "return-path", "message-id", "delivered-to", NULL,
	};
	size_t pos = 0, n;
	const char *line;
	int lines = 0, nknown = 0, nstrong = 0;
	while (lines < 200 && next_line(data, len, &pos, &line, &n)) {
		if (n == 0)
			break;
		if (line[0] == ' ' || line[0] == '\t') {
			if (lines == 0)
				return 0;
			continue; /* folded header */
		}
		size_t k = header_name(line, n);
		if (!k)
			return 0;
		lines++;
		for (const char *const *p = known; *p; p++)
			if (strlen(*p) == k && strncasecmp(line, *p, k) == 0) {
				nknown++;
				for (const char *const *q = strong; *q; q++)
					nstrong += strcmp(*p, *q) == 0;
			}
	}
	return nknown >= 2 && nstrong >= 1;
}

/* mbox: "From sender Wed Sep 15 10:00:00 2021" (a time of day in it: prose
 * starting with "From " has none) and then a header line. */
static int looks_like_mbox(const char *data, size_t len)
{
	size_t pos = 0, n;
	const char *line;
	if (!next_line(data, len, &pos, &line, &n) || n < 6 || memcmp(line, "From ", 5) != 0)
		return 0;
	int time = 0;
	for (size_t i = 2; i + 2 < n && !time; i++)
		time = line[i] == ':' && line[i - 1] >= '0' && line[i - 1] <= '9' &&
		       line[i + 1] >= '0' && line[i + 1] <= '9' && line[i + 2] >= '0' &&
		       line[i + 2] <= '9';
	return time && next_line(data, len, &pos, &line, &n) && header_name(line, n) > 0;
}

/* "<!doctype html" or "<html" first, after comments and an XML declaration. */
static int looks_like_html(const char *s, size_t n)
{
	size_t i = 0;
	for (int guard = 0; guard < 16; guard++) {
		while (i < n && blank(s + i, 1))
			i++;
		if (starts_ci(s + i, n - i, "<!--")) {
			const char *end = memmem(s + i, n - i, "-->", 3);
			if (!end)
				return 0;
			i = (size_t)(end - s) + 3;
		} else if (starts_ci(s + i, n - i, "<?xml")) {
			const char *end = memmem(s + i, n - i, "?>", 2);
			if (!end)
				return 0;
			i = (size_t)(end - s) + 2;
		} else {
			break;
		}
	}
	if (starts_ci(s + i, n - i, "<!doctype html"))
		return 1;
	return starts_ci(s + i, n - i, "<html") &&
	       (n - i == 5 || s[i + 5] == '>' || blank(s + i + 5, 1));
}

/* The first non-empty lines (up to 5) are each one JSON object. */
static int looks_like_jsonl(const char *data, size_t len)
{
	size_t pos = 0, n;
	const char *line;
	int objects = 0;
	while (objects < 5 && next_line(data, len, &pos, &line, &n)) {
		while (n && blank(line, 1))
			line++, n--;
		while (n && blank(line + n - 1, 1))
			n--;
		if (n == 0)
			continue;
		if (line[0] != '{' || line[n - 1] != '}')
			return 0;
		json_t *j = json_loadb(line, n, 0, NULL);
		int ok = j && json_is_object(j);
		json_decref(j);
		if (!ok)
			return 0;
		objects++;
	}
	return objects > 0;
}

/* Front matter ("---" first, closed by "---" or "..."), an ATX "# " heading
 * or a setext "Title / =====" as the first non-empty line. */
static int looks_like_markdown(const char *data, size_t len)
{
	size_t pos = 0, n;
	const char *line;
	if (next_line(data, len, &pos, &line, &n) && n == 3 && memcmp(line, "---", 3) == 0) {
		for (int i = 0; i < 200 && next_line(data, len, &pos, &line, &n); i++)
			if (n == 3 && (memcmp(line, "---", 3) == 0 || memcmp(line, "...", 3) == 0))
				return 1;
		return 0;
	}
	pos = 0;
	int found = 0;
	while (!found && next_line(data, len, &pos, &line, &n))
		found = !blank(line, n);
	if (!found)
		return 0;
	if (n >= 3 && line[0] == '#' && line[1] == ' ' && !blank(line + 2, n - 2))
		return 1;
	if (next_line(data, len, &pos, &line, &n) && n >= 3) {
		size_t i = 0;
		while (i < n && line[i] == '=')
			i++;
		return i == n;
	}
	return 0;
}

fmt_t parse_detect(const char *path, const char *data, size_t len)
{
	char ext[16];
	path_ext(path, ext);
	if (ext[0]) {
		for (size_t i = 0; i < sizeof doc_exts / sizeof *doc_exts; i++)
			if (strcmp(ext, doc_exts[i].ext) == 0)
				return doc_exts[i].fmt;
		if (not_doc_reason(path))
			return FMT_UNKNOWN; /* the caller decides: parse_document skips it */
	}
	if (!data)
		return FMT_TEXT;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		data += 3, len -= 3;
	if (looks_like_mbox(data, len))
		return FMT_MBOX;
	if (looks_like_email(data, len))
		return FMT_EMAIL;
	if (looks_like_html(data, len))
		return FMT_HTML;
	if (looks_like_jsonl(data, len))
		return FMT_JSONL;
	if (looks_like_markdown(data, len))
		return FMT_MARKDOWN;
	return FMT_TEXT;
}

static const char *const format_names[] = {
	[FMT_UNKNOWN] = "unknown", [FMT_TEXT] = "text",   [FMT_MARKDOWN] = "markdown",
	[FMT_HTML] = "html",       [FMT_EMAIL] = "email", [FMT_MBOX] = "mbox",
	[FMT_JSONL] = "jsonl",
};

const char *parse_format_name(fmt_t f)
{
	if ((unsigned)f < sizeof format_names / sizeof *format_names)
		return format_names[f];
	return "unknown";
}

fmt_t parse_format_from_name(const char *name)
{
	static const struct {
		const char *name;
		fmt_t fmt;
	} aliases[] = {
		{ "txt", FMT_TEXT }, { "md", FMT_MARKDOWN }, { "htm", FMT_HTML },
		{ "eml", FMT_EMAIL }, { "mail", FMT_EMAIL }, { "json", FMT_JSONL },
		{ "ndjson", FMT_JSONL },
	};
	if (!name)
		return FMT_UNKNOWN;
	for (size_t f = FMT_TEXT; f < sizeof format_names / sizeof *format_names; f++)
		if (strcasecmp(name, format_names[f]) == 0)
			return (fmt_t)f;
	for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
		if (strcasecmp(name, aliases[i].name) == 0)
			return aliases[i].fmt;
	return FMT_UNKNOWN;
}

parse_result_t parse_document(const parse_input_t *in, ldoc_emit_fn emit, const char **reason)
{
	const char *dummy;
	if (!reason)
		reason = &dummy;
	*reason = NULL;
	fmt_t f = in->format;
	if (f == FMT_UNKNOWN) {
		const char *why = not_doc_reason(in->path);
		if (why) {
			*reason = why;
			return PARSE_NOT_DOC;
		}
	}
	const char *s = in->data;
	size_t n = s ? in->len : 0;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3, n -= 3;
	if (blank(s, n)) {
		*reason = "empty";
		return PARSE_EMPTY;
	}
	parse_input_t known = *in;
	known.format = f != FMT_UNKNOWN ? f : parse_detect(in->path, in->data, in->len);
	/* A mailbox is judged message by message (parse_mbox): one raw binary
	 * attachment near the top must not hide every other message. */
	if (known.format != FMT_MBOX && enc_is_binary(in->data, in->len)) {
		*reason = "binary";
		return PARSE_BINARY;
	}
	switch (known.format) {
	case FMT_MARKDOWN: return parse_markdown(&known, emit, reason);
	case FMT_HTML: return parse_html(&known, emit, reason);
	case FMT_EMAIL: return parse_email(&known, emit, reason);
	case FMT_MBOX: return parse_mbox(&known, emit, reason);
	case FMT_JSONL: return parse_jsonl(&known, emit, reason);
	case FMT_TEXT:
	case FMT_UNKNOWN: break;
	}
	known.format = FMT_TEXT;
	return parse_text(&known, emit, reason);
}
