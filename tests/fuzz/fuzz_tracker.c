/* libFuzzer target: ring-buffer records (bpf/ior_event.h) into the tracker,
 * which decodes them and enriches them as for a live capture. The input is a
 * sequence of records, each a 2-byte little-endian length and that many
 * bytes. Pids and tids are moved above PID_MAX_LIMIT, so that no lookup
 * reaches a real process's /proc entry or memory. make fuzz. */
#include <stdint.h>
#include <string.h>

#include "bpf/ior_event.h"
#include "core/syscalls.h"
#include "core/tracker.h"

#define FAKE_PID 4194305u /* above PID_MAX_LIMIT (4194304) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drop_event(void *ctx, const struct ior_rec *r)
{
	(void)ctx;
	(void)r;
}

static const struct sink_ops drop_ops = { .event = drop_event };

/* Keep the pids the record names among a few fake ones. */
static void fake_pids(uint8_t *rec, size_t len)
{
	struct ior_event *e = (void *)rec;

	if (len < sizeof(*e))
		return;
	e->tgid = FAKE_PID + (e->tgid & 3);
	e->tid = FAKE_PID + (e->tid & 7);
	if (e->type == IOR_EV_FORK && len >= sizeof(*e) + 2 * sizeof(uint64_t)) {
		e->args[0] = FAKE_PID + (e->args[0] & 3);
		e->args[1] = FAKE_PID + (e->args[1] & 7);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t buf[65536 / 8]; /* aligned, as the ring's records are */
	struct pipeline pipe = { 0 };
	struct tracker *t;
	size_t pos = 0;

	pipeline_add(&pipe, &drop_ops, NULL);
	t = tracker_new(&pipe, &(struct tracker_opts){ 0 });
	tracker_launch(t, FAKE_PID);
	while (pos + 2 <= size) {
		size_t len = (size_t)data[pos] | (size_t)data[pos + 1] << 8;

		pos += 2;
		if (len > size - pos)
			len = size - pos;
		memcpy(buf, data + pos, len);
		fake_pids((uint8_t *)buf, len);
		tracker_handle(t, buf, len);
		pos += len;
	}
	tracker_free(t);
	return 0;
}
