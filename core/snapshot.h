/* What the UI sees of a live or replayed session: totals, per-family,
 * per-syscall (with latency and gap histograms), per-file and per-process
 * statistics, flame triples, top errors, one process's descriptors on
 * request and the newest records, with every string they use copied in, so
 * the UI never touches the source's tables. The source thread builds one at most every period and
 * hands it over through three buffers, so that neither thread ever waits
 * for the other; an eventfd tells the UI a new one is there. */
#ifndef IOR_CORE_SNAPSHOT_H
#define IOR_CORE_SNAPSHOT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/sink.h"
#include "core/stats.h"
#include "core/stream.h"
#include "core/syscalls.h"
#include "core/u64map.h"

/* A statistics row with its latency percentiles (from the histograms). */
struct snapshot_row {
	struct stats_row row;
	uint64_t p50_ns, p99_ns;
};

/* Strings are offsets into struct snapshot.strings; 0 means none. Family
 * masks hold STATS_FAMILY_BIT(enum ior_family) of every family seen. */

struct snapshot_syscall {
	int nr; /* native number */
	struct snapshot_row r;
	struct stats_hist lat; /* latency (duration_ns) of every call */
	struct stats_hist gap; /* gap_ns of the calls that had one (> 0) */
	uint64_t gap_calls;    /* calls counted in gap */
	uint64_t gap_total_ns; /* their gap_ns summed: mean = total / calls */
};

struct snapshot_file {
	uint32_t path;
	uint16_t families; /* families of the calls that named it */
	uint32_t nprocs;   /* distinct pids that named it (exact) */
	uint64_t opens;	   /* successful SYSCALL_RET_FD calls (open*, socket, dup...) */
	struct stats_row row;
};

struct snapshot_proc {
	uint32_t pid, ppid;
	uint32_t comm;
	uint32_t exe;	   /* exec'd program, 0 unknown */
	uint16_t families; /* families of its calls */
	bool exited;
	int32_t exit_code; /* when exited: wait status style (code << 8 | signal) */
	uint64_t start_ns; /* wall clock ns; 0 when it predates tracing */
	uint64_t exit_ns;  /* wall clock ns, when exited */
	struct stats_row row;
};

/* One (comm, syscall, file) triple of the flame graph. */
struct snapshot_flame {
	uint32_t comm, file; /* file 0: the call named none */
	int nr;		     /* native number */
	uint64_t calls, bytes, total_ns, errors;
};

/* Failed calls of one syscall with one errno. */
struct snapshot_error {
	int nr;
	int err; /* errno (-ret); 0 when the return value was no errno */
	uint64_t count;
};

/* One open descriptor of the process asked for (snapshot_box_want_fds). */
struct snapshot_fd {
	int fd;
	uint32_t path; /* 0 when the tracker does not know it */
	bool cloexec;
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
	/* Times the reader waited for the session writer, and for how long
	 * in all (ns): live only, from the stall source. */
	uint64_t writer_stalls, writer_stall_ns;
	/* Where a replay stands (all 0 live): the wall time and event id of the
	 * cursor, the session's span and event count, the playing speed (0:
	 * as fast as possible) and whether it is paused. */
	uint64_t cursor_ns, cursor_id, span_start_ns, span_end_ns, span_events;
	double speed;
	bool paused, at_end;
	struct snapshot_row total;
	uint64_t gap_calls, gap_total_ns; /* over every syscall: the mean gap */
	struct snapshot_row family[FAMILY_COUNT];
	struct snapshot_syscall *sys; /* the syscalls seen, by number */
	size_t nsys;
	struct snapshot_file *files; /* the busiest: most bytes, then most calls */
	size_t nfiles;
	size_t files_total;	     /* files known to the statistics */
	uint64_t files_folded;	     /* files folded into "(other files)" (struct stats) */
	struct snapshot_proc *procs; /* by pid: STATS_PROC_OTHER, "(other processes)", last */
	size_t nprocs;
	uint64_t procs_folded;	      /* processes folded into it (struct stats) */
	struct snapshot_flame *flame; /* the flame_max heaviest by calls, unordered */
	size_t nflame;
	size_t flame_total;	       /* triples known to the statistics */
	struct snapshot_error *errors; /* the errors_max commonest, by count desc */
	size_t nerrors;
	size_t errors_total;	 /* distinct (syscall, errno) pairs */
	uint32_t fds_pid;	 /* whose descriptors fds lists; 0: none asked, or no
			      * lister (replay) */
	struct snapshot_fd *fds; /* by fd */
	size_t nfds;
	struct snapshot_event *recent; /* the newest records, newest first */
	size_t nrecent;
	char *strings; /* NUL-terminated strings, "" at offset 0 */
	size_t strings_len;
	/* Allocated sizes, kept from one build to the next. */
	size_t sys_cap, files_cap, procs_cap, flame_cap, errors_cap, fds_cap, recent_cap,
		strings_cap;
};

/* The string at offset off, or NULL for 0. */
const char *snapshot_str(const struct snapshot *s, uint32_t off);

#define SNAPSHOT_FRESH 4u /* in snapshot_box.middle: not yet taken by the UI */

#define SNAPSHOT_FLAME_MAX  20000 /* default snapshot_box.flame_max */
#define SNAPSHOT_ERRORS_MAX 64	  /* default snapshot_box.errors_max */

/* What a descriptor lister calls for each open descriptor. */
typedef void (*snapshot_fd_fn)(void *ctx, int fd, ior_str path, bool cloexec);
/* Lists pid's open descriptors through fn (live: over tracker_list_fds).
 * Runs on the source thread while a snapshot is built. */
typedef void (*snapshot_fd_lister_fn)(void *ctx, uint32_t pid, snapshot_fd_fn fn, void *fn_ctx);
/* Source thread: the writer's stalls so far (count, total ns). */
typedef void (*snapshot_stalls_fn)(void *ctx, uint64_t *count, uint64_t *ns);

struct snapshot_box {
	struct snapshot buf[3];
	/* Index of the buffer between the two threads, | SNAPSHOT_FRESH when the
	 * source put it there and the UI has not taken it yet. */
	_Atomic unsigned middle;
	unsigned back;	/* source thread: the one it builds into */
	unsigned front; /* UI thread: the one it reads */
	int efd;	/* eventfd, written after each publish */
	/* UI thread writes (snapshot_box_want_fds), source thread reads. */
	_Atomic uint32_t want_fds;
	/* Set once by snapshot_box_set_fd_lister, from any thread, possibly
	 * while the source runs (the tracker exists only once the capture has
	 * started); NULL: no descriptor tables (replay). fd_lister_ctx is
	 * written before fd_lister and read only after it was seen set. */
	_Atomic(snapshot_fd_lister_fn) fd_lister;
	void *fd_lister_ctx;
	/* The same for the writer's stalls (snapshot_box_set_stall_source). */
	_Atomic(snapshot_stalls_fn) stalls_fn;
	void *stalls_ctx;

	/* Source thread only (set the bounds after init, before the source
	 * starts). */
	const struct stats *stats;
	const struct stream *stream;
	struct u32map str; /* string id -> text, from the pipeline (borrowed
			    * from the source's table, and moved by its
			    * sweeps: strings_moved) */
	uint64_t events, lost;
	/* Set by a replay source before it publishes (see struct snapshot). */
	uint64_t cursor_ns, cursor_id, span_start_ns, span_end_ns, span_events;
	double speed;
	bool paused, at_end;
	uint64_t published; /* snapshots handed over */
	uint64_t period_ns, last_ns;
	size_t files_max, recent_max;
	size_t flame_max;    /* SNAPSHOT_FLAME_MAX unless set */
	size_t errors_max;   /* SNAPSHOT_ERRORS_MAX unless set */
	struct u64map dedup; /* string id -> uint32_t offset in the snapshot being built */
};

extern const struct sink_ops snapshot_sink_ops;

/* Set up a box over the source's statistics and stream, published at most
 * every period_ns by the sink (add it after the stats and stream sinks).
 * files_max and recent_max bound what a snapshot copies (so do flame_max
 * and errors_max, fields with defaults). -errno when the eventfd cannot be
 * made. */
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
/* How to list a process's descriptors; ctx is borrowed (live: the tracker)
 * and must outlive the source. Call it once, from any thread, before or
 * while the source runs; never where there is none (replay). */
void snapshot_box_set_fd_lister(struct snapshot_box *b, snapshot_fd_lister_fn fn, void *ctx);
/* Where the writer's stalls come from; as snapshot_box_set_fd_lister. */
void snapshot_box_set_stall_source(struct snapshot_box *b, snapshot_stalls_fn fn, void *ctx);
/* UI thread: list pid's descriptors in the snapshots built from now on (0:
 * none). Never blocks; the first snapshot that has them says fds_pid == pid. */
void snapshot_box_want_fds(struct snapshot_box *b, uint32_t pid);
/* Readable after a publish (an eventfd: read 8 bytes to clear it). */
int snapshot_box_fd(const struct snapshot_box *b);

#endif
