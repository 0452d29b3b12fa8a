/* A live capture: BPF, the session store, the targets and the reader
 * thread, shared by `ior record` and the live UI. */
#include "core/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf/ior_event.h"
#include "core/escape.h"
#include "core/intern.h"
#include "core/loader.h"
#include "core/log.h"
#include "core/output.h"
#include "core/reader.h"
#include "core/store.h"
#include "core/xalloc.h"

struct capture {
	struct capture_opts o;
	struct loader *l;
	struct store *st;
	struct tracker *t;
	struct reader *r;
	struct pipeline pipe;
	char *target, *cmdline;
	char cmd_path[PATH_MAX];
	pid_t child;
	int child_status; /* wait status once reaped, else -1 */
	int go_fd, exec_err_fd;
	uint64_t start_mono_ns;
	/* The session is written at new_path, beside o.out, and takes o.out's
	 * place only once the targets run (issue 9): an existing o.out
	 * (--force) is replaced no earlier, and a SIGKILL while the file and
	 * its schema are being created leaves no empty or half-made o.out.
	 * Until then (committed false) a failure removes it. */
	char new_path[PATH_MAX];
	bool session_created, committed;
	bool cmd_output_created; /* o.cmd_output is ours to remove on failure */
};

/* Grace a launched command has to exit after a signal, before SIGKILL. */
#define CAPTURE_CHILD_GRACE_MS 2000

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
static int launch(const char *path, char **cmd, int out_fd, pid_t *child, int *go_fd, int *err_fd,
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
		if (out_fd >= 0) {
			int null = open("/dev/null", O_RDONLY);

			if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd, 1) < 0 ||
			    dup2(out_fd, 2) < 0)
				_exit(126);
		}
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

/* prefix and argv[0..argc) as a shell would read them back: each word
 * quoted when needed (escape_shell_word), so that argument boundaries and
 * control characters survive into the session (issue 9). */
static char *join_words(const char *prefix, int argc, char **argv)
{
	size_t len = strlen(prefix) + 1, pos;
	char *s;

	for (int i = 0; i < argc; i++)
		len += 4 * strlen(argv[i]) + 4; /* worst case: every byte \xHH */
	s = xcalloc(1, len);
	pos = (size_t)snprintf(s, len, "%s", prefix);
	for (int i = 0; i < argc; i++) {
		if (pos)
			s[pos++] = ' ';
		pos += escape_shell_word(argv[i], s + pos, len - pos);
	}
	return s;
}

static char *describe_target(const struct capture_opts *o)
{
	char buf[4096];
	size_t pos = 0;

	if (o->all)
		return xstrdup("all");
	if (o->cmd) {
		int n = 0;

		while (o->cmd[n])
			n++;
		return join_words("", n, o->cmd);
	}
	for (int i = 0; i < o->npids && pos < sizeof(buf) - 16; i++)
		pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%spid %d", i ? "," : "",
					(int)o->pids[i]);
	return xstrdup(buf);
}

/* Tgid, state letter and thread count of pid from /proc/PID/status. */
static int proc_status(pid_t pid, pid_t *tgid, char *state, int *threads)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	*tgid = pid;
	*state = '?';
	*threads = 1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "State:", 6))
			sscanf(line + 6, " %c", state);
		else if (!strncmp(line, "Tgid:", 5))
			*tgid = (pid_t)atoi(line + 5);
		else if (!strncmp(line, "Threads:", 8))
			*threads = atoi(line + 8);
	}
	fclose(f);
	return 0;
}

/* -p targets (issue 9): a thread id becomes its process (the BPF side
 * keys the traced set by tgid, so a tid matched nothing and never ended),
 * a zombie or ior itself (a feedback loop) is refused, duplicates go. */
static int check_pids(struct capture_opts *o, struct ior_err *err)
{
	int n = 0;

	for (int i = 0; i < o->npids; i++) {
		pid_t pid = o->pids[i], tgid = pid;
		int threads = 1, rc;
		char state;
		bool dup = false;

		rc = proc_status(pid, &tgid, &state, &threads);
		if (rc == -ENOENT || rc == -ESRCH)
			return ior_err_set(err, -ESRCH, "-p: no process with pid %d", (int)pid);
		if (rc)
			return ior_err_set(err, rc, "-p: %d: %s", (int)pid, strerror(-rc));
		if (tgid == getpid())
			return ior_err_set(err, -EINVAL,
					   "-p: %d is ior itself; tracing it would trace its own "
					   "writes without end",
					   (int)pid);
		if ((state == 'Z' || state == 'X') && threads <= 1)
			return ior_err_set(err, -ESRCH,
					   "-p: %d is a zombie: it has exited and only waits for "
					   "its parent to reap it",
					   (int)pid);
		if (tgid != pid)
			log_msg(LOG_WARN,
				"ior: -p %d is a thread of process %d: tracing the process\n",
				(int)pid, (int)tgid);
		for (int j = 0; j < n; j++)
			dup |= o->pids[j] == tgid;
		if (!dup)
			o->pids[n++] = tgid;
	}
	o->npids = n;
	return 0;
}

static void session_sidecar(const char *path, const char *suffix, char *out, size_t size)
{
	snprintf(out, size, "%s%s", path, suffix);
}

/* Remove a session file we created and its -wal and -shm. */
static void remove_session(const char *path)
{
	char side[PATH_MAX + 8];

	unlink(path);
	session_sidecar(path, "-wal", side, sizeof(side));
	unlink(side);
	session_sidecar(path, "-shm", side, sizeof(side));
	unlink(side);
}

/* Under sudo, the session and its -wal and -shm go to the invoking user. */
static void give_session_to_sudo_user(const char *path)
{
	char side[PATH_MAX + 8];

	output_give_path_to_sudo_user(path);
	session_sidecar(path, "-wal", side, sizeof(side));
	output_give_path_to_sudo_user(side);
	session_sidecar(path, "-shm", side, sizeof(side));
	output_give_path_to_sudo_user(side);
}

/* The targets run: the new session takes the place of o.out. Its -wal and
 * -shm first, so that a reader opening o.out never pairs the new file with
 * the old log; an old -wal or -shm with no new one is removed. SQLite's
 * open handles follow the files (the writer keeps writing through them). */
static int commit_session(struct capture *c, struct ior_err *err)
{
	static const char *const suffixes[] = { "-wal", "-shm" };
	char from[2][PATH_MAX + 8], to[2][PATH_MAX + 8];
	int rc;

	if (c->committed || !c->session_created)
		return 0;
	for (int i = 0; i < 2; i++) {
		session_sidecar(c->new_path, suffixes[i], from[i], sizeof(from[i]));
		session_sidecar(c->o.out, suffixes[i], to[i], sizeof(to[i]));
		if (rename(from[i], to[i]) && errno == ENOENT)
			unlink(to[i]);
	}
	if (c->o.force) {
		rc = rename(c->new_path, c->o.out) ? -errno : 0;
	} else {
		/* o.out was absent when checked: never replace what another
		 * program created there since. */
		rc = renameat2(AT_FDCWD, c->new_path, AT_FDCWD, c->o.out, RENAME_NOREPLACE) ? -errno
											    : 0;
		if (rc == -EINVAL) /* no RENAME_NOREPLACE here: link fails on EEXIST */
			rc = link(c->new_path, c->o.out) || unlink(c->new_path) ? -errno : 0;
	}
	if (rc) {
		for (int i = 0; i < 2; i++) /* the log goes back to its file */
			rename(to[i], from[i]);
		return ior_err_set(err, rc, "%s: %s", c->o.out,
				   rc == -EEXIST
					   ? "created by another program meanwhile; not replaced"
					   : strerror(-rc));
	}
	c->committed = true;
	return 0;
}

/* A finished session is one self-contained file: leave WAL mode, which
 * removes the -wal and -shm, so that readers (report, export, replay, a
 * read-only mount) open it as it is and write nothing beside it (issue 9).
 * Best effort: a reader still holding it keeps it in WAL mode. */
static void finish_session(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) ==
	    SQLITE_OK) {
		sqlite3_busy_timeout(db, 1000);
		if (sqlite3_exec(db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
			log_msg(LOG_INFO, "ior: %s: stays in WAL mode: %s\n", path,
				sqlite3_errmsg(db));
	}
	sqlite3_close(db);
}

int capture_start(struct capture **out, const struct capture_opts *o, const struct pipeline *extra,
		  struct ior_err *err)
{
	struct capture *c = xcalloc(1, sizeof(*c));
	struct loader_opts lo = { 0 };
	struct tracker_opts to = { 0 };
	struct store_meta meta = { 0 };
	int rc, out_fd = -1;

	*out = NULL;
	c->o = *o;
	c->child = -1;
	c->child_status = -1;
	c->go_fd = c->exec_err_fd = -1;
	/* Cheap checks before BPF is loaded (issue 9): an unprivileged user
	 * with a bad -o hears about the -o, not about BPF. */
	if ((rc = check_pids(&c->o, err)))
		goto fail;
	c->target = describe_target(&c->o);
	if (o->cmd && (rc = find_command(o->cmd[0], c->cmd_path, sizeof(c->cmd_path), err)))
		goto fail;
	if ((rc = output_check(o->out, o->force, NULL, err)) ||
	    (o->cmd && o->cmd_output && (rc = output_check(o->cmd_output, o->force, NULL, err))))
		goto fail;
	if ((size_t)snprintf(c->new_path, sizeof(c->new_path), "%s.ior-new-%d", o->out,
			     (int)getpid()) >= sizeof(c->new_path)) {
		rc = ior_err_set(err, -ENAMETOOLONG, "%s: name too long", o->out);
		goto fail;
	}

	lo.trace_all = o->all;
	lo.follow = o->follow;
	lo.ring_bytes = o->ring_bytes;
	lo.keep = o->keep;
	if ((rc = loader_open(&c->l, &lo, err)))
		goto fail;

	c->cmdline = join_words("ior", o->argc, o->argv);
	meta.cmdline = c->cmdline;
	meta.target = c->target;
	meta.start_ns = clock_ns(CLOCK_REALTIME);
	if ((rc = store_open(&c->st, c->new_path, false, &meta, err)))
		goto fail;
	c->session_created = true;
	give_session_to_sudo_user(c->new_path);

	to.keep = o->keep;
	to.comm = o->comm;
	to.tid = o->tid;
	to.strings_max = o->strings_max;
	to.wall_offset_ns = (int64_t)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
	c->t = tracker_new(&c->pipe, &to);
	pipeline_add(&c->pipe, &store_sink_ops, c->st);
	for (int i = 0; extra && i < extra->nsinks; i++)
		if (pipeline_add(&c->pipe, extra->sinks[i].ops, extra->sinks[i].ctx)) {
			rc = ior_err_set(err, -ENOSPC, "capture: too many sinks");
			goto fail;
		}

	if (o->cmd && o->cmd_output) {
		out_fd = store_create_file(o->cmd_output, o->force, err);
		if (out_fd < 0) {
			rc = out_fd;
			goto fail;
		}
		c->cmd_output_created = true;
		output_give_to_sudo_user(out_fd);
	}
	if (o->cmd &&
	    (rc = launch(c->cmd_path, o->cmd, out_fd, &c->child, &c->go_fd, &c->exec_err_fd, err)))
		goto fail;
	if (out_fd >= 0)
		close(out_fd);
	out_fd = -1;
	for (int i = 0; i < c->o.npids; i++) {
		if ((rc = loader_add_target(c->l, c->o.pids[i], IOR_TARGET_ON, err)))
			goto fail;
		tracker_attach(c->t, (uint32_t)c->o.pids[i]);
	}
	if (c->child > 0) {
		if ((rc = loader_add_target(c->l, c->child, IOR_TARGET_AT_EXEC, err)))
			goto fail;
		tracker_launch(c->t, (uint32_t)c->child);
	}
	*out = c;
	return 0;
fail:
	if (out_fd >= 0)
		close(out_fd);
	capture_stop(c, NULL, NULL);
	return rc;
}

int capture_go(struct capture *c, struct ior_err *err)
{
	int exec_errno = 0, rc;

	if ((rc = reader_start(&c->r, c->l, c->t, &c->pipe, err)))
		return rc;
	c->start_mono_ns = clock_ns(CLOCK_MONOTONIC);
	if (c->child <= 0)
		return commit_session(c, err);
	if (write(c->go_fd, "g", 1) != 1)
		return ior_err_set(err, -errno, "cannot start %s: %s", c->o.cmd[0],
				   strerror(errno));
	close(c->go_fd);
	c->go_fd = -1;
	if (read(c->exec_err_fd, &exec_errno, sizeof(exec_errno)) == sizeof(exec_errno))
		return ior_err_set(err, -exec_errno, "%s: %s", c->o.cmd[0],
				   exec_errno == ENOENT ? "command not found"
				   : exec_errno == ENOEXEC
					   ? "cannot execute: not an executable format (a script "
					     "without #!?)"
					   : strerror(exec_errno));
	return commit_session(c, err);
}

/* Reap the launched command if it has exited. */
static void reap_child(struct capture *c)
{
	int st;

	if (c->child > 0 && c->child_status < 0 && waitpid(c->child, &st, WNOHANG) == c->child)
		c->child_status = st;
}

bool capture_child_running(struct capture *c)
{
	reap_child(c);
	return c->child > 0 && c->child_status < 0 && c->go_fd < 0;
}

bool capture_signal(struct capture *c, int sig)
{
	if (!capture_child_running(c))
		return false;
	kill(c->child, SIGCONT); /* as strace: a stopped command must see it */
	return kill(c->child, sig) == 0;
}

/* End a launched command that still runs when the capture stops (-d, a
 * signal it ignored, the UI quit): SIGTERM, then SIGKILL after a grace
 * period, as timeout(1) -k does; never leave it orphaned (issue 9). The
 * reader still runs, so its exit is recorded. */
static void end_child(struct capture *c)
{
	uint64_t deadline = clock_ns(CLOCK_MONOTONIC) + CAPTURE_CHILD_GRACE_MS * 1000000ull;

	if (!capture_signal(c, SIGTERM))
		return;
	while (capture_child_running(c) && clock_ns(CLOCK_MONOTONIC) < deadline)
		poll(NULL, 0, 10);
	if (capture_child_running(c)) {
		kill(c->child, SIGKILL);
		waitpid(c->child, &c->child_status, 0);
	}
}

/* Without -f and a launched command, are all -p processes gone? One that
 * exited between the check and its entry in the traced set would be kept
 * there for ever; this ends the capture anyway. */
static bool pids_gone(const struct capture *c)
{
	if (c->o.follow || c->child > 0 || c->o.npids == 0)
		return false;
	for (int i = 0; i < c->o.npids; i++)
		if (kill(c->o.pids[i], 0) == 0 || errno != ESRCH)
			return false;
	return true;
}

bool capture_done(struct capture *c)
{
	struct pollfd failed = { .fd = store_failure_fd(c->st), .events = POLLIN };

	reap_child(c);
	/* The session could not be written (disk full...): stop at once; the
	 * writer has rolled back and capture_stop reports why. */
	if (failed.fd >= 0 && poll(&failed, 1, 0) > 0)
		return true;
	if (c->o.duration > 0 && c->start_mono_ns &&
	    clock_ns(CLOCK_MONOTONIC) - c->start_mono_ns >= (uint64_t)(c->o.duration * 1e9))
		return true;
	return !c->o.all && (loader_target_count(c->l) == 0 || pids_gone(c));
}

struct tracker *capture_tracker(struct capture *c)
{
	return c->t;
}

const char *capture_target(const struct capture *c)
{
	return c->target;
}

pid_t capture_child(const struct capture *c)
{
	return c->child;
}

void capture_writer_stalls(void *ctx, uint64_t *count, uint64_t *ns)
{
	struct capture *c = ctx;

	*count = *ns = 0;
	if (c && c->st)
		store_stalls(c->st, count, ns);
}

int capture_stop(struct capture *c, int *child_status, struct ior_err *err)
{
	int rc = 0;

	if (child_status)
		*child_status = -1;
	if (!c)
		return 0;
	if (c->go_fd >= 0 && c->child > 0) {
		/* Launched but never let go: closing the pipe makes it exit. */
		close(c->go_fd);
		c->go_fd = -1;
		waitpid(c->child, &c->child_status, 0);
	}
	if (c->r)
		end_child(c);
	reader_stop(c->r);
	if (c->st) {
		struct ior_err cerr = { 0 };

		rc = store_close(c->st, clock_ns(CLOCK_REALTIME), &cerr);
		if (rc && err)
			*err = cerr;
	}
	if (c->session_created && !c->committed) {
		/* The targets never ran: a new file goes, an old one was never
		 * touched. */
		remove_session(c->new_path);
		if (c->cmd_output_created)
			unlink(c->o.cmd_output);
	} else if (c->committed) {
		finish_session(c->o.out);
	}
	reap_child(c);
	if (child_status)
		*child_status = c->child_status;
	if (c->t) {
		struct tracker_counts tc;

		tracker_counts(c->t, &tc);
		log_msg(LOG_DEBUG,
			"tracker: %llu records, %llu malformed; strings: %llu sweeps forgot %llu, "
			"%zu bytes held",
			(unsigned long long)tc.records, (unsigned long long)tc.malformed,
			(unsigned long long)tc.string_sweeps,
			(unsigned long long)tc.strings_forgotten,
			intern_bytes(tracker_strings(c->t)));
	}
	tracker_free(c->t);
	loader_close(c->l);
	if (c->go_fd >= 0)
		close(c->go_fd);
	if (c->exec_err_fd >= 0)
		close(c->exec_err_fd);
	free(c->target);
	free(c->cmdline);
	free(c);
	return rc;
}

int capture_strings_max(size_t *out, struct ior_err *err)
{
	const char *v = getenv("IOR_STRINGS_MAX");
	char *end;
	unsigned long long n;
	char shown[64];

	*out = CAPTURE_STRINGS_MAX;
	if (!v)
		return 0;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end || errno || n < (1u << 20) || n > SIZE_MAX / 4)
		/* The environment is the user's text: never an escape sequence
		 * to the terminal. */
		return ior_err_set(err, -EINVAL,
				   "IOR_STRINGS_MAX: '%s' is not a number of bytes of at least %u",
				   escape_bytes(v, strlen(v), shown, sizeof(shown)), 1u << 20);
	*out = (size_t)n;
	return 0;
}
