/* strmap.h - a string-keyed hash map (open addressing, keys copied). */
#ifndef LODE_STRMAP_H
#define LODE_STRMAP_H
#include <stddef.h>

typedef struct {
	char *key;     /* NULL: empty slot */
	void *val;
	unsigned long long hash; /* the key's; a probe compares it first */
} strmap_slot_t;

typedef struct {
	strmap_slot_t *slots;
	size_t cap, n;
} strmap_t;

#define STRMAP_INIT { NULL, 0, 0 }

/* Insert or replace; the key is copied. Returns the slot, NULL when out of
 * memory. The previous value (if any) is overwritten without being freed. */
strmap_slot_t *strmap_put(strmap_t *m, const char *key, void *val);
strmap_slot_t *strmap_get(const strmap_t *m, const char *key);
/* Free keys and table; FREE_VAL (may be NULL) is called on each value. */
void strmap_free(strmap_t *m, void (*free_val)(void *));
#endif
