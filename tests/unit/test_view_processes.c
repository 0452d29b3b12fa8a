/* Unit tests for the Processes screen: the tree by ppid with subtree
 * roll-ups, filters and drill-downs, exit states, and what it draws. */
#include <criterion/criterion.h>
#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/text.h"
#include "tui/theme.h"
#include "tui/view_processes.h"

static void utf8_locale(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "the C.UTF-8 locale");
	text_init();
}

TestSuite(view_processes, .init = utf8_locale);

struct fixture {
	struct snapshot s;
	char strings[4096];
	struct snapshot_proc procs[16];
	struct filter filter;
	struct view_ctx ctx;
	struct view_processes v;
};

static void setup(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->s.strings = f->strings;
	f->s.strings_len = 1;
	f->s.procs = f->procs;
	filter_init(&f->filter);
	f->ctx.snap = &f->s;
	f->ctx.filter = &f->filter;
	f->ctx.screen = 4;
	f->ctx.search = "";
	view_processes_init(&f->v);
}

static void teardown(struct fixture *f)
{
	view_processes_fini(&f->v);
}

static uint32_t str(struct fixture *f, const char *text)
{
	uint32_t off = (uint32_t)f->s.strings_len;
	size_t len = strlen(text) + 1;

	cr_assert_lt(off + len, sizeof(f->strings));
	memcpy(f->strings + off, text, len);
	f->s.strings_len += len;
	return off;
}

/* Add in pid order, as snapshots hold them. */
static struct snapshot_proc *proc(struct fixture *f, uint32_t pid, uint32_t ppid, const char *comm,
				  uint64_t calls)
{
	struct snapshot_proc *p = &f->procs[f->s.nprocs++];

	p->pid = pid;
	p->ppid = ppid;
	p->comm = str(f, comm);
	p->families = STATS_FAMILY_BIT(FAMILY_FS);
	p->row.calls = calls;
	p->row.bytes[BYTES_READ] = calls * 10;
	return p;
}

static const struct table_row *row(struct fixture *f, uint32_t pid)
{
	char id[16];

	snprintf(id, sizeof(id), "p%u", pid);
	for (size_t i = 0; i < f->v.t.nrows; i++)
		if (!strcmp(f->v.t.rows[i].id, id))
			return &f->v.t.rows[i];
	return NULL;
}

static double key(struct fixture *f, uint32_t pid, int col)
{
	const struct table_row *r = row(f, pid);

	cr_assert_not_null(r, "row of pid %u", pid);
	return r->key[col];
}

/* 1 ─┬─ 2 ── 3
 *    └─ 4
 * 9 (its parent 77 is not traced) */
static void family_tree(struct fixture *f)
{
	proc(f, 1, 0, "make", 10);
	proc(f, 2, 1, "sh", 20);
	proc(f, 3, 2, "cc", 30);
	proc(f, 4, 1, "ld", 40);
	proc(f, 9, 77, "orphan", 5);
}

Test(view_processes, tree_rolls_up_subtrees)
{
	struct fixture f;

	setup(&f);
	family_tree(&f);
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 5);
	cr_assert_eq(key(&f, 1, VIEW_PROCESSES_SUB_CALLS), 100);
	cr_assert_eq(key(&f, 1, VIEW_PROCESSES_CALLS), 10);
	cr_assert_eq(key(&f, 2, VIEW_PROCESSES_SUB_CALLS), 50);
	cr_assert_eq(key(&f, 3, VIEW_PROCESSES_SUB_CALLS), 30);
	cr_assert_eq(key(&f, 1, VIEW_PROCESSES_SUB_BYTES), 1000);
	cr_assert_eq(row(&f, 1)->depth, 0);
	cr_assert_eq(row(&f, 3)->depth, 2);
	cr_assert_eq(row(&f, 9)->depth, 0, "a parent out of the list makes a root");
	cr_assert_str_eq(f.v.t.rows[row(&f, 3)->parent].id, "p2");
	cr_assert_eq(row(&f, 2)->drill.kind, DRILL_PID);
	cr_assert_eq(row(&f, 2)->drill.value, 2);
	teardown(&f);
}

Test(view_processes, f5_makes_a_flat_sortable_list)
{
	struct fixture f;

	setup(&f);
	family_tree(&f);
	f.ctx.tree = true;
	f.v.t.sort_col = VIEW_PROCESSES_CALLS;
	f.v.t.sort_desc = true;
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 5);
	for (size_t i = 0; i < f.v.t.nrows; i++)
		cr_assert_eq(f.v.t.rows[i].parent, -1);
	cr_assert_str_eq(f.v.t.rows[0].id, "p4", "most calls first");
	cr_assert_eq(key(&f, 1, VIEW_PROCESSES_SUB_CALLS), 100, "subtree totals stay");
	cr_assert(strstr(f.v.title, "flat list"));
	teardown(&f);
}

Test(view_processes, folding_hides_children)
{
	struct fixture f;

	setup(&f);
	family_tree(&f);
	view_processes_set_open(&f.v, 2, false);
	view_processes_build(&f.v, &f.ctx);
	cr_assert(row(&f, 2)->folded);
	cr_assert_null(row(&f, 3));
	view_processes_set_open(&f.v, 2, true);
	view_processes_build(&f.v, &f.ctx);
	cr_assert_not_null(row(&f, 3));
	teardown(&f);
}

Test(view_processes, a_ppid_cycle_loses_no_process)
{
	struct fixture f;

	setup(&f);
	proc(&f, 5, 6, "a", 1);
	proc(&f, 6, 5, "b", 1);
	proc(&f, 7, 7, "self", 1);
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 3);
	teardown(&f);
}

Test(view_processes, pid_drill_shows_the_process_and_its_subtree)
{
	struct fixture f;
	struct drill d = { .kind = DRILL_PID, .value = 2 };

	setup(&f);
	family_tree(&f);
	filter_push(&f.filter, &d);
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 2);
	cr_assert_eq(row(&f, 2)->parent, -1, "the drilled process is the root");
	cr_assert_not_null(row(&f, 3));
	cr_assert(strstr(f.v.title, "subtree of pid 2"), "%s", f.v.title);
	teardown(&f);
}

Test(view_processes, family_filter_keeps_ancestors_as_context)
{
	struct fixture f;

	setup(&f);
	family_tree(&f);
	f.procs[3].families = STATS_FAMILY_BIT(FAMILY_NETWORK); /* ld, pid 4 */
	f.procs[0].families = STATS_FAMILY_BIT(FAMILY_PROCESS); /* make, pid 1 */
	f.filter.families = STATS_FAMILY_BIT(FAMILY_NETWORK);
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 2, "ld and its parent");
	cr_assert_eq(row(&f, 1)->role, THEME_DIM, "make only leads to ld");
	cr_assert_neq(row(&f, 4)->role, THEME_DIM);
	f.ctx.tree = true;
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 1, "a flat list needs no context");
	teardown(&f);
}

Test(view_processes, a_process_without_calls_shows_without_a_family_filter)
{
	struct fixture f;

	setup(&f);
	proc(&f, 3, 1, "fresh", 0)->families = 0;
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 1);
	f.filter.families = STATS_FAMILY_BIT(FAMILY_FS);
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 0);
	teardown(&f);
}

Test(view_processes, exit_states)
{
	struct snapshot_proc p = { .pid = 1 };
	char buf[64];

	cr_assert_eq(view_processes_state(&p, buf, sizeof(buf)), THEME_NORMAL);
	cr_assert_str_eq(buf, "running");
	p.exited = true;
	p.exit_code = 0;
	cr_assert_eq(view_processes_state(&p, buf, sizeof(buf)), THEME_DIM);
	cr_assert_str_eq(buf, "exit 0");
	p.exit_code = 2 << 8;
	cr_assert_eq(view_processes_state(&p, buf, sizeof(buf)), THEME_ERROR);
	cr_assert_str_eq(buf, "exit 2");
	p.exit_code = SIGKILL;
	cr_assert_eq(view_processes_state(&p, buf, sizeof(buf)), THEME_ERROR);
	cr_assert_str_eq(buf, "killed by SIGKILL");
	p.exit_code = 0x80 | SIGSEGV;
	cr_assert_eq(view_processes_state(&p, buf, sizeof(buf)), THEME_ERROR);
	cr_assert_str_eq(buf, "killed by SIGSEGV (core)");
}

Test(view_processes, exit_states_colour_their_rows)
{
	struct fixture f;

	setup(&f);
	proc(&f, 1, 0, "ok", 1)->exited = true;
	proc(&f, 2, 0, "bad", 1)->exited = true;
	f.procs[1].exit_code = 1 << 8;
	proc(&f, 3, 0, "live", 1);
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(row(&f, 1)->role, THEME_DIM);
	cr_assert_eq(row(&f, 1)->cell_role[VIEW_PROCESSES_STATE], 0);
	cr_assert_eq(row(&f, 2)->cell_role[VIEW_PROCESSES_STATE], THEME_ERROR);
	cr_assert_str_eq(row(&f, 2)->cell[VIEW_PROCESSES_STATE], "exit 1");
	cr_assert_eq(row(&f, 3)->role, THEME_NORMAL);
	cr_assert(strstr(f.v.title, "3 processes: 1 running, 2 exited (1 failed or killed)"), "%s",
		  f.v.title);
	teardown(&f);
}

Test(view_processes, hostile_comm_and_exe_are_drawn_escaped)
{
	struct fixture f;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	void *state = view_processes_ops.create();
	SCREEN *scr;
	char line[1024];
	wchar_t w[1024];

	setup(&f);
	proc(&f, 1, 0, "a\x1b[2Jb", 1)->exe = str(&f, "/bin/\n\xff");
	setenv("TERM", "xterm-256color", 1);
	scr = newterm("xterm-256color", out, in);
	cr_assert_not_null(scr);
	resizeterm(10, 120);
	view_processes_ops.build(state, &f.ctx);
	view_processes_ops.draw(state, &f.ctx, 0, 0, 10, 120);
	mvinnwstr(2, 0, w, 120);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	view_processes_ops.destroy(state);
	cr_assert_neq(wcstombs(line, w, sizeof(line)), (size_t)-1);
	for (const char *c = line; *c; c++)
		cr_assert((unsigned char)*c >= 0x20, "raw byte 0x%02x", *c);
	cr_assert(strstr(line, "a\\x1b[2Jb"), "%s", line);
	cr_assert(strstr(line, "/bin/\\n\\xff"), "%s", line);
	teardown(&f);
}

/* The processes folded together: one exited row named "(other
 * processes)", with no pid and nothing to drill into, not counted among
 * the processes in the title, which gives how many were folded. */
Test(view_processes, the_other_processes_row)
{
	struct fixture f;
	const struct table_row *r;

	setup(&f);
	proc(&f, 1, 0, "make", 10);
	proc(&f, 2, 1, "cc", 20)->exited = true;
	proc(&f, STATS_PROC_OTHER, 0, STATS_OTHER_PROCS, 300)->exited = true;
	f.s.procs_folded = 1234;
	view_processes_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 3);
	r = row(&f, STATS_PROC_OTHER);
	cr_assert_not_null(r);
	cr_assert_str_eq(r->cell[VIEW_PROCESSES_COMM], "(other processes)");
	cr_assert_str_eq(r->cell[VIEW_PROCESSES_PID], "", "no pid, not 4294967295");
	cr_assert_str_eq(r->cell[VIEW_PROCESSES_STATE], "exited");
	cr_assert_eq(r->depth, 0);
	cr_assert_not(r->has_drill);
	cr_assert_eq(r->role, THEME_DIM);
	cr_assert(strstr(f.v.title, "2 processes: 1 running, 1 exited \u00b7 1,234 exited with "
				    "few calls folded into (other processes)"),
		  "%s", f.v.title);
	teardown(&f);
}
