/* Screen 7, Latency: the syscalls passing the filter (calls, percentiles,
 * max, mean gap) with an "all shown" row over them, and for the selected
 * row its latency and gap histograms in log2 buckets. */
#include "tui/view_latency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/syscalls.h"
#include "core/xalloc.h"
#include "tui/fmt.h"
#include "tui/theme.h"
#include "tui/view_util.h"

enum { C_NAME, C_CALLS, C_P50, C_P99, C_MAX, C_MEAN, C_GAP, C_COUNT };

static const struct table_col cols[C_COUNT] = {
	[C_NAME] = { "SYSCALL", 0, false, 0, TEXT_CUT_END, true },
	[C_CALLS] = { "CALLS", 12, true, 0, TEXT_CUT_END, false },
	[C_P50] = { "P50", 8, true, 0, TEXT_CUT_END, false },
	[C_P99] = { "P99", 8, true, 0, TEXT_CUT_END, false },
	[C_MAX] = { "MAX", 8, true, 0, TEXT_CUT_END, false },
	[C_MEAN] = { "MEAN", 8, true, 1, TEXT_CUT_END, false },
	[C_GAP] = { "MEAN GAP", 9, true, 0, TEXT_CUT_END, false },
};

static const int stat_cols[10] = { C_CALLS, -1, -1, C_MEAN, C_P50, C_P99, C_MAX, -1, -1, -1 };

void view_latency_log2(const struct stats_hist *h, uint64_t out[LAT_LOG2])
{
	memset(out, 0, LAT_LOG2 * sizeof(out[0]));
	for (int b = 0; b < STATS_BUCKETS; b++) {
		uint64_t v = stats_bucket_value(b);

		/* The midpoint shares the power of two of the whole bucket. */
		out[v ? 64 - __builtin_clzll(v) : 0] += h->n[b];
	}
}

uint64_t view_latency_log2_low(int k)
{
	return k <= 0 ? 0 : 1ull << (k - 1);
}

static void gap_cell(struct table *t, size_t row, uint64_t calls, uint64_t total_ns)
{
	char buf[FMT_BUF];
	uint64_t mean = calls ? total_ns / calls : 0;

	table_set(t, row, C_GAP, calls ? fmt_duration(buf, sizeof(buf), mean) : "-", (double)mean);
}

void view_latency_build(struct table *t, const struct view_ctx *ctx)
{
	struct view_latency_sel all;
	struct snapshot_row merged = { 0 };
	char buf[32], title[48];
	const char *name;
	const struct snapshot *s = ctx->snap;
	size_t top;

	table_clear(t);
	if (!s)
		return;
	view_latency_select(ctx, NULL, &all);
	merged.row = all.row;
	merged.p50_ns = stats_quantile(&all.lat, all.row.calls, 0.50);
	merged.p99_ns = stats_quantile(&all.lat, all.row.calls, 0.99);
	snprintf(title, sizeof(title), "all shown (%d)", all.nsys);
	top = table_add(t, "all", -1);
	table_set(t, top, C_NAME, title, 0);
	view_stats_cells(t, top, &merged, 0, stat_cols);
	gap_cell(t, top, all.gap_calls, all.gap_total_ns);
	table_row(t, top)->role = THEME_ACCENT;
	for (size_t i = 0; i < s->nsys; i++) {
		const struct snapshot_syscall *sc = &s->sys[i];
		struct table_row *r;
		size_t row;

		if (!sc->r.row.calls || !filter_syscall(ctx->filter, sc->nr))
			continue;
		name = syscall_name(sc->nr, buf, sizeof(buf));
		row = table_add(t, name, (int)top);
		table_set(t, row, C_NAME, name, 0);
		view_stats_cells(t, row, &sc->r, 0, stat_cols);
		gap_cell(t, row, sc->gap_calls, sc->gap_total_ns);
		r = table_row(t, row);
		r->has_drill = true;
		r->drill = (struct drill){ .kind = DRILL_SYSCALL,
					   .value = sc->nr,
					   .screen = ctx->screen };
	}
	table_sort(t);
}

void view_latency_select(const struct view_ctx *ctx, const struct table_row *r,
			 struct view_latency_sel *out)
{
	const struct snapshot *s = ctx->snap;
	bool one = r && r->has_drill && r->drill.kind == DRILL_SYSCALL;
	char buf[32];

	memset(out, 0, sizeof(*out));
	if (one)
		snprintf(out->name, sizeof(out->name), "%s",
			 syscall_name(r->drill.value, buf, sizeof(buf)));
	else
		snprintf(out->name, sizeof(out->name), "all shown");
	for (size_t i = 0; s && i < s->nsys; i++) {
		const struct snapshot_syscall *sc = &s->sys[i];

		if (one ? sc->nr != r->drill.value
			: !sc->r.row.calls || !filter_syscall(ctx->filter, sc->nr))
			continue;
		out->nsys++;
		stats_row_merge(&out->row, &sc->r.row);
		stats_hist_merge(&out->lat, &sc->lat);
		stats_hist_merge(&out->gap, &sc->gap);
		out->gap_calls += sc->gap_calls;
		out->gap_total_ns += sc->gap_total_ns;
	}
}

/* One histogram in h lines by w columns at (y, x): a title, then a line per
 * log2 bucket from the first to the last non-empty one, neighbours merged
 * by powers of two when they do not all fit. */
static void render_hist(struct view_canvas *c, const char *title, const struct stats_hist *h, int y,
			int x, int lines, int w)
{
	uint64_t b[LAT_LOG2], group[LAT_LOG2], max = 0;
	int lo = -1, hi = -1, step = 1, n, label_w = FMT_DURATION_WIDTH + 1, count_w;
	char buf[FMT_BUF], bar[3 * 256 + 1];

	if (lines < 1 || w < 1)
		return;
	view_canvas_fit(c, y, x, w, THEME_ACCENT, title, TEXT_CUT_END, false);
	view_latency_log2(h, b);
	for (int k = 0; k < LAT_LOG2; k++)
		if (b[k]) {
			lo = lo < 0 ? k : lo;
			hi = k;
		}
	if (lo < 0) {
		view_canvas_fit(c, y + 1, x + 2, w - 2, THEME_DIM, "no calls", TEXT_CUT_END, false);
		return;
	}
	lines--;
	while ((hi - lo) / step + 1 > lines && step < LAT_LOG2)
		step *= 2;
	n = (hi - lo) / step + 1;
	for (int g = 0; g < n; g++) {
		group[g] = 0;
		for (int k = lo + g * step; k < lo + (g + 1) * step && k < LAT_LOG2; k++)
			group[g] += b[k];
		if (group[g] > max)
			max = group[g];
	}
	count_w = (int)strlen(fmt_count(buf, sizeof(buf), max));
	for (int g = 0; g < n && g < lines; g++) {
		int k = lo + g * step, line = y + 1 + g;
		int bar_w = w - label_w - 2 - count_w - 1, used;

		view_canvas_fit(c, line, x, label_w - 1, THEME_DIM,
				k ? fmt_duration(buf, sizeof(buf), view_latency_log2_low(k))
				  : "0ns",
				TEXT_CUT_END, true);
		if (bar_w > 256)
			bar_w = 256;
		used = bar_w > 0 ? text_bar(bar, sizeof(bar), (double)group[g] / (double)max, bar_w)
				 : 0;
		if (used)
			view_canvas_fit(c, line, x + label_w + 1, used, THEME_GRAPH, bar,
					TEXT_CUT_END, false);
		view_canvas_fit(c, line, x + label_w + 1 + used + 1, count_w + 1,
				group[g] ? THEME_NORMAL : THEME_DIM,
				fmt_count(buf, sizeof(buf), group[g]), TEXT_CUT_END, false);
	}
}

void view_latency_render(struct view_canvas *c, const struct view_latency_sel *sel, int h, int w)
{
	char line[256], calls[FMT_BUF], p50[FMT_BUF], p99[FMT_BUF], max[FMT_BUF], gap[FMT_BUF];
	uint64_t q50 = stats_quantile(&sel->lat, sel->row.calls, 0.50);
	uint64_t q99 = stats_quantile(&sel->lat, sel->row.calls, 0.99);
	int x, name_w;

	view_canvas_clear(c);
	if (h < 1 || w < 1)
		return;
	/* Bucket midpoints: never report a percentile above the max. */
	q50 = q50 < sel->row.max_ns ? q50 : sel->row.max_ns;
	q99 = q99 < sel->row.max_ns ? q99 : sel->row.max_ns;
	name_w = view_canvas_fit(c, 0, 1, w / 3, THEME_ACCENT, sel->name, TEXT_CUT_END, false);
	x = 1 + name_w + 2;
	snprintf(line, sizeof(line), "%s calls   p50 %s   p99 %s   max %s   mean gap %s",
		 fmt_count(calls, sizeof(calls), sel->row.calls),
		 fmt_duration(p50, sizeof(p50), q50), fmt_duration(p99, sizeof(p99), q99),
		 fmt_duration(max, sizeof(max), sel->row.max_ns),
		 sel->gap_calls ? fmt_duration(gap, sizeof(gap), sel->gap_total_ns / sel->gap_calls)
				: "-");
	view_canvas_fit(c, 0, x, w - x, THEME_NORMAL, line, TEXT_CUT_END, false);
	if (h < 3)
		return;
	if (w >= 70) { /* side by side: the height goes to the buckets */
		int lw = (w - 3) / 2;

		render_hist(c, "LATENCY  log2 buckets", &sel->lat, 2, 1, h - 2, lw - 1);
		render_hist(c, "GAP between calls on a thread", &sel->gap, 2, lw + 3, h - 2,
			    w - lw - 3);
	} else {
		int lh = (h - 2) / 2;

		render_hist(c, "LATENCY  log2 buckets", &sel->lat, 2, 1, lh, w - 1);
		render_hist(c, "GAP between calls on a thread", &sel->gap, 2 + lh, 1, h - 2 - lh,
			    w - 1);
	}
}

/* --- the screen ---------------------------------------------------------- */

struct view_latency {
	struct table t;
	struct view_canvas canvas;
	struct view_latency_sel sel;
};

static void *create(void)
{
	struct view_latency *v = xcalloc(1, sizeof(*v));

	table_init(&v->t, cols, C_COUNT, C_CALLS, true);
	return v;
}

static void destroy(void *state)
{
	struct view_latency *v = state;

	if (!v)
		return;
	table_fini(&v->t);
	view_canvas_fini(&v->canvas);
	free(v);
}

static void build(void *state, const struct view_ctx *ctx)
{
	view_latency_build(&((struct view_latency *)state)->t, ctx);
}

static void draw(void *state, const struct view_ctx *ctx, int y, int x, int h, int w)
{
	struct view_latency *v = state;
	int th = h * 2 / 5;

	if (!ctx->snap) {
		view_draw_message(y, x, h, w, "waiting for the first events...");
		return;
	}
	if (th < 4)
		th = 4;
	if (th > (int)v->t.nrows + 1)
		th = (int)v->t.nrows + 1;
	table_draw(&v->t, y, x, th, w, ctx->search);
	/* The selection may have moved since the build: follow it. */
	view_latency_select(ctx, table_selected(&v->t), &v->sel);
	view_latency_render(&v->canvas, &v->sel, h - th - 1, w);
	view_canvas_draw(&v->canvas, y + th + 1, x);
}

static struct table *table(void *state)
{
	return &((struct view_latency *)state)->t;
}

const struct view_ops view_latency_ops = {
	.name = "Latency",
	.title = "Lat",
	.create = create,
	.destroy = destroy,
	.build = build,
	.draw = draw,
	.table = table,
};
