/* record.h - what lode stores as a Xapian document's data: the fields shown
 * in results and the extracted text snippets are cut from.
 *
 * Layout: a sequence of (key byte, varint length, bytes), the text ('x')
 * last. A record whose text is long enough is stored as one field 'Z': the
 * varint length of that plain record, then the plain record deflated (zlib)
 * - what is left is nothing Xapian's own deflate can shrink, so a search
 * reads it as it is, inflating the fields at its start and the text only
 * as far as its passages need. Records before 'Z' kept the fields plain and
 * the text alone deflated ('X'); they are still read. Unknown keys are
 * skipped, so later versions can add fields. */
#ifndef LODE_RECORD_H
#define LODE_RECORD_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

typedef struct {
	const char *path, *subkey, *id, *title, *author, *date, *url, *format, *lang, *tags;
	const char *text;      /* not NUL-terminated in a decoded record from raw data */
	size_t text_len;
	uint64_t hash;         /* content hash of the file */
	int64_t mtime;
	uint64_t size;
	unsigned line;         /* line of the document's start in its file */
	const char *marks;     /* restart marks of the text (record_marks_*), */
	size_t marks_len;      /* encoded; NULL in records made before them */
} record_t;

/* A restart mark: the token at byte OFF of the text, which white space
 * precedes (no word, URL or CJK run spans it), has index position POS. The
 * tokenizer started at OFF with first position POS gives the tokens the
 * indexer gave from there on, so a highlighter can scan only the parts of
 * a text where a query's terms have positions. */
typedef struct {
	size_t off;
	unsigned pos;
} record_mark_t;

/* Append mark M to the encoded marks in B; PREV (zeroed before the first)
 * is the mark before, updated. Marks go in increasing order. */
void record_marks_add(buf_t *b, record_mark_t *prev, record_mark_t m);
/* Decode R's marks into *OUT (malloc'd, *N of them; NULL and 0 when there
 * are none). Returns 0; -1 when out of memory or the marks are damaged
 * (not increasing, or past TEXT_LEN). */
int record_marks_decode(const record_t *r, size_t text_len, record_mark_t **out, size_t *n);

/* What record_encode_with reuses from one record to the next: a compressor
 * and scratch buffers. One per thread. */
typedef struct record_packer record_packer_t;
record_packer_t *record_packer_new(void);   /* NULL when out of memory */
void record_packer_free(record_packer_t *pk);

/* Encode R into OUT (appending), with PK. Returns 0, -1 when out of memory. */
int record_encode_with(record_packer_t *pk, const record_t *r, buf_t *out);
/* The same with a packer of its own. */
int record_encode(const record_t *r, buf_t *out);

/* Decode DATA into R. Strings point into STORE (a buffer the decoder fills
 * with NUL-terminated copies and the inflated text), valid while STORE lives
 * unchanged. Returns 0, -1 for a malformed record. */
int record_decode(const char *data, size_t len, record_t *r, buf_t *store);

/* A record's stored text, read on demand: the fields of a search hit are
 * wanted for every hit, the text (inflated, often megabytes) only for the
 * part snippets scan. Borrows the record's data: free before the data goes. */
struct z_stream_s;
typedef struct {
	const char *raw;          /* stored raw ('x'): the text itself */
	const unsigned char *z;   /* stored compressed ('Z', 'X'): the zlib stream */
	size_t zlen;
	size_t len;               /* the text's full length */
	struct z_stream_s *zs;    /* inflate state, once started */
	buf_t out;                /* what has been inflated so far */
	size_t base;              /* where the text starts in out (a 'Z' record
				   * inflates its fields first) */
	int failed;               /* the stream is damaged past out.len */
} record_text_t;

/* Decode DATA's fields into R as record_decode does, but not the text:
 * R->text is "" and R->text_len 0; TEXT (NULL when the text is not wanted)
 * is set up to read it with record_text_prefix. A compressed record of at
 * most RECORD_WHOLE_MAX bytes whose text is wanted is inflated whole at
 * once (it costs less than setting zlib up for its fields). Returns 0, -1
 * for a malformed record. TEXT needs record_text_free whatever the result. */
#define RECORD_WHOLE_MAX (16u << 10)
int record_decode_fields(const char *data, size_t len, record_t *r, buf_t *store,
			 record_text_t *text);
/* The first WANT bytes of T's text (all of it when it is shorter), inflating
 * no more than that - unless a third of the record or more is still to
 * inflate: then all of it at once, which costs less. *TEXT (not
 * NUL-terminated; owned by T or the record's data, valid until the next
 * call on T) and *AVAIL. Returns 0; -1 when out of memory or the stream is
 * damaged, with the text readable so far still in *TEXT, *AVAIL. */
int record_text_prefix(record_text_t *t, size_t want, const char **text, size_t *avail);
/* Frees what T holds; T may be zeroed or set up; the record's data is not
 * touched. */
void record_text_free(record_text_t *t);

/* 64-bit content hash (FNV-1a variant over 8-byte words; not cryptographic). */
uint64_t record_hash(const char *data, size_t len);
#endif
