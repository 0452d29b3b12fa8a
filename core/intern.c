/* String interning: an open-addressing hash over entries, the bytes kept in
 * chunks that never move until a sweep. Until the first sweep an entry's
 * index is its id; after one, the entries are packed and a second hash maps
 * ids to them. */
#include "core/intern.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define CHUNK_SIZE (256 * 1024)

struct intern_entry {
	const char *s; /* NULL: no string (a hole left by intern_put) */
	uint32_t len;
	uint32_t hash;
	ior_str id;
	uint32_t gen; /* the sweep period it was last wanted in */
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct intern {
	struct intern_entry *entries; /* entries[0] unused */
	uint32_t n, cap;	      /* entries used (with [0]) and allocated */
	ior_str last;		      /* the largest id handed out or put */
	uint32_t *slots;	      /* by content: entry index, 0 = empty */
	size_t nslots;
	bool packed;   /* swept once: indexes are no longer ids */
	uint32_t *ids; /* by id, once packed: entry index, 0 = empty */
	size_t nids;
	struct chunk *chunks;
	size_t chunk_bytes; /* allocated for chunks */
	uint32_t gen;
};

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static size_t hash_id(ior_str id, size_t nslots)
{
	return (id * 2654435761u) & (nslots - 1);
}

struct intern *intern_new(void)
{
	struct intern *in = xcalloc(1, sizeof(*in));

	in->cap = 1024;
	in->entries = xcalloc(in->cap, sizeof(*in->entries));
	in->n = 1;
	in->nslots = 2048;
	in->slots = xcalloc(in->nslots, sizeof(*in->slots));
	return in;
}

static void free_chunks(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;

		free(c);
		c = next;
	}
}

void intern_free(struct intern *in)
{
	if (!in)
		return;
	free_chunks(in->chunks);
	free(in->entries);
	free(in->slots);
	free(in->ids);
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
		in->chunk_bytes += sizeof(*c) + size;
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
		const struct intern_entry *e = &in->entries[in->slots[i]];

		if (!in->slots[i])
			return i;
		if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0)
			return i;
	}
}

/* Index the content of entry i unless an equal string is indexed already
 * (a session may hold one string under two ids: the first one wins). */
static void index_content(struct intern *in, uint32_t i)
{
	const struct intern_entry *e = &in->entries[i];
	size_t slot = find_slot(in, e->s, e->len, e->hash);

	if (!in->slots[slot])
		in->slots[slot] = i;
}

static void index_id(struct intern *in, uint32_t i)
{
	size_t mask = in->nids - 1, j;

	for (j = hash_id(in->entries[i].id, in->nids); in->ids[j]; j = (j + 1) & mask)
		;
	in->ids[j] = i;
}

/* Size both indexes for the entries in use and fill them again. */
static void reindex(struct intern *in)
{
	size_t want = 2048;

	while (want < (size_t)in->n * 2)
		want *= 2;
	free(in->slots);
	in->nslots = want;
	in->slots = xcalloc(want, sizeof(*in->slots));
	if (in->packed) {
		free(in->ids);
		in->nids = want;
		in->ids = xcalloc(want, sizeof(*in->ids));
	}
	for (uint32_t i = 1; i < in->n; i++) {
		if (!in->entries[i].s)
			continue;
		index_content(in, i);
		if (in->packed)
			index_id(in, i);
	}
}

/* The entry index of id, or 0. */
static uint32_t find_id(const struct intern *in, ior_str id)
{
	if (!in->packed)
		return id < in->n && in->entries[id].s ? id : 0;
	for (size_t j = hash_id(id, in->nids);; j = (j + 1) & (in->nids - 1)) {
		uint32_t i = in->ids[j];

		if (!i || in->entries[i].id == id)
			return i;
	}
}

static void reserve(struct intern *in, uint32_t n)
{
	uint32_t cap = in->cap;

	if (n <= cap)
		return;
	while (cap < n)
		cap *= 2;
	in->entries = xrealloc(in->entries, cap * sizeof(*in->entries));
	memset(in->entries + in->cap, 0, (cap - in->cap) * sizeof(*in->entries));
	in->cap = cap;
}

/* Fill entry i (already reserved) and index it; slot is its content slot. */
static void add_at(struct intern *in, uint32_t i, ior_str id, const char *s, size_t len, uint32_t h,
		   size_t slot)
{
	struct intern_entry *e = &in->entries[i];

	e->s = store_bytes(in, s, len);
	e->len = (uint32_t)len;
	e->hash = h;
	e->id = id;
	e->gen = in->gen;
	if (slot != SIZE_MAX)
		in->slots[slot] = i;
	if (i >= in->n)
		in->n = i + 1;
	if (id > in->last)
		in->last = id;
	if (in->packed)
		index_id(in, i);
	if ((size_t)in->n * 2 > in->nslots)
		reindex(in);
}

ior_str intern_get(struct intern *in, const char *s, size_t len, bool *added)
{
	uint32_t h = hash_bytes(s, len);
	size_t slot = find_slot(in, s, len, h);
	ior_str id;

	if (in->slots[slot]) {
		struct intern_entry *e = &in->entries[in->slots[slot]];

		e->gen = in->gen;
		if (added)
			*added = false;
		return e->id;
	}
	id = in->last + 1;
	if (!in->packed) {
		reserve(in, id + 1);
		add_at(in, id, id, s, len, h, slot);
	} else {
		reserve(in, in->n + 1);
		add_at(in, in->n, id, s, len, h, slot);
	}
	if (added)
		*added = true;
	return id;
}

int intern_put(struct intern *in, ior_str id, const char *s, size_t len)
{
	uint32_t h = hash_bytes(s, len);
	size_t slot = find_slot(in, s, len, h);
	uint32_t at;

	if (id == 0 || id == UINT32_MAX || in->packed)
		return -EINVAL;
	if ((at = find_id(in, id)))
		return in->entries[at].len == len && memcmp(in->entries[at].s, s, len) == 0
			       ? 0
			       : -EEXIST;
	reserve(in, id + 1);
	add_at(in, id, id, s, len, h, in->slots[slot] ? SIZE_MAX : slot);
	return 0;
}

const char *intern_str(const struct intern *in, ior_str id, size_t *len)
{
	uint32_t i = id ? find_id(in, id) : 0;

	if (!i)
		return NULL;
	if (len)
		*len = in->entries[i].len;
	return in->entries[i].s;
}

ior_str intern_count(const struct intern *in)
{
	return in->last;
}

void intern_keep(struct intern *in, ior_str id)
{
	uint32_t i = id ? find_id(in, id) : 0;

	if (i)
		in->entries[i].gen = in->gen;
}

size_t intern_bytes(const struct intern *in)
{
	return in->chunk_bytes + (size_t)in->cap * sizeof(*in->entries) +
	       (in->nslots + in->nids) * sizeof(uint32_t);
}

void intern_age(struct intern *in)
{
	in->gen++;
}

size_t intern_sweep(struct intern *in)
{
	struct intern_entry *old = in->entries;
	struct chunk *old_chunks = in->chunks;
	uint32_t n = in->n, kept = 1;
	size_t forgot = 0;

	for (uint32_t i = 1; i < n; i++)
		if (old[i].s && old[i].gen == in->gen)
			kept++;
	in->cap = 1024;
	while (in->cap < kept)
		in->cap *= 2;
	in->entries = xcalloc(in->cap, sizeof(*in->entries));
	in->chunks = NULL;
	in->chunk_bytes = 0;
	in->n = 1;
	for (uint32_t i = 1; i < n; i++) {
		struct intern_entry *e = &old[i];

		if (!e->s)
			continue;
		if (e->gen != in->gen) {
			forgot++;
			continue;
		}
		in->entries[in->n] = *e;
		in->entries[in->n].s = store_bytes(in, e->s, e->len);
		in->n++;
	}
	free(old);
	free_chunks(old_chunks);
	in->packed = true;
	reindex(in);
	in->gen++;
	return forgot;
}
