/* A bounded single-producer single-consumer queue of fixed-size slots: the
 * hand-off from the reader thread to the store's writer thread. Neither side
 * locks or allocates after spsc_new. With a spill file, a full queue does
 * not make the producer wait: slots go to the file, in order, and the
 * consumer reads them back before anything pushed after them. */
#ifndef IOR_CORE_SPSC_H
#define IOR_CORE_SPSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spsc;

/* capacity is rounded up to a power of two; slot_size bytes per slot.
 * spill_fd: a private file (O_TMPFILE) the queue takes over and closes, or
 * -1 for none. */
struct spsc *spsc_new(size_t capacity, size_t slot_size, int spill_fd);
void spsc_free(struct spsc *q);
/* Producer thread only: copy one slot in; false when it cannot be taken now
 * (full without a spill, or the spill file failed): retry later. */
bool spsc_push(struct spsc *q, const void *slot);
/* Producer thread only: make spilled slots visible to the consumer (writes
 * out the producer's buffer). Call it at quiet moments. */
void spsc_flush(struct spsc *q);
/* Producer thread only: a number that grows whenever the consumer takes
 * something (ring slots or spill bytes), to tell a stuck consumer. */
uint64_t spsc_consumer_progress(struct spsc *q);
/* Producer thread only: does the consumer have anything left to take? */
bool spsc_drained(struct spsc *q);
/* Producer thread only: spilled bytes the consumer has not read yet. */
uint64_t spsc_spill_backlog(struct spsc *q);
/* Producer thread only: slots that went through the spill file so far. */
uint64_t spsc_spilled(const struct spsc *q);
/* Consumer thread only: the oldest slot (borrowed until spsc_pop), or NULL. */
const void *spsc_peek(struct spsc *q);
/* Consumer thread only: release the slot spsc_peek returned. */
void spsc_pop(struct spsc *q);

#endif
