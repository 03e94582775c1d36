/* glass_encode.h - the byte encodings of the tables of a Xapian 1.4 glass
 * database, as the bulk writer (glass_writer.c) produces them: integers,
 * keys, posting list and value stream chunks, termlist entries, position
 * lists. Pure functions over buffers; the B-tree itself is glass_btree.h's.
 *
 * Formats as Xapian 1.4.22 reads them (backends/glass, common/pack.h,
 * common/bitstream.cc); the comments at each function say which. */
#ifndef LODE_GLASS_ENCODE_H
#define LODE_GLASS_ENCODE_H
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Longest key a glass table takes, and the longest term Xapian indexes
 * (it refuses longer ones: MAX_SAFE_TERM_LENGTH). */
#define GE_MAX_KEY 255
#define GE_MAX_TERM 245
/* Bytes a ge_uint / ge_sortable_uint of a 64-bit value may take. */
#define GE_UINT_MAX 10
#define GE_SORTABLE_MAX 9
/* A posting list or value stream chunk is closed once its entries reach
 * this many bytes (Xapian's CHUNKSIZE and CHUNK_SIZE_THRESHOLD). */
#define GE_CHUNK_SIZE 2000

/* pack_uint: 7 bits a byte, low bits first, high bit set on all but the
 * last. Writes at most GE_UINT_MAX bytes at P; returns how many. */
static inline size_t ge_uint(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 128) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* pack_uint_preserving_sort: big-endian with the length in the leading
 * bits of the first byte, so byte order is numeric order (docids in keys).
 * At most GE_SORTABLE_MAX bytes; returns how many. */
size_t ge_sortable_uint(unsigned char *p, uint64_t v);

/* pack_uint_last: the bytes of V, low first, without a length (it ends the
 * key): 0 is no bytes. Value statistics keys. At most 8 bytes. */
size_t ge_uint_last(unsigned char *p, uint64_t v);

/* pack_string_preserving_sort of TERM: each NUL byte followed by 0xff, and
 * unless LAST a NUL after it, so that byte order of keys is byte order of
 * terms. Writes at most 2 * len + 1 bytes; returns how many. */
size_t ge_term(unsigned char *p, const char *term, size_t len, int last);
/* The length ge_term(..., last = 1) gives. */
size_t ge_term_len(const char *term, size_t len);

/* Appends; a failed allocation sets b->oom (sticky) and they do nothing. */
void ge_put_uint(buf_t *b, uint64_t v);
/* Decode what ge_uint wrote at *P (before END) into *V; *P moves past it.
 * 0, or -1 when it runs off the end or overflows 64 (ge_get_uint32: 32)
 * bits. For readers of glass tables (glass_read.c, glass_merge.c). */
int ge_get_uint(const unsigned char **p, const unsigned char *end, uint64_t *v);
int ge_get_uint32(const unsigned char **p, const unsigned char *end, uint32_t *v);
/* pack_string: the length as ge_uint, then the bytes. */
void ge_put_string(buf_t *b, const char *s, size_t len);

/* Keys. K must hold GE_MAX_KEY + GE_SORTABLE_MAX bytes; each returns the
 * length. A term's posting list: its first chunk under the escaped term,
 * the others under the escaped term, NUL, the chunk's first docid. */
size_t ge_postlist_key(unsigned char *k, const char *term, size_t len);
size_t ge_postlist_chunk_key(unsigned char *k, const char *term, size_t len, uint32_t first);
/* The document length list (the postlist table's "\0\xe0" entries); FIRST
 * 0: the first chunk. */
size_t ge_doclen_key(unsigned char *k, uint32_t first);
/* A term's positions in document DID (position table). */
size_t ge_position_key(unsigned char *k, const char *term, size_t len, uint32_t did);
/* Value statistics of SLOT; a chunk of its stream starting at FIRST. */
size_t ge_valuestats_key(unsigned char *k, uint32_t slot);
size_t ge_valuechunk_key(unsigned char *k, uint32_t slot, uint32_t first);
/* Docdata, termlist: the docid; the document's value slots: docid, NUL. */
size_t ge_docid_key(unsigned char *k, uint32_t did);
size_t ge_slots_key(unsigned char *k, uint32_t did);
/* User metadata: "\0\xc0" then KEY (at most GE_MAX_KEY - 2 bytes). */
size_t ge_metadata_key(unsigned char *k, const char *key, size_t len);

/* Where a list's entries go, in key order: KEY and TAG are lent for the
 * call only; non-zero fails the list (its rc sticks). */
typedef int (*ge_emit_fn)(void *ctx, const void *key, size_t klen, const void *tag, size_t tlen);

/* A posting list (or the document length list) written chunk by chunk.
 * Every chunk: '1' when it is the last, '0' when not; last docid - first;
 * the first entry's wdf; then per entry (docid gap - 1, wdf). The first
 * chunk has before that the termfreq, the collection frequency (both 0 for
 * the length list) and first docid - 1. A chunk ends once its entries
 * reach GE_CHUNK_SIZE bytes, as Xapian's writer ends them. */
typedef struct {
	ge_emit_fn emit;
	void *ctx;
	const char *term; /* NULL: the document length list */
	size_t term_len;
	uint64_t tf, cf;
	int first_chunk;   /* the chunk being filled is the list's first */
	uint32_t first, last;
	size_t n;          /* entries in the chunk being filled */
	buf_t tag;         /* GE_HEAD bytes kept for the header, then entries */
	int rc;            /* sticky: -1 once an emit failed or memory ran out */
} ge_postlist_t;

void ge_postlist_init(ge_postlist_t *pl, ge_emit_fn emit, void *ctx);
/* Start TERM's list (NULL: the length list) of TF entries summing to CF;
 * TERM stays readable until ge_postlist_end. */
void ge_postlist_begin(ge_postlist_t *pl, const char *term, size_t len, uint64_t tf, uint64_t cf);
/* Entries in increasing docid order. */
void ge_postlist_add(ge_postlist_t *pl, uint32_t did, uint64_t wdf);
/* Emit the last chunk. Returns pl->rc. */
int ge_postlist_end(ge_postlist_t *pl);
void ge_postlist_free(ge_postlist_t *pl);

/* A value slot's stream: chunks keyed by slot and first docid, each the
 * first value (ge_put_string), then per entry (docid gap - 1, value); a
 * chunk ends once it reaches GE_CHUNK_SIZE bytes. */
typedef struct {
	ge_emit_fn emit;
	void *ctx;
	uint32_t slot, first, last;
	buf_t tag;
	int rc;
} ge_values_t;

void ge_values_init(ge_values_t *vs, ge_emit_fn emit, void *ctx);
void ge_values_begin(ge_values_t *vs, uint32_t slot);
void ge_values_add(ge_values_t *vs, uint32_t did, const char *v, size_t len);
int ge_values_end(ge_values_t *vs);
void ge_values_free(ge_values_t *vs);

/* A value slot's statistics tag: the count, the lower bound as a string,
 * the upper bound as the rest (nothing when the two are equal). */
void ge_valuestats(buf_t *b, uint64_t freq, const char *lo, size_t lolen, const char *hi,
		   size_t hilen);

/* A document's termlist tag: its length and number of terms, then the
 * terms in byte order, each as bytes kept from the previous term, new
 * bytes, the wdf (the first two, or the kept count and the wdf, packed in
 * one byte when they fit). No terms: the tag is empty; call nothing. */
typedef struct {
	buf_t *b;
	const char *prev;
	size_t prev_len;
} ge_termlist_t;

void ge_termlist_begin(ge_termlist_t *tl, buf_t *b, uint64_t doclen, uint64_t nterms);
/* TERM (1 to GE_MAX_TERM bytes), which stays readable until the next call. */
void ge_termlist_add(ge_termlist_t *tl, const char *term, size_t len, uint64_t wdf);

/* A document's value slots (the termlist table's second entry): each slot
 * as the gap from the previous one less one, the first as it is. */
void ge_slots(buf_t *b, const uint32_t *slots, size_t n);

/* The position list tag of POS[0..n), n >= 1, strictly increasing: the
 * last position (ge_uint), then, when n > 1, a bit stream (low bit first)
 * of the first position out of the last, n - 2 out of last - first, and
 * the others in interpolative code. */
void ge_positions(buf_t *b, const uint32_t *pos, size_t n);

#endif
