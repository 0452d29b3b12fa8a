/* What the user narrowed the view to: a family selection, a stack of
 * drill-downs (Enter pushes, Backspace pops) and a free-text filter. Every
 * screen asks it whether a row passes, so one filter applies everywhere.
 * Pure; UI thread. */
#ifndef IOR_TUI_FILTER_H
#define IOR_TUI_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snapshot.h"

#define FILTER_ALL_FAMILIES ((uint16_t)((1u << FAMILY_COUNT) - 1))
#define FILTER_DEPTH	    8

enum drill_kind {
	DRILL_FAMILY,  /* value: enum ior_family */
	DRILL_SYSCALL, /* value: native syscall number */
	DRILL_PID,     /* value: pid (and its subtree, for process rows) */
	DRILL_FILE,    /* text: the path, or a directory prefix ending in '/' */
	DRILL_COMM,    /* text: the command name */
	DRILL_ERRNO,   /* value: errno */
};

struct drill {
	enum drill_kind kind;
	int value;
	char text[512]; /* raw bytes of a path or comm, NUL-terminated */
	int screen;	/* the screen it was pushed from (for the breadcrumb) */
};

struct filter {
	uint16_t families; /* bit per family; FILTER_ALL_FAMILIES = no restriction */
	struct drill stack[FILTER_DEPTH];
	int depth;
	char query[256]; /* F4: a syscall, path part, pid, comm or errno name */
};

void filter_init(struct filter *f);
/* Push a drill-down; false when the stack is full. */
bool filter_push(struct filter *f, const struct drill *d);
/* Pop the newest; false when there was none. */
bool filter_pop(struct filter *f);
/* Clear everything: families, drill-downs and the query. */
void filter_clear(struct filter *f);
void filter_toggle_family(struct filter *f, int family);
/* Show only the next (dir 1) or previous (-1) single family. */
void filter_cycle_family(struct filter *f, int dir);
bool filter_active(const struct filter *f);

/* Does a record pass every part of the filter? */
bool filter_event(const struct filter *f, const struct snapshot *s, const struct snapshot_event *e);
/* Does a syscall (a row of Families, Syscalls, Latency) pass the family and
 * syscall parts, and the query by name? */
bool filter_syscall(const struct filter *f, int nr);
/* Does a file pass (families: the families that touched it)? */
bool filter_file(const struct filter *f, const char *path, uint16_t families);
/* Does a process pass (families: the families it used)? */
bool filter_proc(const struct filter *f, uint32_t pid, const char *comm, uint16_t families);
/* Which pid or comm the drill-downs restrict to: 0 / NULL when none. */
uint32_t filter_pid(const struct filter *f);

/* "[FS Net] Files › pid 4242 › openat" (raw bytes: escape before showing). */
void filter_describe(const struct filter *f, const char *const screen_names[], char *buf,
		     size_t size);

#endif
