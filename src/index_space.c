/* index_space.c - room on the index's file system. libxapian 1.4 copes
 * with running out of room while it adds documents, but not always while it
 * commits them: a failed write while it flushes a batch's positions can end
 * in std::terminate, which no wrapper can catch. So the writer commits a
 * batch only when the file system has room for what the commit may write,
 * and otherwise drops the batch and stops the run with ENOSPC's message;
 * the index stays at its last commit. The estimate is high on purpose: a
 * glass commit writes every block it changes to a new place (copy on
 * write), and an uncompacted index takes about twice the text it holds. */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "index_space.h"

#define SPACE_FLOOR   (512u << 10)  /* the version file, changesets, slack */
#define SPACE_PER_DOC 2048u         /* record, terms list, doc length, "f:" key */
#define SPACE_PER_BYTE 3u           /* postings, positions, the stored text */

uint64_t space_commit_need(unsigned docs, uint64_t bytes)
{
	return SPACE_FLOOR + (uint64_t)docs * SPACE_PER_DOC + bytes * SPACE_PER_BYTE;
}

int space_avail(const char *dir, uint64_t *avail)
{
	struct statvfs sv;
	if (statvfs(dir, &sv) != 0 || sv.f_frsize == 0)
		return -1;
	*avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	return 0;
}

uint64_t space_dir_bytes(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	uint64_t total = 0;
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d))) {
		struct stat st;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
			continue;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			total += (uint64_t)st.st_blocks * 512;
	}
	closedir(d);
	return total;
}
