/* The reader thread. Wake-ups from the kernel are batched (the BPF side
 * only forces one past a fill threshold), so the thread drains the ring on
 * a short timer and on those wake-ups only: the ring's fd is watched
 * edge-triggered. Its poll says "readable" whenever a record waits, which
 * under a busy target is always, so a level-triggered wait returned at
 * once and the thread chased the writing CPU record by record, pulling
 * each line it had just written (sysloop under ior 1.085x the ring probe,
 * 1.049x with the wait; a reader that only skips records 1.18x and
 * 1.02x; 9-round A/Bs). It reads the ring itself (the map's pages, as
 * Documentation/bpf/ringbuf.rst lays them out) rather than through
 * libbpf's ring_buffer__consume, which publishes the consumer position
 * after every record: the traced CPU reads that position on every reserve,
 * so each store cost it a cache miss while the reader ran (issue 10). */
#include "core/reader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/xalloc.h"

#define POLL_MS		   10
/* Records consumed between two stores of the consumer position: rare
 * enough that the traced CPU seldom misses on it, soon enough that the
 * space comes back long before a 32 MiB ring could fill. */
#define RING_PUBLISH_EVERY 256
/* How far ahead of the record being read to prefetch: the records were
 * written by another CPU, so each line is a miss; a few records ahead
 * overlaps those misses with the work on this one. */
#define RING_PREFETCH	   512

/* The ring's record header (kernel/bpf/ringbuf.c): length with two flag
 * bits, then the page offset, 8 bytes in all; records are 8-aligned. */
#define RING_BUSY_BIT	 (1u << 31)
#define RING_DISCARD_BIT (1u << 30)
#define RING_HDR	 8u

struct ring {
	int map_fd;
	size_t page, mask;		     /* mask: data bytes - 1 */
	_Atomic unsigned long *consumer_pos; /* rw page */
	_Atomic unsigned long *producer_pos; /* ro page, the data follows */
	unsigned char *data;		     /* mapped twice: a record never wraps */
	size_t consumer_len, producer_len;   /* of the two mappings */
};

struct reader {
	struct loader *loader;
	struct tracker *tracker;
	struct pipeline *pipe;
	struct ring ring;
	pthread_t thread;
	int stop_fd;  /* eventfd: main writes it to stop the thread */
	int epoll_fd; /* the ring's fd (edge-triggered) and stop_fd */
	uint64_t lost;
};

static int ring_open(struct ring *rg, int map_fd, struct ior_err *err)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);
	void *p;

	memset(rg, 0, sizeof(*rg));
	rg->map_fd = map_fd;
	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		return ior_err_set(err, -errno, "ring buffer: %s", strerror(errno));
	rg->page = (size_t)sysconf(_SC_PAGESIZE);
	rg->mask = (size_t)info.max_entries - 1;
	rg->consumer_len = rg->page;
	p = mmap(NULL, rg->consumer_len, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		return ior_err_set(err, -errno, "ring buffer: mmap: %s", strerror(errno));
	rg->consumer_pos = p;
	rg->producer_len = rg->page + 2 * (size_t)info.max_entries;
	p = mmap(NULL, rg->producer_len, PROT_READ, MAP_SHARED, map_fd, (off_t)rg->page);
	if (p == MAP_FAILED) {
		munmap((void *)rg->consumer_pos, rg->consumer_len);
		rg->consumer_pos = NULL;
		return ior_err_set(err, -errno, "ring buffer: mmap: %s", strerror(errno));
	}
	rg->producer_pos = p;
	rg->data = (unsigned char *)p + rg->page;
	return 0;
}

static void ring_close(struct ring *rg)
{
	if (rg->producer_pos)
		munmap((void *)rg->producer_pos, rg->producer_len);
	if (rg->consumer_pos)
		munmap((void *)rg->consumer_pos, rg->consumer_len);
	rg->producer_pos = rg->consumer_pos = NULL;
}

/* Hand every complete record to the tracker, in order; stop at one still
 * being written (busy). The consumer position goes out every
 * RING_PUBLISH_EVERY records and at the end. */
static void ring_consume(struct reader *r)
{
	struct ring *rg = &r->ring;
	/* Relaxed: only this thread stores it. */
	unsigned long cons = atomic_load_explicit(rg->consumer_pos, memory_order_relaxed);
	unsigned long prod;
	unsigned int n = 0;

	/* Acquire: the records below prod are complete or marked busy. */
	while (cons < (prod = atomic_load_explicit(rg->producer_pos, memory_order_acquire))) {
		do {
			unsigned char *hdr = rg->data + (cons & rg->mask);
			/* Acquire: pairs with the kernel's commit of the
			 * record (bpf_ringbuf_commit clears the busy bit
			 * with a release). */
			uint32_t len =
				atomic_load_explicit((_Atomic uint32_t *)hdr, memory_order_acquire);

			if (len & RING_BUSY_BIT)
				goto out;
			__builtin_prefetch(hdr + RING_PREFETCH);
			__builtin_prefetch(hdr + RING_PREFETCH + 64);
			if (!(len & RING_DISCARD_BIT))
				tracker_handle(r->tracker, hdr + RING_HDR, len);
			len &= ~RING_DISCARD_BIT;
			cons += (len + RING_HDR + 7) & ~7ul;
			if (++n % RING_PUBLISH_EVERY == 0)
				/* Release: done reading the records below cons
				 * before the kernel may write over them. */
				atomic_store_explicit(rg->consumer_pos, cons, memory_order_release);
		} while (cons < prod);
	}
out:
	/* Release: as above. */
	atomic_store_explicit(rg->consumer_pos, cons, memory_order_release);
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

	for (;;) {
		struct epoll_event ev[2];
		int n = epoll_wait(r->epoll_fd, ev, 2, POLL_MS);
		int stop = 0;

		for (int i = 0; i < n; i++)
			stop |= ev[i].data.fd == r->stop_fd;
		ring_consume(r);
		report_lost(r);
		pipeline_flush(r->pipe);
		if (stop)
			break;
	}
	/* Whatever the kernel wrote before the stop is still ours. */
	ring_consume(r);
	report_lost(r);
	pipeline_flush(r->pipe);
	return NULL;
}

/* The set the thread waits on: the ring edge-triggered (a forced wake-up,
 * not the mere presence of records), the stop eventfd as it comes. */
static int watch_open(struct reader *r, struct ior_err *err)
{
	struct epoll_event ring = { .events = EPOLLIN | EPOLLET, .data.fd = r->ring.map_fd };
	struct epoll_event stop = { .events = EPOLLIN, .data.fd = r->stop_fd };

	r->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epoll_fd < 0 || epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, r->ring.map_fd, &ring) ||
	    epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, r->stop_fd, &stop))
		return ior_err_set(err, -errno, "epoll: %s", strerror(errno));
	return 0;
}

int reader_start(struct reader **out, struct loader *l, struct tracker *t, struct pipeline *p,
		 struct ior_err *err)
{
	struct reader *r = xcalloc(1, sizeof(*r));
	int rc;

	r->loader = l;
	r->tracker = t;
	r->pipe = p;
	r->epoll_fd = -1;
	r->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (r->stop_fd < 0) {
		rc = ior_err_set(err, -errno, "eventfd: %s", strerror(errno));
		goto out;
	}
	if ((rc = ring_open(&r->ring, loader_ring_fd(l), err)) || (rc = watch_open(r, err)))
		goto out;
	rc = -pthread_create(&r->thread, NULL, reader_main, r);
	if (rc) {
		ior_err_set(err, rc, "reader thread: %s", strerror(-rc));
		goto out;
	}
	pthread_setname_np(r->thread, "ior-reader"); /* for top and perf */
	*out = r;
	return 0;
out:
	ring_close(&r->ring);
	if (r->epoll_fd >= 0)
		close(r->epoll_fd);
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
	ring_close(&r->ring);
	close(r->epoll_fd);
	close(r->stop_fd);
	free(r);
}
