/* The live state machine: turns raw ring-buffer records into struct ior_rec
 * and process events, keeping the descriptor and process tables, comms and
 * cwds up to date, and pushes them into the pipeline. Reader thread only. */
#ifndef IOR_CORE_TRACKER_H
#define IOR_CORE_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sink.h"

struct tracker_opts {
	const uint8_t *keep;	/* IOR_NR_MAX entries, nonzero = record; NULL = all */
	const char *comm;	/* --comm: only records of threads with this comm */
	uint32_t tid;		/* --tid: only this thread; 0 = any */
	int64_t wall_offset_ns; /* wall clock = CLOCK_MONOTONIC + this */
	/* Bytes the string table may hold before the strings no process holds
	 * and no record named lately are forgotten (a forgotten string seen
	 * again gets a new id); 0 keeps every string, as sinks that hold the
	 * pointers to them (the live UI's) need. */
	size_t strings_max;
};

struct tracker_counts {
	uint64_t records;	    /* ring records handled */
	uint64_t events;	    /* syscall records passed to the pipeline */
	uint64_t malformed;	    /* records that failed to decode */
	uint64_t strings_forgotten; /* by the sweeps of tracker_opts.strings_max */
	uint64_t string_sweeps;
};

struct tracker;

/* The pipeline is borrowed and must outlive the tracker. */
struct tracker *tracker_new(struct pipeline *p, const struct tracker_opts *opts);
void tracker_free(struct tracker *t);
/* One ring-buffer record. */
void tracker_handle(struct tracker *t, const void *data, size_t size);
/* A process traced from now on that already runs (-p): read /proc for it. */
void tracker_attach(struct tracker *t, uint32_t pid);
/* A process ior launched (-- CMD): parent is ior, cwd is ior's. */
void tracker_launch(struct tracker *t, uint32_t pid);
void tracker_counts(const struct tracker *t, struct tracker_counts *out);
/* The intern table behind the string ids (for sinks that print: with
 * strings_max, an id of an earlier record may have been forgotten). */
const struct intern *tracker_strings(const struct tracker *t);
/* Call fn for each open descriptor of pid as the tracker knows it, lowest fd
 * first (path: an interned id, already announced to the pipeline; 0 when
 * unknown). Nothing for a pid not traced. Read-only; reader thread (a sink,
 * such as the snapshot's build, may call it). */
void tracker_list_fds(const struct tracker *t, uint32_t pid,
		      void (*fn)(void *ctx, int fd, ior_str path, bool cloexec), void *ctx);

#endif
