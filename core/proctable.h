/* The traced processes and threads: pid -> process (fd table, cwd, comm,
 * exe), tid -> thread (its own comm). Reader thread only. */
#ifndef IOR_CORE_PROCTABLE_H
#define IOR_CORE_PROCTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/event.h"
#include "core/fdtable.h"
#include "core/u32map.h"

struct proc {
	uint32_t pid, ppid;
	ior_str comm, exe;
	char *cwd; /* owned; NULL until known */
	struct fdtable *fds;
	uint64_t start_ns; /* wall clock, 0 when it predates tracing */
	uint64_t brk;	   /* last program break seen, 0 unknown */
	int nthreads;
};

struct thread {
	uint32_t tid, pid;
	ior_str comm;
};

struct proctable {
	struct u32map procs;   /* pid -> struct proc * */
	struct u32map threads; /* tid -> struct thread * */
};

void proctable_init(struct proctable *pt);
void proctable_fini(struct proctable *pt);
struct proc *proctable_proc(struct proctable *pt, uint32_t pid);
struct thread *proctable_thread(struct proctable *pt, uint32_t tid);
/* New process with an empty fd table; replaces (and frees) a stale one. */
struct proc *proctable_add_proc(struct proctable *pt, uint32_t pid, uint32_t ppid);
/* New thread of pid (which must exist); replaces a stale one. */
struct thread *proctable_add_thread(struct proctable *pt, uint32_t tid, uint32_t pid, ior_str comm);
void proctable_remove_thread(struct proctable *pt, uint32_t tid);
/* Remove a process and all its threads. */
void proctable_remove_proc(struct proctable *pt, uint32_t pid);
/* Set cwd (copied). */
void proc_set_cwd(struct proc *p, const char *cwd);

#endif
