/* The process picker's model (what `ior` with no target opens): processes
 * read from /proc, filtered as the user types, sorted, with a selection
 * that follows its pid across rescans. No curses; the UI thread. */
#ifndef IOR_TUI_PICKER_H
#define IOR_TUI_PICKER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"

/* Raw command lines are read up to this many bytes, then end in "...". */
#define PICKER_CMDLINE_MAX 4096

struct picker_proc {
	pid_t pid;
	uid_t uid;     /* effective, from status's Uid: (the pid directory's owner without it) */
	char user[33]; /* name from getpwuid_r, escaped; the number when unknown */
	char comm[64]; /* escaped */
	char *cmdline; /* escaped, args joined by spaces; "[comm]" when empty (kernel threads,
			  zombies), as ps shows them; owned by the picker */
	unsigned long long start_ticks; /* stat's starttime: clock ticks after boot */
	bool kernel;			/* a kernel thread (PF_KTHREAD in stat's flags) */
};

enum picker_sort {
	PICKER_SORT_PID,
	PICKER_SORT_USER,
	PICKER_SORT_COMM,
	PICKER_SORT_CMD,
	PICKER_SORT_START, /* start time: descending shows the newest first */
};

struct picker;

/* An empty picker sorted by pid, kernel threads hidden; picker_free(NULL) is
 * a no-op. */
struct picker *picker_new(void);
void picker_free(struct picker *p);

/* Read the processes under proc_root ("/proc"; tests pass a fake tree),
 * leaving out ior itself (getpid()). Processes that vanish or cannot be read
 * are skipped, files missing from one are shown as unknown. The selection
 * stays on its pid while it is still listed, else on the same row number.
 * Rows from before are invalid afterwards. Fails (keeping the old list) only
 * when proc_root cannot be opened: -errno and err. */
int picker_scan(struct picker *p, const char *proc_root, struct ior_err *err);

/* Filter as the user types: each whitespace-separated word must be a
 * case-insensitive (ASCII) substring of the pid, user, comm or command line.
 * NULL or "" shows everything. The selection stays on its pid while it still
 * matches, else goes to the first row. */
void picker_set_query(struct picker *p, const char *query);
/* Show kernel threads (hidden by default); the selection follows its pid. */
void picker_show_kernel(struct picker *p, bool show);
/* Sort rows by key, ties by pid (ascending); the selection follows its pid. */
void picker_sort(struct picker *p, enum picker_sort key, bool descending);

/* Rows that match the query, in sort order; picker_row(i) for i <
 * picker_count(), borrowed until the next scan. */
size_t picker_count(const struct picker *p);
const struct picker_proc *picker_row(const struct picker *p, size_t i);

/* Move the selection by delta rows (PgDn: the page height; End: LONG_MAX),
 * clamped to the rows. */
void picker_move(struct picker *p, long delta);
/* The selected row (0 when there are none), or its process (NULL then). */
size_t picker_selected(const struct picker *p);
const struct picker_proc *picker_selected_proc(const struct picker *p);

#endif
