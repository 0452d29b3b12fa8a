/* Older records read back from the session file by id range (events_v). */
#include "core/history.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/session.h"
#include "core/xalloc.h"

struct history {
	sqlite3 *db;
	sqlite3_stmt *range; /* events_v by id range, ascending */
	sqlite3_stmt *last;
};

/* events_v flattens into events joined by primary keys, so an id range is
 * a range on the events primary key (EXPLAIN QUERY PLAN: SEARCH e USING
 * INTEGER PRIMARY KEY). */
static const char range_sql[] =
	"SELECT id, ts_ns, pid, tid, nr, ret, duration_ns, gap_ns, fd, bytes,"
	" address_space_bytes, requested_sleep_ns, epoll_target_fd, epoll_events, epoll_op,"
	" interrupted, noreturn, truncated, enter_missing, errno,"
	" comm, file, old_file, arg_path, flags, addr"
	" FROM events_v WHERE id BETWEEN ?1 AND ?2 ORDER BY id";

int history_open(struct history **out, const char *path, struct ior_err *err)
{
	struct session_info info;
	struct history *h;
	int rc;

	*out = NULL;
	h = xcalloc(1, sizeof(*h));
	if ((rc = session_open(path, &h->db, &info, err)) < 0)
		goto fail;
	/* The writer commits often: wait a little for its lock, never long. */
	sqlite3_busy_timeout(h->db, 50);
	if (sqlite3_prepare_v2(h->db, range_sql, -1, &h->range, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h->db, "SELECT max(id) FROM events", -1, &h->last, NULL) !=
		    SQLITE_OK) {
		rc = ior_err_set(err, -EIO, "%s: %s", path, sqlite3_errmsg(h->db));
		goto fail;
	}
	*out = h;
	return 0;
fail:
	history_close(h);
	return rc;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	sqlite3_finalize(h->range);
	sqlite3_finalize(h->last);
	sqlite3_close(h->db);
	free(h);
}

static const char *text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static int epoll_op_of(const char *s)
{
	if (!s)
		return 0;
	if (!strcmp(s, "ADD"))
		return 1;
	if (!strcmp(s, "DEL"))
		return 2;
	if (!strcmp(s, "MOD"))
		return 3;
	return atoi(s);
}

long history_range(struct history *h, uint64_t lo, uint64_t hi, history_row_fn fn, void *ctx,
		   struct ior_err *err)
{
	sqlite3_stmt *st = h->range;
	long n = 0;
	int rc;

	if (lo > hi)
		return 0;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)lo);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(hi > INT64_MAX ? INT64_MAX : hi));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_row row;
		struct ior_rec *r = &row.rec;

		memset(&row, 0, sizeof(row));
		row.id = (uint64_t)sqlite3_column_int64(st, 0);
		r->ts_ns = (uint64_t)sqlite3_column_int64(st, 1);
		r->pid = (uint32_t)sqlite3_column_int64(st, 2);
		r->tid = (uint32_t)sqlite3_column_int64(st, 3);
		r->nr = (int16_t)sqlite3_column_int(st, 4);
		r->ret = sqlite3_column_int64(st, 5);
		r->duration_ns = (uint64_t)sqlite3_column_int64(st, 6);
		r->gap_ns = (uint64_t)sqlite3_column_int64(st, 7);
		r->fd = sqlite3_column_type(st, 8) == SQLITE_NULL ? REC_FD_NONE
								  : sqlite3_column_int(st, 8);
		r->bytes = sqlite3_column_int64(st, 9);
		if (sqlite3_column_type(st, 10) != SQLITE_NULL) {
			r->rec_flags |= REC_HAS_ASB;
			r->address_space_bytes = sqlite3_column_int64(st, 10);
		}
		if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
			r->rec_flags |= REC_HAS_SLEEP;
			r->requested_sleep_ns = sqlite3_column_int64(st, 11);
		}
		if (sqlite3_column_type(st, 14) != SQLITE_NULL) {
			r->rec_flags |= REC_HAS_EPOLL;
			r->epoll_target_fd = sqlite3_column_int(st, 12);
			r->epoll_events = (uint32_t)sqlite3_column_int64(st, 13);
			r->epoll_op = (uint8_t)epoll_op_of(text(st, 14));
		}
		if (sqlite3_column_int(st, 15))
			r->rec_flags |= REC_INTERRUPTED;
		if (sqlite3_column_int(st, 16))
			r->rec_flags |= REC_NORETURN;
		if (sqlite3_column_int(st, 17))
			r->rec_flags |= REC_TRUNCATED;
		if (sqlite3_column_int(st, 18))
			r->rec_flags |= REC_ENTER_MISSING;
		/* errno is set for restart codes too; those are not failures. */
		if (sqlite3_column_type(st, 19) != SQLITE_NULL && !(r->rec_flags & REC_INTERRUPTED))
			r->rec_flags |= REC_FAILED;
		row.comm = text(st, 20);
		row.file = text(st, 21);
		row.old_file = text(st, 22);
		row.arg_path = text(st, 23);
		row.flags = text(st, 24);
		row.addr = text(st, 25);
		fn(ctx, &row);
		n++;
	}
	if (rc != SQLITE_DONE)
		n = ior_err_set(err, -EIO, "session read: %s", sqlite3_errmsg(h->db));
	sqlite3_reset(st);
	return n;
}

int64_t history_last_id(struct history *h, struct ior_err *err)
{
	int64_t id = 0;
	int rc = sqlite3_step(h->last);

	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(h->last, 0);
	else
		id = ior_err_set(err, -EIO, "session read: %s", sqlite3_errmsg(h->db));
	sqlite3_reset(h->last);
	return id;
}

int64_t history_find(struct history *h, uint64_t from, int dir, const char *needle,
		     struct ior_err *err)
{
	/* A scan from the cursor in id order (the primary key), stopping at the
	 * first record whose file, old file, comm, syscall or errno matches. */
	static const char *const sql[2] = {
		"SELECT id FROM events_v WHERE id > ?1 AND (instr(file, ?2) OR instr(old_file, ?2)"
		" OR instr(comm, ?2) OR syscall = ?3 OR errno = ?3) ORDER BY id LIMIT 1",
		"SELECT id FROM events_v WHERE id < ?1 AND (instr(file, ?2) OR instr(old_file, ?2)"
		" OR instr(comm, ?2) OR syscall = ?3 OR errno = ?3) ORDER BY id DESC LIMIT 1",
	};
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if (sqlite3_prepare_v2(h->db, sql[dir < 0], -1, &st, NULL) != SQLITE_OK)
		return ior_err_set(err, -EIO, "session search: %s", sqlite3_errmsg(h->db));
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_blob(st, 2, needle, (int)strlen(needle), SQLITE_STATIC);
	sqlite3_bind_text(st, 3, needle, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		id = ior_err_set(err, -EIO, "session search: %s", sqlite3_errmsg(h->db));
	sqlite3_finalize(st);
	return id;
}
