/* The UI: screens, filter, panels, prompts, frame and dispatch. */
#include "tui/ui.h"

#include <ctype.h>
#include <curses.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/history.h"
#include "core/output.h"
#include "core/store.h"
#include "core/syscalls.h"
#include "core/xalloc.h"
#include "tui/filter.h"
#include "tui/fmt.h"
#include "tui/jump.h"
#include "tui/keymap.h"
#include "tui/text.h"
#include "tui/theme.h"
#include "tui/view.h"
#include "tui/view_util.h"

#define MIN_COLS   80
#define MIN_LINES  24
#define MESSAGE_MS 4000

enum panel {
	PANEL_NONE,
	PANEL_HELP,
	PANEL_SCREENS,
	PANEL_FAMILIES,
	PANEL_QUIT,
};

enum prompt {
	PROMPT_NONE,
	PROMPT_SEARCH,
	PROMPT_FILTER,
	PROMPT_JUMP,
};

/* Replay speeds that + and - step through; 0 is as fast as possible. */
static const double speeds[] = { 0.1, 0.25, 0.5, 1, 2, 4, 10, 25, 50, 100, 250, 500, 1000, 0 };
#define SPEEDS	 (sizeof(speeds) / sizeof(speeds[0]))
#define SPEED_1X 3
#define TICK_NS	 1000000000ll /* t and T step one second of the session */

static const struct view_ops *const views[VIEW_COUNT] = {
	&view_overview_ops,  &view_families_ops, &view_syscalls_ops, &view_files_ops,
	&view_processes_ops, &view_stream_ops,	 &view_latency_ops,  &view_flame_ops,
};

struct ui {
	struct ui_opts o;
	void *state[VIEW_COUNT];
	bool tree[VIEW_COUNT];
	int screen;
	struct filter filter;
	const struct snapshot *snap; /* shown (frozen while paused) */
	const struct snapshot *newest;
	bool paused, ended;
	uint64_t paused_at_ns;
	enum panel panel;
	int panel_sel, panel_top;
	enum prompt prompt;
	char prompt_buf[256];
	char search[256];
	char prompt_saved[256]; /* the filter query before the prompt opened (Esc) */
	char message[256];
	long long message_until_ms;
	enum ui_quit quit;
	bool dirty;
	int speed;	      /* replay: index into speeds[] */
	struct history *hist; /* replay: the session, for searches that move the cursor */
	/* Twin mode (live): a player over the live session's past while capture
	 * goes on; the last live snapshot stays ours until Z returns to it. */
	struct player *twin;
	char export_path[4096]; /* the last e export, for E */
	bool want_edit;
	uint64_t mark_ns; /* replay: the mark (m), 0 for none */
	/* Rates: one sample per snapshot. */
	uint64_t rates[VIEW_RATE_SAMPLES];
	int nrates;
	uint64_t peak_rate, last_events, last_built_ns;
	/* Tab positions of the last draw, for mouse clicks. */
	int tab_x[VIEW_COUNT + 1];
	int body_y, body_h;
	int bar_x, bar_w; /* the transport bar's track, for clicks */
};

static const char *const screen_names[VIEW_COUNT] = {
	"Overview", "Families", "Syscalls", "Files", "Processes", "Stream", "Latency", "Flame",
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct ui *ui_new(const struct ui_opts *o)
{
	struct ui *ui = xcalloc(1, sizeof(*ui));

	ui->o = *o;
	ui->speed = SPEED_1X;
	filter_init(&ui->filter);
	for (int i = 0; i < VIEW_COUNT; i++)
		ui->state[i] = views[i]->create();
	ui->dirty = true;
	return ui;
}

void ui_free(struct ui *ui)
{
	if (!ui)
		return;
	for (int i = 0; i < VIEW_COUNT; i++)
		views[i]->destroy(ui->state[i]);
	history_close(ui->hist);
	player_stop(ui->twin);
	free(ui);
}

static void view_ctx(const struct ui *ui, int screen, struct view_ctx *ctx)
{
	ctx->snap = ui->snap;
	ctx->filter = &ui->filter;
	ctx->session = ui->o.session;
	ctx->screen = screen;
	ctx->search = ui->prompt == PROMPT_SEARCH ? ui->prompt_buf : ui->search;
	ctx->tree = ui->tree[screen];
	ctx->rates = ui->rates;
	ctx->nrates = ui->nrates;
	ctx->peak_rate = ui->peak_rate;
}

/* Rebuild the current screen's model (others rebuild when shown). */
static void rebuild(struct ui *ui)
{
	struct view_ctx ctx;

	view_ctx(ui, ui->screen, &ctx);
	views[ui->screen]->build(ui->state[ui->screen], &ctx);
	ui->dirty = true;
}

/* Events per second: one sample per second of snapshots, for the header
 * and the Overview's sparkline. */
static void sample_rate(struct ui *ui, const struct snapshot *s)
{
	uint64_t rate;

	if (!ui->last_built_ns || s->events < ui->last_events) {
		ui->last_events = s->events;
		ui->last_built_ns = s->built_ns;
		return;
	}
	if (s->built_ns - ui->last_built_ns < 1000000000ull)
		return;
	rate = (uint64_t)((double)(s->events - ui->last_events) * 1e9 /
			  (double)(s->built_ns - ui->last_built_ns));
	ui->last_events = s->events;
	ui->last_built_ns = s->built_ns;
	if (ui->nrates == VIEW_RATE_SAMPLES) {
		memmove(ui->rates, ui->rates + 1, (VIEW_RATE_SAMPLES - 1) * sizeof(ui->rates[0]));
		ui->nrates--;
	}
	ui->rates[ui->nrates++] = rate;
	if (rate > ui->peak_rate)
		ui->peak_rate = rate;
}

/* The player the transport keys drive: replay's, or the twin's in live. */
static struct player *player_of(const struct ui *ui)
{
	return ui->o.player ? ui->o.player : ui->twin;
}

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct player *ui_twin(const struct ui *ui)
{
	return ui->twin;
}

void ui_twin_snapshot(struct ui *ui, const struct snapshot *s)
{
	ui->snap = s;
	rebuild(ui);
}

/* Into the live session's past: a player over the file being written. */
static bool twin_start(struct ui *ui)
{
	struct player_opts po = { .speed = 1,
				  .paused = true,
				  .period_ns = 100000000ull,
				  .stream_records = 8192,
				  .files_max = 5000,
				  .background = true };
	struct ior_err err = { 0 };

	if (ui->twin)
		return true;
	if (!ui->o.session) {
		ui_message(ui, "no session to go back in");
		return false;
	}
	if (player_start(&ui->twin, ui->o.session, &po, &err)) {
		ui_message(ui, "%s", err.msg);
		return false;
	}
	ui->snap = NULL; /* until the player's first snapshot: no live numbers */
	ui->paused = false;
	ui->speed = SPEED_1X;
	return true;
}

/* Z: back to live. */
static void twin_stop(struct ui *ui)
{
	ui->snap = ui->newest; /* the last live snapshot, untouched while in the past */
	player_stop(ui->twin);
	ui->twin = NULL;
	rebuild(ui);
}

void ui_snapshot(struct ui *ui, const struct snapshot *s)
{
	ui->newest = s;
	sample_rate(ui, s);
	if (ui->paused)
		return;
	ui->snap = s;
	rebuild(ui);
}

void ui_set_ended(struct ui *ui)
{
	ui->ended = true;
	ui->dirty = true;
}

bool ui_paused(const struct ui *ui)
{
	return ui->paused;
}

bool ui_dirty(const struct ui *ui)
{
	return ui->dirty;
}

enum ui_quit ui_quit_state(const struct ui *ui)
{
	return ui->quit;
}

uint32_t ui_wanted_fds(const struct ui *ui)
{
	const struct table *t;
	const struct table_row *r;
	uint32_t pid = filter_pid(&ui->filter);

	if (pid || ui->screen != 4)
		return pid;
	/* On the Processes screen: the selected process. */
	t = views[4]->table ? views[4]->table(ui->state[4]) : NULL;
	r = t ? table_selected(t) : NULL;
	return r && r->has_drill && r->drill.kind == DRILL_PID ? (uint32_t)r->drill.value : 0;
}

void ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof(ui->message), fmt, ap);
	va_end(ap);
	ui->message_until_ms = now_ms() + MESSAGE_MS;
	ui->dirty = true;
}

int ui_timeout_ms(const struct ui *ui)
{
	long long left;

	if (!ui->message[0])
		return -1;
	left = ui->message_until_ms - now_ms();
	return left > 0 ? (int)left : 0;
}

/* --- drawing ---------------------------------------------------------- */

/* Write ior's own text at (y, x) in at most w columns with role (control
 * bytes still escaped); returns the width. */
static int put(int y, int x, int w, int role, const char *text)
{
	char buf[1024];
	int used;

	if (w <= 0)
		return 0;
	used = text_fit_safe(buf, sizeof(buf), text, w, TEXT_CUT_END);
	attrset(theme_attr(role));
	mvaddstr(y, x, buf);
	return used;
}

/* The same for traced or typed bytes: everything unsafe escaped. */
static int put_raw(int y, int x, int w, int role, const char *raw)
{
	char buf[1024];
	int used;

	if (w <= 0)
		return 0;
	used = text_fit(buf, sizeof(buf), raw, w, TEXT_CUT_END);
	attrset(theme_attr(role));
	mvaddstr(y, x, buf);
	return used;
}

/* Live: time since capture started; replay: the cursor's offset. */
static uint64_t elapsed_ns(const struct ui *ui)
{
	const struct snapshot *s = ui->snap;

	if (!player_of(ui))
		return mono_ns() - ui->o.start_ns;
	return s && s->cursor_ns > s->span_start_ns ? s->cursor_ns - s->span_start_ns : 0;
}

static const char *speed_text(double speed, char *buf, size_t size)
{
	if (speed <= 0)
		snprintf(buf, size, "max");
	else
		snprintf(buf, size, "%gx", speed);
	return buf;
}

/* "REPLAY 4x" / "PAUSED" / "END" and the cursor's clock time. */
static int draw_replay_state(struct ui *ui, int x, int w)
{
	bool narrow = COLS < 130;
	const struct snapshot *s = ui->snap;
	char line[128], sp[16], clock[32];
	int role = THEME_OK, x0 = x;

	if (!s)
		return 0;
	if (ui->twin) {
		double behind = (double)(wall_ns() -
					 (s->cursor_ns < wall_ns() ? s->cursor_ns : wall_ns())) /
				1e9;

		snprintf(line, sizeof(line), narrow ? "-%.1fs " : "LIVE +%.1fs behind  ", behind);
		x += put(0, x, w - x, THEME_WARNING, line);
	}
	if (s->at_end) {
		snprintf(line, sizeof(line), "END");
		role = THEME_WARNING;
	} else if (s->paused) {
		snprintf(line, sizeof(line), "PAUSED");
		role = THEME_WARNING;
	} else {
		snprintf(line, sizeof(line), "REPLAY %s", speed_text(s->speed, sp, sizeof(sp)));
	}
	x += put(0, x, w - x, role, line);
	/* Narrow: the transport bar has the time; the header keeps the event. */
	if (narrow)
		snprintf(line, sizeof(line), " #%llu", (unsigned long long)s->cursor_id);
	else
		snprintf(line, sizeof(line), " %s #%llu",
			 fmt_clock(clock, sizeof(clock), s->cursor_ns, true),
			 (unsigned long long)s->cursor_id);
	x += put(0, x, w - x, THEME_HEADER, line);
	return x - x0;
}

/* The header's right side, the numbers a person watches (time, rate,
 * calls, errors, bytes, lost, writer stalls): drawn first, right-aligned, so that on a
 * narrow terminal the target and session name give way, never these. */
static int draw_header_numbers(const struct ui *ui, int w)
{
	const struct snapshot *s = ui->snap;
	uint64_t rate = ui->nrates ? ui->rates[ui->nrates - 1] : 0;
	bool narrow = w < 130;
	const char *sep = narrow ? "  " : "   ";
	struct {
		char text[64];
		int role;
	} part[7];
	char a[32], b[32];
	int n = 0, total = 0, x;

	snprintf(part[n].text, sizeof(part[n].text), "%s%s", sep,
		 fmt_elapsed(a, sizeof(a), elapsed_ns(ui)));
	part[n++].role = THEME_HEADER;
	snprintf(part[n].text, sizeof(part[n].text), "%s%s ev/s", sep, fmt_si(a, sizeof(a), rate));
	part[n++].role = THEME_HEADER;
	if (s) {
		snprintf(part[n].text, sizeof(part[n].text), "%s%s calls", sep,
			 fmt_si(a, sizeof(a), s->total.row.calls));
		part[n++].role = THEME_HEADER;
		snprintf(part[n].text, sizeof(part[n].text), "%s%s err", sep,
			 narrow ? fmt_si(a, sizeof(a), s->total.row.errors)
				: fmt_count(a, sizeof(a), s->total.row.errors));
		part[n++].role = s->total.row.errors ? THEME_ERROR : THEME_HEADER;
		if (!narrow) {
			snprintf(part[n].text, sizeof(part[n].text), "%s%s", sep,
				 fmt_bytes(a, sizeof(a), view_row_bytes(&s->total.row)));
			part[n++].role = THEME_HEADER;
		}
		/* Lost records: the word in capitals and the warning colour, so
		 * monochrome says it too. */
		snprintf(part[n].text, sizeof(part[n].text), "%s%s %s ", sep,
			 s->lost ? "LOST" : "lost", fmt_count(b, sizeof(b), s->lost));
		part[n++].role = s->lost ? THEME_WARNING : THEME_HEADER;
		/* The reader waited for the session writer: apart from the
		 * kernel's loss, since it says why records may be lost. */
		if (s->writer_stalls) {
			snprintf(part[n].text, sizeof(part[n].text), "%sSTALLS %s (%s) ",
				 narrow ? "" : " ", fmt_count(a, sizeof(a), s->writer_stalls),
				 fmt_duration(b, sizeof(b), s->writer_stall_ns));
			part[n++].role = THEME_WARNING;
		}
	}
	for (int i = 0; i < n; i++)
		total += text_width(part[i].text);
	x = w - total > 0 ? w - total : 0;
	for (int i = 0; i < n; i++)
		x += put(0, x, w - x, part[i].role, part[i].text);
	return total;
}

static void draw_header(struct ui *ui)
{
	const struct snapshot *s = ui->snap;
	bool narrow = COLS < 130;
	char line[512];
	int right, w, x = 0;

	attrset(theme_attr(THEME_HEADER));
	mvhline(0, 0, ' ', COLS);
	right = draw_header_numbers(ui, COLS);
	w = COLS - right; /* what the left side may use */
	x += put(0, x, w - x, THEME_HEADER, view_glyph(" ior \u25b8 ", " ior > "));
	/* The target gets what the state (and process count) leave. */
	int reserve = player_of(ui) ? (ui->twin ? 24 : 18) : 10;

	x += put_raw(0, x,
		     narrow ? (w - x - reserve > 8 ? w - x - reserve : 8)
			    : w - x - (player_of(ui) ? 60 : 44),
		     THEME_HEADER, ui->o.target ? ui->o.target : "");
	if (s && !narrow) {
		/* Every process seen: the folded ones stand in one row. */
		snprintf(line, sizeof(line), "  %llu proc",
			 (unsigned long long)(s->nprocs - (s->procs_folded ? 1 : 0) +
					      s->procs_folded));
		x += put(0, x, w - x, THEME_HEADER, line);
	}
	x += put(0, x, w - x, THEME_HEADER, "  ");
	if (player_of(ui)) {
		x += draw_replay_state(ui, x, w);
	} else if (ui->paused) {
		snprintf(line, sizeof(line), "PAUSED -%.1fs",
			 (double)(mono_ns() - ui->paused_at_ns) / 1e9);
		x += put(0, x, w - x, THEME_WARNING, line);
	} else if (ui->ended) {
		x += put(0, x, w - x, THEME_WARNING, "ENDED");
	} else {
		x += put(0, x, w - x, THEME_OK, view_glyph("LIVE \u25cf", "LIVE *"));
	}
	if (ui->twin) {
		/* the session's name gives way to where the cursor is */
	} else if (ui->o.player && ui->o.info) {
		/* No end time: the recorder was killed, or is still recording. */
		snprintf(line, sizeof(line), " %s%s, %s",
			 ui->o.info->end_ns ? "" : "UNFINISHED (cut short or recording) ",
			 ui->o.info->host, ui->o.info->kernel);
		put_raw(0, x, w - x, THEME_HEADER, line);
	} else if (ui->o.session) {
		const char *base = strrchr(ui->o.session, '/');

		snprintf(line, sizeof(line), " REC %s",
			 narrow ? ""
			 : base ? base + 1
				: ui->o.session);
		put_raw(0, x, w - x, THEME_HEADER, line);
	}
}

static void draw_tabs(struct ui *ui)
{
	char label[64], desc[1024];
	bool narrow = COLS < 110;
	int x = 0, used;

	attrset(theme_attr(THEME_TAB));
	mvhline(1, 0, ' ', COLS);
	for (int i = 0; i < VIEW_COUNT; i++) {
		snprintf(label, sizeof(label), " %d %s ", i + 1,
			 narrow ? views[i]->title : views[i]->name);
		ui->tab_x[i] = x;
		x += put(1, x, COLS - x, i == ui->screen ? THEME_TAB_ACTIVE : THEME_TAB, label);
	}
	ui->tab_x[VIEW_COUNT] = x;
	filter_describe(&ui->filter, screen_names, desc, sizeof(desc));
	if (desc[0] && COLS - x > 4) {
		char fit[1024];

		used = text_fit(fit, sizeof(fit), desc, COLS - x - 2, TEXT_CUT_END);
		attrset(theme_attr(THEME_ACCENT));
		mvaddstr(1, COLS - used - 1, fit);
	}
}

/* Where the cursor is on a bar of width cells: 0..width-1. */
static int bar_cell(const struct snapshot *s, uint64_t ns, int width)
{
	uint64_t span = s->span_end_ns > s->span_start_ns ? s->span_end_ns - s->span_start_ns : 0;
	double f =
		span && ns > s->span_start_ns ? (double)(ns - s->span_start_ns) / (double)span : 0;

	if (f > 1)
		f = 1;
	return (int)(f * (width - 1) + 0.5);
}

static void draw_transport(struct ui *ui)
{
	const struct snapshot *s = ui->snap;
	bool replay = player_of(ui) && s;
	char line[256], t[32], end[32], sp[16];
	const char *state;
	int bar, x, role = THEME_OK;

	attrset(theme_attr(THEME_BAR));
	mvhline(LINES - 2, 0, ' ', COLS);
	if (replay) {
		state = s->at_end   ? view_glyph(" \u25a0 END   ", " # END   ")
			: s->paused ? view_glyph(" \u2016 PAUSED", " || PAUSED")
				    : view_glyph(" \u25b6 REPLAY", " > REPLAY");
		role = s->paused || s->at_end ? THEME_WARNING : THEME_OK;
		fmt_elapsed(t, sizeof(t), elapsed_ns(ui));
		fmt_elapsed(end, sizeof(end), s->span_end_ns - s->span_start_ns);
		snprintf(line, sizeof(line), " %s / %s  %5s ", t, end,
			 speed_text(s->speed, sp, sizeof(sp)));
	} else {
		state = ui->paused  ? view_glyph(" \u2016 PAUSED", " || PAUSED")
			: ui->ended ? view_glyph(" \u25a0 ENDED ", " # ENDED ")
				    : view_glyph(" \u25b6 LIVE  ", " > LIVE  ");
		role = ui->paused ? THEME_WARNING : THEME_OK;
		fmt_elapsed(t, sizeof(t), elapsed_ns(ui));
		snprintf(line, sizeof(line), " %s   1x ", t);
	}
	x = put(LINES - 2, 0, COLS, role, state);
	bar = COLS - x - (int)strlen(line) - 2;
	ui->bar_x = x + 2;
	ui->bar_w = bar - 2;
	if (bar > 2) {
		attrset(theme_attr(THEME_BAR));
		mvaddstr(LINES - 2, x + 1, view_glyph("\u251c", "|"));
		view_hline(LINES - 2, x + 2, bar - 2);
		mvaddstr(LINES - 2, x + bar, view_glyph("\u2524", "|"));
		attrset(theme_attr(THEME_BAR_CURSOR));
		if (replay && ui->mark_ns)
			mvaddstr(LINES - 2, x + 2 + bar_cell(s, ui->mark_ns, bar - 2), "'");
		mvaddstr(LINES - 2,
			 replay ? x + 2 + bar_cell(s, s->cursor_ns, bar - 2) : x + bar - 1,
			 view_glyph("\u25cf", "*"));
		x += bar + 1;
	}
	put(LINES - 2, x, COLS - x, THEME_BAR, line);
}

static void draw_keybar(struct ui *ui)
{
	char key[32], item[64];
	int x = 0;

	attrset(theme_attr(THEME_KEY_LABEL));
	mvhline(LINES - 1, 0, ' ', COLS);
	if (ui->prompt != PROMPT_NONE) {
		const char *what = ui->prompt == PROMPT_SEARCH ? "Search: "
				   : ui->prompt == PROMPT_JUMP
					   ? "Jump to (14:03:07, +30s, -5m, 50%, #12345): "
					   : "Filter (syscall, path part, pid, comm, errno): ";

		x += put(LINES - 1, 0, COLS, THEME_KEY, what);
		x += put_raw(LINES - 1, x, COLS - x - 1, THEME_PANEL, ui->prompt_buf);
		put(LINES - 1, x, 1, THEME_SELECTED, " ");
		return;
	}
	if (ui->message[0] && now_ms() < ui->message_until_ms) {
		put(LINES - 1, 0, COLS, THEME_ACCENT, ui->message);
		return;
	}
	ui->message[0] = '\0';
	for (size_t i = 0; i < keymap_len && x < COLS; i++) {
		const struct keymap_entry *e = &keymap[i];

		if (!e->label)
			continue;
		keymap_first_key(e, key, sizeof(key));
		/* At 80 columns: F-key numbers and short words. */
		if (COLS < 120 && key[0] == 'F')
			snprintf(item, sizeof(item), "%s", key + 1);
		else
			snprintf(item, sizeof(item), "%s", key);
		x += put(LINES - 1, x, COLS - x, THEME_KEY, item);
		snprintf(item, sizeof(item), " %s", e->label);
		x += put(LINES - 1, x, COLS - x, THEME_KEY_LABEL, item);
		x += put(LINES - 1, x, COLS - x, THEME_NORMAL, COLS < 120 ? " " : "  ");
	}
}

/* A box of h x w centred in the body with a title; returns its inside y, x. */
static void draw_box(int h, int w, const char *title, int *iy, int *ix)
{
	int y = (LINES - h) / 2, x = (COLS - w) / 2;

	attrset(theme_attr(THEME_PANEL));
	for (int i = 0; i < h; i++)
		mvhline(y + i, x, ' ', w);
	attrset(theme_attr(THEME_PANEL_BORDER));
	mvaddstr(y, x, view_glyph("\u250c", "+"));
	view_hline(y, x + 1, w - 2);
	mvaddstr(y, x + w - 1, view_glyph("\u2510", "+"));
	for (int i = 1; i < h - 1; i++) {
		mvaddstr(y + i, x, view_glyph("\u2502", "|"));
		mvaddstr(y + i, x + w - 1, view_glyph("\u2502", "|"));
	}
	mvaddstr(y + h - 1, x, view_glyph("\u2514", "+"));
	view_hline(y + h - 1, x + 1, w - 2);
	mvaddstr(y + h - 1, x + w - 1, view_glyph("\u2518", "+"));
	put(y, x + 2, w - 4, THEME_PANEL_BORDER, title);
	*iy = y + 1;
	*ix = x + 2;
}

static int help_lines(void)
{
	return (int)keymap_len;
}

static void draw_help(struct ui *ui)
{
	int h = LINES - 4, w = COLS - 8 > 100 ? 100 : COLS - 8, y, x, rows;
	char keys[64], line[256];

	draw_box(h, w, " Help: every key (arrows scroll, Esc closes) ", &y, &x);
	rows = h - 2;
	if (ui->panel_top > help_lines() - rows)
		ui->panel_top = help_lines() - rows > 0 ? help_lines() - rows : 0;
	for (int i = 0; i < rows && ui->panel_top + i < (int)keymap_len; i++) {
		const struct keymap_entry *e = &keymap[ui->panel_top + i];

		snprintf(keys, sizeof(keys), "%s", e->keys);
		put(y + i, x, 20, THEME_KEY, keys);
		snprintf(line, sizeof(line), "%s%s", e->help, e->live ? "" : "");
		put(y + i, x + 21, w - 25, e->live ? THEME_PANEL : THEME_DIM, line);
	}
}

static void draw_screens(struct ui *ui)
{
	int y, x;
	char line[64];

	draw_box(VIEW_COUNT + 2, 30, " Screens ", &y, &x);
	for (int i = 0; i < VIEW_COUNT; i++) {
		snprintf(line, sizeof(line), "%d %-20s", i + 1, views[i]->name);
		put(y + i, x, 26, i == ui->panel_sel ? THEME_SELECTED : THEME_PANEL, line);
	}
}

static void draw_families(struct ui *ui)
{
	const struct snapshot *s = ui->snap;
	uint64_t total = s ? s->total.row.calls : 0;
	char line[128], pct[16];
	int y, x;

	draw_box(FAMILY_COUNT + 3, 40, " Families (Space a n, Enter) ", &y, &x);
	for (int f = 0; f < FAMILY_COUNT; f++) {
		uint64_t calls = s ? s->family[f].row.calls : 0;

		fmt_percent(pct, sizeof(pct), total ? (double)calls / (double)total : 0);
		snprintf(line, sizeof(line), "[%c] %-10s %8s",
			 ui->filter.families & (1u << f) ? 'x' : ' ', family_name(f), pct);
		put(y + f, x, 36, f == ui->panel_sel ? THEME_SELECTED : THEME_PANEL, line);
	}
	put(y + FAMILY_COUNT, x, 36, THEME_DIM, "a all   n none   f/Enter close");
}

static void draw_quit(struct ui *ui)
{
	char line[512];
	int y, x, w = COLS - 10 > 90 ? 90 : COLS - 10;

	draw_box(6, w, " Quit ", &y, &x);
	if (ui->o.temporary) {
		snprintf(line, sizeof(line), "Keep the session %s?", ui->o.session);
		put_raw(y, x, w - 4, THEME_PANEL, line);
		put(y + 2, x, w - 4, THEME_KEY, "y keep and quit   n delete and quit   Esc stay");
	} else {
		snprintf(line, sizeof(line), "Stop recording to %s and quit?",
			 ui->o.session ? ui->o.session : "the session");
		put_raw(y, x, w - 4, THEME_PANEL, line);
		put(y + 2, x, w - 4, THEME_KEY, "y quit (the session is kept)   Esc stay");
	}
	(void)ui;
}

void ui_draw(struct ui *ui)
{
	struct view_ctx ctx;
	char msg[64];

	ui->dirty = false;
	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		snprintf(msg, sizeof(msg), "ior needs %dx%d; this terminal is %dx%d", MIN_COLS,
			 MIN_LINES, COLS, LINES);
		view_draw_message(0, 0, LINES, COLS, msg);
		return;
	}
	draw_header(ui);
	draw_tabs(ui);
	ui->body_y = 2;
	ui->body_h = LINES - 4;
	view_ctx(ui, ui->screen, &ctx);
	if (!ui->snap)
		view_draw_message(ui->body_y, 0, ui->body_h, COLS,
				  view_glyph("waiting for the first events\u2026",
					     "waiting for the first events..."));
	else
		views[ui->screen]->draw(ui->state[ui->screen], &ctx, ui->body_y, 0, ui->body_h,
					COLS);
	draw_transport(ui);
	draw_keybar(ui);
	switch (ui->panel) {
	case PANEL_HELP:
		draw_help(ui);
		break;
	case PANEL_SCREENS:
		draw_screens(ui);
		break;
	case PANEL_FAMILIES:
		draw_families(ui);
		break;
	case PANEL_QUIT:
		draw_quit(ui);
		break;
	case PANEL_NONE:
		break;
	}
	attrset(theme_attr(THEME_NORMAL));
}

/* --- input ------------------------------------------------------------- */

static void switch_screen(struct ui *ui, int screen)
{
	ui->screen = (screen + VIEW_COUNT) % VIEW_COUNT;
	rebuild(ui);
}

static void filter_changed(struct ui *ui)
{
	rebuild(ui);
}

static void push_drill(struct ui *ui, const struct drill *d)
{
	if (!filter_push(&ui->filter, d)) {
		ui_message(ui, "at most %d drill-downs; Backspace pops one", FILTER_DEPTH);
		return;
	}
	filter_changed(ui);
}

static void ask_quit(struct ui *ui)
{
	if (!ui->o.session || ui->o.player) {
		ui->quit = UI_QUIT_KEEP;
		return;
	}
	ui->panel = PANEL_QUIT;
}

static bool panel_key(struct ui *ui, const char *k)
{
	enum panel p = ui->panel;

	if (p == PANEL_QUIT) {
		if (!strcmp(k, "y") || !strcmp(k, "Y"))
			ui->quit = UI_QUIT_KEEP;
		else if (ui->o.temporary && (!strcmp(k, "n") || !strcmp(k, "N")))
			ui->quit = UI_QUIT_DELETE;
		else if (!strcmp(k, "Escape") || !strcmp(k, "q") || !strcmp(k, "F10"))
			ui->panel = PANEL_NONE;
		return true;
	}
	if (!strcmp(k, "Escape") || (p == PANEL_HELP && (!strcmp(k, "q") || !strcmp(k, "F1") ||
							 !strcmp(k, "h") || !strcmp(k, "?")))) {
		ui->panel = PANEL_NONE;
		return true;
	}
	if (!strcmp(k, "Up") || !strcmp(k, "k"))
		ui->panel_sel--, ui->panel_top--;
	else if (!strcmp(k, "Down") || !strcmp(k, "j"))
		ui->panel_sel++, ui->panel_top++;
	else if (!strcmp(k, "PageDown"))
		ui->panel_top += 10;
	else if (!strcmp(k, "PageUp"))
		ui->panel_top -= 10;
	if (ui->panel_top < 0)
		ui->panel_top = 0;
	if (p == PANEL_SCREENS) {
		ui->panel_sel = (ui->panel_sel + VIEW_COUNT) % VIEW_COUNT;
		if (!strcmp(k, "Enter")) {
			ui->panel = PANEL_NONE;
			switch_screen(ui, ui->panel_sel);
		} else if (k[0] >= '1' && k[0] <= '8' && !k[1]) {
			ui->panel = PANEL_NONE;
			switch_screen(ui, k[0] - '1');
		} else if (!strcmp(k, "F2") || !strcmp(k, "S")) {
			ui->panel = PANEL_NONE;
		}
	} else if (p == PANEL_FAMILIES) {
		ui->panel_sel = (ui->panel_sel + FAMILY_COUNT) % FAMILY_COUNT;
		if (!strcmp(k, "Space") || !strcmp(k, "x"))
			filter_toggle_family(&ui->filter, ui->panel_sel);
		else if (!strcmp(k, "a"))
			ui->filter.families = FILTER_ALL_FAMILIES;
		else if (!strcmp(k, "n"))
			ui->filter.families = 0;
		else if (!strcmp(k, "Enter") || !strcmp(k, "f"))
			ui->panel = PANEL_NONE;
		filter_changed(ui);
	}
	return true;
}

static void send(struct ui *ui, enum player_cmd_kind kind, int64_t arg)
{
	struct player_cmd c = { .kind = kind, .arg = arg, .speed = speeds[ui->speed] };

	player_send(player_of(ui), &c);
}

/* Replay, on the Stream: a search moves the time cursor to the next (dir
 * 1) or previous (-1) matching record of the session. False when not in
 * that case (the screen searches its rows instead). */
static bool replay_search(struct ui *ui, int dir)
{
	struct ior_err err = { 0 };
	int64_t id;

	if (!player_of(ui) || ui->screen != 5 || !ui->search[0] || !ui->snap)
		return false;
	if (!ui->hist && history_open(&ui->hist, ui->o.session, &err)) {
		ui_message(ui, "%s", err.msg);
		return true;
	}
	id = history_find(ui->hist, ui->snap->cursor_id, dir, ui->search, &err);
	if (id < 0)
		ui_message(ui, "%s", err.msg);
	else if (!id)
		ui_message(ui, "no record %s the cursor matches", dir > 0 ? "after" : "before");
	else {
		send(ui, PLAYER_SEEK_ID, id);
		ui_message(ui, "\"%s\": record #%lld", ui->search, (long long)id);
	}
	return true;
}

/* b: a time expression, resolved against the session's span. */
static void jump_to(struct ui *ui, const char *text)
{
	const struct snapshot *s = ui->snap;
	struct jump_span span = { 0 };
	struct ior_err err = { 0 };
	struct jump j;

	if (!s || !s->span_start_ns) {
		ui_message(ui, "the session has nothing to jump in yet");
		return;
	}
	span.start_ns = s->span_start_ns;
	span.end_ns = s->span_end_ns;
	span.cursor_ns = s->cursor_ns;
	if (jump_parse(text, &span, &j, &err)) {
		ui_message(ui, "%s", err.msg);
		return;
	}
	if (j.by_id)
		send(ui, PLAYER_SEEK_ID, (int64_t)j.id);
	else
		send(ui, PLAYER_SEEK_TIME, (int64_t)j.ts_ns);
}

/* The transport keys in replay; false when a was none of them. */
static bool transport(struct ui *ui, enum action a)
{
	const struct snapshot *s = ui->snap;

	if (!ui->o.player && !ui->twin) {
		/* Live: these go back in time (twin mode); the rest wait for it. */
		switch (a) {
		case ACT_TO_START:
		case ACT_JUMP:
		case ACT_STEP_EVENT_BACK:
		case ACT_STEP_TICK_BACK:
		case ACT_TO_MARK:
			if (a == ACT_TO_MARK && !ui->mark_ns) {
				ui_message(ui, "no mark yet: m sets one");
				return true;
			}
			if (!twin_start(ui))
				return true;
			break;
		case ACT_MARK:
			ui->mark_ns = wall_ns();
			ui_message(ui, "mark set; ' goes back to it (capture goes on)");
			return true;
		default:
			return false;
		}
		if (a == ACT_STEP_TICK_BACK) {
			send(ui, PLAYER_SEEK_TIME, (int64_t)(wall_ns() - (uint64_t)TICK_NS));
			return true;
		}
		if (a == ACT_STEP_EVENT_BACK) {
			send(ui, PLAYER_SEEK_ID, s && s->events > 1 ? (int64_t)s->events - 1 : 0);
			return true;
		}
	}
	if (ui->twin && a == ACT_TO_END) {
		twin_stop(ui);
		ui_message(ui, "back to live");
		return true;
	}
	switch (a) {
	case ACT_PAUSE:
		send(ui, PLAYER_PAUSE, s && !s->paused);
		return true;
	case ACT_STEP_EVENT:
	case ACT_STEP_EVENT_BACK:
		send(ui, PLAYER_STEP, a == ACT_STEP_EVENT ? 1 : -1);
		return true;
	case ACT_STEP_TICK:
	case ACT_STEP_TICK_BACK:
		send(ui, PLAYER_STEP_TIME, a == ACT_STEP_TICK ? TICK_NS : -TICK_NS);
		return true;
	case ACT_FASTER:
	case ACT_SLOWER:
	case ACT_SPEED_RESET:
		if (a == ACT_FASTER && ui->speed + 1 < (int)SPEEDS)
			ui->speed++;
		else if (a == ACT_SLOWER && ui->speed > 0)
			ui->speed--;
		else if (a == ACT_SPEED_RESET)
			ui->speed = SPEED_1X;
		send(ui, PLAYER_SPEED, 0);
		return true;
	case ACT_TO_START:
		send(ui, PLAYER_SEEK_ID, 0);
		return true;
	case ACT_TO_END:
		send(ui, PLAYER_SEEK_ID, INT64_MAX);
		return true;
	case ACT_JUMP:
		ui->prompt = PROMPT_JUMP;
		ui->prompt_buf[0] = '\0';
		return true;
	case ACT_MARK:
		if (s) {
			ui->mark_ns = s->cursor_ns;
			ui_message(ui, "mark set; ' jumps back to it");
		}
		return true;
	case ACT_TO_MARK:
		if (!ui->mark_ns)
			ui_message(ui, "no mark yet: m sets one");
		else
			send(ui, PLAYER_SEEK_TIME, (int64_t)ui->mark_ns);
		return true;
	default:
		return false;
	}
}

static void prompt_key(struct ui *ui, const struct input_event *ev)
{
	size_t len = strlen(ui->prompt_buf);
	const char *k = ev->name;

	if (ev->kind == INPUT_TEXT || !strcmp(k, "Space")) {
		const char *add = ev->kind == INPUT_TEXT ? k : " ";

		if (len + strlen(add) < sizeof(ui->prompt_buf))
			strcat(ui->prompt_buf, add);
	} else if (!strcmp(k, "Backspace") || !strcmp(k, "C-h")) {
		/* Remove one UTF-8 character. */
		while (len && (ui->prompt_buf[len - 1] & 0xc0) == 0x80)
			len--;
		if (len)
			ui->prompt_buf[len - 1] = '\0';
		else
			ui->prompt_buf[0] = '\0';
	} else if (!strcmp(k, "C-u")) {
		ui->prompt_buf[0] = '\0';
	} else if (!strcmp(k, "Escape")) {
		if (ui->prompt == PROMPT_FILTER) {
			snprintf(ui->filter.query, sizeof(ui->filter.query), "%s",
				 ui->prompt_saved);
			filter_changed(ui);
		}
		ui->prompt = PROMPT_NONE;
		return;
	} else if (!strcmp(k, "Enter")) {
		if (ui->prompt == PROMPT_JUMP)
			jump_to(ui, ui->prompt_buf);
		if (ui->prompt == PROMPT_SEARCH) {
			snprintf(ui->search, sizeof(ui->search), "%s", ui->prompt_buf);
			replay_search(ui, 1);
		}
		ui->prompt = PROMPT_NONE;
		ui->dirty = true;
		return;
	}
	/* Incremental: the filter applies, the search moves, as one types. */
	if (ui->prompt == PROMPT_JUMP) {
		ui->dirty = true;
	} else if (ui->prompt == PROMPT_FILTER) {
		snprintf(ui->filter.query, sizeof(ui->filter.query), "%s", ui->prompt_buf);
		filter_changed(ui);
	} else {
		struct table *t = views[ui->screen]->table
					  ? views[ui->screen]->table(ui->state[ui->screen])
					  : NULL;

		if (t && ui->prompt_buf[0])
			table_search(t, ui->prompt_buf, 0);
		ui->dirty = true;
	}
}

/* One CSV field: quoted, quotes doubled (the bytes are kept as they are). */
static void csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* e: the screen's table, every column, as shown (filtered, sorted, as of
 * the cursor), into ior-SCREEN-DATE.csv here or in $TMPDIR. */
static void export_table(struct ui *ui, const struct table *t)
{
	char name[128], path[4096];
	struct ior_err err = { 0 };
	time_t now = time(NULL);
	const char *tmp = getenv("TMPDIR");
	struct tm tm;
	FILE *f;
	int fd;

	if (!t) {
		ui_message(ui, "this screen has no table to export");
		return;
	}
	localtime_r(&now, &tm);
	snprintf(name, sizeof(name), "ior-%s-%04d%02d%02d-%02d%02d%02d.csv",
		 views[ui->screen]->name, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
	for (char *c = name; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	snprintf(path, sizeof(path), "%s", name);
	fd = store_create_file(path, false, &err);
	if (fd < 0) {
		snprintf(path, sizeof(path), "%s/%s", tmp && *tmp ? tmp : "/tmp", name);
		fd = store_create_file(path, false, &err);
	}
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		ui_message(ui, "export: %s", err.msg);
		return;
	}
	/* Under sudo, the user who ran ior can read it, as a session file. */
	output_give_to_sudo_user(fd);
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', f);
		csv_field(f, t->cols[c].title);
	}
	fputc('\n', f);
	for (size_t i = 0; i < t->nrows; i++) {
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', f);
			csv_field(f, t->rows[i].cell[c]);
		}
		fputc('\n', f);
	}
	if (fclose(f)) {
		ui_message(ui, "export: %s: write failed", path);
		return;
	}
	if (path[0] != '/' && realpath(path, ui->export_path))
		snprintf(path, sizeof(path), "%s", ui->export_path);
	snprintf(ui->export_path, sizeof(ui->export_path), "%s", path);
	ui_message(ui, "exported %zu rows to %s (E opens it)", t->nrows, path);
}

const char *ui_take_edit(struct ui *ui)
{
	if (!ui->want_edit)
		return NULL;
	ui->want_edit = false;
	return ui->export_path;
}

/* d: the Stream of a row (drilled into it when it has a drill). */
static void stream_of(struct ui *ui, const struct drill *d)
{
	if (d)
		filter_push(&ui->filter, d);
	switch_screen(ui, 5);
}

static void generic_action(struct ui *ui, enum action a)
{
	struct table *t =
		views[ui->screen]->table ? views[ui->screen]->table(ui->state[ui->screen]) : NULL;
	const struct table_row *r;
	const struct keymap_entry *e;

	if (transport(ui, a)) {
		ui->dirty = true;
		return;
	}
	switch (a) {
	case ACT_HELP:
		ui->panel = PANEL_HELP;
		ui->panel_top = 0;
		break;
	case ACT_SCREENS:
		ui->panel = PANEL_SCREENS;
		ui->panel_sel = ui->screen;
		break;
	case ACT_NEXT_SCREEN:
		switch_screen(ui, ui->screen + 1);
		break;
	case ACT_PREV_SCREEN:
		switch_screen(ui, ui->screen - 1);
		break;
	case ACT_SCREEN_1:
	case ACT_SCREEN_2:
	case ACT_SCREEN_3:
	case ACT_SCREEN_4:
	case ACT_SCREEN_5:
	case ACT_SCREEN_6:
	case ACT_SCREEN_7:
	case ACT_SCREEN_8:
		switch_screen(ui, (int)(a - ACT_SCREEN_1));
		break;
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		if (t) {
			long page = t->height > 1 ? t->height - 1 : 1;

			table_move(t, a == ACT_UP	 ? -1
				      : a == ACT_DOWN	 ? 1
				      : a == ACT_PAGE_UP ? -page
							 : page);
		}
		break;
	case ACT_HOME:
		if (t)
			table_home(t);
		break;
	case ACT_END:
		if (t)
			table_end(t);
		break;
	case ACT_DRILL:
		r = t ? table_selected(t) : NULL;
		if (r && r->has_drill)
			push_drill(ui, &r->drill);
		break;
	case ACT_BACK:
		if (!filter_pop(&ui->filter))
			ui_message(ui, "no drill-down to go back from");
		filter_changed(ui);
		break;
	case ACT_STREAM_OF:
		r = t ? table_selected(t) : NULL;
		stream_of(ui, r && r->has_drill ? &r->drill : NULL);
		break;
	case ACT_SEARCH:
		ui->prompt = PROMPT_SEARCH;
		ui->prompt_buf[0] = '\0';
		break;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (!ui->search[0])
			ui_message(ui, "no search yet: / to search");
		else if (t && !table_search(t, ui->search, a == ACT_SEARCH_NEXT ? 1 : -1))
			ui_message(ui, "not found on this screen");
		break;
	case ACT_FILTER:
		ui->prompt = PROMPT_FILTER;
		snprintf(ui->prompt_saved, sizeof(ui->prompt_saved), "%s", ui->filter.query);
		snprintf(ui->prompt_buf, sizeof(ui->prompt_buf), "%s", ui->filter.query);
		break;
	case ACT_CLEAR:
		filter_clear(&ui->filter);
		ui->search[0] = '\0';
		filter_changed(ui);
		break;
	case ACT_FAMILIES:
		ui->panel = PANEL_FAMILIES;
		ui->panel_sel = 0;
		break;
	case ACT_FAMILY_PREV:
	case ACT_FAMILY_NEXT:
		filter_cycle_family(&ui->filter, a == ACT_FAMILY_NEXT ? 1 : -1);
		filter_changed(ui);
		break;
	case ACT_SORT_NEXT_F6:
	case ACT_SORT_PREV:
		if (t) {
			table_sort_cycle(t, a == ACT_SORT_PREV ? -1 : 1);
			rebuild(ui);
		}
		break;
	case ACT_SORT_INVERT:
		if (t) {
			t->sort_desc = !t->sort_desc;
			rebuild(ui);
		}
		break;
	case ACT_TREE:
		ui->tree[ui->screen] = !ui->tree[ui->screen];
		rebuild(ui);
		break;
	case ACT_PAUSE:
		ui->paused = !ui->paused;
		ui->paused_at_ns = mono_ns();
		if (!ui->paused && ui->newest) {
			ui->snap = ui->newest;
			rebuild(ui);
		}
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	case ACT_EXPORT:
		export_table(ui, t);
		break;
	case ACT_EDIT_EXPORT:
		if (!ui->export_path[0])
			ui_message(ui, "nothing exported yet: e exports this screen");
		else
			ui->want_edit = true;
		break;
	case ACT_QUIT:
		ask_quit(ui);
		break;
	case ACT_PICKER:
		ui_message(ui, "p: to trace another process, quit and start ior with no target "
			       "(the process picker)");
		break;
	case ACT_RECORD:
		ui_message(ui,
			   "R: the live UI always records its session (%s); at quit it is kept "
			   "or deleted",
			   ui->o.session ? ui->o.session : "replay: recorded already");
		break;
	case ACT_SUSPEND:
		ui_message(ui,
			   "Ctrl-Z would stop the capture with it; q quits and keeps the session");
		break;
	case ACT_NONE:
	case ACT_COUNT:
		break;
	default:
		e = keymap_entry(a);
		if (e && !e->live)
			ui_message(ui, "%s: replay and time travel only (ior replay)", e->keys);
		else
			ui_message(ui, "%s: not available on this screen", e ? e->keys : "key");
		break;
	}
	ui->dirty = true;
}

static void mouse(struct ui *ui, const struct input_event *ev)
{
	struct view_ctx ctx;
	struct table *t =
		views[ui->screen]->table ? views[ui->screen]->table(ui->state[ui->screen]) : NULL;
	struct drill push;

	if (ev->mouse == INPUT_MOUSE_WHEEL_UP || ev->mouse == INPUT_MOUSE_WHEEL_DOWN) {
		if (ui->panel == PANEL_HELP) {
			ui->panel_top += ev->mouse == INPUT_MOUSE_WHEEL_UP ? -3 : 3;
		} else if (t) {
			table_move(t, ev->mouse == INPUT_MOUSE_WHEEL_UP ? -3 : 3);
		} else if (views[ui->screen]->action) {
			view_ctx(ui, ui->screen, &ctx);
			for (int i = 0; i < 3; i++)
				views[ui->screen]->action(
					ui->state[ui->screen], &ctx,
					ev->mouse == INPUT_MOUSE_WHEEL_UP ? ACT_UP : ACT_DOWN,
					&push);
		}
		if (ui->panel_top < 0)
			ui->panel_top = 0;
		ui->dirty = true;
		return;
	}
	if (ev->mouse != INPUT_MOUSE_PRESS || ev->button != 1)
		return;
	if (ui->panel != PANEL_NONE && ui->panel != PANEL_QUIT) {
		ui->panel = PANEL_NONE;
		ui->dirty = true;
		return;
	}
	if (ev->line == 1) {
		for (int i = 0; i < VIEW_COUNT; i++)
			if (ev->col >= ui->tab_x[i] && ev->col < ui->tab_x[i + 1])
				switch_screen(ui, i);
		return;
	}
	if (ev->line == LINES - 2) {
		const struct snapshot *s = ui->snap;

		if (!ui->o.player || !s) {
			ui_message(ui,
				   "seeking on the bar: replay and time travel only (ior replay)");
		} else if (ui->bar_w > 1 && ev->col >= ui->bar_x &&
			   ev->col < ui->bar_x + ui->bar_w) {
			double f = (double)(ev->col - ui->bar_x) / (ui->bar_w - 1);

			send(ui, PLAYER_SEEK_TIME,
			     (int64_t)(s->span_start_ns +
				       (uint64_t)(f *
						  (double)(s->span_end_ns - s->span_start_ns))));
		}
		return;
	}
	if (ev->line < ui->body_y || ev->line >= ui->body_y + ui->body_h)
		return;
	view_ctx(ui, ui->screen, &ctx);
	if (views[ui->screen]->click) {
		enum view_result r =
			views[ui->screen]->click(ui->state[ui->screen], &ctx, ev->line - ui->body_y,
						 ev->col, ev->double_click, &push);

		if (r == VIEW_PUSH)
			push_drill(ui, &push);
		if (r != VIEW_UNHANDLED) {
			ui->dirty = true;
			return;
		}
	}
	if (!t)
		return;
	if (ev->line == ui->body_y) {
		table_sort_by(t, table_col_at(t, COLS, ev->col));
		rebuild(ui);
		return;
	}
	if (table_click(t, ev->line - ui->body_y - 1) && ev->double_click)
		generic_action(ui, ACT_DRILL);
	ui->dirty = true;
}

void ui_input(struct ui *ui, const struct input_event *ev)
{
	struct view_ctx ctx;
	struct drill push;
	enum action a;

	ui->dirty = true;
	if (ev->kind == INPUT_MOUSE) {
		mouse(ui, ev);
		return;
	}
	if (ui->prompt != PROMPT_NONE) {
		prompt_key(ui, ev);
		return;
	}
	if (ui->panel != PANEL_NONE) {
		panel_key(ui, ev->name);
		return;
	}
	a = keymap_lookup(ev->name);
	if (a == ACT_NONE) {
		if (ev->name[0])
			ui_message(ui, "%s: no such key (F1 or h for help)", ev->name);
		return;
	}
	if ((a == ACT_SEARCH_NEXT || a == ACT_SEARCH_PREV) &&
	    replay_search(ui, a == ACT_SEARCH_NEXT ? 1 : -1))
		return;
	view_ctx(ui, ui->screen, &ctx);
	if (views[ui->screen]->action) {
		enum view_result r =
			views[ui->screen]->action(ui->state[ui->screen], &ctx, a, &push);

		if (r == VIEW_PUSH && a == ACT_STREAM_OF)
			stream_of(ui, &push);
		else if (r == VIEW_PUSH)
			push_drill(ui, &push);
		if (r != VIEW_UNHANDLED)
			return;
	}
	generic_action(ui, a);
}
