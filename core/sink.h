/* The pipeline: a source (live reader or replay) calls these ops on every
 * sink in order. Sinks run on the source's thread and must not block it;
 * one that needs slow work (SQLite) hands it to its own thread. */
#ifndef IOR_CORE_SINK_H
#define IOR_CORE_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct intern;

struct sink_ops {
	/* A string got an id: s is owned by the source's intern table and
	 * stays valid and unchanged until the table is swept (strings_moved,
	 * below; a live capture bounds its table: tracker_opts.strings_max)
	 * or the pipeline ends. Sent before any record that uses the id; a
	 * string the source forgot and met again comes again with a new id. */
	void (*string)(void *ctx, ior_str id, const char *s, size_t len);
	void (*event)(void *ctx, const struct ior_rec *rec);
	void (*proc)(void *ctx, const struct ior_proc_ev *ev);
	/* Running total of records the kernel could not deliver. */
	void (*lost)(void *ctx, uint64_t total);
	/* A quiet moment (no more records for now): a good time to commit. */
	void (*flush)(void *ctx);
	/* The source's string table is about to forget the strings nobody
	 * keeps (intern_sweep): a sink that will want the text of an id again
	 * intern_keeps it here. */
	void (*keep_strings)(void *ctx, struct intern *in);
	/* The sweep is done: the texts moved, and the ids not kept are
	 * forgotten (intern_str gives the new text, or NULL). */
	void (*strings_moved)(void *ctx, const struct intern *in);
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
void pipeline_keep_strings(struct pipeline *p, struct intern *in);
void pipeline_strings_moved(struct pipeline *p, const struct intern *in);

#endif
