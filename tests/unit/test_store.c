/* Unit tests for the session store, session opening, replay and export. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/export.h"
#include "core/intern.h"
#include "core/replay.h"
#include "core/session.h"
#include "core/store.h"
#include "core/syscalls.h"

#define T0 1700000000000000000ull

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ior-store-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

static const char *in_dir(const char *name)
{
	static char path[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

/* A session with a few known records. Strings: 1 comm, 2 file, 3 old, 4 hostile. */
static const char hostile[] = "/tmp/a\nb\tc\x1b[31m\xff\xfe";

static void write_session(const char *path, struct intern *in, int n_pread)
{
	struct store *st;
	struct ior_err err = { 0 };
	struct store_meta meta = { .cmdline = "ior record", .target = "test", .start_ns = T0 };
	const char *strs[] = { "worker", "/etc/passwd", "/tmp/old", hostile };
	struct ior_rec r = { 0 };

	cr_assert_eq(store_open(&st, path, false, &meta, &err), 0, "%s", err.msg);
	for (int i = 0; i < 4; i++) {
		size_t len = strlen(strs[i]);
		ior_str id = intern_get(in, strs[i], len, NULL);

		store_sink_ops.string(st, id, intern_str(in, id, NULL), len);
	}
	store_sink_ops.proc(
		st, &(struct ior_proc_ev){
			    .kind = PROC_START, .pid = 10, .ppid = 1, .comm = 1, .ts_ns = T0 + 1 });
	/* openat ok */
	r = (struct ior_rec){ .ts_ns = T0 + 100,
			      .duration_ns = 5000,
			      .gap_ns = 7,
			      .ret = 3,
			      .pid = 10,
			      .tid = 10,
			      .comm = 1,
			      .file = 2,
			      .fd = 3,
			      .nr = (int16_t)nr_of("openat") };
	store_sink_ops.event(st, &r);
	/* read 42 bytes */
	r = (struct ior_rec){ .ts_ns = T0 + 200,
			      .duration_ns = 900,
			      .ret = 42,
			      .bytes = 42,
			      .pid = 10,
			      .tid = 11,
			      .comm = 1,
			      .file = 2,
			      .fd = 3,
			      .nr = (int16_t)nr_of("read") };
	store_sink_ops.event(st, &r);
	/* failed open of the hostile name */
	r = (struct ior_rec){ .ts_ns = T0 + 300,
			      .ret = -ENOENT,
			      .pid = 10,
			      .tid = 10,
			      .comm = 1,
			      .file = 4,
			      .fd = REC_FD_NONE,
			      .rec_flags = REC_FAILED,
			      .nr = (int16_t)nr_of("openat") };
	store_sink_ops.event(st, &r);
	/* rename with old_file */
	r = (struct ior_rec){ .ts_ns = T0 + 400,
			      .pid = 10,
			      .tid = 10,
			      .comm = 1,
			      .file = 2,
			      .old_file = 3,
			      .fd = REC_FD_NONE,
			      .nr = (int16_t)nr_of("rename") };
	store_sink_ops.event(st, &r);
	/* interrupted read */
	r = (struct ior_rec){ .ts_ns = T0 + 500,
			      .ret = -512,
			      .pid = 10,
			      .tid = 10,
			      .comm = 1,
			      .fd = 0,
			      .rec_flags = REC_INTERRUPTED,
			      .nr = (int16_t)nr_of("read") };
	store_sink_ops.event(st, &r);
	/* mmap with address_space_bytes */
	r = (struct ior_rec){ .ts_ns = T0 + 600,
			      .ret = 0x7f0000000000,
			      .pid = 10,
			      .tid = 10,
			      .comm = 1,
			      .fd = REC_FD_NONE,
			      .address_space_bytes = 8192,
			      .rec_flags = REC_HAS_ASB,
			      .nr = (int16_t)nr_of("mmap") };
	store_sink_ops.event(st, &r);
	for (int i = 0; i < n_pread; i++) {
		r = (struct ior_rec){ .ts_ns = T0 + 1000 + (uint64_t)i * 600,
				      .duration_ns = 450 + (uint64_t)(i % 7),
				      .gap_ns = 150,
				      .ret = 1,
				      .bytes = 1,
				      .pid = 10,
				      .tid = 10,
				      .comm = 1,
				      .file = 2,
				      .fd = 3,
				      .nr = (int16_t)nr_of("pread64") };
		store_sink_ops.event(st, &r);
	}
	store_sink_ops.proc(
		st, &(struct ior_proc_ev){
			    .kind = PROC_EXIT, .pid = 10, .ts_ns = T0 + 999, .exit_code = 256 });
	store_sink_ops.lost(st, 3);
	cr_assert_eq(store_close(st, T0 + 1000000, &err), 0, "%s", err.msg);
}

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return db;
}

static long long q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -999 : sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

TestSuite(store, .init = setup, .fini = teardown);

Test(store, events_v_columns)
{
	struct intern *in = intern_new();
	sqlite3 *db;

	write_session(in_dir("s.db"), in, 0);
	db = open_db(in_dir("s.db"));
	cr_assert_eq(q_int(db, "SELECT count(*) FROM events_v"), 6);
	cr_assert_eq(q_int(db, "SELECT ts_ns FROM events_v WHERE id = 1"), (long long)T0 + 100);
	cr_assert_eq(q_int(db,
			   "SELECT count(*) FROM events_v WHERE syscall = 'openat' AND "
			   "family = 'FS' AND file = '/etc/passwd' AND fd = 3 AND errno IS NULL"),
		     1);
	cr_assert_eq(q_int(db, "SELECT bytes FROM events_v WHERE syscall = 'read' AND ret = 42"),
		     42);
	cr_assert_eq(q_int(db, "SELECT pid FROM events_v WHERE tid = 11"), 10);
	cr_assert_eq(q_int(db, "SELECT count(*) FROM events_v WHERE byte_class = 'READ'"), 2);
	cr_assert_eq(q_int(db, "SELECT count(*) FROM events_v WHERE errno = 'ENOENT'"), 1);
	cr_assert_eq(q_int(db, "SELECT count(*) FROM events_v WHERE old_file = '/tmp/old'"), 1);
	cr_assert_eq(q_int(db, "SELECT interrupted FROM events_v WHERE ret = -512"), 1);
	cr_assert_eq(q_int(db, "SELECT count(*) FROM events_v WHERE errno = 'ERESTARTSYS'"), 1);
	cr_assert_eq(q_int(db, "SELECT bytes FROM events_v WHERE ret = -512"), 0);
	cr_assert_eq(q_int(db, "SELECT address_space_bytes FROM events_v WHERE syscall = 'mmap'"),
		     8192);
	cr_assert_eq(q_int(db, "SELECT fd FROM events_v WHERE syscall = 'mmap'"), -999,
		     "no fd: NULL");
	cr_assert_eq(q_int(db, "SELECT count(*) FROM events_v WHERE flags IS NULL AND addr IS "
			       "NULL AND epoll_op IS NULL AND requested_sleep_ns IS NULL"),
		     6);
	cr_assert_eq(q_int(db, "SELECT events_recorded FROM session"), 6);
	cr_assert_eq(q_int(db, "SELECT events_lost FROM session"), 3);
	cr_assert_eq(q_int(db, "SELECT exit_code FROM processes WHERE pid = 10"), 256);
	sqlite3_close(db);
	intern_free(in);
}

Test(store, hostile_names_round_trip)
{
	struct intern *in = intern_new();
	sqlite3_stmt *s;
	sqlite3 *db;

	write_session(in_dir("s.db"), in, 0);
	db = open_db(in_dir("s.db"));
	cr_assert_eq(sqlite3_prepare_v2(db,
					"SELECT CAST(file AS BLOB) FROM events_v WHERE "
					"errno = 'ENOENT'",
					-1, &s, NULL),
		     SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_bytes(s, 0), (int)strlen(hostile));
	cr_assert_eq(memcmp(sqlite3_column_blob(s, 0), hostile, strlen(hostile)), 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	intern_free(in);
}

Test(store, file_mode_0600_and_no_overwrite)
{
	struct intern *in = intern_new();
	struct ior_err err = { 0 };
	struct store_meta meta = { .cmdline = "x", .target = "y", .start_ns = T0 };
	struct store *st;
	struct stat sb;

	write_session(in_dir("s.db"), in, 0);
	cr_assert_eq(stat(in_dir("s.db"), &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	cr_assert_eq(store_open(&st, in_dir("s.db"), false, &meta, &err), -EEXIST);
	cr_assert(strstr(err.msg, "--force"), "%s", err.msg);
	cr_assert_eq(stat(in_dir("s.db"), &sb), 0, "existing file kept");
	cr_assert_eq(store_open(&st, in_dir("s.db"), true, &meta, &err), 0, "%s", err.msg);
	cr_assert_eq(store_close(st, T0 + 1, &err), 0);
	intern_free(in);
}

Test(store, refuses_symlink_even_with_force)
{
	struct ior_err err = { 0 };
	struct store_meta meta = { .cmdline = "x", .target = "y", .start_ns = T0 };
	struct store *st;

	cr_assert_eq(symlink("/tmp/somewhere-else.db", in_dir("link.db")), 0);
	cr_assert_eq(store_open(&st, in_dir("link.db"), true, &meta, &err), -ELOOP);
	cr_assert(strstr(err.msg, "symbolic link"), "%s", err.msg);
	cr_assert_neq(access("/tmp/somewhere-else.db", F_OK), 0);
}

/* A directory or a device is named as such: --force could not help, so it
 * is not suggested (issue 9). */
Test(store, create_file_on_a_directory_or_device_says_what_it_is)
{
	struct ior_err err = { 0 };

	cr_assert_eq(store_create_file(dir, false, &err), -EISDIR);
	cr_assert(strstr(err.msg, "is a directory") && !strstr(err.msg, "--force"), "%s", err.msg);
	cr_assert_eq(store_create_file("/dev/full", false, &err), -EINVAL);
	cr_assert(strstr(err.msg, "not a regular file") && !strstr(err.msg, "--force"), "%s",
		  err.msg);
	cr_assert_eq(store_create_file("/dev/full", true, &err), -EINVAL);
}

Test(store, unwritable_directory)
{
	struct ior_err err = { 0 };
	struct store_meta meta = { .cmdline = "x", .target = "y", .start_ns = T0 };
	struct store *st;

	cr_assert_lt(store_open(&st, "/nonexistent-dir/x.db", false, &meta, &err), 0);
	cr_assert(strstr(err.msg, "cannot create"), "%s", err.msg);
}

Test(store, size_per_event_under_40_bytes)
{
	struct intern *in = intern_new();
	struct stat sb;
	double per_event;

	write_session(in_dir("s.db"), in, 200000);
	cr_assert_eq(stat(in_dir("s.db"), &sb), 0);
	per_event = (double)sb.st_size / 200006.0;
	cr_assert_lt(per_event, 40.0, "%.1f bytes per event", per_event);
	intern_free(in);
}

/* The events columns as the store should write them: NULL as -999. */
static void expected_row(const struct ior_rec *r, long long v[11])
{
	v[0] = (long long)(r->ts_ns - T0);
	v[1] = r->pid != r->tid ? (long long)r->pid : -999;
	v[2] = r->tid;
	v[3] = r->comm ? (long long)r->comm : -999;
	v[4] = r->nr;
	v[5] = r->ret;
	v[6] = (long long)r->duration_ns;
	v[7] = (long long)r->gap_ns;
	v[8] = r->fd != REC_FD_NONE ? r->fd : -999;
	v[9] = r->file ? (long long)r->file : -999;
	v[10] = r->rec_flags & 0x1f ? (long long)(r->rec_flags & 0x1f) : -999;
}

/* The store binds a parameter of its multi-row INSERT only when its value
 * changed since the last batch: every column, switching between values
 * and NULL in any order over many batches and a partial last one, still
 * reads back as written. */
Test(store, rows_match_records_across_batches)
{
	struct store *st;
	struct ior_err err = { 0 };
	struct store_meta meta = { .cmdline = "ior record", .target = "test", .start_ns = T0 };
	enum { B = 256, N = B * 9 + 23 }; /* B: core/store.c's EVENT_ROWS */
	static struct ior_rec recs[N];
	unsigned seed = 12345;
	sqlite3_stmt *q;
	sqlite3 *db;
	int row = 0;

	for (int i = 0; i < N; i++) {
		struct ior_rec *r = &recs[i];
		unsigned x;

		seed = seed * 1103515245u + 12345u;
		x = seed >> 8;
		/* Mostly one value, sometimes another or none, so values repeat
		 * in a row position across batches and also change. */
		r->ts_ns = T0 + 1000 + (uint64_t)i * (x % 3 ? 500 : 700);
		r->tid = 20 + (x & 1);
		r->pid = x & 2 ? 20 : r->tid;
		r->comm = (x >> 2) % 5 ? 1 : (x >> 2) % 2;
		r->nr = (int16_t)(x & 8 ? nr_of("pread64") : nr_of("read"));
		r->ret = (x >> 4) % 7 ? 1 : -ENOENT;
		r->duration_ns = (x >> 5) % 3 ? 300 : 300 + (x >> 10) % 1000;
		r->gap_ns = (x >> 6) % 4 ? 0 : 200;
		r->fd = (x >> 7) % 5 ? 3 : (x >> 13) % 2 ? 0 : REC_FD_NONE;
		r->file = (x >> 8) % 3 ? 2 : (x >> 9) % 2 ? 3 : 0;
		r->rec_flags = (x >> 11) % 6 ? 0 : (x >> 12) % 2 ? REC_INTERRUPTED : REC_FAILED;
		if (i > B * 4 && i < B * 6) {
			*r = recs[i - B]; /* whole batches unchanged but the time */
			r->ts_ns += B * 700;
		}
	}
	cr_assert_eq(store_open(&st, in_dir("b.db"), false, &meta, &err), 0, "%s", err.msg);
	for (int i = 0; i < N; i++)
		store_sink_ops.event(st, &recs[i]);
	cr_assert_eq(store_close(st, T0 + 10000000, &err), 0, "%s", err.msg);
	db = open_db(in_dir("b.db"));
	cr_assert_eq(sqlite3_prepare_v2(db,
					"SELECT ts, pid, tid, comm, nr, ret, duration, gap, fd,"
					" file, rflags FROM events ORDER BY id",
					-1, &q, NULL),
		     SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		long long want[11];

		cr_assert_lt(row, N);
		expected_row(&recs[row], want);
		for (int c = 0; c < 11; c++) {
			long long got = sqlite3_column_type(q, c) == SQLITE_NULL
						? -999
						: sqlite3_column_int64(q, c);

			cr_assert_eq(got, want[c], "row %d column %d: %lld, not %lld", row, c, got,
				     want[c]);
		}
		row++;
	}
	cr_assert_eq(row, N);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static sqlite3_int64 query_int(const char *path, const char *sql, bool *null)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	sqlite3_int64 v = -1;

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK, "%s", sql);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW, "%s", sql);
	if (null)
		*null = sqlite3_column_type(q, 0) == SQLITE_NULL;
	v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* Issue 9: a full disk (a capped file) stops the writer at once with an
 * error the main thread can poll, events_recorded counts the rows the file
 * holds, and the session stays incomplete (end_ns NULL). */
Test(store, full_disk_stops_counts_committed_and_leaves_incomplete)
{
	struct store_meta meta = { .cmdline = "x", .target = "y", .start_ns = T0, .max_pages = 40 };
	struct ior_err err = { 0 };
	struct ior_rec r = { .ts_ns = T0, .pid = 10, .tid = 10, .fd = 3, .ret = 1 };
	struct pollfd pfd;
	struct store *st;
	bool null_end;
	int i;

	r.nr = (int16_t)nr_of("pread64");
	cr_assert_eq(store_open(&st, in_dir("full.db"), false, &meta, &err), 0, "%s", err.msg);
	pfd = (struct pollfd){ .fd = store_failure_fd(st), .events = POLLIN };
	cr_assert_eq(poll(&pfd, 1, 0), 0, "no failure yet");
	/* Far more than 40 pages hold; a commit every 50,000 rows. */
	for (i = 0; i < 400000 && poll(&pfd, 1, 0) == 0; i++) {
		r.ts_ns++;
		store_sink_ops.event(st, &r);
	}
	cr_assert_eq(poll(&pfd, 1, 10000), 1, "the failure is signalled while recording");
	cr_assert_neq(store_close(st, T0 + 1, &err), 0);
	cr_assert(strstr(err.msg, "full"), "%s", err.msg);
	cr_assert_eq(query_int(in_dir("full.db"), "SELECT events_recorded FROM session", NULL),
		     query_int(in_dir("full.db"), "SELECT count(*) FROM events", NULL),
		     "events_recorded counts committed rows");
	query_int(in_dir("full.db"), "SELECT end_ns FROM session", &null_end);
	cr_assert(null_end, "a failed session stays incomplete");
	cr_assert_eq(query_int(in_dir("full.db"), "PRAGMA integrity_check = 1", NULL), 0);
}

/* Under a steady stream (the queue never empty) commits still come every
 * 200 ms: a reader sees rows before the stream ends. */
Test(store, commits_on_time_under_load)
{
	struct store_meta meta = { .cmdline = "x", .target = "y", .start_ns = T0 };
	struct ior_err err = { 0 };
	struct ior_rec r = { .ts_ns = T0, .pid = 10, .tid = 10, .fd = 3, .ret = 1 };
	struct timespec a, b;
	struct store *st;
	sqlite3_int64 seen = 0;

	r.nr = (int16_t)nr_of("pread64");
	cr_assert_eq(store_open(&st, in_dir("load.db"), false, &meta, &err), 0, "%s", err.msg);
	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		/* Slower than the writer, but never idle: 1,000 rows a ms. */
		for (int i = 0; i < 1000; i++) {
			r.ts_ns++;
			store_sink_ops.event(st, &r);
		}
		store_sink_ops.flush(st);
		usleep(1000);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (b.tv_sec - a.tv_sec >= 1 && !seen)
			seen = query_int(in_dir("load.db"), "SELECT count(*) FROM events", NULL);
	} while (b.tv_sec - a.tv_sec < 2);
	cr_assert_gt(seen, 0, "rows committed while the stream went on");
	cr_assert_eq(store_close(st, T0 + 1, &err), 0, "%s", err.msg);
}

/* The scheduling of this process's thread named comm: policy (sched(7)
 * numbers) and nice, from /proc/self/task/TID/stat; false when none. */
static bool thread_sched(const char *comm, int *policy, int *nice)
{
	char path[300], buf[512];
	bool found = false;
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;

	cr_assert_not_null(d);
	while (!found && (de = readdir(d))) {
		FILE *f;
		char *p;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		if (de->d_name[0] == '.' || !(f = fopen(path, "r")))
			continue;
		found = fgets(buf, sizeof(buf), f) && strncmp(buf, comm, strlen(comm)) == 0;
		fclose(f);
		if (!found)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/stat", de->d_name);
		cr_assert_not_null(f = fopen(path, "r"));
		cr_assert_not_null(fgets(buf, sizeof(buf), f));
		fclose(f);
		/* After the comm: state is field 3, nice 19, policy 41. */
		p = strrchr(buf, ')') + 2;
		for (int field = 3; field < 41 && p; field++) {
			if (field == 19)
				*nice = atoi(p);
			p = strchr(p, ' ');
			p = p ? p + 1 : NULL;
		}
		cr_assert_not_null(p);
		*policy = atoi(p);
	}
	closedir(d);
	return found;
}

/* Push a row and flush about every ms for ms milliseconds of wall time
 * (the reader's side, where the writer's pace is chosen). */
static void feed_for(struct store *st, struct ior_rec *r, int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		r->ts_ns++;
		store_sink_ops.event(st, r);
		store_sink_ops.flush(st);
		usleep(1000);
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

/* Idle, the writer runs as SCHED_IDLE; held up (another connection holds
 * the write lock) with work waiting, it competes at nice 10 after 100 ms,
 * at nice 0 after a second; let go, it is SCHED_IDLE again. */
Test(store, writer_paced_by_its_progress)
{
	struct store_meta meta = { .cmdline = "x", .target = "y", .start_ns = T0 };
	struct ior_err err = { 0 };
	struct ior_rec r = { .ts_ns = T0, .pid = 10, .tid = 10, .fd = 3, .ret = 1 };
	int policy = -1, nice = -1;
	struct store *st;
	sqlite3 *other;

	r.nr = (int16_t)nr_of("pread64");
	cr_assert_eq(store_open(&st, in_dir("pace.db"), false, &meta, &err), 0, "%s", err.msg);
	for (int i = 0; i < 100 && policy != SCHED_IDLE; i++) {
		feed_for(st, &r, 20);
		cr_assert(thread_sched("ior-writer", &policy, &nice));
	}
	cr_assert_eq(policy, SCHED_IDLE, "policy %d", policy);
	/* Quiet for longer than a commit period: the writer holds no lock. */
	for (int i = 0; i < 40; i++) {
		store_sink_ops.flush(st);
		usleep(10000);
	}
	cr_assert_eq(sqlite3_open(in_dir("pace.db"), &other), SQLITE_OK);
	sqlite3_busy_timeout(other, 3000);
	cr_assert_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK, "%s",
		     sqlite3_errmsg(other));
	feed_for(st, &r, 500);
	cr_assert(thread_sched("ior-writer", &policy, &nice));
	cr_assert_eq(policy, SCHED_OTHER, "policy %d", policy);
	cr_assert_eq(nice, 10);
	feed_for(st, &r, 1100);
	cr_assert(thread_sched("ior-writer", &policy, &nice));
	cr_assert_eq(policy, SCHED_OTHER, "policy %d", policy);
	cr_assert_eq(nice, 0);
	cr_assert_eq(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	/* The writer retries its insert within its busy handler's sleep (up
	 * to 100 ms), then makes progress again. */
	for (int i = 0; i < 100 && policy != SCHED_IDLE; i++) {
		feed_for(st, &r, 20);
		cr_assert(thread_sched("ior-writer", &policy, &nice));
	}
	cr_assert_eq(policy, SCHED_IDLE, "policy %d", policy);
	cr_assert_eq(store_close(st, T0 + 1, &err), 0, "%s", err.msg);
	cr_assert_gt(query_int(in_dir("pace.db"), "SELECT count(*) FROM events", NULL), 500);
}

static struct ior_rec replayed[16];
static int nreplayed;

static void capture_event(void *ctx, const struct ior_rec *rec)
{
	(void)ctx;
	if (nreplayed < 16)
		replayed[nreplayed++] = *rec;
}

static const struct sink_ops capture_ops = { .event = capture_event };

Test(store, replay_gives_back_the_records)
{
	struct intern *in = intern_new(), *back = intern_new();
	struct session_info info;
	struct ior_err err = { 0 };
	struct pipeline p = { 0 };
	sqlite3 *db;

	write_session(in_dir("s.db"), in, 0);
	cr_assert_eq(session_open(in_dir("s.db"), &db, &info, &err), 0, "%s", err.msg);
	cr_assert_eq(info.schema_version, STORE_SCHEMA_VERSION);
	cr_assert_eq(info.events_lost, 3);
	pipeline_add(&p, &capture_ops, NULL);
	nreplayed = 0;
	cr_assert_eq(replay_run(db, &info, back, &p, &err), 0, "%s", err.msg);
	cr_assert_eq(nreplayed, 6);
	cr_assert_eq(replayed[0].ts_ns, T0 + 100);
	cr_assert_eq(replayed[0].duration_ns, 5000);
	cr_assert_eq(replayed[0].gap_ns, 7);
	cr_assert_eq(replayed[0].fd, 3);
	cr_assert_str_eq(intern_str(back, replayed[0].file, NULL), "/etc/passwd");
	cr_assert_eq(replayed[1].tid, 11);
	cr_assert_eq(replayed[1].pid, 10);
	cr_assert_eq(replayed[1].bytes, 42);
	cr_assert(replayed[2].rec_flags & REC_FAILED);
	cr_assert_eq(memcmp(intern_str(back, replayed[2].file, NULL), hostile, strlen(hostile)), 0);
	cr_assert_str_eq(intern_str(back, replayed[3].old_file, NULL), "/tmp/old");
	cr_assert(replayed[4].rec_flags & REC_INTERRUPTED);
	cr_assert_not(replayed[4].rec_flags & REC_FAILED);
	cr_assert(replayed[5].rec_flags & REC_HAS_ASB);
	cr_assert_eq(replayed[5].address_space_bytes, 8192);
	cr_assert_eq(replayed[5].fd, REC_FD_NONE);
	sqlite3_close(db);
	intern_free(in);
	intern_free(back);
}

static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void expect_open_error(const char *path, const char *needle)
{
	struct session_info info;
	struct ior_err err = { 0 };
	sqlite3 *db;

	cr_assert_lt(session_open(path, &db, &info, &err), 0);
	cr_assert_null(db);
	cr_assert(strstr(err.msg, needle), "'%s' lacks '%s'", err.msg, needle);
	cr_assert_null(strchr(err.msg, '\n'), "one line");
}

Test(store, bad_session_files)
{
	char junk[4096];
	sqlite3 *db;

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 131 + 7);
	expect_open_error(in_dir("missing.db"), "No such file");
	write_bytes(in_dir("empty.db"), "", 0);
	expect_open_error(in_dir("empty.db"), "empty");
	write_bytes(in_dir("junk.db"), junk, sizeof(junk));
	expect_open_error(in_dir("junk.db"), "not an");
	cr_assert_eq(sqlite3_open(in_dir("other.db"), &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	expect_open_error(in_dir("other.db"), "not an ior session");
	expect_open_error(dir, "not a regular file");
}

Test(store, newer_schema_refused)
{
	struct intern *in = intern_new();
	sqlite3 *db;

	write_session(in_dir("s.db"), in, 0);
	cr_assert_eq(sqlite3_open(in_dir("s.db"), &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "UPDATE session SET schema_version = 99", NULL, NULL, NULL),
		     SQLITE_OK);
	sqlite3_close(db);
	expect_open_error(in_dir("s.db"), "schema version 99");
	intern_free(in);
}

Test(store, committed_v1_session_still_opens)
{
	const char *src = getenv("IOR_SRCDIR");
	struct session_info info;
	struct ior_err err = { 0 };
	char path[4096];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/tests/data/session-v1.db", src ? src : ".");
	cr_assert_eq(session_open(path, &db, &info, &err), 0, "%s", err.msg);
	cr_assert_eq(info.schema_version, 1);
	cr_assert_gt(q_int(db, "SELECT count(*) FROM events_v"), 0);
	sqlite3_close(db);
}

/* Every ```sql block of docs/session-schema.md runs on a real session. */
Test(store, documented_queries_run)
{
	const char *src = getenv("IOR_SRCDIR");
	struct intern *in = intern_new();
	char path[4096], line[1024], sql[8192];
	int blocks = 0;
	bool in_sql = false;
	sqlite3 *db;
	FILE *f;

	write_session(in_dir("s.db"), in, 10);
	snprintf(path, sizeof(path), "%s/docs/session-schema.md", src ? src : ".");
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	db = open_db(in_dir("s.db"));
	sql[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (!in_sql && !strncmp(line, "```sql", 6)) {
			in_sql = true;
			sql[0] = '\0';
		} else if (in_sql && !strncmp(line, "```", 3)) {
			char *errmsg = NULL;

			in_sql = false;
			blocks++;
			cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &errmsg), SQLITE_OK,
				     "query %d: %s\n%s", blocks, errmsg, sql);
		} else if (in_sql) {
			strncat(sql, line, sizeof(sql) - strlen(sql) - 1);
		}
	}
	fclose(f);
	sqlite3_close(db);
	cr_assert_geq(blocks, 5);
	intern_free(in);
}

static char *slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

Test(store, export_csv_quotes_hostile_names)
{
	struct intern *in = intern_new();
	struct ior_err err = { 0 };
	char *csv;

	write_session(in_dir("s.db"), in, 0);
	cr_assert_eq(export_run("csv", in_dir("s.db"), in_dir("out.csv"), false, &err), 0, "%s",
		     err.msg);
	csv = slurp(in_dir("out.csv"));
	cr_assert(!strncmp(csv, "id,ts_ns,pid,tid,comm,syscall,family,nr,ret,errno,", 50));
	cr_assert(strstr(csv, ",\"/tmp/a\nb\tc\x1b[31m\xff\xfe\","), "quoted raw bytes");
	cr_assert_lt(export_run("csv", in_dir("s.db"), in_dir("out.csv"), false, &err), 0,
		     "no overwrite without --force");
	cr_assert_lt(export_run("xml", in_dir("s.db"), NULL, false, &err), 0);
	cr_assert(strstr(err.msg, "unknown format"));
	intern_free(in);
}

Test(store, export_folded)
{
	struct intern *in = intern_new();
	struct ior_err err = { 0 };
	char *folded;

	write_session(in_dir("s.db"), in, 0);
	cr_assert_eq(export_run("folded", in_dir("s.db"), in_dir("out.folded"), false, &err), 0,
		     "%s", err.msg);
	folded = slurp(in_dir("out.folded"));
	cr_assert(strstr(folded, "worker;FS;openat 5000\n"), "%s", folded);
	cr_assert(strstr(folded, "worker;Memory;mmap 0\n"), "%s", folded);
	intern_free(in);
}

Test(store, strings_of_every_length_are_copied)
{
	static const size_t lens[] = { 0, 1, 103, 104, 105, 111, 112, 113, 216, 217, 5000 };
	const size_t n = sizeof(lens) / sizeof(lens[0]);
	struct store_meta meta = { .cmdline = "ior record", .target = "test", .start_ns = T0 };
	struct ior_err err = { 0 };
	struct store *st;
	sqlite3_stmt *s;
	sqlite3 *db;
	char buf[5001];

	cr_assert_eq(store_open(&st, in_dir("long.db"), false, &meta, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < lens[i]; j++)
			buf[j] = (char)('a' + (i + j) % 26);
		buf[lens[i]] = '\0';
		store_sink_ops.string(st, (ior_str)(i + 1), buf, lens[i]);
		/* The source may forget the string at once: the store copied it. */
		memset(buf, 'X', sizeof(buf));
	}
	cr_assert_eq(store_close(st, T0 + 1000, &err), 0, "%s", err.msg);
	db = open_db(in_dir("long.db"));
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT id, CAST(s AS BLOB) FROM strings ORDER BY id",
					-1, &s, NULL),
		     SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		const char *got;

		cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
		cr_assert_eq(sqlite3_column_int64(s, 0), (sqlite3_int64)(i + 1));
		got = sqlite3_column_blob(s, 1);
		cr_assert_eq((size_t)sqlite3_column_bytes(s, 1), lens[i], "string %zu", i);
		for (size_t j = 0; j < lens[i]; j++)
			cr_assert_eq(got[j], (char)('a' + (i + j) % 26), "string %zu byte %zu", i,
				     j);
	}
	cr_assert_eq(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(db);
}
