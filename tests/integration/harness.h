/* Shared helpers for the root integration tests: run `ior record` on a
 * workload in a private temp dir, wait for it (with a timeout, never a
 * sleep), and query the session. When BPF is unavailable a test skips
 * loudly; with IOR_REQUIRE_BPF=1 that is a failure instead. */
#ifndef IOR_TESTS_INTEGRATION_HARNESS_H
#define IOR_TESTS_INTEGRATION_HARNESS_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct run {
	int status;	 /* wait status of ior */
	char err[8192];	 /* its stderr */
	char out[65536]; /* its stdout */
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

static inline void h_setup(void)
{
	snprintf(h_dir, sizeof(h_dir), "/tmp/ior-it-XXXXXX");
	cr_assert_not_null(mkdtemp(h_dir));
	chmod(h_dir, 0755);
}

static inline void h_teardown(void)
{
	char cmd[256];

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

/* Read fd into buf until EOF or the deadline. */
static inline void h_drain(int fd, char *buf, size_t size, size_t *len)
{
	ssize_t n;

	while (*len + 1 < size && (n = read(fd, buf + *len, size - 1 - *len)) > 0)
		*len += (size_t)n;
	buf[*len] = '\0';
}

/* Start argv; its stdout and stderr are collected by h_wait. */
struct proc {
	pid_t pid;
	int out_fd, err_fd;
};

static inline struct proc h_start(const char *const argv[])
{
	int out[2], err[2];
	struct proc p;

	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(err, O_CLOEXEC), 0);
	p.pid = fork();
	cr_assert_geq(p.pid, 0);
	if (p.pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	p.out_fd = out[0];
	p.err_fd = err[0];
	fcntl(p.out_fd, F_SETFL, O_NONBLOCK);
	fcntl(p.err_fd, F_SETFL, O_NONBLOCK);
	return p;
}

/* Wait up to timeout_ms, collecting output; kills and fails on timeout. */
static inline void h_wait(struct proc *p, struct run *r, int timeout_ms)
{
	uint64_t end = h_now_ms() + (uint64_t)timeout_ms;
	size_t olen = 0, elen = 0;

	memset(r, 0, sizeof(*r));
	for (;;) {
		struct pollfd fds[2] = { { p->out_fd, POLLIN, 0 }, { p->err_fd, POLLIN, 0 } };
		pid_t w;

		poll(fds, 2, 20);
		h_drain(p->out_fd, r->out, sizeof(r->out), &olen);
		h_drain(p->err_fd, r->err, sizeof(r->err), &elen);
		w = waitpid(p->pid, &r->status, WNOHANG);
		if (w == p->pid)
			break;
		if (h_now_ms() > end) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &r->status, 0);
			cr_assert_fail("timed out after %d ms; stderr: %s", timeout_ms, r->err);
		}
	}
	/* Still non-blocking: a child of the process may hold the pipes open. */
	h_drain(p->out_fd, r->out, sizeof(r->out), &olen);
	h_drain(p->err_fd, r->err, sizeof(r->err), &elen);
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

/* Run `ior ARGS...` (NULL-terminated) to completion. */
static inline void h_ior_run(struct run *r, const char *first, ...)
{
	const char *argv[64];
	int n = 0;
	va_list ap;
	struct proc p;

	argv[n++] = h_ior();
	va_start(ap, first);
	for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	p = h_start(argv);
	h_wait(&p, r, 120000);
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
