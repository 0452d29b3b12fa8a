/* `ior replay`: a player thread feeds the session into the same sinks the
 * live capture feeds; the screens read its snapshots. */
#include "tui/cmd_replay.h"

#include <curses.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "core/player.h"
#include "tui/input.h"
#include "tui/jump.h"
#include "tui/theme.h"
#include "tui/tui.h"
#include "tui/ui.h"

static const char replay_usage[] =
	"usage: ior replay SESSION.db [--paused] [--speed X] [--start TIME]\n"
	"                  [--theme NAME|FILE] [--no-color] [--delay SECONDS]\n"
	"  --speed X      0.1 to 1000 times real time, or max (default 1)\n"
	"  --start TIME   14:03:07, +30s, 50% or #12345 (event id)\n";

struct replay_opts {
	const char *session, *theme, *start;
	double speed, delay;
	bool paused, no_color, help;
};

static int parse_double(const char *opt, const char *arg, double min, double max, double *out,
			struct ior_err *err)
{
	char *end;

	errno = 0;
	*out = strtod(arg, &end);
	if (errno || end == arg || *end || *out < min || *out > max)
		return ior_err_set(err, -EINVAL, "%s: '%s' is not a number from %g to %g", opt, arg,
				   min, max);
	return 0;
}

enum { OPT_PAUSED = 256, OPT_SPEED, OPT_START, OPT_THEME, OPT_NO_COLOR, OPT_DELAY };

static int parse(struct replay_opts *o, int argc, char **argv, struct ior_err *err)
{
	static const struct option longopts[] = {
		{ "paused", no_argument, NULL, OPT_PAUSED },
		{ "speed", required_argument, NULL, OPT_SPEED },
		{ "start", required_argument, NULL, OPT_START },
		{ "theme", required_argument, NULL, OPT_THEME },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "delay", required_argument, NULL, OPT_DELAY },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->speed = 1;
	o->delay = 0.1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PAUSED:
			o->paused = true;
			break;
		case OPT_SPEED:
			if (!strcmp(optarg, "max"))
				o->speed = 0;
			else if ((rc = parse_double("--speed", optarg, 0.1, 1000, &o->speed, err)))
				return rc;
			break;
		case OPT_START:
			o->start = optarg;
			break;
		case OPT_THEME:
			o->theme = optarg;
			break;
		case OPT_NO_COLOR:
			o->no_color = true;
			break;
		case OPT_DELAY:
			if ((rc = parse_double("--delay", optarg, 0.02, 10, &o->delay, err)))
				return rc;
			break;
		case 'h':
			fputs(replay_usage, stdout);
			o->help = true;
			return 0;
		default:
			return ior_err_set(err, -EINVAL,
					   "replay: unknown or incomplete option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return ior_err_set(err, -EINVAL,
				   "usage: ior replay SESSION.db (see ior replay --help)");
	o->session = argv[optind];
	return 0;
}

/* --start: resolved against the session's span once it is open. */
static int start_at(struct player *p, const char *expr, struct ior_err *err)
{
	const struct session_info *info = player_info(p);
	struct jump_span span = { info->start_ns, info->end_ns, info->start_ns };
	struct player_cmd c = { 0 };
	struct jump j;
	int rc;

	if ((rc = jump_parse(expr, &span, &j, err)))
		return rc;
	c.kind = j.by_id ? PLAYER_SEEK_ID : PLAYER_SEEK_TIME;
	c.arg = j.by_id ? (int64_t)j.id : (int64_t)j.ts_ns;
	player_send(p, &c);
	return 0;
}

static void run(struct ui *ui, struct player *p, struct input *in, int sfd)
{
	struct snapshot_box *box = player_box(p);

	while (ui_quit_state(ui) == UI_RUNNING) {
		struct pollfd pfd[3] = {
			{ .fd = input_fd(in), .events = POLLIN },
			{ .fd = snapshot_box_fd(box), .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		struct input_event ev;
		const char *path;
		int timeout = 250, t;

		if ((t = input_wait_ms(in)) >= 0 && t < timeout)
			timeout = t;
		if ((t = ui_timeout_ms(ui)) >= 0 && t < timeout)
			timeout = t;
		if (poll(pfd, 3, timeout) == 0 && input_flush(in, &ev))
			ui_input(ui, &ev);
		if (pfd[2].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					tui_resize();
				else if (si.ssi_signo != SIGCHLD)
					return;
			}
		}
		if (pfd[1].revents & POLLIN) {
			uint64_t n;
			const struct snapshot *s;

			if (read(snapshot_box_fd(box), &n, sizeof(n)) < 0 && errno != EAGAIN)
				return;
			if ((s = snapshot_box_acquire(box)))
				ui_snapshot(ui, s);
		}
		if (pfd[0].revents & POLLIN)
			input_feed(in);
		while (input_next(in, &ev))
			ui_input(ui, &ev);
		if (pfd[0].revents & (POLLHUP | POLLERR))
			return;
		if ((path = ui_take_edit(ui))) {
			input_suspend(in);
			tui_run_editor(path);
			input_resume(in);
		}
		ui_draw(ui);
		refresh();
	}
}

int cmd_replay(int argc, char **argv, struct ior_err *err)
{
	struct replay_opts o;
	struct player_opts po = { 0 };
	struct player *p = NULL;
	struct input *in = NULL;
	struct ui *ui = NULL;
	struct ui_opts uo = { 0 };
	struct theme theme;
	char theme_warning[600] = "";
	sigset_t mask;
	int sfd = -1, rc;

	if ((rc = parse(&o, argc, argv, err)) || o.help)
		return rc ? rc : 1;
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		o.no_color = true;
	if (theme_load(&theme, o.theme ? o.theme : "default", err)) {
		fprintf(stderr, "ior: %s; using the default theme\n", err->msg);
		snprintf(theme_warning, sizeof(theme_warning), "%s; using the default theme",
			 err->msg);
		theme_default(&theme);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return ior_err_set(err, -ENOTTY,
				   "replay needs a terminal (ior report prints a session as text)");
	po.speed = o.speed;
	po.paused = o.paused;
	po.period_ns = (uint64_t)(o.delay * 1e9);
	po.stream_records = 8192;
	po.files_max = 5000;
	/* The session is opened (and checked) before the terminal is taken. */
	if ((rc = player_start(&p, o.session, &po, err)))
		return rc;
	if (o.start && (rc = start_at(p, o.start, err)))
		goto out;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGWINCH);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		rc = ior_err_set(err, -errno, "signalfd: %s", strerror(errno));
		goto out;
	}
	uo.target = player_info(p)->target;
	uo.session = o.session;
	uo.player = p;
	uo.info = player_info(p);
	ui = ui_new(&uo);
	if (theme_warning[0]) /* said on stderr too, but the screen covers it */
		ui_message(ui, "%s", theme_warning);
	if ((rc = tui_open(&theme, o.no_color, err)) || (rc = input_open(&in, 0, err)))
		goto out;
	run(ui, p, in, sfd);
out:
	input_close(in);
	tui_close();
	ui_free(ui);
	player_stop(p);
	if (sfd >= 0)
		close(sfd);
	return rc;
}
