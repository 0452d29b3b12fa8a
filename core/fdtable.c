/* A process's descriptor table: a dense array for the low descriptors
 * (where nearly all are), a hash for the rest, so that the memory follows
 * the descriptors used, not the highest number: one fd 1,000,000 costs an
 * entry, not an 8 MiB array copied on every fork (issue 9). */
#include "core/fdtable.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Descriptors below this live in the dense array (8 bytes each, grown to
 * the highest one used); the others in the hash. */
#define FDTABLE_DENSE 1024

struct fdtable {
	struct fd_entry *v; /* dense: cap entries, fd < FDTABLE_DENSE */
	int cap;
	/* Sparse: open addressing with linear probing over nslots (a power of
	 * two, or 0); keys[i] < 0 is an empty slot. Entries stay once made
	 * (a closed one as FD_CLOSED): their number is bounded by the
	 * distinct descriptors the process held, since the kernel hands out
	 * the lowest free one. */
	int *keys;
	struct fd_entry *vals;
	size_t nslots, used;
};

static const struct fd_entry unknown_entry;

struct fdtable *fdtable_new(void)
{
	return xcalloc(1, sizeof(struct fdtable));
}

void fdtable_free(struct fdtable *t)
{
	if (!t)
		return;
	free(t->v);
	free(t->keys);
	free(t->vals);
	free(t);
}

struct fdtable *fdtable_dup(const struct fdtable *t)
{
	struct fdtable *c = fdtable_new();

	if (t->cap) {
		c->v = xmalloc((size_t)t->cap * sizeof(*c->v));
		memcpy(c->v, t->v, (size_t)t->cap * sizeof(*c->v));
		c->cap = t->cap;
	}
	if (t->nslots) {
		c->keys = xmalloc(t->nslots * sizeof(*c->keys));
		c->vals = xmalloc(t->nslots * sizeof(*c->vals));
		memcpy(c->keys, t->keys, t->nslots * sizeof(*c->keys));
		memcpy(c->vals, t->vals, t->nslots * sizeof(*c->vals));
		c->nslots = t->nslots;
		c->used = t->used;
	}
	return c;
}

static size_t hash_fd(int fd, size_t nslots)
{
	return ((uint32_t)fd * 2654435761u) & (nslots - 1);
}

/* The sparse slot of fd, or NULL when it has none. */
static struct fd_entry *sparse_find(const struct fdtable *t, int fd)
{
	if (!t->nslots)
		return NULL;
	for (size_t i = hash_fd(fd, t->nslots);; i = (i + 1) & (t->nslots - 1)) {
		if (t->keys[i] == fd)
			return &t->vals[i];
		if (t->keys[i] < 0)
			return NULL;
	}
}

static void sparse_grow(struct fdtable *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 64;
	int *keys = xmalloc(n * sizeof(*keys));
	struct fd_entry *vals = xcalloc(n, sizeof(*vals));

	memset(keys, 0xff, n * sizeof(*keys)); /* all -1: empty */
	for (size_t i = 0; i < t->nslots; i++) {
		size_t j;

		if (t->keys[i] < 0)
			continue;
		for (j = hash_fd(t->keys[i], n); keys[j] >= 0; j = (j + 1) & (n - 1))
			;
		keys[j] = t->keys[i];
		vals[j] = t->vals[i];
	}
	free(t->keys);
	free(t->vals);
	t->keys = keys;
	t->vals = vals;
	t->nslots = n;
}

/* The entry of fd, made (FD_UNKNOWN) when missing; NULL out of range. */
static struct fd_entry *slot(struct fdtable *t, int fd)
{
	struct fd_entry *e;
	size_t i;
	int cap;

	if (fd < 0 || fd >= FDTABLE_MAX_FD)
		return NULL;
	if (fd < FDTABLE_DENSE) {
		if (fd >= t->cap) {
			cap = t->cap ? t->cap : 64;
			while (cap <= fd)
				cap *= 2;
			t->v = xrealloc(t->v, (size_t)cap * sizeof(*t->v));
			memset(t->v + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*t->v));
			t->cap = cap;
		}
		return &t->v[fd];
	}
	if ((e = sparse_find(t, fd)))
		return e;
	if (2 * (t->used + 1) > t->nslots)
		sparse_grow(t);
	for (i = hash_fd(fd, t->nslots); t->keys[i] >= 0; i = (i + 1) & (t->nslots - 1))
		;
	t->keys[i] = fd;
	memset(&t->vals[i], 0, sizeof(t->vals[i]));
	t->used++;
	return &t->vals[i];
}

const struct fd_entry *fdtable_get(const struct fdtable *t, int fd)
{
	const struct fd_entry *e;

	if (fd >= 0 && fd < t->cap)
		return &t->v[fd];
	if (fd < FDTABLE_DENSE || !(e = sparse_find(t, fd)))
		return &unknown_entry;
	return e;
}

void fdtable_set(struct fdtable *t, int fd, ior_str path, bool cloexec)
{
	struct fd_entry *e = slot(t, fd);

	if (!e)
		return;
	e->path = path;
	e->state = FD_OPEN;
	e->cloexec = cloexec;
}

void fdtable_set_unresolved(struct fdtable *t, int fd)
{
	struct fd_entry *e = slot(t, fd);

	if (e && e->state == FD_UNKNOWN)
		e->state = FD_UNRESOLVED;
}

void fdtable_alias(struct fdtable *t, int newfd, int oldfd, bool cloexec)
{
	struct fd_entry old = *fdtable_get(t, oldfd);
	struct fd_entry *e = slot(t, newfd);

	if (!e)
		return;
	*e = old;
	if (e->state != FD_OPEN)
		e->state = FD_UNKNOWN; /* still resolvable from /proc */
	e->cloexec = cloexec;
}

void fdtable_set_cloexec(struct fdtable *t, int fd, bool cloexec)
{
	struct fd_entry *e = fd >= 0 && fd < t->cap ? &t->v[fd]
			     : fd >= FDTABLE_DENSE  ? sparse_find(t, fd)
						    : NULL;

	if (e)
		e->cloexec = cloexec;
}

static void entry_close(struct fd_entry *e)
{
	e->path = 0;
	e->state = FD_CLOSED;
	e->cloexec = false;
}

void fdtable_close(struct fdtable *t, int fd)
{
	struct fd_entry *e = slot(t, fd);

	if (e)
		entry_close(e);
}

void fdtable_close_range(struct fdtable *t, unsigned int first, unsigned int last,
			 bool cloexec_only)
{
	/* Only fds we hold can change; the range may be huge (~0U). */
	unsigned int end = last < (unsigned int)t->cap ? last : (unsigned int)t->cap - 1;

	for (unsigned int fd = first; t->cap && fd <= end; fd++) {
		if (cloexec_only)
			t->v[fd].cloexec = true;
		else
			entry_close(&t->v[fd]);
	}
	for (size_t i = 0; i < t->nslots; i++) {
		if (t->keys[i] < 0 || (unsigned int)t->keys[i] < first ||
		    (unsigned int)t->keys[i] > last)
			continue;
		if (cloexec_only)
			t->vals[i].cloexec = true;
		else
			entry_close(&t->vals[i]);
	}
}

void fdtable_exec(struct fdtable *t)
{
	for (int fd = 0; fd < t->cap; fd++)
		if (t->v[fd].cloexec && t->v[fd].state == FD_OPEN)
			entry_close(&t->v[fd]);
	for (size_t i = 0; i < t->nslots; i++)
		if (t->keys[i] >= 0 && t->vals[i].cloexec && t->vals[i].state == FD_OPEN)
			entry_close(&t->vals[i]);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

void fdtable_each_open(const struct fdtable *t,
		       void (*fn)(void *ctx, int fd, const struct fd_entry *e), void *ctx)
{
	int *high;
	size_t n = 0;

	for (int fd = 0; fd < t->cap; fd++)
		if (t->v[fd].state == FD_OPEN)
			fn(ctx, fd, &t->v[fd]);
	if (!t->nslots)
		return;
	/* The sparse ones in order too: their numbers, sorted. */
	high = xmalloc(t->nslots * sizeof(*high));
	for (size_t i = 0; i < t->nslots; i++)
		if (t->keys[i] >= 0 && t->vals[i].state == FD_OPEN)
			high[n++] = t->keys[i];
	qsort(high, n, sizeof(*high), cmp_int);
	for (size_t i = 0; i < n; i++)
		fn(ctx, high[i], sparse_find(t, high[i]));
	free(high);
}

int fdtable_count(const struct fdtable *t)
{
	int n = 0;

	for (int fd = 0; fd < t->cap; fd++)
		n += t->v[fd].state == FD_OPEN;
	for (size_t i = 0; i < t->nslots; i++)
		n += t->keys[i] >= 0 && t->vals[i].state == FD_OPEN;
	return n;
}

size_t fdtable_bytes(const struct fdtable *t)
{
	return sizeof(*t) + (size_t)t->cap * sizeof(*t->v) +
	       t->nslots * (sizeof(*t->keys) + sizeof(*t->vals));
}
