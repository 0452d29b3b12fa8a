/* A live capture: load and attach BPF, open the session store, launch or
 * attach the targets and run the reader thread into a pipeline the caller
 * filled with its own sinks. Used by `ior record` (headless) and the live
 * UI alike. Main thread only. */
#ifndef IOR_CORE_CAPTURE_H
#define IOR_CORE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"
#include "core/sink.h"
#include "core/tracker.h"

#define CAPTURE_MAX_PIDS 1024

struct capture_opts {
	const char *out; /* session file */
	bool force;	 /* replace an existing out */
	bool follow, all;
	pid_t pids[CAPTURE_MAX_PIDS];
	int npids;
	uint8_t *keep; /* IOR_NR_MAX entries, NULL = every syscall (owned by the caller) */
	const char *comm;
	uint32_t tid;
	double duration;	/* seconds, 0 = until the targets exit */
	size_t ring_bytes;	/* 0 = the loader's default */
	char **cmd;		/* argv after --, NULL if none */
	const char *cmd_output; /* the command's stdout and stderr go to this new file
				 * (its stdin from /dev/null); NULL: inherited */
	int argc; /* ior's own arguments from the subcommand on, for the session row */
	char **argv;
	/* tracker_opts.strings_max (0 keeps every string): see
	 * capture_strings_max. */
	size_t strings_max;
};

#define CAPTURE_STRINGS_MAX ((size_t)32 << 20)

/* The string table's bound for a capture: IOR_STRINGS_MAX from the
 * environment (bytes, a whole number of at least 1 MiB), else
 * CAPTURE_STRINGS_MAX; a one-line error for a bad value. */
int capture_strings_max(size_t *out, struct ior_err *err);

struct capture;

/* Check the options (targets: a thread id stands for its process, a zombie
 * or ior itself is refused; the output files; the command), then load BPF,
 * open the store, launch or attach and start the reader feeding the store
 * and then the sinks of extra (borrowed until capture_stop; may be NULL).
 * The launched command is stopped before its execve until capture_go. An
 * existing o->out (--force) is replaced only once capture_go succeeds. */
int capture_start(struct capture **out, const struct capture_opts *o, const struct pipeline *extra,
		  struct ior_err *err);
/* Let the launched command run (no-op without one); fails when it could
 * not exec. On success the session takes its name (o->out). */
int capture_go(struct capture *c, struct ior_err *err);
/* Has the capture ended by itself: every target gone, or -d elapsed?
 * Reaps the launched command on the way. Cheap; call it a few times a second. */
bool capture_done(struct capture *c);
/* The tracker (reader thread state), for sinks that want to read it there. */
struct tracker *capture_tracker(struct capture *c);
/* "pid 42", "all", or the launched command line (owned by c). */
const char *capture_target(const struct capture *c);
/* Pid of the launched command, or -1. */
pid_t capture_child(const struct capture *c);
/* Is the launched command still running (not yet reaped)? Reaps it. */
bool capture_child_running(struct capture *c);
/* Pass sig on to the launched command, as strace does for a command it
 * started; false when there is none running. */
bool capture_signal(struct capture *c, int sig);
/* End a launched command that still runs (SIGTERM, SIGKILL after 2 s),
 * stop the reader (draining the ring) and close the session: a finished
 * session leaves WAL mode and is one file; one whose targets never started
 * is removed (an existing file it was to replace is untouched). Reaps the
 * child; *child_status gets its wait status, or -1. NULL-safe. */
int capture_stop(struct capture *c, int *child_status, struct ior_err *err);

/* Reader thread (or before capture_go): how often and how long the reader
 * waited for the session writer (store_stalls): a stall source for the
 * status line and the UI's snapshots; ctx is the capture. */
void capture_writer_stalls(void *ctx, uint64_t *count, uint64_t *ns);

#endif
