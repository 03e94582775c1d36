/* heap.h - put a short-lived process's heap on transparent huge pages. */
#ifndef LODE_CLI_HEAP_H
#define LODE_CLI_HEAP_H

/* Lay out the heap so that what is allocated next lands in huge pages (a hint: does
 * nothing where that is not possible). Call once, early. */
void heap_use_huge_pages(void);

#endif
