/* A bounded single-producer single-consumer queue of fixed-size slots: the
 * hand-off from the reader thread to the store's writer thread. Neither side
 * locks or allocates after spsc_new. */
#ifndef IOR_CORE_SPSC_H
#define IOR_CORE_SPSC_H

#include <stdbool.h>
#include <stddef.h>

struct spsc;

/* capacity is rounded up to a power of two; slot_size bytes per slot. */
struct spsc *spsc_new(size_t capacity, size_t slot_size);
void spsc_free(struct spsc *q);
/* Producer thread only: copy one slot in; false when full. */
bool spsc_push(struct spsc *q, const void *slot);
/* Consumer thread only: the oldest slot (borrowed until spsc_pop), or NULL. */
const void *spsc_peek(struct spsc *q);
/* Consumer thread only: release the slot spsc_peek returned. */
void spsc_pop(struct spsc *q);

#endif
