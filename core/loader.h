/* BPF lifecycle: open and load the skeleton, fill the syscall spec map from
 * the generated table, attach, and manage the traced set. Main thread only;
 * the reader borrows the ring-buffer fd. */
#ifndef IOR_CORE_LOADER_H
#define IOR_CORE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"

struct loader_opts {
	bool trace_all;	     /* -a: every process but ior */
	bool follow;	     /* -f: add forked children in the kernel */
	size_t ring_bytes;   /* ring buffer size, a power of two */
	size_t wakeup_bytes; /* wake the reader early past this much data; 0: half the ring */
	const uint8_t *keep; /* IOR_NR_MAX entries, nonzero = record; NULL = all */
};

struct loader;

/* Load and attach. Errors name the cause (no BTF, no privilege, verifier). */
int loader_open(struct loader **out, const struct loader_opts *opts, struct ior_err *err);
void loader_close(struct loader *l);

/* Trace tgid: IOR_TARGET_ON now, or IOR_TARGET_AT_EXEC from its next execve. */
int loader_add_target(struct loader *l, pid_t tgid, int state, struct ior_err *err);
/* Is tgid still in the traced set (the kernel removes exited processes)? */
bool loader_has_target(struct loader *l, pid_t tgid);
/* Number of tgids in the traced set. */
int loader_target_count(struct loader *l);
/* The ring buffer map's fd, which the reader maps and polls. */
int loader_ring_fd(struct loader *l);
/* Records the kernel could not put in the ring, summed over CPUs. */
uint64_t loader_lost(struct loader *l);

#endif
