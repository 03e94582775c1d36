/* test_heap.c - the heap's huge-page window (src/cli/heap.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cli/heap.h"

#define WINDOW_BYTES ((uintptr_t)4 << 20)

typedef struct {
	uintptr_t start, end;
	long rss_kb;
	int advised; /* VmFlags has "hg": MADV_HUGEPAGE */
} region_t;

/* /proc/self/smaps read without stdio, whose buffers would come from the heap under
 * test. */
static char smaps[1 << 18];

static int read_smaps(void)
{
	int fd = open("/proc/self/smaps", O_RDONLY);
	if (fd < 0)
		return 0;
	size_t len = 0;
	ssize_t n;
	while (len < sizeof smaps - 1 && (n = read(fd, smaps + len, sizeof smaps - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	smaps[len] = '\0';
	return len > 0;
}

/* The mapping that holds addr, or (addr NULL) the first one advised MADV_HUGEPAGE;
 * 0 when there is none. */
static int region_of(const void *addr, region_t *r)
{
	if (!read_smaps())
		return 0;
	uintptr_t a = (uintptr_t)addr;
	region_t cur = { 0 };
	int in = 0;
	for (char *line = smaps; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		unsigned long s, e;
		char *dash = strchr(line, '-'), *sp = strchr(line, ' ');
		if (dash && sp && dash < sp && sscanf(line, "%lx-%lx ", &s, &e) == 2) {
			if (in)
				break;
			cur = (region_t){ .start = s, .end = e };
			in = addr && a >= s && a < e;
		} else if (!strncmp(line, "Rss:", 4)) {
			cur.rss_kb = strtol(line + 4, NULL, 10);
		} else if (!strncmp(line, "VmFlags:", 8)) {
			cur.advised = strstr(line, " hg") != NULL;
			if (!addr && cur.advised)
				in = 1;
			if (in)
				break;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	if (in)
		*r = cur;
	return in;
}

static int active; /* the kernel has transparent huge pages, the build glibc's malloc */
static int found; /* an advised region was there right after the call */
static region_t window; /* that region */

/* The window is advised, 2 MiB-aligned, and nothing in it was touched before the
 * advice: a page touched before would make the kernel map that 2 MiB with small
 * pages. */
static void test_window_untouched(void **state)
{
	(void)state;
	if (!active)
		skip();
	assert_true(found);
	assert_int_equal(window.start % ((uintptr_t)2 << 20), 0);
	assert_int_equal(window.end - window.start, WINDOW_BYTES);
	assert_int_equal(window.rss_kb, 0);
}

/* What is allocated next lands in the window, big buffers included (they would
 * otherwise have a mmap of their own), and it is usable. */
static void test_allocations_land_in_window(void **state)
{
	(void)state;
	if (!active)
		skip();
	size_t sizes[] = { 16, 4096, 100000, 600000 };
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		char *p = malloc(sizes[i]);
		assert_non_null(p);
		memset(p, 'x', sizes[i]);
		region_t r;
		assert_true(region_of(p, &r));
		assert_true(r.advised);
		assert_int_equal(r.start, window.start);
		assert_true((uintptr_t)p + sizes[i] <= r.end);
		assert_int_equal(p[sizes[i] - 1], 'x');
		free(p);
	}
}

/* A second call changes nothing. */
static void test_second_call(void **state)
{
	(void)state;
	if (!active)
		skip();
	char *before = malloc(32);
	region_t r1, r2;
	assert_true(region_of(before, &r1));
	assert_int_equal(r1.start, window.start);
	heap_use_huge_pages();
	char *after = malloc(32);
	assert_true(region_of(after, &r2));
	assert_int_equal(r1.start, r2.start);
	assert_int_equal(r1.end, r2.end);
	free(before);
	free(after);
}

int main(void)
{
	/* first: cmocka allocates too */
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0 &&
	    heap_use_huge_pages()) {
		active = 1;
		found = region_of(NULL, &window);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_untouched),
		cmocka_unit_test(test_allocations_land_in_window),
		cmocka_unit_test(test_second_call),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
