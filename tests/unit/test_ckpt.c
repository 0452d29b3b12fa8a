/* Checkpoints of the statistics: a blob gives back what was saved, a
 * corrupt one is refused, and a replay that seeks through the session's
 * checkpoints shows exactly what a feed from the first record shows, at
 * random cut points, by id and by time, with process starts, exits, pid
 * reuse and renames between the records, and files and processes folded
 * (small bounds) all along. */
#include <criterion/criterion.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/ckpt.h"
#include "core/intern.h"
#include "core/player.h"
#include "core/stats.h"
#include "core/store.h"
#include "core/syscalls.h"

#define T0	  1700000000000000000ull
#define N	  20000 /* records */
#define EVERY	  500	/* records between checkpoints */
#define PIDS	  12
#define FILES_MAX 16 /* of the 40 files: folding happens, again and again */
#define PROCS_MAX 16 /* of the hundreds of processes (12 at a time): the same */

static char dir[64], path[4200];
static unsigned seed = 7;

static unsigned rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

/* A record of pid's, at time ts: a mix of syscalls, files, failures. */
static struct ior_rec random_rec(uint32_t pid, uint64_t ts)
{
	static const char *names[] = { "read", "write", "openat", "close", "futex", "stat" };
	struct ior_rec r = {
		.ts_ns = ts,
		.duration_ns = 100 + rnd(100000),
		.gap_ns = rnd(3) ? rnd(50000) : 0,
		.pid = pid,
		.tid = pid + rnd(2) * 1000,
		.comm = 1 + rnd(3),
		.fd = REC_FD_NONE,
		.epoll_target_fd = REC_FD_NONE,
	};
	const char *name = names[rnd(6)];

	r.nr = (int16_t)nr_of(name);
	if (strcmp(name, "futex"))
		r.file = 4 + rnd(40);
	if (rnd(7) == 0) {
		r.ret = -(int64_t)(1 + rnd(3));
		r.rec_flags = REC_FAILED;
	} else if (!strcmp(name, "read") || !strcmp(name, "write")) {
		r.ret = r.bytes = rnd(4096);
		r.fd = 3;
	} else {
		r.ret = strcmp(name, "openat") ? 0 : 3;
	}
	return r;
}

/* A session of N records from PIDS processes at a time that start, exit
 * and come back (the same pid again, or a new one), and now and then a
 * record of a pid that exited (no start again: a late record, or a lost
 * start), written by the real store with a checkpoint every EVERY records
 * and the statistics' bounds given (0: the defaults). */
static void record(const char *to, size_t procs_max)
{
	struct store *st;
	struct ior_err err = { 0 };
	struct store_meta meta = { .cmdline = "ior record",
				   .target = "test",
				   .start_ns = T0,
				   .ckpt_every = EVERY,
				   .stats_files_max = FILES_MAX,
				   .stats_procs_max = procs_max };
	struct intern *in = intern_new();
	bool alive[PIDS] = { 0 };
	uint32_t pids[PIDS], next_pid = 1000, dead[8] = { 0 };
	uint64_t ts = T0;

	for (int k = 0; k < PIDS; k++)
		pids[k] = 100 + (uint32_t)k;
	cr_assert_eq(store_open(&st, to, false, &meta, &err), 0, "%s", err.msg);
	for (int i = 0; i < 44; i++) { /* ids 1..3 comms, 4..43 paths */
		char s[32];
		ior_str id;

		snprintf(s, sizeof(s), i < 3 ? "comm%d" : "/data/file%d", i);
		id = intern_get(in, s, strlen(s), NULL);
		store_sink_ops.string(st, id, intern_str(in, id, NULL), strlen(s));
	}
	for (int i = 0; i < N; i++) {
		uint32_t k = rnd(PIDS), pid, q = rnd(PIDS);
		struct ior_rec r;

		ts += rnd(3) ? rnd(200000) : 0; /* some records share a time */
		if (alive[q] && rnd(40) == 0) { /* any process ends */
			struct ior_proc_ev ev = { .kind = PROC_EXIT,
						  .pid = pids[q],
						  .tid = pids[q],
						  .exit_code = (int)rnd(3) << 8,
						  .ts_ns = ts };

			store_sink_ops.proc(st, &ev);
			dead[rnd(8)] = pids[q];
			if (rnd(4) == 0) { /* its pid comes back at once */
				ev.kind = PROC_START;
				ev.comm = 1 + rnd(3);
				ev.exe = 4 + rnd(5);
				store_sink_ops.proc(st, &ev);
			} else { /* another one takes its place later */
				pids[q] = next_pid++;
				alive[q] = false;
			}
		}
		if (dead[0] && i + 1 < N && rnd(300) == 0) { /* a record of a pid that exited */
			uint32_t d = dead[rnd(8)];

			r = random_rec(d ? d : dead[0], ts);
			store_sink_ops.event(st, &r);
			i++;
		}
		pid = pids[k];
		if (!alive[k]) {
			store_sink_ops.proc(st, &(struct ior_proc_ev){ .kind = PROC_START,
								       .pid = pid,
								       .tid = pid,
								       .ppid = 1,
								       .comm = 1 + rnd(3),
								       .exe = 4 + rnd(5),
								       .ts_ns = ts });
			alive[k] = true;
		}
		r = random_rec(pid, ts - (rnd(5) == 0 ? rnd(100000) : 0)); /* a few out of order */
		store_sink_ops.event(st, &r);
	}
	for (int k = 0; k < PIDS; k += 2) /* half of them end after the last record */
		if (alive[k])
			store_sink_ops.proc(st, &(struct ior_proc_ev){ .kind = PROC_EXIT,
								       .pid = pids[k],
								       .tid = pids[k],
								       .ts_ns = ts + 1 });
	cr_assert_eq(store_close(st, ts + 2, &err), 0, "%s", err.msg);
	intern_free(in);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ior-ckpt-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	record(path, PROCS_MAX);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(ckpt, .init = setup, .fini = teardown, .timeout = 120);

static struct player *start(bool checkpoints)
{
	struct player_opts o = { .speed = 1,
				 .paused = true,
				 .period_ns = 1000000,
				 .stream_records = 64,
				 .files_max = 1000,
				 .no_checkpoints = !checkpoints,
				 .stats_files_max = FILES_MAX,
				 .stats_procs_max = PROCS_MAX };
	struct ior_err err = { 0 };
	struct player *p;

	cr_assert_eq(player_start(&p, path, &o, &err), 0, "%s", err.msg);
	return p;
}

static void send(struct player *p, enum player_cmd_kind kind, int64_t arg)
{
	struct player_cmd c = { .kind = kind, .arg = arg, .speed = 1 };

	player_send(p, &c);
}

/* The next snapshot with cursor_id == id and its statistics complete. */
static const struct snapshot *wait_id(struct player *p, uint64_t id)
{
	struct snapshot_box *b = player_box(p);

	for (int i = 0; i < 3000; i++) {
		struct pollfd pfd = { .fd = snapshot_box_fd(b), .events = POLLIN };
		const struct snapshot *s;
		uint64_t n;

		poll(&pfd, 1, 10);
		if (read(pfd.fd, &n, sizeof(n)) < 0) {
			/* nothing new */
		}
		s = snapshot_box_acquire(b);
		if (s && s->cursor_id == id && s->total.row.calls == id)
			return s;
	}
	cr_assert_fail("no snapshot at record %llu", (unsigned long long)id);
	return NULL;
}

static const char *str(const struct snapshot *s, uint32_t off)
{
	const char *t = snapshot_str(s, off);

	return t ? t : "";
}

#define SAME(a, b, what)                                                                  \
	cr_assert_eq(memcmp(&(a), &(b), sizeof(a)), 0, "%s differs at record %llu", what, \
		     (unsigned long long)at)

static int by_path(const void *x, const void *y, void *ctx)
{
	const struct snapshot *s = ctx;

	return strcmp(str(s, ((const struct snapshot_file *)x)->path),
		      str(s, ((const struct snapshot_file *)y)->path));
}

static int by_error(const void *x, const void *y)
{
	const struct snapshot_error *a = x, *b = y;

	return a->nr != b->nr ? a->nr - b->nr : a->err - b->err;
}

/* Everything a screen can show: totals, families, syscalls with their
 * histograms, files, processes, flame triples, errors and the stream. */
static void same_snapshot(const struct snapshot *a, const struct snapshot *b, uint64_t at)
{
	struct snapshot_file *fa, *fb;
	struct snapshot_error *ea, *eb;

	cr_assert_eq(a->cursor_ns, b->cursor_ns, "cursor time differs at record %llu",
		     (unsigned long long)at);
	SAME(a->total, b->total, "total");
	SAME(a->family, b->family, "families");
	cr_assert_eq(a->gap_calls, b->gap_calls);
	cr_assert_eq(a->nsys, b->nsys, "syscalls seen differ at record %llu",
		     (unsigned long long)at);
	for (size_t i = 0; i < a->nsys; i++) {
		SAME(a->sys[i].nr, b->sys[i].nr, "syscall");
		SAME(a->sys[i].r, b->sys[i].r, "syscall row");
		SAME(a->sys[i].lat, b->sys[i].lat, "latency histogram");
		SAME(a->sys[i].gap, b->sys[i].gap, "gap histogram");
		cr_assert_eq(a->sys[i].gap_total_ns, b->sys[i].gap_total_ns);
	}
	cr_assert_eq(a->nfiles, b->nfiles);
	cr_assert_eq(a->files_total, b->files_total);
	fa = malloc(a->nfiles * sizeof(*fa) + 1);
	fb = malloc(b->nfiles * sizeof(*fb) + 1);
	if (a->nfiles)
		memcpy(fa, a->files, a->nfiles * sizeof(*fa));
	if (b->nfiles)
		memcpy(fb, b->files, b->nfiles * sizeof(*fb));
	qsort_r(fa, a->nfiles, sizeof(*fa), by_path, (void *)a);
	qsort_r(fb, b->nfiles, sizeof(*fb), by_path, (void *)b);
	for (size_t i = 0; i < a->nfiles; i++) {
		cr_assert_str_eq(str(a, fa[i].path), str(b, fb[i].path));
		SAME(fa[i].row, fb[i].row, "file row");
		cr_assert_eq(fa[i].families, fb[i].families);
		cr_assert_eq(fa[i].nprocs, fb[i].nprocs, "%s: pids differ at record %llu",
			     str(a, fa[i].path), (unsigned long long)at);
		cr_assert_eq(fa[i].opens, fb[i].opens);
	}
	free(fa);
	free(fb);
	cr_assert_eq(a->files_folded, b->files_folded, "files folded differ at record %llu",
		     (unsigned long long)at);
	cr_assert_eq(a->procs_folded, b->procs_folded, "processes folded differ at record %llu",
		     (unsigned long long)at);
	cr_assert_eq(a->nprocs, b->nprocs, "processes differ at record %llu",
		     (unsigned long long)at);
	for (size_t i = 0; i < a->nprocs; i++) {
		const struct snapshot_proc *x = &a->procs[i], *y = &b->procs[i];

		cr_assert_eq(x->pid, y->pid);
		cr_assert_eq(x->ppid, y->ppid);
		cr_assert_str_eq(str(a, x->comm), str(b, y->comm), "pid %u's comm at record %llu",
				 x->pid, (unsigned long long)at);
		cr_assert_str_eq(str(a, x->exe), str(b, y->exe));
		cr_assert_eq(x->families, y->families);
		cr_assert_eq(x->exited, y->exited, "pid %u exited at record %llu", x->pid,
			     (unsigned long long)at);
		cr_assert_eq(x->exit_code, y->exit_code);
		cr_assert_eq(x->start_ns, y->start_ns);
		cr_assert_eq(x->exit_ns, y->exit_ns);
		SAME(x->row, y->row, "process row");
	}
	cr_assert_eq(a->nflame, b->nflame);
	for (size_t i = 0; i < a->nflame; i++) {
		const struct snapshot_flame *x = &a->flame[i], *y = &b->flame[i];

		cr_assert_str_eq(str(a, x->comm), str(b, y->comm));
		cr_assert_str_eq(str(a, x->file), str(b, y->file));
		cr_assert(x->nr == y->nr && x->calls == y->calls && x->bytes == y->bytes &&
				  x->total_ns == y->total_ns && x->errors == y->errors,
			  "flame triple %zu differs at record %llu", i, (unsigned long long)at);
	}
	cr_assert_eq(a->nerrors, b->nerrors);
	ea = malloc(a->nerrors * sizeof(*ea) + 1);
	eb = malloc(b->nerrors * sizeof(*eb) + 1);
	if (a->nerrors)
		memcpy(ea, a->errors, a->nerrors * sizeof(*ea));
	if (b->nerrors)
		memcpy(eb, b->errors, b->nerrors * sizeof(*eb));
	qsort(ea, a->nerrors, sizeof(*ea), by_error);
	qsort(eb, b->nerrors, sizeof(*eb), by_error);
	cr_assert_eq(memcmp(ea, eb, a->nerrors * sizeof(*ea)), 0, "errors differ");
	free(ea);
	free(eb);
	cr_assert_eq(a->nrecent, b->nrecent, "stream lengths differ at record %llu",
		     (unsigned long long)at);
	for (size_t i = 0; i < a->nrecent; i++) {
		SAME(a->recent[i].rec.ts_ns, b->recent[i].rec.ts_ns, "stream record");
		SAME(a->recent[i].rec.duration_ns, b->recent[i].rec.duration_ns, "stream record");
		cr_assert_str_eq(str(a, a->recent[i].file), str(b, b->recent[i].file));
	}
}

Test(ckpt, blob_round_trip_and_corrupt_blobs)
{
	struct stats *s = calloc(1, sizeof(*s)), *t = calloc(1, sizeof(*t));
	struct ior_err err = { 0 };
	unsigned char *blob, *bad;
	size_t len, pos = 0;
	const struct stats_file *f;

	stats_init(s);
	stats_init(t);
	for (int i = 0; i < 5000; i++) {
		struct ior_rec r = random_rec(100 + rnd(PIDS), T0 + (uint64_t)i);

		stats_add(s, &r);
	}
	blob = ckpt_save(s, &len);
	cr_assert_eq(ckpt_load(t, blob, len, &err), 0, "%s", err.msg);
	cr_assert_eq(memcmp(&s->total, &t->total, sizeof(s->total)), 0);
	cr_assert_eq(memcmp(s->sys, t->sys, IOR_NR_MAX * sizeof(*s->sys)), 0, "syscalls differ");
	cr_assert_eq(s->files.count, t->files.count);
	while ((f = u32map_next(&s->files, &pos, NULL))) {
		const struct stats_file *g = u32map_get(&t->files, f->path);

		cr_assert_not_null(g);
		cr_assert_eq(memcmp(f, g, sizeof(*f)), 0, "file %u differs", f->path);
	}
	cr_assert_eq(s->file_pids.count, t->file_pids.count);
	cr_assert_eq(s->errors.count, t->errors.count);
	cr_assert_eq(s->flames.n, t->flames.n);
	for (size_t i = 0; i < s->flames.n; i++) {
		cr_assert_eq(memcmp(&s->flames.v[i], &t->flames.v[i], sizeof(s->flames.v[i])), 0);
		cr_assert_eq(s->flames.calls[i], t->flames.calls[i]);
	}
	cr_assert_eq(s->procs.count, t->procs.count);
	pos = 0;
	for (const struct stats_proc *p; (p = u32map_next(&s->procs, &pos, NULL));) {
		const struct stats_proc *q = u32map_get(&t->procs, p->pid);

		cr_assert_not_null(q);
		cr_assert_eq(memcmp(&p->row, &q->row, sizeof(p->row)), 0);
		cr_assert(p->comm == q->comm && p->families == q->families &&
			  p->last_rec == q->last_rec);
	}
	/* Every truncation and a flipped byte anywhere: refused, never a crash,
	 * and the statistics left empty. */
	bad = malloc(len);
	for (size_t cut = 0; cut < len; cut += 1 + cut / 8) {
		stats_fini(t);
		stats_init(t);
		cr_assert_lt(ckpt_load(t, blob, cut, &err), 0, "a blob cut at %zu loaded", cut);
		cr_assert_eq(t->total.calls, 0);
	}
	for (size_t at = 0; at < len; at += 1 + at / 16) {
		memcpy(bad, blob, len);
		bad[at] ^= 0x5a;
		stats_fini(t);
		stats_init(t);
		if (ckpt_load(t, bad, len, &err) == 0) /* deflate's check missed it: harmless */
			continue;
		cr_assert_eq(t->total.calls, 0);
	}
	/* A blob that claims to inflate to 2 GiB is refused before any memory
	 * is asked for. */
	{
		unsigned char liar[32] = "IORK";
		uint32_t format = CKPT_FORMAT;
		uint64_t raw = 1ull << 31;

		memcpy(liar + 4, &format, 4);
		memcpy(liar + 8, &raw, 8);
		cr_assert_lt(ckpt_load(t, liar, sizeof(liar), &err), 0);
		cr_assert(strstr(err.msg, "size"), "%s", err.msg);
	}
	free(bad);
	free(blob);
	stats_fini(s);
	stats_fini(t);
	free(s);
	free(t);
}

/* Processes folded (exited ones, a small bound) come back from a blob:
 * the other row, each process's row and since, and the fold's counts; so
 * does a process without calls. */
Test(ckpt, folded_processes_round_trip)
{
	struct stats *s = calloc(1, sizeof(*s)), *t = calloc(1, sizeof(*t));
	struct ior_err err = { 0 };
	const struct stats_proc *p, *q;
	unsigned char *blob;
	size_t len, pos = 0;

	stats_init(s);
	stats_init(t);
	s->procs_max = t->procs_max = 8;
	for (uint32_t i = 0; i < 3000; i++) {
		uint32_t pid = 100 + i / 20 + rnd(3);
		struct ior_rec r = random_rec(pid, T0 + i);

		stats_add(s, &r);
		if (i % 20 == 19) /* the oldest of those running exits */
			stats_proc_event(s, &(struct ior_proc_ev){ .kind = PROC_EXIT,
								   .pid = 100 + i / 20,
								   .tid = 100 + i / 20 });
	}
	stats_proc_event(s, &(struct ior_proc_ev){ .kind = PROC_START, .pid = 7, .tid = 7 });
	cr_assert_gt(s->procs_folded, 100);
	cr_assert_not_null(u32map_get(&s->procs, STATS_PROC_OTHER));
	blob = ckpt_save(s, &len);
	cr_assert_eq(ckpt_format(blob, len), CKPT_FORMAT);
	cr_assert_eq(ckpt_load(t, blob, len, &err), 0, "%s", err.msg);
	cr_assert_eq(t->procs_folded, s->procs_folded);
	cr_assert_eq(t->procs_retry, s->procs_retry);
	cr_assert_eq(s->procs.count, t->procs.count);
	while ((p = u32map_next(&s->procs, &pos, NULL))) {
		q = u32map_get(&t->procs, p->pid);
		cr_assert_not_null(q, "pid %u", p->pid);
		cr_assert_eq(memcmp(&p->row, &q->row, sizeof(p->row)), 0);
		cr_assert(p->comm == q->comm && p->families == q->families &&
			  p->last_rec == q->last_rec && p->since == q->since);
	}
	cr_assert_not_null(u32map_get(&t->procs, 7), "a process without calls");
	cr_assert(((const struct stats_proc *)u32map_get(&t->procs, STATS_PROC_OTHER))->exited);
	free(blob);
	stats_fini(s);
	stats_fini(t);
	free(s);
	free(t);
}

static struct ior_rec fixed_rec(const char *name, uint32_t pid, ior_str comm, ior_str file,
				int64_t ret, uint64_t dur)
{
	struct ior_rec r = { .nr = (int16_t)nr_of(name),
			     .pid = pid,
			     .tid = pid,
			     .comm = comm,
			     .file = file,
			     .ret = ret,
			     .duration_ns = dur,
			     .fd = REC_FD_NONE,
			     .epoll_target_fd = REC_FD_NONE };

	if (ret < 0)
		r.rec_flags = REC_FAILED;
	else
		r.bytes = (uint64_t)ret;
	return r;
}

/* Three records and a start without calls, as the statistics of
 * format_1_blob hold them. */
static void format_1_stats(struct stats *s)
{
	struct ior_rec r[3] = { fixed_rec("read", 42, 3, 7, 100, 1000),
				fixed_rec("openat", 43, 4, 8, -2, 500),
				fixed_rec("write", 42, 3, 7, 10, 2000) };

	r[2].gap_ns = 300;
	for (int i = 0; i < 3; i++)
		stats_add(s, &r[i]);
	stats_proc_event(
		s, &(struct ior_proc_ev){ .kind = PROC_START, .pid = 44, .tid = 44, .comm = 5 });
}

/* format_1_stats saved by ior before the fold of processes (format 1). */
static const unsigned char format_1_blob[] = {
	0x49, 0x4f, 0x52, 0x4b, 0x01, 0x00, 0x00, 0x00, 0xb3, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x78, 0x01, 0x55, 0x8d, 0xb1, 0x0d, 0xc2, 0x40, 0x10, 0x04, 0x77, 0xef, 0x2c, 0x3d,
	0xfa, 0x80, 0x0b, 0x09, 0x48, 0x88, 0xa1, 0x1b, 0x37, 0x40, 0xf2, 0xb9, 0xe9, 0x80, 0x87,
	0x0a, 0xa8, 0x03, 0x5c, 0x00, 0x65, 0x7c, 0x19, 0x2e, 0xc0, 0x05, 0xb0, 0x16, 0x89, 0x9d,
	0xac, 0x56, 0xa3, 0xbb, 0x59, 0x27, 0x50, 0x32, 0xc6, 0x63, 0x0b, 0x87, 0x3a, 0x0a, 0x30,
	0xa5, 0x29, 0x01, 0x1c, 0x08, 0x2e, 0x04, 0x19, 0x2d, 0x5a, 0x70, 0x34, 0xde, 0xc9, 0x9e,
	0x0f, 0xfb, 0x63, 0xcc, 0x3e, 0xbb, 0xee, 0xae, 0x84, 0xed, 0x84, 0x56, 0x34, 0xa9, 0xdb,
	0x22, 0xcb, 0xf8, 0x1e, 0x5a, 0xd8, 0xbb, 0xd6, 0x7a, 0xfb, 0x28, 0x2a, 0xf9, 0x54, 0xbe,
	0x4e, 0x74, 0xdf, 0x83, 0x45, 0x43, 0x9d, 0x49, 0x28, 0x17, 0x9d, 0x64, 0x6e, 0x01, 0x3b,
	0xab, 0xaf, 0xbe, 0x2f, 0x1d, 0x37, 0x8b, 0x3f, 0xab, 0xa3, 0x1f, 0x5d,
};

/* A blob of format 1 (an older ior's) still loads: its processes with
 * calls, none folded; and so does one written in format 1 now (the replay
 * tests below play such sessions). A newer format is refused. */
Test(ckpt, format_1_blobs_still_load)
{
	struct stats *s = calloc(1, sizeof(*s)), *t = calloc(1, sizeof(*t));
	struct ior_err err = { 0 };
	const struct stats_proc *p, *q;
	unsigned char *blob, newer[sizeof(format_1_blob)];
	size_t len, pos = 0;

	stats_init(s);
	stats_init(t);
	format_1_stats(s);
	cr_assert_eq(ckpt_format(format_1_blob, sizeof(format_1_blob)), 1);
	cr_assert_eq(ckpt_load(t, format_1_blob, sizeof(format_1_blob), &err), 0, "%s", err.msg);
	cr_assert_eq(memcmp(&s->total, &t->total, sizeof(s->total)), 0);
	cr_assert_eq(memcmp(s->sys, t->sys, IOR_NR_MAX * sizeof(*s->sys)), 0);
	cr_assert_eq(t->files.count, 2);
	cr_assert_eq(t->procs.count, 2, "44 made no call: not in format 1");
	while ((p = u32map_next(&s->procs, &pos, NULL))) {
		if (!p->row.calls)
			continue;
		q = u32map_get(&t->procs, p->pid);
		cr_assert_not_null(q, "pid %u", p->pid);
		cr_assert_eq(memcmp(&p->row, &q->row, sizeof(p->row)), 0);
		cr_assert(p->comm == q->comm && p->families == q->families &&
			  p->last_rec == q->last_rec && q->since == 0);
	}
	cr_assert_eq(t->procs_folded, 0);
	/* Written in format 1 now: the same tables. */
	stats_fini(t);
	stats_init(t);
	blob = ckpt_save_format(s, 1, &len);
	cr_assert_eq(ckpt_format(blob, len), 1);
	cr_assert_eq(ckpt_load(t, blob, len, &err), 0, "%s", err.msg);
	cr_assert_eq(memcmp(&s->total, &t->total, sizeof(s->total)), 0);
	cr_assert_eq(t->procs.count, 2);
	cr_assert_eq(((const struct stats_proc *)u32map_get(&t->procs, 42))->row.calls, 2);
	free(blob);
	memcpy(newer, format_1_blob, sizeof(newer));
	newer[4] = CKPT_FORMAT + 1;
	stats_fini(t);
	stats_init(t);
	cr_assert_lt(ckpt_load(t, newer, sizeof(newer), &err), 0);
	cr_assert(strstr(err.msg, "format"), "%s", err.msg);
	stats_fini(s);
	stats_fini(t);
	free(s);
	free(t);
}

Test(ckpt, the_store_writes_them_as_it_goes)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	sqlite3_int64 last = 0, n = 0, spacing = 0;

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db,
					"SELECT id, ts, ts_max, length(stats) FROM checkpoints "
					"ORDER BY id",
					-1, &st, NULL),
		     SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);

		/* EVERY apart at least (more for a big blob), but the last */
		cr_assert(id - last >= EVERY || id == N, "checkpoint %lld after %lld", id, last);
		cr_assert_geq(sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 1));
		last = id;
		spacing = sqlite3_column_int64(st, 3) / 4 > EVERY ? sqlite3_column_int64(st, 3) / 4
								  : EVERY;
		n++;
	}
	cr_assert_geq(n, 3, "%lld checkpoints", n);
	/* One at the end, unless the last was within a quarter of its spacing. */
	cr_assert(last == N || (N - last) * 4 <= spacing, "the last at %lld of %d (spacing %lld)",
		  last, N, spacing);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Random cut points, reached both ways (back and forth): through the
 * checkpoints, the snapshot is the one a feed from the first record gives. */
/* The checkpoints' ids, up to max of them. */
static size_t checkpoint_ids(uint64_t *ids, size_t max)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t n = 0;

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(
		sqlite3_prepare_v2(db, "SELECT id FROM checkpoints ORDER BY id", -1, &st, NULL),
		SQLITE_OK);
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Random cut points, reached both ways (back and forth), and each
 * checkpoint's record and its neighbours reached from the end: through the
 * checkpoints, the snapshot is the one a feed from the first record gives. */
Test(ckpt, checkpoint_and_delta_equal_a_full_scan)
{
	struct player *a = start(true), *b = start(false);
	uint64_t cuts[200] = { 0, 1, N - 1, N, 3 * EVERY }, ids[40];
	size_t n = 5, nids = checkpoint_ids(ids, 40);

	for (size_t i = 0; i < nids; i++) {
		cuts[n++] = N;
		cuts[n++] = ids[i];
		cuts[n++] = ids[i] < N ? ids[i] + 1 : N;
		cuts[n++] = N;
		cuts[n++] = ids[i] - 1;
	}
	while (n < 200 - 30)
		cuts[n++] = rnd(N + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t at = cuts[i];
		const struct snapshot *sa;

		send(a, PLAYER_SEEK_ID, (int64_t)at);
		send(b, PLAYER_SEEK_ID, (int64_t)at);
		sa = wait_id(a, at);
		same_snapshot(sa, wait_id(b, at), at);
		if (at == N) { /* the bounds were passed, again and again */
			cr_assert_gt(sa->files_folded, FILES_MAX);
			cr_assert_gt(sa->procs_folded, 10 * PROCS_MAX, "%llu processes folded",
				     (unsigned long long)sa->procs_folded);
		}
	}
	player_stop(a);
	player_stop(b);
}

static uint64_t cursor_time(struct player *p)
{
	const struct snapshot *s = snapshot_box_acquire(player_box(p));

	return s ? s->cursor_ns : 0;
}

/* Seeking by time stops where a feed from the first record stops: before
 * the first record later than the target (records are not in time order). */
Test(ckpt, time_seeks_equal_a_full_scan)
{
	struct player *a = start(true), *b = start(false);
	const struct snapshot *sa = wait_id(a, 0);
	uint64_t span = 0;

	send(a, PLAYER_SEEK_ID, N);
	span = wait_id(a, N)->cursor_ns - T0;
	(void)sa;
	for (int i = 0; i < 25; i++) {
		uint64_t t = T0 + rnd((unsigned)(span / 1000)) * 1000ull, at;
		const struct snapshot *x;

		send(b, PLAYER_SEEK_TIME, (int64_t)t);
		send(b, PLAYER_STEP, 0); /* a no-op after it: its snapshot is the seek's */
		for (int k = 0; k < 200 && cursor_time(b) != t; k++)
			usleep(10000);
		x = snapshot_box_acquire(player_box(b));
		cr_assert(x && x->cursor_ns == t, "the time seek did not end");
		at = x->cursor_id;
		send(a, PLAYER_SEEK_TIME, (int64_t)t);
		same_snapshot(wait_id(a, at), wait_id(b, at), at);
	}
	player_stop(a);
	player_stop(b);
}

/* A checkpoint that does not load (corrupt blob) is passed over: the seek
 * still lands on the right statistics. */
Test(ckpt, a_corrupt_checkpoint_is_passed_over)
{
	sqlite3 *db;
	struct player *a, *b;
	uint64_t ids[40], late, early;
	size_t nids = checkpoint_ids(ids, 40);
	char sql[200];

	cr_assert_geq(nids, 3);
	late = ids[nids - 2]; /* the two before the one at the end */
	early = ids[nids - 3];
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql),
		 "UPDATE checkpoints SET stats = zeroblob(40) WHERE id = %llu;"
		 "UPDATE checkpoints SET stats = substr(stats, 1, 30) WHERE id = %llu",
		 (unsigned long long)late, (unsigned long long)early);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_changes(db), 1);
	sqlite3_close(db);
	a = start(true);
	b = start(false);
	/* A few records in, forward past both, then back between them. */
	send(a, PLAYER_SEEK_ID, 100);
	send(b, PLAYER_SEEK_ID, 100);
	same_snapshot(wait_id(a, 100), wait_id(b, 100), 100);
	send(a, PLAYER_SEEK_ID, (int64_t)late + 200);
	send(b, PLAYER_SEEK_ID, (int64_t)late + 200);
	same_snapshot(wait_id(a, late + 200), wait_id(b, late + 200), late + 200);
	send(a, PLAYER_SEEK_ID, (int64_t)late - 1);
	send(b, PLAYER_SEEK_ID, (int64_t)late - 1);
	same_snapshot(wait_id(a, late - 1), wait_id(b, late - 1), late - 1);
	player_stop(a);
	player_stop(b);
}

/* A recorder killed mid-session (SIGKILL: no store_close) leaves the
 * checkpoints of what it committed: seeks still go through them and land
 * where a feed from the first record does. */
Test(ckpt, a_session_cut_short_is_still_seekable)
{
	struct ior_err err = { 0 };
	struct player *a, *b;
	const struct snapshot *s;
	int status;
	pid_t child = fork();

	cr_assert_geq(child, 0);
	if (child == 0) {
		struct store *st;
		struct store_meta meta = { .cmdline = "ior record",
					   .target = "test",
					   .start_ns = T0,
					   .ckpt_every = 1000 };
		char cut[160];

		snprintf(cut, sizeof(cut), "%s/cut.db", dir);
		if (store_open(&st, cut, false, &meta, &err))
			_exit(2);
		for (int i = 0; i < 300000; i++) {
			struct ior_rec r =
				random_rec(100 + (uint32_t)(i % PIDS), T0 + (uint64_t)i * 1000);

			r.comm = r.file = 0; /* no strings in this session */
			store_sink_ops.event(st, &r);
		}
		sleep(2); /* the writer commits every 200 ms */
		raise(SIGKILL);
		_exit(3);
	}
	cr_assert_eq(waitpid(child, &status, 0), child);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %d", status);
	snprintf(path, sizeof(path), "%s/cut.db", dir);
	a = start(true);
	b = start(false);
	s = wait_id(a, 0);
	cr_assert_gt(s->span_events, 0, "nothing committed");
	for (uint64_t at = s->span_events; at > 1000; at /= 3) {
		send(a, PLAYER_SEEK_ID, (int64_t)at);
		send(b, PLAYER_SEEK_ID, (int64_t)at);
		same_snapshot(wait_id(a, at), wait_id(b, at), at);
	}
	player_stop(a);
	player_stop(b);
	snprintf(path, sizeof(path), "%s/s.db", dir);
}

/* A version-1 session (no checkpoints, processes placed by time) plays,
 * steps and seeks both ways, and its end holds every record. */
Test(ckpt, a_version_1_session_plays_and_seeks)
{
	const char *src = getenv("IOR_SRCDIR");
	struct player *a, *b;
	const struct snapshot *s;
	char v1[4096];

	snprintf(v1, sizeof(v1), "%s/tests/data/session-v1.db", src ? src : ".");
	snprintf(path, sizeof(path), "%s", v1);
	a = start(true);
	b = start(false);
	s = wait_id(a, 0);
	cr_assert_eq(s->span_events, 390);
	send(a, PLAYER_SEEK_ID, 390);
	s = wait_id(a, 390);
	cr_assert(s->at_end);
	cr_assert_eq(s->nprocs, 3);
	for (uint64_t at = 389; at > 1; at = at * 2 / 3) {
		send(a, PLAYER_SEEK_ID, (int64_t)at);
		send(b, PLAYER_STEP, 0);
		send(b, PLAYER_SEEK_ID, (int64_t)at);
		same_snapshot(wait_id(a, at), wait_id(b, at), at);
	}
	player_stop(a);
	player_stop(b);
	snprintf(path, sizeof(path), "%s/s.db", dir);
}

/* A session whose checkpoints an older ior wrote (format 1: it folded no
 * process) plays with no process folded, whatever the replay's bound: a
 * feed from the first record would fold where the blobs did not. */
Test(ckpt, format_1_checkpoints_fold_no_process)
{
	struct player *a, *b;
	sqlite3 *db;
	sqlite3_stmt *get, *put;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/old.db", dir);
	record(path, SIZE_MAX);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT id, stats FROM checkpoints", -1, &get, NULL),
		     SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "UPDATE checkpoints SET stats = ? WHERE id = ?", -1,
					&put, NULL),
		     SQLITE_OK);
	while (sqlite3_step(get) == SQLITE_ROW) { /* each blob again, as format 1 */
		struct stats *s = calloc(1, sizeof(*s));
		struct ior_err err = { 0 };
		void *blob;
		size_t len;

		stats_init(s);
		cr_assert_eq(ckpt_load(s, sqlite3_column_blob(get, 1),
				       (size_t)sqlite3_column_bytes(get, 1), &err),
			     0, "%s", err.msg);
		blob = ckpt_save_format(s, 1, &len);
		sqlite3_bind_blob(put, 1, blob, (int)len, free);
		sqlite3_bind_int64(put, 2, sqlite3_column_int64(get, 0));
		cr_assert_eq(sqlite3_step(put), SQLITE_DONE);
		sqlite3_reset(put);
		stats_fini(s);
		free(s);
		n++;
	}
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	sqlite3_close(db);
	cr_assert_geq(n, 3);
	a = start(true); /* PROCS_MAX asked for */
	b = start(false);
	for (uint64_t at = N; at > 100; at = at * 2 / 3) {
		const struct snapshot *sa, *sb;

		send(a, PLAYER_SEEK_ID, (int64_t)at);
		send(b, PLAYER_SEEK_ID, (int64_t)at);
		sa = wait_id(a, at);
		sb = wait_id(b, at);
		same_snapshot(sa, sb, at);
		cr_assert_eq(sb->procs_folded, 0, "the recorder folded none");
		if (at == N)
			cr_assert_gt(sb->nprocs, 10 * PROCS_MAX);
	}
	player_stop(a);
	player_stop(b);
	snprintf(path, sizeof(path), "%s/s.db", dir);
}

/* A session still being written (by another ior) is followed: records,
 * strings, processes and checkpoints added after the replay opened it
 * reach its screens. */
Test(ckpt, a_growing_session_is_followed)
{
	struct store *st;
	struct ior_err err = { 0 };
	struct store_meta meta = {
		.cmdline = "ior record", .target = "test", .start_ns = T0, .ckpt_every = 500
	};
	struct intern *in = intern_new();
	const char *strs[] = { "grower", "/first", "/second" };
	ior_str ids[3];
	struct player *a;
	const struct snapshot *s = NULL;
	bool second = false, proc = false;

	snprintf(path, sizeof(path), "%s/grow.db", dir);
	cr_assert_eq(store_open(&st, path, false, &meta, &err), 0, "%s", err.msg);
	for (int i = 0; i < 3; i++)
		ids[i] = intern_get(in, strs[i], strlen(strs[i]), NULL);
	for (int i = 0; i < 2; i++)
		store_sink_ops.string(st, ids[i], strs[i], strlen(strs[i]));
	store_sink_ops.proc(
		st,
		&(struct ior_proc_ev){
			.kind = PROC_START, .pid = 500, .tid = 500, .comm = ids[0], .ts_ns = T0 });
	for (int i = 0; i < 1000; i++) {
		struct ior_rec r = random_rec(500, T0 + (uint64_t)i * 1000);

		r.comm = ids[0];
		r.file = ids[1];
		store_sink_ops.event(st, &r);
	}
	usleep(600000); /* committed: the writer commits every 200 ms */
	a = start(true);
	cr_assert_eq(wait_id(a, 0)->span_events, 1000);
	store_sink_ops.string(st, ids[2], strs[2], strlen(strs[2]));
	store_sink_ops.proc(st, &(struct ior_proc_ev){ .kind = PROC_START,
						       .pid = 501,
						       .tid = 501,
						       .ppid = 500,
						       .comm = ids[0],
						       .ts_ns = T0 + 2000000 });
	for (int i = 0; i < 2500; i++) {
		struct ior_rec r = random_rec(501, T0 + 2000000 + (uint64_t)i * 1000);

		r.comm = ids[0];
		r.file = ids[2];
		store_sink_ops.event(st, &r);
	}
	for (int tries = 0; tries < 100 && !(s && s->cursor_id == 3500); tries++) {
		send(a, PLAYER_SEEK_ID, 3500);
		usleep(100000);
		s = snapshot_box_acquire(player_box(a));
	}
	cr_assert(s && s->cursor_id == 3500, "the replay never saw the records added");
	cr_assert_eq(s->total.row.calls, 3500);
	for (size_t i = 0; i < s->nfiles; i++)
		second |= !strcmp(str(s, s->files[i].path), "/second");
	for (size_t i = 0; i < s->nprocs; i++)
		proc |= s->procs[i].pid == 501 && s->procs[i].ppid == 500 &&
			!strcmp(str(s, s->procs[i].comm), "grower");
	cr_assert(second, "the string added later is not known");
	cr_assert(proc, "the process started later is not known");
	player_stop(a);
	cr_assert_eq(store_close(st, T0 + 5000000, &err), 0, "%s", err.msg);
	intern_free(in);
	snprintf(path, sizeof(path), "%s/s.db", dir);
}
