/* The table widget: model (rows, sort, selection) and its drawing. */
#include "tui/table.h"

#include <curses.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tui/theme.h"
#include "tui/view_util.h"

void table_init(struct table *t, const struct table_col *cols, int ncols, int sort_col,
		bool sort_desc)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols < TABLE_MAX_COLS ? ncols : TABLE_MAX_COLS;
	t->sort_col = sort_col;
	t->sort_desc = sort_desc;
	t->height = 10;
}

static void free_row(struct table_row *r)
{
	for (int c = 0; c < TABLE_MAX_COLS; c++)
		free(r->cell[c]);
	free(r->id);
}

void table_clear(struct table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free_row(&t->rows[i]);
	t->nrows = 0;
}

void table_fini(struct table *t)
{
	table_clear(t);
	free(t->rows);
	free(t->sel_id);
	t->rows = NULL;
	t->sel_id = NULL;
	t->cap = 0;
}

size_t table_add(struct table *t, const char *id, int parent)
{
	struct table_row *r;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof(*t->rows));
	}
	r = &t->rows[t->nrows];
	memset(r, 0, sizeof(*r));
	r->id = xstrdup(id ? id : "");
	r->parent = parent;
	if (parent >= 0 && (size_t)parent < t->nrows)
		t->rows[parent].has_children = true;
	return t->nrows++;
}

struct table_row *table_row(struct table *t, size_t i)
{
	return i < t->nrows ? &t->rows[i] : NULL;
}

void table_set(struct table *t, size_t row, int col, const char *text, double key)
{
	struct table_row *r = table_row(t, row);

	if (!r || col < 0 || col >= TABLE_MAX_COLS)
		return;
	free(r->cell[col]);
	r->cell[col] = text ? xstrdup(text) : NULL;
	r->key[col] = key;
}

/* qsort_r context: the table. */
static int row_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct table *t = ctx;
	const struct table_row *a = *(const struct table_row *const *)pa;
	const struct table_row *b = *(const struct table_row *const *)pb;
	int c = t->sort_col, r;

	if (t->cols[c].text_sort) {
		r = strcmp(a->cell[c] ? a->cell[c] : "", b->cell[c] ? b->cell[c] : "");
	} else {
		double x = a->key[c], y = b->key[c];

		r = x < y ? -1 : x > y ? 1 : 0;
	}
	if (t->sort_desc)
		r = -r;
	return r ? r : strcmp(a->id, b->id); /* a stable order across rebuilds */
}

struct sort_ctx {
	struct table_row **by_parent; /* rows grouped by parent, in child lists */
	size_t *first, *count;	      /* per row + 1 (slot 0: the top level) */
	struct table_row *out;
	size_t nout;
	bool *emitted; /* per input row */
};

static void emit(struct table *t, struct sort_ctx *s, size_t slot, int parent_out, int depth)
{
	for (size_t i = 0; i < s->count[slot]; i++) {
		struct table_row *r = s->by_parent[s->first[slot] + i];
		size_t self = (size_t)(r - t->rows);
		size_t at = s->nout++;

		s->out[at] = *r;
		s->out[at].parent = parent_out;
		s->out[at].depth = depth;
		s->emitted[self] = true;
		if (!r->folded)
			emit(t, s, self + 1, (int)at, depth + 1);
	}
}

void table_sort(struct table *t)
{
	size_t n = t->nrows;
	struct sort_ctx s;
	size_t *fill;

	if (!n) {
		t->sel = t->top = 0;
		return;
	}
	s.by_parent = xcalloc(n, sizeof(*s.by_parent));
	s.first = xcalloc(n + 1, sizeof(size_t));
	s.count = xcalloc(n + 1, sizeof(size_t));
	fill = xcalloc(n + 1, sizeof(size_t));
	s.out = xcalloc(n, sizeof(*s.out));
	s.emitted = xcalloc(n, sizeof(*s.emitted));
	s.nout = 0;
	for (size_t i = 0; i < n; i++) {
		int p = t->rows[i].parent;

		s.count[p >= 0 && (size_t)p < n ? (size_t)p + 1 : 0]++;
	}
	for (size_t i = 1; i <= n; i++)
		s.first[i] = s.first[i - 1] + s.count[i - 1];
	for (size_t i = 0; i < n; i++) {
		int p = t->rows[i].parent;
		size_t slot = p >= 0 && (size_t)p < n ? (size_t)p + 1 : 0;

		s.by_parent[s.first[slot] + fill[slot]++] = &t->rows[i];
	}
	for (size_t i = 0; i <= n; i++)
		if (s.count[i] > 1)
			qsort_r(s.by_parent + s.first[i], s.count[i], sizeof(*s.by_parent), row_cmp,
				t);
	emit(t, &s, 0, -1, 0);
	/* Rows under folded parents were not emitted: free them. */
	for (size_t i = 0; i < n; i++)
		if (!s.emitted[i])
			free_row(&t->rows[i]);
	memcpy(t->rows, s.out, s.nout * sizeof(*s.out));
	t->nrows = s.nout;
	free(s.by_parent);
	free(s.first);
	free(s.count);
	free(fill);
	free(s.out);
	free(s.emitted);

	if (t->sel_id)
		for (size_t i = 0; i < t->nrows; i++)
			if (!strcmp(t->rows[i].id, t->sel_id)) {
				t->sel = i;
				break;
			}
	table_move(t, 0);
}

static void remember(struct table *t)
{
	free(t->sel_id);
	t->sel_id = t->sel < t->nrows ? xstrdup(t->rows[t->sel].id) : NULL;
}

void table_move(struct table *t, long delta)
{
	long sel = (long)t->sel + delta;

	if (sel >= (long)t->nrows)
		sel = (long)t->nrows - 1;
	if (sel < 0)
		sel = 0;
	t->sel = (size_t)sel;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->height > 0 && t->sel >= t->top + (size_t)t->height)
		t->top = t->sel - (size_t)t->height + 1;
	if (t->nrows <= (size_t)t->height)
		t->top = 0;
	if (delta)
		remember(t);
}

void table_home(struct table *t)
{
	t->sel = 0;
	table_move(t, 0);
	remember(t);
}

void table_end(struct table *t)
{
	t->sel = t->nrows ? t->nrows - 1 : 0;
	table_move(t, 0);
	remember(t);
}

const struct table_row *table_selected(const struct table *t)
{
	return t->sel < t->nrows ? &t->rows[t->sel] : NULL;
}

bool table_search(struct table *t, const char *needle, int dir)
{
	size_t n = t->nrows;

	if (!n || !*needle)
		return false;
	for (size_t k = 1; k <= n; k++) {
		size_t i = (t->sel + (dir < 0 ? n - k % n : k)) % n;

		for (int c = 0; c < t->ncols; c++)
			if (t->rows[i].cell[c] && strstr(t->rows[i].cell[c], needle)) {
				t->sel = i;
				table_move(t, 0);
				remember(t);
				return true;
			}
	}
	return false;
}

void table_sort_cycle(struct table *t, int dir)
{
	t->sort_col = (t->sort_col + dir + t->ncols) % t->ncols;
	t->sort_desc = !t->cols[t->sort_col].text_sort;
}

void table_sort_by(struct table *t, int col)
{
	if (col < 0 || col >= t->ncols)
		return;
	if (col == t->sort_col)
		t->sort_desc = !t->sort_desc;
	else {
		t->sort_col = col;
		t->sort_desc = !t->cols[col].text_sort;
	}
}

/* Widths of the columns shown in w columns (0 = dropped). */
static void layout(const struct table *t, int w, int *width)
{
	int total = 0, flex = -1;

	for (int c = 0; c < t->ncols; c++) {
		width[c] = t->cols[c].width;
		if (!width[c] && flex < 0) {
			flex = c;
			width[c] = 12; /* the least a flexible column gets */
		}
		total += width[c] + (c ? 1 : 0);
	}
	while (total > w) {
		int worst = -1;

		for (int c = 0; c < t->ncols; c++)
			if (width[c] && t->cols[c].drop &&
			    (worst < 0 || t->cols[c].drop > t->cols[worst].drop))
				worst = c;
		if (worst < 0)
			break;
		total -= width[worst] + 1;
		width[worst] = 0;
	}
	if (flex >= 0 && total < w)
		width[flex] += w - total;
}

int table_col_at(const struct table *t, int w, int x)
{
	int width[TABLE_MAX_COLS], pos = 0;

	layout(t, w, width);
	for (int c = 0; c < t->ncols; c++) {
		if (!width[c])
			continue;
		if (x >= pos && x < pos + width[c] + 1)
			return c;
		pos += width[c] + 1;
	}
	return -1;
}

bool table_click(struct table *t, int line)
{
	size_t i = t->top + (size_t)(line < 0 ? 0 : line);

	if (line < 0 || i >= t->nrows)
		return false;
	t->sel = i;
	remember(t);
	return true;
}

/* Draw text in a cell of width w at (y, x), aligned, cut as col says. */
static void draw_cell(int y, int x, int w, const char *raw, bool right, enum text_cut cut,
		      int indent)
{
	char buf[2048];
	int used;

	if (w <= 0)
		return;
	if (indent > w)
		indent = w;
	used = text_fit(buf, sizeof(buf), raw ? raw : "", w - indent, cut);
	mvaddstr(y, x + indent + (right ? w - indent - used : 0), buf);
}

void table_draw(struct table *t, int y, int x, int h, int w, const char *match)
{
	int width[TABLE_MAX_COLS];
	char title[64];

	if (h < 1 || w < 1)
		return;
	layout(t, w, width);
	t->height = h - 1;
	table_move(t, 0);
	attrset(theme_attr(THEME_TABLE_HEADER));
	mvhline(y, x, ' ', w);
	for (int c = 0, pos = x; c < t->ncols; c++) {
		if (!width[c])
			continue;
		snprintf(title, sizeof(title), "%s%s", t->cols[c].title,
			 c == t->sort_col ? (t->sort_desc ? view_glyph("\u25bc", "v")
							  : view_glyph("\u25b2", "^"))
					  : "");
		attrset(theme_attr(c == t->sort_col ? THEME_SORT_COLUMN : THEME_TABLE_HEADER));
		draw_cell(y, pos, width[c], title, t->cols[c].right, TEXT_CUT_END, 0);
		pos += width[c] + 1;
	}
	for (int line = 0; line < h - 1; line++) {
		size_t i = t->top + (size_t)line;
		const struct table_row *r;
		bool sel, hit;
		int pos = x;

		attrset(theme_attr(THEME_NORMAL));
		mvhline(y + 1 + line, x, ' ', w);
		if (i >= t->nrows)
			continue;
		r = &t->rows[i];
		sel = i == t->sel;
		hit = false;
		for (int c = 0; match && *match && c < t->ncols && !hit; c++)
			hit = r->cell[c] && strstr(r->cell[c], match);
		if (sel) {
			attrset(theme_attr(THEME_SELECTED));
			mvhline(y + 1 + line, x, ' ', w);
		}
		for (int c = 0; c < t->ncols; c++) {
			int role = r->cell_role[c] ? r->cell_role[c] : r->role;
			int indent = 0;

			if (!width[c])
				continue;
			attrset(theme_attr(sel ? THEME_SELECTED : hit ? THEME_MATCH : role));
			if (sel && role == THEME_ERROR)
				attron(A_BOLD);
			if (c == 0 && r->depth)
				indent = 2 * r->depth;
			if (c == 0 && r->has_children) {
				mvaddstr(y + 1 + line, pos + indent,
					 r->folded ? view_glyph("\u25b8", "+")
						   : view_glyph("\u25be", "-"));
				indent += 2;
			} else if (c == 0 && r->parent >= 0) {
				indent += 2;
			}
			draw_cell(y + 1 + line, pos, width[c], r->cell[c], t->cols[c].right,
				  t->cols[c].cut, indent);
			pos += width[c] + 1;
		}
	}
	attrset(theme_attr(THEME_NORMAL));
}
