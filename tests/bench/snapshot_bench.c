/* make bench: what handing a snapshot to the UI costs the source thread.
 * Fills the statistics and the stream as a busy session would (FILES files,
 * PROCS processes, every syscall of the table seen), then times
 * snapshot_box_publish and prints the cost per snapshot and the share of
 * one core it takes at the UI's 10 per second; also what the statistics,
 * stream and snapshot sinks cost per record while filling.
 * usage: snapshot_bench [FILES [RECENT]] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/snapshot.h"

#define PROCS	    200
#define EVENTS	    2000000
#define PUBLISHES   50
#define RECENT	    1000 /* default */
#define FILES_SHOWN 1000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long files = argc > 1 ? atol(argv[1]) : 100000;
	long recent = argc > 2 ? atol(argv[2]) : RECENT;
	struct stats *stats = calloc(1, sizeof(*stats));
	static char names[1 << 24];
	struct snapshot_box box;
	struct stream stream;
	struct pipeline pipe = { 0 };
	struct ior_err err = { 0 };
	size_t used = 0;
	double t0, t1, feed;

	if (!stats || files < 1 || files > 1000000 || recent < 0 || recent > 65536) {
		fputs("usage: snapshot_bench [FILES (1..1000000) [RECENT (0..65536)]]\n", stderr);
		return 2;
	}
	stats_init(stats);
	stream_init(&stream, recent > 4096 ? (size_t)recent : 4096);
	if (snapshot_box_init(&box, stats, &stream, UINT64_MAX, FILES_SHOWN, (size_t)recent,
			      &err)) {
		fprintf(stderr, "snapshot_bench: %s\n", err.msg);
		return 1;
	}
	pipeline_add(&pipe, &stats_sink_ops, stats);
	pipeline_add(&pipe, &stream_sink_ops, &stream);
	pipeline_add(&pipe, &snapshot_sink_ops, &box);
	/* string ids: 1..files for paths, then one comm */
	for (long i = 1; i <= files + 1; i++) {
		int n = snprintf(names + used, sizeof(names) - used,
				 "/usr/include/dir%ld/file%ld.h", i % 97, i);

		pipeline_string(&pipe, (ior_str)i, names + used, (size_t)n);
		used += (size_t)n + 1;
	}
	t0 = now_s();
	for (long i = 0; i < EVENTS; i++) {
		struct ior_rec r = {
			.nr = (int16_t)(i % 450),
			.pid = (uint32_t)(1000 + i % PROCS),
			.tid = (uint32_t)(1000 + i % PROCS),
			.comm = (ior_str)(files + 1),
			.file = (ior_str)(1 + i % files),
			.ret = i % 7 ? 100 : -2,
			.bytes = i % 7 ? 100 : 0,
			.rec_flags = i % 7 ? 0 : REC_FAILED,
			.duration_ns = (uint64_t)(500 + i % 10000),
			.fd = 3,
		};

		pipeline_event(&pipe, &r);
	}
	feed = now_s() - t0;
	t0 = now_s();
	for (int i = 0; i < PUBLISHES; i++)
		snapshot_box_publish(&box);
	t1 = now_s();
	printf("snapshot: %ld files (%d shown), %d processes, %zu syscalls, %zu flame triples "
	       "(%zu shown), %ld recent records: %.2f ms per snapshot, %.1f%% of a core at 10 "
	       "per second; sinks %.0f ns per record\n",
	       files, FILES_SHOWN, PROCS, snapshot_box_acquire(&box)->nsys,
	       snapshot_box_acquire(&box)->flame_total, snapshot_box_acquire(&box)->nflame, recent,
	       (t1 - t0) * 1e3 / PUBLISHES, (t1 - t0) / PUBLISHES * 10 * 100,
	       feed * 1e9 / EVENTS);
	snapshot_box_fini(&box);
	stream_fini(&stream);
	stats_fini(stats);
	free(stats);
	return 0;
}
