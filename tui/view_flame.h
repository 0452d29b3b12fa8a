/* Screen 8, Flame: an icicle graph of the snapshot's (comm, syscall, file)
 * triples, levels in a cyclable order, widths by a cyclable metric, with
 * zoom. The model and its layout are pure (no curses), for the tests. UI
 * thread. */
#ifndef IOR_TUI_VIEW_FLAME_H
#define IOR_TUI_VIEW_FLAME_H

#include <stddef.h>
#include <stdint.h>

#include "tui/view.h"

enum flame_kind { FLAME_COMM, FLAME_SYSCALL, FLAME_FILE };
enum flame_metric { FLAME_CALLS, FLAME_BYTES, FLAME_TIME, FLAME_METRIC_COUNT };

#define FLAME_ORDER_COUNT 3
#define FLAME_LEVELS	  3
#define FLAME_MIN_WIDTH	  3 /* narrower frames merge into one "…" */

/* A frame of the tree: the root (depth 0), or a comm, syscall or file. */
struct flame_node {
	int depth;  /* 0 root, 1..FLAME_LEVELS */
	int kind;   /* enum flame_kind (depth > 0) */
	int nr;	    /* FLAME_SYSCALL: native number */
	char *name; /* raw bytes (escape before showing); "" for a call without a file */
	uint64_t calls, bytes, total_ns, errors;
	int parent;	  /* -1 for the root */
	int first, count; /* children: nodes[first .. first + count), heaviest first */
};

/* A frame as laid out: node -1 is a "…" frame standing for the siblings
 * too narrow to show. */
struct flame_frame {
	int node;
	int row; /* 0: the zoomed frame; 1.. the levels under it */
	int x, w;
	int parent; /* index of the parent frame, -1 for row 0 */
};

struct view_flame;

struct view_flame *view_flame_new(void);
void view_flame_free(struct view_flame *v);
/* Rebuild the tree from ctx's snapshot and filter; zoom and selection stay
 * on the same frames when they still exist. */
void view_flame_build(struct view_flame *v, const struct view_ctx *ctx);
/* Lay the graph out in width columns: the frames, row by row, left to
 * right; *n their count. Children share their parent's columns in
 * proportion to the metric and cover them exactly. Borrowed until the
 * next layout or build. */
const struct flame_frame *view_flame_layout(struct view_flame *v, int width, size_t *n);
const struct flame_node *view_flame_node(const struct view_flame *v, int i);
int view_flame_selected(const struct view_flame *v);
int view_flame_zoom(const struct view_flame *v);
int view_flame_order(const struct view_flame *v);
int view_flame_metric(const struct view_flame *v);
/* The metric's value of a node. */
uint64_t view_flame_value(const struct view_flame *v, const struct flame_node *n);
/* "cc1plus 40%" (raw) for node i, the share of the whole graph. */
void view_flame_label(const struct view_flame *v, int i, char *buf, size_t size);
/* Keys: Up/Down levels, Left/Right frames of a row, Enter zoom, Back zoom
 * out (VIEW_UNHANDLED at the top), o order, M metric, Home, n/N. */
enum view_result view_flame_action(struct view_flame *v, const struct view_ctx *ctx, enum action a,
				   struct drill *push);

#endif
