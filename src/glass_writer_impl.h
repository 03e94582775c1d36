/* glass_writer_impl.h - what glass_writer.c (documents in: inversion) and
 * glass_writer_tables.c (tables out, at gw_finish) share. Internal. */
#ifndef LODE_GLASS_WRITER_IMPL_H
#define LODE_GLASS_WRITER_IMPL_H
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "glass_btree.h"
#include "glass_version.h"
#include "glass_writer.h"

/* Every table but docdata: Xapian's block size; compress_min as Xapian
 * records it for a new database (glass_version.cc), which Xapian's later
 * writes to the tables heed (glass_btree.c stores tags as given). */
#define GW_BLOCKSIZE 8192
#define GW_REV 1
#define GW_RAW_MIN 0xFFFFFFFFu

/* A term of the batch. */
typedef struct {
	uint64_t off;    /* its bytes in gw.chars */
	uint32_t len;
	uint32_t tf;     /* documents holding it */
	uint32_t cf;     /* sum of its wdf (Xapian's termcount: 32 bits, wraps as Xapian's) */
	uint32_t seq;    /* the document (gw.seq) it was last seen in */
	uint32_t dt;     /* its index in that document's gw.dt */
	uint32_t rank;   /* at gw_finish: its place in byte order */
} gw_term_t;

/* A slot of the term hash: 0 empty, else term index + 1. */
typedef struct {
	uint32_t hash, idx;
} gw_hslot_t;

/* A term of the document being added. */
typedef struct {
	uint32_t term, wdf, npos, off;
} gw_dterm_t;

/* A position of the document being added, for its term gw.dt[dt]. */
typedef struct {
	uint32_t dt, pos;
} gw_dpos_t;

/* A document's posting of a term, kept in document order: the encoded
 * positions follow each other in gw.posbytes in the same order. */
typedef struct {
	uint32_t term, wdf, plen, doc; /* doc: index in gw.docs */
} gw_post_t;

typedef struct {
	uint32_t docid, nterms, doclen, nvals;
	size_t pstart; /* its postings: gw.post[pstart, pstart + nterms) */
	size_t vstart; /* its values: gw.vals[vstart, vstart + nvals), slots ascending */
} gw_doc_t;

typedef struct {
	uint32_t slot, docid;
	uint32_t len;
	uint64_t off;  /* in gw.vbytes */
} gw_val_t;

typedef struct {
	uint64_t koff, toff; /* in gw.mbytes */
	uint32_t klen, tlen;
} gw_meta_t;

/* A growable array of N elements of some type, CAP allocated. */
#define GW_VEC(T) struct { T *v; size_t n, cap; }

struct gw {
	char *dir;
	int made_dir;       /* gw_new created DIR */
	int failed;         /* sticky: msg says why */
	int finished;
	char msg[512];

	/* the terms */
	GW_VEC(gw_term_t) terms;
	gw_hslot_t *hash;
	size_t hcap;        /* a power of two; at most half full */
	buf_t chars;

	/* the document being added */
	int in_doc;
	uint32_t docid, seq, last_docid;
	GW_VEC(gw_dterm_t) dt;
	GW_VEC(gw_dpos_t) dp;
	GW_VEC(uint32_t) dsorted; /* its positions grouped by term */
	buf_t data;

	/* the batch */
	GW_VEC(gw_post_t) post;
	GW_VEC(gw_doc_t) docs;
	buf_t posbytes;
	GW_VEC(gw_val_t) vals;
	buf_t vbytes;
	GW_VEC(gw_meta_t) meta;
	buf_t mbytes;
	gbt_t *docdata;     /* opened at the first document with data */
	glass_stats_t st;
};

/* P (of *CAP elements of SZ bytes) grown to hold at least NEED, *CAP
 * updated; when memory runs out, P as it was and *CAP unchanged. */
void *gw_grow(void *p, size_t *cap, size_t sz, size_t need);
/* Room in vector VEC for MORE elements: 0, -1 when out of memory. */
#define GW_RESERVE(vec, more)                                                        \
	((vec).n + (more) <= (vec).cap                                               \
		 ? 0                                                                 \
		 : ((vec).v = gw_grow((vec).v, &(vec).cap, sizeof *(vec).v, (vec).n + (more)), \
		    (vec).n + (more) <= (vec).cap ? 0 : -1))

/* Record why W failed (sticky when FATAL). Returns -1. */
int gw_fail(gw_t *w, int fatal, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* glass_writer_tables.c: write the tables and the version file. */
int gw_write_tables(gw_t *w);

#endif
