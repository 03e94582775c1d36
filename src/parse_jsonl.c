/* parse_jsonl.c - JSON lines: one document per line, an object with id,
 * title, text, author, date, url fields (names overridable). A broken line is
 * reported through in->warn and skipped; the rest of the file still counts.
 * A ".json" file holding one pretty-printed object or an array of objects is
 * read whole instead. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "encoding.h"
#include "parse.h"

typedef struct {
	const parse_input_t *in;
	ldoc_emit_fn emit;
	/* field names: primary and fallback (NULL: none) */
	const char *id[2], *title[2], *text[2], *author[2], *date[2], *url[2];
	unsigned docs;    /* emitted */
	int stopped;
	buf_t line, b_id, b_sub, b_title, b_text, b_author, b_url, b_tags, b_lang;
} jsonl_t;

static void warn(jsonl_t *j, unsigned line, const char *reason)
{
	if (j->in->warn)
		j->in->warn(j->in->ctx, line, reason);
}

static void set_names(jsonl_t *j, const parse_jsonl_map_t *m)
{
	j->id[0] = m && m->id ? m->id : "id", j->id[1] = m && m->id ? NULL : "_id";
	j->title[0] = m && m->title ? m->title : "title", j->title[1] = NULL;
	j->text[0] = m && m->text ? m->text : "text", j->text[1] = m && m->text ? NULL : "body";
	j->author[0] = m && m->author ? m->author : "author", j->author[1] = NULL;
	j->date[0] = m && m->date ? m->date : "date", j->date[1] = NULL;
	j->url[0] = m && m->url ? m->url : "url", j->url[1] = NULL;
}

static json_t *lookup(json_t *obj, const char *const names[2])
{
	json_t *v = json_object_get(obj, names[0]);
	if ((!v || json_is_null(v)) && names[1])
		v = json_object_get(obj, names[1]);
	return v && !json_is_null(v) ? v : NULL;
}

/* Append a JSON string (NULs and controls as spaces: jansson allows them). */
static void add_string(buf_t *b, json_t *v)
{
	size_t start = b->len;
	buf_add(b, json_string_value(v), json_string_length(v));
	if (!b->oom)
		enc_clean_controls(b->p + start, b->len - start);
}

/* A string field into B; an array of strings joined with SEP; an object's
 * "name" (authors often come as {"name": ...}). Returns B's text or NULL. */
static const char *text_field(buf_t *b, json_t *v, const char *sep)
{
	buf_reset(b);
	if (json_is_string(v)) {
		add_string(b, v);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			json_t *s = json_is_object(e) ? json_object_get(e, "name") : e;
			if (!json_is_string(s) || json_string_length(s) == 0)
				continue;
			if (b->len)
				buf_adds(b, sep);
			add_string(b, s);
		}
	} else if (json_is_object(v) && json_is_string(json_object_get(v, "name"))) {
		add_string(b, json_object_get(v, "name"));
	}
	size_t k = b->len;
	while (k && (b->p[k - 1] == ' ' || b->p[k - 1] == '\n' || b->p[k - 1] == '\t'))
		k--;
	return k ? b->p : NULL;
}

/* Tags: an array of strings, or one string of comma-separated tags; either
 * way "a,b" (trimmed, empty ones dropped) as front matter gives them. */
static const char *tags_field(buf_t *b, json_t *v)
{
	buf_t raw = BUF_INIT;
	const char *t = text_field(&raw, v, ",");
	buf_reset(b);
	for (size_t i = 0; t && i < raw.len;) {
		const char *comma = memchr(raw.p + i, ',', raw.len - i);
		size_t end = comma ? (size_t)(comma - raw.p) : raw.len, a = i, z = end;
		while (a < z && (raw.p[a] == ' ' || raw.p[a] == '\t' || raw.p[a] == '\n'))
			a++;
		while (z > a && (raw.p[z - 1] == ' ' || raw.p[z - 1] == '\t' || raw.p[z - 1] == '\n'))
			z--;
		if (z > a) {
			if (b->len)
				buf_addc(b, ',');
			buf_add(b, raw.p + a, z - a);
		}
		i = end + 1;
	}
	if (raw.oom)
		b->oom = 1;
	buf_free(&raw);
	return b->len ? b->p : NULL;
}

/* An id: a string or an integer. */
static const char *id_field(buf_t *b, json_t *v)
{
	buf_reset(b);
	if (json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		add_string(b, v);
	return b->len ? b->p : NULL;
}

/* A date string date_parse() accepts, or seconds (milliseconds when huge)
 * since the epoch. */
static int date_field(json_t *v, char out[11])
{
	if (json_is_string(v))
		return date_parse(json_string_value(v), json_string_length(v), out);
	if (json_is_integer(v)) {
		long long t = json_integer_value(v);
		if (t > 100000000000LL)
			t /= 1000;
		if (t < 0 || t > 32503680000LL) /* before 1970 or after 2999 */
			return -1;
		date_from_time((time_t)t, out);
		return 0;
	}
	return -1;
}

/* Emit one object; LINE for messages, INDEX > 0 for array elements. */
static void one_object(jsonl_t *j, json_t *obj, unsigned line, unsigned index)
{
	if (!json_is_object(obj)) {
		warn(j, line, "not a JSON object");
		return;
	}
	const char *title = text_field(&j->b_title, lookup(obj, j->title), " ");
	const char *text = text_field(&j->b_text, lookup(obj, j->text), "\n\n");
	if (!title && !text) {
		warn(j, line, "no text or title");
		return;
	}
	const char *id = id_field(&j->b_id, lookup(obj, j->id));
	buf_reset(&j->b_sub);
	if (id)
		buf_adds(&j->b_sub, id);
	else if (index)
		buf_printf(&j->b_sub, "E%u", index);
	else
		buf_printf(&j->b_sub, "L%u", line);
	char date[11];
	json_t *dv = lookup(obj, j->date);
	int has_date = dv && date_field(dv, date) == 0;
	static const char *const tags_names[2] = { "tags", "keywords" };
	static const char *const lang_names[2] = { "lang", "language" };
	ldoc_t doc = {
		.format = "jsonl",
		.title = title,
		.author = text_field(&j->b_author, lookup(obj, j->author), ", "),
		.date = has_date ? date : NULL,
		.url = text_field(&j->b_url, lookup(obj, j->url), " "),
		.tags = tags_field(&j->b_tags, lookup(obj, tags_names)),
		.lang = text_field(&j->b_lang, lookup(obj, lang_names), " "),
		.id = id,
		.subkey = j->b_sub.p,
		.text = text ? text : "",
		.text_len = text ? j->b_text.len : 0,
		.line = line,
	};
	if (j->b_title.oom || j->b_text.oom || j->b_id.oom || j->b_sub.oom || j->b_author.oom ||
	    j->b_url.oom || j->b_tags.oom || j->b_lang.oom)
		return;
	j->docs++;
	if (j->emit(j->in->ctx, &doc) != 0)
		j->stopped = 1;
}

/* One line of the file: parse, check, emit. */
static void one_line(jsonl_t *j, const char *s, size_t n, unsigned line)
{
	if (!enc_valid_utf8(s, n)) {
		buf_reset(&j->line);
		if (enc_to_utf8(s, n, NULL, &j->line) != ENC_OK) {
			warn(j, line, j->line.oom ? "out of memory" : "binary data");
			return;
		}
		s = j->line.p, n = j->line.len;
	}
	json_error_t err;
	json_t *obj = json_loadb(s, n, JSON_ALLOW_NUL, &err);
	if (!obj) {
		char msg[sizeof err.text + 32];
		snprintf(msg, sizeof msg, "invalid JSON: %s", err.text);
		warn(j, line, msg);
		return;
	}
	one_object(j, obj, line, 0);
	json_decref(obj);
}

static int blank_span(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* A whole-file JSON value: an array of objects, or one object spread over
 * several lines. Returns 1 when it handled the file. */
static int whole_file(jsonl_t *j, const char *s, size_t n, size_t first_len)
{
	size_t i = 0;
	while (i < n && blank_span(s + i, 1))
		i++;
	if (i == n || (s[i] != '[' && s[i] != '{'))
		return 0;
	if (s[i] == '{') {
		/* JSON lines when the first line is a complete object */
		json_t *first = json_loadb(s, first_len, JSON_ALLOW_NUL, NULL);
		json_decref(first);
		if (first)
			return 0;
	}
	if (!enc_valid_utf8(s, n))
		return 0;
	json_error_t err;
	json_t *v = json_loadb(s, n, JSON_ALLOW_NUL, &err);
	if (!v)
		return s[i] == '['
			? (warn(j, (unsigned)(err.line > 0 ? err.line : 1), "invalid JSON array"), 1)
			: 0;
	if (json_is_array(v)) {
		size_t k;
		json_t *e;
		json_array_foreach(v, k, e) {
			if (j->stopped)
				break;
			one_object(j, e, 1, (unsigned)k + 1);
		}
	} else {
		one_object(j, v, 1, 0);
	}
	json_decref(v);
	return 1;
}

parse_result_t parse_jsonl(const parse_input_t *in, ldoc_emit_fn emit, const char **reason)
{
	const char *dummy;
	if (!reason)
		reason = &dummy;
	*reason = NULL;
	jsonl_t j = { .in = in, .emit = emit };
	buf_t *bufs[] = { &j.line, &j.b_id, &j.b_sub, &j.b_title, &j.b_text, &j.b_author,
			  &j.b_url, &j.b_tags, &j.b_lang };
	for (size_t b = 0; b < sizeof bufs / sizeof *bufs; b++)
		buf_init(bufs[b]);
	set_names(&j, in->jsonl_map);

	const char *s = in->data ? in->data : "";
	size_t len = in->data ? in->len : 0;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3, len -= 3;
	int any = !blank_span(s, len);
	const char *nl = memchr(s, '\n', len);
	if (any && !whole_file(&j, s, len, nl ? (size_t)(nl - s) : len)) {
		size_t pos = 0;
		for (unsigned line = 1; pos < len && !j.stopped; line++) {
			const char *p = s + pos;
			nl = memchr(p, '\n', len - pos);
			size_t n = nl ? (size_t)(nl - p) : len - pos;
			pos += n + 1;
			if (!blank_span(p, n))
				one_line(&j, p, n, line);
		}
	}
	int oom = 0;
	for (size_t b = 0; b < sizeof bufs / sizeof *bufs; b++) {
		oom |= bufs[b]->oom;
		buf_free(bufs[b]);
	}
	if (j.stopped) {
		*reason = "stopped";
		return PARSE_STOPPED;
	}
	if (oom) {
		*reason = "out of memory";
		return PARSE_NOMEM;
	}
	if (j.docs)
		return PARSE_OK;
	if (!any) {
		*reason = "empty";
		return PARSE_EMPTY;
	}
	*reason = "no JSON object with text or title";
	return PARSE_FAILED;
}
