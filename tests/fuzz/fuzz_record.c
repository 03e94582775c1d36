/* fuzz_record.c - record_decode() on arbitrary bytes (a corrupt or hostile
 * index must not crash a search), then a round trip: fields cut from the input
 * at NUL bytes are encoded and must decode to the same values. */
#include "fuzz_common.h"
#include "record.h"

#define NSTR 10

static void touch_record(const record_t *r)
{
	const char *f[NSTR] = { r->path, r->subkey, r->id, r->title, r->author,
				r->date, r->url, r->format, r->lang, r->tags };
	for (int i = 0; i < NSTR; i++)
		fz_touch(f[i]);
	FZ_CHECK(r->text != NULL, "decoded record without text");
	fz_touch_n(r->text, r->text_len);
	fz_sink += (size_t)(r->hash + r->size + (uint64_t)r->mtime + r->line);
	/* restart marks: damaged ones are refused, never past the text */
	record_mark_t *m = NULL;
	size_t n = 0;
	if (record_marks_decode(r, r->text_len, &m, &n) == 0)
		for (size_t i = 0; i < n; i++)
			FZ_CHECK(m[i].off <= r->text_len && (!i || m[i].off > m[i - 1].off),
				 "a decoded mark past the text or out of order");
	free(m);
}

static void same_str(const char *want, const char *got, const char *name)
{
	if (!want || !*want)
		FZ_CHECK(got == NULL, name);
	else
		FZ_CHECK(got != NULL && strcmp(want, got) == 0, name);
}

static void lazy(const char *data, size_t size);

static void round_trip(const uint8_t *data, size_t size)
{
	/* NSTR NUL-terminated fields, then the text (which may hold NULs) */
	char *copy = fz_strndup(data, size);
	const char *f[NSTR];
	size_t at = 0;
	for (int i = 0; i < NSTR; i++) {
		f[i] = copy + at;
		at += strlen(copy + at);
		if (at < size)
			at++;
	}
	record_t in = { f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9],
			copy + at, size - at, record_hash((const char *)data, size),
			0, size, (unsigned)(size * 2654435761u), NULL, 0 };
	if (size >= 8)
		memcpy(&in.mtime, data, 8);

	buf_t enc = BUF_INIT, store = BUF_INIT;
	FZ_CHECK(record_encode(&in, &enc) == 0, "record_encode failed");
	lazy(enc.p, enc.len);
	record_t out;
	FZ_CHECK(record_decode(enc.p, enc.len, &out, &store) == 0, "own encoding does not decode");
	touch_record(&out);
	same_str(in.path, out.path, "path differs after the round trip");
	same_str(in.subkey, out.subkey, "subkey differs after the round trip");
	same_str(in.id, out.id, "id differs after the round trip");
	same_str(in.title, out.title, "title differs after the round trip");
	same_str(in.author, out.author, "author differs after the round trip");
	same_str(in.date, out.date, "date differs after the round trip");
	same_str(in.url, out.url, "url differs after the round trip");
	same_str(in.format, out.format, "format differs after the round trip");
	same_str(in.lang, out.lang, "lang differs after the round trip");
	same_str(in.tags, out.tags, "tags differ after the round trip");
	FZ_CHECK(out.text_len == in.text_len &&
			 (in.text_len == 0 || memcmp(out.text, in.text, in.text_len) == 0),
		 "text differs after the round trip");
	FZ_CHECK(out.hash == in.hash && out.mtime == in.mtime && out.size == in.size &&
			 out.line == in.line,
		 "numbers differ after the round trip");
	buf_free(&enc);
	buf_free(&store);
	free(copy);
}

/* The lazy decoder on DATA: whatever it reads of the text agrees with the
 * full decoder's when that one accepts DATA. */
static void lazy(const char *data, size_t size)
{
	buf_t full = BUF_INIT, store = BUF_INIT;
	record_t a, b;
	int fa = record_decode(data, size, &a, &full);
	record_text_t t;
	if (record_decode_fields(data, size, &b, &store, &t) == 0) {
		touch_record(&b);
		const char *p;
		size_t avail;
		static const size_t wants[] = { 1, 100, 5000, (size_t)-1 };
		for (size_t i = 0; i < sizeof wants / sizeof *wants; i++) {
			int rc = record_text_prefix(&t, wants[i], &p, &avail);
			FZ_CHECK(avail <= t.len, "more text than the record holds");
			if (fa == 0) {
				FZ_CHECK(a.path == b.path || (a.path && b.path && !strcmp(a.path, b.path)),
					 "lazy and full decoders disagree on the path");
				FZ_CHECK(rc == 0 && t.len == a.text_len &&
						 (avail == 0 || memcmp(p, a.text, avail) == 0),
					 "lazy and full decoders disagree on the text");
			}
		}
	}
	record_text_free(&t);
	buf_free(&full);
	buf_free(&store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	buf_t store = BUF_INIT;
	record_t r;
	if (record_decode((const char *)data, size, &r, &store) == 0)
		touch_record(&r);
	buf_free(&store);
	lazy((const char *)data, size);
	round_trip(data, size);
	return 0;
}
