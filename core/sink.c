/* The pipeline: fan one source out to its sinks. */
#include "core/sink.h"

#include <errno.h>

int pipeline_add(struct pipeline *p, const struct sink_ops *ops, void *ctx)
{
	if (p->nsinks >= PIPELINE_MAX_SINKS)
		return -ENOSPC;
	p->sinks[p->nsinks].ops = ops;
	p->sinks[p->nsinks].ctx = ctx;
	p->nsinks++;
	return 0;
}

void pipeline_string(struct pipeline *p, ior_str id, const char *s, size_t len)
{
	for (int i = 0; i < p->nsinks; i++)
		if (p->sinks[i].ops->string)
			p->sinks[i].ops->string(p->sinks[i].ctx, id, s, len);
}

void pipeline_event(struct pipeline *p, const struct ior_rec *rec)
{
	for (int i = 0; i < p->nsinks; i++)
		if (p->sinks[i].ops->event)
			p->sinks[i].ops->event(p->sinks[i].ctx, rec);
}

void pipeline_proc(struct pipeline *p, const struct ior_proc_ev *ev)
{
	for (int i = 0; i < p->nsinks; i++)
		if (p->sinks[i].ops->proc)
			p->sinks[i].ops->proc(p->sinks[i].ctx, ev);
}

void pipeline_lost(struct pipeline *p, uint64_t total)
{
	for (int i = 0; i < p->nsinks; i++)
		if (p->sinks[i].ops->lost)
			p->sinks[i].ops->lost(p->sinks[i].ctx, total);
}

void pipeline_flush(struct pipeline *p)
{
	for (int i = 0; i < p->nsinks; i++)
		if (p->sinks[i].ops->flush)
			p->sinks[i].ops->flush(p->sinks[i].ctx);
}

void pipeline_keep_strings(struct pipeline *p, struct intern *in)
{
	for (int i = 0; i < p->nsinks; i++)
		if (p->sinks[i].ops->keep_strings)
			p->sinks[i].ops->keep_strings(p->sinks[i].ctx, in);
}

void pipeline_strings_moved(struct pipeline *p, const struct intern *in)
{
	for (int i = 0; i < p->nsinks; i++)
		if (p->sinks[i].ops->strings_moved)
			p->sinks[i].ops->strings_moved(p->sinks[i].ctx, in);
}
