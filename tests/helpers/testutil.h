/* testutil.h - shared helpers for the cmocka unit tests. */
#ifndef LODE_TESTUTIL_H
#define LODE_TESTUTIL_H
#include <stddef.h>

/* A fresh scratch directory (malloc'd path); removed by tu_rmtree. */
char *tu_mkdtemp(void);
/* rm -rf PATH; frees nothing. */
void tu_rmtree(const char *path);
/* Write LEN bytes of DATA to DIR/NAME (creating parent dirs); returns the
 * malloc'd full path. */
char *tu_write(const char *dir, const char *name, const char *data, size_t len);
/* Path DIR/NAME, malloc'd. */
char *tu_path(const char *dir, const char *name);
/* Absolute path of the shared/ folder beside the project (../shared), or NULL
 * when it is absent (tests that need it skip). Static storage. */
const char *tu_shared_dir(void);
#endif
