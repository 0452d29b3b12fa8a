/* `ior record`: trace a process tree headless into a SQLite session. */
#include "tui/cmd_record.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/capture.h"
#include "core/escape.h"
#include "core/status.h"
#include "tui/args.h"

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Wait for the end: -d, a signal, or every target gone. SIGINT, SIGTERM
 * and SIGHUP are passed on to a launched command, as strace does, and the
 * recording goes on until it has exited (so that its end is recorded), for
 * at most RECORD_SIGNAL_GRACE_MS or until a second signal; capture_stop
 * then ends it if it ignored the signal. */
#define RECORD_SIGNAL_GRACE_MS 2000

static void wait_for_end(struct capture *c, int sfd)
{
	uint64_t deadline = 0;

	for (;;) {
		struct pollfd pfd = { .fd = sfd, .events = POLLIN };
		struct signalfd_siginfo si;

		if (poll(&pfd, 1, 100) > 0 && read(sfd, &si, sizeof(si)) == sizeof(si) &&
		    si.ssi_signo != SIGCHLD) {
			if (deadline || !capture_signal(c, (int)si.ssi_signo))
				return;
			deadline = mono_ms() + RECORD_SIGNAL_GRACE_MS;
		}
		if (capture_done(c))
			return;
		if (deadline && (!capture_child_running(c) || mono_ms() > deadline))
			return;
	}
}

void record_report_child(const char *raw, int status)
{
	char cmd[512];

	if (status < 0)
		return;
	/* A command name is the user's own text, but may hold any byte:
	 * never send an escape sequence to the terminal. */
	escape_bytes(raw, strlen(raw), cmd, sizeof(cmd));
	if (WIFEXITED(status) && WEXITSTATUS(status))
		fprintf(stderr, "ior: %s exited with status %d\n", cmd, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "ior: %s was killed by signal %d (%s)\n", cmd, WTERMSIG(status),
			strsignal(WTERMSIG(status)));
}

int cmd_record(int argc, char **argv, struct ior_err *err)
{
	struct args a;
	struct pipeline extra = { 0 };
	struct capture *c = NULL;
	struct status status;
	int sfd = -1, child_status = -1, rc, crc;
	bool started = false;
	sigset_t mask;

	rc = args_parse(&a, ARGS_RECORD, argc, argv, err);
	if (!rc && !a.help)
		rc = capture_strings_max(&a.cap.strings_max, err);
	if (rc || a.help) {
		args_fini(&a);
		return rc ? rc : 1;
	}

	/* Signals are blocked before any thread starts; main reads them. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		rc = ior_err_set(err, -errno, "signalfd: %s", strerror(errno));
		goto out;
	}

	status_init(&status, a.quiet ? NULL : stderr);
	pipeline_add(&extra, &status_sink_ops, &status);
	if ((rc = capture_start(&c, &a.cap, &extra, err)))
		goto out;
	/* Before the reader starts: the status sink runs on its thread. */
	status.stalls_fn = capture_writer_stalls;
	status.stalls_ctx = c;
	if ((rc = capture_go(c, err)))
		goto out;
	started = true;
	wait_for_end(c, sfd);
out:
	crc = capture_stop(c, &child_status, rc ? NULL : err);
	if (!rc && crc)
		rc = crc;
	if (started && !rc) {
		status_finish(&status);
		if (a.cap.cmd)
			record_report_child(a.cap.cmd[0], child_status);
	}
	if (sfd >= 0)
		close(sfd);
	args_fini(&a);
	return rc;
}
