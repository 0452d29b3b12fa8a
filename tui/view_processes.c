/* Screen 5, Processes: the traced tree nested by parent, each process with
 * its own totals and its subtree's, its state and exec'd program; F5 a
 * flat list; below, the selected process's descriptors. */
#include "tui/view_processes.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tui/fmt.h"
#include "tui/text.h"
#include "tui/theme.h"
#include "tui/view_files.h"
#include "tui/view_util.h"

static const struct table_col cols[VIEW_PROCESSES_COLS] = {
	[VIEW_PROCESSES_COMM] = { "PROCESS", 20, false, 0, TEXT_CUT_END, true },
	[VIEW_PROCESSES_PID] = { "PID", 7, true, 0, TEXT_CUT_END, false },
	[VIEW_PROCESSES_STATE] = { "STATE", 17, false, 0, TEXT_CUT_END, false },
	[VIEW_PROCESSES_CALLS] = { "CALLS", 9, true, 0, TEXT_CUT_END, false },
	[VIEW_PROCESSES_ERR] = { "ERR", 6, true, 0, TEXT_CUT_END, false },
	[VIEW_PROCESSES_TIME] = { "TIME", 7, true, 5, TEXT_CUT_END, false },
	[VIEW_PROCESSES_BYTES] = { "BYTES", 9, true, 4, TEXT_CUT_END, false },
	[VIEW_PROCESSES_SUB_CALLS] = { "SUB CALLS", 10, true, 2, TEXT_CUT_END, false },
	[VIEW_PROCESSES_SUB_BYTES] = { "SUB BYTES", 10, true, 3, TEXT_CUT_END, false },
	/* The program takes what is left, cut in the middle like any path. */
	[VIEW_PROCESSES_EXE] = { "EXE", 0, false, 0, TEXT_CUT_MIDDLE, true },
};

void view_processes_init(struct view_processes *v)
{
	memset(v, 0, sizeof(*v));
	table_init(&v->t, cols, VIEW_PROCESSES_COLS, VIEW_PROCESSES_PID, false);
	u64map_init(&v->folded, sizeof(bool));
}

void view_processes_fini(struct view_processes *v)
{
	table_fini(&v->t);
	u64map_fini(&v->folded);
}

void view_processes_set_open(struct view_processes *v, uint32_t pid, bool open)
{
	bool *folded = u64map_put(&v->folded, pid, NULL);

	*folded = !open;
}

static bool is_folded(const struct view_processes *v, uint32_t pid)
{
	const bool *folded = u64map_get(&v->folded, pid);

	return folded && *folded;
}

int view_processes_state(const struct snapshot_proc *p, char *buf, size_t size)
{
	int sig = p->exit_code & 0x7f, code = (p->exit_code >> 8) & 0xff;
	const char *abbrev;

	if (!p->exited) {
		snprintf(buf, size, "running");
		return THEME_NORMAL;
	}
	if (p->pid == STATS_PROC_OTHER) { /* "(other processes)": exited, each its own way */
		snprintf(buf, size, "exited");
		return THEME_DIM;
	}
	if (!sig) { /* wait(2) status: WIFEXITED, WEXITSTATUS */
		snprintf(buf, size, "exit %d", code);
		return code ? THEME_ERROR : THEME_DIM;
	}
	abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, size, "killed by SIG%s%s", abbrev,
			 (p->exit_code & 0x80) ? " (core)" : "");
	else
		snprintf(buf, size, "killed by signal %d%s", sig,
			 (p->exit_code & 0x80) ? " (core)" : "");
	return THEME_ERROR;
}

/* The index of the process with pid, or -1 (procs are by pid). */
static long index_of(const struct snapshot *s, uint32_t pid)
{
	size_t lo = 0, hi = s->nprocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->procs[mid].pid == pid)
			return (long)mid;
		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The forest behind the rows. */
struct forest {
	size_t n;
	long *parent;	     /* index, -1 for a root */
	size_t *order;	     /* parents before children, siblings by pid */
	uint64_t *sub_calls; /* the process and all under it */
	uint64_t *sub_bytes;
	bool *pass;  /* passes the filter */
	bool *shown; /* passes, or leads to one that does (tree mode) */
};

static void forest_free(struct forest *fo)
{
	free(fo->parent);
	free(fo->order);
	free(fo->sub_calls);
	free(fo->sub_bytes);
	free(fo->pass);
	free(fo->shown);
}

/* Parents by ppid, with any cycle (a reused pid) cut so that every process
 * reaches a root. */
static void forest_link(struct forest *fo, const struct snapshot *s)
{
	unsigned char *mark = xcalloc(fo->n, 1); /* 0 new, 1 on this walk, 2 done */
	size_t *walk = xcalloc(fo->n, sizeof(*walk));

	for (size_t i = 0; i < fo->n; i++) {
		long p = s->procs[i].ppid != s->procs[i].pid ? index_of(s, s->procs[i].ppid) : -1;

		fo->parent[i] = p;
	}
	for (size_t i = 0; i < fo->n; i++) {
		size_t len = 0;
		long j = (long)i;

		while (j >= 0 && !mark[j]) {
			mark[j] = 1;
			walk[len++] = (size_t)j;
			j = fo->parent[j];
		}
		if (j >= 0 && mark[j] == 1)
			fo->parent[j] = -1;
		while (len)
			mark[walk[--len]] = 2;
	}
	free(mark);
	free(walk);
}

/* order[]: a depth-first walk from the roots. */
static void forest_order(struct forest *fo)
{
	size_t *first = xcalloc(fo->n + 1, sizeof(*first)), *kids = xcalloc(fo->n, sizeof(*kids));
	size_t *fill = xcalloc(fo->n + 1, sizeof(*fill)), *stack = xcalloc(fo->n, sizeof(*stack));
	size_t out = 0, top = 0;

	/* Children of i in slot i + 1, roots in slot 0, each list by pid. */
	for (size_t i = 0; i < fo->n; i++)
		first[fo->parent[i] + 1]++;
	for (size_t i = 0, sum = 0; i <= fo->n; i++) {
		size_t c = first[i];

		first[i] = sum;
		sum += c;
	}
	for (size_t i = 0; i < fo->n; i++) {
		size_t slot = (size_t)(fo->parent[i] + 1);

		kids[first[slot] + fill[slot]++] = i;
	}
	/* Push in reverse so that the lowest pid comes out first. */
	for (size_t k = fill[0]; k-- > 0;)
		stack[top++] = kids[first[0] + k];
	while (top) {
		size_t i = stack[--top];

		fo->order[out++] = i;
		for (size_t k = fill[i + 1]; k-- > 0;)
			stack[top++] = kids[first[i + 1] + k];
	}
	free(first);
	free(kids);
	free(fill);
	free(stack);
}

/* A process that made no call yet has no families: filter_proc would hide
 * it even with no family restriction at all. */
static uint16_t families_of(const struct filter *f, const struct snapshot_proc *p)
{
	if (p->families || f->families != FILTER_ALL_FAMILIES)
		return p->families;
	for (int i = 0; i < f->depth; i++)
		if (f->stack[i].kind == DRILL_FAMILY)
			return p->families;
	return FILTER_ALL_FAMILIES;
}

static void forest_build(struct forest *fo, const struct view_ctx *ctx)
{
	const struct snapshot *s = ctx->snap;
	const struct filter *f = ctx->filter;
	uint32_t drilled[FILTER_DEPTH];
	int ndrilled = 0;
	int *under;

	memset(fo, 0, sizeof(*fo));
	fo->n = s->nprocs;
	fo->parent = xcalloc(fo->n + 1, sizeof(*fo->parent));
	fo->order = xcalloc(fo->n + 1, sizeof(*fo->order));
	fo->sub_calls = xcalloc(fo->n + 1, sizeof(*fo->sub_calls));
	fo->sub_bytes = xcalloc(fo->n + 1, sizeof(*fo->sub_bytes));
	fo->pass = xcalloc(fo->n + 1, sizeof(*fo->pass));
	fo->shown = xcalloc(fo->n + 1, sizeof(*fo->shown));
	under = xcalloc(fo->n + 1, sizeof(*under));
	forest_link(fo, s);
	forest_order(fo);
	for (size_t i = 0; i < fo->n; i++) {
		fo->sub_calls[i] = s->procs[i].row.calls;
		fo->sub_bytes[i] = view_row_bytes(&s->procs[i].row);
	}
	for (size_t k = fo->n; k-- > 0;) {
		size_t i = fo->order[k];

		if (fo->parent[i] >= 0) {
			fo->sub_calls[fo->parent[i]] += fo->sub_calls[i];
			fo->sub_bytes[fo->parent[i]] += fo->sub_bytes[i];
		}
	}
	/* Each distinct drilled pid: the process must be in its subtree. */
	for (int d = 0; d < f->depth; d++) {
		bool seen = false;

		if (f->stack[d].kind != DRILL_PID)
			continue;
		for (int e = 0; e < ndrilled; e++)
			seen |= drilled[e] == (uint32_t)f->stack[d].value;
		if (!seen)
			drilled[ndrilled++] = (uint32_t)f->stack[d].value;
	}
	for (size_t k = 0; k < fo->n; k++) {
		size_t i = fo->order[k];
		const struct snapshot_proc *p = &s->procs[i];

		under[i] = fo->parent[i] >= 0 ? under[fo->parent[i]] : 0;
		for (int e = 0; e < ndrilled; e++)
			under[i] += drilled[e] == p->pid;
		fo->pass[i] = under[i] == ndrilled &&
			      filter_proc(f, p->pid, snapshot_str(s, p->comm), families_of(f, p));
	}
	/* A tree keeps the ancestors of what passes (inside the drilled
	 * subtree) as context. */
	for (size_t k = fo->n; k-- > 0;) {
		size_t i = fo->order[k];

		fo->shown[i] |= fo->pass[i];
		if (fo->shown[i] && fo->parent[i] >= 0 && under[fo->parent[i]] == ndrilled)
			fo->shown[fo->parent[i]] = true;
	}
	free(under);
}

static void count_cell(struct table *t, size_t row, int col, uint64_t n)
{
	char buf[FMT_BUF];
	const char *text = fmt_count(buf, sizeof(buf), n);

	if ((int)strlen(text) > cols[col].width)
		text = fmt_si(buf, sizeof(buf), n);
	table_set(t, row, col, text, (double)n);
	if (!n)
		t->rows[row].cell_role[col] = THEME_DIM;
}

static void bytes_cell(struct table *t, size_t row, int col, uint64_t n)
{
	char buf[FMT_BUF];

	table_set(t, row, col, n ? fmt_bytes(buf, sizeof(buf), n) : "-", (double)n);
	if (!n)
		t->rows[row].cell_role[col] = THEME_DIM;
}

static void proc_cells(struct table *t, size_t row, const struct snapshot *s,
		       const struct snapshot_proc *p, uint64_t sub_calls, uint64_t sub_bytes)
{
	struct table_row *r = table_row(t, row);
	const char *comm = snapshot_str(s, p->comm), *exe = snapshot_str(s, p->exe);
	int sig = p->exit_code & 0x7f;
	char buf[64];
	int role;

	table_set(t, row, VIEW_PROCESSES_COMM, comm ? comm : "?", 0);
	snprintf(buf, sizeof(buf), "%u", p->pid);
	table_set(t, row, VIEW_PROCESSES_PID, p->pid == STATS_PROC_OTHER ? "" : buf, p->pid);
	role = view_processes_state(p, buf, sizeof(buf));
	/* Sorted descending: signals, then failures, then clean exits. */
	table_set(t, row, VIEW_PROCESSES_STATE, buf,
		  !p->exited ? 0
		  : sig	     ? 1000 + sig
			     : 1 + ((p->exit_code >> 8) & 0xff));
	if (role == THEME_ERROR)
		r->cell_role[VIEW_PROCESSES_STATE] = THEME_ERROR;
	if (p->exited)
		r->role = THEME_DIM;
	count_cell(t, row, VIEW_PROCESSES_CALLS, p->row.calls);
	count_cell(t, row, VIEW_PROCESSES_ERR, p->row.errors);
	if (p->row.errors)
		r->cell_role[VIEW_PROCESSES_ERR] = THEME_ERROR;
	table_set(t, row, VIEW_PROCESSES_TIME, fmt_duration(buf, sizeof(buf), p->row.total_ns),
		  (double)p->row.total_ns);
	bytes_cell(t, row, VIEW_PROCESSES_BYTES, view_row_bytes(&p->row));
	count_cell(t, row, VIEW_PROCESSES_SUB_CALLS, sub_calls);
	bytes_cell(t, row, VIEW_PROCESSES_SUB_BYTES, sub_bytes);
	table_set(t, row, VIEW_PROCESSES_EXE, exe ? exe : "-", 0);
	if (!exe)
		r->cell_role[VIEW_PROCESSES_EXE] = THEME_DIM;
}

static void set_title(struct view_processes *v, const struct view_ctx *ctx, const struct forest *fo,
		      bool tree)
{
	const struct snapshot *s = ctx->snap;
	size_t running = 0, failed = 0, passing = 0, apart = 0, len;
	uint32_t pid = filter_pid(ctx->filter);
	char buf[64], n1[FMT_BUF];

	for (size_t i = 0; i < s->nprocs; i++) {
		apart += s->procs[i].pid != STATS_PROC_OTHER;
		running += !s->procs[i].exited;
		failed += view_processes_state(&s->procs[i], buf, sizeof(buf)) == THEME_ERROR;
		passing += fo->pass[i];
	}
	snprintf(v->title, sizeof(v->title), "%zu process%s: %zu running, %zu exited", apart,
		 apart == 1 ? "" : "es", running, apart - running);
	len = strlen(v->title);
	if (failed)
		snprintf(v->title + len, sizeof(v->title) - len, " (%zu failed or killed)", failed);
	len = strlen(v->title);
	if (s->procs_folded)
		snprintf(v->title + len, sizeof(v->title) - len,
			 " \u00b7 %s exited with few calls folded into %s",
			 fmt_count(n1, sizeof(n1), s->procs_folded), STATS_OTHER_PROCS);
	len = strlen(v->title);
	if (pid)
		snprintf(v->title + len, sizeof(v->title) - len, " \u00b7 subtree of pid %u", pid);
	len = strlen(v->title);
	if (passing < s->nprocs)
		snprintf(v->title + len, sizeof(v->title) - len, " \u00b7 %zu pass the filter",
			 passing);
	len = strlen(v->title);
	snprintf(v->title + len, sizeof(v->title) - len, " \u00b7 %s",
		 tree ? "tree (F5: flat list)" : "flat list (F5: tree)");
}

void view_processes_build(struct view_processes *v, const struct view_ctx *ctx)
{
	const struct snapshot *s = ctx->snap;
	bool tree = !ctx->tree; /* a tree unless F5 asks for the list */
	struct forest fo;
	long *row_of;
	char id[16];

	table_clear(&v->t);
	v->title[0] = '\0';
	if (!s)
		return;
	forest_build(&fo, ctx);
	row_of = xcalloc(fo.n + 1, sizeof(*row_of));
	for (size_t k = 0; k < fo.n; k++) {
		size_t i = fo.order[k];
		const struct snapshot_proc *p = &s->procs[i];
		long parent = tree && fo.parent[i] >= 0 ? row_of[fo.parent[i]] : -1;
		struct table_row *r;
		size_t row;

		row_of[i] = -1;
		if (!(tree ? fo.shown[i] : fo.pass[i]))
			continue;
		snprintf(id, sizeof(id), "p%u", p->pid);
		row = table_add(&v->t, id, (int)parent);
		row_of[i] = (long)row;
		proc_cells(&v->t, row, s, p, fo.sub_calls[i], fo.sub_bytes[i]);
		r = table_row(&v->t, row);
		if (!fo.pass[i])
			r->role = THEME_DIM; /* context: an ancestor of what passes */
		r->folded = tree && is_folded(v, p->pid);
		r->has_drill = p->pid != STATS_PROC_OTHER; /* no pid to drill into */
		r->drill = (struct drill){ .kind = DRILL_PID,
					   .value = (int)p->pid,
					   .screen = ctx->screen };
	}
	set_title(v, ctx, &fo, tree);
	table_sort(&v->t);
	free(row_of);
	forest_free(&fo);
}

/* ---- the screen -------------------------------------------------------- */

struct state {
	struct view_processes v;
	struct view_files_fds fds;
};

static void *create(void)
{
	struct state *st = xcalloc(1, sizeof(*st));

	view_processes_init(&st->v);
	return st;
}

static void destroy(void *state)
{
	struct state *st = state;

	if (!st)
		return;
	view_processes_fini(&st->v);
	view_files_fds_fini(&st->fds);
	free(st);
}

static void build(void *state, const struct view_ctx *ctx)
{
	view_processes_build(&((struct state *)state)->v, ctx);
}

static void draw(void *state, const struct view_ctx *ctx, int y, int x, int h, int w)
{
	struct state *st = state;
	char buf[1024];
	int table_h;

	if (!ctx->snap) {
		view_draw_message(y, x, h, w, "no data yet");
		return;
	}
	view_files_fds_layout(&st->fds, ctx->snap, w, view_files_fds_budget(h));
	attrset(theme_attr(THEME_DIM));
	mvhline(y, x, ' ', w);
	text_fit(buf, sizeof(buf), st->v.title, w - 1, TEXT_CUT_END);
	mvaddstr(y, x + 1, buf);
	attrset(theme_attr(THEME_NORMAL));
	st->v.table_line = 1;
	table_h = h - 1 - st->fds.lines;
	if (!st->v.t.nrows) {
		table_draw(&st->v.t, y + 1, x, 1, w, ctx->search);
		view_draw_message(y + 2, x, table_h - 1, w,
				  ctx->snap->nprocs ? "no process passes the filter"
						    : "no process seen yet");
	} else {
		table_draw(&st->v.t, y + 1, x, table_h, w, ctx->search);
	}
	view_files_fds_draw(&st->fds, y + 1 + table_h, x);
}

/* Right unfolds (or steps to the first child), Left folds (or steps out to
 * the parent), as in a file manager's tree. */
static enum view_result fold_key(struct view_processes *v, const struct view_ctx *ctx, bool right)
{
	const struct table_row *r = table_selected(&v->t);

	if (ctx->tree || !r)
		return VIEW_HANDLED;
	if (r->has_children && r->folded == right) {
		view_processes_set_open(v, (uint32_t)r->drill.value, right);
		view_processes_build(v, ctx);
	} else if (right && r->has_children) {
		table_move(&v->t, 1);
	} else if (!right && r->parent >= 0) {
		table_move(&v->t, (long)r->parent - (long)v->t.sel);
	}
	return VIEW_HANDLED;
}

static enum view_result action(void *state, const struct view_ctx *ctx, enum action a,
			       struct drill *push)
{
	(void)push;
	if (a == ACT_LEFT || a == ACT_RIGHT)
		return fold_key(&((struct state *)state)->v, ctx, a == ACT_RIGHT);
	return VIEW_UNHANDLED;
}

static enum view_result click(void *state, const struct view_ctx *ctx, int line, int col,
			      bool double_click, struct drill *push)
{
	struct view_processes *v = &((struct state *)state)->v;
	const struct table_row *r;
	int marker;

	if (line < v->table_line || line > v->table_line + v->t.height)
		return VIEW_HANDLED; /* the title, the descriptors */
	if (line == v->table_line) {
		table_sort_by(&v->t, table_col_at(&v->t, COLS, col));
		view_processes_build(v, ctx);
		return VIEW_HANDLED;
	}
	if (!table_click(&v->t, line - v->table_line - 1))
		return VIEW_HANDLED;
	r = table_selected(&v->t);
	marker = 2 * r->depth;
	if (r->has_children && col >= marker && col < marker + 2) {
		view_processes_set_open(v, (uint32_t)r->drill.value, r->folded);
		view_processes_build(v, ctx);
		return VIEW_HANDLED;
	}
	if (double_click) {
		*push = r->drill;
		return VIEW_PUSH;
	}
	return VIEW_HANDLED;
}

static struct table *table(void *state)
{
	return &((struct state *)state)->v.t;
}

const struct view_ops view_processes_ops = {
	.name = "Processes",
	.title = "Proc",
	.create = create,
	.destroy = destroy,
	.build = build,
	.draw = draw,
	.action = action,
	.table = table,
	.click = click,
};
