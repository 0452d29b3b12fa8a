/* Screen 4, Files: its model, built purely from a snapshot and the filter
 * (so the tests can build it), and the descriptor panel that the Processes
 * screen shows too. UI thread. */
#ifndef IOR_TUI_VIEW_FILES_H
#define IOR_TUI_VIEW_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/snapshot.h"
#include "core/u64map.h"
#include "tui/table.h"
#include "tui/view.h"

enum view_files_col {
	VIEW_FILES_PATH,
	VIEW_FILES_OPENS,
	VIEW_FILES_CALLS,
	VIEW_FILES_READS,
	VIEW_FILES_WRITES,
	VIEW_FILES_READ_B,
	VIEW_FILES_WRITTEN_B,
	VIEW_FILES_XFER_B,
	VIEW_FILES_ERR,
	VIEW_FILES_MEAN,
	VIEW_FILES_MAX,
	VIEW_FILES_PROCS,
	VIEW_FILES_COLS
};

struct view_files {
	struct table t;
	/* The columns as last fitted to the width: a hidden one has width 0. */
	struct table_col cols[VIEW_FILES_COLS];
	char title[768];       /* the line above the table: raw bytes, escape to show */
	bool transfer;	       /* a row moved TRANSFER bytes: the column is shown */
	bool subset;	       /* some rows count only the filter's calls (triples) */
	struct u64map toggled; /* directory id hash -> bool: folded against the default */
	int table_line;	       /* body line of the table's header at the last draw */
};

/* Caller's storage; _fini frees the rows and the fold state. */
void view_files_init(struct view_files *v);
void view_files_fini(struct view_files *v);
/* Rebuild the rows from ctx: flat, or the directory tree when ctx->tree.
 * Per-file numbers of a subset (a syscall, comm, pid or family
 * restriction) come from the snapshot's flame triples. */
void view_files_build(struct view_files *v, const struct view_ctx *ctx);
/* Fold (open false) or unfold a directory row of the tree by its id. */
void view_files_set_open(struct view_files *v, const char *id, bool open);

/* One piece of the descriptor panel: text escaped already, at (line, col)
 * from the panel's top left (line 0 is its title), in a theme role. */
struct view_files_fds_seg {
	int line, col;
	int role;   /* enum theme_role */
	char *text; /* owned */
};

/* The descriptor table of snapshot->fds_pid laid out in some lines. */
struct view_files_fds {
	struct view_files_fds_seg *seg;
	size_t nseg, cap;
	int lines; /* lines used, the title included; 0 when there is no table */
};

/* Lay out s's descriptors (fd -> path, a type derived from the path, the
 * cloexec mark) in at most max_lines lines of w columns, the last one
 * ending in "+N more" when they do not all fit. Nothing when s->fds_pid is
 * 0. Replaces what p held; view_files_fds_fini frees it. */
void view_files_fds_layout(struct view_files_fds *p, const struct snapshot *s, int w,
			   int max_lines);
void view_files_fds_fini(struct view_files_fds *p);
/* Draw a laid-out panel at (y, x) (curses). */
void view_files_fds_draw(const struct view_files_fds *p, int y, int x);
/* How many lines a panel may take out of a body h lines high. */
int view_files_fds_budget(int h);

#endif
