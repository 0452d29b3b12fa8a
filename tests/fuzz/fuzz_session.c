/* libFuzzer target: a corrupt or hostile session file. The input is written
 * to a file and opened as `ior report` opens it, then replayed into the
 * statistics, stream and snapshot sinks the UI will read. A bad file must
 * give a one-line error, never a crash. make fuzz. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/replay.h"
#include "core/report.h"
#include "core/session.h"
#include "core/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void write_file(const uint8_t *data, size_t size)
{
	char side[80];
	int fd;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/ior-fuzz-session-%d.db", (int)getpid());
	for (int i = 0; i < 2; i++) {
		snprintf(side, sizeof(side), "%s%s", path, i ? "-wal" : "-shm");
		unlink(side);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

static void replay_into_snapshot(void)
{
	struct stats *stats = calloc(1, sizeof(*stats));
	struct intern *in = intern_new();
	struct session_info info;
	struct ior_err err = { 0 };
	struct snapshot_box box;
	struct stream stream;
	struct pipeline pipe = { 0 };
	sqlite3 *db;

	if (session_open(path, &db, &info, &err) == 0) {
		stats_init(stats);
		stream_init(&stream, 64);
		if (snapshot_box_init(&box, stats, &stream, 0, 16, 16, &err) == 0) {
			pipeline_add(&pipe, &stats_sink_ops, stats);
			pipeline_add(&pipe, &stream_sink_ops, &stream);
			pipeline_add(&pipe, &snapshot_sink_ops, &box);
			replay_run(db, &info, in, &pipe, &err);
			snapshot_box_publish(&box);
			snapshot_box_fini(&box);
		}
		stream_fini(&stream);
		stats_fini(stats);
		sqlite3_close(db);
	}
	intern_free(in);
	free(stats);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *devnull = fopen("/dev/null", "w");
	struct ior_err err = { 0 };

	write_file(data, size);
	report_run(path, devnull, &err);
	fclose(devnull);
	replay_into_snapshot();
	return 0;
}
