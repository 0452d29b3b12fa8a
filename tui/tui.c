/* curses set-up and teardown; the only place that restores the terminal. */
#include "tui/tui.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Mouse: button events with drags (1002) in the classic encoding, the one
 * libtermkey 0.22 decodes right (its SGR 1006 parsing misreads the cell);
 * so clicks past column 223 are not seen. */
static const char mouse_on[] = "\033[?1002h";
static const char mouse_off[] = "\033[?1002l";
/* What a crash handler writes: mouse off, main screen, cursor on, no
 * attributes. Async-signal-safe by being a constant. */
static const char crash_reset[] = "\033[?1006l\033[?1002l\033[?1049l\033[?25h\033[0m\r\n";

static bool open_now;
static bool have_termios;
static struct termios saved_termios;
static SCREEN *screen;

static void crash_handler(int sig)
{
	ssize_t unused;

	if (open_now) {
		unused = write(STDOUT_FILENO, crash_reset, sizeof(crash_reset) - 1);
		(void)unused;
		if (have_termios)
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_exit_restore(void)
{
	tui_close();
}

static void write_str(const char *s)
{
	fputs(s, stdout);
	fflush(stdout);
}

int tui_open(const struct theme *theme, bool no_color, struct ior_err *err)
{
	static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
	static bool atexit_done;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return ior_err_set(err, -ENOTTY,
				   "the live UI needs a terminal (use ior record -o FILE)");
	have_termios = tcgetattr(STDIN_FILENO, &saved_termios) == 0;
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return ior_err_set(err, -EINVAL, "cannot use terminal type '%s'",
				   getenv("TERM") ? getenv("TERM") : "(unset)");
	open_now = true;
	if (!atexit_done) {
		atexit(on_exit_restore);
		atexit_done = true;
	}
	for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
		signal(crash_signals[i], crash_handler);
	noecho();
	nonl();
	curs_set(0);
	leaveok(stdscr, TRUE);
	if (has_colors() && !no_color) {
		start_color();
		use_default_colors();
	}
	theme_apply(theme, no_color || !has_colors());
	write_str(mouse_on);
	clear();
	return 0;
}

bool tui_is_open(void)
{
	return open_now;
}

void tui_close(void)
{
	if (!open_now)
		return;
	open_now = false;
	write_str(mouse_off);
	endwin();
	delscreen(screen);
	screen = NULL;
	if (have_termios)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
}

void tui_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		resize_term(ws.ws_row, ws.ws_col);
	clear();
}

void tui_suspend(void)
{
	sigset_t tstp, old;

	write_str(mouse_off);
	endwin();
	/* SIGTSTP may be blocked by the caller's mask: let this one through. */
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &tstp, &old);
	kill(0, SIGTSTP);
	sigprocmask(SIG_SETMASK, &old, NULL);
	write_str(mouse_on);
	tui_resize();
	refresh();
}

void tui_run_editor(const char *path)
{
	const char *ed = getenv("VISUAL");
	pid_t pid;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	write_str(mouse_off);
	endwin();
	pid = fork();
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* The editor may be a command with arguments, as shells take it. */
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	write_str(mouse_on);
	tui_resize();
	refresh();
}
