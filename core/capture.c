/* A live capture: BPF, the session store, the targets and the reader
 * thread, shared by `ior record` and the live UI. */
#include "core/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf/ior_event.h"
#include "core/loader.h"
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
};

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

static char *describe_target(const struct capture_opts *o)
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
	c->target = describe_target(o);
	if (o->cmd && (rc = find_command(o->cmd[0], c->cmd_path, sizeof(c->cmd_path), err)))
		goto fail;

	lo.trace_all = o->all;
	lo.follow = o->follow;
	lo.ring_bytes = o->ring_bytes;
	lo.keep = o->keep;
	if ((rc = loader_open(&c->l, &lo, err)))
		goto fail;

	c->cmdline = join_args(o->argc, o->argv);
	meta.cmdline = c->cmdline;
	meta.target = c->target;
	meta.start_ns = clock_ns(CLOCK_REALTIME);
	if ((rc = store_open(&c->st, o->out, o->force, &meta, err)))
		goto fail;

	to.keep = o->keep;
	to.comm = o->comm;
	to.tid = o->tid;
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
	}
	if (o->cmd &&
	    (rc = launch(c->cmd_path, o->cmd, out_fd, &c->child, &c->go_fd, &c->exec_err_fd, err)))
		goto fail;
	if (out_fd >= 0)
		close(out_fd);
	out_fd = -1;
	for (int i = 0; i < o->npids; i++) {
		if ((rc = loader_add_target(c->l, o->pids[i], IOR_TARGET_ON, err)))
			goto fail;
		tracker_attach(c->t, (uint32_t)o->pids[i]);
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
		return 0;
	if (write(c->go_fd, "g", 1) != 1)
		return ior_err_set(err, -errno, "cannot start %s: %s", c->o.cmd[0],
				   strerror(errno));
	close(c->go_fd);
	c->go_fd = -1;
	if (read(c->exec_err_fd, &exec_errno, sizeof(exec_errno)) == sizeof(exec_errno))
		return ior_err_set(err, -exec_errno, "%s: %s", c->o.cmd[0],
				   exec_errno == ENOENT ? "command not found"
							: strerror(exec_errno));
	return 0;
}

bool capture_done(struct capture *c)
{
	if (c->child > 0 && c->child_status < 0) {
		int st;

		if (waitpid(c->child, &st, WNOHANG) == c->child)
			c->child_status = st;
	}
	if (c->o.duration > 0 && c->start_mono_ns &&
	    clock_ns(CLOCK_MONOTONIC) - c->start_mono_ns >= (uint64_t)(c->o.duration * 1e9))
		return true;
	return !c->o.all && loader_target_count(c->l) == 0;
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
	reader_stop(c->r);
	if (c->st) {
		struct ior_err cerr = { 0 };

		rc = store_close(c->st, clock_ns(CLOCK_REALTIME), &cerr);
		if (rc && err)
			*err = cerr;
	}
	if (c->child > 0 && c->child_status < 0) {
		/* The targets are gone, so the child is a zombie: reap it. A child
		 * still running (-d expired, or it left the traced set) is left be. */
		waitpid(c->child, &c->child_status, WNOHANG);
	}
	if (child_status)
		*child_status = c->child_status;
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
