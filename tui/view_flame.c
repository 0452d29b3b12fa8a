/* Screen 8, Flame: an icicle graph from the top of comm → syscall → path
 * (order cycled by o, metric calls/bytes/time by M), built from the
 * snapshot's heaviest triples; Enter zooms into a frame, Backspace out. */
#include "tui/view_flame.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/syscalls.h"
#include "core/xalloc.h"
#include "tui/fmt.h"
#include "tui/text.h"
#include "tui/theme.h"
#include "tui/view_util.h"

static const int orders[FLAME_ORDER_COUNT][FLAME_LEVELS] = {
	{ FLAME_COMM, FLAME_SYSCALL, FLAME_FILE },
	{ FLAME_SYSCALL, FLAME_COMM, FLAME_FILE },
	{ FLAME_FILE, FLAME_SYSCALL, FLAME_COMM },
};
static const char *const kind_names[] = { "comm", "syscall", "path" };
static const char *const metric_names[] = { "calls", "bytes", "time" };

/* A frame's identity across rebuilds: its keys from the root. */
struct flame_id {
	int depth;
	int nr[FLAME_LEVELS];
	char *name[FLAME_LEVELS];
};

struct triple {
	const struct snapshot_flame *f;
	uint64_t key[FLAME_LEVELS]; /* per level: string offset or syscall number */
};

struct view_flame {
	struct flame_node *nodes;
	size_t n, cap;
	struct flame_frame *frames;
	size_t nframes, frames_cap;
	int order, metric;
	int zoom, sel;
	struct flame_id zoom_id, sel_id;
	int width;		     /* of the last layout */
	size_t shown, total;	     /* triples in the snapshot, and known to the source */
	bool pid_ignored;	     /* a pid drill the triples cannot honour */
	const struct snapshot *snap; /* while building only */
};

struct view_flame *view_flame_new(void)
{
	struct view_flame *v = xcalloc(1, sizeof(*v));

	v->width = 80;
	v->zoom = v->sel = 0;
	return v;
}

static void id_clear(struct flame_id *id)
{
	for (int i = 0; i < FLAME_LEVELS; i++) {
		free(id->name[i]);
		id->name[i] = NULL;
	}
	id->depth = 0;
}

static void free_nodes(struct view_flame *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->nodes[i].name);
	v->n = 0;
}

void view_flame_free(struct view_flame *v)
{
	if (!v)
		return;
	free_nodes(v);
	free(v->nodes);
	free(v->frames);
	id_clear(&v->zoom_id);
	id_clear(&v->sel_id);
	free(v);
}

uint64_t view_flame_value(const struct view_flame *v, const struct flame_node *n)
{
	switch (v->metric) {
	case FLAME_BYTES:
		return n->bytes;
	case FLAME_TIME:
		return n->total_ns;
	default:
		return n->calls;
	}
}

static int add_node(struct view_flame *v)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->nodes = xrealloc(v->nodes, v->cap * sizeof(*v->nodes));
	}
	memset(&v->nodes[v->n], 0, sizeof(v->nodes[0]));
	v->nodes[v->n].parent = -1;
	return (int)v->n++;
}

static uint64_t key_of(const struct snapshot_flame *f, int kind)
{
	return kind == FLAME_COMM      ? f->comm
	       : kind == FLAME_SYSCALL ? (uint64_t)(uint32_t)f->nr
				       : f->file;
}

static int cmp_triple(const void *a, const void *b)
{
	const struct triple *x = a, *y = b;

	for (int l = 0; l < FLAME_LEVELS; l++)
		if (x->key[l] != y->key[l])
			return x->key[l] < y->key[l] ? -1 : 1;
	return 0;
}

static struct view_flame *sort_ctx; /* qsort has no context argument */

static int cmp_weight(const void *a, const void *b)
{
	const struct flame_node *x = a, *y = b;
	uint64_t vx = view_flame_value(sort_ctx, x), vy = view_flame_value(sort_ctx, y);

	if (vx != vy)
		return vx > vy ? -1 : 1;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return strcmp(x->name, y->name);
}

static char *name_of(struct view_flame *v, const struct snapshot_flame *f, int kind)
{
	char buf[32];
	const char *s;

	if (kind == FLAME_SYSCALL)
		return xstrdup(syscall_name(f->nr, buf, sizeof(buf)));
	s = snapshot_str(v->snap, kind == FLAME_COMM ? f->comm : f->file);
	return xstrdup(s ? s : "");
}

/* The children of parent from triples [lo, hi), at depth, then theirs. */
static void group(struct view_flame *v, struct triple *t, size_t lo, size_t hi, int depth,
		  int parent)
{
	int kind = orders[v->order][depth - 1], first = (int)v->n, count = 0;
	size_t *starts = xcalloc(hi - lo + 1, sizeof(*starts));

	for (size_t i = lo; i < hi; i++) {
		struct flame_node *n;
		const struct snapshot_flame *f = t[i].f;

		if (i == lo || t[i].key[depth - 1] != t[i - 1].key[depth - 1]) {
			int k = add_node(v);

			n = &v->nodes[k];
			n->depth = depth;
			n->kind = kind;
			n->nr = f->nr;
			n->name = name_of(v, f, kind);
			n->parent = parent;
			starts[count++] = i;
		}
		n = &v->nodes[v->n - 1];
		n->calls += f->calls;
		n->bytes += f->bytes;
		n->total_ns += f->total_ns;
		n->errors += f->errors;
	}
	starts[count] = hi;
	v->nodes[parent].first = first;
	v->nodes[parent].count = count;
	if (depth < FLAME_LEVELS)
		for (int c = 0; c < count; c++)
			group(v, t, starts[c], starts[c + 1], depth + 1, first + c);
	free(starts);
	/* Heaviest first; the moved nodes' children follow them. */
	sort_ctx = v;
	qsort(&v->nodes[first], (size_t)count, sizeof(v->nodes[0]), cmp_weight);
	for (int c = first; c < first + count; c++)
		for (int g = v->nodes[c].first; g < v->nodes[c].first + v->nodes[c].count; g++)
			v->nodes[g].parent = c;
}

static bool triple_passes(const struct filter *f, const struct snapshot *s,
			  const struct snapshot_flame *t)
{
	struct snapshot_event e = { .comm = t->comm, .file = t->file };

	e.rec.nr = (int16_t)t->nr;
	e.rec.fd = REC_FD_NONE;
	for (int i = 0; i < f->depth; i++)
		if (f->stack[i].kind == DRILL_ERRNO) {
			/* A triple counts errors, not which errno: any error passes. */
			if (!t->errors)
				return false;
			e.rec.rec_flags = REC_FAILED;
			e.rec.ret = -f->stack[i].value;
		}
	return filter_event(f, s, &e);
}

static void id_of(const struct view_flame *v, int node, struct flame_id *id)
{
	id_clear(id);
	if (node < 0 || (size_t)node >= v->n)
		return;
	id->depth = v->nodes[node].depth;
	for (int i = node; i > 0; i = v->nodes[i].parent) {
		int d = v->nodes[i].depth - 1;

		id->nr[d] = v->nodes[i].nr;
		id->name[d] = xstrdup(v->nodes[i].name);
	}
}

/* The node with that identity, or its deepest ancestor still there. */
static int resolve(const struct view_flame *v, const struct flame_id *id)
{
	int node = 0;

	if (!v->n)
		return 0;
	for (int d = 0; d < id->depth; d++) {
		const struct flame_node *p = &v->nodes[node];
		int found = -1;

		for (int c = p->first; c < p->first + p->count && found < 0; c++)
			if (!strcmp(v->nodes[c].name, id->name[d]))
				found = c;
		if (found < 0)
			break;
		node = found;
	}
	return node;
}

void view_flame_build(struct view_flame *v, const struct view_ctx *ctx)
{
	const struct snapshot *s = ctx->snap;
	struct filter f = *ctx->filter;
	struct triple *t;
	size_t nt = 0;
	int root, k = 0;
	char *end;

	/* Triples carry no pid: a pid drill-down (or a pid typed as the query)
	 * cannot narrow them; said on screen. */
	v->pid_ignored = false;
	for (int i = 0; i < f.depth; i++) {
		if (f.stack[i].kind == DRILL_PID) {
			v->pid_ignored = true;
			continue;
		}
		f.stack[k++] = f.stack[i];
	}
	f.depth = k;
	if (f.query[0] && (strtol(f.query, &end, 10), !*end)) {
		v->pid_ignored = true;
		f.query[0] = '\0';
	}
	free_nodes(v);
	root = add_node(v);
	v->nodes[root].name = xstrdup("all");
	v->shown = s ? s->nflame : 0;
	v->total = s ? s->flame_total : 0;
	if (s && s->nflame) {
		t = xcalloc(s->nflame, sizeof(*t));
		for (size_t i = 0; i < s->nflame; i++) {
			if (!triple_passes(&f, s, &s->flame[i]))
				continue;
			t[nt].f = &s->flame[i];
			for (int l = 0; l < FLAME_LEVELS; l++)
				t[nt].key[l] = key_of(&s->flame[i], orders[v->order][l]);
			nt++;
		}
		qsort(t, nt, sizeof(*t), cmp_triple);
		for (size_t i = 0; i < nt; i++) {
			v->nodes[root].calls += t[i].f->calls;
			v->nodes[root].bytes += t[i].f->bytes;
			v->nodes[root].total_ns += t[i].f->total_ns;
			v->nodes[root].errors += t[i].f->errors;
		}
		v->snap = s;
		if (nt)
			group(v, t, 0, nt, 1, root);
		v->snap = NULL;
		free(t);
	}
	v->zoom = resolve(v, &v->zoom_id);
	v->sel = resolve(v, &v->sel_id);
	/* The selection lives under the zoom. */
	for (int i = v->sel; i != v->zoom; i = v->nodes[i].parent)
		if (i <= 0) {
			v->sel = v->zoom;
			break;
		}
}

static void add_frame(struct view_flame *v, int node, int row, int x, int w, int parent)
{
	if (v->nframes == v->frames_cap) {
		v->frames_cap = v->frames_cap ? v->frames_cap * 2 : 256;
		v->frames = xrealloc(v->frames, v->frames_cap * sizeof(*v->frames));
	}
	v->frames[v->nframes++] =
		(struct flame_frame){ .node = node, .row = row, .x = x, .w = w, .parent = parent };
}

const struct flame_frame *view_flame_layout(struct view_flame *v, int width, size_t *n)
{
	v->nframes = 0;
	v->width = width;
	if (v->n && width > 0) {
		add_frame(v, v->zoom, 0, 0, width, -1);
		/* Breadth first: each frame's children right after the row above. */
		for (size_t i = 0; i < v->nframes; i++) {
			struct flame_frame pf = v->frames[i];
			const struct flame_node *p;
			uint64_t total, cum = 0;

			if (pf.node < 0)
				continue;
			p = &v->nodes[pf.node];
			total = view_flame_value(v, p);
			if (!total)
				continue;
			for (int c = p->first; c < p->first + p->count; c++) {
				uint64_t val = view_flame_value(v, &v->nodes[c]);
				int x0 = pf.x + (int)((double)pf.w * (double)cum / (double)total);
				int x1;

				cum += val;
				x1 = pf.x + (int)((double)pf.w * (double)cum / (double)total);
				if (c == p->first + p->count - 1 || cum >= total)
					x1 = pf.x + pf.w;
				if (x1 - x0 < FLAME_MIN_WIDTH) {
					/* Heaviest first: the rest are no wider. */
					if (pf.x + pf.w > x0)
						add_frame(v, -1, pf.row + 1, x0, pf.x + pf.w - x0,
							  (int)i);
					break;
				}
				add_frame(v, c, pf.row + 1, x0, x1 - x0, (int)i);
			}
		}
	}
	*n = v->nframes;
	return v->frames;
}

const struct flame_node *view_flame_node(const struct view_flame *v, int i)
{
	return i >= 0 && (size_t)i < v->n ? &v->nodes[i] : NULL;
}

int view_flame_selected(const struct view_flame *v)
{
	return v->sel;
}

int view_flame_zoom(const struct view_flame *v)
{
	return v->zoom;
}

int view_flame_order(const struct view_flame *v)
{
	return v->order;
}

int view_flame_metric(const struct view_flame *v)
{
	return v->metric;
}

static const char *metric_str(const struct view_flame *v, uint64_t val, char *buf, size_t size)
{
	char num[FMT_BUF];

	switch (v->metric) {
	case FLAME_BYTES:
		return fmt_bytes(buf, size, val);
	case FLAME_TIME:
		return fmt_duration(buf, size, val);
	default:
		snprintf(buf, size, "%s calls", fmt_si(num, sizeof(num), val));
		return buf;
	}
}

static const char *node_name(const struct flame_node *n)
{
	if (n->depth == 0)
		return "all";
	if (n->kind == FLAME_FILE && !n->name[0])
		return "(no path)";
	return n->name;
}

void view_flame_label(const struct view_flame *v, int i, char *buf, size_t size)
{
	const struct flame_node *n = view_flame_node(v, i);
	uint64_t all = v->n ? view_flame_value(v, &v->nodes[0]) : 0;
	char pct[FMT_BUF];

	if (!n) {
		snprintf(buf, size, "\u2026");
		return;
	}
	snprintf(buf, size, "%s %s", node_name(n),
		 fmt_percent(pct, sizeof(pct),
			     all ? (double)view_flame_value(v, n) / (double)all : 0));
}

/* --- Keys --------------------------------------------------------------------- */

static void select_node(struct view_flame *v, int node)
{
	v->sel = node;
	id_of(v, node, &v->sel_id);
}

static void set_zoom(struct view_flame *v, int node)
{
	v->zoom = node;
	id_of(v, node, &v->zoom_id);
}

static int frame_of(const struct view_flame *v, int node)
{
	for (size_t i = 0; i < v->nframes; i++)
		if (v->frames[i].node == node)
			return (int)i;
	return -1;
}

static bool matches(const struct view_flame *v, int node, const char *needle)
{
	return node >= 0 && *needle && strstr(node_name(&v->nodes[node]), needle);
}

enum view_result view_flame_action(struct view_flame *v, const struct view_ctx *ctx, enum action a,
				   struct drill *push)
{
	size_t nf;
	int f, step;

	(void)push;
	view_flame_layout(v, v->width, &nf);
	f = frame_of(v, v->sel);
	switch (a) {
	case ACT_UP:
		if (v->sel != v->zoom && v->sel > 0)
			select_node(v, v->nodes[v->sel].parent);
		return VIEW_HANDLED;
	case ACT_DOWN:
		/* The heaviest child that is drawn. */
		for (size_t i = 0; f >= 0 && i < nf; i++)
			if (v->frames[i].parent == f && v->frames[i].node >= 0) {
				select_node(v, v->frames[i].node);
				break;
			}
		return VIEW_HANDLED;
	case ACT_LEFT:
	case ACT_RIGHT:
		/* The next drawn frame of the same row (across parents). */
		step = a == ACT_LEFT ? -1 : 1;
		for (int i = f + step; f >= 0 && i >= 0 && (size_t)i < nf; i += step) {
			if (v->frames[i].row != v->frames[f].row)
				break;
			if (v->frames[i].node >= 0) {
				select_node(v, v->frames[i].node);
				break;
			}
		}
		return VIEW_HANDLED;
	case ACT_HOME:
		select_node(v, v->zoom);
		return VIEW_HANDLED;
	case ACT_DRILL:
		set_zoom(v, v->sel);
		return VIEW_HANDLED;
	case ACT_BACK:
		if (v->zoom <= 0)
			return VIEW_UNHANDLED; /* the UI pops its filter */
		select_node(v, v->zoom);
		set_zoom(v, v->nodes[v->zoom].parent);
		return VIEW_HANDLED;
	case ACT_FLAME_ORDER:
		v->order = (v->order + 1) % FLAME_ORDER_COUNT;
		id_clear(&v->zoom_id);
		id_clear(&v->sel_id);
		view_flame_build(v, ctx);
		return VIEW_HANDLED;
	case ACT_FLAME_METRIC:
		v->metric = (v->metric + 1) % FLAME_METRIC_COUNT;
		view_flame_build(v, ctx);
		return VIEW_HANDLED;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (!ctx->search[0])
			return VIEW_UNHANDLED;
		step = a == ACT_SEARCH_NEXT ? 1 : -1;
		for (long i = f + step, k = 0; nf && k < (long)nf; i += step, k++) {
			long j = (i % (long)nf + (long)nf) % (long)nf;

			if (matches(v, v->frames[j].node, ctx->search)) {
				select_node(v, v->frames[j].node);
				break;
			}
		}
		return VIEW_HANDLED;
	default:
		return VIEW_UNHANDLED;
	}
}

/* --- Drawing -------------------------------------------------------------------- */

static void draw_frame(const struct view_flame *v, const struct flame_frame *fr, int y, int x,
		       int nth, const char *search)
{
	char label[1100], name[1024], pct[FMT_BUF], fitted[1024];
	const struct flame_node *n = view_flame_node(v, fr->node);
	uint64_t all = view_flame_value(v, &v->nodes[0]);
	int role, room = fr->w - 1, used;

	if (!n)
		role = THEME_DIM;
	else if (fr->node == v->sel)
		role = THEME_SELECTED;
	else if (matches(v, fr->node, search))
		role = THEME_MATCH;
	else
		role = THEME_FLAME_1 + nth % 4;
	attrset(theme_attr(role));
	mvhline(y, x + fr->x, ' ', fr->w);
	if (!n) {
		used = text_fit(fitted, sizeof(fitted), "\u2026", room > 0 ? room : 1,
				TEXT_CUT_END);
	} else {
		int pw;

		snprintf(pct, sizeof(pct), " %s",
			 fmt_percent(name, sizeof(name),
				     all ? (double)view_flame_value(v, n) / (double)all : 0));
		pw = text_width(pct);
		if (room - pw >= 4) {
			used = text_fit(name, sizeof(name), node_name(n), room - pw,
					n->kind == FLAME_FILE ? TEXT_CUT_MIDDLE : TEXT_CUT_END);
			snprintf(label, sizeof(label), "%s%s", name, pct);
			used = text_fit_safe(fitted, sizeof(fitted), label, room, TEXT_CUT_END);
		} else {
			used = text_fit(fitted, sizeof(fitted), node_name(n), room > 0 ? room : 1,
					TEXT_CUT_END);
		}
	}
	(void)used;
	mvaddstr(y, x + fr->x, fitted);
	if (fr->w >= 2)
		mvaddstr(y, x + fr->x + fr->w - 1, "\u2502");
}

static void path_of(const struct view_flame *v, int node, char *buf, size_t size)
{
	int chain[FLAME_LEVELS + 1], k = 0;
	size_t pos = 0;

	for (int i = node; i > 0 && k < FLAME_LEVELS; i = v->nodes[i].parent)
		chain[k++] = i;
	buf[0] = '\0';
	if (!k)
		snprintf(buf, size, "all");
	while (k-- > 0 && pos < size)
		pos += (size_t)snprintf(buf + pos, size - pos, "%s%s", pos ? " \u203a " : "",
					node_name(&v->nodes[chain[k]]));
}

/* Under the settings: the selected frame's children, heaviest first, with
 * the ones too narrow for the graph. */
static void draw_children(const struct view_flame *v, const struct flame_node *s, int y, int x,
			  int h, int w)
{
	char name[1024], line[1400], a[FMT_BUF], b[FMT_BUF], c[FMT_BUF], d[FMT_BUF], e[FMT_BUF];
	uint64_t all = view_flame_value(v, &v->nodes[0]);
	int nw = w - 50;

	if (h < 2 || !s->count || nw < 10)
		return;
	attrset(theme_attr(THEME_TABLE_HEADER));
	mvhline(y, x, ' ', w);
	snprintf(line, sizeof(line), " %-*s %10s %9s %7s %7s %6s", nw, "UNDER THE SELECTION",
		 "CALLS", "BYTES", "TIME", "ERR", "SHARE");
	mvaddstr(y, x, line);
	for (int i = 0; i < s->count && i < h - 1; i++) {
		const struct flame_node *n = &v->nodes[s->first + i];
		int used = text_fit(name, sizeof(name), node_name(n), nw,
				    n->kind == FLAME_FILE ? TEXT_CUT_MIDDLE : TEXT_CUT_END);

		const char *cells[5] = {
			fmt_si(a, sizeof(a), n->calls),
			n->bytes ? fmt_bytes(b, sizeof(b), n->bytes) : "-",
			fmt_duration(c, sizeof(c), n->total_ns),
			fmt_si(d, sizeof(d), n->errors),
			fmt_percent(e, sizeof(e),
				    all ? (double)view_flame_value(v, n) / (double)all : 0),
		};
		static const int widths[5] = { 10, 9, 7, 7, 6 };
		size_t pos = (size_t)snprintf(line, sizeof(line), " %s%*s", name, nw - used, "");

		/* Right-aligned by display width ("µs" is two bytes, one column). */
		for (int k = 0; k < 5 && pos < sizeof(line); k++)
			pos += (size_t)snprintf(line + pos, sizeof(line) - pos, " %*s%s",
						widths[k] - text_width(cells[k]), "", cells[k]);
		attrset(theme_attr(THEME_NORMAL));
		mvaddstr(y + 1 + i, x, line);
	}
}

static void draw(void *state, const struct view_ctx *ctx, int y, int x, int h, int w)
{
	struct view_flame *v = state;
	const struct flame_node *z, *s;
	size_t nf;
	const struct flame_frame *fr;
	char raw[8192], safe[8192], a[FMT_BUF], b[FMT_BUF], c[FMT_BUF], d[FMT_BUF], e[FMT_BUF];
	int nth[FLAME_LEVELS + 2] = { 0 }, rows = 0, line;

	if (h < 3 || w < 20)
		return;
	attrset(theme_attr(THEME_NORMAL));
	for (int l = 0; l < h; l++)
		mvhline(y + l, x, ' ', w);
	if (!ctx->snap || v->n < 1 || !view_flame_value(v, &v->nodes[0])) {
		view_draw_message(y, x, h, w,
				  !ctx->snap ? "waiting for the first snapshot"
				  : v->metric == FLAME_BYTES && v->nodes[0].calls
					  ? "no bytes moved in this selection (M: next metric)"
				  : filter_active(ctx->filter)
					  ? "nothing passes the filter (c clears it)"
					  : "no calls yet");
		return;
	}
	fr = view_flame_layout(v, w, &nf);
	z = &v->nodes[v->zoom];
	/* Row 0: the zoomed frame across the width. */
	path_of(v, v->zoom, raw, sizeof(raw));
	snprintf(raw + strlen(raw), sizeof(raw) - strlen(raw), "  %s",
		 metric_str(v, view_flame_value(v, z), a, sizeof(a)));
	text_fit(safe, sizeof(safe), raw, w - 2, TEXT_CUT_MIDDLE);
	attrset(theme_attr(v->sel == v->zoom ? THEME_SELECTED : THEME_ACCENT));
	mvaddstr(y, x, " ");
	addstr(safe);
	addch(' ');
	attrset(theme_attr(THEME_DIM));
	for (int col = text_width(safe) + 2; col < w; col++)
		addstr("\u2500");
	for (size_t i = 1; i < nf; i++) {
		if (fr[i].row >= h - 3)
			continue;
		draw_frame(v, &fr[i], y + fr[i].row, x, nth[fr[i].row]++ + fr[i].row, ctx->search);
		if (fr[i].row > rows)
			rows = fr[i].row;
	}
	/* Under the graph: the selected frame, then the settings. */
	line = y + rows + 2;
	s = &v->nodes[v->sel];
	path_of(v, v->sel, raw, sizeof(raw));
	snprintf(raw + strlen(raw), sizeof(raw) - strlen(raw),
		 "   calls %s  bytes %s  time %s  errors %s  share %s",
		 fmt_count(a, sizeof(a), s->calls), fmt_bytes(b, sizeof(b), s->bytes),
		 fmt_duration(c, sizeof(c), s->total_ns), fmt_count(d, sizeof(d), s->errors),
		 fmt_percent(e, sizeof(e),
			     (double)view_flame_value(v, s) /
				     (double)view_flame_value(v, &v->nodes[0])));
	text_fit(safe, sizeof(safe), raw, w - 1, TEXT_CUT_MIDDLE);
	attrset(theme_attr(THEME_NORMAL));
	mvaddstr(line, x + 1, safe);
	if (line + 1 < y + h) {
		int o = v->order;
		size_t pos;

		pos = (size_t)snprintf(raw, sizeof(raw),
				       "o order %s \u203a %s \u203a %s   M metric %s",
				       kind_names[orders[o][0]], kind_names[orders[o][1]],
				       kind_names[orders[o][2]], metric_names[v->metric]);
		if (v->total > v->shown)
			pos += (size_t)snprintf(raw + pos, sizeof(raw) - pos,
						"   top %s of %s triples",
						fmt_count(a, sizeof(a), v->shown),
						fmt_count(b, sizeof(b), v->total));
		if (v->pid_ignored)
			snprintf(raw + pos, sizeof(raw) - pos,
				 "   (no pid in the graph: pid filter not applied)");
		text_fit(safe, sizeof(safe), raw, w - 1, TEXT_CUT_END);
		attrset(theme_attr(THEME_DIM));
		mvaddstr(line + 1, x + 1, safe);
	}
	draw_children(v, s, line + 3, x, y + h - (line + 3), w);
	attrset(theme_attr(THEME_NORMAL));
}

static void *create(void)
{
	return view_flame_new();
}

static void destroy(void *state)
{
	view_flame_free(state);
}

static void build(void *state, const struct view_ctx *ctx)
{
	view_flame_build(state, ctx);
}

static enum view_result action(void *state, const struct view_ctx *ctx, enum action a,
			       struct drill *push)
{
	return view_flame_action(state, ctx, a, push);
}

static enum view_result click(void *state, const struct view_ctx *ctx, int line, int col,
			      bool double_click, struct drill *push)
{
	struct view_flame *v = state;

	(void)push;
	for (size_t i = 0; i < v->nframes; i++) {
		const struct flame_frame *f = &v->frames[i];

		if (f->row == line && col >= f->x && col < f->x + f->w && f->node >= 0) {
			select_node(v, f->node);
			if (double_click)
				return view_flame_action(v, ctx, ACT_DRILL, push);
			return VIEW_HANDLED;
		}
	}
	return VIEW_HANDLED;
}

const struct view_ops view_flame_ops = {
	.name = "Flame",
	.title = "Flam",
	.create = create,
	.destroy = destroy,
	.build = build,
	.draw = draw,
	.action = action,
	.click = click,
};
