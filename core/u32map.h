/* A hash map from uint32_t keys (pids, tids) to pointers. Single thread. */
#ifndef IOR_CORE_U32MAP_H
#define IOR_CORE_U32MAP_H

#include <stddef.h>
#include <stdint.h>

struct u32map {
	uint32_t *keys;
	void **values; /* NULL = empty slot */
	size_t cap;    /* power of two */
	size_t count;
};

void u32map_init(struct u32map *m);
/* Frees the table, not the values. */
void u32map_fini(struct u32map *m);
void *u32map_get(const struct u32map *m, uint32_t key);
/* Insert or replace; value must not be NULL. */
void u32map_put(struct u32map *m, uint32_t key, void *value);
/* Remove and return the value, or NULL. */
void *u32map_take(struct u32map *m, uint32_t key);
/* Iterate: start with *pos = 0; returns NULL at the end. */
void *u32map_next(const struct u32map *m, size_t *pos, uint32_t *key);

#endif
