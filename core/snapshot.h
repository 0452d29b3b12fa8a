/* What the UI sees of a live or replayed session: totals, per-family,
 * per-syscall, per-file and per-process statistics and the newest records,
 * with every string they use copied in, so the UI never touches the
 * source's tables. The source thread builds one at most every period and
 * hands it over through three buffers, so that neither thread ever waits
 * for the other; an eventfd tells the UI a new one is there. */
#ifndef IOR_CORE_SNAPSHOT_H
#define IOR_CORE_SNAPSHOT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/sink.h"
#include "core/stats.h"
#include "core/stream.h"
#include "core/syscalls.h"
#include "core/u32map.h"

/* A statistics row with its latency percentiles (from the histograms). */
struct snapshot_row {
	struct stats_row row;
	uint64_t p50_ns, p99_ns;
};

struct snapshot_syscall {
	int nr; /* native number */
	struct snapshot_row r;
};

/* Strings are offsets into struct snapshot.strings; 0 means none. */
struct snapshot_file {
	uint32_t path;
	struct stats_row row;
};

struct snapshot_proc {
	uint32_t pid, ppid;
	uint32_t comm;
	struct stats_row row;
};

struct snapshot_event {
	struct ior_rec rec; /* its ior_str ids belong to the source: use the offsets */
	uint32_t comm, file, old_file, arg_path, flags, addr;
};

struct snapshot {
	uint64_t seq;	   /* 1 for the first one published, then one more each */
	uint64_t built_ns; /* CLOCK_MONOTONIC when built */
	uint64_t events;   /* records the source has seen */
	uint64_t lost;	   /* records the kernel could not deliver */
	struct snapshot_row total;
	struct snapshot_row family[FAMILY_COUNT];
	struct snapshot_syscall *sys; /* the syscalls seen, by number */
	size_t nsys;
	struct snapshot_file *files; /* the busiest: most bytes, then most calls */
	size_t nfiles;
	size_t files_total;	     /* files known to the statistics */
	struct snapshot_proc *procs; /* by pid */
	size_t nprocs;
	struct snapshot_event *recent; /* the newest records, newest first */
	size_t nrecent;
	char *strings; /* NUL-terminated strings, "" at offset 0 */
	size_t strings_len;
	/* Allocated sizes, kept from one build to the next. */
	size_t sys_cap, files_cap, procs_cap, recent_cap, strings_cap;
};

/* The string at offset off, or NULL for 0. */
const char *snapshot_str(const struct snapshot *s, uint32_t off);

#define SNAPSHOT_FRESH 4u /* in snapshot_box.middle: not yet taken by the UI */

struct snapshot_box {
	struct snapshot buf[3];
	/* Index of the buffer between the two threads, | SNAPSHOT_FRESH when the
	 * source put it there and the UI has not taken it yet. */
	_Atomic unsigned middle;
	unsigned back;	/* source thread: the one it builds into */
	unsigned front; /* UI thread: the one it reads */
	int efd;	/* eventfd, written after each publish */

	/* Source thread only. */
	const struct stats *stats;
	const struct stream *stream;
	const char **str; /* string id -> text, from the pipeline (borrowed) */
	size_t str_cap;
	uint64_t events, lost;
	uint64_t published; /* snapshots handed over */
	uint64_t period_ns, last_ns;
	size_t files_max, recent_max;
	struct u32map dedup; /* string id -> offset in the snapshot being built */
};

extern const struct sink_ops snapshot_sink_ops;

/* Set up a box over the source's statistics and stream, published at most
 * every period_ns by the sink (add it after the stats and stream sinks).
 * files_max and recent_max bound what a snapshot copies. -errno when the
 * eventfd cannot be made. */
int snapshot_box_init(struct snapshot_box *b, const struct stats *stats,
		      const struct stream *stream, uint64_t period_ns, size_t files_max,
		      size_t recent_max, struct ior_err *err);
void snapshot_box_fini(struct snapshot_box *b);
/* Source thread: build a snapshot now and hand it over (the sink calls it;
 * call it once more when the source ends). Never blocks. */
void snapshot_box_publish(struct snapshot_box *b);
/* UI thread: the newest snapshot handed over, NULL before the first. It
 * stays valid and unchanged until the next call. Never blocks. */
const struct snapshot *snapshot_box_acquire(struct snapshot_box *b);
/* Readable after a publish (an eventfd: read 8 bytes to clear it). */
int snapshot_box_fd(const struct snapshot_box *b);

#endif
