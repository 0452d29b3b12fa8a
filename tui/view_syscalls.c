/* Screen 3, Syscalls: one flat sortable table; columns drop out on narrow
 * terminals (the wide set has interrupted calls and bytes by class). */
#include <stdio.h>
#include <stdlib.h>

#include "core/syscalls.h"
#include "core/xalloc.h"
#include "tui/fmt.h"
#include "tui/theme.h"
#include "tui/view.h"
#include "tui/view_util.h"

enum {
	C_NAME,
	C_FAMILY,
	C_CALLS,
	C_ERR,
	C_PCT,
	C_MEAN,
	C_P50,
	C_P99,
	C_MAX,
	C_TOTAL,
	C_BYTES,
	C_INTR,
	C_COUNT
};

static const struct table_col cols[C_COUNT] = {
	[C_NAME] = { "SYSCALL", 0, false, 0, TEXT_CUT_END, true },
	[C_FAMILY] = { "FAMILY", 9, false, 3, TEXT_CUT_END, true },
	[C_CALLS] = { "CALLS", 12, true, 0, TEXT_CUT_END, false },
	[C_ERR] = { "ERR", 9, true, 0, TEXT_CUT_END, false },
	[C_PCT] = { "%TIME", 7, true, 0, TEXT_CUT_END, false },
	[C_MEAN] = { "MEAN", 8, true, 0, TEXT_CUT_END, false },
	[C_P50] = { "P50", 8, true, 4, TEXT_CUT_END, false },
	[C_P99] = { "P99", 8, true, 0, TEXT_CUT_END, false },
	[C_MAX] = { "MAX", 8, true, 2, TEXT_CUT_END, false },
	[C_TOTAL] = { "TOTAL", 8, true, 5, TEXT_CUT_END, false },
	[C_BYTES] = { "BYTES", 10, true, 1, TEXT_CUT_END, false },
	[C_INTR] = { "INTR", 7, true, 6, TEXT_CUT_END, false },
};

struct view_syscalls {
	struct table t;
};

static void *create(void)
{
	struct view_syscalls *v = xcalloc(1, sizeof(*v));

	table_init(&v->t, cols, C_COUNT, C_CALLS, true);
	return v;
}

static void destroy(void *state)
{
	struct view_syscalls *v = state;

	table_fini(&v->t);
	free(v);
}

void view_syscalls_build(struct table *t, const struct view_ctx *ctx)
{
	const struct snapshot *s = ctx->snap;
	uint64_t total_ns = 0;
	char name[32];

	table_clear(t);
	if (!s)
		return;
	for (size_t i = 0; i < s->nsys; i++)
		if (filter_syscall(ctx->filter, s->sys[i].nr))
			total_ns += s->sys[i].r.row.total_ns;
	for (size_t i = 0; i < s->nsys; i++) {
		const struct snapshot_syscall *sc = &s->sys[i];
		const struct syscall_info *info = syscall_by_nr(sc->nr);
		struct table_row *r;
		size_t row;

		if (!filter_syscall(ctx->filter, sc->nr))
			continue;
		const char *sname = syscall_name(sc->nr, name, sizeof(name));

		row = table_add(t, sname, -1);
		table_set(t, row, C_NAME, sname, 0);
		table_set(t, row, C_FAMILY, family_name(info ? info->family : FAMILY_MISC), 0);
		view_stats_cells(t, row, &sc->r, total_ns,
				 (const int[]){ C_CALLS, C_ERR, C_PCT, C_MEAN, C_P50, C_P99, C_MAX,
						C_TOTAL, C_BYTES, C_INTR });
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
	view_syscalls_build(&((struct view_syscalls *)state)->t, ctx);
}

static void draw(void *state, const struct view_ctx *ctx, int y, int x, int h, int w)
{
	table_draw(&((struct view_syscalls *)state)->t, y, x, h, w, ctx->search);
}

static struct table *table(void *state)
{
	return &((struct view_syscalls *)state)->t;
}

const struct view_ops view_syscalls_ops = {
	.name = "Syscalls",
	.title = "Sysc",
	.create = create,
	.destroy = destroy,
	.build = build,
	.draw = draw,
	.table = table,
};
