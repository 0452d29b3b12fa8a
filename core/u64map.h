/* A hash map from uint64_t keys (packed pairs: file and pid, syscall and
 * errno) to fixed-size values stored inline, so a new key costs no
 * allocation of its own. Single thread. */
#ifndef IOR_CORE_U64MAP_H
#define IOR_CORE_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64map {
	uint64_t *keys;	       /* cap slots; 0 = empty (key 0 lives in the extra slot) */
	unsigned char *values; /* cap + 1 values of stride bytes; [cap] is key 0's */
	size_t cap;	       /* a power of two */
	size_t count;	       /* keys held, key 0 included */
	size_t value_size, stride;
	bool has_zero; /* key 0 is held */
};

/* An empty map of values of value_size bytes (0: a set). Values are
 * aligned as malloc aligns when value_size is a multiple of 8. */
void u64map_init(struct u64map *m, size_t value_size);
/* Frees the table. */
void u64map_fini(struct u64map *m);
/* Remove every key, keeping the table's size. */
void u64map_clear(struct u64map *m);
/* The value of key, or NULL. For a set, non-NULL means present. */
void *u64map_get(const struct u64map *m, uint64_t key);
/* The value of key, added zeroed when absent (*added says which; added may
 * be NULL). Valid until the next put or clear. Allocates only to grow. */
void *u64map_put(struct u64map *m, uint64_t key, bool *added);
/* Iterate: start with *pos = 0; the next value and its key, NULL at the end. */
void *u64map_next(const struct u64map *m, size_t *pos, uint64_t *key);

#endif
