/* What a screen is to the UI: a state of its own (sort, selection, scroll
 * survive switching screens), a build from the current snapshot and filter,
 * a draw, and the actions it handles itself. One view_<name>.c per screen.
 * UI thread. */
#ifndef IOR_TUI_VIEW_H
#define IOR_TUI_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/snapshot.h"
#include "tui/filter.h"
#include "tui/keymap.h"
#include "tui/table.h"

#define VIEW_RATE_SAMPLES 120

/* What every screen may read. */
struct view_ctx {
	const struct snapshot *snap; /* NULL before the first one */
	const struct filter *filter;
	/* The session file the capture writes (or replay reads); a screen may
	 * open it read-only (WAL) to reach further back than the snapshot. */
	const char *session;
	int screen;	    /* this screen's index, for drill breadcrumbs */
	const char *search; /* the current search needle, "" for none */
	bool tree;	    /* F5 tree mode of this screen */
	/* Events per second, oldest first, one sample per snapshot. */
	const uint64_t *rates;
	int nrates;
	uint64_t peak_rate;
};

enum view_result {
	VIEW_UNHANDLED, /* let the UI's generic handling run */
	VIEW_HANDLED,	/* done; redraw */
	VIEW_PUSH,	/* push *push onto the filter stack */
};

struct view_ops {
	const char *name;  /* tab title */
	const char *title; /* short title (80 columns) */
	void *(*create)(void);
	void (*destroy)(void *state);
	/* Rebuild the model from ctx (snapshot, filter); cheap enough for 10/s. */
	void (*build)(void *state, const struct view_ctx *ctx);
	void (*draw)(void *state, const struct view_ctx *ctx, int y, int x, int h, int w);
	/* Optional: an action for this screen first. */
	enum view_result (*action)(void *state, const struct view_ctx *ctx, enum action a,
				   struct drill *push);
	/* Optional: the table behind the screen, for the generic moves, search,
	 * sort and mouse. */
	struct table *(*table)(void *state);
	/* Optional: a mouse press at (line, col) relative to the body. */
	enum view_result (*click)(void *state, const struct view_ctx *ctx, int line, int col,
				  bool double_click, struct drill *push);
};

extern const struct view_ops view_overview_ops;
extern const struct view_ops view_families_ops;
extern const struct view_ops view_syscalls_ops;
extern const struct view_ops view_files_ops;
extern const struct view_ops view_processes_ops;
extern const struct view_ops view_stream_ops;
extern const struct view_ops view_latency_ops;
extern const struct view_ops view_flame_ops;

#define VIEW_COUNT 8

#endif
