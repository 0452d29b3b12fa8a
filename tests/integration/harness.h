/* Shared helpers for the root integration tests: run `ior record` on a
 * workload in a private temp dir, wait for it or for a condition on its
 * session (with a timeout, never a sleep; failing at once, with ior's
 * stderr, if ior exits first), and query the session. A test kills only
 * what it started, by pid. When BPF is unavailable a test skips loudly;
 * with IOR_REQUIRE_BPF=1 that is a failure instead. */
#ifndef IOR_TESTS_INTEGRATION_HARNESS_H
#define IOR_TESTS_INTEGRATION_HARNESS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct run {
	int status;	 /* wait status of ior */
	char err[8192];	 /* the end of its stderr */
	char out[65536]; /* the start of its stdout */
};

static char h_dir[128];

static inline const char *h_env(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v && *v ? v : fallback;
}

static inline const char *h_ior(void)
{
	return h_env("IOR_BIN", "build/ior");
}

/* build/workloads/NAME */
static inline const char *h_work(const char *name)
{
	static char path[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", h_env("IOR_WORKLOADS", "build/workloads"),
		 name);
	return path[i];
}

/* DIR/NAME in this test's temp dir. */
static inline const char *h_path(const char *name)
{
	static char path[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(path[i], sizeof(path[i]), "%s/%s", h_dir, name);
	return path[i];
}

/* Call fn on each child of pid (of all its threads: a child belongs to
 * the thread that forked it); returns how many. */
static inline int h_each_child(pid_t pid, void (*fn)(pid_t child, void *arg), void *arg)
{
	char path[64];
	struct dirent *d;
	DIR *tasks;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	if (!tasks)
		return 0;
	while ((d = readdir(tasks))) {
		char file[sizeof(path) + sizeof(d->d_name) + 16];
		FILE *f;
		int child;

		if (d->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s/children", path, d->d_name);
		f = fopen(file, "r");
		if (!f)
			continue;
		while (fscanf(f, "%d", &child) == 1) {
			n++;
			if (fn)
				fn((pid_t)child, arg);
		}
		fclose(f);
	}
	closedir(tasks);
	return n;
}

static inline void h_kill_tree_cb(pid_t pid, void *arg);

/* SIGKILL pid and everything below it. Each process is stopped before its
 * children are read, so none can fork behind our back; when ior dies, the
 * command it launched is orphaned and would run on, so it goes too. */
static inline void h_kill_tree(pid_t pid)
{
	if (pid <= 0 || kill(pid, SIGSTOP))
		return;
	h_each_child(pid, h_kill_tree_cb, NULL);
	kill(pid, SIGKILL);
}

static inline void h_kill_tree_cb(pid_t pid, void *arg)
{
	(void)arg;
	h_kill_tree(pid);
}

/* Kill and reap every child this test process still has. Criterion runs
 * each test in a process of its own, and h_setup makes it a subreaper, so
 * these are exactly what the test started, directly or through ior. */
static inline void h_kill_children(void)
{
	h_each_child(getpid(), h_kill_tree_cb, NULL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	/* A stopped process dies at once on SIGKILL, but not synchronously. */
	for (int i = 0; i < 200 && h_each_child(getpid(), NULL, NULL); i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		poll(NULL, 0, 5);
	}
}

static inline void h_setup(void)
{
	snprintf(h_dir, sizeof(h_dir), "/tmp/ior-it-XXXXXX");
	cr_assert_not_null(mkdtemp(h_dir));
	chmod(h_dir, 0755);
	/* What ior launches outlives a SIGKILLed ior; as a subreaper this
	 * test adopts it instead of init, and h_teardown can end it. */
	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
}

static inline void h_teardown(void)
{
	char cmd[256];

	h_kill_children();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", h_dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", h_dir);
}

static inline uint64_t h_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Read all that non-blocking fd holds now into buf, NUL-terminated. The
 * pipe is always emptied, so a chatty child never blocks on it; past size
 * the head is kept, or with keep_tail the tail (where ior's error is). */
static inline void h_drain(int fd, char *buf, size_t size, size_t *len, bool keep_tail)
{
	char chunk[4096];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		size_t take = (size_t)n, room = size - 1 - *len;

		if (take > room && keep_tail) {
			size_t drop = take - room < *len ? take - room : *len;

			memmove(buf, buf + drop, *len - drop);
			*len -= drop;
			room = size - 1 - *len;
		}
		if (take > room)
			take = room;
		memcpy(buf + *len, chunk, take);
		*len += take;
	}
	buf[*len] = '\0';
}

/* A started process; its output and wait status go to *run. */
struct proc {
	pid_t pid;
	int out_fd, err_fd;
	size_t out_len, err_len;
	bool exited; /* reaped: run->status is set */
	struct run *run;
};

/* Start argv with stdout and stderr on pipes read into *r. It gets SIGKILL
 * if this test process dies (criterion's timeout), so it cannot outlive
 * the test. */
static inline void h_start(struct proc *p, struct run *r, const char *const argv[])
{
	pid_t parent = getpid();
	int out[2], err[2];

	memset(p, 0, sizeof(*p));
	memset(r, 0, sizeof(*r));
	p->run = r;
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(err, O_CLOEXEC), 0);
	p->pid = fork();
	cr_assert_geq(p->pid, 0);
	if (p->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	p->out_fd = out[0];
	p->err_fd = err[0];
	fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
}

/* Collect output for up to ms and reap p if it exited; true once it has.
 * The pipes stay non-blocking: a child of the process may hold them open. */
static inline bool h_pump(struct proc *p, int ms)
{
	struct pollfd fds[2] = { { p->out_fd, POLLIN, 0 }, { p->err_fd, POLLIN, 0 } };

	if (!p->exited) {
		poll(fds, 2, ms);
		if (waitpid(p->pid, &p->run->status, WNOHANG) == p->pid)
			p->exited = true;
	}
	h_drain(p->out_fd, p->run->out, sizeof(p->run->out), &p->out_len, false);
	h_drain(p->err_fd, p->run->err, sizeof(p->run->err), &p->err_len, true);
	return p->exited;
}

/* "exit status N" or "killed by signal N", for failure messages. */
static inline const char *h_status(const struct run *r)
{
	static char buf[64];

	if (WIFEXITED(r->status))
		snprintf(buf, sizeof(buf), "exit status %d", WEXITSTATUS(r->status));
	else if (WIFSIGNALED(r->status))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(r->status));
	else
		snprintf(buf, sizeof(buf), "wait status %#x", r->status);
	return buf;
}

/* Fail with why and p's stderr; first kill p and what it started, if it
 * still runs, and reap it (once reaped, its pid may be another's). */
static inline void __attribute__((format(printf, 2, 3)))
h_fail(struct proc *p, const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!p->exited) {
		h_kill_tree(p->pid);
		waitpid(p->pid, &p->run->status, 0);
		p->exited = true;
	}
	h_pump(p, 0);
	cr_assert_fail("%s; stderr: %s", why, p->run->err);
}

/* Wait up to timeout_ms for p to exit, collecting its output; kills it
 * and what it started, and fails, on timeout. */
static inline void h_wait(struct proc *p, int timeout_ms)
{
	uint64_t end = h_now_ms() + (uint64_t)timeout_ms;

	while (!h_pump(p, 20))
		if (h_now_ms() > end)
			h_fail(p, "timed out after %d ms", timeout_ms);
	close(p->out_fd);
	close(p->err_fd);
}

static inline int h_exit_code(const struct run *r)
{
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : 128 + WTERMSIG(r->status);
}

/* BPF unavailable: skip loudly, or fail when IOR_REQUIRE_BPF=1. */
static inline void h_need_bpf(const struct run *r)
{
	if (h_exit_code(r) == 0 || !strstr(r->err, "cannot load BPF programs"))
		return;
	if (!strcmp(h_env("IOR_REQUIRE_BPF", "0"), "1"))
		cr_assert_fail("BPF required (IOR_REQUIRE_BPF=1) but unavailable: %s", r->err);
	fprintf(stderr, "SKIP: BPF unavailable: %s", r->err);
	cr_skip_test("BPF unavailable");
}

/* Remove DIR/s.db and its WAL files, so that polling it waits for the next
 * recording's rows, never the last one's. */
static inline void h_no_session(void)
{
	unlink(h_path("s.db"));
	unlink(h_path("s.db-wal"));
	unlink(h_path("s.db-shm"));
}

/* The first column of sql on the session DIR/s.db as an integer, or -1
 * when the file, the table or the row is not there yet: for polling a
 * session that ior is still writing. */
static inline long long h_peek(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	long long v = -1;

	if (access(h_path("s.db"), R_OK) == 0 &&
	    sqlite3_open_v2(h_path("s.db"), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Wait until the recording ior p has committed a session where the query
 * (printf-style) gives at least min (see h_no_session). Fails at once, with
 * ior's exit status and stderr, if ior exits first, and after timeout_ms
 * otherwise. */
static inline void __attribute__((format(printf, 4, 5)))
h_wait_rows(struct proc *p, int timeout_ms, long long min, const char *fmt, ...)
{
	uint64_t end = h_now_ms() + (uint64_t)timeout_ms;
	long long n;
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	while ((n = h_peek(sql)) < min) {
		if (h_pump(p, 20)) {
			h_need_bpf(p->run);
			h_fail(p, "ior exited (%s) before [%s] reached %lld (at %lld)",
			       h_status(p->run), sql, min, h_peek(sql));
		}
		if (h_now_ms() > end)
			h_fail(p, "[%s] still %lld < %lld after %d ms, ior running", sql, n, min,
			       timeout_ms);
	}
}

/* The one process ior p launched (its only child): read before ior is
 * signalled, since after a SIGKILL it is orphaned and no longer ior's. */
static inline void h_only_child_cb(pid_t pid, void *arg)
{
	*(pid_t *)arg = pid;
}

static inline pid_t h_only_child(const struct proc *p)
{
	pid_t child = -1;
	int n = h_each_child(p->pid, h_only_child_cb, &child);

	cr_assert_eq(n, 1, "ior %d has %d children, expected its launched command", (int)p->pid, n);
	return child;
}

/* Start `ior ARGS...` (a va_list ending in NULL). */
static inline void h_ior_vstart(struct proc *p, struct run *r, const char *first, va_list ap)
{
	const char *argv[64];
	int n = 0;

	argv[n++] = h_ior();
	for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
		argv[n++] = a;
	argv[n] = NULL;
	h_start(p, r, argv);
}

/* Start `ior ARGS...` (NULL-terminated) in the background. */
static inline void h_ior_start(struct proc *p, struct run *r, const char *first, ...)
{
	va_list ap;

	va_start(ap, first);
	h_ior_vstart(p, r, first, ap);
	va_end(ap);
}

/* Run `ior ARGS...` (NULL-terminated) to completion. */
static inline void h_ior_run(struct run *r, const char *first, ...)
{
	struct proc p;
	va_list ap;

	va_start(ap, first);
	h_ior_vstart(&p, r, first, ap);
	va_end(ap);
	h_wait(&p, 120000);
}

/* Record a session DIR/s.db of ARGS... (after "record -q -o DIR/s.db"); the
 * recording must succeed. */
#define h_record(r, ...)                                                                 \
	do {                                                                             \
		h_ior_run((r), "record", "-q", "-o", h_path("s.db"), __VA_ARGS__, NULL); \
		h_need_bpf(r);                                                           \
		cr_assert_eq(h_exit_code(r), 0, "ior record failed: %s", (r)->err);      \
	} while (0)

static inline sqlite3 *h_db(void)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open_v2(h_path("s.db"), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return db;
}

/* First column of the first row of a query with printf-style SQL, as an
 * integer (-1 when no row, -2 when NULL). */
static inline long long h_int(sqlite3 *db, const char *fmt, ...)
{
	char sql[4096];
	sqlite3_stmt *s;
	long long v = -1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -2 : sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Same, as text into a static buffer ("(null)" / "(none)"). */
static inline const char *h_text(sqlite3 *db, const char *fmt, ...)
{
	static char out[4][8192];
	static int i;
	char sql[4096];
	sqlite3_stmt *s;
	va_list ap;

	i = (i + 1) % 4;
	snprintf(out[i], sizeof(out[i]), "(none)");
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);

		snprintf(out[i], sizeof(out[i]), "%s", t ? (const char *)t : "(null)");
	}
	sqlite3_finalize(s);
	return out[i];
}

/* stderr holds exactly one line, starting with "ior: ". */
static inline void h_one_error_line(const struct run *r)
{
	size_t len = strlen(r->err);

	cr_assert_neq(h_exit_code(r), 0, "expected failure");
	cr_assert(!strncmp(r->err, "ior: ", 5), "stderr: %s", r->err);
	cr_assert(len > 0 && r->err[len - 1] == '\n' && !memchr(r->err, '\n', len - 1),
		  "one line: %s", r->err);
}

#endif
