/* The SPSC queue: two monotonically increasing counters; the producer owns
 * head, the consumer owns tail, and each reads the other's with acquire.
 *
 * The spill: when the ring has one free slot left, the producer writes a
 * mark into it and from then on (an episode) appends slots to the spill
 * file, in chunks tagged with the episode's number, published by
 * spill_written. The consumer, reaching the mark, reads that episode's
 * chunks, and goes back to the ring when it meets a later episode's chunk,
 * or has caught up and finds the ring non-empty. The producer ends an
 * episode only once the consumer has read all of it (spill_read), so a slot
 * in the ring after a mark is newer than everything of that episode: order
 * is kept. Read chunks are punched out of the file, so it holds only the
 * backlog. */
#include "core/spsc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"

#define SPILL_BUF (256 * 1024) /* bytes: each side's buffer */

/* Each chunk in the file starts with this. */
struct chunk_hdr {
	uint64_t episode; /* 1 for the first spill, then 2, ... */
	uint64_t len;	  /* payload bytes after the header */
};

#define HDR sizeof(struct chunk_hdr)

struct spsc {
	alignas(64) _Atomic size_t head;	    /* next slot to write; producer-owned */
	alignas(64) _Atomic size_t tail;	    /* next slot to read; consumer-owned */
	alignas(64) _Atomic uint64_t spill_written; /* file bytes readable; producer-owned */
	alignas(64) _Atomic uint64_t spill_read;    /* file bytes read; consumer-owned */
	alignas(64) size_t mask;
	size_t slot_size;
	unsigned char *slots;
	unsigned char *marks; /* per slot: 1 = "continue in the spill file" */
	int spill_fd;	      /* -1: none */
	/* Producer only. */
	bool p_spilling;
	bool p_failed;	      /* a write to the file failed: no more spilling */
	unsigned char *p_buf; /* a chunk: header, then slots */
	size_t p_len;	      /* HDR when it holds no slot */
	uint64_t p_off;	      /* file bytes written */
	uint64_t p_episode;
	uint64_t spilled;
	/* Consumer only. */
	bool c_spilling;
	unsigned char *c_buf;
	size_t c_len, c_pos;
	uint64_t c_off; /* file bytes read */
	uint64_t c_episode;
};

/* pread all of len at off; false on error or end of file. */
static bool read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

struct spsc *spsc_new(size_t capacity, size_t slot_size, int spill_fd)
{
	struct spsc *q = xcalloc(1, sizeof(*q));
	size_t cap = 2;

	while (cap < capacity)
		cap <<= 1;
	q->mask = cap - 1;
	q->slot_size = slot_size;
	q->slots = xmalloc(cap * slot_size);
	q->marks = xcalloc(cap, 1);
	q->spill_fd = spill_fd;
	q->p_len = HDR;
	if (spill_fd >= 0 && slot_size <= SPILL_BUF - HDR) {
		q->p_buf = xmalloc(SPILL_BUF);
		q->c_buf = xmalloc(SPILL_BUF);
	} else if (spill_fd >= 0) {
		close(spill_fd);
		q->spill_fd = -1;
	}
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	atomic_init(&q->spill_written, 0);
	atomic_init(&q->spill_read, 0);
	return q;
}

void spsc_free(struct spsc *q)
{
	if (!q)
		return;
	if (q->spill_fd >= 0)
		close(q->spill_fd);
	free(q->p_buf);
	free(q->c_buf);
	free(q->marks);
	free(q->slots);
	free(q);
}

/* Put one slot in the ring with its mark; the caller checked the room. */
static void ring_put(struct spsc *q, size_t head, const void *slot, unsigned char mark)
{
	q->marks[head & q->mask] = mark;
	if (!mark)
		memcpy(q->slots + (head & q->mask) * q->slot_size, slot, q->slot_size);
	/* Release: the slot's bytes and mark are visible before the new head. */
	atomic_store_explicit(&q->head, head + 1, memory_order_release);
}

/* Write the producer's chunk to the file; false (chunk kept, spilling off
 * for good) on failure. */
static bool spill_write(struct spsc *q)
{
	struct chunk_hdr h = { .episode = q->p_episode, .len = q->p_len - HDR };
	size_t done = 0;

	memcpy(q->p_buf, &h, sizeof(h));
	while (done < q->p_len) {
		ssize_t n = pwrite(q->spill_fd, q->p_buf + done, q->p_len - done,
				   (off_t)(q->p_off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			q->p_failed = true; /* what went out is not published: ignored */
			return false;
		}
		done += (size_t)n;
	}
	q->p_off += q->p_len;
	q->p_len = HDR;
	/* Release: pairs with the consumer's acquire; the bytes are in the
	 * file (pwrite has returned) before it may read them. */
	atomic_store_explicit(&q->spill_written, q->p_off, memory_order_release);
	return true;
}

void spsc_flush(struct spsc *q)
{
	if (q->p_spilling && q->p_len > HDR && !q->p_failed)
		spill_write(q);
}

uint64_t spsc_consumer_progress(struct spsc *q)
{
	/* Acquire, both: only compared with an earlier value. */
	return atomic_load_explicit(&q->tail, memory_order_acquire) +
	       atomic_load_explicit(&q->spill_read, memory_order_acquire);
}

bool spsc_drained(struct spsc *q)
{
	/* Acquire: pairs with the consumer's release of tail. */
	return !q->p_spilling && atomic_load_explicit(&q->tail, memory_order_acquire) ==
					 atomic_load_explicit(&q->head, memory_order_relaxed);
}

uint64_t spsc_spill_backlog(struct spsc *q)
{
	/* Acquire: pairs with the consumer's release of spill_read. */
	return q->p_off + (q->p_len - HDR) -
	       atomic_load_explicit(&q->spill_read, memory_order_acquire);
}

uint64_t spsc_spilled(const struct spsc *q)
{
	return q->spilled;
}

/* After a failed write: once the consumer has read the file, move the
 * buffered slots into the ring as room allows; spilling ends when the
 * buffer is empty. */
static void spill_unwind(struct spsc *q)
{
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	size_t pos = HDR;

	if (atomic_load_explicit(&q->spill_read, memory_order_acquire) != q->p_off)
		return;
	while (pos < q->p_len && head - tail <= q->mask) {
		ring_put(q, head++, q->p_buf + pos, 0);
		pos += q->slot_size;
	}
	memmove(q->p_buf + HDR, q->p_buf + pos, q->p_len - pos);
	q->p_len -= pos - HDR;
	if (q->p_len == HDR)
		q->p_spilling = false;
}

bool spsc_push(struct spsc *q, const void *slot)
{
	size_t head, tail;

	if (q->p_spilling && q->p_failed)
		spill_unwind(q);
	/* Back to the ring once the consumer has read everything spilled.
	 * Acquire: pairs with its release of spill_read. */
	if (q->p_spilling && q->p_len == HDR &&
	    atomic_load_explicit(&q->spill_read, memory_order_acquire) == q->p_off)
		q->p_spilling = false;
	if (!q->p_spilling) {
		/* Own counter: relaxed. The consumer's tail: acquire, so the slot
		 * it released is really free before we overwrite it. */
		head = atomic_load_explicit(&q->head, memory_order_relaxed);
		tail = atomic_load_explicit(&q->tail, memory_order_acquire);
		if (head - tail < q->mask || (head - tail == q->mask && q->spill_fd < 0) ||
		    (head - tail == q->mask && q->p_failed)) {
			ring_put(q, head, slot, 0);
			return true;
		}
		if (head - tail > q->mask || q->p_failed)
			return false;
		/* One slot left: the mark, and the file from here on. */
		ring_put(q, head, NULL, 1);
		q->p_spilling = true;
		q->p_episode++;
	}
	if (q->p_failed)
		return false;
	if (q->p_len + q->slot_size > SPILL_BUF && !spill_write(q))
		return false;
	memcpy(q->p_buf + q->p_len, slot, q->slot_size);
	q->p_len += q->slot_size;
	q->spilled++;
	return true;
}

/* Consumer: the next chunk of the current episode into c_buf: 1, or 0
 * when caught up with the file, -1 when the next chunk is a later
 * episode's (this one is over). */
static int spill_read(struct spsc *q)
{
	/* Acquire: pairs with the producer's release after its pwrite. */
	uint64_t written = atomic_load_explicit(&q->spill_written, memory_order_acquire);
	struct chunk_hdr h;

	if (q->c_off >= written)
		return 0;
	if (!read_at(q->spill_fd, &h, sizeof(h), q->c_off) || h.len > SPILL_BUF)
		abort(); /* our own file, written before: cannot fail */
	if (h.episode != q->c_episode)
		return -1;
	if (!read_at(q->spill_fd, q->c_buf, h.len, q->c_off + HDR))
		abort();
	/* Give the disk space back: only the backlog stays in the file. */
	fallocate(q->spill_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)q->c_off,
		  (off_t)(HDR + h.len));
	q->c_off += HDR + h.len;
	q->c_len = h.len;
	q->c_pos = 0;
	/* Release: the producer may end the episode once this equals what it
	 * wrote; the bytes are ours (in c_buf) by now. */
	atomic_store_explicit(&q->spill_read, q->c_off, memory_order_release);
	return 1;
}

const void *spsc_peek(struct spsc *q)
{
	size_t tail, head;

	for (;;) {
		if (q->c_spilling) {
			int r;

			if (q->c_pos < q->c_len)
				return q->c_buf + q->c_pos;
			r = spill_read(q);
			if (r > 0)
				continue;
			/* r < 0: the episode is over. r == 0: caught up; if the
			 * ring holds anything now, it was pushed after the
			 * episode ended (see the top of the file). */
		}
		/* Own counter: relaxed. The producer's head: acquire, pairing
		 * with its release, so the slot's bytes are complete. */
		tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
		head = atomic_load_explicit(&q->head, memory_order_acquire);
		if (tail == head)
			return NULL;
		q->c_spilling = false;
		if (!q->marks[tail & q->mask])
			return q->slots + (tail & q->mask) * q->slot_size;
		/* The mark: the rest is in the file. Release as in spsc_pop. */
		atomic_store_explicit(&q->tail, tail + 1, memory_order_release);
		q->c_spilling = true;
		q->c_episode++;
	}
}

void spsc_pop(struct spsc *q)
{
	size_t tail;

	if (q->c_spilling && q->c_pos < q->c_len) {
		q->c_pos += q->slot_size;
		return;
	}
	tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	/* Release: our reads of the slot are done before the producer reuses it. */
	atomic_store_explicit(&q->tail, tail + 1, memory_order_release);
}
