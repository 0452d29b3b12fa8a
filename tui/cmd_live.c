/* The live UI: capture into stats, stream, snapshots and a session, and
 * the screens on this (the main) thread, fed by snapshots only. */
#include "tui/cmd_live.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "core/capture.h"
#include "core/snapshot.h"
#include "core/stats.h"
#include "core/stream.h"
#include "core/xalloc.h"
#include "tui/args.h"
#include "tui/cmd_record.h"
#include "tui/input.h"
#include "tui/pick.h"
#include "tui/text.h"
#include "tui/theme.h"
#include "tui/tui.h"
#include "tui/ui.h"

#define STREAM_RECORDS 8192 /* the newest records the Stream shows live */
#define SNAP_FILES     5000 /* the busiest files a snapshot carries */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ${TMPDIR:-/tmp}/ior-YYYYmmdd-HHMMSS-PID.db */
static void temp_session(char *buf, size_t size)
{
	const char *dir = getenv("TMPDIR");
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	snprintf(buf, size, "%s/ior-%04d%02d%02d-%02d%02d%02d-%d.db", dir && *dir ? dir : "/tmp",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)getpid());
}

static void remove_session(const char *path)
{
	char side[4200];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

/* The snapshot's descriptor lister over the tracker (reader thread). */
static void list_fds(void *ctx, uint32_t pid, snapshot_fd_fn fn, void *fn_ctx)
{
	tracker_list_fds(ctx, pid, fn, fn_ctx);
}

struct live {
	struct stats *stats;
	struct stream stream;
	struct snapshot_box box;
	struct capture *cap;
	struct input *in;
	struct ui *ui;
	int sfd;
};

/* The loop: input, snapshots and signals until the user quits or a
 * terminating signal arrives. Returns the quit decision. */
static enum ui_quit run(struct live *lv)
{
	bool ended = false;

	for (;;) {
		struct player *twin = ui_twin(lv->ui);
		struct pollfd pfd[4] = {
			{ .fd = input_fd(lv->in), .events = POLLIN },
			{ .fd = snapshot_box_fd(&lv->box), .events = POLLIN },
			{ .fd = lv->sfd, .events = POLLIN },
			{ .fd = twin ? snapshot_box_fd(player_box(twin)) : -1, .events = POLLIN },
		};
		struct input_event ev;
		const char *path;
		int timeout = 250, t;

		if ((t = input_wait_ms(lv->in)) >= 0 && t < timeout)
			timeout = t;
		if ((t = ui_timeout_ms(lv->ui)) >= 0 && t < timeout)
			timeout = t;
		if (poll(pfd, 4, timeout) == 0 && input_flush(lv->in, &ev))
			ui_input(lv->ui, &ev);
		if (pfd[2].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(lv->sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					tui_resize();
				else if (si.ssi_signo != SIGCHLD)
					return UI_QUIT_KEEP; /* never lose a session to a signal */
			}
		}
		if (pfd[1].revents & POLLIN) {
			uint64_t n;
			const struct snapshot *s;

			if (read(snapshot_box_fd(&lv->box), &n, sizeof(n)) < 0 && errno != EAGAIN)
				return UI_QUIT_KEEP;
			/* Paused or in the past, the last live snapshot stays ours:
			 * take none. */
			if (!ui_paused(lv->ui) && !twin && (s = snapshot_box_acquire(&lv->box)))
				ui_snapshot(lv->ui, s);
		}
		if (pfd[3].revents & POLLIN) {
			uint64_t n;
			const struct snapshot *s;

			if (read(pfd[3].fd, &n, sizeof(n)) >= 0 &&
			    (s = snapshot_box_acquire(player_box(twin))))
				ui_twin_snapshot(lv->ui, s);
		}
		if (pfd[0].revents & POLLIN)
			input_feed(lv->in);
		while (input_next(lv->in, &ev))
			ui_input(lv->ui, &ev);
		if (pfd[0].revents & (POLLHUP | POLLERR))
			return UI_QUIT_KEEP; /* the terminal went away */
		if (ui_quit_state(lv->ui) != UI_RUNNING)
			return ui_quit_state(lv->ui);
		if (!ended && capture_done(lv->cap)) {
			ended = true;
			ui_set_ended(lv->ui);
		}
		if ((path = ui_take_edit(lv->ui))) {
			input_suspend(lv->in);
			tui_run_editor(path);
			input_resume(lv->in);
		}
		snapshot_box_want_fds(&lv->box, ui_wanted_fds(lv->ui));
		ui_draw(lv->ui);
		refresh();
	}
}

int cmd_live(int argc, char **argv, struct ior_err *err)
{
	struct live lv = { .sfd = -1 };
	struct args a;
	struct theme theme;
	char theme_warning[600] = "";
	struct pipeline extra = { 0 };
	struct ui_opts uo = { 0 };
	char session[4096], output[4200];
	enum ui_quit quit = UI_QUIT_KEEP;
	int rc, crc, child_status = -1;
	bool temporary;
	sigset_t mask;

	rc = args_parse(&a, ARGS_LIVE, argc, argv, err);
	if (!rc && !a.help)
		rc = capture_strings_max(&a.cap.strings_max, err);
	if (rc || a.help) {
		args_fini(&a);
		return rc ? rc : 1;
	}
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		a.no_color = true;
	if (theme_load(&theme, a.theme ? a.theme : "default", err)) {
		fprintf(stderr, "ior: %s; using the default theme\n", err->msg);
		snprintf(theme_warning, sizeof(theme_warning), "%s; using the default theme",
			 err->msg);
		theme_default(&theme);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		args_fini(&a);
		return ior_err_set(err, -ENOTTY,
				   "the live UI needs a terminal (ior record -o FILE records "
				   "without one)");
	}
	temporary = !a.cap.out;
	if (temporary) {
		temp_session(session, sizeof(session));
		a.cap.out = session;
	} else {
		snprintf(session, sizeof(session), "%s", a.cap.out);
	}
	snprintf(output, sizeof(output), "%s.out", session);
	if (a.cap.cmd)
		a.cap.cmd_output = output;

	/* Signals are blocked before any thread starts; the loop reads them. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGWINCH);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	lv.sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (lv.sfd < 0) {
		rc = ior_err_set(err, -errno, "signalfd: %s", strerror(errno));
		goto out;
	}

	lv.stats = xcalloc(1, sizeof(*lv.stats));
	stats_init(lv.stats);
	stream_init(&lv.stream, STREAM_RECORDS);
	if ((rc = snapshot_box_init(&lv.box, lv.stats, &lv.stream, (uint64_t)(a.delay * 1e9),
				    SNAP_FILES, STREAM_RECORDS, err)))
		goto out;
	pipeline_add(&extra, &stats_sink_ops, lv.stats);
	pipeline_add(&extra, &stream_sink_ops, &lv.stream);
	pipeline_add(&extra, &snapshot_sink_ops, &lv.box);
	if ((rc = tui_open(&theme, a.no_color, err)) || (rc = input_open(&lv.in, 0, err)))
		goto out;
	if (!a.cap.cmd && !a.cap.npids && !a.cap.all) {
		pid_t pid;

		rc = pick_run(lv.in, lv.sfd, &pid, &a.cap.follow, err);
		if (rc <= 0)
			goto out; /* 0: the user gave up */
		a.cap.pids[a.cap.npids++] = pid;
		rc = 0;
	}
	if ((rc = capture_start(&lv.cap, &a.cap, &extra, err)))
		goto out;
	snapshot_box_set_fd_lister(&lv.box, list_fds, capture_tracker(lv.cap));
	snapshot_box_set_stall_source(&lv.box, capture_writer_stalls, lv.cap);

	uo.target = capture_target(lv.cap);
	uo.session = session;
	uo.temporary = temporary;
	uo.start_ns = mono_ns();
	lv.ui = ui_new(&uo);
	if (theme_warning[0]) /* said on stderr too, but the screen covers it */
		ui_message(lv.ui, "%s", theme_warning);
	if ((rc = capture_go(lv.cap, err)))
		goto out;
	quit = run(&lv);
out:
	input_close(lv.in);
	tui_close();
	/* The UI's read connection to the session (Stream scroll-back) goes
	 * first: while it is open, the finished session cannot leave WAL mode
	 * and would keep its -wal and -shm beside it. */
	ui_free(lv.ui);
	lv.ui = NULL;
	if (lv.cap)
		fprintf(stderr, "ior: finishing the session...\r");
	crc = capture_stop(lv.cap, &child_status, rc ? NULL : err);
	if (!rc && crc)
		rc = crc;
	if (lv.cap) {
		if (quit == UI_QUIT_DELETE) {
			remove_session(session);
			unlink(output);
			fprintf(stderr, "ior: session deleted          \n");
		} else {
			fprintf(stderr, "ior: session kept in %s (ior replay %s)\n", session,
				session);
			if (a.cap.cmd)
				fprintf(stderr, "ior: the output of %s is in %s\n", a.cap.cmd[0],
					output);
		}
		if (a.cap.cmd)
			record_report_child(a.cap.cmd[0], child_status);
	}
	ui_free(lv.ui);
	snapshot_box_fini(&lv.box);
	stream_fini(&lv.stream);
	if (lv.stats) {
		stats_fini(lv.stats);
		free(lv.stats);
	}
	if (lv.sfd >= 0)
		close(lv.sfd);
	args_fini(&a);
	return rc;
}
