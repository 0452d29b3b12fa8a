/* Quick versions of tests/bench/scale.sh: each recording of a scale
 * workload (tests/workloads/scale.c) matches the workload's own counts. */
#include "harness.h"

TestSuite(scale, .init = h_setup, .fini = h_teardown, .timeout = 120);

#define h_record_scale(r, ...) h_record(r, "-f", "--", h_work("scale"), __VA_ARGS__)

/* A fork storm: every child's call, every child's end. */
Test(scale, fork_storm)
{
	struct run r;
	sqlite3 *db;

	h_record_scale(&r, "fork", "300");
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'getppid'"), 300);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM processes WHERE exit_ns IS NOT NULL AND "
			       "ppid = (SELECT pid FROM events_v WHERE syscall = 'execve' "
			       "ORDER BY id LIMIT 1)"),
		     300);
	cr_assert_eq(h_int(db, "SELECT events_lost FROM session"), 0);
	sqlite3_close(db);
}

/* Threads alive at once: one call each, each its own tid, one process. */
Test(scale, many_threads)
{
	struct run r;
	sqlite3 *db;

	h_record_scale(&r, "threads", "1000");
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(DISTINCT tid) FROM events_v WHERE syscall = "
			       "'gettid'"),
		     1000);
	cr_assert_eq(h_int(db, "SELECT count(DISTINCT pid) FROM events_v"), 1);
	sqlite3_close(db);
}

/* Children inheriting a descriptor at the highest number allowed; an exec
 * chain keeps one pid. */
Test(scale, high_descriptor_children_and_exec_chain)
{
	struct run r;
	sqlite3 *db;

	h_record_scale(&r, "wide", "200");
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'getppid'"), 200);
	sqlite3_close(db);
	h_ior_run(&r, "record", "-q", "--force", "-f", "-o", h_path("s.db"), "--", h_work("scale"),
		  "exec", "30", NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'execve' AND "
			       "ret = 0"),
		     31);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'getpid'"), 31);
	cr_assert_eq(h_int(db, "SELECT count(DISTINCT pid) FROM events_v"), 1);
	sqlite3_close(db);
}

/* One pid, two processes in turn: two process rows, and the second does
 * not inherit the first's descriptors (its write to fd 3 names no file). */
Test(scale, pid_reused_within_a_session)
{
	struct run r;
	sqlite3 *db;
	int pid;

	h_ior_run(&r, "record", "-q", "-f", "-o", h_path("s.db"), "--", h_work("scale"), "pidreuse",
		  h_dir, NULL);
	h_need_bpf(&r);
	if (strstr(r.err, "not reused")) {
		/* Other processes took the pid 50 times: a busy machine. */
		cr_log_warn("SKIP: %s", r.err);
		cr_skip_test("pid not reused");
	}
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	cr_assert(sscanf(r.out, "scale: pid %d reused", &pid) == 1, "%s", r.out);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM processes WHERE pid = %d", pid), 2);
	cr_assert_eq(h_int(db,
			   "SELECT count(*) FROM events_v WHERE pid = %d AND syscall = 'write' "
			   "AND ret = 1 AND file = '%s'",
			   pid, h_path("first")),
		     1);
	cr_assert_eq(h_int(db,
			   "SELECT count(*) FROM events_v WHERE pid = %d AND syscall = 'write' "
			   "AND errno = 'EBADF' AND file IS NULL",
			   pid),
		     1);
	cr_assert_eq(h_int(db,
			   "SELECT count(*) FROM events_v WHERE pid = %d AND syscall = 'write' "
			   "AND ret = 2 AND file = '%s'",
			   pid, h_path("second")),
		     1);
	sqlite3_close(db);
}

/* A string table bounded at 1 MiB (the default is 32): 30,000 names that
 * do not exist, then 300 processes each opening one of the first names
 * again, long forgotten. Every record names its own path; the forgotten
 * names come again under new ids; the report reads the session. */
Test(scale, bounded_string_table)
{
	struct run r;
	sqlite3 *db;

	setenv("IOR_STRINGS_MAX", "1048576", 1);
	h_record_scale(&r, "churn", "30000", "300", h_dir);
	unsetenv("IOR_STRINGS_MAX");
	db = h_db();
	cr_assert_eq(h_int(db,
			   "SELECT count(*) FROM events_v WHERE syscall IN ('open', 'openat') "
			   "AND errno = 'ENOENT' AND file GLOB '%s/d*/f*'",
			   h_dir),
		     30300);
	cr_assert_eq(h_int(db,
			   "SELECT count(DISTINCT file) FROM events_v WHERE file GLOB "
			   "'%s/d*/f*'",
			   h_dir),
		     30000);
	/* Each child's open names the path of its own number. */
	cr_assert_eq(h_int(db,
			   "SELECT count(*) FROM events_v e JOIN processes p ON p.pid = e.pid "
			   "WHERE e.syscall IN ('open', 'openat') AND e.file GLOB '%s/d*/f*' "
			   "AND p.ppid = (SELECT pid FROM events_v WHERE syscall = 'execve' "
			   "ORDER BY id LIMIT 1)",
			   h_dir),
		     300);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM strings WHERE s = '%s/d0/f0'", h_dir), 2,
		     "forgotten, then met again");
	cr_assert_eq(h_int(db, "SELECT events_lost FROM session"), 0);
	sqlite3_close(db);
	h_ior_run(&r, "report", h_path("s.db"), NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	setenv("IOR_STRINGS_MAX", "12", 1);
	h_ior_run(&r, "record", "-q", "--force", "-o", h_path("s.db"), "--", "true", NULL);
	unsetenv("IOR_STRINGS_MAX");
	cr_assert_neq(h_exit_code(&r), 0);
	cr_assert(strstr(r.err, "IOR_STRINGS_MAX"), "%s", r.err);
	/* A hostile value is shown escaped. */
	setenv("IOR_STRINGS_MAX", "1\x1b[31m", 1);
	h_ior_run(&r, "record", "-q", "--force", "-o", h_path("s.db"), "--", "true", NULL);
	unsetenv("IOR_STRINGS_MAX");
	cr_assert_neq(h_exit_code(&r), 0);
	cr_assert(strstr(r.err, "\\x1b"), "%s", r.err);
	for (const char *c = r.err; *c; c++)
		cr_assert(*c == '\n' || (*c >= 0x20 && *c < 0x7f), "control byte: %s", r.err);
}
