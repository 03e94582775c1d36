/* strmap.c - see strmap.h. Linear probing, load factor <= 1/2. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h ^ (h >> 31);
}

/* KEY's slot (hash H), or the empty one where it would go. Keys such as
 * the paths of one directory share long prefixes: the hash, compared
 * first, spares a probe that misses their strcmp (a tenth of an unchanged
 * tree's update went there). */
static strmap_slot_t *find(const strmap_slot_t *slots, size_t cap, const char *key, uint64_t h)
{
	size_t i = h & (cap - 1);
	while (slots[i].key && (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return (strmap_slot_t *)&slots[i];
}

static int grow(strmap_t *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	strmap_slot_t *s = calloc(cap, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(s, cap, m->slots[i].key, m->slots[i].hash) = m->slots[i];
	free(m->slots);
	m->slots = s;
	m->cap = cap;
	return 0;
}

strmap_slot_t *strmap_put(strmap_t *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return NULL;
	uint64_t h = hash_str(key);
	strmap_slot_t *s = find(m->slots, m->cap, key, h);
	if (!s->key) {
		s->key = strdup(key);
		if (!s->key)
			return NULL;
		s->hash = h;
		m->n++;
	}
	s->val = val;
	return s;
}

strmap_slot_t *strmap_get(const strmap_t *m, const char *key)
{
	if (!m->cap)
		return NULL;
	strmap_slot_t *s = find(m->slots, m->cap, key, hash_str(key));
	return s->key ? s : NULL;
}

void strmap_free(strmap_t *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].key) {
			free(m->slots[i].key);
			if (free_val)
				free_val(m->slots[i].val);
		}
	}
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
