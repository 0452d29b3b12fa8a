/* Screen 1, Overview: events/s sparkline, totals, and panels of the
 * busiest syscalls, files, processes and errors, every row selectable and
 * drillable. Also the text canvas the Overview and Latency screens lay
 * themselves out into, so that tests can read what a screen shows. */
#include "tui/view_overview.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decode.h"
#include "core/syscalls.h"
#include "core/xalloc.h"
#include "tui/fmt.h"
#include "tui/theme.h"
#include "tui/view_util.h"

/* --- canvas ------------------------------------------------------------- */

static struct view_span *canvas_add(struct view_canvas *c)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n] = (struct view_span){ 0 };
	return &c->v[c->n++];
}

/* Already-safe text (a sparkline) as it is. */
static void canvas_put(struct view_canvas *c, int y, int x, int role, const char *safe)
{
	struct view_span *s = canvas_add(c);

	s->y = y, s->x = x, s->role = role;
	s->text = xstrdup(safe);
}

void view_canvas_clear(struct view_canvas *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].text);
	c->n = 0;
}

void view_canvas_fini(struct view_canvas *c)
{
	view_canvas_clear(c);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

void view_canvas_fill(struct view_canvas *c, int y, int x, int cols, int role)
{
	struct view_span *s;

	if (cols <= 0)
		return;
	s = canvas_add(c);
	s->y = y, s->x = x, s->role = role, s->fill = cols;
}

int view_canvas_fit(struct view_canvas *c, int y, int x, int cols, int role, const char *raw,
		    enum text_cut cut, bool right)
{
	char buf[2048];
	int used;
	struct view_span *s;

	if (cols <= 0)
		return 0;
	used = text_fit(buf, sizeof(buf), raw ? raw : "", cols, cut);
	if (!used)
		return 0;
	s = canvas_add(c);
	s->y = y, s->x = x + (right ? cols - used : 0), s->role = role;
	s->text = xstrdup(buf);
	return used;
}

void view_canvas_draw(const struct view_canvas *c, int y, int x)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct view_span *s = &c->v[i];

		attrset(theme_attr(s->role));
		if (s->text)
			mvaddstr(y + s->y, x + s->x, s->text);
		else
			mvhline(y + s->y, x + s->x, ' ', s->fill);
	}
	attrset(theme_attr(THEME_NORMAL));
}

static int span_cmp(const void *a, const void *b)
{
	const struct view_span *l = *(const struct view_span *const *)a;
	const struct view_span *r = *(const struct view_span *const *)b;

	if (l->y != r->y)
		return l->y < r->y ? -1 : 1;
	if (l->x != r->x)
		return l->x < r->x ? -1 : 1;
	return l < r ? -1 : l > r;
}

char *view_canvas_text(const struct view_canvas *c, int h)
{
	const struct view_span **order = xcalloc(c->n + 1, sizeof(*order));
	size_t len = 0, cap = 256, k = 0;
	char *out = xmalloc(cap);

	for (size_t i = 0; i < c->n; i++)
		order[i] = &c->v[i];
	qsort(order, c->n, sizeof(*order), span_cmp);
	for (int y = 0; y < h; y++) {
		int col = 0;
		size_t line_start = len;

		for (; k < c->n && order[k]->y < y; k++)
			;
		for (; k < c->n && order[k]->y == y; k++) {
			const struct view_span *s = order[k];
			size_t add;

			if (!s->text)
				continue;
			add = strlen(s->text) + (size_t)(s->x > col ? s->x - col : 0) + 2;
			if (len + add >= cap) {
				cap = 2 * (len + add);
				out = xrealloc(out, cap);
			}
			for (; col < s->x; col++)
				out[len++] = ' ';
			memcpy(out + len, s->text, strlen(s->text));
			len += strlen(s->text);
			col += text_width(s->text);
		}
		while (len > line_start && out[len - 1] == ' ')
			len--;
		if (len + 2 >= cap) {
			cap = 2 * cap;
			out = xrealloc(out, cap);
		}
		out[len++] = '\n';
	}
	out[len] = '\0';
	free(order);
	return out;
}

/* --- model --------------------------------------------------------------- */

enum num_kind { NUM_NONE, NUM_COUNT, NUM_BYTES, NUM_PERCENT };

static const struct {
	const char *title, *short_title; /* the short one when narrow */
	enum text_cut cut;
	const char *col[2];
	enum num_kind kind[2];
	const char *empty;
} panel_def[OV_PANELS] = {
	[OV_SYSCALLS] = { "BUSIEST SYSCALLS",
			  "SYSCALLS",
			  TEXT_CUT_END,
			  { "CALLS", "%TIME" },
			  { NUM_COUNT, NUM_PERCENT },
			  "no calls" },
	[OV_PROCS] = { "BUSIEST PROCESSES",
		       "PROCESSES",
		       TEXT_CUT_END,
		       { "CALLS", "ERR" },
		       { NUM_COUNT, NUM_COUNT },
		       "no processes" },
	[OV_FILES] = { "BUSIEST FILES",
		       "FILES",
		       TEXT_CUT_MIDDLE,
		       { "BYTES", "CALLS" },
		       { NUM_BYTES, NUM_COUNT },
		       "no files" },
	[OV_ERRORS] = { "ERRORS",
			"ERRORS",
			TEXT_CUT_END,
			{ "COUNT", NULL },
			{ NUM_COUNT },
			"no errors" },
};

void view_overview_init(struct view_overview *v)
{
	memset(v, 0, sizeof(*v));
	v->sel_panel = -1;
}

static void clear_rows(struct view_overview *v)
{
	for (int p = 0; p < OV_PANELS; p++) {
		for (int i = 0; i < v->p[p].nrows; i++)
			free(v->p[p].row[i].name);
		v->p[p].nrows = 0;
		v->p[p].candidates = 0;
	}
}

void view_overview_fini(struct view_overview *v)
{
	clear_rows(v);
	free(v->sel_name);
	view_canvas_fini(&v->canvas);
}

static struct ov_row *add_row(struct view_overview *v, int panel, const char *name)
{
	struct ov_panel *p = &v->p[panel];
	struct ov_row *r;

	p->candidates++;
	if (p->nrows == OV_ROWS_MAX)
		return NULL;
	r = &p->row[p->nrows++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	return r;
}

/* Indices sorted by a key, heaviest first (ties: the lower index). */
struct by_key {
	size_t i;
	uint64_t key;
};

static int by_key_cmp(const void *a, const void *b)
{
	const struct by_key *l = a, *r = b;

	if (l->key != r->key)
		return l->key > r->key ? -1 : 1;
	return l->i < r->i ? -1 : l->i > r->i;
}

static const struct snapshot_proc *find_proc(const struct snapshot *s, uint32_t pid)
{
	size_t lo = 0, hi = s->nprocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->procs[mid].pid == pid)
			return &s->procs[mid];
		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Is p the drilled pid or one of its descendants (as far as the snapshot
 * knows the tree)? */
static bool in_subtree(const struct snapshot *s, const struct snapshot_proc *p, uint32_t top)
{
	for (int depth = 0; p && depth < 64; depth++) {
		if (p->pid == top)
			return true;
		if (!p->ppid || p->ppid == p->pid)
			return false;
		p = find_proc(s, p->ppid);
	}
	return false;
}

static bool errno_drilled_out(const struct filter *f, int err)
{
	for (int i = 0; i < f->depth; i++)
		if (f->stack[i].kind == DRILL_ERRNO && f->stack[i].value != err)
			return true;
	return false;
}

static void build_syscalls(struct view_overview *v, const struct view_ctx *ctx, uint64_t total_ns)
{
	const struct snapshot *s = ctx->snap;
	struct by_key *k = xcalloc(s->nsys + 1, sizeof(*k));
	size_t n = 0;
	char name[32];

	for (size_t i = 0; i < s->nsys; i++)
		if (s->sys[i].r.row.calls && filter_syscall(ctx->filter, s->sys[i].nr))
			k[n++] = (struct by_key){ i, s->sys[i].r.row.calls };
	qsort(k, n, sizeof(*k), by_key_cmp);
	for (size_t j = 0; j < n; j++) {
		const struct snapshot_syscall *sc = &s->sys[k[j].i];
		struct ov_row *r =
			add_row(v, OV_SYSCALLS, syscall_name(sc->nr, name, sizeof(name)));

		if (!r)
			continue;
		r->val[0] = (double)sc->r.row.calls;
		r->val[1] = total_ns ? (double)sc->r.row.total_ns / (double)total_ns : 0;
		r->has_drill = true;
		r->drill = (struct drill){ .kind = DRILL_SYSCALL,
					   .value = sc->nr,
					   .screen = ctx->screen };
	}
	free(k);
}

static void build_files(struct view_overview *v, const struct view_ctx *ctx)
{
	const struct snapshot *s = ctx->snap;

	/* The snapshot lists them busiest first already: bytes, then calls. */
	for (size_t i = 0; i < s->nfiles; i++) {
		const struct snapshot_file *f = &s->files[i];
		const char *path = snapshot_str(s, f->path);
		struct ov_row *r;

		if (!path || !filter_file(ctx->filter, path, f->families))
			continue;
		r = add_row(v, OV_FILES, path);
		if (!r)
			continue;
		r->val[0] = (double)view_row_bytes(&f->row);
		r->val[1] = (double)f->row.calls;
		if (strlen(path) < sizeof(r->drill.text)) {
			r->has_drill = true;
			r->drill = (struct drill){ .kind = DRILL_FILE, .screen = ctx->screen };
			strcpy(r->drill.text, path);
		}
	}
}

static void build_procs(struct view_overview *v, const struct view_ctx *ctx)
{
	const struct snapshot *s = ctx->snap;
	struct by_key *k = xcalloc(s->nprocs + 1, sizeof(*k));
	uint32_t top = filter_pid(ctx->filter);
	size_t n = 0;
	char name[300];

	for (size_t i = 0; i < s->nprocs; i++) {
		const struct snapshot_proc *p = &s->procs[i];

		if (!p->row.calls ||
		    !filter_proc(ctx->filter, p->pid, snapshot_str(s, p->comm), p->families))
			continue;
		if (top && !in_subtree(s, p, top))
			continue;
		k[n++] = (struct by_key){ i, p->row.calls };
	}
	qsort(k, n, sizeof(*k), by_key_cmp);
	for (size_t j = 0; j < n; j++) {
		const struct snapshot_proc *p = &s->procs[k[j].i];
		const char *comm = snapshot_str(s, p->comm);
		struct ov_row *r;

		if (p->pid == STATS_PROC_OTHER) /* "(other processes)": no pid */
			snprintf(name, sizeof(name), "%.256s", comm ? comm : "?");
		else
			snprintf(name, sizeof(name), "%.256s %u", comm ? comm : "?", p->pid);
		r = add_row(v, OV_PROCS, name);
		if (!r)
			continue;
		r->val[0] = (double)p->row.calls;
		r->val[1] = (double)p->row.errors;
		r->has_drill = p->pid != STATS_PROC_OTHER;
		r->drill = (struct drill){ .kind = DRILL_PID,
					   .value = (int)p->pid,
					   .screen = ctx->screen };
	}
	free(k);
}

static void build_errors(struct view_overview *v, const struct view_ctx *ctx)
{
	const struct snapshot *s = ctx->snap;
	char name[64], sname[32];

	for (size_t i = 0; i < s->nerrors; i++) {
		const struct snapshot_error *e = &s->errors[i];
		const char *ename = e->err ? decode_errno_name(e->err) : NULL;
		struct ov_row *r;

		if (!filter_syscall(ctx->filter, e->nr) || errno_drilled_out(ctx->filter, e->err))
			continue;
		if (ename)
			snprintf(name, sizeof(name), "%s %s", syscall_name(e->nr, sname, 32),
				 ename);
		else if (e->err)
			snprintf(name, sizeof(name), "%s errno %d", syscall_name(e->nr, sname, 32),
				 e->err);
		else
			snprintf(name, sizeof(name), "%s (no errno)",
				 syscall_name(e->nr, sname, 32));
		r = add_row(v, OV_ERRORS, name);
		if (!r)
			continue;
		r->name_role = THEME_ERROR;
		r->val[0] = (double)e->count;
		r->has_drill = true;
		r->drill = (struct drill){ .kind = DRILL_SYSCALL,
					   .value = e->nr,
					   .screen = ctx->screen };
	}
}

/* Put the selection back on the row of the same name, or near where it was. */
static void restore_selection(struct view_overview *v)
{
	struct ov_panel *p;

	if (v->sel_panel < 0)
		return;
	p = &v->p[v->sel_panel];
	for (int i = 0; v->sel_name && i < p->nrows; i++)
		if (!strcmp(p->row[i].name, v->sel_name)) {
			v->sel_row = i;
			return;
		}
	if (v->sel_row >= p->nrows)
		v->sel_row = p->nrows - 1;
	if (v->sel_row < 0) {
		v->sel_panel = -1;
		return;
	}
	free(v->sel_name);
	v->sel_name = xstrdup(p->row[v->sel_row].name);
}

void view_overview_build(struct view_overview *v, const struct view_ctx *ctx)
{
	const struct snapshot *s = ctx->snap;
	uint64_t total_ns = 0;

	clear_rows(v);
	v->have_snap = s != NULL;
	v->calls = v->errors = v->bytes = v->interrupted = v->gap_calls = v->gap_total_ns = 0;
	v->lost = 0;
	if (!s)
		return;
	v->lost = s->lost;
	for (size_t i = 0; i < s->nsys; i++) {
		const struct snapshot_syscall *sc = &s->sys[i];

		if (!filter_syscall(ctx->filter, sc->nr))
			continue;
		v->calls += sc->r.row.calls;
		v->errors += sc->r.row.errors;
		v->interrupted += sc->r.row.interrupted;
		v->bytes += view_row_bytes(&sc->r.row);
		v->gap_calls += sc->gap_calls;
		v->gap_total_ns += sc->gap_total_ns;
		total_ns += sc->r.row.total_ns;
	}
	build_syscalls(v, ctx, total_ns);
	build_files(v, ctx);
	build_procs(v, ctx);
	build_errors(v, ctx);
	restore_selection(v);
}

/* --- layout -------------------------------------------------------------- */

/* A number in at most cols columns: exact when it fits, else SI. */
static const char *fmt_num(char *buf, size_t size, enum num_kind kind, double val, int cols)
{
	switch (kind) {
	case NUM_COUNT:
		fmt_count(buf, size, (uint64_t)val);
		if ((int)strlen(buf) > cols)
			fmt_si(buf, size, (uint64_t)val);
		return buf;
	case NUM_BYTES:
		return val > 0 ? fmt_bytes(buf, size, (uint64_t)val) : "-";
	case NUM_PERCENT:
		return fmt_percent(buf, size, val);
	case NUM_NONE:
		break;
	}
	return "";
}

static int num_width(enum num_kind kind, bool wide)
{
	switch (kind) {
	case NUM_COUNT:
		return wide ? 10 : FMT_SI_WIDTH;
	case NUM_BYTES:
		return FMT_BYTES_WIDTH;
	case NUM_PERCENT:
		return FMT_PERCENT_WIDTH;
	case NUM_NONE:
		break;
	}
	return 0;
}

static void render_panel(struct view_overview *v, int panel, int y, int x, int h, int w, bool wide)
{
	struct ov_panel *p = &v->p[panel];
	int nw[2], name_w = w;
	char buf[FMT_BUF];

	p->y = y, p->x = x, p->h = h, p->w = w, p->shown = 0;
	if (h < 1 || w < 1)
		return;
	for (int c = 0; c < 2; c++) {
		nw[c] = panel_def[panel].col[c] ? num_width(panel_def[panel].kind[c], wide) : 0;
		/* The column title must fit too ("CALLS" over 5 columns). */
		if (nw[c] && nw[c] < (int)strlen(panel_def[panel].col[c]))
			nw[c] = (int)strlen(panel_def[panel].col[c]);
		if (nw[c])
			name_w -= nw[c] + 2;
	}
	view_canvas_fill(&v->canvas, y, x, w, THEME_TABLE_HEADER);
	view_canvas_fit(&v->canvas, y, x, name_w, THEME_TABLE_HEADER,
			name_w < (int)strlen(panel_def[panel].title) ? panel_def[panel].short_title
								     : panel_def[panel].title,
			TEXT_CUT_END, false);
	for (int c = 0, cx = x + name_w; c < 2; c++) {
		if (!nw[c])
			continue;
		view_canvas_fit(&v->canvas, y, cx + 2, nw[c], THEME_TABLE_HEADER,
				panel_def[panel].col[c], TEXT_CUT_END, true);
		cx += nw[c] + 2;
	}
	if (!p->nrows && h > 1)
		view_canvas_fit(&v->canvas, y + 1, x, w, THEME_DIM, panel_def[panel].empty,
				TEXT_CUT_END, false);
	for (int i = 0; i < p->nrows && i < h - 1; i++) {
		const struct ov_row *r = &p->row[i];
		bool sel = v->sel_panel == panel && v->sel_row == i;
		int line = y + 1 + i;

		if (sel)
			view_canvas_fill(&v->canvas, line, x, w, THEME_SELECTED);
		view_canvas_fit(&v->canvas, line, x, name_w, sel ? THEME_SELECTED : r->name_role,
				r->name, panel_def[panel].cut, false);
		for (int c = 0, cx = x + name_w; c < 2; c++) {
			enum num_kind kind = panel_def[panel].kind[c];
			int role = sel ? THEME_SELECTED : THEME_NORMAL;

			if (!nw[c])
				continue;
			if (!sel && (r->val[c] == 0 || kind == NUM_PERCENT))
				role = r->val[c] == 0 ? THEME_DIM : THEME_NORMAL;
			if (!sel && panel == OV_PROCS && c == 1 && r->val[c] > 0)
				role = THEME_ERROR;
			view_canvas_fit(&v->canvas, line, cx + 2, nw[c], role,
					fmt_num(buf, sizeof(buf), kind, r->val[c], nw[c]),
					TEXT_CUT_END, true);
			cx += nw[c] + 2;
		}
		p->shown++;
	}
}

static void render_rate(struct view_overview *v, const struct view_ctx *ctx, int w)
{
	char tail[96], peak[FMT_BUF], now[FMT_BUF], spark[3 * VIEW_RATE_SAMPLES + 1];
	const char *label = "events/s  ";
	int label_w = (int)strlen(label), tail_w, spark_w, n;

	view_canvas_fit(&v->canvas, 0, 0, w, THEME_DIM, label, TEXT_CUT_END, false);
	if (!ctx->nrates) {
		view_canvas_fit(&v->canvas, 0, label_w, w - label_w, THEME_DIM,
				"(one sample a second: none yet)", TEXT_CUT_END, false);
		return;
	}
	snprintf(tail, sizeof(tail), "   peak %s   now %s",
		 fmt_si(peak, sizeof(peak), ctx->peak_rate),
		 fmt_si(now, sizeof(now), ctx->rates[ctx->nrates - 1]));
	tail_w = (int)strlen(tail);
	spark_w = w - label_w - tail_w;
	if (spark_w > VIEW_RATE_SAMPLES)
		spark_w = VIEW_RATE_SAMPLES;
	if (spark_w < 1) {
		view_canvas_fit(&v->canvas, 0, label_w, w - label_w, THEME_NORMAL, tail + 3,
				TEXT_CUT_END, false);
		return;
	}
	n = ctx->nrates < spark_w ? ctx->nrates : spark_w;
	text_spark(spark, sizeof(spark), ctx->rates + ctx->nrates - n, (size_t)n);
	canvas_put(&v->canvas, 0, label_w, THEME_GRAPH, spark);
	view_canvas_fit(&v->canvas, 0, label_w + n, w - label_w - n, THEME_NORMAL, tail,
			TEXT_CUT_END, false);
}

/* "calls 28.1M   errors 12,402   bytes 3.1 GiB   lost 0   interrupted 3
 * mean gap 1.2µs   interrupted 3": items that do not fit are left out from the end. */
static void render_totals(struct view_overview *v, int y, int w)
{
	char val[6][FMT_BUF];
	uint64_t gap = v->gap_calls ? v->gap_total_ns / v->gap_calls : 0;
	struct {
		const char *label, *value;
		int role;
	} item[6] = {
		{ "calls ", fmt_count(val[0], FMT_BUF, v->calls), THEME_NORMAL },
		{ "errors ", fmt_count(val[1], FMT_BUF, v->errors),
		  v->errors ? THEME_ERROR : THEME_NORMAL },
		{ "bytes ", fmt_bytes(val[2], FMT_BUF, v->bytes), THEME_NORMAL },
		{ "lost ", fmt_count(val[3], FMT_BUF, v->lost), THEME_NORMAL },
		{ "mean gap ", v->gap_calls ? fmt_duration(val[5], FMT_BUF, gap) : "-",
		  THEME_NORMAL },
		{ "interrupted ", fmt_count(val[4], FMT_BUF, v->interrupted), THEME_NORMAL },
	};
	int x = 0;

	if (v->lost) { /* a word too, for monochrome */
		item[3].label = "LOST ";
		snprintf(val[3] + strlen(val[3]), FMT_BUF - strlen(val[3]), " dropped");
		item[3].role = THEME_WARNING;
	}
	for (int i = 0; i < 6; i++) {
		int lw = (int)strlen(item[i].label), vw = text_width(item[i].value);

		if (x + lw + vw > w)
			break;
		view_canvas_fit(&v->canvas, y, x, lw,
				item[i].role == THEME_WARNING ? THEME_WARNING : THEME_DIM,
				item[i].label, TEXT_CUT_END, false);
		view_canvas_fit(&v->canvas, y, x + lw, vw, item[i].role, item[i].value,
				TEXT_CUT_END, false);
		x += lw + vw + 3;
	}
}

static int need(const struct view_overview *v, int a, int b)
{
	int n = v->p[a].nrows > v->p[b].nrows ? v->p[a].nrows : v->p[b].nrows;

	return 1 + (n ? n : 1);
}

void view_overview_render(struct view_overview *v, const struct view_ctx *ctx, int h, int w)
{
	int top = 3, avail, gap, top_h, bot_h;

	view_canvas_clear(&v->canvas);
	for (int p = 0; p < OV_PANELS; p++)
		v->p[p].shown = v->p[p].h = 0;
	if (h < 1 || w < 1)
		return;
	render_rate(v, ctx, w);
	if (h > 1)
		render_totals(v, 1, w);
	avail = h - top;
	if (avail < 2)
		return;
	if (w >= 70) { /* two columns: syscalls over processes | files over errors */
		int lw = w >= 120 ? (w - 3) * 2 / 5 : (w - 3) * 2 / 5 - 2, rw = w - lw - 3;
		bool wide = w >= 120;

		gap = avail >= 14 ? 1 : 0;
		top_h = avail - gap - need(v, OV_PROCS, OV_ERRORS);
		if (top_h < (avail - gap) / 2)
			top_h = (avail - gap) / 2;
		if (top_h > need(v, OV_SYSCALLS, OV_FILES))
			top_h = need(v, OV_SYSCALLS, OV_FILES);
		bot_h = avail - gap - top_h;
		render_panel(v, OV_SYSCALLS, top, 0, top_h, lw, wide);
		render_panel(v, OV_FILES, top, lw + 3, top_h, rw, wide);
		render_panel(v, OV_PROCS, top + top_h + gap, 0, bot_h, lw, wide);
		render_panel(v, OV_ERRORS, top + top_h + gap, lw + 3, bot_h, rw, wide);
	} else { /* one column, four panels */
		int each = avail / OV_PANELS;

		for (int p = 0; p < OV_PANELS; p++)
			render_panel(v, p, top + p * each, 0,
				     p == OV_PANELS - 1 ? avail - 3 * each : each, w, false);
	}
}

/* --- the screen ---------------------------------------------------------- */

static void *create(void)
{
	struct view_overview *v = xcalloc(1, sizeof(*v));

	view_overview_init(v);
	return v;
}

static void destroy(void *state)
{
	if (!state)
		return;
	view_overview_fini(state);
	free(state);
}

static void build(void *state, const struct view_ctx *ctx)
{
	view_overview_build(state, ctx);
}

static void draw(void *state, const struct view_ctx *ctx, int y, int x, int h, int w)
{
	struct view_overview *v = state;

	if (!v->have_snap) {
		view_draw_message(y, x, h, w, "waiting for the first events...");
		return;
	}
	/* One column of margin each side, as the tables have. */
	view_overview_render(v, ctx, h, w - 2);
	view_canvas_draw(&v->canvas, y, x + 1);
}

static void select_row(struct view_overview *v, int panel, int row)
{
	v->sel_panel = panel;
	v->sel_row = row;
	free(v->sel_name);
	v->sel_name = panel >= 0 ? xstrdup(v->p[panel].row[row].name) : NULL;
}

/* The first (dir 1) or last (-1) panel with rows on screen from panel on,
 * in reading order (left column, then right); -1 when none. */
static int next_panel(const struct view_overview *v, int panel, int dir)
{
	for (; panel >= 0 && panel < OV_PANELS; panel += dir)
		if (v->p[panel].shown)
			return panel;
	return -1;
}

static void move_selection(struct view_overview *v, enum action a)
{
	int p = v->sel_panel, r = v->sel_row;

	if (p < 0 || r >= v->p[p].shown) { /* nothing selected yet: start at the top */
		p = next_panel(v, 0, 1);
		if (p >= 0)
			select_row(v, p, 0);
		return;
	}
	switch (a) {
	case ACT_DOWN:
		if (r + 1 < v->p[p].shown) {
			r++;
		} else if (next_panel(v, p + 1, 1) >= 0) {
			p = next_panel(v, p + 1, 1);
			r = 0;
		}
		break;
	case ACT_UP:
		if (r > 0) {
			r--;
		} else if (next_panel(v, p - 1, -1) >= 0) {
			p = next_panel(v, p - 1, -1);
			r = v->p[p].shown - 1;
		}
		break;
	case ACT_PAGE_DOWN:
	case ACT_PAGE_UP: {
		int q = next_panel(v, p + (a == ACT_PAGE_DOWN ? 1 : -1),
				   a == ACT_PAGE_DOWN ? 1 : -1);

		if (q >= 0)
			p = q, r = 0;
		break;
	}
	case ACT_LEFT:
	case ACT_RIGHT: { /* the panel beside: syscalls|files, processes|errors */
		int q = p < OV_FILES ? p + 2 : p - 2;

		if ((a == ACT_RIGHT) == (p < OV_FILES) && v->p[q].shown) {
			p = q;
			if (r >= v->p[q].shown)
				r = v->p[q].shown - 1;
		}
		break;
	}
	case ACT_HOME:
		p = next_panel(v, 0, 1), r = 0;
		break;
	case ACT_END:
		p = next_panel(v, OV_PANELS - 1, -1), r = v->p[p].shown - 1;
		break;
	default:
		break;
	}
	select_row(v, p, r);
}

static enum view_result drill(struct view_overview *v, struct drill *push)
{
	const struct ov_row *r;

	if (v->sel_panel < 0 || v->sel_row >= v->p[v->sel_panel].nrows)
		return VIEW_HANDLED;
	r = &v->p[v->sel_panel].row[v->sel_row];
	if (!r->has_drill)
		return VIEW_HANDLED;
	*push = r->drill;
	return VIEW_PUSH;
}

static enum view_result action(void *state, const struct view_ctx *ctx, enum action a,
			       struct drill *push)
{
	struct view_overview *v = state;

	(void)ctx;
	switch (a) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_LEFT:
	case ACT_RIGHT:
	case ACT_HOME:
	case ACT_END:
		move_selection(v, a);
		return VIEW_HANDLED;
	case ACT_DRILL:
	case ACT_STREAM_OF: /* d: the Stream of the selected panel row */
		return drill(v, push) == VIEW_PUSH ? VIEW_PUSH : VIEW_UNHANDLED;
	default:
		return VIEW_UNHANDLED;
	}
}

static enum view_result click(void *state, const struct view_ctx *ctx, int line, int col,
			      bool double_click, struct drill *push)
{
	struct view_overview *v = state;

	(void)ctx;
	col -= 1; /* the margin draw() leaves */
	for (int p = 0; p < OV_PANELS; p++) {
		const struct ov_panel *q = &v->p[p];
		int row = line - q->y - 1;

		if (col < q->x || col >= q->x + q->w || row < 0 || row >= q->shown)
			continue;
		select_row(v, p, row);
		return double_click ? drill(v, push) : VIEW_HANDLED;
	}
	return VIEW_UNHANDLED;
}

const struct view_ops view_overview_ops = {
	.name = "Overview",
	.title = "Over",
	.create = create,
	.destroy = destroy,
	.build = build,
	.draw = draw,
	.action = action,
	.click = click,
};
