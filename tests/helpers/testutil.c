/* testutil.c - see testutil.h. */
#include "testutil.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s/lode-test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(buf))
		return NULL;
	return strdup(buf);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	chmod(p, 0700);
	return remove(p) ? 0 : 0;
}

void tu_rmtree(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

char *tu_write(const char *dir, const char *name, const char *data, size_t len)
{
	char *p = tu_path(dir, name);
	if (!p)
		return NULL;
	for (char *s = p + strlen(dir) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	}
	FILE *f = fopen(p, "wb");
	if (!f) {
		free(p);
		return NULL;
	}
	if (len && fwrite(data, 1, len, f) != len) {
		fclose(f);
		free(p);
		return NULL;
	}
	fclose(f);
	return p;
}

const char *tu_shared_dir(void)
{
	static char buf[PATH_MAX];
	const char *env = getenv("LODE_SHARED");
	const char *cands[] = { env, "../shared", "../../shared", NULL };
	for (size_t i = 0; i < sizeof cands / sizeof *cands; i++) {
		if (!cands[i])
			continue;
		char tmp[PATH_MAX];
		snprintf(tmp, sizeof tmp, "%s/ir", cands[i]);
		struct stat st;
		if (stat(tmp, &st) == 0 && S_ISDIR(st.st_mode) && realpath(cands[i], buf))
			return buf;
	}
	return NULL;
}
