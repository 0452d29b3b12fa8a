/* Screen 6, Stream: every record that passes the filter, newest at the
 * bottom. Following the tail, the lines are the snapshot's ring; moving up
 * holds them (as less's F mode stops) and scrolling past the oldest reads
 * older pages from the session file (core/history), by id. */
#include "tui/view_stream.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decode.h"
#include "core/history.h"
#include "core/syscalls.h"
#include "core/xalloc.h"
#include "tui/fmt.h"
#include "tui/text.h"
#include "tui/theme.h"
#include "tui/view_util.h"

/* Pages read per keystroke at most while looking for lines that pass the
 * filter: a bound on the work of one key, not on how far one can go. */
#define STREAM_PAGES_PER_KEY 16

struct view_stream {
	/* The held records, oldest first, with their session ids (0: unknown)
	 * and their strings in our own buffer (the snapshot can be recycled
	 * under a paused view). */
	struct snapshot_event *ev;
	uint64_t *id;
	size_t n, cap;
	struct snapshot strs; /* only strings/strings_len: for snapshot_str */
	size_t strs_cap;
	/* The lines: indexes into ev[] of the records that pass the filter. */
	size_t *line;
	size_t nlines, lines_cap;
	size_t sel, top;
	uint64_t sel_id; /* keeps the selection across rebuilds */
	bool follow;
	int hscroll;
	int height; /* lines shown by the last draw */
	char search[256];
	struct history *hist;
	bool hist_failed;
	char note[600];
};

static uint32_t put_str(struct view_stream *v, const char *s)
{
	size_t len, off;

	if (!s || !*s)
		return 0;
	len = strlen(s) + 1;
	if (v->strs.strings_len + len > v->strs_cap) {
		while (v->strs.strings_len + len > v->strs_cap)
			v->strs_cap = v->strs_cap ? v->strs_cap * 2 : 65536;
		v->strs.strings = xrealloc(v->strs.strings, v->strs_cap);
	}
	off = v->strs.strings_len;
	memcpy(v->strs.strings + off, s, len);
	v->strs.strings_len += len;
	return (uint32_t)off;
}

static void reset_records(struct view_stream *v)
{
	v->n = 0;
	v->strs.strings_len = 1; /* "" at offset 0 */
}

static void reserve(struct view_stream *v, size_t n)
{
	if (n <= v->cap)
		return;
	while (v->cap < n)
		v->cap = v->cap ? v->cap * 2 : 1024;
	v->ev = xrealloc(v->ev, v->cap * sizeof(*v->ev));
	v->id = xrealloc(v->id, v->cap * sizeof(*v->id));
}

struct view_stream *view_stream_new(void)
{
	struct view_stream *v = xcalloc(1, sizeof(*v));

	v->follow = true;
	v->height = 24; /* until the first draw says */
	v->strs_cap = 65536;
	v->strs.strings = xcalloc(1, v->strs_cap);
	v->strs.strings_len = 1;
	return v;
}

void view_stream_free(struct view_stream *v)
{
	if (!v)
		return;
	history_close(v->hist);
	free(v->ev);
	free(v->id);
	free(v->line);
	free(v->strs.strings);
	free(v);
}

/* Copy the snapshot's ring, oldest first. Record ids: the source counts
 * every record (snapshot.events) and the store numbers them from 1 in the
 * same order, so recent[i] is row events - i. */
static void copy_ring(struct view_stream *v, const struct snapshot *s)
{
	reset_records(v);
	reserve(v, s->nrecent);
	for (size_t k = 0; k < s->nrecent; k++) {
		const struct snapshot_event *src = &s->recent[s->nrecent - 1 - k];
		struct snapshot_event *e = &v->ev[k];

		e->rec = src->rec;
		e->comm = put_str(v, snapshot_str(s, src->comm));
		e->file = put_str(v, snapshot_str(s, src->file));
		e->old_file = put_str(v, snapshot_str(s, src->old_file));
		e->arg_path = put_str(v, snapshot_str(s, src->arg_path));
		e->flags = put_str(v, snapshot_str(s, src->flags));
		e->addr = put_str(v, snapshot_str(s, src->addr));
		v->id[k] = s->events >= s->nrecent - 1 - k ? s->events - (s->nrecent - 1 - k) : 0;
	}
	v->n = s->nrecent;
}

static void refilter(struct view_stream *v, const struct filter *f)
{
	size_t best = 0;
	bool found = false;

	if (v->n > v->lines_cap) {
		v->lines_cap = v->n;
		v->line = xrealloc(v->line, v->lines_cap * sizeof(*v->line));
	}
	v->nlines = 0;
	for (size_t i = 0; i < v->n; i++) {
		if (!filter_event(f, &v->strs, &v->ev[i]))
			continue;
		/* The selection stays on its record, or the newest one before it. */
		if (!v->follow && v->id[i] && v->id[i] <= v->sel_id) {
			best = v->nlines;
			found = true;
		}
		v->line[v->nlines++] = i;
	}
	if (v->follow || !found)
		v->sel = v->follow || !v->nlines ? (v->nlines ? v->nlines - 1 : 0) : 0;
	else
		v->sel = best;
	if (v->nlines)
		v->sel_id = v->id[v->line[v->sel]];
}

void view_stream_build(struct view_stream *v, const struct view_ctx *ctx)
{
	if (v->follow && ctx->snap)
		copy_ring(v, ctx->snap);
	refilter(v, ctx->filter);
}

size_t view_stream_count(const struct view_stream *v)
{
	return v->nlines;
}

size_t view_stream_selected(const struct view_stream *v)
{
	return v->sel;
}

bool view_stream_following(const struct view_stream *v)
{
	return v->follow;
}

const struct snapshot_event *view_stream_event(const struct view_stream *v, size_t i, uint64_t *id)
{
	if (i >= v->nlines)
		return NULL;
	if (id)
		*id = v->id[v->line[i]];
	return &v->ev[v->line[i]];
}

const struct snapshot *view_stream_strings(const struct view_stream *v)
{
	return &v->strs;
}

/* --- Reading back from the session ---------------------------------------- */

struct page {
	struct view_stream *v;
	struct snapshot_event *ev;
	uint64_t *id;
	size_t n, cap;
};

static void page_row(void *ctx, const struct history_row *row)
{
	struct page *p = ctx;
	struct snapshot_event *e;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : STREAM_PAGE;
		p->ev = xrealloc(p->ev, p->cap * sizeof(*p->ev));
		p->id = xrealloc(p->id, p->cap * sizeof(*p->id));
	}
	e = &p->ev[p->n];
	p->id[p->n++] = row->id;
	e->rec = row->rec;
	e->comm = put_str(p->v, row->comm);
	e->file = put_str(p->v, row->file);
	e->old_file = put_str(p->v, row->old_file);
	e->arg_path = put_str(p->v, row->arg_path);
	e->flags = put_str(p->v, row->flags);
	e->addr = put_str(p->v, row->addr);
}

static bool history_ready(struct view_stream *v, const struct view_ctx *ctx)
{
	struct ior_err err = { 0 };

	if (v->hist)
		return true;
	if (v->hist_failed)
		return false;
	if (!ctx->session || !*ctx->session || history_open(&v->hist, ctx->session, &err) < 0) {
		v->hist_failed = true;
		snprintf(v->note, sizeof(v->note), "no scroll-back: %s",
			 ctx->session ? err.msg : "no session file");
		return false;
	}
	return true;
}

/* Read the page of records just before the oldest held one (older = true) or
 * just after the newest; false when there is none (or no session). */
static bool load_page(struct view_stream *v, const struct view_ctx *ctx, bool older)
{
	struct page p = { .v = v };
	struct ior_err err = { 0 };
	uint64_t first, last, lo, hi;
	long got;

	if (!v->n || !history_ready(v, ctx))
		return false;
	first = v->id[0];
	last = v->id[v->n - 1];
	if (!first || !last)
		return false;
	if (older) {
		if (first <= 1)
			return false;
		/* From the held oldest itself: it must be the same record in the
		 * session (ids of ring records are derived, see copy_ring). */
		lo = first > STREAM_PAGE ? first - STREAM_PAGE : 1;
		hi = first;
	} else {
		lo = last + 1;
		hi = last + STREAM_PAGE;
	}
	got = history_range(v->hist, lo, hi, page_row, &p, &err);
	if (got < 0)
		snprintf(v->note, sizeof(v->note), "%s", err.msg);
	if (got > 0 && older) {
		const struct ior_rec *a = &p.ev[p.n - 1].rec, *b = &v->ev[0].rec;

		if (p.id[p.n - 1] != first) {
			/* Not committed yet: the writer is behind; try again later. */
			snprintf(v->note, sizeof(v->note),
				 "the session is not written that far yet");
			got = 0;
		} else if (a->ts_ns != b->ts_ns || a->tid != b->tid || a->nr != b->nr) {
			snprintf(v->note, sizeof(v->note),
				 "no scroll-back: the session's ids do not match the view's");
			v->hist_failed = true;
			history_close(v->hist);
			v->hist = NULL;
			got = 0;
		} else {
			p.n--; /* the held record itself */
			got = (long)p.n;
		}
	}
	if (got <= 0) {
		free(p.ev);
		free(p.id);
		return false;
	}
	reserve(v, v->n + p.n);
	if (older) {
		memmove(v->ev + p.n, v->ev, v->n * sizeof(*v->ev));
		memmove(v->id + p.n, v->id, v->n * sizeof(*v->id));
		memcpy(v->ev, p.ev, p.n * sizeof(*v->ev));
		memcpy(v->id, p.id, p.n * sizeof(*v->id));
	} else {
		memcpy(v->ev + v->n, p.ev, p.n * sizeof(*v->ev));
		memcpy(v->id + v->n, p.id, p.n * sizeof(*v->id));
	}
	v->n += p.n;
	free(p.ev);
	free(p.id);
	return true;
}

/* --- Cells --------------------------------------------------------------- */

struct seg {
	char text[1024]; /* safe */
	int width;
	bool path;
};

#define MAX_SEGS 8

static void seg_add(struct seg *segs, int *n, const char *raw, bool path)
{
	if (!raw || *n >= MAX_SEGS)
		return;
	segs[*n].path = path;
	segs[*n].width = text_fit(segs[*n].text, sizeof(segs[*n].text), raw, 1000, TEXT_CUT_MIDDLE);
	(*n)++;
}

static const char *epoll_events_str(uint32_t ev, char *buf, size_t size)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = {
		{ 0x001, "EPOLLIN" },		{ 0x002, "EPOLLPRI" },
		{ 0x004, "EPOLLOUT" },		{ 0x008, "EPOLLERR" },
		{ 0x010, "EPOLLHUP" },		{ 0x2000, "EPOLLRDHUP" },
		{ 1u << 28, "EPOLLEXCLUSIVE" }, { 1u << 29, "EPOLLWAKEUP" },
		{ 1u << 30, "EPOLLONESHOT" },	{ 1u << 31, "EPOLLET" },
	};
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (ev & bits[i].bit) {
			pos += (size_t)snprintf(buf + pos, size - pos, "%s%s", pos ? "|" : "",
						bits[i].name);
			ev &= ~bits[i].bit;
			if (pos >= size)
				return buf;
		}
	if (ev || !pos)
		snprintf(buf + pos, size - pos, "%s0x%x", pos ? "|" : "", ev);
	return buf;
}

int view_stream_args(char *out, size_t size, const struct snapshot *s,
		     const struct snapshot_event *e, int cols, int skip)
{
	const struct ior_rec *r = &e->rec;
	const struct syscall_info *info = syscall_by_nr(r->nr);
	const char *file = snapshot_str(s, e->file), *old = snapshot_str(s, e->old_file);
	const char *flags = snapshot_str(s, e->flags), *addr = snapshot_str(s, e->addr);
	const char *arg = snapshot_str(s, e->arg_path);
	struct seg segs[MAX_SEGS];
	char buf[256], num[FMT_BUF], joined[8192];
	int n = 0, total = 0, fixed = 0, paths = 0;
	size_t pos = 0;

	if (!file)
		file = arg;
	if (old) {
		seg_add(segs, &n, "old:", false);
		seg_add(segs, &n, old, true);
		seg_add(segs, &n, " -> new:", false);
		seg_add(segs, &n, file ? file : "?", true);
	} else if (r->fd >= 0 && !flags && !(info && (info->flags & SYSCALL_RET_FD) && !file)) {
		/* A descriptor call: fd → what it is. */
		snprintf(buf, sizeof(buf), "%d%s", r->fd, file ? " \u2192 " : "");
		seg_add(segs, &n, buf, false);
		seg_add(segs, &n, file, true);
	} else if (file) {
		seg_add(segs, &n, file, true);
	}
	if (flags) {
		seg_add(segs, &n, " ", false);
		seg_add(segs, &n, flags, false);
	}
	if (addr) {
		seg_add(segs, &n, n ? "  " : "", false);
		seg_add(segs, &n, addr, false);
	}
	buf[0] = '\0';
	if (r->rec_flags & REC_HAS_EPOLL) {
		const char *op = decode_epoll_op(r->epoll_op);
		char evs[160], opnum[16];

		if (!op) {
			snprintf(opnum, sizeof(opnum), "op %u", r->epoll_op);
			op = opnum;
		}
		snprintf(buf, sizeof(buf), "%s%s fd %d %s", n ? "  " : "", op, r->epoll_target_fd,
			 epoll_events_str(r->epoll_events, evs, sizeof(evs)));
	} else if (r->rec_flags & REC_HAS_SLEEP) {
		snprintf(buf, sizeof(buf), "%ssleep %s", n ? "  " : "",
			 fmt_duration(num, sizeof(num), (uint64_t)r->requested_sleep_ns));
	} else if (r->rec_flags & REC_HAS_ASB) {
		int64_t b = r->address_space_bytes;

		snprintf(buf, sizeof(buf), "%s%c%s", n ? "  " : "", b < 0 ? '-' : '+',
			 fmt_bytes(num, sizeof(num), b < 0 ? -(uint64_t)b : (uint64_t)b));
	} else if (info && info->byte_class != BYTES_NONE && !(r->rec_flags & REC_FAILED)) {
		snprintf(buf, sizeof(buf), "%s%s", n ? "  " : "",
			 fmt_bytes(num, sizeof(num), (uint64_t)(r->bytes < 0 ? 0 : r->bytes)));
	}
	seg_add(segs, &n, buf[0] ? buf : NULL, false);
	if (r->rec_flags & REC_TRUNCATED)
		seg_add(segs, &n, " [path truncated]", false);
	if (r->rec_flags & REC_FAULT)
		seg_add(segs, &n, " [path unreadable]", false);
	if (r->rec_flags & REC_ENTER_MISSING)
		seg_add(segs, &n, " [no enter]", false);

	for (int i = 0; i < n; i++) {
		total += segs[i].width;
		if (segs[i].path)
			paths += segs[i].width;
		else
			fixed += segs[i].width;
	}
	/* Too wide: the paths give up columns in proportion, cut in the
	 * middle so file names stay. Scrolled: everything, whole. */
	if (total > cols && paths && !skip) {
		int budget = cols - fixed, left = budget, npaths = 0;

		for (int i = 0; i < n; i++)
			npaths += segs[i].path;

		if (budget < 0)
			budget = left = 0;
		for (int i = 0; i < n; i++) {
			char cut[1024];
			int want;

			if (!segs[i].path)
				continue;
			/* A path keeps 16 columns at least: the flags after it are
			 * cut first (at the end). */
			int floor = segs[i].width < 16 ? segs[i].width : 16;

			int share = budget / npaths > cols / (2 * npaths) ? budget / npaths
									  : cols / (2 * npaths);

			if (floor > share)
				floor = share > 6 ? share : 6;

			want = (int)((long)budget * segs[i].width / paths);
			if (want > left)
				want = left;
			if (want < floor)
				want = floor;
			if (want < segs[i].width) {
				segs[i].width = text_fit_safe(cut, sizeof(cut), segs[i].text, want,
							      TEXT_CUT_MIDDLE);
				memcpy(segs[i].text, cut, sizeof(cut));
			}
			left -= segs[i].width;
		}
	}
	joined[0] = '\0';
	for (int i = 0; i < n; i++)
		pos += (size_t)snprintf(joined + pos,
					pos < sizeof(joined) ? sizeof(joined) - pos : 0, "%s",
					segs[i].text);
	{
		const char *p = joined;

		/* Skip whole characters, skip columns of them. */
		for (int c = 0; c < skip && *p; c++) {
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
		}
		return text_fit_safe(out, size, p, cols, TEXT_CUT_END);
	}
}

const char *view_stream_result(char *buf, size_t size, const struct ior_rec *r, int *role)
{
	const char *name;

	*role = THEME_NORMAL;
	if (r->rec_flags & REC_NORETURN) {
		*role = THEME_DIM;
		snprintf(buf, size, "no return");
	} else if (r->rec_flags & REC_INTERRUPTED) {
		/* A restart code: interrupted, not failed (never shown to the program). */
		name = decode_errno_name((int)-r->ret);
		*role = THEME_WARNING;
		snprintf(buf, size, "%s?", name ? name : "interrupted");
	} else if (r->rec_flags & REC_FAILED) {
		name = decode_errno_name((int)-r->ret);
		*role = THEME_ERROR;
		if (name)
			snprintf(buf, size, "%s", name);
		else
			snprintf(buf, size, "E%lld", (long long)-r->ret);
	} else if (r->ret > 0xffffffffll || r->ret < -0xffffll) {
		snprintf(buf, size, "0x%llx", (unsigned long long)r->ret);
	} else {
		snprintf(buf, size, "= %lld", (long long)r->ret);
	}
	return buf;
}

void view_stream_cells(const struct view_stream *v, size_t i, int args_cols, int skip,
		       struct stream_cells *out)
{
	const struct snapshot_event *e = view_stream_event(v, i, NULL);
	const struct ior_rec *r;
	char name[32];

	memset(out, 0, sizeof(*out));
	if (!e)
		return;
	r = &e->rec;
	fmt_clock(out->time, sizeof(out->time), r->ts_ns, true);
	if (r->tid && r->tid != r->pid)
		snprintf(out->pid, sizeof(out->pid), "%u/%u", r->pid, r->tid);
	else
		snprintf(out->pid, sizeof(out->pid), "%u", r->pid);
	text_fit(out->comm, sizeof(out->comm), snapshot_str(&v->strs, e->comm) ?: "?", 16,
		 TEXT_CUT_END);
	text_fit(out->syscall, sizeof(out->syscall), syscall_name(r->nr, name, sizeof(name)), 24,
		 TEXT_CUT_END);
	view_stream_args(out->args, sizeof(out->args), &v->strs, e, args_cols, skip);
	view_stream_result(out->result, sizeof(out->result), r, &out->result_role);
	if (r->rec_flags & REC_NORETURN)
		snprintf(out->dur, sizeof(out->dur), "-");
	else
		fmt_duration(out->dur, sizeof(out->dur), r->duration_ns);
	if (r->gap_ns)
		fmt_duration(out->gap, sizeof(out->gap), r->gap_ns);
	else
		snprintf(out->gap, sizeof(out->gap), "-");
}

/* --- Keys ------------------------------------------------------------------ */

static bool line_matches(const struct view_stream *v, size_t i, const char *needle)
{
	const struct snapshot_event *e = view_stream_event(v, i, NULL);
	const char *strs[] = {
		snapshot_str(&v->strs, e->comm),     snapshot_str(&v->strs, e->file),
		snapshot_str(&v->strs, e->old_file), snapshot_str(&v->strs, e->arg_path),
		snapshot_str(&v->strs, e->addr),     snapshot_str(&v->strs, e->flags)
	};
	char name[32], pid[16];
	const char *err;

	for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
		if (strs[k] && strstr(strs[k], needle))
			return true;
	if (strstr(syscall_name(e->rec.nr, name, sizeof(name)), needle))
		return true;
	err = e->rec.ret < 0 ? decode_errno_name((int)-e->rec.ret) : NULL;
	if (err && (e->rec.rec_flags & (REC_FAILED | REC_INTERRUPTED)) && strstr(err, needle))
		return true;
	snprintf(pid, sizeof(pid), "%u", e->rec.pid);
	return !strcmp(pid, needle);
}

static void select_line(struct view_stream *v, size_t i)
{
	if (!v->nlines)
		return;
	v->sel = i < v->nlines ? i : v->nlines - 1;
	v->sel_id = v->id[v->line[v->sel]];
}

/* Stop following: the lines are held from now on. */
static void hold(struct view_stream *v)
{
	v->follow = false;
}

/* Move the selection by delta lines, reading older (or newer) pages from
 * the session when it runs off the held records. */
static void move_sel(struct view_stream *v, const struct view_ctx *ctx, long delta)
{
	long target = (long)v->sel + delta;

	if (!v->nlines)
		return;
	if (delta < 0)
		hold(v);
	for (int pages = 0; target < 0 && pages < STREAM_PAGES_PER_KEY; pages++) {
		size_t before = v->nlines;
		uint64_t keep = v->sel_id;

		if (!load_page(v, ctx, true))
			break;
		v->sel_id = keep;
		refilter(v, ctx->filter);
		target += (long)(v->nlines - before);
		v->top += v->nlines - before; /* the screen stays where it was */
	}
	if (!v->follow && target >= (long)v->nlines) {
		for (int pages = 0; target >= (long)v->nlines && pages < STREAM_PAGES_PER_KEY;
		     pages++) {
			uint64_t keep = v->sel_id;

			if (!load_page(v, ctx, false))
				break;
			v->sel_id = keep;
			refilter(v, ctx->filter);
		}
	}
	if (target < 0)
		target = 0;
	select_line(v, (size_t)target);
}

static bool search(struct view_stream *v, const char *needle, int dir, bool from_here)
{
	long i = (long)v->sel + (from_here ? 0 : dir);

	for (; i >= 0 && i < (long)v->nlines; i += dir)
		if (line_matches(v, (size_t)i, needle)) {
			if (i != (long)v->nlines - 1 || !v->follow)
				hold(v);
			select_line(v, (size_t)i);
			return true;
		}
	return false;
}

enum view_result view_stream_action(struct view_stream *v, const struct view_ctx *ctx,
				    enum action a, struct drill *push)
{
	long page = v->height > 2 ? v->height - 2 : 1;
	const struct snapshot_event *e;

	switch (a) {
	case ACT_UP:
		move_sel(v, ctx, -1);
		return VIEW_HANDLED;
	case ACT_DOWN:
		move_sel(v, ctx, 1);
		return VIEW_HANDLED;
	case ACT_PAGE_UP:
		move_sel(v, ctx, -page);
		return VIEW_HANDLED;
	case ACT_PAGE_DOWN:
		move_sel(v, ctx, page);
		return VIEW_HANDLED;
	case ACT_HOME:
		hold(v);
		select_line(v, 0);
		return VIEW_HANDLED;
	case ACT_END:
		/* Follow the tail again, from the newest snapshot. */
		v->follow = true;
		view_stream_build(v, ctx);
		v->note[0] = '\0';
		return VIEW_HANDLED;
	case ACT_LEFT:
		v->hscroll = v->hscroll > 8 ? v->hscroll - 8 : 0;
		return VIEW_HANDLED;
	case ACT_RIGHT:
		v->hscroll += 8;
		return VIEW_HANDLED;
	case ACT_DRILL:
		/* Enter narrows to the record's process: the stream of one pid
		 * (Files drills by path). */
		e = view_stream_event(v, v->sel, NULL);
		if (!e)
			return VIEW_HANDLED;
		*push = (struct drill){ .kind = DRILL_PID,
					.value = (int)e->rec.pid,
					.screen = ctx->screen };
		return VIEW_PUSH;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (!ctx->search[0])
			return VIEW_UNHANDLED;
		if (!search(v, ctx->search, a == ACT_SEARCH_NEXT ? 1 : -1, false))
			snprintf(v->note, sizeof(v->note), "%s: no more matches %s", ctx->search,
				 a == ACT_SEARCH_NEXT ? "below" : "above");
		return VIEW_HANDLED;
	default:
		return VIEW_UNHANDLED;
	}
}

/* --- Drawing ----------------------------------------------------------------- */

enum { COL_TIME, COL_PID, COL_COMM, COL_SYSCALL, COL_ARGS, COL_RESULT, COL_DUR, COL_GAP, NCOL };

static const char *const titles[NCOL] = { "TIME", "PID/TID", "COMM", "SYSCALL",
					  "ARGS", "RESULT",  "DUR",  "GAP" };
static const bool right[NCOL] = { [COL_DUR] = true, [COL_GAP] = true };

/* Column widths for w columns: GAP then DUR go first, then TIME loses its
 * hour; ARGS takes what is left. */
static void layout(int w, int width[NCOL])
{
	int sum = 0;

	width[COL_TIME] = 15;
	width[COL_PID] = 11;
	width[COL_COMM] = 10;
	width[COL_SYSCALL] = 10;
	width[COL_RESULT] = w >= 118 ? 14 : 12; /* "= 0x7f5a3cd00000" */
	width[COL_DUR] = 7;
	width[COL_GAP] = 7;
	if (w < 110)
		width[COL_GAP] = 0;
	if (w < 96)
		width[COL_DUR] = 0;
	if (w < 90) {
		width[COL_TIME] = 12;
		width[COL_COMM] = 9;
		width[COL_SYSCALL] = 9;
		width[COL_RESULT] = 11;
	}
	width[COL_ARGS] = 0;
	for (int c = 0; c < NCOL; c++)
		sum += width[c] ? width[c] + 1 : 0;
	width[COL_ARGS] = w - sum - 1;
	if (width[COL_ARGS] < 4)
		width[COL_ARGS] = 4;
}

static void put(int y, int x, int w, const char *safe, bool align_right)
{
	char buf[2048];
	int used;

	if (w <= 0)
		return;
	used = text_fit_safe(buf, sizeof(buf), safe, w, TEXT_CUT_END);
	mvaddstr(y, x + (align_right ? w - used : 0), buf);
}

static void draw(void *state, const struct view_ctx *ctx, int y, int x, int h, int w)
{
	struct view_stream *v = state;
	int width[NCOL], rows = h - 1, args_x = x;
	char status[700];

	if (h < 2 || w < 20)
		return;
	layout(w, width);
	v->height = h;
	/* A new search needle (as it is typed): go to its newest match. */
	if (strcmp(v->search, ctx->search)) {
		snprintf(v->search, sizeof(v->search), "%s", ctx->search);
		if (v->search[0] && v->nlines) {
			size_t keep = v->sel;

			v->sel = v->nlines - 1;
			if (!search(v, v->search, -1, true))
				v->sel = keep;
		}
	}
	attrset(theme_attr(THEME_TABLE_HEADER));
	mvhline(y, x, ' ', w);
	for (int c = 0, pos = x; c < NCOL; c++) {
		if (!width[c])
			continue;
		put(y, pos, width[c], titles[c], right[c]);
		if (c == COL_ARGS)
			args_x = pos;
		pos += width[c] + 1;
	}
	if (v->note[0])
		snprintf(status, sizeof(status), " %s ", v->note);
	else if (v->follow)
		snprintf(status, sizeof(status), " \u25bc following ");
	else
		snprintf(status, sizeof(status), " held \u00b7 End follows%s ",
			 v->hscroll ? " \u00b7 \u2190\u2192 scrolled" : "");
	{
		char fitted[256];
		/* In the ARGS title's room, right-aligned. */
		int room = width[COL_ARGS] - 5, sw;

		if (room > 4) {
			sw = text_fit_safe(fitted, sizeof(fitted), status, room, TEXT_CUT_END);
			attrset(theme_attr(v->follow && !v->note[0] ? THEME_TABLE_HEADER
								    : THEME_WARNING));
			mvaddstr(y, args_x + width[COL_ARGS] - sw, fitted);
		}
	}
	/* Keep the selection on screen; following, the newest line is last. */
	if (v->follow || v->sel >= v->top + (size_t)rows)
		v->top = v->sel + 1 > (size_t)rows ? v->sel + 1 - (size_t)rows : 0;
	if (v->sel < v->top)
		v->top = v->sel;
	if (!v->nlines) {
		attrset(theme_attr(THEME_NORMAL));
		for (int l = 0; l < rows; l++)
			mvhline(y + 1 + l, x, ' ', w);
		view_draw_message(y + 1, x, rows, w,
				  ctx->snap ? (filter_active(ctx->filter)
						       ? "no records pass the filter (c clears it)"
						       : "no records yet")
					    : "waiting for the first snapshot");
		return;
	}
	for (int l = 0; l < rows; l++) {
		size_t i = v->top + (size_t)l;
		struct stream_cells cells;
		bool sel = i == v->sel, hit;
		int base, pos = x;
		const char *text[NCOL];

		attrset(theme_attr(THEME_NORMAL));
		mvhline(y + 1 + l, x, ' ', w);
		if (i >= v->nlines)
			continue;
		view_stream_cells(v, i, width[COL_ARGS], v->hscroll, &cells);
		hit = v->search[0] && line_matches(v, i, v->search);
		base = sel ? THEME_SELECTED : hit ? THEME_MATCH : THEME_NORMAL;
		if (sel || hit) {
			attrset(theme_attr(base));
			mvhline(y + 1 + l, x, ' ', w);
		}
		text[COL_TIME] = width[COL_TIME] < 15 ? cells.time + 3 : cells.time;
		text[COL_PID] = cells.pid;
		text[COL_COMM] = cells.comm;
		text[COL_SYSCALL] = cells.syscall;
		text[COL_ARGS] = cells.args;
		text[COL_RESULT] = cells.result;
		text[COL_DUR] = cells.dur;
		text[COL_GAP] = cells.gap;
		for (int c = 0; c < NCOL; c++) {
			if (!width[c])
				continue;
			attrset(theme_attr(base));
			if (c == COL_RESULT && cells.result_role != THEME_NORMAL) {
				if (sel)
					attron(A_BOLD);
				else
					attrset(theme_attr(cells.result_role));
			}
			put(y + 1 + l, pos, width[c], text[c], right[c]);
			pos += width[c] + 1;
		}
	}
	attrset(theme_attr(THEME_NORMAL));
}

static void *create(void)
{
	return view_stream_new();
}

static void destroy(void *state)
{
	view_stream_free(state);
}

static void build(void *state, const struct view_ctx *ctx)
{
	view_stream_build(state, ctx);
}

static enum view_result action(void *state, const struct view_ctx *ctx, enum action a,
			       struct drill *push)
{
	return view_stream_action(state, ctx, a, push);
}

static enum view_result click(void *state, const struct view_ctx *ctx, int line, int col,
			      bool double_click, struct drill *push)
{
	struct view_stream *v = state;
	size_t i = v->top + (size_t)line - 1;

	(void)col;
	if (line < 1 || i >= v->nlines)
		return VIEW_HANDLED;
	if (i != v->nlines - 1)
		hold(v);
	select_line(v, i);
	return double_click ? view_stream_action(v, ctx, ACT_DRILL, push) : VIEW_HANDLED;
}

const struct view_ops view_stream_ops = {
	.name = "Stream",
	.title = "Strm",
	.create = create,
	.destroy = destroy,
	.build = build,
	.draw = draw,
	.action = action,
	.click = click,
};
