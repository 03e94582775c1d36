/* record.c - encode/decode a document's stored data; see record.h. */
#include "record.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <zlib.h>

/* Texts shorter than this are stored raw: compression would not pay. */
#define COMPRESS_MIN 512

/* LEB128: 7 bits a byte, low first; returns the byte count (1..10). */
static size_t varint_encode(char out[10], uint64_t v)
{
	size_t n = 0;
	do {
		unsigned char c = v & 0x7F;
		v >>= 7;
		if (v)
			c |= 0x80;
		out[n++] = (char)c;
	} while (v);
	return n;
}

static void put_varint(buf_t *b, uint64_t v)
{
	char tmp[10];
	buf_add(b, tmp, varint_encode(tmp, v));
}

static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t r = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return -1;
		unsigned c = *(*p)++;
		r |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

static void put_field(buf_t *b, char key, const char *s, size_t n)
{
	if (!s)
		return;
	buf_addc(b, key);
	put_varint(b, n);
	buf_add(b, s, n);
}

static void put_str(buf_t *b, char key, const char *s)
{
	if (s && *s)
		put_field(b, key, s, strlen(s));
}

/* A number field: key, length of the varint, the varint. */
static void put_num(buf_t *b, char key, uint64_t v)
{
	char tmp[10];
	put_field(b, key, tmp, varint_encode(tmp, v));
}

/* The record laid out plainly: fields, marks, then the text raw ('x'). */
static void encode_plain(const record_t *r, buf_t *out)
{
	put_str(out, 'p', r->path);
	put_str(out, 's', r->subkey);
	put_str(out, 'i', r->id);
	put_str(out, 't', r->title);
	put_str(out, 'a', r->author);
	put_str(out, 'd', r->date);
	put_str(out, 'u', r->url);
	put_str(out, 'f', r->format);
	put_str(out, 'g', r->lang);
	put_str(out, 'k', r->tags);
	put_num(out, 'h', r->hash);
	put_num(out, 'm', (uint64_t)r->mtime);
	put_num(out, 'z', r->size);
	put_num(out, 'l', r->line);
	if (r->marks_len)
		put_field(out, 'K', r->marks, r->marks_len);
	put_field(out, 'x', r->text ? r->text : "", r->text_len);
}

struct record_packer {
	struct libdeflate_compressor *c;
	buf_t plain, z;                 /* scratch, kept between records */
};

record_packer_t *record_packer_new(void)
{
	record_packer_t *pk = calloc(1, sizeof *pk);
	if (pk && !(pk->c = libdeflate_alloc_compressor(1))) {
		free(pk);
		pk = NULL;
	}
	return pk;
}

void record_packer_free(record_packer_t *pk)
{
	if (!pk)
		return;
	libdeflate_free_compressor(pk->c);
	buf_free(&pk->plain);
	buf_free(&pk->z);
	free(pk);
}

int record_encode_with(record_packer_t *pk, const record_t *r, buf_t *out)
{
	if (r->text_len < COMPRESS_MIN || r->text_len >= (1u << 31)) {
		encode_plain(r, out);
		return out->oom ? -1 : 0;
	}
	/* 'Z': the whole plain record deflated, the text last in it: what is
	 * left is nothing Xapian's own deflate can shrink, so its compactor
	 * stores it as it is and a search reads it without inflating it all;
	 * the fields come out of the first bytes of the stream. libdeflate
	 * writes the zlib stream zlib inflates, 2.5 times as fast as zlib's
	 * own level 1 and 6% smaller (the bench input). */
	buf_reset(&pk->plain);
	buf_reset(&pk->z);
	encode_plain(r, &pk->plain);
	size_t bound = pk->plain.oom ? 0 : libdeflate_zlib_compress_bound(pk->c, pk->plain.len);
	if (pk->plain.oom || buf_reserve(&pk->z, bound))
		return -1;
	size_t zn = libdeflate_zlib_compress(pk->c, pk->plain.p, pk->plain.len, pk->z.p, bound);
	if (zn && zn + 16 < pk->plain.len) {
		char hdr[10];
		size_t hn = varint_encode(hdr, pk->plain.len);
		buf_addc(out, 'Z');
		put_varint(out, hn + zn);
		buf_add(out, hdr, hn);
		buf_add(out, pk->z.p, zn);
	} else {
		buf_add(out, pk->plain.p, pk->plain.len);
	}
	return out->oom ? -1 : 0;
}

int record_encode(const record_t *r, buf_t *out)
{
	record_packer_t *pk = record_packer_new();
	int rc = pk ? record_encode_with(pk, r, out) : -1;
	record_packer_free(pk);
	return rc;
}

static uint64_t num_of(const unsigned char *s, size_t n)
{
	uint64_t v = 0;
	const unsigned char *p = s;
	if (get_varint(&p, s + n, &v))
		return 0;
	return v;
}

/* The header of an 'X' field of N bytes at P: the raw length in *RAW, the
 * zlib stream after it at *Z. Returns 0, -1 when it cannot be right. */
static int x_header(const unsigned char *p, uint64_t n, uint64_t *raw, const unsigned char **z)
{
	const unsigned char *q = p;
	/* deflate packs at most 1032 bytes into one: a larger claimed length
	 * is corrupt, and must not size a buffer (4 GiB) */
	if (get_varint(&q, p + n, raw) || *raw > (1u << 31) ||
	    *raw > (uint64_t)(p + n - q) * 1032 + 64)
		return -1;
	*z = q;
	return 0;
}

/* Decode DATA into R; the text inflated into STORE when LAZY is NULL, else
 * left where it is and described in *LAZY. */
static int decode(const char *data, size_t len, record_t *r, buf_t *store, record_text_t *lazy)
{
	memset(r, 0, sizeof *r);
	buf_reset(store);
	/* First pass: size the store so pointers into it stay valid. */
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	size_t need = 0;
	while (p < end) {
		unsigned char key = *p++;
		uint64_t n, raw;
		const unsigned char *z;
		if (get_varint(&p, end, &n) || n > (uint64_t)(end - p))
			return -1;
		if (key == 'X') {
			if (x_header(p, n, &raw, &z))
				return -1;
			if (!lazy)
				need += raw + 1;
		} else if (key != 'x' || !lazy) {
			need += n + 1;
		}
		p += n;
	}
	if (buf_reserve(store, need))
		return -1;
	p = (const unsigned char *)data;
	while (p < end) {
		unsigned char key = *p++;
		uint64_t n = 0;
		get_varint(&p, end, &n); /* validated by the first pass */
		const char *s = store->p + store->len;
		switch (key) {
		case 'h': r->hash = num_of(p, n); break;
		case 'm': r->mtime = (int64_t)num_of(p, n); break;
		case 'z': r->size = num_of(p, n); break;
		case 'l': r->line = (unsigned)num_of(p, n); break;
		case 'X': {
			uint64_t raw = 0;
			const unsigned char *z = NULL;
			x_header(p, n, &raw, &z);
			if (lazy) {
				lazy->raw = NULL;
				lazy->z = z;
				lazy->zlen = (size_t)(p + n - z);
				lazy->len = (size_t)raw;
				break;
			}
			uLongf got = (uLongf)raw;
			if (uncompress((Bytef *)store->p + store->len, &got, z, (uLong)(p + n - z)) != Z_OK ||
			    got != raw)
				return -1;
			store->len += raw;
			store->p[store->len++] = '\0';
			r->text = s;
			r->text_len = raw;
			break;
		}
		case 'x':
			if (lazy) {
				lazy->raw = (const char *)p;
				lazy->z = NULL;
				lazy->len = n;
				break;
			}
			/* fall through */
		default:
			memcpy(store->p + store->len, p, n);
			store->len += n;
			store->p[store->len++] = '\0';
			switch (key) {
			case 'p': r->path = s; break;
			case 's': r->subkey = s; break;
			case 'i': r->id = s; break;
			case 't': r->title = s; break;
			case 'a': r->author = s; break;
			case 'd': r->date = s; break;
			case 'u': r->url = s; break;
			case 'f': r->format = s; break;
			case 'g': r->lang = s; break;
			case 'k': r->tags = s; break;
			case 'x': r->text = s; r->text_len = n; break;
			case 'K': r->marks = s; r->marks_len = n; break;
			default: break; /* unknown key: a later version's field */
			}
		}
		p += n;
	}
	if (!r->text)
		r->text = "";
	return 0;
}

/* Marks are stored as varint pairs: the byte and position distances from
 * the mark before (the first from 0, 0). */
void record_marks_add(buf_t *b, record_mark_t *prev, record_mark_t m)
{
	put_varint(b, m.off - prev->off);
	put_varint(b, m.pos - prev->pos);
	*prev = m;
}

int record_marks_decode(const record_t *r, size_t text_len, record_mark_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!r->marks || !r->marks_len)
		return 0;
	/* each mark takes two bytes at least */
	record_mark_t *v = malloc((r->marks_len / 2 + 1) * sizeof *v);
	if (!v)
		return -1;
	const unsigned char *p = (const unsigned char *)r->marks, *end = p + r->marks_len;
	uint64_t off = 0, pos = 0;
	size_t k = 0;
	while (p < end) {
		uint64_t doff, dpos;
		if (get_varint(&p, end, &doff) || get_varint(&p, end, &dpos) ||
		    doff > text_len - off || dpos > UINT_MAX - pos || (k && !doff)) {
			free(v);
			return -1;
		}
		off += doff;
		pos += dpos;
		v[k++] = (record_mark_t){ (size_t)off, (unsigned)pos };
	}
	*out = v;
	*n = k;
	return 0;
}

/* A record that is one 'Z' field: the plain record's length in *RAW, its
 * zlib stream at *Z (*ZLEN bytes). Returns 1; 0 for a record laid out
 * plainly; -1 for a 'Z' field that cannot be right. */
static int z_record(const char *data, size_t len, uint64_t *raw, const unsigned char **z,
		    size_t *zlen)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	uint64_t n;
	if (!len || *p++ != 'Z')
		return 0;
	if (get_varint(&p, end, &n) || n != (uint64_t)(end - p) || x_header(p, n, raw, z))
		return -1;
	*zlen = (size_t)(end - *z);
	return 1;
}

static int inflate_to(record_text_t *t, size_t want);

int record_decode(const char *data, size_t len, record_t *r, buf_t *store)
{
	uint64_t raw;
	const unsigned char *z;
	size_t zlen;
	int zr = z_record(data, len, &raw, &z, &zlen);
	if (zr <= 0)
		return zr ? -1 : decode(data, len, r, store, NULL);
	/* inflated whole, checksum and all */
	uLongf got = (uLongf)raw;
	char *plain = malloc(raw ? raw : 1);
	int rc = -1;
	if (plain && uncompress((Bytef *)plain, &got, z, (uLong)zlen) == Z_OK && got == raw &&
	    (!raw || plain[0] != 'Z'))
		rc = decode(plain, raw, r, store, NULL);
	free(plain);
	return rc;
}

/* The zlib header Z[0, 2) of a stream of ZLEN bytes: deflate, no preset
 * dictionary; the deflate data after it is inflated raw. */
static int zlib_header_ok(const unsigned char *z, size_t zlen)
{
	return zlen <= UINT_MAX && zlen >= 2 && (z[0] & 0x0F) == 8 && !(z[1] & 0x20) &&
	       ((unsigned)z[0] << 8 | z[1]) % 31 == 0;
}

/* T's whole stream inflated at once by libdeflate, which runs three times
 * as fast as zlib's inflate (1150 against 380 MB/s, a 760 kB page): what
 * zlib has inflated so far is inflated again. */
static int inflate_all(record_text_t *t, size_t raw)
{
	size_t got = 0;
	if (!zlib_header_ok(t->z, t->zlen))
		return -1;
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	if (!d || buf_reserve(&t->out, raw - t->out.len)) {
		libdeflate_free_decompressor(d);
		return -1;
	}
	/* past the zlib header, raw deflate; the Adler-32 after it is left to
	 * record_decode, as in inflate_to */
	enum libdeflate_result r = libdeflate_deflate_decompress_ex(
		d, t->z + 2, t->zlen - 2, t->out.p, raw, NULL, &got);
	libdeflate_free_decompressor(d);
	if (r != LIBDEFLATE_SUCCESS || got != raw)
		return -1;
	t->out.len = raw;
	t->out.p[raw] = '\0';
	if (t->zs) {
		inflateEnd(t->zs);
		free(t->zs);
		t->zs = NULL;
	}
	return 0;
}

/* The fields of a 'Z' record: its stream is inflated up to the text field
 * ('x', last) only; the fields are decoded from there into STORE, and T is
 * left to inflate the text on demand. */
static int decode_z_fields(const unsigned char *z, size_t zlen, uint64_t raw, record_t *r,
			   buf_t *store, record_text_t *t, int want_text)
{
	t->z = z;
	t->zlen = zlen;
	/* a short record whose text is wanted is inflated whole at once:
	 * less than zlib costs to set up for the fields (a 32 kB window, its
	 * tables) before the text is inflated anyway */
	if (want_text && raw <= RECORD_WHOLE_MAX)
		inflate_all(t, (size_t)raw); /* on failure zlib says where */
	size_t at = 0;
	for (;;) {
		if (at == raw) { /* no text field */
			t->base = at;
			t->len = 0;
			break;
		}
		/* a key and its length: 11 bytes at most */
		size_t need = raw - at < 11 ? (size_t)raw : at + 11;
		if (t->out.len < need && inflate_to(t, need))
			return -1;
		const unsigned char *p = (const unsigned char *)t->out.p + at + 1;
		const unsigned char *end = (const unsigned char *)t->out.p + need;
		uint64_t n;
		unsigned char key = (unsigned char)t->out.p[at];
		if (key == 'Z' || get_varint(&p, end, &n))
			return -1;
		size_t body = (size_t)(p - (const unsigned char *)t->out.p);
		if (n > raw - body)
			return -1;
		if (key == 'x') {
			if (body + n != raw) /* the text is last */
				return -1;
			t->base = body;
			t->len = (size_t)n;
			break; /* the fields end at AT */
		}
		if (t->out.len < body + n && inflate_to(t, body + n))
			return -1;
		at = body + (size_t)n;
	}
	/* the fields before the text (only they are inflated yet) */
	return decode(t->out.p ? t->out.p : "", at, r, store, NULL);
}

int record_decode_fields(const char *data, size_t len, record_t *r, buf_t *store,
			 record_text_t *text)
{
	record_text_t unused;
	if (!text)
		text = &unused;
	memset(text, 0, sizeof *text);
	uint64_t raw;
	const unsigned char *z;
	size_t zlen;
	int zr = z_record(data, len, &raw, &z, &zlen);
	int rc = zr < 0 ? -1
		 : zr ? decode_z_fields(z, zlen, raw, r, store, text, text != &unused)
		      : decode(data, len, r, store, text);
	if (rc == 0) {
		if (text == &unused)
			record_text_free(text);
		return 0;
	}
	record_text_free(text);
	return -1;
}

/* Inflate T's stream until T->out holds WANT bytes (WANT <= T->len). The
 * deflate data inside the zlib stream is inflated raw: the Adler-32 of the
 * output, a tenth of the cost, is checked by record_decode (lode check),
 * not for each search hit. */
static int inflate_to(record_text_t *t, size_t want)
{
	if (!t->zs) {
		const unsigned char *z = t->z;
		if (!zlib_header_ok(z, t->zlen))
			return -1;
		if (!(t->zs = calloc(1, sizeof *t->zs)))
			return -1;
		if (inflateInit2(t->zs, -MAX_WBITS) != Z_OK) {
			free(t->zs);
			t->zs = NULL;
			return -1;
		}
		t->zs->next_in = (Bytef *)z + 2;
		t->zs->avail_in = (uInt)(t->zlen - 2);
	}
	if (buf_reserve(&t->out, want - t->out.len))
		return -1;
	t->zs->next_out = (Bytef *)t->out.p + t->out.len;
	t->zs->avail_out = (uInt)(want - t->out.len);
	/* one call: all of the input is there, the output stops at WANT */
	int zr = inflate(t->zs, Z_SYNC_FLUSH);
	t->out.len = (size_t)((char *)t->zs->next_out - t->out.p);
	t->out.p[t->out.len] = '\0';
	if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
		return -1;
	/* short: the stream ended before the length it claims, or is cut off */
	return t->out.len < want ? -1 : 0;
}

int record_text_prefix(record_text_t *t, size_t want, const char **text, size_t *avail)
{
	if (want > t->len)
		want = t->len;
	if (!t->z) {
		*text = t->raw ? t->raw : "";
		*avail = t->raw ? want : 0;
		return 0;
	}
	int rc = 0;
	size_t to = t->base + want;
	/* a third of the record or more still to inflate: all of it at once
	 * costs less (a damaged stream is left to zlib, which keeps its start) */
	if (t->out.len < to && !t->failed && 3 * (to - t->out.len) >= t->base + t->len &&
	    inflate_all(t, t->base + t->len) == 0)
		to = t->out.len;
	if (t->out.len < to) {
		if (t->failed || inflate_to(t, to)) {
			t->failed = 1;
			rc = -1;
		}
	}
	size_t have = t->out.len > t->base ? t->out.len - t->base : 0;
	*text = t->out.p ? t->out.p + (have ? t->base : 0) : "";
	*avail = have < want ? have : want;
	return rc;
}

void record_text_free(record_text_t *t)
{
	if (!t)
		return;
	if (t->zs) {
		inflateEnd(t->zs);
		free(t->zs);
	}
	buf_free(&t->out);
	memset(t, 0, sizeof *t);
}

uint64_t record_hash(const char *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const uint64_t prime = 0x100000001b3ULL;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, data + i, 8);
		h ^= w;
		h *= prime;
		h ^= h >> 29;
	}
	for (; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= prime;
	}
	h ^= len;
	h *= prime;
	return h ^ (h >> 32);
}
