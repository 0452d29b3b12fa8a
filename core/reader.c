/* The reader thread. Wake-ups from the kernel are batched (the BPF side
 * only forces one past a fill threshold), so the thread also drains the
 * ring on a short timer. */
#include "core/reader.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/xalloc.h"

#define POLL_MS 10

struct reader {
	struct loader *loader;
	struct tracker *tracker;
	struct pipeline *pipe;
	struct ring_buffer *ring;
	pthread_t thread;
	int stop_fd; /* eventfd: main writes it to stop the thread */
	uint64_t lost;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct reader *r = ctx;

	tracker_handle(r->tracker, data, size);
	return 0;
}

static void report_lost(struct reader *r)
{
	uint64_t lost = loader_lost(r->loader);

	if (lost != r->lost) {
		r->lost = lost;
		pipeline_lost(r->pipe, lost);
	}
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct pollfd fds[2] = {
		{ .fd = ring_buffer__epoll_fd(r->ring), .events = POLLIN },
		{ .fd = r->stop_fd, .events = POLLIN },
	};

	for (;;) {
		int n = poll(fds, 2, POLL_MS);

		ring_buffer__consume(r->ring);
		report_lost(r);
		pipeline_flush(r->pipe);
		if (n > 0 && (fds[1].revents & POLLIN))
			break;
	}
	/* Whatever the kernel wrote before the stop is still ours. */
	ring_buffer__consume(r->ring);
	report_lost(r);
	pipeline_flush(r->pipe);
	return NULL;
}

int reader_start(struct reader **out, struct loader *l, struct tracker *t, struct pipeline *p,
		 struct ior_err *err)
{
	struct reader *r = xcalloc(1, sizeof(*r));
	int rc;

	r->loader = l;
	r->tracker = t;
	r->pipe = p;
	r->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (r->stop_fd < 0) {
		rc = ior_err_set(err, -errno, "eventfd: %s", strerror(errno));
		goto out;
	}
	r->ring = ring_buffer__new(loader_ring_fd(l), on_record, r, NULL);
	if (!r->ring) {
		rc = ior_err_set(err, -errno, "ring buffer: %s", strerror(errno));
		goto out;
	}
	rc = -pthread_create(&r->thread, NULL, reader_main, r);
	if (rc) {
		ior_err_set(err, rc, "reader thread: %s", strerror(-rc));
		goto out;
	}
	pthread_setname_np(r->thread, "ior-reader"); /* for top and perf */
	*out = r;
	return 0;
out:
	ring_buffer__free(r->ring);
	if (r->stop_fd >= 0)
		close(r->stop_fd);
	free(r);
	return rc;
}

void reader_stop(struct reader *r)
{
	uint64_t one = 1;

	if (!r)
		return;
	if (write(r->stop_fd, &one, sizeof(one)) != sizeof(one))
		abort(); /* an eventfd write cannot fail here */
	pthread_join(r->thread, NULL);
	ring_buffer__free(r->ring);
	close(r->stop_fd);
	free(r);
}
