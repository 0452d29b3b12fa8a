/* `ior record`: trace a process tree headless into a SQLite session. */
#include "tui/cmd_record.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf/ior_event.h"
#include "core/loader.h"
#include "core/reader.h"
#include "core/status.h"
#include "core/store.h"
#include "core/syscalls.h"
#include "core/tracker.h"
#include "core/xalloc.h"

#define MAX_PIDS 1024

struct record_opts {
	const char *out;
	bool force, follow, all, quiet;
	pid_t pids[MAX_PIDS];
	int npids;
	uint8_t *keep; /* NULL: every syscall */
	const char *comm;
	uint32_t tid;
	double duration; /* seconds, 0 = until the targets exit */
	size_t ring_bytes;
	char **cmd; /* argv after --, NULL if none */
};

static const char record_usage[] =
	"usage: ior record -o SESSION.db [--force] [-f] [-e FAMILY,...] [-s SYSCALL,...]\n"
	"                  [--comm NAME] [--tid TID] [-d SECONDS] [--ring-size MiB] [-q]\n"
	"                  (-p PID[,PID...] | -a | -- CMD [ARGS...])\n";

static int parse_pids(struct record_opts *o, const char *arg, struct ior_err *err)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long pid;

		errno = 0;
		pid = strtol(tok, &end, 10);
		if (errno || *end || pid <= 0 || pid > INT_MAX) {
			rc = ior_err_set(err, -EINVAL, "-p: '%s' is not a process id", tok);
			break;
		}
		if (o->npids >= MAX_PIDS) {
			rc = ior_err_set(err, -E2BIG, "-p: at most %d processes", MAX_PIDS);
			break;
		}
		if (kill((pid_t)pid, 0) && errno == ESRCH) {
			rc = ior_err_set(err, -ESRCH, "-p: no process with pid %ld", pid);
			break;
		}
		o->pids[o->npids++] = (pid_t)pid;
	}
	free(copy);
	return rc;
}

/* -e and -s: mark the selected syscalls in o->keep. */
static int parse_select(struct record_opts *o, const char *arg, bool families, struct ior_err *err)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int rc = 0;

	if (!o->keep)
		o->keep = xcalloc(IOR_NR_MAX, 1);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (families) {
			int fam = family_by_name(tok);

			if (fam < 0) {
				rc = ior_err_set(
					err, -EINVAL,
					"-e: unknown family '%s' (FS, Network, IPC, Memory, "
					"Process, Signals, Time, Sched, Security, AIO, "
					"Polling, Misc)",
					tok);
				break;
			}
			for (size_t i = 0; i < syscall_table_len; i++) {
				int nr = syscall_native_nr(&syscall_table[i]);

				if (syscall_table[i].family == fam && nr >= 0 && nr < IOR_NR_MAX)
					o->keep[nr] = 1;
			}
		} else {
			const struct syscall_info *info = syscall_by_name(tok);
			int nr = info ? syscall_native_nr(info) : -1;

			if (!info) {
				rc = ior_err_set(err, -EINVAL, "-s: unknown syscall '%s'", tok);
				break;
			}
			if (nr < 0 || nr >= IOR_NR_MAX) {
				rc = ior_err_set(err, -EINVAL,
						 "-s: syscall '%s' does not exist on this "
						 "architecture",
						 tok);
				break;
			}
			o->keep[nr] = 1;
		}
	}
	free(copy);
	return rc;
}

static int parse_number(const char *opt, const char *arg, double min, double max, double *out,
			struct ior_err *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || v < min || v > max)
		return ior_err_set(err, -EINVAL, "%s: '%s' is not a number from %g to %g", opt, arg,
				   min, max);
	*out = v;
	return 0;
}

enum { OPT_FORCE = 256, OPT_COMM, OPT_TID, OPT_RING };

static int parse_record(int argc, char **argv, struct record_opts *o, struct ior_err *err)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "pid", required_argument, NULL, 'p' },
		{ "follow", no_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "duration", required_argument, NULL, 'd' },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "tid", required_argument, NULL, OPT_TID },
		{ "ring-size", required_argument, NULL, OPT_RING },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	double v;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:p:fad:e:s:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case 'p':
			if ((rc = parse_pids(o, optarg, err)))
				return rc;
			break;
		case 'f':
			o->follow = true;
			break;
		case 'a':
			o->all = true;
			break;
		case 'd':
			if ((rc = parse_number("-d", optarg, 0.001, 1e7, &o->duration, err)))
				return rc;
			break;
		case 'e':
		case 's':
			if ((rc = parse_select(o, optarg, c == 'e', err)))
				return rc;
			break;
		case OPT_COMM:
			if (strlen(optarg) > 15)
				return ior_err_set(err, -EINVAL,
						   "--comm: '%s' is longer than 15 bytes, the "
						   "kernel's limit",
						   optarg);
			o->comm = optarg;
			break;
		case OPT_TID:
			if ((rc = parse_number("--tid", optarg, 1, INT_MAX, &v, err)))
				return rc;
			o->tid = (uint32_t)v;
			break;
		case OPT_RING:
			if ((rc = parse_number("--ring-size", optarg, 1, 4096, &v, err)))
				return rc;
			o->ring_bytes = (size_t)v << 20;
			if (o->ring_bytes & (o->ring_bytes - 1))
				return ior_err_set(err, -EINVAL,
						   "--ring-size: %s MiB is not a power of two",
						   optarg);
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(record_usage, stdout);
			return 1;
		case '?':
		default:
			if (optopt)
				return ior_err_set(err, -EINVAL,
						   "record: bad or incomplete option '-%c'",
						   optopt);
			return ior_err_set(err, -EINVAL, "record: unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->cmd = argv + optind;
	if (!o->out)
		return ior_err_set(err, -EINVAL, "record: no output file (-o SESSION.db)");
	if (!o->cmd && !o->npids && !o->all)
		return ior_err_set(err, -EINVAL,
				   "record: nothing to trace (give -p PID, -a, or -- CMD ARGS)");
	if (o->all && (o->cmd || o->npids))
		return ior_err_set(err, -EINVAL, "record: -a traces everything; drop -p and CMD");
	return 0;
}

/* Find CMD as execvp would, into path: the child then makes exactly one
 * execve (as under strace), and "command not found" comes before forking. */
static int find_command(const char *cmd, char *path, size_t size, struct ior_err *err)
{
	const char *dirs = getenv("PATH");

	if (strchr(cmd, '/')) {
		if (access(cmd, X_OK) != 0)
			return ior_err_set(err, -errno, "%s: %s", cmd, strerror(errno));
		snprintf(path, size, "%s", cmd);
		return 0;
	}
	if (!dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	while (*dirs) {
		size_t len = strcspn(dirs, ":");
		struct stat st;

		snprintf(path, size, "%.*s/%s", (int)len, len ? dirs : ".", cmd);
		if (access(path, X_OK) == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		dirs += len + (dirs[len] == ':');
	}
	return ior_err_set(err, -ENOENT, "%s: command not found", cmd);
}

/* As `strace -u`: under sudo, the command runs as the invoking user. */
static void drop_to_sudo_user(void)
{
	const char *uid = getenv("SUDO_UID"), *gid = getenv("SUDO_GID");

	if (!uid || !gid || geteuid() != 0)
		return;
	if (setgroups(0, NULL) || setgid((gid_t)atoi(gid)) || setuid((uid_t)atoi(uid))) {
		perror("ior: cannot switch to SUDO_UID");
		_exit(126);
	}
}

/* Fork CMD stopped on a pipe; it execs when go_fd is closed. */
static int launch(const char *path, char **cmd, pid_t *child, int *go_fd, int *err_fd,
		  struct ior_err *err)
{
	int go[2], report[2];
	pid_t pid;
	char byte;

	if (pipe2(go, O_CLOEXEC) || pipe2(report, O_CLOEXEC))
		return ior_err_set(err, -errno, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		return ior_err_set(err, -errno, "fork: %s", strerror(errno));
	if (pid == 0) {
		sigset_t none;
		int e;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(go[1]);
		close(report[0]);
		if (read(go[0], &byte, 1) != 1)
			_exit(126); /* ior gave up before starting us */
		drop_to_sudo_user();
		execv(path, cmd);
		e = errno;
		if (write(report[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(report[1]);
	*child = pid;
	*go_fd = go[1];
	*err_fd = report[0];
	return 0;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* "ior ARGS...": argv starts at the subcommand. */
static char *join_args(int argc, char **argv)
{
	size_t len = sizeof("ior");
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xcalloc(1, len);
	strcpy(s, "ior");
	for (int i = 0; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static char *describe_target(const struct record_opts *o)
{
	char buf[4096];
	size_t pos = 0;

	if (o->all)
		return xstrdup("all");
	if (o->cmd) {
		int n = 0;

		char *joined, *target;

		while (o->cmd[n])
			n++;
		joined = join_args(n, o->cmd);
		target = xstrdup(joined + 4); /* without "ior " */
		free(joined);
		return target;
	}
	for (int i = 0; i < o->npids && pos < sizeof(buf) - 16; i++)
		pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%spid %d", i ? "," : "",
					(int)o->pids[i]);
	return xstrdup(buf);
}

/* Wait for the end: duration, a signal, or every target gone. Returns the
 * launched child's wait status when it was reaped, else -1. */
static int wait_for_end(struct loader *l, const struct record_opts *o, int sfd, pid_t child,
			int *child_status)
{
	uint64_t start = clock_ns(CLOCK_MONOTONIC);
	int stop_signal = 0;

	for (;;) {
		struct pollfd pfd = { .fd = sfd, .events = POLLIN };
		struct signalfd_siginfo si;

		if (poll(&pfd, 1, 100) > 0 && read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo != SIGCHLD) {
				stop_signal = (int)si.ssi_signo;
				break;
			}
		}
		if (child > 0 && *child_status < 0) {
			int st;

			if (waitpid(child, &st, WNOHANG) == child)
				*child_status = st;
		}
		if (o->duration > 0 &&
		    clock_ns(CLOCK_MONOTONIC) - start >= (uint64_t)(o->duration * 1e9))
			break;
		if (!o->all && loader_target_count(l) == 0)
			break;
	}
	return stop_signal;
}

static void report_child(const char *cmd, int status)
{
	if (status < 0)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status))
		fprintf(stderr, "ior: %s exited with status %d\n", cmd, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "ior: %s was killed by signal %d (%s)\n", cmd, WTERMSIG(status),
			strsignal(WTERMSIG(status)));
}

int cmd_record(int argc, char **argv, struct ior_err *err)
{
	struct record_opts o = { 0 };
	struct loader_opts lo = { 0 };
	struct tracker_opts to = { 0 };
	struct pipeline pipe = { 0 };
	struct loader *l = NULL;
	struct store *st = NULL;
	struct tracker *t = NULL;
	struct reader *r = NULL;
	struct status status;
	struct store_meta meta = { 0 };
	int go_fd = -1, exec_err_fd = -1, sfd = -1, child_status = -1, rc;
	pid_t child = -1;
	sigset_t mask;
	char *cmdline = join_args(argc, argv), *target = NULL;
	char cmd_path[PATH_MAX];

	rc = parse_record(argc, argv, &o, err);
	if (rc)
		goto out;
	target = describe_target(&o);
	if (o.cmd && (rc = find_command(o.cmd[0], cmd_path, sizeof(cmd_path), err)))
		goto out;

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

	lo.trace_all = o.all;
	lo.follow = o.follow;
	lo.ring_bytes = o.ring_bytes;
	lo.keep = o.keep;
	if ((rc = loader_open(&l, &lo, err)))
		goto out;

	meta.cmdline = cmdline;
	meta.target = target;
	meta.start_ns = clock_ns(CLOCK_REALTIME);
	if ((rc = store_open(&st, o.out, o.force, &meta, err)))
		goto out;

	to.keep = o.keep;
	to.comm = o.comm;
	to.tid = o.tid;
	to.wall_offset_ns = (int64_t)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
	t = tracker_new(&pipe, &to);
	pipeline_add(&pipe, &store_sink_ops, st);
	status_init(&status, o.quiet ? NULL : stderr);
	pipeline_add(&pipe, &status_sink_ops, &status);

	if (o.cmd && (rc = launch(cmd_path, o.cmd, &child, &go_fd, &exec_err_fd, err)))
		goto out;
	for (int i = 0; i < o.npids; i++) {
		if ((rc = loader_add_target(l, o.pids[i], IOR_TARGET_ON, err)))
			goto out;
		tracker_attach(t, (uint32_t)o.pids[i]);
	}
	if (child > 0) {
		if ((rc = loader_add_target(l, child, IOR_TARGET_AT_EXEC, err)))
			goto out;
		tracker_launch(t, (uint32_t)child);
	}
	if ((rc = reader_start(&r, l, t, &pipe, err)))
		goto out;
	if (child > 0) {
		int exec_errno = 0;

		if (write(go_fd, "g", 1) != 1) {
			rc = ior_err_set(err, -errno, "cannot start %s: %s", o.cmd[0],
					 strerror(errno));
			goto out;
		}
		close(go_fd);
		go_fd = -1;
		if (read(exec_err_fd, &exec_errno, sizeof(exec_errno)) == sizeof(exec_errno)) {
			rc = ior_err_set(err, -exec_errno, "%s: %s", o.cmd[0],
					 exec_errno == ENOENT ? "command not found"
							      : strerror(exec_errno));
			goto out;
		}
	}
	wait_for_end(l, &o, sfd, child, &child_status);
out:
	reader_stop(r);
	if (st) {
		struct ior_err cerr = { 0 };
		int crc = store_close(st, clock_ns(CLOCK_REALTIME), &cerr);

		if (crc && !rc) {
			*err = cerr;
			rc = crc;
		}
	}
	if (r || t) {
		if (!rc)
			status_finish(&status);
	}
	if (child > 0 && child_status < 0 && rc == 0) {
		/* The targets are gone, so the child is a zombie: reap it. A child
		 * still running (-d expired, or it left the traced set) is left be. */
		waitpid(child, &child_status, WNOHANG);
	}
	if (child > 0 && rc == 0)
		report_child(o.cmd[0], child_status);
	tracker_free(t);
	loader_close(l);
	if (go_fd >= 0)
		close(go_fd);
	if (exec_err_fd >= 0)
		close(exec_err_fd);
	if (sfd >= 0)
		close(sfd);
	free(o.keep);
	free(cmdline);
	free(target);
	return rc;
}
