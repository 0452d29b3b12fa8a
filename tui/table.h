/* The table widget every list screen uses: columns, rows rebuilt from each
 * snapshot, sort, tree order, selection kept on the same row across
 * rebuilds, scrolling, search and mouse hits. The model is pure; only
 * table_draw touches curses. UI thread. */
#ifndef IOR_TUI_TABLE_H
#define IOR_TUI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/filter.h"
#include "tui/text.h"

#define TABLE_MAX_COLS 16

struct table_col {
	const char *title;
	int width;	   /* columns; the first column with 0 takes what is left */
	bool right;	   /* numbers align right */
	int drop;	   /* narrow terminals drop the highest first; 0 = never */
	enum text_cut cut; /* how a long cell is cut (TEXT_CUT_MIDDLE for paths) */
	bool text_sort;	   /* sort by the text, ascending first */
};

struct table_row {
	char *cell[TABLE_MAX_COLS];    /* raw bytes, escaped when drawn; NULL = "" */
	double key[TABLE_MAX_COLS];    /* sort keys of numeric columns */
	char *id;		       /* identity across rebuilds (selection) */
	int parent;		       /* index of the parent row, -1 at the top */
	int depth;		       /* tree indent, set by table_sort */
	int role;		       /* theme role of the row, 0 = normal */
	int cell_role[TABLE_MAX_COLS]; /* a cell's own role, 0 = the row's */
	bool folded;		       /* tree: children hidden */
	bool has_children;
	bool has_drill;
	struct drill drill; /* what Enter pushes */
};

struct table {
	const struct table_col *cols;
	int ncols;
	struct table_row *rows; /* in display order after table_sort */
	size_t nrows, cap;
	/* State kept across rebuilds. */
	int sort_col;
	bool sort_desc;
	size_t sel, top;
	char *sel_id;
	int height; /* rows shown by the last draw (page size) */
	int hscroll;
};

void table_init(struct table *t, const struct table_col *cols, int ncols, int sort_col,
		bool sort_desc);
void table_fini(struct table *t);
/* Drop the rows (keeping sort, selection and scroll) before a rebuild. */
void table_clear(struct table *t);
/* A new row with identity id (copied) under parent (-1 for none); cells
 * start empty. Returns its index. */
size_t table_add(struct table *t, const char *id, int parent);
struct table_row *table_row(struct table *t, size_t i);
/* Set a cell's text (copied) and numeric sort key. */
void table_set(struct table *t, size_t row, int col, const char *text, double key);
/* Order rows by the sort column (siblings among themselves under their
 * parent; folded children left out), and put the selection back on the row
 * that had it. */
void table_sort(struct table *t);
/* Selection moves (clamped); page = height. */
void table_move(struct table *t, long delta);
void table_home(struct table *t);
void table_end(struct table *t);
const struct table_row *table_selected(const struct table *t);
/* Next (dir 1) or previous (-1) row from the selection with a cell that
 * contains needle; selects it and returns true when found. */
bool table_search(struct table *t, const char *needle, int dir);
/* Sort by the next (1) or previous (-1) column, or column col (a header
 * click: the same column again inverts). */
void table_sort_cycle(struct table *t, int dir);
void table_sort_by(struct table *t, int col);
/* Which column is under screen column x of a table drawn width wide. */
int table_col_at(const struct table *t, int width, int x);
/* Select the row drawn on line (0 = first row under the header). */
bool table_click(struct table *t, int line);

/* Draw at (y, x) in h lines by w columns: a header line, then rows. */
void table_draw(struct table *t, int y, int x, int h, int w, const char *match);

#endif
