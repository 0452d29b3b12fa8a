/* Helpers the screens share. */
#include "tui/view_util.h"

#include <curses.h>
#include <string.h>

#include "tui/fmt.h"
#include "tui/text.h"
#include "tui/theme.h"

uint64_t view_row_bytes(const struct stats_row *row)
{
	return row->bytes[1] + row->bytes[2] + row->bytes[3];
}

static void cell(struct table *t, size_t row, int col, const char *text, double key)
{
	if (col >= 0)
		table_set(t, row, col, text, key);
}

void view_stats_cells(struct table *t, size_t row, const struct snapshot_row *r, uint64_t total_ns,
		      const int col[10])
{
	const struct stats_row *s = &r->row;
	/* The percentiles are histogram bucket midpoints: never above the max. */
	uint64_t p50 = r->p50_ns < s->max_ns ? r->p50_ns : s->max_ns;
	uint64_t p99 = r->p99_ns < s->max_ns ? r->p99_ns : s->max_ns;
	uint64_t mean = s->calls ? s->total_ns / s->calls : 0, bytes = view_row_bytes(s);
	double pct = total_ns ? (double)s->total_ns / (double)total_ns : 0;
	char buf[32];

	cell(t, row, col[0], fmt_count(buf, sizeof(buf), s->calls), (double)s->calls);
	cell(t, row, col[1], s->errors ? fmt_count(buf, sizeof(buf), s->errors) : "0",
	     (double)s->errors);
	if (s->errors && col[1] >= 0)
		table_row(t, row)->cell_role[col[1]] = THEME_ERROR;
	cell(t, row, col[2], fmt_percent(buf, sizeof(buf), pct), pct);
	cell(t, row, col[3], fmt_duration(buf, sizeof(buf), mean), (double)mean);
	cell(t, row, col[4], fmt_duration(buf, sizeof(buf), p50), (double)p50);
	cell(t, row, col[5], fmt_duration(buf, sizeof(buf), p99), (double)p99);
	cell(t, row, col[6], fmt_duration(buf, sizeof(buf), s->max_ns), (double)s->max_ns);
	cell(t, row, col[7], fmt_duration(buf, sizeof(buf), s->total_ns), (double)s->total_ns);
	cell(t, row, col[8], bytes ? fmt_bytes(buf, sizeof(buf), bytes) : "-", (double)bytes);
	cell(t, row, col[9], fmt_count(buf, sizeof(buf), s->interrupted), (double)s->interrupted);
}

void view_draw_message(int y, int x, int h, int w, const char *msg)
{
	char buf[512];
	int used = text_fit(buf, sizeof(buf), msg, w, TEXT_CUT_END);

	attrset(theme_attr(THEME_DIM));
	mvaddstr(y + h / 2, x + (w - used) / 2, buf);
	attrset(theme_attr(THEME_NORMAL));
}

const char *view_glyph(const char *utf8, const char *ascii)
{
	return text_is_ascii() ? ascii : utf8;
}

void view_hline(int y, int x, int n)
{
	const char *g = view_glyph("\u2500", "-");

	for (int i = 0; i < n; i++)
		mvaddstr(y, x + i, g);
}
