/* html_module.c - find and load lode-html.so on first use; see html_module.h. */
#include "html_module.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"

#ifndef LODE_LIBDIR
#define LODE_LIBDIR "/usr/local/lib"
#endif

/* Linked in by programs that carry the module's objects themselves. */
extern const html_module_t lode_html_module __attribute__((weak));

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const html_module_t *loaded;
static char why_buf[PATH_MAX + 200];

/* Try DIR/lode-html.so; 0 when loaded (or when it is there but unusable:
 * the reason is kept and the search stops, a stale module must not hide). */
static int try_dir(const char *dir, size_t dlen)
{
	char path[PATH_MAX];
	if (dlen + sizeof HTML_MODULE_FILE + 1 > sizeof path)
		return -1;
	memcpy(path, dir, dlen);
	path[dlen] = '/';
	memcpy(path + dlen + 1, HTML_MODULE_FILE, sizeof HTML_MODULE_FILE);
	if (access(path, F_OK))
		return -1;
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why_buf, sizeof why_buf, "cannot load %s: %s", path, dlerror());
		return 0;
	}
	const html_module_t *m = dlsym(h, HTML_MODULE_SYMBOL);
	if (!m || strcmp(m->version, LODE_VERSION_STRING) || m->doc_size != sizeof(html_doc_t)) {
		snprintf(why_buf, sizeof why_buf, "%s is not the module of lode %s", path,
			 LODE_VERSION_STRING);
		dlclose(h);
		return 0;
	}
	loaded = m;
	return 0;
}

/* The directory part of PATH, resolved; 0 when there is none. */
static size_t dir_of(const char *path, char out[PATH_MAX])
{
	if (!path || !*path || !realpath(path, out))
		return 0;
	char *slash = strrchr(out, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	return (size_t)(slash - out);
}

static void load(void)
{
	if (&lode_html_module) {
		loaded = &lode_html_module;
		return;
	}
	snprintf(why_buf, sizeof why_buf,
		 "cannot find %s (set LODE_MODULE_DIR to the directory that holds it)",
		 HTML_MODULE_FILE);
	const char *env = getenv("LODE_MODULE_DIR");
	if (env && *env && try_dir(env, strlen(env)) == 0)
		return;
	/* the file holding this code: liblode.so, or the program itself */
	char dir[PATH_MAX];
	Dl_info info;
	size_t n = 0;
	if (dladdr((void *)load, &info) && info.dli_fname) {
		n = dir_of(info.dli_fname, dir);
		/* a program's own name may be bare (found on PATH): ask the kernel */
		if (!n || !strchr(info.dli_fname, '/'))
			n = dir_of("/proc/self/exe", dir);
	}
	if (n) {
		if (try_dir(dir, n) == 0)
			return;
		char *up = strrchr(dir, '/');
		if (up && up > dir && try_dir(dir, (size_t)(up - dir)) == 0)
			return;
	}
	try_dir(LODE_LIBDIR, strlen(LODE_LIBDIR));
}

const html_module_t *html_module(const char **why)
{
	pthread_once(&once, load);
	if (!loaded && why)
		*why = why_buf;
	return loaded;
}
