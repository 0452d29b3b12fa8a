/* The pipeline: a source (live reader or replay) calls these ops on every
 * sink in order. Sinks run on the source's thread and must not block it;
 * one that needs slow work (SQLite) hands it to its own thread. */
#ifndef IOR_CORE_SINK_H
#define IOR_CORE_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct sink_ops {
	/* A string got an id: s is owned by the source's intern table. It
	 * stays valid and unchanged until the pipeline ends when the source
	 * keeps every string (replay, and a live capture with a UI); a
	 * recording bounds its table (tracker_opts.strings_max), so there a
	 * sink copies what it keeps. Sent before any record that uses the id;
	 * a string the source forgot and met again comes again with a new id. */
	void (*string)(void *ctx, ior_str id, const char *s, size_t len);
	void (*event)(void *ctx, const struct ior_rec *rec);
	void (*proc)(void *ctx, const struct ior_proc_ev *ev);
	/* Running total of records the kernel could not deliver. */
	void (*lost)(void *ctx, uint64_t total);
	/* A quiet moment (no more records for now): a good time to commit. */
	void (*flush)(void *ctx);
};

struct sink {
	const struct sink_ops *ops;
	void *ctx;
};

#define PIPELINE_MAX_SINKS 8

struct pipeline {
	struct sink sinks[PIPELINE_MAX_SINKS];
	int nsinks;
};

/* Append a sink; returns -ENOSPC past PIPELINE_MAX_SINKS. */
int pipeline_add(struct pipeline *p, const struct sink_ops *ops, void *ctx);
void pipeline_string(struct pipeline *p, ior_str id, const char *s, size_t len);
void pipeline_event(struct pipeline *p, const struct ior_rec *rec);
void pipeline_proc(struct pipeline *p, const struct ior_proc_ev *ev);
void pipeline_lost(struct pipeline *p, uint64_t total);
void pipeline_flush(struct pipeline *p);

#endif
