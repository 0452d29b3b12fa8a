/* Reading older records back from the session file being written (WAL), a
 * page at a time by id range, for the Stream screen's scroll-back past the
 * snapshot's ring. Opens read-only; never writes. One thread per handle
 * (the UI's). */
#ifndef IOR_CORE_HISTORY_H
#define IOR_CORE_HISTORY_H

#include <stdint.h>

#include "core/err.h"
#include "core/event.h"

/* One row of events_v; the strings are NULL where the column is NULL and
 * are valid only during the callback (raw bytes, escape before showing). */
struct history_row {
	uint64_t id;	    /* events.id: the order records were written */
	struct ior_rec rec; /* its ior_str fields are 0: use the strings */
	const char *comm, *file, *old_file, *arg_path, *flags, *addr;
};

typedef void (*history_row_fn)(void *ctx, const struct history_row *row);

struct history;

/* Open the session at path read-only (a live WAL session is fine). -errno
 * or -EINVAL (not an ior session) with err set. */
int history_open(struct history **out, const char *path, struct ior_err *err);
/* NULL-safe. */
void history_close(struct history *h);
/* Call fn for every row with lo <= id <= hi, ascending, through the primary
 * key (cost: the rows in the range, never a scan). Returns the rows seen or
 * a negative errno with err set. */
long history_range(struct history *h, uint64_t lo, uint64_t hi, history_row_fn fn, void *ctx,
		   struct ior_err *err);
/* The highest id committed so far (0 when none); -errno on error. */
int64_t history_last_id(struct history *h, struct ior_err *err);

/* The first record after (dir > 0) or before (dir < 0) id from whose file,
 * rename source or comm contains needle, or whose syscall or errno name is
 * needle: its id, 0 when none, -errno with err set. Scans from the cursor. */
int64_t history_find(struct history *h, uint64_t from, int dir, const char *needle,
		     struct ior_err *err);

#endif
