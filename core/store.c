/* The session store. The sink side (reader thread) copies each record into
 * a bounded SPSC queue that spills to a file when full (core/spsc), so the
 * reader never waits; the writer thread owns the sqlite3 handle, inserts
 * events EVENT_ROWS to a statement and commits every STORE_BATCH rows or
 * STORE_COMMIT_NS, so a SIGKILL loses at most the last fraction of a second
 * (plus the spill's backlog, when the writer is behind). */
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "core/ckpt.h"
#include "core/decode.h"
#include "core/spsc.h"
#include "core/stats.h"
#include "core/syscalls.h"
#include "core/u32map.h"
#include "core/xalloc.h"

#define STORE_QUEUE	  (1 << 16)
#define STORE_BATCH	  50000
#define STORE_COMMIT_NS	  200000000ull
#define STORE_BUSY_MS	  5000 /* longest wait on a reader's lock */
/* The writer's pace (see pace_writer): it competes for the CPU at
 * STORE_LOW_NICE past STORE_HURRY_BYTES of spill backlog or when it has
 * taken nothing for STORE_STUCK_NS with work waiting, and like any thread
 * past STORE_FULL_BYTES or ten times that long. */
#define STORE_HURRY_BYTES (64ull << 20)
#define STORE_FULL_BYTES  (512ull << 20)
#define STORE_STUCK_NS	  100000000ull
#define STORE_LOW_NICE	  10
/* Events go in EVENT_ROWS at a time, one multi-row INSERT: most of a
 * single-row INSERT's cost is per statement (cursor, VM start and halt),
 * not per row. 256 rows took 3 to 5% less of the writer's time per event
 * than 64 (consumer_bench, issue 10); 512 no less than 256. */
#define EVENT_ROWS	  256
#define EVENT_COLS	  11

enum msg_kind {
	MSG_STRING = 1,
	MSG_STRING_MORE,
	MSG_EVENT,
	MSG_PROC,
	MSG_LOST,
	MSG_STALLS,
	MSG_STOP
};

/* A string travels in the queue itself (the source may forget it before
 * the writer gets there): its first bytes in the MSG_STRING, the rest in
 * MSG_STRING_MORE messages that follow it. */
#define MSG_STR_FIRST (sizeof(struct ior_rec) - 2 * sizeof(uint32_t))
#define MSG_STR_MORE  sizeof(struct ior_rec)

struct msg {
	uint32_t kind; /* enum msg_kind */
	union {
		struct ior_rec rec;
		struct ior_proc_ev proc;
		struct {
			ior_str id;
			uint32_t len; /* of the whole string */
			char b[MSG_STR_FIRST];
		} str;
		char more[MSG_STR_MORE];
		uint64_t lost;
		struct {
			uint64_t count, ns;
		} stalls;
	} u;
};

/* What a parameter of ins_events holds: bindings outlive sqlite3_reset, so
 * a parameter is bound again only when its value changes. Most columns
 * repeat from one batch to the next in the same row position (pid, tid,
 * comm, nr, ret, fd, file, rflags of a busy thread), and each bind costs
 * an API call, a release of the old value and a store. */
struct bound {
	int64_t v;
	bool set;  /* bound at least once */
	bool null; /* NULL, v unused */
};

/* The writer's scheduling, lowest first (see pace_writer). */
enum pace {
	PACE_IDLE, /* SCHED_IDLE */
	PACE_LOW,  /* SCHED_OTHER at STORE_LOW_NICE */
	PACE_FULL, /* SCHED_OTHER at nice 0, as it starts */
};

struct store {
	sqlite3 *db;
	struct spsc *queue;
	pthread_t writer;
	bool writer_started;
	uint64_t start_ns;
	/* Reader thread: its waits for the writer (full queue, no spill). */
	uint64_t stalls, stall_ns, stalls_sent;
	/* Reader thread: the writer's pace (see pace_writer). */
	enum pace pace;
	_Atomic int writer_tid;	   /* set by the writer as it starts, 0 before */
	uint64_t seen_progress;	   /* spsc_consumer_progress at the last look */
	uint64_t seen_progress_ns; /* when it last changed */
	/* Writer thread only from here on. */
	char *str; /* a string longer than one message, as it arrives */
	size_t str_cap, str_have;
	uint32_t str_len; /* its length: complete when str_have reaches it */
	ior_str str_id;
	sqlite3_stmt *ins_event, *ins_events, *ins_extra, *ins_string, *ins_proc, *upd_proc_exec,
		*upd_proc_comm, *upd_proc_exit, *ins_comm, *ins_syscall, *upd_counts, *ins_ckpt;
	struct u32map proc_rows; /* pid -> processes.id of its live row */
	uint64_t recorded;	 /* events inserted, committed or not */
	uint64_t committed;	 /* events in the file as of the last commit */
	uint64_t lost;
	uint64_t w_stalls, w_stall_ns; /* the reader's, as last sent */
	bool failed;		       /* a write failed: nothing more is written */
	int failure_fd;		       /* eventfd: written once when failed */
	uint64_t in_txn, last_commit_ns;
	struct ior_rec pending[EVENT_ROWS];	     /* events not yet inserted */
	struct bound bound[EVENT_ROWS * EVENT_COLS]; /* ins_events' parameters */
	int npending;
	uint8_t known_nr[1024]; /* syscalls rows written */
	/* Checkpoints: statistics of the records written (and of the process
	 * starts and exits, as a replay applies them, for the fold of
	 * processes), stored every ckpt_every records at least (more when they
	 * are big). */
	struct stats *ckpt_stats;
	uint64_t ckpt_every, ckpt_next; /* next one at this many records */
	uint64_t ckpt_last;		/* records as of the last one */
	int64_t ts_last, ts_max;	/* of the records written, session-relative */
	int error;			/* first SQLite error code, kept for store_close */
	char error_msg[256];
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"BEGIN;"
	"CREATE TABLE session(schema_version INTEGER NOT NULL, ior_version TEXT, kernel TEXT,"
	" arch TEXT, host TEXT, cmdline TEXT, target TEXT, start_ns INTEGER, end_ns INTEGER,"
	" events_recorded INTEGER, events_lost INTEGER,"
	" writer_stalls INTEGER DEFAULT 0, writer_stall_ns INTEGER DEFAULT 0);"
	"CREATE TABLE strings(id INTEGER PRIMARY KEY, s TEXT NOT NULL);"
	"CREATE TABLE syscalls(nr INTEGER PRIMARY KEY, name TEXT NOT NULL, family TEXT,"
	" byte_class TEXT);"
	"CREATE TABLE errnos(nr INTEGER PRIMARY KEY, name TEXT NOT NULL);"
	/* Frequent columns only, as small integers: ts relative to the session
	 * start, pid NULL when it equals tid, strings as ids, rflags (REC_*)
	 * NULL when 0. Rare columns live in event_extra. */
	"CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, pid INTEGER,"
	" tid INTEGER NOT NULL, comm INTEGER, nr INTEGER NOT NULL, ret INTEGER,"
	" duration INTEGER, gap INTEGER, fd INTEGER, file INTEGER, rflags INTEGER);"
	"CREATE TABLE event_extra(id INTEGER PRIMARY KEY, old_file INTEGER, arg_path INTEGER,"
	" open_flags INTEGER, addr INTEGER, epoll_op INTEGER, epoll_target_fd INTEGER,"
	" epoll_events INTEGER, address_space_bytes INTEGER, requested_sleep_ns INTEGER);"
	"CREATE TABLE processes(id INTEGER PRIMARY KEY, pid INTEGER NOT NULL, ppid INTEGER,"
	" comm INTEGER, exe INTEGER, start_ns INTEGER, exit_ns INTEGER, exit_code INTEGER,"
	" start_pos INTEGER, exit_pos INTEGER);"
	/* The running statistics after record id (core/ckpt), for seeking. */
	"CREATE TABLE checkpoints(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
	" ts_max INTEGER NOT NULL, stats BLOB NOT NULL);"
	"CREATE TABLE comms(pid INTEGER NOT NULL, tid INTEGER NOT NULL, ts_ns INTEGER,"
	" comm INTEGER);"
	"CREATE VIEW events_v AS SELECT e.id AS id, ss.start_ns + e.ts AS ts_ns,"
	" coalesce(e.pid, e.tid) AS pid, e.tid AS tid, c.s AS comm,"
	" coalesce(sc.name, 'syscall_' || e.nr) AS syscall, sc.family AS family, e.nr AS nr,"
	" e.ret AS ret,"
	" CASE WHEN e.ret < 0 AND e.ret >= -4095 AND coalesce(e.rflags, 0) & 1 = 0"
	"  THEN coalesce(er.name, 'E' || -e.ret) END AS errno,"
	" e.duration AS duration_ns, e.gap AS gap_ns, e.fd AS fd, f.s AS file, o.s AS old_file,"
	" CASE WHEN sc.byte_class IS NOT NULL AND e.ret > 0 THEN e.ret ELSE 0 END AS bytes,"
	" sc.byte_class AS byte_class, fl.s AS flags, ad.s AS addr,"
	" CASE x.epoll_op WHEN 1 THEN 'ADD' WHEN 2 THEN 'DEL' WHEN 3 THEN 'MOD'"
	"  ELSE CAST(x.epoll_op AS TEXT) END AS epoll_op,"
	" x.epoll_target_fd AS epoll_target_fd, x.epoll_events AS epoll_events,"
	" x.address_space_bytes AS address_space_bytes,"
	" x.requested_sleep_ns AS requested_sleep_ns, ap.s AS arg_path,"
	" (coalesce(e.rflags, 0) & 2) != 0 AS interrupted,"
	" (coalesce(e.rflags, 0) & 1) != 0 AS noreturn,"
	" (coalesce(e.rflags, 0) & 8) != 0 AS truncated,"
	" (coalesce(e.rflags, 0) & 4) != 0 AS enter_missing"
	" FROM events e CROSS JOIN session ss"
	" LEFT JOIN strings c ON c.id = e.comm"
	" LEFT JOIN syscalls sc ON sc.nr = e.nr"
	" LEFT JOIN errnos er ON er.nr = -e.ret"
	" LEFT JOIN strings f ON f.id = e.file"
	" LEFT JOIN event_extra x ON x.id = e.id"
	" LEFT JOIN strings o ON o.id = x.old_file"
	" LEFT JOIN strings ap ON ap.id = x.arg_path"
	" LEFT JOIN strings fl ON fl.id = x.open_flags"
	" LEFT JOIN strings ad ON ad.id = x.addr;"
	"CREATE VIEW processes_v AS SELECT p.pid, p.ppid, c.s AS comm, x.s AS exe, p.start_ns,"
	" p.exit_ns, p.exit_code FROM processes p LEFT JOIN strings c ON c.id = p.comm"
	" LEFT JOIN strings x ON x.id = p.exe;";

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int store_create_file(const char *path, bool force, struct ior_err *err)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return ior_err_set(err, -ELOOP,
					   "%s: is a symbolic link; refusing to write "
					   "through it",
					   path);
		/* What --force cannot replace is said first: suggesting it
		 * for a directory or a device (/dev/full) would mislead. */
		if (S_ISDIR(st.st_mode))
			return ior_err_set(err, -EISDIR, "%s: is a directory", path);
		if (!S_ISREG(st.st_mode))
			return ior_err_set(err, -EINVAL, "%s: not a regular file", path);
		if (!force)
			return ior_err_set(err, -EEXIST,
					   "%s: already exists (use --force to replace "
					   "it)",
					   path);
		if (unlink(path))
			return ior_err_set(err, -errno, "%s: cannot replace: %s", path,
					   strerror(errno));
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return ior_err_set(err, -errno, "%s: cannot create: %s", path, strerror(errno));
	return fd;
}

static void remove_sidecars(const char *path)
{
	char side[4200];

	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static int db_error(struct store *st, struct ior_err *err, const char *what)
{
	return ior_err_set(err, -EIO, "session: %s: %s", what, sqlite3_errmsg(st->db));
}

static int prepare(struct store *st, sqlite3_stmt **stmt, const char *sql, struct ior_err *err)
{
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) != SQLITE_OK)
		return db_error(st, err, "prepare");
	return 0;
}

static int write_static_tables(struct store *st, const struct store_meta *meta, struct ior_err *err)
{
	sqlite3_stmt *stmt = NULL;
	struct utsname u;
	char host[256];
	int rc = 0;

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(st, err, "begin");
	if ((rc = prepare(st, &stmt,
			  "INSERT INTO session VALUES(?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, 0, 0, 0)",
			  err)))
		return rc;
	sqlite3_bind_int(stmt, 1, STORE_SCHEMA_VERSION);
	sqlite3_bind_text(stmt, 2, IOR_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, u.release, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, u.machine, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 5, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 6, meta->cmdline, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, meta->target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 8, (sqlite3_int64)meta->start_ns);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = db_error(st, err, "session row");
	sqlite3_finalize(stmt);
	if (rc || (rc = prepare(st, &stmt, "INSERT INTO errnos VALUES(?, ?)", err)))
		return rc;
	for (int e = 1; e < 1024 && !rc; e++) {
		const char *name = decode_errno_name(e);

		if (!name)
			continue;
		sqlite3_bind_int(stmt, 1, e);
		sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = db_error(st, err, "errnos");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_info *info = &syscall_table[i];
		int nr = syscall_native_nr(info);

		if (nr < 0 || nr >= 1024)
			continue;
		sqlite3_bind_int(st->ins_syscall, 1, nr);
		sqlite3_bind_text(st->ins_syscall, 2, info->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st->ins_syscall, 3, family_name(info->family), -1, SQLITE_STATIC);
		sqlite3_bind_text(st->ins_syscall, 4, byte_class_name(info->byte_class), -1,
				  SQLITE_STATIC);
		if (sqlite3_step(st->ins_syscall) != SQLITE_DONE)
			return db_error(st, err, "syscalls");
		sqlite3_reset(st->ins_syscall);
		st->known_nr[nr] = 1;
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(st, err, "commit");
	return 0;
}

static void set_error(struct store *st, const char *what)
{
	if (st->error)
		return;
	st->error = sqlite3_errcode(st->db);
	snprintf(st->error_msg, sizeof(st->error_msg), "%s: %s", what, sqlite3_errmsg(st->db));
}

/* A write failed (disk full, I/O error): keep the first error, roll back
 * the open transaction (the file keeps what was committed, and
 * events_recorded as committed with it) and write nothing more. The main
 * thread learns it from store_failure_fd at once (issue 9). */
static void fail(struct store *st, const char *what)
{
	uint64_t one = 1;

	set_error(st, what);
	if (st->failed)
		return;
	st->failed = true;
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	if (write(st->failure_fd, &one, sizeof(one)) != sizeof(one))
		abort(); /* an eventfd write cannot fail here */
}

static void step(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	if (sqlite3_step(stmt) != SQLITE_DONE)
		fail(st, what);
	sqlite3_reset(stmt);
}

static void bind_str(sqlite3_stmt *stmt, int i, ior_str id)
{
	if (id)
		sqlite3_bind_int64(stmt, i, id);
	else
		sqlite3_bind_null(stmt, i);
}

static void flush_events(struct store *st);

/* Store the statistics as of the last record written. The first comes at
 * twice ckpt_every records (below that a seek is fast without), the next
 * ckpt_every records later, or as many records as the last blob had bytes
 * / 4 when that is more: checkpoints then cost at most 4 bytes a record
 * (against 30 to 50 for the records themselves) however many files the
 * statistics hold, and a seek feeds at most that many records. */
static void write_checkpoint(struct store *st)
{
	size_t len;
	void *blob = ckpt_save(st->ckpt_stats, &len);
	sqlite3_stmt *s = st->ins_ckpt;

	sqlite3_bind_int64(s, 1, (sqlite3_int64)st->recorded);
	sqlite3_bind_int64(s, 2, st->ts_last);
	sqlite3_bind_int64(s, 3, st->ts_max);
	sqlite3_bind_blob(s, 4, blob, (int)len, SQLITE_STATIC);
	step(st, s, "checkpoints");
	sqlite3_clear_bindings(s);
	free(blob);
	st->ckpt_last = st->recorded;
	st->ckpt_next = st->recorded + (st->ckpt_every > len / 4 ? st->ckpt_every : len / 4);
}

/* Commit what is pending with the session's counts; then, if again, open
 * the next transaction. Every return value counts: a failed BEGIN or
 * COMMIT stops the writer (fail). */
static void commit(struct store *st, bool again)
{
	if (st->failed)
		return;
	flush_events(st);
	/* At the end, unless the last one is close (or there is none: a short
	 * session seeks fast without): seeks to the end load it. */
	if (!again && st->ckpt_last &&
	    (st->recorded - st->ckpt_last) * 4 > st->ckpt_next - st->ckpt_last)
		write_checkpoint(st);
	sqlite3_bind_int64(st->upd_counts, 1, (sqlite3_int64)st->recorded);
	sqlite3_bind_int64(st->upd_counts, 2, (sqlite3_int64)st->lost);
	sqlite3_bind_int64(st->upd_counts, 3, (sqlite3_int64)st->w_stalls);
	sqlite3_bind_int64(st->upd_counts, 4, (sqlite3_int64)st->w_stall_ns);
	step(st, st->upd_counts, "counts");
	if (st->failed)
		return;
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(st, "commit");
		return;
	}
	st->committed = st->recorded;
	st->in_txn = 0;
	st->last_commit_ns = mono_ns();
	if (again && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		fail(st, "begin");
}

static void write_syscall_row(struct store *st, int nr)
{
	char name[32];

	if (nr < 0 || nr >= 1024 || st->known_nr[nr])
		return;
	st->known_nr[nr] = 1;
	sqlite3_bind_int(st->ins_syscall, 1, nr);
	sqlite3_bind_text(st->ins_syscall, 2, syscall_name(nr, name, sizeof(name)), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_null(st->ins_syscall, 3);
	sqlite3_bind_null(st->ins_syscall, 4);
	step(st, st->ins_syscall, "syscalls");
}

static void bind_int(sqlite3_stmt *s, struct bound *b, int i, int64_t v)
{
	if (b) {
		if (b->set && !b->null && b->v == v)
			return;
		*b = (struct bound){ .v = v, .set = true };
	}
	sqlite3_bind_int64(s, i, v);
}

static void bind_null(sqlite3_stmt *s, struct bound *b, int i)
{
	if (b) {
		if (b->set && b->null)
			return;
		*b = (struct bound){ .set = true, .null = true };
	}
	sqlite3_bind_null(s, i);
}

/* Bind one events row at parameters base + 1 .. base + EVENT_COLS; with
 * b (EVENT_COLS entries: what those parameters hold), only the changes. */
static void bind_event(struct store *st, sqlite3_stmt *s, int base, struct bound *b,
		       const struct ior_rec *r)
{
#define B(col) (b ? &b[(col)-1] : NULL)
	bind_int(s, B(1), base + 1, (int64_t)(r->ts_ns - st->start_ns));
	if (r->pid != r->tid)
		bind_int(s, B(2), base + 2, r->pid);
	else
		bind_null(s, B(2), base + 2);
	bind_int(s, B(3), base + 3, r->tid);
	if (r->comm)
		bind_int(s, B(4), base + 4, r->comm);
	else
		bind_null(s, B(4), base + 4);
	bind_int(s, B(5), base + 5, r->nr);
	bind_int(s, B(6), base + 6, r->ret);
	bind_int(s, B(7), base + 7, (int64_t)r->duration_ns);
	bind_int(s, B(8), base + 8, (int64_t)r->gap_ns);
	if (r->fd != REC_FD_NONE)
		bind_int(s, B(9), base + 9, r->fd);
	else
		bind_null(s, B(9), base + 9);
	if (r->file)
		bind_int(s, B(10), base + 10, r->file);
	else
		bind_null(s, B(10), base + 10);
	if (r->rec_flags &
	    (REC_NORETURN | REC_INTERRUPTED | REC_ENTER_MISSING | REC_TRUNCATED | REC_FAULT))
		bind_int(s, B(11), base + 11, (int)(r->rec_flags & 0x1f));
	else
		bind_null(s, B(11), base + 11);
#undef B
}

static bool has_extra(const struct ior_rec *r)
{
	return r->old_file || r->arg_path || r->flags || r->addr ||
	       (r->rec_flags & (REC_HAS_ASB | REC_HAS_SLEEP | REC_HAS_EPOLL));
}

static void write_extra(struct store *st, const struct ior_rec *r, sqlite3_int64 id)
{
	sqlite3_stmt *s = st->ins_extra;

	sqlite3_bind_int64(s, 1, id);
	bind_str(s, 2, r->old_file);
	bind_str(s, 3, r->arg_path);
	bind_str(s, 4, r->flags);
	bind_str(s, 5, r->addr);
	for (int i = 6; i <= 10; i++)
		sqlite3_bind_null(s, i);
	if (r->rec_flags & REC_HAS_EPOLL) {
		sqlite3_bind_int(s, 6, r->epoll_op);
		sqlite3_bind_int(s, 7, r->epoll_target_fd);
		sqlite3_bind_int64(s, 8, r->epoll_events);
	}
	if (r->rec_flags & REC_HAS_ASB)
		sqlite3_bind_int64(s, 9, r->address_space_bytes);
	if (r->rec_flags & REC_HAS_SLEEP)
		sqlite3_bind_int64(s, 10, r->requested_sleep_ns);
	step(st, s, "event_extra");
}

/* Insert the pending events: one multi-row INSERT when the batch is full,
 * else row by row; then their event_extra rows. The ids are SQLite's
 * (appending with a NULL id skips the seek an explicit one costs), and the
 * rows of one INSERT get consecutive ids, the last one last_insert_rowid. */
static void flush_events(struct store *st)
{
	sqlite3_int64 first;
	int n = st->npending;

	if (!n || st->failed)
		return;
	st->npending = 0;
	if (n == EVENT_ROWS) {
		for (int i = 0; i < n; i++)
			bind_event(st, st->ins_events, i * EVENT_COLS, &st->bound[i * EVENT_COLS],
				   &st->pending[i]);
		if (sqlite3_step(st->ins_events) != SQLITE_DONE) {
			fail(st, "events");
			sqlite3_reset(st->ins_events);
			return;
		}
		sqlite3_reset(st->ins_events);
		first = sqlite3_last_insert_rowid(st->db) - (n - 1);
		for (int i = 0; i < n; i++)
			if (has_extra(&st->pending[i]))
				write_extra(st, &st->pending[i], first + i);
		return;
	}
	for (int i = 0; i < n; i++) {
		bind_event(st, st->ins_event, 0, NULL, &st->pending[i]);
		if (sqlite3_step(st->ins_event) != SQLITE_DONE) {
			fail(st, "events");
			sqlite3_reset(st->ins_event);
			return;
		}
		sqlite3_reset(st->ins_event);
		if (has_extra(&st->pending[i]))
			write_extra(st, &st->pending[i], sqlite3_last_insert_rowid(st->db));
	}
}

static void write_event(struct store *st, const struct ior_rec *r)
{
	int64_t ts = (int64_t)(r->ts_ns - st->start_ns);

	write_syscall_row(st, r->nr);
	stats_add(st->ckpt_stats, r);
	st->ts_last = ts;
	if (ts > st->ts_max || st->recorded == 0)
		st->ts_max = ts;
	st->pending[st->npending++] = *r;
	if (st->npending == EVENT_ROWS)
		flush_events(st);
	st->recorded++;
	st->in_txn++;
	if (st->recorded >= st->ckpt_next) {
		flush_events(st); /* committed together: a session cut short keeps both */
		write_checkpoint(st);
	}
}

static void write_proc(struct store *st, const struct ior_proc_ev *ev)
{
	sqlite3_int64 row = (sqlite3_int64)(uintptr_t)u32map_get(&st->proc_rows, ev->pid);
	sqlite3_stmt *s;

	switch (ev->kind) {
	case PROC_START:
		s = st->ins_proc;
		sqlite3_bind_int64(s, 1, ev->pid);
		sqlite3_bind_int64(s, 2, ev->ppid);
		bind_str(s, 3, ev->comm);
		bind_str(s, 4, ev->exe);
		if (ev->ts_ns)
			sqlite3_bind_int64(s, 5, (sqlite3_int64)ev->ts_ns);
		else
			sqlite3_bind_null(s, 5);
		sqlite3_bind_int64(s, 6, (sqlite3_int64)st->recorded);
		step(st, s, "processes");
		u32map_put(&st->proc_rows, ev->pid,
			   (void *)(uintptr_t)sqlite3_last_insert_rowid(st->db));
		stats_proc_event(st->ckpt_stats, ev); /* as a replay applies it: folds need exits */
		break;
	case PROC_EXEC:
	case PROC_COMM:
		s = st->ins_comm;
		sqlite3_bind_int64(s, 1, ev->pid);
		sqlite3_bind_int64(s, 2, ev->tid);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)ev->ts_ns);
		bind_str(s, 4, ev->comm);
		step(st, s, "comms");
		if (!row)
			break;
		if (ev->kind == PROC_EXEC) {
			s = st->upd_proc_exec;
			bind_str(s, 1, ev->comm);
			bind_str(s, 2, ev->exe);
			sqlite3_bind_int64(s, 3, row);
			step(st, s, "processes");
		} else if (ev->tid == ev->pid) {
			s = st->upd_proc_comm;
			bind_str(s, 1, ev->comm);
			sqlite3_bind_int64(s, 2, row);
			step(st, s, "processes");
		}
		break;
	case PROC_EXIT:
		if (!row)
			break;
		s = st->upd_proc_exit;
		sqlite3_bind_int64(s, 1, (sqlite3_int64)ev->ts_ns);
		sqlite3_bind_int(s, 2, ev->exit_code);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)st->recorded);
		sqlite3_bind_int64(s, 4, row);
		step(st, s, "processes");
		u32map_take(&st->proc_rows, ev->pid);
		stats_proc_event(st->ckpt_stats, ev);
		break;
	default:
		break;
	}
}

static void insert_string(struct store *st, ior_str id, const char *s, uint32_t len)
{
	sqlite3_bind_int64(st->ins_string, 1, id);
	sqlite3_bind_text(st->ins_string, 2, s, (int)len, SQLITE_STATIC);
	step(st, st->ins_string, "strings");
}

/* A string's first message, or one of the rest (see MSG_STR_FIRST). */
static void take_string(struct store *st, const struct msg *m)
{
	size_t n;

	if (m->kind == MSG_STRING) {
		if (m->u.str.len <= MSG_STR_FIRST) {
			insert_string(st, m->u.str.id, m->u.str.b, m->u.str.len);
			return;
		}
		if (st->str_cap < m->u.str.len) {
			st->str_cap = m->u.str.len;
			st->str = xrealloc(st->str, st->str_cap);
		}
		memcpy(st->str, m->u.str.b, MSG_STR_FIRST);
		st->str_have = MSG_STR_FIRST;
		st->str_len = m->u.str.len;
		st->str_id = m->u.str.id;
		return;
	}
	if (st->str_have >= st->str_len)
		return; /* no string is arriving: cannot happen */
	n = st->str_len - st->str_have < MSG_STR_MORE ? st->str_len - st->str_have : MSG_STR_MORE;
	memcpy(st->str + st->str_have, m->u.more, n);
	st->str_have += n;
	if (st->str_have == st->str_len)
		insert_string(st, st->str_id, st->str, st->str_len);
}

static void *writer_main(void *arg)
{
	struct store *st = arg;

	atomic_store(&st->writer_tid, (int)gettid());
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		fail(st, "begin");
	st->last_commit_ns = mono_ns();
	for (uint64_t n = 0, idle = 0;; n++) {
		const struct msg *m = spsc_peek(st->queue);

		if (!m) {
			/* 1, 2, 4, then 8 ms while nothing comes: the reader
			 * hands over every 10 ms, so an idle capture wakes this
			 * thread about 125 times a second, not 1,000. */
			struct timespec nap = { 0, 1000000l << (idle < 3 ? idle++ : 3) };

			if (st->in_txn && mono_ns() - st->last_commit_ns >= STORE_COMMIT_NS)
				commit(st, true);
			nanosleep(&nap, NULL);
			continue;
		}
		idle = 0;
		if (st->failed && m->kind != MSG_STOP) {
			spsc_pop(st->queue); /* stopped: drain, so the reader never waits */
			continue;
		}
		switch (m->kind) {
		case MSG_STRING:
		case MSG_STRING_MORE:
			take_string(st, m);
			break;
		case MSG_EVENT:
			write_event(st, &m->u.rec);
			break;
		case MSG_PROC:
			write_proc(st, &m->u.proc);
			break;
		case MSG_LOST:
			st->lost = m->u.lost;
			break;
		case MSG_STALLS:
			st->w_stalls = m->u.stalls.count;
			st->w_stall_ns = m->u.stalls.ns;
			break;
		case MSG_STOP:
			spsc_pop(st->queue);
			commit(st, false);
			return NULL;
		default:
			break;
		}
		spsc_pop(st->queue);
		/* Under load the queue is never empty: look at the clock here
		 * too, so commits come every STORE_COMMIT_NS at the latest. */
		if (st->in_txn >= STORE_BATCH ||
		    (n % 1024 == 0 && st->in_txn &&
		     mono_ns() - st->last_commit_ns >= STORE_COMMIT_NS)) {
			commit(st, true);
		}
	}
}

static void push(struct store *st, const struct msg *m)
{
	uint64_t t0;

	if (spsc_push(st->queue, m))
		return;
	/* The writer is behind and the spill cannot take it (none, or it
	 * failed): wait for it; the kernel's ring buffer holds what arrives
	 * meanwhile, and what it cannot hold it counts. The waits are counted
	 * and timed, stored in the session and shown (store_stalls). */
	t0 = mono_ns();
	st->stalls++;
	while (!spsc_push(st->queue, m)) {
		struct timespec nap = { 0, 50000 };

		nanosleep(&nap, NULL);
	}
	st->stall_ns += mono_ns() - t0;
}

/* Move the writer to pace p: its nice first on the way up from SCHED_IDLE,
 * so it never runs at nice 0 by the way. A nice that cannot be lowered
 * (no CAP_SYS_NICE) stays as it is: the class still changes, so a writer
 * that must hurry never stays SCHED_IDLE. Left as it was when the class
 * cannot change (or the writer has not told its tid yet): the next look
 * tries again. */
static void set_pace(struct store *st, enum pace p)
{
	struct sched_param none = { 0 };
	int tid = atomic_load(&st->writer_tid);

	if (p == st->pace || !tid)
		return;
	if (p != PACE_IDLE)
		setpriority(PRIO_PROCESS, (id_t)tid, p == PACE_LOW ? STORE_LOW_NICE : 0);
	if ((p == PACE_IDLE) != (st->pace == PACE_IDLE) &&
	    pthread_setschedparam(st->writer, p == PACE_IDLE ? SCHED_IDLE : SCHED_OTHER, &none))
		return;
	st->pace = p;
}

/* The writer's scheduling, chosen by the reader (a SCHED_IDLE thread
 * cannot be trusted to notice it is starved). The writer runs as
 * SCHED_IDLE while it can: then it never preempts the traced program, as a
 * writer sharing its CPU did, costing it more than all of the BPF side
 * (issue 10), and what it has not written yet waits in the spill file.
 * Past STORE_HURRY_BYTES of backlog or stuck for STORE_STUCK_NS with work
 * waiting (a busy machine) it competes at STORE_LOW_NICE: at nice 0 it
 * outweighed the reader on their CPU, and the scheduler's balancing moved
 * the reader, woken behind it, onto the traced program's CPU (the live
 * UI's reader ran 1 to 10% of sysloop's time there; sysloop under the UI
 * 1.071x headless, 1.050x at nice 10, 11-round medians). Past
 * STORE_FULL_BYTES or ten times that long stuck, and for the drain at the
 * end, it competes like any thread. sched(7). */
static void pace_writer(struct store *st)
{
	uint64_t progress = spsc_consumer_progress(st->queue), now = mono_ns();
	uint64_t backlog = spsc_spill_backlog(st->queue), stuck;

	if (progress != st->seen_progress || spsc_drained(st->queue)) {
		st->seen_progress = progress;
		st->seen_progress_ns = now;
	}
	stuck = now - st->seen_progress_ns;
	if (backlog >= STORE_FULL_BYTES || stuck > 10 * STORE_STUCK_NS)
		set_pace(st, PACE_FULL);
	else if (backlog >= STORE_HURRY_BYTES || stuck > STORE_STUCK_NS)
		set_pace(st, PACE_LOW);
	else
		set_pace(st, PACE_IDLE);
}

static void sink_flush(void *ctx)
{
	struct store *st = ctx;

	if (st->stalls != st->stalls_sent) {
		struct msg m = { .kind = MSG_STALLS };

		m.u.stalls.count = st->stalls;
		m.u.stalls.ns = st->stall_ns;
		st->stalls_sent = st->stalls;
		push(st, &m);
	}
	spsc_flush(st->queue);
	pace_writer(st);
}

static void sink_string(void *ctx, ior_str id, const char *s, size_t len)
{
	struct msg m = { .kind = MSG_STRING };
	size_t at = len < MSG_STR_FIRST ? len : MSG_STR_FIRST;

	m.u.str.id = id;
	m.u.str.len = (uint32_t)len;
	memcpy(m.u.str.b, s, at);
	push(ctx, &m);
	while (at < len) {
		size_t n = len - at < MSG_STR_MORE ? len - at : MSG_STR_MORE;

		m = (struct msg){ .kind = MSG_STRING_MORE };
		memcpy(m.u.more, s + at, n);
		push(ctx, &m);
		at += n;
	}
}

static void sink_event(void *ctx, const struct ior_rec *rec)
{
	struct msg m = { .kind = MSG_EVENT };

	m.u.rec = *rec;
	push(ctx, &m);
}

static void sink_proc(void *ctx, const struct ior_proc_ev *ev)
{
	struct msg m = { .kind = MSG_PROC };

	m.u.proc = *ev;
	push(ctx, &m);
}

static void sink_lost(void *ctx, uint64_t total)
{
	struct msg m = { .kind = MSG_LOST };

	m.u.lost = total;
	push(ctx, &m);
}

const struct sink_ops store_sink_ops = {
	.string = sink_string,
	.event = sink_event,
	.proc = sink_proc,
	.lost = sink_lost,
	.flush = sink_flush,
};

int store_failure_fd(const struct store *st)
{
	return st->failure_fd;
}

void store_stalls(const struct store *st, uint64_t *count, uint64_t *ns)
{
	*count = st->stalls;
	*ns = st->stall_ns;
}

static void store_free(struct store *st)
{
	sqlite3_stmt **stmts[] = { &st->ins_events,    &st->ins_event,	   &st->ins_extra,
				   &st->ins_string,    &st->ins_proc,	   &st->upd_proc_exec,
				   &st->upd_proc_comm, &st->upd_proc_exit, &st->ins_comm,
				   &st->ins_syscall,   &st->upd_counts,	   &st->ins_ckpt };

	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++)
		sqlite3_finalize(*stmts[i]);
	sqlite3_close(st->db);
	spsc_free(st->queue);
	if (st->failure_fd >= 0)
		close(st->failure_fd);
	if (st->proc_rows.keys)
		u32map_fini(&st->proc_rows);
	if (st->ckpt_stats) {
		stats_fini(st->ckpt_stats);
		free(st->ckpt_stats);
	}
	free(st->str);
	free(st);
}

/* The writer's overflow: an unnamed file (O_TMPFILE) beside the session,
 * else in $TMPDIR or /tmp; -1 when none can be had (then the reader waits
 * for the writer, as before). When the writer falls behind, the reader
 * keeps draining the kernel's ring into it instead of waiting, so a burst
 * costs disk space for a while, not lost records or a slowed target. */
static int open_spill(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *tmp = getenv("TMPDIR");
	char dir[4200];
	int fd;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && tmp && *tmp)
		fd = open(tmp, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	return fd;
}

/* INSERT INTO events ... VALUES(?, ...) rows times, into buf. */
static const char *events_sql(char *buf, int rows)
{
	size_t pos = (size_t)sprintf(buf, "INSERT INTO events(ts, pid, tid, comm, nr, ret,"
					  " duration, gap, fd, file, rflags) VALUES");

	for (int i = 0; i < rows; i++)
		pos += (size_t)sprintf(buf + pos, "%s(?,?,?,?,?,?,?,?,?,?,?)", i ? "," : "");
	return buf;
}

int store_open(struct store **out, const char *path, bool force, const struct store_meta *meta,
	       struct ior_err *err)
{
	char sql[100 + EVENT_ROWS * 32];
	struct store *st;
	int fd, rc;

	fd = store_create_file(path, force, err);
	if (fd < 0)
		return fd;
	close(fd);
	remove_sidecars(path);
	st = xcalloc(1, sizeof(*st));
	st->pace = PACE_FULL; /* as every thread starts */
	st->failure_fd = -1;
	st->start_ns = meta->start_ns;
	u32map_init(&st->proc_rows);
	st->ckpt_stats = xcalloc(1, sizeof(*st->ckpt_stats));
	stats_init(st->ckpt_stats);
	if (meta->stats_files_max)
		st->ckpt_stats->files_max = meta->stats_files_max;
	if (meta->stats_procs_max)
		st->ckpt_stats->procs_max = meta->stats_procs_max;
	st->ckpt_every = meta->ckpt_every ? meta->ckpt_every : STORE_CKPT_EVENTS;
	st->ckpt_next = 2 * st->ckpt_every; /* below that, a seek is fast without */
	/* No memory statistics: they take a global mutex on each of SQLite's
	 * allocations. Takes effect only before SQLite's first use in the
	 * process (else SQLITE_MISUSE, harmless): `ior record` opens us first. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqlite3_open_v2(path, &st->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = db_error(st, err, path);
		goto out;
	}
	/* The session is readable while recording (SPEC 4), so a reader may
	 * hold a lock at any moment: above all while the file is still in
	 * rollback mode, where switching it to WAL needs an exclusive lock,
	 * and without a busy handler that failed the whole recording with
	 * "database is locked" (issue 11). Wait for the reader instead. */
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(st, err, "schema");
		goto out;
	}
	if ((rc = prepare(st, &st->ins_event, events_sql(sql, 1), err)) ||
	    (rc = prepare(st, &st->ins_events, events_sql(sql, EVENT_ROWS), err)) ||
	    (rc = prepare(st, &st->ins_extra,
			  "INSERT INTO event_extra VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err)) ||
	    (rc = prepare(st, &st->ins_string, "INSERT OR IGNORE INTO strings VALUES(?, ?)",
			  err)) ||
	    (rc = prepare(st, &st->ins_proc,
			  "INSERT INTO processes(pid, ppid, comm, exe, start_ns, start_pos)"
			  " VALUES(?, ?, ?, ?, ?, ?)",
			  err)) ||
	    (rc = prepare(st, &st->upd_proc_exec,
			  "UPDATE processes SET comm = ?, exe = ? WHERE id = ?", err)) ||
	    (rc = prepare(st, &st->upd_proc_comm, "UPDATE processes SET comm = ? WHERE id = ?",
			  err)) ||
	    (rc = prepare(
		     st, &st->upd_proc_exit,
		     "UPDATE processes SET exit_ns = ?, exit_code = ?, exit_pos = ? WHERE id = ?",
		     err)) ||
	    (rc = prepare(st, &st->ins_ckpt, "INSERT INTO checkpoints VALUES(?, ?, ?, ?)", err)) ||
	    (rc = prepare(st, &st->ins_comm, "INSERT INTO comms VALUES(?, ?, ?, ?)", err)) ||
	    (rc = prepare(st, &st->ins_syscall, "INSERT OR IGNORE INTO syscalls VALUES(?, ?, ?, ?)",
			  err)) ||
	    (rc = prepare(
		     st, &st->upd_counts,
		     "UPDATE session SET events_recorded = ?, events_lost = ?, writer_stalls = ?,"
		     " writer_stall_ns = ?",
		     err)))
		goto out;
	if ((rc = write_static_tables(st, meta, err)))
		goto out;
	if (meta->max_pages) {
		char pragma[80];
		sqlite3_stmt *count = NULL;

		if (prepare(st, &count, "PRAGMA page_count", err) == 0 &&
		    sqlite3_step(count) == SQLITE_ROW)
			snprintf(pragma, sizeof(pragma), "PRAGMA max_page_count = %lld",
				 sqlite3_column_int64(count, 0) + meta->max_pages);
		sqlite3_finalize(count);
		sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
	}
	st->failure_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (st->failure_fd < 0) {
		rc = ior_err_set(err, -errno, "eventfd: %s", strerror(errno));
		goto out;
	}
	st->queue = spsc_new(STORE_QUEUE, sizeof(struct msg), open_spill(path));
	rc = -pthread_create(&st->writer, NULL, writer_main, st);
	if (rc) {
		ior_err_set(err, rc, "writer thread: %s", strerror(-rc));
		goto out;
	}
	pthread_setname_np(st->writer, "ior-writer"); /* for top and perf */
	st->writer_started = true;
	*out = st;
	return 0;
out:
	store_free(st);
	return rc;
}

int store_close(struct store *st, uint64_t end_ns, struct ior_err *err)
{
	struct msg stop = { .kind = MSG_STOP };
	sqlite3_stmt *end = NULL;
	int rc = 0;

	if (!st)
		return 0;
	push(st, &stop);
	spsc_flush(st->queue);
	set_pace(st, PACE_FULL); /* finish at full speed */
	pthread_join(st->writer, NULL);
	if (st->error)
		rc = ior_err_set(err, -EIO, "session: %s", st->error_msg);
	/* A failed session keeps end_ns NULL (incomplete) and the counts of
	 * its last commit; a good one gets its end and final counts. */
	if (!st->failed &&
	    prepare(st, &end,
		    "UPDATE session SET end_ns = ?, events_recorded = ?, events_lost = ?,"
		    " writer_stalls = ?, writer_stall_ns = ?",
		    err) == 0) {
		sqlite3_bind_int64(end, 1, (sqlite3_int64)end_ns);
		sqlite3_bind_int64(end, 2, (sqlite3_int64)st->committed);
		sqlite3_bind_int64(end, 3, (sqlite3_int64)st->lost);
		sqlite3_bind_int64(end, 4, (sqlite3_int64)st->stalls);
		sqlite3_bind_int64(end, 5, (sqlite3_int64)st->stall_ns);
		if (sqlite3_step(end) != SQLITE_DONE && !rc)
			rc = db_error(st, err, "session end");
		sqlite3_finalize(end);
	}
	/* Only tidying: a reader still in the WAL must not hold up the exit. */
	sqlite3_busy_timeout(st->db, 0);
	sqlite3_exec(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	store_free(st);
	return rc;
}
