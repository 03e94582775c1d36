/* heap.c - put a short-lived process's heap on transparent huge pages.
 *
 * A `lode search` touches about 110 fresh heap pages (Xapian's block buffers, the
 * inflated text of each hit, the snippet work). On a virtual machine each first touch
 * of a 4 KiB page is a fault that costs several microseconds (about 12 here); one 2 MiB
 * huge page costs one fault and the zeroing of 2 MiB, about 0.2 ms. So the heap is laid
 * out so that what the process allocates from now on lands in a 2 MiB-aligned window
 * marked MADV_HUGEPAGE (README.md, Benchmarks, has the figures).
 *
 * How: glibc's malloc carves new chunks from the bottom of its "top" chunk, which ends
 * at the program break. A padding block that is never freed fills the top chunk up to a
 * 2 MiB boundary, less the 16 bytes of the next chunk's header, so that no header is
 * written inside the window; a block the size of the window then extends the break, is
 * freed (it merges back into the top chunk), and the window is advised. Nothing inside
 * the window is touched before the advice, or the kernel would map it with small pages.
 *
 * Everything here is a hint: when the kernel has no transparent huge pages, or malloc
 * is not glibc's (a sanitizer build), the heap works as before. With the kernel's
 * default defrag setting ("madvise"), the first touch of the window may compact memory
 * when no huge page is free; if that fails, the window gets small pages as before. */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "heap.h"

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define WINDOW (2 * HUGE_PAGE)
#define CHUNK_HEADER 16 /* glibc: prev_size and size, both size_t */

#if defined(__SANITIZE_ADDRESS__)
#define NOT_GLIBC_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define NOT_GLIBC_MALLOC 1
#endif
#endif

#if defined(__GLIBC__) && !defined(NOT_GLIBC_MALLOC)
static void *padding; /* kept for the process's life, so that it stays reachable */

int heap_use_huge_pages(void)
{
	if (padding)
		return 1;
	/* Big buffers (a long document's text) come from the window too, not from a
	 * mmap of their own, and freed memory is not handed back to the kernel. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	uintptr_t brk_end = (uintptr_t)sbrk(0);
	uintptr_t top = brk_end - mallinfo2().keepcost;
	uintptr_t window = (top + 4 * CHUNK_HEADER + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	/* malloc(n) takes a chunk of n + 8 bytes rounded up to 16: this one ends
	 * CHUNK_HEADER bytes short of the window, where the next chunk's header goes */
	padding = malloc(window - top - 2 * CHUNK_HEADER);
	if (!padding)
		return 1;
	void *volatile room = malloc(WINDOW); /* volatile: the pair must not be elided */
	free(room);
	madvise((void *)window, WINDOW, MADV_HUGEPAGE);
	return 1;
}
#else
int heap_use_huge_pages(void)
{
	return 0;
}
#endif
