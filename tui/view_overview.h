/* Screen 1, Overview: the pure model behind it (rate, totals and four
 * panels of the busiest syscalls, files, processes and errors), laid out
 * into a canvas of text spans that the screen draws and the tests read.
 * The canvas is shared with the Latency screen. UI thread. */
#ifndef IOR_TUI_VIEW_OVERVIEW_H
#define IOR_TUI_VIEW_OVERVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui/text.h"
#include "tui/view.h"

/* --- canvas: positioned, already-escaped text with a theme role ---------- */

struct view_span {
	int y, x;   /* relative to the canvas */
	int role;   /* enum theme_role */
	int fill;   /* > 0: clear this many columns in role first (no text) */
	char *text; /* safe (escaped) UTF-8, owned; NULL with fill */
};

struct view_canvas {
	struct view_span *v; /* n used of cap, owned */
	size_t n, cap;
};

void view_canvas_clear(struct view_canvas *c);
void view_canvas_fini(struct view_canvas *c);
/* Paint cols columns at (y, x) in role (a selected row's band). */
void view_canvas_fill(struct view_canvas *c, int y, int x, int cols, int role);
/* Raw bytes escaped and fitted into cols columns at (y, x) (right-aligned
 * when right), cut as cut says; returns the width written. */
int view_canvas_fit(struct view_canvas *c, int y, int x, int cols, int role, const char *raw,
		    enum text_cut cut, bool right);
/* Curses: draw every span offset by (y, x). */
void view_canvas_draw(const struct view_canvas *c, int y, int x);
/* The first h lines as text, each ended by '\n', trailing blanks dropped
 * (for tests and goldens); caller frees. */
char *view_canvas_text(const struct view_canvas *c, int h);

/* --- the Overview model --------------------------------------------------- */

enum {
	OV_SYSCALLS, /* left column, top */
	OV_PROCS,    /* left column, bottom */
	OV_FILES,    /* right column, top */
	OV_ERRORS,   /* right column, bottom */
	OV_PANELS,
};

#define OV_ROWS_MAX 40 /* rows kept per panel (more than any terminal shows) */

struct ov_row {
	char *name;	/* raw bytes (a path, a comm): escaped when drawn; owned */
	int name_role;	/* enum theme_role */
	double val[2];	/* the panel's two numbers */
	bool has_drill; /* what Enter pushes */
	struct drill drill;
};

struct ov_panel {
	struct ov_row row[OV_ROWS_MAX];
	int nrows;
	size_t candidates; /* rows that passed the filter, shown or not */
	/* Where the last render put it (for clicks): body coordinates. */
	int y, x, h, w, shown;
};

struct view_overview {
	struct ov_panel p[OV_PANELS];
	bool have_snap;
	/* Totals over what passes the filter. */
	uint64_t calls, errors, bytes, interrupted, gap_calls, gap_total_ns, lost;
	/* Selection: panel (-1 none) and row, kept on the same name. */
	int sel_panel, sel_row;
	char *sel_name;
	struct view_canvas canvas;
};

void view_overview_init(struct view_overview *v);
void view_overview_fini(struct view_overview *v);
/* Pure: the model for ctx (snapshot, filter); keeps the selection. */
void view_overview_build(struct view_overview *v, const struct view_ctx *ctx);
/* Pure: lay the model out in h lines by w columns into v->canvas (and
 * the panels' positions); ctx gives the rate samples. */
void view_overview_render(struct view_overview *v, const struct view_ctx *ctx, int h, int w);

#endif
