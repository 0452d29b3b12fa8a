/* Open addressing with linear probing and backward-shift deletion. */
#include "core/u32map.h"

#include <stdlib.h>

#include "core/xalloc.h"

static size_t slot_of(uint32_t key, size_t cap)
{
	return (key * 2654435761u) & (cap - 1);
}

void u32map_init(struct u32map *m)
{
	m->cap = 64;
	m->count = 0;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->values = xcalloc(m->cap, sizeof(*m->values));
}

void u32map_fini(struct u32map *m)
{
	free(m->keys);
	free(m->values);
	m->keys = NULL;
	m->values = NULL;
	m->cap = m->count = 0;
}

void *u32map_get(const struct u32map *m, uint32_t key)
{
	for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->values[i])
			return NULL;
		if (m->keys[i] == key)
			return m->values[i];
	}
}

static void grow(struct u32map *m)
{
	struct u32map old = *m;

	m->cap *= 2;
	m->count = 0;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->values = xcalloc(m->cap, sizeof(*m->values));
	for (size_t i = 0; i < old.cap; i++)
		if (old.values[i])
			u32map_put(m, old.keys[i], old.values[i]);
	free(old.keys);
	free(old.values);
}

void u32map_put(struct u32map *m, uint32_t key, void *value)
{
	size_t i;

	if ((m->count + 1) * 2 > m->cap)
		grow(m);
	for (i = slot_of(key, m->cap); m->values[i]; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key) {
			m->values[i] = value;
			return;
		}
	}
	m->keys[i] = key;
	m->values[i] = value;
	m->count++;
}

void *u32map_take(struct u32map *m, uint32_t key)
{
	size_t mask = m->cap - 1, i, j;
	void *value;

	for (i = slot_of(key, m->cap);; i = (i + 1) & mask) {
		if (!m->values[i])
			return NULL;
		if (m->keys[i] == key)
			break;
	}
	value = m->values[i];
	m->values[i] = NULL;
	m->count--;
	/* Shift later members of the probe run back into the hole. */
	for (j = (i + 1) & mask; m->values[j]; j = (j + 1) & mask) {
		size_t home = slot_of(m->keys[j], m->cap);

		if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
			m->keys[i] = m->keys[j];
			m->values[i] = m->values[j];
			m->values[j] = NULL;
			i = j;
		}
	}
	return value;
}

void *u32map_next(const struct u32map *m, size_t *pos, uint32_t *key)
{
	while (*pos < m->cap) {
		size_t i = (*pos)++;

		if (m->values[i]) {
			if (key)
				*key = m->keys[i];
			return m->values[i];
		}
	}
	return NULL;
}
