/* Unit tests for the Flame screen's model: the tree from fixture triples,
 * the layout (widths cover the parent exactly, in proportion, narrow frames
 * merged), zoom in and out, order and metric cycling, and the filter. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "core/syscalls.h"
#include "tui/text.h"
#include "tui/view_flame.h"

static void init(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
	text_init();
}

TestSuite(view_flame, .init = init);

struct fixture {
	struct snapshot s;
	char strings[4096];
	struct snapshot_flame fl[64];
	struct filter flt;
	struct view_ctx ctx;
};

static uint32_t str(struct fixture *f, const char *s)
{
	uint32_t off;

	if (!s)
		return 0;
	/* Same text, same offset: as the snapshot's dedup does. */
	for (size_t o = 1; o < f->s.strings_len; o += strlen(f->strings + o) + 1)
		if (!strcmp(f->strings + o, s))
			return (uint32_t)o;
	off = (uint32_t)f->s.strings_len;
	memcpy(f->strings + off, s, strlen(s) + 1);
	f->s.strings_len += strlen(s) + 1;
	return off;
}

static void add(struct fixture *f, const char *comm, const char *sys, const char *file,
		uint64_t calls, uint64_t bytes, uint64_t ns)
{
	struct snapshot_flame *t = &f->fl[f->s.nflame++];

	t->comm = str(f, comm);
	t->file = str(f, file);
	t->nr = syscall_native_nr(syscall_by_name(sys));
	t->calls = calls;
	t->bytes = bytes;
	t->total_ns = ns;
	f->s.flame_total = f->s.nflame;
}

/* cc1 90 calls (read 60, openat 30), make 10 (wait4); sh: 20 tiny frames. */
static void fixture_init(struct fixture *f, bool tiny)
{
	memset(f, 0, sizeof(*f));
	f->s.strings = f->strings;
	f->s.strings_len = 1;
	f->s.flame = f->fl;
	add(f, "cc1", "read", "/a.h", 60, 6000, 100);
	add(f, "cc1", "openat", "/a.h", 20, 0, 800);
	add(f, "cc1", "openat", "/b.h", 10, 0, 50);
	add(f, "make", "wait4", NULL, 10, 0, 9000);
	for (int i = 0; tiny && i < 20; i++) {
		char name[16];

		snprintf(name, sizeof(name), "/t%d", i);
		add(f, "sh", "read", name, 1, 1, 1);
	}
	filter_init(&f->flt);
	f->ctx = (struct view_ctx){ .snap = &f->s, .filter = &f->flt, .search = "" };
}

static const char *name(struct view_flame *v, const struct flame_frame *fr)
{
	const struct flame_node *n = view_flame_node(v, fr->node);

	return n ? n->name : "…";
}

/* Every row's frames under a parent cover it exactly, left to right. */
static void check_cover(const struct flame_frame *fr, size_t n)
{
	for (size_t p = 0; p < n; p++) {
		int x = fr[p].x, kids = 0;

		for (size_t c = 0; c < n; c++)
			if (fr[c].parent == (int)p) {
				cr_assert_eq(fr[c].x, x, "frame %zu starts where its sibling ends",
					     c);
				cr_assert_geq(fr[c].w, 1);
				x += fr[c].w;
				kids++;
			}
		if (kids)
			cr_assert_eq(x, fr[p].x + fr[p].w, "children of %zu cover it", p);
	}
}

Test(view_flame, layout_widths_are_proportional_and_cover_the_width)
{
	struct fixture f;
	struct view_flame *v = view_flame_new();
	const struct flame_frame *fr;
	size_t n;

	fixture_init(&f, false);
	view_flame_build(v, &f.ctx);
	fr = view_flame_layout(v, 100, &n);
	cr_assert_eq(fr[0].node, 0);
	cr_assert_eq(fr[0].w, 100);
	cr_assert_eq(view_flame_node(v, 0)->calls, 100);
	/* Row 1: cc1 90%, make 10%. */
	cr_assert_str_eq(name(v, &fr[1]), "cc1");
	cr_assert_eq(fr[1].w, 90);
	cr_assert_str_eq(name(v, &fr[2]), "make");
	cr_assert_eq(fr[2].w, 10);
	cr_assert_eq(fr[2].x, 90);
	check_cover(fr, n);
	/* Row 2 under cc1: read 60, openat 30. */
	cr_assert_str_eq(name(v, &fr[3]), "read");
	cr_assert_eq(fr[3].w, 60);
	cr_assert_str_eq(name(v, &fr[4]), "openat");
	cr_assert_eq(fr[4].w, 30);
	view_flame_free(v);
}

Test(view_flame, narrow_frames_merge_into_one)
{
	struct fixture f;
	struct view_flame *v = view_flame_new();
	const struct flame_frame *fr;
	size_t n, merged = 0;

	fixture_init(&f, true);
	view_flame_build(v, &f.ctx);
	fr = view_flame_layout(v, 60, &n);
	check_cover(fr, n);
	for (size_t i = 0; i < n; i++) {
		if (fr[i].node < 0)
			merged++;
		else if (i)
			cr_assert_geq(fr[i].w, FLAME_MIN_WIDTH, "%s", name(v, &fr[i]));
	}
	cr_assert_geq(merged, 1);
	/* sh's 20 files of one call each: one "…" frame under sh › read. */
	for (size_t i = 0; i < n; i++)
		if (fr[i].node >= 0 && !strcmp(name(v, &fr[i]), "sh"))
			for (size_t c = 0; c < n; c++)
				if (fr[c].parent == (int)i)
					cr_assert_str_eq(name(v, &fr[c]), "read");
	view_flame_free(v);
}

Test(view_flame, zoom_in_and_out)
{
	struct fixture f;
	struct view_flame *v = view_flame_new();
	const struct flame_frame *fr;
	struct drill push;
	size_t n;

	fixture_init(&f, false);
	view_flame_build(v, &f.ctx);
	view_flame_layout(v, 100, &n);
	cr_assert_eq(view_flame_selected(v), 0);
	view_flame_action(v, &f.ctx, ACT_DOWN, &push);
	cr_assert_str_eq(view_flame_node(v, view_flame_selected(v))->name, "cc1");
	view_flame_action(v, &f.ctx, ACT_RIGHT, &push);
	cr_assert_str_eq(view_flame_node(v, view_flame_selected(v))->name, "make");
	view_flame_action(v, &f.ctx, ACT_LEFT, &push);
	view_flame_action(v, &f.ctx, ACT_DOWN, &push);
	view_flame_action(v, &f.ctx, ACT_RIGHT, &push);
	cr_assert_str_eq(view_flame_node(v, view_flame_selected(v))->name, "openat");
	cr_assert_eq(view_flame_action(v, &f.ctx, ACT_DRILL, &push), VIEW_HANDLED);
	fr = view_flame_layout(v, 100, &n);
	cr_assert_str_eq(name(v, &fr[0]), "openat");
	cr_assert_eq(fr[0].w, 100);
	/* /a.h 20 of 30, /b.h 10 of 30 across the full width. */
	cr_assert_str_eq(name(v, &fr[1]), "/a.h");
	cr_assert_eq(fr[1].w, 66);
	cr_assert_eq(fr[2].w, 34);
	/* The zoom survives a rebuild. */
	view_flame_build(v, &f.ctx);
	cr_assert_str_eq(view_flame_node(v, view_flame_zoom(v))->name, "openat");
	cr_assert_eq(view_flame_action(v, &f.ctx, ACT_BACK, &push), VIEW_HANDLED);
	cr_assert_str_eq(view_flame_node(v, view_flame_zoom(v))->name, "cc1");
	cr_assert_eq(view_flame_action(v, &f.ctx, ACT_BACK, &push), VIEW_HANDLED);
	cr_assert_eq(view_flame_zoom(v), 0);
	cr_assert_eq(view_flame_action(v, &f.ctx, ACT_BACK, &push), VIEW_UNHANDLED,
		     "at the top: the UI pops its filter");
	view_flame_free(v);
}

Test(view_flame, order_cycles)
{
	struct fixture f;
	struct view_flame *v = view_flame_new();
	const struct flame_frame *fr;
	struct drill push;
	size_t n;

	fixture_init(&f, false);
	view_flame_build(v, &f.ctx);
	view_flame_action(v, &f.ctx, ACT_FLAME_ORDER, &push);
	cr_assert_eq(view_flame_order(v), 1);
	fr = view_flame_layout(v, 100, &n);
	cr_assert_eq(view_flame_node(v, fr[1].node)->kind, FLAME_SYSCALL);
	cr_assert_str_eq(name(v, &fr[1]), "read");
	cr_assert_eq(fr[1].w, 60);
	view_flame_action(v, &f.ctx, ACT_FLAME_ORDER, &push);
	fr = view_flame_layout(v, 100, &n);
	cr_assert_eq(view_flame_node(v, fr[1].node)->kind, FLAME_FILE);
	cr_assert_str_eq(name(v, &fr[1]), "/a.h");
	cr_assert_eq(fr[1].w, 80);
	view_flame_action(v, &f.ctx, ACT_FLAME_ORDER, &push);
	cr_assert_eq(view_flame_order(v), 0);
	view_flame_free(v);
}

Test(view_flame, metric_cycles)
{
	struct fixture f;
	struct view_flame *v = view_flame_new();
	const struct flame_frame *fr;
	struct drill push;
	size_t n;
	char label[64];

	fixture_init(&f, false);
	view_flame_build(v, &f.ctx);
	view_flame_action(v, &f.ctx, ACT_FLAME_METRIC, &push);
	cr_assert_eq(view_flame_metric(v), FLAME_BYTES);
	fr = view_flame_layout(v, 100, &n);
	/* Only cc1 read moved bytes: cc1 takes everything, make is gone. */
	cr_assert_str_eq(name(v, &fr[1]), "cc1");
	cr_assert_eq(fr[1].w, 100);
	view_flame_label(v, fr[1].node, label, sizeof(label));
	cr_assert_str_eq(label, "cc1 100%");
	view_flame_action(v, &f.ctx, ACT_FLAME_METRIC, &push);
	cr_assert_eq(view_flame_metric(v), FLAME_TIME);
	fr = view_flame_layout(v, 100, &n);
	/* Time: make 9000 of 9950 ns first. */
	cr_assert_str_eq(name(v, &fr[1]), "make");
	cr_assert_eq(fr[1].w, 90);
	check_cover(fr, n);
	view_flame_action(v, &f.ctx, ACT_FLAME_METRIC, &push);
	cr_assert_eq(view_flame_metric(v), FLAME_CALLS);
	view_flame_free(v);
}

Test(view_flame, filter_applies)
{
	struct fixture f;
	struct view_flame *v = view_flame_new();
	struct drill d = { .kind = DRILL_FILE, .text = "/b.h" };
	const struct flame_frame *fr;
	size_t n;

	fixture_init(&f, false);
	filter_push(&f.flt, &d);
	view_flame_build(v, &f.ctx);
	cr_assert_eq(view_flame_node(v, 0)->calls, 10);
	fr = view_flame_layout(v, 50, &n);
	cr_assert_eq(n, 4, "all, cc1, openat, /b.h");
	cr_assert_str_eq(name(v, &fr[3]), "/b.h");
	filter_init(&f.flt);
	f.flt.families = 1u << FAMILY_PROCESS; /* wait4 */
	view_flame_build(v, &f.ctx);
	cr_assert_eq(view_flame_node(v, 0)->calls, 10);
	fr = view_flame_layout(v, 50, &n);
	cr_assert_str_eq(name(v, &fr[1]), "make");
	view_flame_free(v);
}
