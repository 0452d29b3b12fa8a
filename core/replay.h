/* Replay: feed a recorded session through a pipeline, as the live reader
 * does: strings first (keeping the session's ids), then processes, the
 * records in the order they were written, process exits, and the lost count.
 * The caller's thread. */
#ifndef IOR_CORE_REPLAY_H
#define IOR_CORE_REPLAY_H

#include <sqlite3.h>

#include "core/err.h"
#include "core/intern.h"
#include "core/session.h"
#include "core/sink.h"

/* db comes from session_open; strings receives the session's strings (ids
 * kept) and must outlive what the sinks keep of them. */
int replay_run(sqlite3 *db, const struct session_info *info, struct intern *strings,
	       struct pipeline *p, struct ior_err *err);

/* The pieces, for a source that paces the records itself (core/player):
 * the session's strings after id *last into strings and the pipeline (*last
 * becomes the last one's id: call again for those a growing session
 * adds); a statement over the
 * records after id ?1 (bound to 0), in order; one row of it as a record
 * (returns its id). */
int replay_strings(sqlite3 *db, struct intern *strings, struct pipeline *p, ior_str *last,
		   struct ior_err *err);
int replay_events_open(sqlite3 *db, sqlite3_stmt **stmt, struct ior_err *err);
uint64_t replay_row(sqlite3_stmt *stmt, const struct session_info *info, struct ior_rec *out);

#endif
