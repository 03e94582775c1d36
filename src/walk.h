/* walk.h - find the files under the paths given to `lode index`.
 * Directories are walked recursively in name order; hidden entries skipped
 * unless asked; symbolic links followed, each directory visited once (so
 * loops end); exclude globs matched against names and whole paths. */
#ifndef LODE_WALK_H
#define LODE_WALK_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
	char *path;
	int64_t mtime;   /* nanoseconds since the epoch */
	uint64_t size;
} walk_file_t;

typedef struct {
	const char *const *excludes;
	size_t n_excludes;
	int include_hidden;
	/* shards > 1: keep only the files whose path relative to the root given
	 * to walk_path (a root that is a file: its name) hashes to shard
	 * (0-based) of shards; the others are left out silently, problems
	 * with them too, so that each shard of a tree reports its own. */
	unsigned shard, shards;
	/* threads that may stat files at once (0 or 1: the caller's alone); a
	 * large tree's files are stat-ed by that many, as the processors allow */
	unsigned threads;
	/* A path that could not be walked or is not a file lode reads: reason
	 * is a short message. skipped: 1 for a stated skip (loop, special file),
	 * 0 for a failure (unreadable). */
	void (*on_problem)(void *ctx, const char *path, const char *reason, int skipped);
	void *ctx;
} walk_opts_t;

typedef struct {
	walk_file_t *files;
	size_t n, cap;
	char **bad_dirs;    /* directories that could not be read: keep what they had */
	size_t n_bad, cap_bad;
} walk_list_t;

/* Walk PATH (a file or a directory), appending to OUT. Returns 0, -1 when
 * out of memory. A missing PATH is reported through on_problem. */
int walk_path(const char *path, const walk_opts_t *o, walk_list_t *out);
void walk_list_free(walk_list_t *l);
/* The shard (0-based, of SHARDS >= 1) of a file whose path relative to its
 * root is REL: FNV-1a (64-bit) of the bytes, modulo SHARDS. Stable across
 * machines and versions: shards built apart must agree on it. */
unsigned walk_shard_of(const char *rel, size_t len, unsigned shards);
/* 1 when PATH is DIR or inside it. */
int walk_under(const char *path, const char *dir);
#endif
