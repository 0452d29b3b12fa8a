/* Screen 2, Families: one row per family with its syscalls folded under
 * it (Enter on a family unfolds it, Enter on a syscall drills in; F5 folds
 * or unfolds all). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/syscalls.h"
#include "core/xalloc.h"
#include "tui/theme.h"
#include "tui/view.h"
#include "tui/view_util.h"

enum { C_NAME, C_CALLS, C_ERR, C_PCT, C_MEAN, C_P50, C_P99, C_MAX, C_BYTES, C_COUNT };

static const struct table_col cols[C_COUNT] = {
	[C_NAME] = { "FAMILY / SYSCALL", 0, false, 0, TEXT_CUT_END, true },
	[C_CALLS] = { "CALLS", 12, true, 0, TEXT_CUT_END, false },
	[C_ERR] = { "ERR", 9, true, 0, TEXT_CUT_END, false },
	[C_PCT] = { "%TIME", 7, true, 0, TEXT_CUT_END, false },
	[C_MEAN] = { "MEAN", 8, true, 0, TEXT_CUT_END, false },
	[C_P50] = { "P50", 8, true, 2, TEXT_CUT_END, false },
	[C_P99] = { "P99", 8, true, 0, TEXT_CUT_END, false },
	[C_MAX] = { "MAX", 8, true, 1, TEXT_CUT_END, false },
	[C_BYTES] = { "BYTES", 10, true, 0, TEXT_CUT_END, false },
};

static const int stat_cols[10] = { C_CALLS, C_ERR, C_PCT, C_MEAN,  C_P50,
				   C_P99,   C_MAX, -1,	  C_BYTES, -1 };

struct view_families {
	struct table t;
	bool open[FAMILY_COUNT]; /* unfolded families */
	bool tree_seen;		 /* the F5 state the folds last followed */
};

static void *create(void)
{
	struct view_families *v = xcalloc(1, sizeof(*v));

	table_init(&v->t, cols, C_COUNT, C_CALLS, true);
	for (int f = 0; f < FAMILY_COUNT; f++)
		v->open[f] = true;
	return v;
}

static void destroy(void *state)
{
	struct view_families *v = state;

	table_fini(&v->t);
	free(v);
}

/* Pure: the rows of the Families table for ctx, folded as open[] says. */
void view_families_build(struct table *t, const bool open[FAMILY_COUNT], const struct view_ctx *ctx)
{
	const struct snapshot *s = ctx->snap;
	int family_row[FAMILY_COUNT];
	uint64_t total_ns = 0;
	char name[32], id[48];

	table_clear(t);
	if (!s)
		return;
	for (size_t i = 0; i < s->nsys; i++)
		if (filter_syscall(ctx->filter, s->sys[i].nr))
			total_ns += s->sys[i].r.row.total_ns;
	for (int f = 0; f < FAMILY_COUNT; f++) {
		struct table_row *r;
		struct drill d = { .kind = DRILL_FAMILY, .value = f, .screen = ctx->screen };
		bool shown = (ctx->filter->families & (1u << f)) && s->family[f].row.calls;

		for (int i = 0; shown && i < ctx->filter->depth; i++)
			if (ctx->filter->stack[i].kind == DRILL_FAMILY &&
			    ctx->filter->stack[i].value != f)
				shown = false;
		family_row[f] = -1;
		if (!shown)
			continue;
		snprintf(id, sizeof(id), "family:%s", family_name(f));
		family_row[f] = (int)table_add(t, id, -1);
		table_set(t, (size_t)family_row[f], C_NAME, family_name(f), 0);
		view_stats_cells(t, (size_t)family_row[f], &s->family[f], total_ns, stat_cols);
		r = table_row(t, (size_t)family_row[f]);
		r->role = THEME_ACCENT;
		r->folded = !open[f];
		r->has_drill = true;
		r->drill = d;
	}
	for (size_t i = 0; i < s->nsys; i++) {
		const struct snapshot_syscall *sc = &s->sys[i];
		const struct syscall_info *info = syscall_by_nr(sc->nr);
		int f = info ? info->family : FAMILY_MISC;
		const char *sname;
		struct table_row *r;
		size_t row;

		if (family_row[f] < 0 || !filter_syscall(ctx->filter, sc->nr))
			continue;
		sname = syscall_name(sc->nr, name, sizeof(name));
		row = table_add(t, sname, family_row[f]);
		table_set(t, row, C_NAME, sname, 0);
		view_stats_cells(t, row, &sc->r, total_ns, stat_cols);
		r = table_row(t, row);
		r->has_drill = true;
		r->drill = (struct drill){ .kind = DRILL_SYSCALL,
					   .value = sc->nr,
					   .screen = ctx->screen };
	}
	table_sort(t);
}

static void build(void *state, const struct view_ctx *ctx)
{
	struct view_families *v = state;

	if (ctx->tree != v->tree_seen) { /* F5: fold all, or unfold all */
		v->tree_seen = ctx->tree;
		for (int f = 0; f < FAMILY_COUNT; f++)
			v->open[f] = !ctx->tree;
	}
	view_families_build(&v->t, v->open, ctx);
}

static void draw(void *state, const struct view_ctx *ctx, int y, int x, int h, int w)
{
	table_draw(&((struct view_families *)state)->t, y, x, h, w, ctx->search);
}

/* Enter or a double click on a family row folds or unfolds it; on a
 * syscall it drills in. */
static enum view_result toggle_or_drill(struct view_families *v, const struct view_ctx *ctx,
					struct drill *push)
{
	const struct table_row *r = table_selected(&v->t);

	if (!r)
		return VIEW_HANDLED;
	if (r->drill.kind == DRILL_FAMILY) {
		v->open[r->drill.value] = !v->open[r->drill.value];
		view_families_build(&v->t, v->open, ctx);
		return VIEW_HANDLED;
	}
	*push = r->drill;
	return VIEW_PUSH;
}

static enum view_result action(void *state, const struct view_ctx *ctx, enum action a,
			       struct drill *push)
{
	struct view_families *v = state;
	const struct table_row *r = table_selected(&v->t);

	if (a == ACT_DRILL)
		return toggle_or_drill(v, ctx, push);
	/* Right/Left unfold/fold the family under the selection, as in a tree. */
	if ((a == ACT_RIGHT || a == ACT_LEFT) && r) {
		int f = r->drill.kind == DRILL_FAMILY ? r->drill.value : -1;

		if (f < 0 && r->parent >= 0)
			f = v->t.rows[r->parent].drill.value;
		if (f >= 0) {
			v->open[f] = a == ACT_RIGHT;
			view_families_build(&v->t, v->open, ctx);
		}
		return VIEW_HANDLED;
	}
	return VIEW_UNHANDLED;
}

static enum view_result click(void *state, const struct view_ctx *ctx, int line, int col,
			      bool double_click, struct drill *push)
{
	struct view_families *v = state;

	(void)col;
	if (line == 0 || !table_click(&v->t, line - 1))
		return VIEW_UNHANDLED;
	return double_click ? toggle_or_drill(v, ctx, push) : VIEW_HANDLED;
}

static struct table *table(void *state)
{
	return &((struct view_families *)state)->t;
}

const struct view_ops view_families_ops = {
	.name = "Families",
	.title = "Fam",
	.create = create,
	.destroy = destroy,
	.build = build,
	.draw = draw,
	.action = action,
	.table = table,
	.click = click,
};
