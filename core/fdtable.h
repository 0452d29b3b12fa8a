/* One process's descriptor table as the tracer knows it: fd -> path (an
 * interned string) and CLOEXEC. Shared by the threads of a process, copied
 * on fork. Reader thread only. */
#ifndef IOR_CORE_FDTABLE_H
#define IOR_CORE_FDTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/event.h"

#define FDTABLE_MAX_FD (1 << 20) /* larger descriptors are not tracked */

enum fd_state {
	FD_UNKNOWN = 0, /* never seen: may predate tracing (resolve from /proc) */
	FD_OPEN,	/* opened under trace, or resolved */
	FD_CLOSED,	/* closed under trace */
	FD_UNRESOLVED,	/* /proc had nothing either; do not ask again */
};

struct fd_entry {
	ior_str path;
	uint8_t state; /* enum fd_state */
	bool cloexec;
};

struct fdtable;

struct fdtable *fdtable_new(void);
void fdtable_free(struct fdtable *t);
/* An independent copy (fork without CLONE_FILES). */
struct fdtable *fdtable_dup(const struct fdtable *t);
/* Entry for fd; FD_UNKNOWN for an fd never seen. Never NULL for fd in range. */
const struct fd_entry *fdtable_get(const struct fdtable *t, int fd);
/* Register fd as open on path. Ignored for fd out of range. */
void fdtable_set(struct fdtable *t, int fd, ior_str path, bool cloexec);
/* Mark an fd that /proc could not resolve, so it is not asked again. */
void fdtable_set_unresolved(struct fdtable *t, int fd);
/* newfd now names what oldfd names (dup family, F_DUPFD). */
void fdtable_alias(struct fdtable *t, int newfd, int oldfd, bool cloexec);
void fdtable_set_cloexec(struct fdtable *t, int fd, bool cloexec);
/* close() returned 0. */
void fdtable_close(struct fdtable *t, int fd);
/* close_range(first, last) succeeded; with cloexec_only the fds get CLOEXEC. */
void fdtable_close_range(struct fdtable *t, unsigned int first, unsigned int last,
			 bool cloexec_only);
/* A successful exec: every CLOEXEC descriptor is closed. */
void fdtable_exec(struct fdtable *t);
/* Call fn for every open entry, lowest fd first: a walk of the entries
 * there are, not of the numbers up to the highest. fn must not change the
 * table. */
void fdtable_each_open(const struct fdtable *t,
		       void (*fn)(void *ctx, int fd, const struct fd_entry *e), void *ctx);
/* Number of open entries. */
int fdtable_count(const struct fdtable *t);
/* Bytes the table holds: grows with the descriptors used (those below 1024
 * as an array up to the highest, the others 24 bytes each at most), not
 * with the highest number. */
size_t fdtable_bytes(const struct fdtable *t);

#endif
