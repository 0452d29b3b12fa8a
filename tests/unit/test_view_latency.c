/* Unit tests for the Latency screen: log2 buckets from the log-linear
 * histograms, the table and its "all shown" row, the merged selection and
 * what the histograms show as text. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/snapshot.h"
#include "tui/text.h"
#include "tui/view_latency.h"

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

Test(view_latency, log2_buckets_keep_counts_and_boundaries)
{
	struct stats_hist h = { 0 };
	uint64_t b[LAT_LOG2], sum = 0, n = 0;
	static const uint64_t vals[] = { 0,    1,    2,	   3,	 15,	  16,	      17,
					 1023, 1024, 2047, 2048, 1000000, 1ull << 40, UINT64_MAX };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		h.n[stats_bucket(vals[i])]++;
		n++;
	}
	view_latency_log2(&h, b);
	for (int k = 0; k < LAT_LOG2; k++)
		sum += b[k];
	cr_assert_eq(sum, n, "every count lands in a bucket");
	cr_assert_eq(b[0], 1, "0");
	cr_assert_eq(b[1], 1, "1");
	cr_assert_eq(b[2], 2, "2 and 3 in [2, 4)");
	cr_assert_eq(b[4], 1, "15 in [8, 16)");
	cr_assert_eq(b[5], 2, "16 and 17 in [16, 32)");
	cr_assert_eq(b[10], 1, "1023 in [512, 1024)");
	cr_assert_eq(b[11], 2, "1024 and 2047 in [1024, 2048)");
	cr_assert_eq(b[12], 1, "2048 in [2048, 4096)");
	cr_assert_eq(b[20], 1, "1e6 in [2^19, 2^20)");
	cr_assert_eq(b[41], 1, "2^40");
	cr_assert_eq(b[64], 1, "the top");
	cr_assert_eq(view_latency_log2_low(11), 1024);
	cr_assert_eq(view_latency_log2_low(0), 0);
	/* Every log-linear bucket maps whole: its bounds share a power of two. */
	for (int bk = 16; bk < STATS_BUCKETS - 1; bk++) {
		uint64_t lo = stats_bucket_value(bk) -
			      (stats_bucket_value(bk + 1) - stats_bucket_value(bk)) / 2;
		uint64_t hi = stats_bucket_value(bk + 1) -
			      (stats_bucket_value(bk + 1) - stats_bucket_value(bk)) / 2 - 1;

		if ((bk - 16) % STATS_SUB == STATS_SUB - 1)
			continue; /* the next bucket starts a wider power */
		cr_assert_eq(63 - __builtin_clzll(lo), 63 - __builtin_clzll(hi), "bucket %d", bk);
	}
}

struct fixture {
	struct stats *stats;
	struct stream stream;
	struct snapshot_box box;
	struct pipeline pipe;
	struct filter filter;
	struct view_ctx ctx;
	struct table t;
};

static void feed(struct fixture *f, const char *name, uint64_t duration_ns, uint64_t gap_ns)
{
	struct ior_rec r = { .nr = (int16_t)nr_of(name),
			     .pid = 7,
			     .tid = 7,
			     .comm = 1,
			     .duration_ns = duration_ns,
			     .gap_ns = gap_ns,
			     .fd = 3 };

	pipeline_event(&f->pipe, &r);
}

static const struct table_col cols[7] = {
	{ "SYSCALL", 0, false, 0, TEXT_CUT_END, true },
	{ "CALLS", 12, true, 0, TEXT_CUT_END, false },
	{ "P50", 8, true, 0, TEXT_CUT_END, false },
	{ "P99", 8, true, 0, TEXT_CUT_END, false },
	{ "MAX", 8, true, 0, TEXT_CUT_END, false },
	{ "MEAN", 8, true, 1, TEXT_CUT_END, false },
	{ "MEAN GAP", 9, true, 0, TEXT_CUT_END, false },
};

/* FS: read x4 (1µs), openat x2 (3µs and 100µs); Memory: mmap x3 (2µs). */
static void setup(struct fixture *f)
{
	struct ior_err err = { 0 };

	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
	text_init();
	memset(f, 0, sizeof(*f));
	f->stats = calloc(1, sizeof(*f->stats));
	stats_init(f->stats);
	stream_init(&f->stream, 16);
	cr_assert_eq(snapshot_box_init(&f->box, f->stats, &f->stream, 0, 16, 16, &err), 0);
	pipeline_add(&f->pipe, &stats_sink_ops, f->stats);
	pipeline_add(&f->pipe, &stream_sink_ops, &f->stream);
	pipeline_add(&f->pipe, &snapshot_sink_ops, &f->box);
	pipeline_string(&f->pipe, 1, "cat", 3);
	for (int i = 0; i < 4; i++)
		feed(f, "read", 1000, 2000);
	feed(f, "openat", 3000, 0);
	feed(f, "openat", 100000, 5000);
	for (int i = 0; i < 3; i++)
		feed(f, "mmap", 2000, 10000);
	snapshot_box_publish(&f->box);
	filter_init(&f->filter);
	f->ctx.snap = snapshot_box_acquire(&f->box);
	f->ctx.filter = &f->filter;
	f->ctx.screen = 6;
	table_init(&f->t, cols, 7, 1, true);
}

static void teardown(struct fixture *f)
{
	table_fini(&f->t);
	snapshot_box_fini(&f->box);
	stream_fini(&f->stream);
	stats_fini(f->stats);
	free(f->stats);
}

Test(view_latency, table_has_all_shown_first_and_follows_the_filter)
{
	struct fixture f;

	setup(&f);
	view_latency_build(&f.t, &f.ctx);
	cr_assert_eq(f.t.nrows, 4);
	cr_assert_str_eq(f.t.rows[0].id, "all");
	cr_assert_str_eq(f.t.rows[0].cell[0], "all shown (3)");
	cr_assert_str_eq(f.t.rows[0].cell[1], "9");
	cr_assert_str_eq(f.t.rows[1].cell[0], "read", "busiest first under it");
	f.filter.families = 1u << FAMILY_FS;
	view_latency_build(&f.t, &f.ctx);
	cr_assert_eq(f.t.nrows, 3, "mmap (Memory) hidden");
	cr_assert_str_eq(f.t.rows[0].cell[0], "all shown (2)");
	cr_assert_str_eq(f.t.rows[0].cell[1], "6");
	for (size_t i = 1; i < f.t.nrows; i++)
		cr_assert_str_neq(f.t.rows[i].cell[0], "mmap");
	teardown(&f);
}

Test(view_latency, merged_family_histogram_is_the_sum)
{
	struct fixture f;
	struct view_latency_sel all, one;
	const struct snapshot *s;

	setup(&f);
	s = f.ctx.snap;
	f.filter.families = 1u << FAMILY_FS;
	view_latency_build(&f.t, &f.ctx);
	view_latency_select(&f.ctx, &f.t.rows[0], &all);
	cr_assert_eq(all.nsys, 2);
	cr_assert_eq(all.row.calls, 6);
	cr_assert_eq(all.row.max_ns, 100000);
	cr_assert_eq(all.gap_calls, 5, "the first openat had no gap");
	for (int b = 0; b < STATS_BUCKETS; b++) {
		uint32_t sum = 0;

		for (size_t i = 0; i < s->nsys; i++)
			if (s->sys[i].nr == nr_of("read") || s->sys[i].nr == nr_of("openat"))
				sum += s->sys[i].lat.n[b];
		cr_assert_eq(all.lat.n[b], sum, "bucket %d", b);
	}
	view_latency_select(&f.ctx, &f.t.rows[1], &one);
	cr_assert_str_eq(one.name, "read");
	cr_assert_eq(one.row.calls, 4);
	teardown(&f);
}

Test(view_latency, histogram_text)
{
	struct fixture f;
	struct view_latency_sel sel;
	struct view_canvas c = { 0 };
	char *text;

	setup(&f);
	view_latency_build(&f.t, &f.ctx);
	view_latency_select(&f.ctx, &f.t.rows[0], &sel);
	view_latency_render(&c, &sel, 20, 120);
	text = view_canvas_text(&c, 20);
	cr_assert_not_null(strstr(text, "all shown  9 calls   p50 "), "%s", text);
	cr_assert_not_null(strstr(text, "max 100µs"), "%s", text);
	/* 1000 ns in [512, 1024), 2000 and 3000 in [1024, 4096), 100 µs alone. */
	cr_assert_not_null(strstr(text, "  512ns  ████████████████"), "%s", text);
	cr_assert_not_null(strstr(text, " 4 \n") || strstr(text, " 4  "), "%s", text);
	cr_assert_not_null(strstr(text, "65.5µs  "), "%s", text);
	cr_assert_not_null(strstr(text, "GAP between calls on a thread"), "%s", text);
	free(text);
	/* Too few lines: neighbours merge, counts kept. */
	view_latency_render(&c, &sel, 4, 60);
	text = view_canvas_text(&c, 4);
	cr_assert_not_null(strstr(text, " 9"), "all 9 calls in the merged buckets:\n%s", text);
	free(text);
	view_canvas_fini(&c);
	teardown(&f);
}
