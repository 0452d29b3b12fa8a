/* make bench: the consumer's ceiling without BPF (issue 10). Synthetic ring
 * records go through what `ior record` runs on them — decode, tracker, the
 * pipeline (status line and store) and the store's writer into a real
 * SQLite file — as fast as they can. Two mixes: sysloop (1-byte preads on
 * one descriptor) and paths (a file mix over many distinct files: open,
 * write, close, rename, stat, open, read, close, unlink).
 * Per mix: the reader side's events/s per core (its thread's CPU time), the
 * writer side's (the rest of the process's CPU time), the pipeline's events/s
 * on two cores (wall), and together pinned on one core (wall). Then the
 * reader side of the live UI, without the store: the tracker and the UI's
 * sinks (statistics, stream, snapshots at 10 per second) per core.
 * usage: consumer_bench [EVENTS [FILES [DIR]]] */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpf/ior_event.h"
#include "core/snapshot.h"
#include "core/status.h"
#include "core/store.h"
#include "core/tracker.h"

#define NR_READ	      0
#define NR_WRITE      1
#define NR_CLOSE      3
#define NR_PREAD64    17
#define NR_RENAME     82
#define NR_UNLINK     87
#define NR_OPENAT     257
#define NR_NEWFSTATAT 262
#define AT_FDCWD_     (-100)
#define PID	      4190001 /* no such process: the tracker reads /proc once, finds nothing */
#define FLUSH_EVERY   4096    /* the reader flushes the pipeline between ring batches */
#define UI_RECENT     8192    /* as tui/cmd_live.c: STREAM_RECORDS */
#define UI_FILES      5000    /* SNAP_FILES */
#define UI_PERIOD_NS  100000000ull

struct rec {
	union {
		struct ior_event ev;
		unsigned char buf[8192];
	} u;
	size_t off;
};

static uint64_t ts_now;

static void rec_begin(struct rec *r, int nr, int64_t ret, const uint64_t args[6])
{
	struct ior_event *e = &r->u.ev;

	memset(e, 0, sizeof(*e) + 6 * sizeof(uint64_t));
	e->type = IOR_EV_SYSCALL;
	e->tgid = PID;
	e->tid = PID;
	e->nr = (uint16_t)nr;
	e->nargs = 6;
	e->ts_ns = ts_now += 500;
	e->duration_ns = 300;
	e->gap_ns = 200;
	e->ret = ret;
	memcpy(e->args, args, 6 * sizeof(uint64_t));
	r->off = sizeof(*e) + 6 * sizeof(uint64_t);
}

static void rec_item(struct rec *r, int tag, const void *data, size_t len)
{
	struct ior_item it = { .len = (uint16_t)len, .tag = (uint8_t)tag };

	memcpy(r->u.buf + r->off, &it, sizeof(it));
	memcpy(r->u.buf + r->off + sizeof(it), data, len);
	memset(r->u.buf + r->off + sizeof(it) + len, 0, ((len + 7) & ~7u) - len);
	r->off += sizeof(it) + ((len + 7) & ~7u);
	r->u.ev.nitems++;
}

/* The kernel's FDPATH item: components leaf first, each NUL-terminated. */
static void rec_fdpath(struct rec *r, const char *path, int fd)
{
	struct ior_fdinfo fi = { .ino = 1000 + (uint64_t)fd, .mode = S_IFREG | 0600, .fd = fd };
	char buf[IOR_PATH_MAX];
	size_t pos = 0, end = strlen(path);

	rec_item(r, IOR_ITEM_FDINFO, &fi, sizeof(fi));
	while (end > 0) {
		size_t start = end;

		while (start > 0 && path[start - 1] != '/')
			start--;
		memcpy(buf + pos, path + start, end - start);
		pos += end - start;
		buf[pos++] = '\0';
		end = start ? start - 1 : 0;
	}
	rec_item(r, IOR_ITEM_FDPATH, buf, pos);
}

static void rec_end(struct tracker *t, struct rec *r)
{
	r->u.ev.size = (uint16_t)r->off;
	tracker_handle(t, r->u.buf, r->off);
}

static void call(struct tracker *t, int nr, int64_t ret, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };
	struct rec r;

	rec_begin(&r, nr, ret, args);
	rec_end(t, &r);
}

static void open_call(struct tracker *t, const char *path, int flags, int fd)
{
	uint64_t args[6] = { (uint64_t)AT_FDCWD_, 0x7f0000001000, (uint64_t)flags, 0600, 0, 0 };
	struct rec r;

	rec_begin(&r, NR_OPENAT, fd, args);
	rec_item(&r, IOR_ITEM_ARG0 + 1, path, strlen(path));
	rec_fdpath(&r, path, fd);
	rec_end(t, &r);
}

static void path_call(struct tracker *t, int nr, const char *a, const char *b)
{
	uint64_t args[6] = { 0x7f0000001000, 0x7f0000002000, 0, 0, 0, 0 };
	struct rec r;

	if (nr == NR_NEWFSTATAT) {
		args[0] = (uint64_t)AT_FDCWD_;
		args[1] = 0x7f0000001000;
		args[2] = 0x7f0000003000;
	}
	rec_begin(&r, nr, 0, args);
	rec_item(&r, IOR_ITEM_ARG0 + (nr == NR_NEWFSTATAT), a, strlen(a));
	if (b)
		rec_item(&r, IOR_ITEM_ARG0 + 1, b, strlen(b));
	rec_end(t, &r);
}

/* Feed about n events of the mix; returns the number fed. */
static long feed(struct tracker *t, struct pipeline *p, const char *mix, long n, long files)
{
	long done = 0;

	open_call(t, "/usr/local/bin/sysloop", O_RDONLY | O_CLOEXEC, 3);
	done++;
	if (!strcmp(mix, "sysloop")) {
		struct rec r;
		uint64_t args[6] = { 3, 0x7ffc00000000, 1, 0, 0, 0 };

		rec_begin(&r, NR_PREAD64, 1, args);
		r.u.ev.size = (uint16_t)r.off;
		for (; done < n; done++) {
			r.u.ev.ts_ns = ts_now += 500;
			tracker_handle(t, r.u.buf, r.off);
			if (done % FLUSH_EVERY == 0)
				pipeline_flush(p);
		}
		return done;
	}
	for (long i = 0; done < n; i++) {
		char a[128], b[128];
		long f = i % files;

		snprintf(a, sizeof(a), "/tmp/ior-bench/d%ld/f%ld.tmp", f % 97, f);
		snprintf(b, sizeof(b), "/tmp/ior-bench/d%ld/f%ld.dat", f % 97, f);
		open_call(t, a, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 4);
		call(t, NR_WRITE, 1 + f % 4096, 4, 0x7f0000004000, 1 + (uint64_t)f % 4096);
		call(t, NR_CLOSE, 0, 4, 0, 0);
		path_call(t, NR_RENAME, a, b);
		path_call(t, NR_NEWFSTATAT, b, NULL);
		open_call(t, b, O_RDONLY | O_CLOEXEC, 4);
		call(t, NR_READ, 1 + f % 4096, 4, 0x7f0000004000, 4096);
		call(t, NR_CLOSE, 0, 4, 0, 0);
		path_call(t, NR_UNLINK, b, NULL);
		done += 9;
		if (i % (FLUSH_EVERY / 9) == 0)
			pipeline_flush(p);
	}
	return done;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double process_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

struct result {
	double wall, reader_cpu, writer_cpu;
	long events;
	long long size;
};

/* One pass: a fresh session file, the whole pipeline, closed at the end. */
static int pass(const char *mix, long n, long files, const char *dir, bool store_on,
		struct result *res)
{
	char path[4200];
	struct store *st = NULL;
	struct store_meta meta = { .cmdline = "consumer_bench", .target = mix, .start_ns = 0 };
	struct ior_err err = { 0 };
	struct pipeline p = { 0 };
	struct tracker_opts to = { 0 };
	struct status status;
	struct tracker *t;
	struct stat sb;
	double w0, c0, p0;

	snprintf(path, sizeof(path), "%s/consumer-%s.db", dir, mix);
	status_init(&status, NULL);
	if (store_on && store_open(&st, path, true, &meta, &err)) {
		fprintf(stderr, "consumer_bench: %s\n", err.msg);
		return 1;
	}
	/* From here: the schema is written, the writer waits for records. */
	w0 = clock_s(CLOCK_MONOTONIC);
	c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	p0 = process_cpu_s();
	t = tracker_new(&p, &to);
	if (st)
		pipeline_add(&p, &store_sink_ops, st);
	pipeline_add(&p, &status_sink_ops, &status);
	tracker_launch(t, PID);
	res->events = feed(t, &p, mix, n, files);
	pipeline_flush(&p);
	res->reader_cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	if (st && store_close(st, 1, &err)) {
		fprintf(stderr, "consumer_bench: %s\n", err.msg);
		return 1;
	}
	res->wall = clock_s(CLOCK_MONOTONIC) - w0;
	res->writer_cpu = process_cpu_s() - p0 - res->reader_cpu;
	tracker_free(t);
	res->size = store_on && stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
	unlink(path);
	return 0;
}

/* The live UI's reader side: tracker, statistics, stream and snapshots
 * (no store); events/s of the thread's CPU time. */
static int pass_ui(const char *mix, long n, long files, double *ev_s)
{
	struct stats *stats = calloc(1, sizeof(*stats));
	struct ior_err err = { 0 };
	struct pipeline p = { 0 };
	struct tracker_opts to = { 0 };
	struct snapshot_box box;
	struct stream stream;
	struct tracker *t;
	double c0;
	long events;

	if (!stats)
		return 1;
	stats_init(stats);
	stream_init(&stream, UI_RECENT);
	if (snapshot_box_init(&box, stats, &stream, UI_PERIOD_NS, UI_FILES, UI_RECENT, &err)) {
		fprintf(stderr, "consumer_bench: %s\n", err.msg);
		return 1;
	}
	c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	t = tracker_new(&p, &to);
	pipeline_add(&p, &stats_sink_ops, stats);
	pipeline_add(&p, &stream_sink_ops, &stream);
	pipeline_add(&p, &snapshot_sink_ops, &box);
	tracker_launch(t, PID);
	events = feed(t, &p, mix, n, files);
	pipeline_flush(&p);
	*ev_s = (double)events / (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0);
	tracker_free(t);
	snapshot_box_fini(&box);
	stream_fini(&stream);
	stats_fini(stats);
	free(stats);
	return 0;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu < 0) {
		for (int i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	} else {
		CPU_SET(cpu, &set);
	}
	sched_setaffinity(0, sizeof(set), &set); /* threads started later inherit it */
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	long files = argc > 2 ? atol(argv[2]) : 100000;
	const char *dir = argc > 3 ? argv[3] : "/tmp";
	const char *mixes[] = { "sysloop", "paths" };

	printf("consumer: %ld synthetic events per pass; paths mix over %ld files; session in %s\n",
	       n, files, dir);
	printf("%-8s %14s %14s %14s %14s %9s\n", "mix", "reader ev/s", "writer ev/s",
	       "2 cores ev/s", "1 core ev/s", "bytes/ev");
	for (size_t m = 0; m < 2; m++) {
		struct result r2, r1, r0;
		double ui;

		pin(-1);
		if (pass(mixes[m], n, files, dir, false, &r0) ||
		    pass(mixes[m], n, files, dir, true, &r2))
			return 1;
		pin(0);
		if (pass(mixes[m], n, files, dir, true, &r1))
			return 1;
		pin(-1);
		printf("%-8s %14.0f %14.0f %14.0f %14.0f %9.1f\n", mixes[m],
		       (double)r2.events / r2.reader_cpu, (double)r2.events / r2.writer_cpu,
		       (double)r2.events / r2.wall, (double)r1.events / r1.wall,
		       (double)r2.size / (double)r2.events);
		printf("%-8s tracker alone (no store): %.0f ev/s per core\n", "",
		       (double)r0.events / r0.reader_cpu);
		if (pass_ui(mixes[m], n, files, &ui))
			return 1;
		printf("%-8s tracker + live UI sinks (stats, stream, snapshots; no store): "
		       "%.0f ev/s per core\n",
		       "", ui);
	}
	return 0;
}
