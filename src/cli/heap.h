/* heap.h - put a short-lived process's heap on transparent huge pages. */
#ifndef LODE_CLI_HEAP_H
#define LODE_CLI_HEAP_H

/* Lay out the heap so that what is allocated next lands in huge pages (a hint: the
 * kernel may still map small ones). Call once, early. Returns 1; 0 when this build
 * cannot (its malloc is not glibc's: a sanitizer build), and then does nothing. */
int heap_use_huge_pages(void);

#endif
