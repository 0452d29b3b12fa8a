/* The session store: a sink that hands records to a writer thread, which
 * owns the sqlite3 handle and appends them in batched transactions (WAL).
 * Schema: docs/session-schema.md. */
#ifndef IOR_CORE_STORE_H
#define IOR_CORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/sink.h"

#define STORE_SCHEMA_VERSION 2
#define STORE_CKPT_EVENTS    100000 /* records between checkpoints, at least */

struct store_meta {
	const char *cmdline;	/* ior's own command line */
	const char *target;	/* "pid 42", "all", or the launched command */
	uint64_t start_ns;	/* wall clock */
	uint32_t max_pages;	/* tests: cap the file at this many pages beyond the schema
			      * (PRAGMA max_page_count), as a full disk would; 0 = none */
	uint64_t ckpt_every;	/* records between checkpoints at least; 0 = STORE_CKPT_EVENTS */
	size_t stats_files_max; /* the checkpoints' struct stats.files_max; 0: STATS_FILES_MAX
				 * (tests: a replay must use the same) */
	size_t stats_procs_max; /* and their struct stats.procs_max; 0: STATS_PROCS_MAX */
};

struct store;

/* Create path (mode 0600, never through a symlink, never over an existing
 * file unless force), write the schema and start the writer thread. Main
 * thread. */
int store_open(struct store **out, const char *path, bool force, const struct store_meta *meta,
	       struct ior_err *err);
/* The sink; ctx is the struct store. Runs on the source's thread and only
 * enqueues; it waits (never drops) while the writer's queue is full. */
extern const struct sink_ops store_sink_ops;
/* An eventfd that becomes readable (poll POLLIN) once the writer has failed
 * (disk full, I/O error): the recording should stop at once; store_close
 * then returns the error. The session keeps what was committed, with
 * end_ns NULL (incomplete). Any thread; owned by the store. */
int store_failure_fd(const struct store *st);
/* The reader's waits for the writer so far: how many, and ns in all (with
 * a spill file they only happen when it cannot be written). Reader thread
 * (or any thread once it has stopped). Also stored in the session. */
void store_stalls(const struct store *st, uint64_t *count, uint64_t *ns);
/* Drain the queue, commit, finish the session row (end time, counts),
 * checkpoint the WAL, join the writer and free. Main thread. */
int store_close(struct store *st, uint64_t end_ns, struct ior_err *err);

/* Create path as a new private file: refuses symlinks, refuses an existing
 * file unless force (then replaces it). Returns an open fd (O_CLOEXEC) or a
 * negative errno with err set. For every file ior writes. */
int store_create_file(const char *path, bool force, struct ior_err *err);

#endif
