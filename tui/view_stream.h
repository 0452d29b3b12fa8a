/* Screen 6, Stream: the records one per line, newest at the bottom, with
 * their arguments decoded. The model is pure (no curses) so the tests can
 * build it from fixture snapshots. UI thread. */
#ifndef IOR_TUI_VIEW_STREAM_H
#define IOR_TUI_VIEW_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/snapshot.h"
#include "tui/view.h"

/* Records per page read back from the session. */
#define STREAM_PAGE 512

/* The cells of one line as drawn: safe text (escaped, fitted). */
struct stream_cells {
	char time[32], pid[32], comm[80], syscall[80], args[2048], result[64], dur[32], gap[32];
	int result_role; /* THEME_NORMAL, THEME_ERROR (failed), THEME_WARNING (interrupted),
			  * THEME_DIM (never returned) */
};

struct view_stream;

struct view_stream *view_stream_new(void);
void view_stream_free(struct view_stream *v);
/* Rebuild from ctx: while following the tail the records are copied from
 * the snapshot's ring; once the user has scrolled up they are held (and
 * extended from the session) until End/G. Then the filter applies. */
void view_stream_build(struct view_stream *v, const struct view_ctx *ctx);
/* Lines that pass the filter, oldest first; the selected one. */
size_t view_stream_count(const struct view_stream *v);
size_t view_stream_selected(const struct view_stream *v);
bool view_stream_following(const struct view_stream *v);
/* Line i's record (its strings through view_stream_strings). */
const struct snapshot_event *view_stream_event(const struct view_stream *v, size_t i, uint64_t *id);
const struct snapshot *view_stream_strings(const struct view_stream *v);
/* Line i's cells, ARGS fitted in args_cols columns after skipping skip
 * columns (horizontal scroll). */
void view_stream_cells(const struct view_stream *v, size_t i, int args_cols, int skip,
		       struct stream_cells *out);
/* The keys the screen handles (moves, End/G, Left/Right, Enter, n/N). */
enum view_result view_stream_action(struct view_stream *v, const struct view_ctx *ctx,
				    enum action a, struct drill *push);

/* The ARGS of a record, escaped and fitted to cols columns after skipping
 * skip: "3 → /p  200 B", "/p O_RDONLY", "old:/a -> new:/b", "4 ADD 5
 * EPOLLIN", "sleep 100ms"... Paths are cut in the middle. Returns the
 * display width. */
int view_stream_args(char *out, size_t size, const struct snapshot *s,
		     const struct snapshot_event *e, int cols, int skip);
/* The RESULT: "= 3", "ENOENT", "ERESTARTSYS?" (interrupted), "no return";
 * *role as in struct stream_cells. */
const char *view_stream_result(char *buf, size_t size, const struct ior_rec *r, int *role);

#endif
