/* The table widget's model: sort, tree order, folding, selection, search,
 * narrow layouts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "tui/table.h"

enum { C_NAME, C_N, C_WIDE };

static const struct table_col cols[] = {
	[C_NAME] = { "NAME", 0, false, 0, TEXT_CUT_END, true },
	[C_N] = { "N", 8, true, 0, TEXT_CUT_END, false },
	[C_WIDE] = { "WIDE", 30, true, 1, TEXT_CUT_END, false },
};

static size_t add(struct table *t, const char *name, double n, int parent)
{
	size_t r = table_add(t, name, parent);
	char buf[32];

	snprintf(buf, sizeof(buf), "%g", n);
	table_set(t, r, C_NAME, name, 0);
	table_set(t, r, C_N, buf, n);
	return r;
}

static const char *name(struct table *t, size_t i)
{
	return table_row(t, i)->cell[C_NAME];
}

Test(table, sorts_by_key_and_text)
{
	struct table t;

	table_init(&t, cols, 3, C_N, true);
	add(&t, "b", 2, -1);
	add(&t, "a", 3, -1);
	add(&t, "c", 1, -1);
	table_sort(&t);
	cr_assert_str_eq(name(&t, 0), "a");
	cr_assert_str_eq(name(&t, 2), "c");
	table_sort_by(&t, C_NAME); /* text sorts ascending first */
	table_sort(&t);
	cr_assert_str_eq(name(&t, 0), "a");
	cr_assert_str_eq(name(&t, 1), "b");
	table_sort_by(&t, C_NAME); /* the same column again inverts */
	table_sort(&t);
	cr_assert_str_eq(name(&t, 0), "c");
	table_fini(&t);
}

Test(table, tree_keeps_children_under_parents_and_folds)
{
	struct table t;
	size_t fs, mem;

	table_init(&t, cols, 3, C_N, true);
	fs = add(&t, "FS", 10, -1);
	mem = add(&t, "Memory", 20, -1);
	add(&t, "read", 4, (int)fs);
	add(&t, "openat", 6, (int)fs);
	add(&t, "mmap", 20, (int)mem);
	table_sort(&t);
	cr_assert_str_eq(name(&t, 0), "Memory");
	cr_assert_str_eq(name(&t, 1), "mmap");
	cr_assert_eq(table_row(&t, 1)->depth, 1);
	cr_assert_str_eq(name(&t, 2), "FS");
	cr_assert_str_eq(name(&t, 3), "openat");
	cr_assert_str_eq(name(&t, 4), "read");
	table_clear(&t);
	fs = add(&t, "FS", 10, -1);
	table_row(&t, fs)->folded = true;
	add(&t, "read", 4, (int)fs);
	table_sort(&t);
	cr_assert_eq(t.nrows, 1, "folded children are not shown");
	table_fini(&t);
}

Test(table, selection_follows_its_row_across_rebuilds)
{
	struct table t;

	table_init(&t, cols, 3, C_N, true);
	add(&t, "a", 3, -1);
	add(&t, "b", 2, -1);
	table_sort(&t);
	table_move(&t, 1);
	cr_assert_str_eq(table_selected(&t)->id, "b");
	table_clear(&t);
	add(&t, "a", 1, -1);
	add(&t, "b", 5, -1); /* b is now first */
	table_sort(&t);
	cr_assert_str_eq(table_selected(&t)->id, "b");
	cr_assert_eq(t.sel, 0);
	table_move(&t, 100);
	cr_assert_eq(t.sel, 1, "clamped");
	table_move(&t, -100);
	cr_assert_eq(t.sel, 0);
	table_fini(&t);
}

Test(table, search_wraps_both_ways)
{
	struct table t;

	table_init(&t, cols, 3, C_NAME, false);
	add(&t, "alpha", 1, -1);
	add(&t, "beta", 2, -1);
	add(&t, "alphabet", 3, -1);
	table_sort(&t);
	cr_assert(table_search(&t, "alpha", 1));
	cr_assert_str_eq(table_selected(&t)->id, "alphabet");
	cr_assert(table_search(&t, "alpha", 1));
	cr_assert_str_eq(table_selected(&t)->id, "alpha");
	cr_assert(table_search(&t, "alpha", -1));
	cr_assert_str_eq(table_selected(&t)->id, "alphabet");
	cr_assert(!table_search(&t, "gamma", 1));
	table_fini(&t);
}

Test(table, narrow_terminals_drop_columns)
{
	struct table t;

	table_init(&t, cols, 3, C_N, true);
	cr_assert_eq(table_col_at(&t, 200, 199), C_WIDE);
	cr_assert_eq(table_col_at(&t, 40, 39), C_N, "WIDE dropped at 40 columns");
	cr_assert_eq(table_col_at(&t, 40, 0), C_NAME);
	table_fini(&t);
}
