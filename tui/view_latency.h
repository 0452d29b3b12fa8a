/* Screen 7, Latency: the pure parts (the table of syscalls with an "all
 * shown" row over them, the selection's merged histograms, log2 buckets
 * and their layout), for the screen and the tests. UI thread. */
#ifndef IOR_TUI_VIEW_LATENCY_H
#define IOR_TUI_VIEW_LATENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/stats.h"
#include "tui/table.h"
#include "tui/view.h"
#include "tui/view_overview.h"

/* Log2 buckets: [0] counts zero, [k + 1] counts values in [2^k, 2^(k+1)) ns. */
#define LAT_LOG2 65

/* Collapse a log-linear histogram into log2 buckets (every stats bucket
 * lies inside one power of two, so counts move whole). */
void view_latency_log2(const struct stats_hist *h, uint64_t out[LAT_LOG2]);
/* Lower bound, in ns, of log2 bucket k (0 for k = 0). */
uint64_t view_latency_log2_low(int k);

/* What the histograms show: one syscall, or every shown one merged. */
struct view_latency_sel {
	char name[48]; /* "openat", "all shown" */
	int nsys;      /* syscalls merged */
	struct stats_row row;
	struct stats_hist lat, gap;
	uint64_t gap_calls, gap_total_ns;
};

/* Pure: the table's rows for ctx: "all shown" first (id "all"), the shown
 * syscalls under it. */
void view_latency_build(struct table *t, const struct view_ctx *ctx);
/* Pure: the selection behind row r (NULL or "all": every shown syscall). */
void view_latency_select(const struct view_ctx *ctx, const struct table_row *r,
			 struct view_latency_sel *out);
/* Pure: the header line and both histograms of sel in h lines by w columns. */
void view_latency_render(struct view_canvas *c, const struct view_latency_sel *sel, int h, int w);

#endif
