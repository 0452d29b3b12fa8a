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
	stream_init(&f->stream, 16);
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
