/* Screen 5, Processes: its model, built purely from a snapshot and the
 * filter (so the tests can build it). UI thread. */
#ifndef IOR_TUI_VIEW_PROCESSES_H
#define IOR_TUI_VIEW_PROCESSES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/snapshot.h"
#include "core/u64map.h"
#include "tui/table.h"
#include "tui/view.h"

enum view_processes_col {
	VIEW_PROCESSES_COMM,
	VIEW_PROCESSES_PID,
	VIEW_PROCESSES_STATE,
	VIEW_PROCESSES_CALLS,
	VIEW_PROCESSES_ERR,
	VIEW_PROCESSES_TIME,
	VIEW_PROCESSES_BYTES,
	VIEW_PROCESSES_SUB_CALLS,
	VIEW_PROCESSES_SUB_BYTES,
	VIEW_PROCESSES_EXE,
	VIEW_PROCESSES_COLS
};

struct view_processes {
	struct table t;
	char title[256];      /* the line above the table */
	struct u64map folded; /* pid -> bool: its children hidden */
	int table_line;	      /* body line of the table's header at the last draw */
};

/* Caller's storage; _fini frees the rows and the fold state. */
void view_processes_init(struct view_processes *v);
void view_processes_fini(struct view_processes *v);
/* Rebuild from ctx: the tree nested by ppid (a process whose parent is not
 * listed is a root) with subtree roll-ups, or with ctx->tree (F5) a flat
 * list. A DRILL_PID shows that process and its subtree. */
void view_processes_build(struct view_processes *v, const struct view_ctx *ctx);
/* Fold (open false) or unfold a process's children. */
void view_processes_set_open(struct view_processes *v, uint32_t pid, bool open);
/* "running", "exit 0", "exit 2", "killed by SIGKILL" (" (core)" when it
 * dumped one) into buf; returns the theme role: THEME_NORMAL running,
 * THEME_DIM a clean exit, THEME_ERROR a nonzero exit or a signal. */
int view_processes_state(const struct snapshot_proc *p, char *buf, size_t size);

#endif
