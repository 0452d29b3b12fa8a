/* The recent-events stream: a sink that keeps the newest records in a ring
 * of fixed size. Source thread only: the UI sees the newest of them through
 * a snapshot (core/snapshot), never this ring. */
#ifndef IOR_CORE_STREAM_H
#define IOR_CORE_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/sink.h"

struct stream {
	struct ior_rec *recs; /* cap slots, owned */
	size_t cap;	      /* a power of two */
	uint64_t head;	      /* records ever pushed; the next goes to head % cap */
};

extern const struct sink_ops stream_sink_ops;

/* A ring of at least capacity records (rounded up to a power of two). */
void stream_init(struct stream *s, size_t capacity);
void stream_fini(struct stream *s);
/* Keep a copy of rec, dropping the oldest when full. */
void stream_push(struct stream *s, const struct ior_rec *rec);
/* How many records the ring holds: min(head, cap). */
size_t stream_len(const struct stream *s);
/* The i-th newest record (0: the newest), borrowed until the next push;
 * NULL when i >= stream_len(). */
const struct ior_rec *stream_newest(const struct stream *s, size_t i);

#endif
