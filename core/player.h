/* Replay with a clock: a source thread that feeds a recorded session into a
 * pipeline (statistics, stream, snapshots) at a speed, paused, stepped or
 * sought, so every screen shows the session as of the cursor. Commands come
 * from the UI thread through a pipe; where the cursor stands goes out in
 * the snapshots (struct snapshot cursor_*, span_*). */
#ifndef IOR_CORE_PLAYER_H
#define IOR_CORE_PLAYER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/session.h"
#include "core/sink.h"
#include "core/snapshot.h"
#include "core/stats.h"
#include "core/stream.h"

enum player_cmd_kind {
	PLAYER_PAUSE,	  /* arg: 1 pause, 0 play */
	PLAYER_SPEED,	  /* speed: x real time, 0 as fast as possible */
	PLAYER_STEP,	  /* arg: events forward (> 0) or back (< 0); pauses */
	PLAYER_STEP_TIME, /* arg: ns forward or back; pauses */
	PLAYER_SEEK_ID,	  /* arg: event id (1-based; 0 = before the first) */
	PLAYER_SEEK_TIME, /* arg: wall-clock ns */
	PLAYER_STOP,	  /* end the thread */
};

struct player_cmd {
	enum player_cmd_kind kind;
	int64_t arg;
	double speed;
};

struct player_opts {
	double speed;	    /* 1 = real time; 0 = as fast as possible */
	bool paused;	    /* start paused */
	uint64_t start_ns;  /* start at this wall time (0: the beginning) */
	uint64_t period_ns; /* between snapshots */
	size_t stream_records, files_max;
	bool no_checkpoints;	/* seek by feeding from the first record (tests, benches) */
	bool background;	/* twin mode: SCHED_IDLE, never taking the CPU from a capture */
	size_t stats_files_max; /* struct stats.files_max; 0: STATS_FILES_MAX (tests) */
	size_t stats_procs_max; /* struct stats.procs_max; 0: STATS_PROCS_MAX (tests), or
				 * no bound for a session whose checkpoints are of
				 * format 1 (its recorder folded no process) */
};

struct player;

/* Open path read-only and start the thread; the first snapshot comes at
 * once. The snapshot box is the player's: snapshot_box_acquire it from the
 * UI thread. -errno with err set (not a session, unreadable...). */
int player_start(struct player **out, const char *path, const struct player_opts *o,
		 struct ior_err *err);
/* UI thread: hand a command over (never blocks for long). */
void player_send(struct player *p, const struct player_cmd *cmd);
struct snapshot_box *player_box(struct player *p);
/* The session as opened (never changed after player_start: any thread). */
const struct session_info *player_info(const struct player *p);
/* Stop and join the thread, close the session. NULL-safe. */
void player_stop(struct player *p);

#endif
