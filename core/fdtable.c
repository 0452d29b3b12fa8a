/* A process's descriptor table: a dense array indexed by fd. */
#include "core/fdtable.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct fdtable {
	struct fd_entry *v;
	int cap;
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
	return c;
}

static struct fd_entry *slot(struct fdtable *t, int fd)
{
	int cap;

	if (fd < 0 || fd >= FDTABLE_MAX_FD)
		return NULL;
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

const struct fd_entry *fdtable_get(const struct fdtable *t, int fd)
{
	if (fd < 0 || fd >= t->cap)
		return &unknown_entry;
	return &t->v[fd];
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
	if (fd >= 0 && fd < t->cap)
		t->v[fd].cloexec = cloexec;
}

void fdtable_close(struct fdtable *t, int fd)
{
	struct fd_entry *e = slot(t, fd);

	if (!e)
		return;
	e->path = 0;
	e->state = FD_CLOSED;
	e->cloexec = false;
}

void fdtable_close_range(struct fdtable *t, unsigned int first, unsigned int last,
			 bool cloexec_only)
{
	/* Only fds we hold can change; the range may be huge (~0U). */
	unsigned int end = last < (unsigned int)t->cap ? last : (unsigned int)t->cap - 1;

	if (!t->cap)
		return;
	for (unsigned int fd = first; fd <= end; fd++) {
		if (cloexec_only)
			t->v[fd].cloexec = true;
		else
			fdtable_close(t, (int)fd);
	}
}

void fdtable_exec(struct fdtable *t)
{
	for (int fd = 0; fd < t->cap; fd++)
		if (t->v[fd].cloexec && t->v[fd].state == FD_OPEN)
			fdtable_close(t, fd);
}

int fdtable_count(const struct fdtable *t)
{
	int n = 0;

	for (int fd = 0; fd < t->cap; fd++)
		n += t->v[fd].state == FD_OPEN;
	return n;
}
