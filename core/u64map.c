/* Open addressing with linear probing, at most half full; no removal (the
 * statistics only ever add keys). */
#include "core/u64map.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define U64MAP_INITIAL 64

/* The finalizer of splitmix64: every key bit moves every slot bit, so
 * packed keys whose low half repeats (same pid, same errno) still spread. */
static size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ull;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebull;
	key ^= key >> 31;
	return (size_t)key & (cap - 1);
}

static void alloc_table(struct u64map *m, size_t cap)
{
	m->cap = cap;
	m->keys = xcalloc(cap, sizeof(*m->keys));
	m->values = xcalloc(cap + 1, m->stride);
}

void u64map_init(struct u64map *m, size_t value_size)
{
	memset(m, 0, sizeof(*m));
	m->value_size = value_size;
	m->stride = value_size ? value_size : 1;
	alloc_table(m, U64MAP_INITIAL);
}

void u64map_fini(struct u64map *m)
{
	free(m->keys);
	free(m->values);
	m->keys = NULL;
	m->values = NULL;
	m->cap = m->count = 0;
	m->has_zero = false;
}

void u64map_clear(struct u64map *m)
{
	if (!m->count)
		return;
	memset(m->keys, 0, m->cap * sizeof(*m->keys));
	m->count = 0;
	m->has_zero = false;
}

static void *value_at(const struct u64map *m, size_t i)
{
	return m->values + i * m->stride;
}

void *u64map_get(const struct u64map *m, uint64_t key)
{
	if (!key)
		return m->has_zero ? value_at(m, m->cap) : NULL;
	for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key)
			return value_at(m, i);
		if (!m->keys[i])
			return NULL;
	}
}

static void grow(struct u64map *m)
{
	struct u64map old = *m;

	alloc_table(m, old.cap * 2);
	for (size_t i = 0; i < old.cap; i++) {
		size_t j;

		if (!old.keys[i])
			continue;
		for (j = slot_of(old.keys[i], m->cap); m->keys[j]; j = (j + 1) & (m->cap - 1))
			;
		m->keys[j] = old.keys[i];
		memcpy(value_at(m, j), value_at(&old, i), m->stride);
	}
	memcpy(value_at(m, m->cap), value_at(&old, old.cap), m->stride);
	free(old.keys);
	free(old.values);
}

void *u64map_put(struct u64map *m, uint64_t key, bool *added)
{
	size_t i;
	void *v;

	if (added)
		*added = false;
	if (!key) {
		v = value_at(m, m->cap);
		if (!m->has_zero) {
			memset(v, 0, m->stride);
			m->has_zero = true;
			m->count++;
			if (added)
				*added = true;
		}
		return v;
	}
	for (i = slot_of(key, m->cap); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return value_at(m, i);
	if ((m->count + 1) * 2 > m->cap) {
		grow(m);
		for (i = slot_of(key, m->cap); m->keys[i]; i = (i + 1) & (m->cap - 1))
			;
	}
	m->keys[i] = key;
	v = value_at(m, i);
	memset(v, 0, m->stride);
	m->count++;
	if (added)
		*added = true;
	return v;
}

void *u64map_next(const struct u64map *m, size_t *pos, uint64_t *key)
{
	while (*pos < m->cap) {
		size_t i = (*pos)++;

		if (m->keys[i]) {
			if (key)
				*key = m->keys[i];
			return value_at(m, i);
		}
	}
	if (*pos == m->cap && m->has_zero) {
		(*pos)++;
		if (key)
			*key = 0;
		return value_at(m, m->cap);
	}
	return NULL;
}
