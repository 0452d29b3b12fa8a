/* Unit tests for snapshots: what a build copies, and the hand-over between
 * a source thread and a UI thread that never wait for each other. */
#include <criterion/criterion.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/replay.h"
#include "core/session.h"
#include "core/snapshot.h"

struct fixture {
	struct stats *stats;
	struct stream stream;
	struct snapshot_box box;
	struct pipeline pipe;
};

static void setup(struct fixture *f, size_t files_max, size_t recent_max)
{
	struct ior_err err = { 0 };

	f->stats = calloc(1, sizeof(*f->stats));
	stats_init(f->stats);
	stream_init(&f->stream, recent_max > 16 ? recent_max : 16);
	cr_assert_eq(
		snapshot_box_init(&f->box, f->stats, &f->stream, 0, files_max, recent_max, &err), 0,
		"%s", err.msg);
	memset(&f->pipe, 0, sizeof(f->pipe));
	pipeline_add(&f->pipe, &stats_sink_ops, f->stats);
	pipeline_add(&f->pipe, &stream_sink_ops, &f->stream);
	pipeline_add(&f->pipe, &snapshot_sink_ops, &f->box);
}

static void teardown(struct fixture *f)
{
	snapshot_box_fini(&f->box);
	stream_fini(&f->stream);
	stats_fini(f->stats);
	free(f->stats);
}

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

Test(snapshot, copies_rows_files_procs_and_recent_with_strings)
{
	struct fixture f;
	const struct snapshot *s;
	struct ior_rec r = { .pid = 7, .tid = 7, .comm = 1, .fd = 3, .duration_ns = 1000 };
	struct ior_proc_ev start = { .kind = PROC_START, .pid = 7, .ppid = 1, .comm = 1 };
	struct pollfd pfd;

	setup(&f, 2, 3);
	cr_assert_null(snapshot_box_acquire(&f.box), "nothing before the first publish");
	pipeline_string(&f.pipe, 1, "cat", 3);
	pipeline_string(&f.pipe, 2, "/etc/a", 6);
	pipeline_string(&f.pipe, 3, "/etc/b", 6);
	pipeline_string(&f.pipe, 4, "/etc/c", 6);
	pipeline_proc(&f.pipe, &start);
	r.nr = (int16_t)nr_of("read");
	for (int i = 0; i < 5; i++) { /* a: 5 calls, 100 bytes each */
		r.file = 2, r.ret = r.bytes = 100;
		pipeline_event(&f.pipe, &r);
	}
	r.file = 3, r.ret = r.bytes = 1000; /* b: one call, most bytes */
	pipeline_event(&f.pipe, &r);
	r.nr = (int16_t)nr_of("close"), r.file = 4, r.ret = r.bytes = 0; /* c: no bytes */
	pipeline_event(&f.pipe, &r);
	r.ret = -9, r.rec_flags = REC_FAILED;
	pipeline_event(&f.pipe, &r);
	pipeline_lost(&f.pipe, 5);

	snapshot_box_publish(&f.box);
	pfd = (struct pollfd){ .fd = snapshot_box_fd(&f.box), .events = POLLIN };
	cr_assert_eq(poll(&pfd, 1, 0), 1, "the eventfd says a snapshot is there");
	s = snapshot_box_acquire(&f.box);
	cr_assert_not_null(s);
	cr_assert_eq(s->seq, 1);
	cr_assert_eq(s->events, 8);
	cr_assert_eq(s->lost, 5);
	cr_assert_eq(s->total.row.calls, 8);
	cr_assert_eq(s->total.row.errors, 1);
	cr_assert_eq(s->family[FAMILY_FS].row.calls, 8);
	cr_assert_eq(s->family[FAMILY_FS].p50_ns / 100, 1000 / 100, "p50 %llu",
		     (unsigned long long)s->family[FAMILY_FS].p50_ns);
	cr_assert_eq(s->nsys, 2);
	cr_assert_eq(s->files_total, 3);
	cr_assert_eq(s->nfiles, 2, "files_max bounds the copy");
	cr_assert_str_eq(snapshot_str(s, s->files[0].path), "/etc/b");
	cr_assert_str_eq(snapshot_str(s, s->files[1].path), "/etc/a");
	cr_assert_eq(s->nprocs, 1);
	cr_assert_str_eq(snapshot_str(s, s->procs[0].comm), "cat");
	cr_assert_eq(s->nrecent, 3, "recent_max bounds the copy");
	cr_assert_eq(s->recent[0].rec.ret, -9, "newest first");
	cr_assert_str_eq(snapshot_str(s, s->recent[0].file), "/etc/c");
	cr_assert_str_eq(snapshot_str(s, s->recent[2].file), "/etc/b");
	cr_assert_null(snapshot_str(s, s->recent[0].old_file));
	cr_assert_eq(snapshot_box_acquire(&f.box), s, "unchanged until the next publish");
	teardown(&f);
}

/* A small session: two processes of three families over three files, one
 * descriptor lister standing in for the tracker. */
static void feed(struct fixture *f, const char *name, uint32_t pid, ior_str comm, ior_str file,
		 int64_t ret, uint64_t gap_ns)
{
	struct ior_rec r = { .nr = (int16_t)nr_of(name),
			     .pid = pid,
			     .tid = pid,
			     .comm = comm,
			     .file = file,
			     .ret = ret,
			     .bytes = ret > 0 && strcmp(name, "read") == 0 ? ret : 0,
			     .gap_ns = gap_ns,
			     .duration_ns = 1000,
			     .fd = 3 };

	if (ret < 0)
		r.rec_flags = REC_FAILED;
	pipeline_event(&f->pipe, &r);
}

static void feed_session(struct fixture *f)
{
	struct ior_proc_ev ev = {
		.kind = PROC_START, .pid = 10, .ppid = 1, .comm = 1, .exe = 5, .ts_ns = 111
	};
	static const char *const strs[] = {
		"",	    "make",	     "cc",	    "/src/a.c",
		"/src/b.c", "/usr/bin/make", "/usr/bin/cc", "socket:[42]"
	};

	for (ior_str i = 1; i < 8; i++)
		pipeline_string(&f->pipe, i, strs[i], strlen(strs[i]));
	pipeline_proc(&f->pipe, &ev);
	ev = (struct ior_proc_ev){
		.kind = PROC_START, .pid = 11, .ppid = 10, .comm = 1, .exe = 5, .ts_ns = 222
	};
	pipeline_proc(&f->pipe, &ev);
	ev = (struct ior_proc_ev){ .kind = PROC_EXEC, .pid = 11, .tid = 11, .comm = 2, .exe = 6 };
	pipeline_proc(&f->pipe, &ev);
	/* make (10): FS on a.c, Network on the socket */
	feed(f, "openat", 10, 1, 3, 3, 0);
	feed(f, "read", 10, 1, 3, 100, 500);
	feed(f, "read", 10, 1, 3, 100, 700);
	feed(f, "connect", 10, 1, 7, -111, 900);
	/* cc (11): FS on a.c and b.c, Memory on b.c, failures */
	feed(f, "openat", 11, 2, 3, 4, 0);
	feed(f, "openat", 11, 2, 4, -2, 300);
	feed(f, "openat", 11, 2, 4, -2, 300);
	feed(f, "openat", 11, 2, 4, -13, 300);
	feed(f, "mmap", 11, 2, 4, 4096, 300);
	ev = (struct ior_proc_ev){ .kind = PROC_EXIT,
				   .pid = 11,
				   .tid = 11,
				   .comm = 2,
				   .exit_code = 1 << 8,
				   .ts_ns = 333 };
	pipeline_proc(&f->pipe, &ev);
}

static const struct snapshot_file *file_of(const struct snapshot *s, const char *path)
{
	for (size_t i = 0; i < s->nfiles; i++)
		if (strcmp(snapshot_str(s, s->files[i].path), path) == 0)
			return &s->files[i];
	cr_assert_fail("no file %s", path);
	return NULL;
}

Test(snapshot, family_masks_processes_and_files)
{
	uint16_t fs = STATS_FAMILY_BIT(FAMILY_FS), net = STATS_FAMILY_BIT(FAMILY_NETWORK),
		 mem = STATS_FAMILY_BIT(FAMILY_MEMORY);
	const struct snapshot_file *a, *b, *sock;
	const struct snapshot *s;
	struct fixture f;

	setup(&f, 8, 8);
	feed_session(&f);
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->nfiles, 3);
	a = file_of(s, "/src/a.c");
	b = file_of(s, "/src/b.c");
	sock = file_of(s, "socket:[42]");
	cr_assert_eq(a->families, fs);
	cr_assert_eq(b->families, fs | mem);
	cr_assert_eq(sock->families, net);
	cr_assert_eq(a->nprocs, 2);
	cr_assert_eq(b->nprocs, 1);
	cr_assert_eq(a->opens, 2, "one open by each process");
	cr_assert_eq(b->opens, 0, "failed opens are no opens");
	cr_assert_eq(s->nprocs, 2);
	cr_assert_eq(s->procs[0].pid, 10);
	cr_assert_eq(s->procs[0].families, fs | net);
	cr_assert_str_eq(snapshot_str(s, s->procs[0].exe), "/usr/bin/make");
	cr_assert_eq(s->procs[0].start_ns, 111);
	cr_assert_not(s->procs[0].exited);
	cr_assert_eq(s->procs[1].pid, 11);
	cr_assert_eq(s->procs[1].ppid, 10);
	cr_assert_eq(s->procs[1].families, fs | mem);
	cr_assert_str_eq(snapshot_str(s, s->procs[1].comm), "cc");
	cr_assert_str_eq(snapshot_str(s, s->procs[1].exe), "/usr/bin/cc", "exe follows exec");
	cr_assert(s->procs[1].exited);
	cr_assert_eq(s->procs[1].exit_code, 1 << 8);
	cr_assert_eq(s->procs[1].start_ns, 222);
	cr_assert_eq(s->procs[1].exit_ns, 333);
	teardown(&f);
}

Test(snapshot, histograms_and_mean_gap_per_syscall)
{
	const struct snapshot_syscall *openat = NULL;
	const struct snapshot *s;
	struct fixture f;
	uint64_t lat = 0, gap = 0;

	setup(&f, 8, 8);
	feed_session(&f);
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	for (size_t i = 0; i < s->nsys; i++)
		if (s->sys[i].nr == nr_of("openat"))
			openat = &s->sys[i];
	cr_assert_not_null(openat);
	for (int i = 0; i < STATS_BUCKETS; i++) {
		lat += openat->lat.n[i];
		gap += openat->gap.n[i];
	}
	cr_assert_eq(lat, 5);
	cr_assert_eq(gap, 3, "first calls of a thread (gap 0) are not gaps");
	cr_assert_eq(openat->gap_calls, 3);
	cr_assert_eq(openat->gap_total_ns, 900);
	cr_assert_eq(openat->gap.n[stats_bucket(300)], 3);
	cr_assert_eq(openat->r.p50_ns, stats_bucket_value(stats_bucket(1000)), "p50 kept");
	cr_assert_eq(s->gap_calls, 7);
	cr_assert_eq(s->gap_total_ns, 500 + 700 + 900 + 4 * 300);
	teardown(&f);
}

static const struct snapshot_flame *flame_of(const struct snapshot *s, const char *comm,
					     const char *name, const char *file)
{
	for (size_t i = 0; i < s->nflame; i++) {
		const struct snapshot_flame *fl = &s->flame[i];
		const char *fp = snapshot_str(s, fl->file);

		if (strcmp(snapshot_str(s, fl->comm), comm) == 0 && fl->nr == nr_of(name) &&
		    (file ? fp && strcmp(fp, file) == 0 : !fp))
			return fl;
	}
	return NULL;
}

Test(snapshot, flame_triples_exact_and_bounded)
{
	const struct snapshot_flame *fl;
	const struct snapshot *s;
	struct fixture f;
	uint64_t calls = 0;

	setup(&f, 8, 8);
	feed_session(&f);
	feed(&f, "getpid", 10, 1, 0, 10, 0); /* no file */
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->flame_total, 7);
	cr_assert_eq(s->nflame, 7);
	fl = flame_of(s, "make", "read", "/src/a.c");
	cr_assert_not_null(fl);
	cr_assert_eq(fl->calls, 2);
	cr_assert_eq(fl->bytes, 200);
	cr_assert_eq(fl->total_ns, 2000);
	cr_assert_eq(fl->errors, 0);
	fl = flame_of(s, "cc", "openat", "/src/b.c");
	cr_assert_eq(fl->calls, 3);
	cr_assert_eq(fl->errors, 3);
	cr_assert_eq(flame_of(s, "cc", "openat", "/src/a.c")->calls, 1);
	cr_assert_eq(flame_of(s, "make", "getpid", NULL)->calls, 1);
	for (size_t i = 0; i < s->nflame; i++)
		calls += s->flame[i].calls;
	cr_assert_eq(calls, s->total.row.calls);

	f.box.flame_max = 2; /* the heaviest two: cc openat b.c (3), make read a.c (2) */
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->nflame, 2);
	cr_assert_eq(s->flame_total, 7);
	cr_assert_not_null(flame_of(s, "cc", "openat", "/src/b.c"));
	cr_assert_not_null(flame_of(s, "make", "read", "/src/a.c"));
	f.box.flame_max = 0;
	snapshot_box_publish(&f.box);
	cr_assert_eq(snapshot_box_acquire(&f.box)->nflame, 0);
	teardown(&f);
}

Test(snapshot, errors_top_n_by_count)
{
	const struct snapshot *s;
	struct fixture f;

	setup(&f, 8, 8);
	feed_session(&f);
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->errors_total, 3);
	cr_assert_eq(s->nerrors, 3);
	cr_assert_eq(s->errors[0].nr, nr_of("openat"));
	cr_assert_eq(s->errors[0].err, 2);
	cr_assert_eq(s->errors[0].count, 2);
	/* ties by syscall number, then errno */
	cr_assert_eq(s->errors[1].count, 1);
	cr_assert_eq(s->errors[2].count, 1);
	cr_assert_lt(s->errors[1].nr * 1000 + s->errors[1].err,
		     s->errors[2].nr * 1000 + s->errors[2].err);
	f.box.errors_max = 1;
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->nerrors, 1);
	cr_assert_eq(s->errors_total, 3);
	cr_assert_eq(s->errors[0].err, 2);
	teardown(&f);
}

/* What the tracker would list: pid 10 holds a.c on 3 and the socket on 7
 * (CLOEXEC); ids 3 and 7 are announced strings. */
static void fake_lister(void *ctx, uint32_t pid, snapshot_fd_fn fn, void *fn_ctx)
{
	int *calls = ctx;

	++*calls;
	if (pid != 10)
		return;
	fn(fn_ctx, 3, 3, false);
	fn(fn_ctx, 7, 7, true);
	fn(fn_ctx, 9, 0, false); /* a descriptor whose path is unknown */
}

Test(snapshot, descriptors_of_the_process_asked_for)
{
	const struct snapshot *s;
	struct fixture f;
	int calls = 0;

	setup(&f, 8, 8);
	feed_session(&f);
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->fds_pid, 0, "no lister: none");
	snapshot_box_want_fds(&f.box, 10);
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->fds_pid, 0, "no lister (replay): still none");
	cr_assert_eq(s->nfds, 0);

	snapshot_box_set_fd_lister(&f.box, fake_lister, &calls);
	snapshot_box_want_fds(&f.box, 0);
	snapshot_box_publish(&f.box);
	cr_assert_eq(calls, 0, "nothing asked: the lister is not called");
	snapshot_box_want_fds(&f.box, 10);
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(calls, 1);
	cr_assert_eq(s->fds_pid, 10);
	cr_assert_eq(s->nfds, 3);
	cr_assert_eq(s->fds[0].fd, 3);
	cr_assert_str_eq(snapshot_str(s, s->fds[0].path), "/src/a.c");
	cr_assert_not(s->fds[0].cloexec);
	cr_assert_eq(s->fds[1].fd, 7);
	cr_assert_str_eq(snapshot_str(s, s->fds[1].path), "socket:[42]");
	cr_assert(s->fds[1].cloexec);
	cr_assert_null(snapshot_str(s, s->fds[2].path));
	snapshot_box_want_fds(&f.box, 11);
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->fds_pid, 11, "asked and listed, even with none open");
	cr_assert_eq(s->nfds, 0);
	teardown(&f);
}

Test(snapshot, thousands_of_recent_records)
{
	const struct snapshot *s;
	struct fixture f;
	struct ior_rec r = { .pid = 1, .tid = 1, .comm = 1, .file = 2 };

	setup(&f, 8, 4000);
	pipeline_string(&f.pipe, 1, "w", 1);
	pipeline_string(&f.pipe, 2, "/x", 2);
	for (uint64_t i = 1; i <= 5000; i++) {
		r.ts_ns = i;
		pipeline_event(&f.pipe, &r);
	}
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->nrecent, 4000);
	cr_assert_eq(s->recent[0].rec.ts_ns, 5000);
	cr_assert_eq(s->recent[3999].rec.ts_ns, 1001);
	cr_assert_str_eq(snapshot_str(s, s->recent[3999].file), "/x");
	cr_assert_eq(s->strings_len, 1 + 2 + 3, "each string copied once");
	teardown(&f);
}

/* Found by tests/fuzz: a session with no process at all. */
Test(snapshot, empty_source)
{
	struct fixture f;
	const struct snapshot *s;

	setup(&f, 4, 4);
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->nprocs, 0);
	cr_assert_eq(s->nrecent, 0);
	cr_assert_eq(s->total.row.calls, 0);
	teardown(&f);
}

Test(snapshot, acquire_takes_the_newest)
{
	struct fixture f;
	struct ior_rec r = { .pid = 1, .tid = 1, .nr = 0 };

	setup(&f, 4, 4);
	for (int i = 0; i < 3; i++) {
		pipeline_event(&f.pipe, &r);
		snapshot_box_publish(&f.box);
	}
	cr_assert_eq(snapshot_box_acquire(&f.box)->seq, 3);
	cr_assert_eq(snapshot_box_acquire(&f.box)->events, 3);
	teardown(&f);
}

/* A source thread publishing as fast as it can and a UI thread acquiring as
 * fast as it can: every snapshot the UI sees is whole (its parts agree) and
 * newer than or the same as the one before. */
struct race {
	struct fixture f;
	_Atomic int done;
	int rounds;
};

static void *source_thread(void *arg)
{
	struct race *x = arg;
	struct ior_rec r = { .pid = 1, .tid = 1, .comm = 1 };

	for (int i = 1; i <= x->rounds; i++) {
		r.ts_ns = (uint64_t)i;
		pipeline_event(&x->f.pipe, &r);
		snapshot_box_publish(&x->f.box);
	}
	atomic_store(&x->done, 1);
	return NULL;
}

Test(snapshot, source_and_ui_threads_never_see_a_torn_snapshot)
{
	struct race *x = calloc(1, sizeof(*x));
	const struct snapshot *s;
	uint64_t last_seq = 0, seen = 0;
	pthread_t t;

	setup(&x->f, 4, 16);
	pipeline_string(&x->f.pipe, 1, "worker", 6);
	x->rounds = 3000;
	cr_assert_eq(pthread_create(&t, NULL, source_thread, x), 0);
	while (!atomic_load(&x->done) || seen < 1) {
		s = snapshot_box_acquire(&x->f.box);
		if (!s)
			continue;
		cr_assert_geq(s->seq, last_seq);
		if (s->seq != last_seq)
			seen++;
		last_seq = s->seq;
		cr_assert_eq(s->total.row.calls, s->events);
		cr_assert_eq(s->nrecent, s->events < 16 ? s->events : 16);
		cr_assert_eq(s->recent[0].rec.ts_ns, s->events,
			     "the newest record is the last counted");
		cr_assert_str_eq(snapshot_str(s, s->recent[0].comm), "worker");
	}
	pthread_join(t, NULL);
	s = snapshot_box_acquire(&x->f.box);
	cr_assert_eq(s->seq, x->f.box.published, "the last one published is the one taken");
	cr_assert_eq(s->events, (uint64_t)x->rounds);
	teardown(&x->f);
	free(x);
}

/* The live UI can set the lister only once the capture (and so the
 * tracker) exists, while the reader already publishes: the first snapshot
 * that lists descriptors lists them whole. */
static void *publisher_thread(void *arg)
{
	struct race *x = arg;
	struct ior_rec r = { .pid = 10, .tid = 10, .comm = 1 };

	while (!atomic_load(&x->done)) {
		pipeline_event(&x->f.pipe, &r);
		snapshot_box_publish(&x->f.box);
	}
	return NULL;
}

Test(snapshot, lister_set_while_the_source_runs)
{
	struct race *x = calloc(1, sizeof(*x));
	const struct snapshot *s;
	pthread_t t;
	int calls = 0;

	setup(&x->f, 4, 4);
	feed_session(&x->f);
	snapshot_box_want_fds(&x->f.box, 10);
	cr_assert_eq(pthread_create(&t, NULL, publisher_thread, x), 0);
	snapshot_box_set_fd_lister(&x->f.box, fake_lister, &calls);
	do
		s = snapshot_box_acquire(&x->f.box);
	while (!s || !s->fds_pid);
	cr_assert_eq(s->nfds, 3);
	cr_assert_str_eq(snapshot_str(s, s->fds[1].path), "socket:[42]");
	atomic_store(&x->done, 1);
	pthread_join(t, NULL);
	teardown(&x->f);
	free(x);
}

/* A recorded session replayed through the same sinks gives the UI the same
 * kind of snapshot: its totals are the session's. */
Test(snapshot, built_from_a_replayed_session)
{
	const char *src = getenv("IOR_SRCDIR");
	struct intern *in = intern_new();
	struct session_info info;
	struct ior_err err = { 0 };
	const struct snapshot *s;
	struct fixture f;
	char path[4096];
	sqlite3 *db;
	sqlite3_stmt *st;
	long long calls, errors;

	snprintf(path, sizeof(path), "%s/tests/data/session-v1.db", src ? src : ".");
	cr_assert_eq(session_open(path, &db, &info, &err), 0, "%s", err.msg);
	cr_assert_eq(
		sqlite3_prepare_v2(db,
				   "SELECT count(*), sum(errno IS NOT NULL AND interrupted = 0) "
				   "FROM events_v",
				   -1, &st, NULL),
		SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	calls = sqlite3_column_int64(st, 0);
	errors = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	setup(&f, 8, 8);
	cr_assert_eq(replay_run(db, &info, in, &f.pipe, &err), 0, "%s", err.msg);
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_eq(s->total.row.calls, (uint64_t)calls);
	cr_assert_eq(s->total.row.errors, (uint64_t)errors);
	cr_assert_eq(s->nrecent, 8);
	cr_assert_gt(s->nprocs, 0);
	cr_assert_not_null(snapshot_str(s, s->procs[0].comm));
	cr_assert_gt(s->nfiles, 0);
	cr_assert_not_null(snapshot_str(s, s->files[0].path));
	teardown(&f);
	sqlite3_close(db);
	intern_free(in);
}

/* Processes folded together (struct stats.procs_max) come out as one row
 * named "(other processes)", after those by pid, with the count folded. */
Test(snapshot, the_other_processes_row_has_a_name)
{
	struct fixture f;
	const struct snapshot *s;
	struct ior_rec r = { .nr = (int16_t)nr_of("read"), .comm = 1, .duration_ns = 1000 };

	setup(&f, 8, 4);
	f.stats->procs_max = 3;
	pipeline_string(&f.pipe, 1, "sh", 2);
	for (uint32_t pid = 10; pid < 15; pid++) {
		struct ior_proc_ev exit = { .kind = PROC_EXIT, .pid = pid, .tid = pid };

		r.pid = r.tid = pid;
		pipeline_event(&f.pipe, &r);
		if (pid < 13)
			pipeline_proc(&f.pipe, &exit);
	}
	snapshot_box_publish(&f.box);
	s = snapshot_box_acquire(&f.box);
	cr_assert_not_null(s);
	cr_assert_gt(s->procs_folded, 0);
	cr_assert_gt(s->nprocs, 1);
	cr_assert_eq(s->procs[s->nprocs - 1].pid, STATS_PROC_OTHER);
	cr_assert_str_eq(snapshot_str(s, s->procs[s->nprocs - 1].comm), "(other processes)");
	cr_assert(s->procs[s->nprocs - 1].exited);
	cr_assert_eq(s->procs[s->nprocs - 1].row.calls, s->procs_folded, "one call each");
	cr_assert_str_eq(snapshot_str(s, s->procs[0].comm), "sh");
	teardown(&f);
}
