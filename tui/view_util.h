/* Helpers the screens share: statistics rows into table cells. UI thread. */
#ifndef IOR_TUI_VIEW_UTIL_H
#define IOR_TUI_VIEW_UTIL_H

#include "core/snapshot.h"
#include "tui/table.h"
#include "tui/view.h"

/* Fill the cells of a statistics row: col[] names the table columns for
 * calls, errors, %time (of total_ns), mean, p50, p99, max, total time,
 * bytes and interrupted calls, in that order; -1 skips one. Zero values
 * show as "-" in the dim colour... (errors > 0 in the error colour). */
void view_stats_cells(struct table *t, size_t row, const struct snapshot_row *r, uint64_t total_ns,
		      const int col[10]);
/* Bytes of a row over every class. */
uint64_t view_row_bytes(const struct stats_row *row);
/* A drawing glyph: utf8 on UTF-8 terminals, ascii otherwise (text_init). */
const char *view_glyph(const char *utf8, const char *ascii);
/* A horizontal line of n cells at (y, x) in the current attributes. */
void view_hline(int y, int x, int n);
/* Draw a one-line message centred in the body (no data yet, too small...). */
void view_draw_message(int y, int x, int h, int w, const char *msg);
/* Prototype of each screen's pure builder, for the tests. */
void view_syscalls_build(struct table *t, const struct view_ctx *ctx);
void view_families_build(struct table *t, const bool open[FAMILY_COUNT],
			 const struct view_ctx *ctx);

#endif
