/* String interning: open-addressing hash over ids, bytes kept in chunks that
 * never move, so the pointers handed to sinks stay valid. */
#include "core/intern.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define CHUNK_SIZE (256 * 1024)

struct intern_entry {
	const char *s;
	uint32_t len;
	uint32_t hash;
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct intern {
	struct intern_entry *entries; /* by id; entries[0] unused */
	ior_str count, cap;
	ior_str *slots; /* hash table of ids, 0 = empty */
	size_t nslots;
	struct chunk *chunks;
};

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct intern *intern_new(void)
{
	struct intern *in = xcalloc(1, sizeof(*in));

	in->cap = 1024;
	in->entries = xcalloc(in->cap, sizeof(*in->entries));
	in->nslots = 2048;
	in->slots = xcalloc(in->nslots, sizeof(*in->slots));
	return in;
}

void intern_free(struct intern *in)
{
	if (!in)
		return;
	while (in->chunks) {
		struct chunk *next = in->chunks->next;

		free(in->chunks);
		in->chunks = next;
	}
	free(in->entries);
	free(in->slots);
	free(in);
}

static char *store_bytes(struct intern *in, const char *s, size_t len)
{
	struct chunk *c = in->chunks;
	char *p;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;

		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = in->chunks;
		in->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static size_t find_slot(const struct intern *in, const char *s, size_t len, uint32_t h)
{
	size_t mask = in->nslots - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		ior_str id = in->slots[i];

		if (!id)
			return i;
		if (in->entries[id].hash == h && in->entries[id].len == len &&
		    memcmp(in->entries[id].s, s, len) == 0)
			return i;
	}
}

static void grow(struct intern *in)
{
	size_t nslots = in->nslots * 2;

	free(in->slots);
	in->slots = xcalloc(nslots, sizeof(*in->slots));
	in->nslots = nslots;
	for (ior_str id = 1; id < in->cap; id++) {
		const struct intern_entry *e = &in->entries[id];

		if (e->s)
			in->slots[find_slot(in, e->s, e->len, e->hash)] = id;
	}
}

static void add_at(struct intern *in, ior_str id, const char *s, size_t len, uint32_t h,
		   size_t slot)
{
	if (id >= in->cap) {
		ior_str cap = in->cap;

		while (cap <= id)
			cap *= 2;
		in->entries = xrealloc(in->entries, cap * sizeof(*in->entries));
		memset(in->entries + in->cap, 0, (cap - in->cap) * sizeof(*in->entries));
		in->cap = cap;
	}
	in->entries[id].s = store_bytes(in, s, len);
	in->entries[id].len = (uint32_t)len;
	in->entries[id].hash = h;
	in->slots[slot] = id;
	if (id > in->count)
		in->count = id;
	if ((size_t)in->count * 2 > in->nslots)
		grow(in);
}

ior_str intern_get(struct intern *in, const char *s, size_t len, bool *added)
{
	uint32_t h = hash_bytes(s, len);
	size_t slot = find_slot(in, s, len, h);

	if (in->slots[slot]) {
		if (added)
			*added = false;
		return in->slots[slot];
	}
	add_at(in, in->count + 1, s, len, h, slot);
	if (added)
		*added = true;
	return in->count;
}

int intern_put(struct intern *in, ior_str id, const char *s, size_t len)
{
	uint32_t h = hash_bytes(s, len);
	size_t slot = find_slot(in, s, len, h);

	if (id == 0)
		return -EINVAL;
	if (in->slots[slot])
		return in->slots[slot] == id ? 0 : -EEXIST;
	if (id < in->cap && in->entries[id].s)
		return -EEXIST;
	add_at(in, id, s, len, h, slot);
	return 0;
}

const char *intern_str(const struct intern *in, ior_str id, size_t *len)
{
	if (id == 0 || id >= in->cap || !in->entries[id].s)
		return NULL;
	if (len)
		*len = in->entries[id].len;
	return in->entries[id].s;
}

ior_str intern_count(const struct intern *in)
{
	return in->count;
}
