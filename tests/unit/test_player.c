/* The replay clock: a session written with the real store, played by the
 * player thread; commands move the cursor and the snapshots say where it
 * is and what the statistics are as of it. */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/intern.h"
#include "core/player.h"
#include "core/stats.h"
#include "core/store.h"
#include "core/syscalls.h"

#define T0 1700000000000000000ull
#define N  2000 /* records, one every millisecond */

static char dir[64], path[128];

/* What a live run's statistics showed at its end (compared field by field
 * with the replay's). */
static struct stats *live;

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

static void setup(void)
{
	struct store *st;
	struct ior_err err = { 0 };
	struct store_meta meta = { .cmdline = "ior record", .target = "test", .start_ns = T0 };
	struct intern *in = intern_new();
	const char *strs[] = { "worker", "/etc/passwd", "/tmp/x" };

	snprintf(dir, sizeof(dir), "/tmp/ior-player-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	live = calloc(1, sizeof(*live));
	stats_init(live);
	cr_assert_eq(store_open(&st, path, false, &meta, &err), 0, "%s", err.msg);
	for (int i = 0; i < 3; i++) {
		size_t len = strlen(strs[i]);
		ior_str id = intern_get(in, strs[i], len, NULL);

		store_sink_ops.string(st, id, intern_str(in, id, NULL), len);
	}
	store_sink_ops.proc(
		st, &(struct ior_proc_ev){
			    .kind = PROC_START, .pid = 10, .ppid = 1, .comm = 1, .ts_ns = T0 });
	for (int i = 0; i < N; i++) {
		struct ior_rec r = {
			.ts_ns = T0 + (uint64_t)i * 1000000,
			.duration_ns = 1000 + (uint64_t)i,
			.gap_ns = 10,
			.pid = 10,
			.tid = 10,
			.comm = 1,
			.fd = REC_FD_NONE,
			.epoll_target_fd = REC_FD_NONE,
		};

		if (i % 4 == 0) {
			r.nr = (int16_t)nr_of("openat");
			r.file = i % 8 ? 2 : 3;
			r.ret = i % 16 ? 3 : -2;
			if (r.ret < 0)
				r.rec_flags = REC_FAILED;
		} else {
			r.nr = (int16_t)nr_of("read");
			r.fd = 3;
			r.file = 2;
			r.ret = 100;
			r.bytes = 100;
		}
		store_sink_ops.event(st, &r);
		stats_add(live, &r);
	}
	cr_assert_eq(store_close(st, T0 + N * 1000000ull, &err), 0, "%s", err.msg);
	intern_free(in);
}

static void teardown(void)
{
	char cmd[128];

	stats_fini(live);
	free(live);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(player, .init = setup, .fini = teardown, .timeout = 30);

static struct player *start(bool paused, double speed)
{
	struct player_opts o = { .speed = speed,
				 .paused = paused,
				 .period_ns = 1000000,
				 .stream_records = 64,
				 .files_max = 16 };
	struct ior_err err = { 0 };
	struct player *p;

	cr_assert_eq(player_start(&p, path, &o, &err), 0, "%s", err.msg);
	return p;
}

/* Wait for a snapshot for which done() holds (or fail after 10 s). */
static const struct snapshot *
wait_for(struct player *p, bool (*done)(const struct snapshot *, uint64_t), uint64_t arg)
{
	struct snapshot_box *b = player_box(p);

	for (int i = 0; i < 1000; i++) {
		struct pollfd pfd = { .fd = snapshot_box_fd(b), .events = POLLIN };
		const struct snapshot *s;
		uint64_t n;

		poll(&pfd, 1, 10);
		if (read(pfd.fd, &n, sizeof(n)) < 0) {
			/* nothing new: look at the last one again */
		}
		s = snapshot_box_acquire(b);
		if (s && done(s, arg))
			return s;
	}
	cr_assert_fail("no snapshot reached the condition (%llu)", (unsigned long long)arg);
	return NULL;
}

static bool at_id(const struct snapshot *s, uint64_t id)
{
	return s->cursor_id == id && s->total.row.calls == id;
}

static bool at_end(const struct snapshot *s, uint64_t unused)
{
	(void)unused;
	return s->at_end;
}

static void send(struct player *p, enum player_cmd_kind kind, int64_t arg)
{
	struct player_cmd c = { .kind = kind, .arg = arg, .speed = 1 };

	player_send(p, &c);
}

Test(player, paused_start_step_and_seek)
{
	struct player *p = start(true, 1);
	const struct snapshot *s = wait_for(p, at_id, 0);

	cr_assert(s->paused);
	cr_assert_eq(s->span_events, N);
	cr_assert_eq(s->span_start_ns, T0);
	send(p, PLAYER_STEP, 3);
	wait_for(p, at_id, 3);
	send(p, PLAYER_STEP, -1); /* back: the statistics are those of 2 records */
	s = wait_for(p, at_id, 2);
	cr_assert_eq(s->cursor_ns, T0 + 1000000);
	send(p, PLAYER_SEEK_ID, 1500);
	wait_for(p, at_id, 1500);
	send(p, PLAYER_SEEK_ID, 100); /* back again */
	wait_for(p, at_id, 100);
	send(p, PLAYER_SEEK_TIME, (int64_t)(T0 + 999 * 1000000ull)); /* record 1000's time */
	s = wait_for(p, at_id, 1000);
	send(p, PLAYER_STEP_TIME, -500000000); /* half a second back */
	wait_for(p, at_id, 500);
	player_stop(p);
}

/* Played as fast as possible to the end, the statistics are the live run's. */
Test(player, replay_to_the_end_equals_live)
{
	struct player *p = start(false, 0);
	const struct snapshot *s = wait_for(p, at_end, 0);
	size_t seen = 0;

	cr_assert_eq(s->cursor_id, N);
	cr_assert_eq(s->total.row.calls, live->total.calls);
	cr_assert_eq(memcmp(&s->total.row, &live->total, sizeof(live->total)), 0, "totals differ");
	for (size_t i = 0; i < s->nsys; i++) {
		const struct stats_syscall *l = &live->sys[s->sys[i].nr];

		cr_assert_eq(memcmp(&s->sys[i].r.row, &l->row, sizeof(l->row)), 0,
			     "syscall %d differs", s->sys[i].nr);
		cr_assert_eq(memcmp(&s->sys[i].lat, &l->hist, sizeof(l->hist)), 0,
			     "syscall %d's histogram differs", s->sys[i].nr);
		seen += l->row.calls;
	}
	cr_assert_eq(seen, N);
	player_stop(p);
}

static bool past_id(const struct snapshot *s, uint64_t id)
{
	return s->cursor_id >= id;
}

/* At 1x the cursor follows the clock: 200 records 1 ms apart take at least
 * (about) 200 ms to play (a lower bound only: a slow machine is no failure). */
Test(player, plays_at_speed)
{
	struct timespec a, b;
	struct player *p;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &a);
	p = start(false, 1);
	wait_for(p, past_id, 200);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	cr_assert_geq(ms, 150, "200 ms of session played in %.0f ms at 1x", ms);
	send(p, PLAYER_PAUSE, 1);
	player_stop(p);
}
