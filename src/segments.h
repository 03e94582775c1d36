/* segments.h - the layout of an index directory: one Xapian database, or
 * several segments written in parallel.
 *
 * A segmented index is a directory INDEX holding the segments s0, s1 ...
 * (each a Xapian glass database) and a Xapian stub file INDEX/XAPIANDB that
 * lists them, so Xapian itself - lode search, xapian-delve, quest,
 * xapian-tcpsrv - opens INDEX as one database. A file's documents and its
 * "f:" record live in one segment, so a segment's commit is atomic for every
 * file in it: the segment its path hashes to (segments_route), or, for a
 * file that several writers added, the one of the writer that took it
 * (pipeline.c); an update finds it by its "f:" record. Segment 0 also holds the
 * roots; every segment holds the settings (Xapian reads metadata from the
 * first database of a stub, lode reads them from segment 0). */
#ifndef LODE_SEGMENTS_H
#define LODE_SEGMENTS_H
#include <stddef.h>

#define SEGMENTS_MAX 64

typedef struct {
	unsigned n;                   /* 1: a plain database at the index path */
	char *path[SEGMENTS_MAX];     /* each segment's directory (malloc'd) */
} segments_t;

/* Read INDEX's layout: its stub's segments, else INDEX itself (an existing
 * plain database, or where a new one is to be created). Returns 0, -1 when
 * out of memory or the stub cannot be read (*why: a static reason). */
int segments_read(const char *index, segments_t *out, const char **why);

/* 1 when INDEX holds a committed database (plain or a stub). */
int segments_exists(const char *index);

/* Create a new index of N (1..SEGMENTS_MAX) empty segments at INDEX, which
 * must not exist or be an empty directory. Everything is built in a
 * temporary directory beside INDEX and renamed into place, so INDEX is
 * either absent or complete. INIT (may be NULL) is called with each new
 * segment's path to fill it (settings) before the rename; it returns 0 or a
 * status that is handed back. Returns 0; -1 with errno set (EEXIST when
 * INDEX appeared meanwhile: open it instead); or INIT's status. */
int segments_create(const char *index, unsigned n,
		    int (*init)(void *ctx, const char *segment, unsigned k), void *ctx);

/* A new hidden directory beside TARGET for something that will take its
 * place (malloc'd path), or NULL with errno. */
char *segments_mktemp(const char *target);

/* Exchange the directories (or files) TARGET and OTHER, atomically where
 * the kernel can: a reader opening TARGET meanwhile finds one or the other.
 * On success OTHER holds the old TARGET, or is gone. 0, or -1 with errno. */
int segments_swap(const char *target, const char *other);

/* rm -rf PATH. */
void segments_rmtree(const char *path);

/* Remove what creations of INDEX killed midway left beside it (hidden
 * directories of processes that are gone). */
void segments_clear_stale(const char *index);

/* The segment (0..n-1) of a file's PATH. */
unsigned segments_route(const segments_t *s, const char *path);

/* fsync every file of every segment, the segments' directories and the
 * index's: what was committed without syncing is on disk. 0, or -1 with errno. */
int segments_sync(const segments_t *s);

void segments_free(segments_t *s);
#endif
