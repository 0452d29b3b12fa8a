/* The SPSC queue: two monotonically increasing counters; the producer owns
 * head, the consumer owns tail, and each reads the other's with acquire. */
#include "core/spsc.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct spsc {
	alignas(64) _Atomic size_t head; /* next slot to write; producer-owned */
	alignas(64) _Atomic size_t tail; /* next slot to read; consumer-owned */
	alignas(64) size_t mask;
	size_t slot_size;
	unsigned char *slots;
};

struct spsc *spsc_new(size_t capacity, size_t slot_size)
{
	struct spsc *q = xcalloc(1, sizeof(*q));
	size_t cap = 1;

	while (cap < capacity)
		cap <<= 1;
	q->mask = cap - 1;
	q->slot_size = slot_size;
	q->slots = xmalloc(cap * slot_size);
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	return q;
}

void spsc_free(struct spsc *q)
{
	if (!q)
		return;
	free(q->slots);
	free(q);
}

bool spsc_push(struct spsc *q, const void *slot)
{
	/* Own counter: relaxed. The consumer's tail: acquire, so the slot it
	 * released is really free before we overwrite it. */
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);

	if (head - tail > q->mask)
		return false;
	memcpy(q->slots + (head & q->mask) * q->slot_size, slot, q->slot_size);
	/* Release: the slot's bytes are visible before the new head. */
	atomic_store_explicit(&q->head, head + 1, memory_order_release);
	return true;
}

const void *spsc_peek(struct spsc *q)
{
	/* Own counter: relaxed. The producer's head: acquire, pairing with its
	 * release, so the slot's bytes are complete. */
	size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&q->head, memory_order_acquire);

	if (tail == head)
		return NULL;
	return q->slots + (tail & q->mask) * q->slot_size;
}

void spsc_pop(struct spsc *q)
{
	size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);

	/* Release: our reads of the slot are done before the producer reuses it. */
	atomic_store_explicit(&q->tail, tail + 1, memory_order_release);
}
