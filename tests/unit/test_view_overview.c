/* Unit tests for the Overview screen: its model built from a snapshot made
 * by the real pipeline (stats -> snapshot), laid out and read as text. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/snapshot.h"
#include "tui/text.h"
#include "tui/view_overview.h"

struct fixture {
	struct stats *stats;
	struct stream stream;
	struct snapshot_box box;
	struct pipeline pipe;
	struct filter filter;
	struct view_ctx ctx;
	struct view_overview v;
};

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

static void feed(struct fixture *f, const char *name, uint32_t pid, ior_str comm, ior_str file,
		 int64_t ret)
{
	struct ior_rec r = { .nr = (int16_t)nr_of(name),
			     .pid = pid,
			     .tid = pid,
			     .comm = comm,
			     .file = file,
			     .ret = ret,
			     .bytes = ret > 0 && !strcmp(name, "read") ? ret : 0,
			     .gap_ns = 500,
			     .duration_ns = 1000,
			     .fd = 3 };

	if (ret < 0)
		r.rec_flags = REC_FAILED;
	pipeline_event(&f->pipe, &r);
}

/* make (pid 10): 5 reads of /src/a.c (100 bytes), 2 failed openat of
 * /nope; cc (pid 11, child of 10): 3 reads of a hostile name (10 bytes), 1
 * socket (Net) on socket:[42], 4 mmap (Memory). */
static void setup(struct fixture *f)
{
	static const char *const strs[] = {
		"", "make", "cc", "/src/a.c", "/tmp/\x1b[31mRED\n.txt", "socket:[42]", "/nope"
	};
	struct ior_proc_ev ev = { .kind = PROC_START, .pid = 10, .ppid = 1, .comm = 1 };
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
	for (ior_str i = 1; i < 7; i++)
		pipeline_string(&f->pipe, i, strs[i], strlen(strs[i]));
	pipeline_proc(&f->pipe, &ev);
	ev.pid = 11, ev.ppid = 10, ev.comm = 2;
	pipeline_proc(&f->pipe, &ev);
	for (int i = 0; i < 5; i++)
		feed(f, "read", 10, 1, 3, 100);
	for (int i = 0; i < 2; i++)
		feed(f, "openat", 10, 1, 6, -2);
	for (int i = 0; i < 3; i++)
		feed(f, "read", 11, 2, 4, 10);
	feed(f, "socket", 11, 2, 5, 4);
	for (int i = 0; i < 4; i++)
		feed(f, "mmap", 11, 2, 0, 4096);
	pipeline_lost(&f->pipe, 3);
	snapshot_box_publish(&f->box);
	filter_init(&f->filter);
	f->ctx.snap = snapshot_box_acquire(&f->box);
	f->ctx.filter = &f->filter;
	f->ctx.screen = 0;
	cr_assert_not_null(f->ctx.snap);
	view_overview_init(&f->v);
}

static void teardown(struct fixture *f)
{
	view_overview_fini(&f->v);
	snapshot_box_fini(&f->box);
	stream_fini(&f->stream);
	stats_fini(f->stats);
	free(f->stats);
}

static char *render(struct fixture *f, int h, int w)
{
	view_overview_build(&f->v, &f->ctx);
	view_overview_render(&f->v, &f->ctx, h, w);
	return view_canvas_text(&f->v.canvas, h);
}

Test(view_overview, busiest_first_in_every_panel)
{
	struct fixture f;

	setup(&f);
	view_overview_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.p[OV_SYSCALLS].nrows, 4);
	cr_assert_str_eq(f.v.p[OV_SYSCALLS].row[0].name, "read");
	cr_assert_eq(f.v.p[OV_SYSCALLS].row[0].val[0], 8);
	cr_assert_str_eq(f.v.p[OV_SYSCALLS].row[1].name, "mmap");
	cr_assert_str_eq(f.v.p[OV_SYSCALLS].row[2].name, "openat");
	cr_assert_str_eq(f.v.p[OV_SYSCALLS].row[3].name, "socket");
	cr_assert_str_eq(f.v.p[OV_FILES].row[0].name, "/src/a.c", "most bytes first");
	cr_assert_eq(f.v.p[OV_FILES].row[0].val[0], 500);
	cr_assert_str_eq(f.v.p[OV_PROCS].row[0].name, "cc 11", "8 calls");
	cr_assert_str_eq(f.v.p[OV_PROCS].row[1].name, "make 10", "7 calls");
	cr_assert_eq(f.v.p[OV_PROCS].row[1].val[1], 2, "its errors");
	cr_assert_eq(f.v.p[OV_ERRORS].nrows, 1);
	cr_assert_str_eq(f.v.p[OV_ERRORS].row[0].name, "openat ENOENT");
	cr_assert_eq(f.v.calls, 15);
	cr_assert_eq(f.v.errors, 2);
	cr_assert_eq(f.v.lost, 3);
	cr_assert_eq(f.v.p[OV_FILES].row[0].drill.kind, DRILL_FILE);
	cr_assert_str_eq(f.v.p[OV_FILES].row[0].drill.text, "/src/a.c");
	cr_assert_eq(f.v.p[OV_PROCS].row[0].drill.kind, DRILL_PID);
	cr_assert_eq(f.v.p[OV_PROCS].row[0].drill.value, 11);
	teardown(&f);
}

/* The processes folded together show as "(other processes)", without a
 * pid and with nothing to drill into. */
Test(view_overview, the_other_processes_have_no_pid)
{
	struct fixture f;
	const struct ov_row *other = NULL;

	setup(&f);
	f.stats->procs_max = 2;
	pipeline_proc(&f.pipe, &(struct ior_proc_ev){ .kind = PROC_EXIT, .pid = 11, .tid = 11 });
	feed(&f, "read", 12, 2, 3, 1); /* a third process: cc (11), exited, folds */
	snapshot_box_publish(&f.box);
	f.ctx.snap = snapshot_box_acquire(&f.box);
	view_overview_build(&f.v, &f.ctx);
	for (int i = 0; i < f.v.p[OV_PROCS].nrows; i++)
		if (!strcmp(f.v.p[OV_PROCS].row[i].name, "(other processes)"))
			other = &f.v.p[OV_PROCS].row[i];
	cr_assert_not_null(other, "%s", f.v.p[OV_PROCS].row[0].name);
	cr_assert_eq(other->val[0], 8, "cc's calls");
	cr_assert_not(other->has_drill);
	teardown(&f);
}

Test(view_overview, family_filter_hides_other_families)
{
	struct fixture f;

	setup(&f);
	f.filter.families = 1u << FAMILY_NETWORK;
	view_overview_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.p[OV_SYSCALLS].nrows, 1);
	cr_assert_str_eq(f.v.p[OV_SYSCALLS].row[0].name, "socket");
	cr_assert_eq(f.v.p[OV_FILES].nrows, 1);
	cr_assert_str_eq(f.v.p[OV_FILES].row[0].name, "socket:[42]");
	cr_assert_eq(f.v.p[OV_PROCS].nrows, 1, "make used no Net");
	cr_assert_str_eq(f.v.p[OV_PROCS].row[0].name, "cc 11");
	cr_assert_eq(f.v.p[OV_ERRORS].nrows, 0);
	cr_assert_eq(f.v.calls, 1);
	cr_assert_eq(f.v.errors, 0);
	teardown(&f);
}

Test(view_overview, pid_drill_keeps_the_subtree)
{
	struct fixture f;
	struct drill d = { .kind = DRILL_PID, .value = 11 };

	setup(&f);
	filter_push(&f.filter, &d);
	view_overview_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.p[OV_PROCS].nrows, 1);
	cr_assert_str_eq(f.v.p[OV_PROCS].row[0].name, "cc 11");
	filter_pop(&f.filter);
	d.value = 10;
	filter_push(&f.filter, &d);
	view_overview_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.p[OV_PROCS].nrows, 2, "10 and its child 11");
	teardown(&f);
}

Test(view_overview, hostile_names_drawn_escaped_and_whole_numbers)
{
	struct fixture f;
	char *text;

	setup(&f);
	for (int w = 120; w >= 60; w -= 20) {
		text = render(&f, 22, w);
		cr_assert_null(strchr(text, '\x1b'), "no raw escape at %d columns:\n%s", w, text);
		for (char *l = text; *l;) {
			char *nl = strchr(l, '\n');

			*nl = '\0';
			cr_assert_leq(text_width(l), w, "line fits %d: \"%s\"", w, l);
			l = nl + 1;
		}
		free(text);
	}
	text = render(&f, 22, 120);
	cr_assert_not_null(strstr(text, "\\x1b[31mRED\\n.txt"), "%s", text);
	cr_assert_not_null(strstr(text, "LOST 3 dropped"), "%s", text);
	cr_assert_not_null(strstr(text, "openat ENOENT"), "%s", text);
	cr_assert_not_null(strstr(text, "mean gap 500ns"), "%s", text);
	free(text);
	teardown(&f);
}

Test(view_overview, selection_moves_across_panels_and_drills)
{
	struct fixture f;
	char *text;

	setup(&f);
	text = render(&f, 22, 120);
	free(text);
	cr_assert_eq(f.v.sel_panel, -1, "nothing selected at first");
	cr_assert_eq(view_overview_ops.action(&f.v, &f.ctx, ACT_DOWN, NULL), VIEW_HANDLED);
	cr_assert_eq(f.v.sel_panel, OV_SYSCALLS);
	for (int i = 0; i < 4; i++)
		view_overview_ops.action(&f.v, &f.ctx, ACT_DOWN, NULL);
	cr_assert_eq(f.v.sel_panel, OV_PROCS, "past the last syscall: the processes");
	cr_assert_eq(f.v.sel_row, 0);
	view_overview_ops.action(&f.v, &f.ctx, ACT_RIGHT, NULL);
	cr_assert_eq(f.v.sel_panel, OV_ERRORS);
	{
		struct drill push;

		cr_assert_eq(view_overview_ops.action(&f.v, &f.ctx, ACT_DRILL, &push), VIEW_PUSH);
		cr_assert_eq(push.kind, DRILL_SYSCALL);
		cr_assert_eq(push.value, nr_of("openat"));
		/* A double click on the first file row (line under its title). */
		cr_assert_eq(view_overview_ops.click(&f.v, &f.ctx, f.v.p[OV_FILES].y + 1,
						     f.v.p[OV_FILES].x + 1 + 3, true, &push),
			     VIEW_PUSH);
		cr_assert_eq(push.kind, DRILL_FILE);
		cr_assert_str_eq(push.text, "/src/a.c");
	}
	/* A rebuild keeps the selection on the same row. */
	view_overview_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.sel_panel, OV_FILES);
	cr_assert_str_eq(f.v.p[OV_FILES].row[f.v.sel_row].name, "/src/a.c");
	teardown(&f);
}
