/* Replay of a session into a pipeline. */
#include "core/replay.h"

#include <errno.h>
#include <string.h>

#include "core/syscalls.h"

/* rflags as stored (REC_* bits 0..4); the rest is derived. */
#define STORED_FLAGS 0x1f

static int sql_error(sqlite3 *db, struct ior_err *err, const char *what)
{
	return ior_err_set(err, -EIO, "session: %s: %s", what, sqlite3_errmsg(db));
}

int replay_strings(sqlite3 *db, struct intern *strings, struct pipeline *p, ior_str *last,
		   struct ior_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id, s FROM strings WHERE id > ? ORDER BY id", -1, &stmt,
			       NULL))
		return sql_error(db, err, "strings");
	sqlite3_bind_int64(stmt, 1, *last);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ior_str id = (ior_str)sqlite3_column_int64(stmt, 0);

		*last = id;
		const char *s = (const char *)sqlite3_column_blob(stmt, 1);
		size_t len = (size_t)sqlite3_column_bytes(stmt, 1), n;

		if (!s)
			s = "";
		if (intern_put(strings, id, s, len) == 0)
			pipeline_string(p, id, intern_str(strings, id, &n), n);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : sql_error(db, err, "strings");
}

static int replay_procs(sqlite3 *db, struct pipeline *p, bool exits, struct ior_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT pid, ppid, comm, exe, start_ns, exit_ns, exit_code"
			       " FROM processes ORDER BY id",
			       -1, &stmt, NULL))
		return sql_error(db, err, "processes");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct ior_proc_ev ev = {
			.kind = exits ? PROC_EXIT : PROC_START,
			.pid = (uint32_t)sqlite3_column_int64(stmt, 0),
			.ppid = (uint32_t)sqlite3_column_int64(stmt, 1),
			.comm = (ior_str)sqlite3_column_int64(stmt, 2),
			.exe = (ior_str)sqlite3_column_int64(stmt, 3),
			.ts_ns = (uint64_t)sqlite3_column_int64(stmt, exits ? 5 : 4),
			.exit_code = sqlite3_column_int(stmt, 6),
		};

		ev.tid = ev.pid;
		if (exits && sqlite3_column_type(stmt, 5) == SQLITE_NULL)
			continue;
		pipeline_proc(p, &ev);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : sql_error(db, err, "processes");
}

static void derive_flags(struct ior_rec *r)
{
	const struct syscall_info *info = syscall_by_nr(r->nr);
	bool noreturn = r->rec_flags & REC_NORETURN;

	if (!noreturn && !(r->rec_flags & REC_INTERRUPTED) && r->ret < 0 && r->ret >= -4095)
		r->rec_flags |= REC_FAILED;
	if (info && info->byte_class != BYTES_NONE && !noreturn && r->ret > 0)
		r->bytes = r->ret;
}

int replay_events_open(sqlite3 *db, sqlite3_stmt **stmt, struct ior_err *err)
{
	if (sqlite3_prepare_v2(
		    db,
		    "SELECT e.ts, e.pid, e.tid, e.comm, e.nr, e.ret, e.duration, e.gap,"
		    " e.fd, e.file, e.rflags, x.id, x.old_file, x.arg_path, x.open_flags,"
		    " x.addr, x.epoll_op, x.epoll_target_fd, x.epoll_events,"
		    " x.address_space_bytes, x.requested_sleep_ns, e.id"
		    " FROM events e LEFT JOIN event_extra x ON x.id = e.id WHERE e.id > ?1"
		    " ORDER BY e.id",
		    -1, stmt, NULL))
		return sql_error(db, err, "events");
	sqlite3_bind_int64(*stmt, 1, 0);
	return 0;
}

uint64_t replay_row(sqlite3_stmt *stmt, const struct session_info *info, struct ior_rec *out)
{
	struct ior_rec r = {
		.ts_ns = info->start_ns + (uint64_t)sqlite3_column_int64(stmt, 0),
		.tid = (uint32_t)sqlite3_column_int64(stmt, 2),
		.comm = (ior_str)sqlite3_column_int64(stmt, 3),
		.nr = session_native_nr(info, sqlite3_column_int(stmt, 4)),
		.ret = sqlite3_column_int64(stmt, 5),
		.duration_ns = (uint64_t)sqlite3_column_int64(stmt, 6),
		.gap_ns = (uint64_t)sqlite3_column_int64(stmt, 7),
		.fd = REC_FD_NONE,
		.file = (ior_str)sqlite3_column_int64(stmt, 9),
		.rec_flags = (uint32_t)sqlite3_column_int(stmt, 10) & STORED_FLAGS,
		.epoll_target_fd = REC_FD_NONE,
	};

	r.pid = sqlite3_column_type(stmt, 1) == SQLITE_NULL
			? r.tid
			: (uint32_t)sqlite3_column_int64(stmt, 1);
	if (sqlite3_column_type(stmt, 8) != SQLITE_NULL)
		r.fd = sqlite3_column_int(stmt, 8);
	if (sqlite3_column_type(stmt, 11) != SQLITE_NULL) {
		r.old_file = (ior_str)sqlite3_column_int64(stmt, 12);
		r.arg_path = (ior_str)sqlite3_column_int64(stmt, 13);
		r.flags = (ior_str)sqlite3_column_int64(stmt, 14);
		r.addr = (ior_str)sqlite3_column_int64(stmt, 15);
		if (sqlite3_column_type(stmt, 16) != SQLITE_NULL) {
			r.rec_flags |= REC_HAS_EPOLL;
			r.epoll_op = (uint8_t)sqlite3_column_int(stmt, 16);
			r.epoll_target_fd = sqlite3_column_int(stmt, 17);
			r.epoll_events = (uint32_t)sqlite3_column_int64(stmt, 18);
		}
		if (sqlite3_column_type(stmt, 19) != SQLITE_NULL) {
			r.rec_flags |= REC_HAS_ASB;
			r.address_space_bytes = sqlite3_column_int64(stmt, 19);
		}
		if (sqlite3_column_type(stmt, 20) != SQLITE_NULL) {
			r.rec_flags |= REC_HAS_SLEEP;
			r.requested_sleep_ns = sqlite3_column_int64(stmt, 20);
		}
	}
	derive_flags(&r);
	*out = r;
	return (uint64_t)sqlite3_column_int64(stmt, 21);
}

static int replay_events(sqlite3 *db, const struct session_info *info, struct pipeline *p,
			 struct ior_err *err)
{
	sqlite3_stmt *stmt;
	struct ior_rec r;
	int rc;

	if ((rc = replay_events_open(db, &stmt, err)))
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		replay_row(stmt, info, &r);
		pipeline_event(p, &r);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : sql_error(db, err, "events");
}

int replay_run(sqlite3 *db, const struct session_info *info, struct intern *strings,
	       struct pipeline *p, struct ior_err *err)
{
	ior_str last = 0;
	int rc;

	if ((rc = replay_strings(db, strings, p, &last, err)) ||
	    (rc = replay_procs(db, p, false, err)) || (rc = replay_events(db, info, p, err)) ||
	    (rc = replay_procs(db, p, true, err)))
		return rc;
	pipeline_lost(p, info->events_lost);
	pipeline_flush(p);
	return 0;
}
