/* The recent-events stream: a ring of the newest records. */
#include "core/stream.h"

#include <stdlib.h>

#include "core/xalloc.h"

void stream_init(struct stream *s, size_t capacity)
{
	size_t cap = 1;

	while (cap < capacity)
		cap <<= 1;
	s->recs = xcalloc(cap, sizeof(*s->recs));
	s->cap = cap;
	s->head = 0;
}

void stream_fini(struct stream *s)
{
	free(s->recs);
	s->recs = NULL;
	s->cap = 0;
}

void stream_push(struct stream *s, const struct ior_rec *rec)
{
	s->recs[s->head & (s->cap - 1)] = *rec;
	s->head++;
}

size_t stream_len(const struct stream *s)
{
	return s->head < s->cap ? (size_t)s->head : s->cap;
}

const struct ior_rec *stream_newest(const struct stream *s, size_t i)
{
	if (i >= stream_len(s))
		return NULL;
	return &s->recs[(s->head - 1 - i) & (s->cap - 1)];
}

static void sink_event(void *ctx, const struct ior_rec *rec)
{
	stream_push(ctx, rec);
}

const struct sink_ops stream_sink_ops = {
	.event = sink_event,
};
