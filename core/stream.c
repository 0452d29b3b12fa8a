/* The recent-events stream: a ring of the newest records. */
#include "core/stream.h"

#include <stdlib.h>

#include "core/intern.h"
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

/* The names of the records the ring holds. */
static void sink_keep_strings(void *ctx, struct intern *in)
{
	const struct stream *s = ctx;

	for (size_t i = 0, n = stream_len(s); i < n; i++) {
		const struct ior_rec *r = stream_newest(s, i);

		intern_keep(in, r->comm);
		intern_keep(in, r->file);
		intern_keep(in, r->old_file);
		intern_keep(in, r->arg_path);
		intern_keep(in, r->flags);
		intern_keep(in, r->addr);
	}
}

const struct sink_ops stream_sink_ops = {
	.event = sink_event,
	.keep_strings = sink_keep_strings,
};
