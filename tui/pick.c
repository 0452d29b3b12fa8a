/* The process picker screen. */
#include "tui/pick.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "tui/picker.h"
#include "tui/text.h"
#include "tui/theme.h"
#include "tui/tui.h"

#define RESCAN_MS 2000

struct pick {
	struct picker *p;
	char query[128];
	bool follow;
	size_t top;
	char error[256];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int put(int y, int x, int w, int role, const char *safe)
{
	char buf[1024];
	int used;

	if (w <= 0)
		return 0;
	used = text_fit_safe(buf, sizeof(buf), safe, w, TEXT_CUT_END);
	attrset(theme_attr(role));
	mvaddstr(y, x, buf);
	return used;
}

static void draw(struct pick *k)
{
	size_t n = picker_count(k->p), sel = picker_selected(k->p);
	int rows = LINES - 4, x;
	char line[256];

	erase();
	attrset(theme_attr(THEME_HEADER));
	mvhline(0, 0, ' ', COLS);
	snprintf(line, sizeof(line),
		 " ior \u25b8 pick a process to trace   %zu shown   follow children: %s", n,
		 k->follow ? "on" : "off");
	put(0, 0, COLS, THEME_HEADER, line);
	attrset(theme_attr(THEME_TABLE_HEADER));
	mvhline(1, 0, ' ', COLS);
	snprintf(line, sizeof(line), "%8s  %-10s %-16s %s", "PID", "USER", "COMM", "COMMAND");
	put(1, 0, COLS, THEME_TABLE_HEADER, line);
	if (sel < k->top)
		k->top = sel;
	if (rows > 0 && sel >= k->top + (size_t)rows)
		k->top = sel - (size_t)rows + 1;
	for (int i = 0; i < rows && k->top + (size_t)i < n; i++) {
		const struct picker_proc *pp = picker_row(k->p, k->top + (size_t)i);
		int role = k->top + (size_t)i == sel ? THEME_SELECTED : THEME_NORMAL;

		attrset(theme_attr(role));
		mvhline(2 + i, 0, ' ', COLS);
		snprintf(line, sizeof(line), "%8d  ", (int)pp->pid);
		x = put(2 + i, 0, COLS, role, line);
		x += put(2 + i, x, 10, role, pp->user);
		x = 21;
		x += put(2 + i, x, 16, role, pp->comm);
		x = 38;
		put(2 + i, x, COLS - x, role, pp->cmdline);
	}
	if (!n)
		put(LINES / 2, 2, COLS - 4, THEME_DIM, "no process matches");
	attrset(theme_attr(THEME_KEY_LABEL));
	mvhline(LINES - 2, 0, ' ', COLS);
	x = put(LINES - 2, 0, COLS, THEME_KEY, " Filter: ");
	put(LINES - 2, x, COLS - x, THEME_PANEL, k->query);
	mvhline(LINES - 1, 0, ' ', COLS);
	put(LINES - 1, 0, COLS, k->error[0] ? THEME_ERROR : THEME_KEY_LABEL,
	    k->error[0] ? k->error
			: " type to filter  \u2191\u2193 move  Enter trace  C-f follow on/off  "
			  "Esc quit");
}

static void query_key(struct pick *k, const struct input_event *ev)
{
	size_t len = strlen(k->query);

	if (ev->kind == INPUT_TEXT || !strcmp(ev->name, "Space")) {
		const char *add = ev->kind == INPUT_TEXT ? ev->name : " ";

		if (len + strlen(add) < sizeof(k->query))
			strcat(k->query, add);
	} else if (!strcmp(ev->name, "Backspace")) {
		while (len && (k->query[len - 1] & 0xc0) == 0x80)
			len--;
		k->query[len ? len - 1 : 0] = '\0';
	} else if (!strcmp(ev->name, "C-u")) {
		k->query[0] = '\0';
	} else {
		return;
	}
	picker_set_query(k->p, k->query);
}

/* 1 picked, 0 gave up, 2 go on. */
static int key(struct pick *k, const struct input_event *ev, pid_t *pid)
{
	const char *n = ev->name;
	long page = LINES > 6 ? LINES - 5 : 1;

	if (ev->kind == INPUT_MOUSE) {
		if (ev->mouse == INPUT_MOUSE_WHEEL_UP || ev->mouse == INPUT_MOUSE_WHEEL_DOWN)
			picker_move(k->p, ev->mouse == INPUT_MOUSE_WHEEL_UP ? -3 : 3);
		else if (ev->mouse == INPUT_MOUSE_PRESS && ev->line >= 2 && ev->line < LINES - 2) {
			size_t row = k->top + (size_t)(ev->line - 2);

			if (row < picker_count(k->p)) {
				picker_move(k->p, (long)row - (long)picker_selected(k->p));
				if (ev->double_click && picker_selected_proc(k->p)) {
					*pid = picker_selected_proc(k->p)->pid;
					return 1;
				}
			}
		}
		return 2;
	}
	if (!strcmp(n, "Escape") || !strcmp(n, "F10") || !strcmp(n, "C-c"))
		return 0;
	if (!strcmp(n, "Enter")) {
		if (!picker_selected_proc(k->p))
			return 2;
		*pid = picker_selected_proc(k->p)->pid;
		return 1;
	}
	if (!strcmp(n, "Up"))
		picker_move(k->p, -1);
	else if (!strcmp(n, "Down"))
		picker_move(k->p, 1);
	else if (!strcmp(n, "PageUp"))
		picker_move(k->p, -page);
	else if (!strcmp(n, "PageDown"))
		picker_move(k->p, page);
	else if (!strcmp(n, "Home"))
		picker_move(k->p, -(long)picker_count(k->p));
	else if (!strcmp(n, "End"))
		picker_move(k->p, (long)picker_count(k->p));
	else if (!strcmp(n, "C-f"))
		k->follow = !k->follow;
	else if (!strcmp(n, "C-l"))
		clearok(curscr, TRUE);
	else
		query_key(k, ev);
	return 2;
}

int pick_run(struct input *in, int sfd, pid_t *pid, bool *follow, struct ior_err *err)
{
	struct pick k = { .follow = *follow };
	long long next_scan = 0;
	int rc = 2;

	k.p = picker_new();
	picker_sort(k.p, PICKER_SORT_START, true);
	while (rc == 2) {
		struct pollfd pfd[2] = { { .fd = input_fd(in), .events = POLLIN },
					 { .fd = sfd, .events = POLLIN } };
		struct input_event ev;
		int timeout = RESCAN_MS, t;

		if (now_ms() >= next_scan) {
			struct ior_err serr = { 0 };

			if (picker_scan(k.p, "/proc", &serr) && !picker_count(k.p)) {
				rc = ior_err_set(err, serr.code, "%s", serr.msg);
				break;
			}
			next_scan = now_ms() + RESCAN_MS;
		}
		draw(&k);
		refresh();
		if ((t = input_wait_ms(in)) >= 0)
			timeout = t;
		if (poll(pfd, 2, timeout) == 0 && input_flush(in, &ev))
			rc = key(&k, &ev, pid);
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					tui_resize();
				else if (si.ssi_signo != SIGCHLD)
					rc = 0;
			}
		}
		if (pfd[0].revents & POLLIN)
			input_feed(in);
		while (rc == 2 && input_next(in, &ev))
			rc = key(&k, &ev, pid);
		if (pfd[0].revents & (POLLHUP | POLLERR))
			rc = 0;
	}
	*follow = k.follow;
	picker_free(k.p);
	return rc;
}
