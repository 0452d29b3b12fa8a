/* Root integration tests: `ior record` on real processes through the real
 * kernel into a real session, one behaviour per test. */
#include <sched.h>
#include <sys/resource.h>

#include "harness.h"

TestSuite(record, .init = h_setup, .fini = h_teardown, .timeout = 120);

/* A launched command is traced from its execve: the open, the bytes read,
 * exit_group as noreturn, the process row with its exit code. */
Test(record, launched_command_from_execve)
{
	struct run r;
	sqlite3 *db;
	FILE *f = fopen(h_path("in.txt"), "w");

	fputs("hello, ior\n", f);
	fclose(f);
	h_record(&r, "--", "/bin/cat", h_path("in.txt"));
	db = h_db();
	cr_assert_str_eq(h_text(db, "SELECT syscall FROM events_v ORDER BY id LIMIT 1"), "execve");
	cr_assert_str_eq(h_text(db, "SELECT file FROM events_v ORDER BY id LIMIT 1"), "/bin/cat");
	cr_assert_str_eq(h_text(db,
				"SELECT flags FROM events_v WHERE syscall = 'openat' AND "
				"file = '%s'",
				h_path("in.txt")),
			 "O_RDONLY");
	cr_assert_eq(h_int(db,
			   "SELECT sum(bytes) FROM events_v WHERE syscall = 'read' AND "
			   "file = '%s' AND byte_class = 'READ'",
			   h_path("in.txt")),
		     11);
	cr_assert_eq(h_int(db, "SELECT noreturn FROM events_v WHERE syscall = 'exit_group'"), 1);
	cr_assert_eq(h_int(db, "SELECT exit_code FROM processes"), 0);
	cr_assert_str_eq(h_text(db, "SELECT comm FROM processes_v"), "cat");
	cr_assert_eq(h_int(db, "SELECT events_lost FROM session"), 0);
	cr_assert_eq(h_int(db, "SELECT events_recorded = (SELECT count(*) FROM events) FROM "
			       "session"),
		     1);
	cr_assert_gt(h_int(db, "SELECT end_ns FROM session"), 0);
	sqlite3_close(db);
}

/* -f adds forked children (and grandchildren); without it they are not traced. */
Test(record, follow_mode_adds_descendants)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "-f", "--", "/bin/sh", "-c", "/bin/sh -c '/bin/true'; /bin/ls / >/dev/null");
	db = h_db();
	cr_assert_geq(h_int(db, "SELECT count(DISTINCT pid) FROM events_v"), 4);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM processes_v WHERE comm = 'true' AND ppid IN "
			       "(SELECT pid FROM processes_v WHERE comm = 'sh')"),
		     1);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE comm = 'ls' AND "
			       "syscall = 'getdents64'"),
		     2);
	sqlite3_close(db);
	h_ior_run(&r, "record", "-q", "--force", "-o", h_path("s.db"), "--", "/bin/sh", "-c",
		  "/bin/ls / >/dev/null", NULL);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE comm = 'ls'"), 0);
	cr_assert_eq(h_int(db, "SELECT count(DISTINCT pid) FROM events_v"), 1);
	sqlite3_close(db);
}

/* Both ends of a pipe are registered at exit: writer and reader name the
 * same pipe:[inode]; the shell's redirection dup2s /dev/null onto fd 1. */
Test(record, pipes_and_redirections)
{
	struct run r;
	sqlite3 *db;
	const char *w, *rd;

	h_record(&r, "-f", "--", "/bin/sh", "-c", "echo hi | /bin/cat > /dev/null");
	db = h_db();
	w = h_text(db, "SELECT file FROM events_v WHERE syscall = 'write' AND comm = 'sh' AND "
		       "bytes = 3");
	rd = h_text(db, "SELECT file FROM events_v WHERE syscall = 'read' AND comm = 'cat' AND "
			"bytes = 3");
	cr_assert(!strncmp(w, "pipe:[", 6), "%s", w);
	cr_assert_str_eq(w, rd);
	cr_assert_str_eq(h_text(db, "SELECT file FROM events_v WHERE syscall = 'write' AND "
				    "comm = 'cat'"),
			 "/dev/null");
	sqlite3_close(db);
}

/* Threads: distinct tids, one pid, the shared descriptor's path in each. */
Test(record, threads_share_descriptors)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "threads", h_dir);
	db = h_db();
	cr_assert_eq(h_int(db,
			   "SELECT count(DISTINCT tid) FROM events_v WHERE syscall = "
			   "'pread64' AND file = '%s'",
			   h_path("shared.txt")),
		     4);
	cr_assert_eq(h_int(db, "SELECT count(DISTINCT pid) FROM events_v"), 1);
	sqlite3_close(db);
}

/* A read interrupted by a signal: the kernel's exit value is ERESTARTSYS
 * with and without SA_RESTART (user space sees EINTR only through
 * rt_sigreturn's restored value, as strace shows it): recorded as
 * interrupted, not failed. */
Test(record, restart_codes_are_interrupted)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "interrupted", h_dir);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'read' AND "
			       "errno = 'ERESTARTSYS' AND interrupted = 1"),
		     2);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'rt_sigreturn' AND "
			       "noreturn = 1 AND ret = -4"),
		     1);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'read' AND "
			       "ret = 1"),
		     2);
	sqlite3_close(db);
}

/* A call denied by seccomp still produces a record. */
Test(record, seccomp_denied_call_recorded)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "seccomp", h_dir);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'getppid' AND "
			       "errno = 'EPERM' AND enter_missing = 1"),
		     1);
	sqlite3_close(db);
}

/* comm follows prctl(PR_SET_NAME) (15 bytes at most) and exec. */
Test(record, comm_follows_renames)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "comm", h_dir);
	db = h_db();
	cr_assert_str_eq(h_text(db, "SELECT comm FROM events_v WHERE syscall = 'getpid'"),
			 "renamed-worker");
	/* The execve record is written at its exit, after the rename. */
	cr_assert_str_eq(h_text(db, "SELECT comm FROM events_v WHERE syscall = 'execve'"),
			 "basics");
	cr_assert_str_eq(h_text(db, "SELECT comm FROM events_v WHERE syscall = 'brk' ORDER BY id "
				    "LIMIT 1"),
			 "basics");
	cr_assert_eq(h_int(db, "SELECT count(*) FROM comms c JOIN strings s ON s.id = c.comm "
			       "WHERE s.s = 'renamed-worker'"),
		     1);
	sqlite3_close(db);
}

/* Hostile names are stored byte for byte. */
Test(record, hostile_names_round_trip)
{
	const char *names[] = { "new\nline", "tab\there", "esc\x1b[31mred", "bad\xff\xfeutf8" };
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "hostile", h_dir);
	db = h_db();
	for (int i = 0; i < 4; i++) {
		sqlite3_stmt *s;
		const char *want = h_path(names[i]);

		cr_assert_eq(sqlite3_prepare_v2(db,
						"SELECT count(*) FROM events_v WHERE syscall = "
						"'unlink' AND CAST(file AS BLOB) = ?",
						-1, &s, NULL),
			     SQLITE_OK);
		sqlite3_bind_blob(s, 1, want, (int)strlen(want), SQLITE_STATIC);
		cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
		cr_assert_eq(sqlite3_column_int(s, 0), 1, "name %d", i);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

/* A 4000-byte path is kept whole; one past PATH_MAX is marked truncated. */
Test(record, long_paths_whole_or_marked)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "longpath", h_dir);
	db = h_db();
	cr_assert_eq(h_int(db,
			   "SELECT length(CAST(file AS BLOB)) FROM events_v WHERE syscall = "
			   "'openat' AND ret >= 0 AND file LIKE '%s/%%'",
			   h_dir),
		     4000);
	cr_assert_eq(h_int(db, "SELECT truncated FROM events_v WHERE errno = 'ENAMETOOLONG'"), 1);
	sqlite3_close(db);
}

/* epoll_ctl: op, target fd and requested events. */
Test(record, epoll_ctl_extras)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "epoll", h_dir);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT epoll_events FROM events_v WHERE epoll_op = 'ADD'"),
		     0x80000001LL);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE epoll_op = 'DEL'"), 1);
	cr_assert_str_eq(h_text(db, "SELECT file FROM events_v WHERE epoll_op = 'ADD'"),
			 "anon_inode:[eventpoll]");
	sqlite3_close(db);
}

/* mmap, mremap, munmap: address_space_bytes; nanosleep: requested_sleep_ns. */
Test(record, memory_and_sleep_extras)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "memory", h_dir);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT address_space_bytes FROM events_v WHERE syscall = 'mremap'"),
		     8192);
	cr_assert_eq(h_int(db, "SELECT address_space_bytes FROM events_v WHERE syscall = 'munmap' "
			       "ORDER BY id DESC LIMIT 1"),
		     -16384);
	sqlite3_close(db);
	h_ior_run(&r, "record", "-q", "--force", "-o", h_path("s.db"), "--", h_work("basics"),
		  "sleeps", h_dir, NULL);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT requested_sleep_ns FROM events_v WHERE syscall = "
			       "'clock_nanosleep' ORDER BY id LIMIT 1"),
		     1000000);
	cr_assert_geq(h_int(db, "SELECT min(duration_ns) FROM events_v WHERE syscall = "
				"'clock_nanosleep'"),
		      1000000);
	sqlite3_close(db);
}

/* CLOEXEC honoured on exec, dup2 aliases, F_SETFD updates the flag. */
Test(record, cloexec_on_exec)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "cloexec", h_dir);
	db = h_db();
	cr_assert_str_eq(h_text(db, "SELECT file FROM events_v WHERE syscall = 'write' AND fd = 5"),
			 h_path("keep.txt"));
	cr_assert_str_eq(
		h_text(db, "SELECT errno FROM events_v WHERE syscall = 'write' AND fd = 6"),
		"EBADF");
	cr_assert_str_eq(h_text(db, "SELECT file FROM events_v WHERE syscall = 'write' AND fd = 6"),
			 "(null)");
	sqlite3_close(db);
}

/* Sockets over loopback: addresses decoded, descriptors named by inode. */
Test(record, sockets_and_addresses)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "sockets", h_dir);
	db = h_db();
	cr_assert(!strncmp(h_text(db, "SELECT addr FROM events_v WHERE syscall = 'connect'"),
			   "AF_INET 127.0.0.1:", 18));
	cr_assert(!strncmp(h_text(db, "SELECT file FROM events_v WHERE syscall = 'sendto'"),
			   "socket:[", 8));
	cr_assert_eq(h_int(db, "SELECT bytes FROM events_v WHERE syscall = 'sendto'"), 4);
	cr_assert_str_eq(h_text(db, "SELECT byte_class FROM events_v WHERE syscall = 'recvfrom'"),
			 "READ");
	sqlite3_close(db);
}

/* A failing call per family, with errno names. */
Test(record, failures_by_family)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "failures", h_dir);
	db = h_db();
	cr_assert_str_eq(h_text(db, "SELECT errno FROM events_v WHERE file = '%s'",
				h_path("does-not-exist")),
			 "ENOENT");
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE family = 'FS' AND errno = "
			       "'EBADF' AND fd = 12345"),
		     1);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE family = 'Network' AND "
			       "errno = 'ECONNREFUSED'"),
		     1);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE family = 'Memory' AND "
			       "errno = 'EINVAL'"),
		     1);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE family = 'Signals' AND "
			       "errno = 'ESRCH'"),
		     1);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE family = 'Time' AND "
			       "errno = 'EINVAL'"),
		     1);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE family = 'Sched' AND "
			       "errno = 'EINVAL'"),
		     1);
	sqlite3_close(db);
}

/* rename family: old_file and file, relative paths resolved against the cwd
 * set by chdir. */
Test(record, renames_and_links)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", h_work("basics"), "renames", h_dir);
	db = h_db();
	cr_assert_str_eq(h_text(db, "SELECT old_file || ' -> ' || file FROM events_v WHERE "
				    "syscall = 'rename'"),
			 h_text(db, "SELECT '%s -> %s'", h_path("a.txt"), h_path("b.txt")));
	cr_assert_str_eq(h_text(db, "SELECT arg_path FROM events_v WHERE syscall = 'rename'"),
			 "b.txt");
	cr_assert_str_eq(h_text(db, "SELECT old_file FROM events_v WHERE syscall = 'symlink'"),
			 "b.txt");
	cr_assert_str_eq(h_text(db, "SELECT file FROM events_v WHERE syscall = 'renameat2'"),
			 h_path("e.txt"));
	sqlite3_close(db);
}

/* -e and -s keep only the selected families and syscalls. */
Test(record, family_and_syscall_filters)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "-e", "fs", "--", "/bin/cat", "/etc/hostname");
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE family != 'FS'"), 0);
	cr_assert_gt(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'read'"), 0);
	sqlite3_close(db);
	h_ior_run(&r, "record", "-q", "--force", "-o", h_path("s.db"), "-s", "openat,close", "--",
		  "/bin/cat", "/etc/hostname", NULL);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE syscall NOT IN ('openat', "
			       "'close')"),
		     0);
	cr_assert_str_eq(h_text(db, "SELECT file FROM events_v WHERE syscall = 'close' AND fd = 3 "
				    "ORDER BY id DESC LIMIT 1"),
			 "/etc/hostname");
	sqlite3_close(db);
}

/* Wait until the shell loop target has opened fd 7 on /etc/hostname. */
static void wait_fd7(struct proc *target)
{
	char link[64], dest[64];
	uint64_t end = h_now_ms() + 20000;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/fd/7", (int)target->pid);
	while ((n = readlink(link, dest, sizeof(dest) - 1)) < 0 ||
	       (dest[n] = '\0', strcmp(dest, "/etc/hostname")))
		if (h_pump(target, 5) || h_now_ms() > end)
			h_fail(target, "target did not open fd 7 (%s)", h_status(target->run));
}

/* -p attaches to a running process; descriptors it opened before are named
 * from /proc. -d ends the recording. */
Test(record, attach_to_running_process)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "exec 7</etc/hostname; while :; do read x <&7; "
			       "exec 7</etc/hostname; sleep 0.05; done",
			       NULL };
	struct proc target;
	struct run tr, r;
	char pid[16];
	sqlite3 *db;

	h_start(&target, &tr, argv);
	/* Attach only once fd 7 is open, so its name must come from /proc. */
	wait_fd7(&target);
	snprintf(pid, sizeof(pid), "%d", (int)target.pid);
	h_ior_run(&r, "record", "-q", "-o", h_path("s.db"), "-p", pid, "-d", "1", NULL);
	h_kill_tree(target.pid);
	h_wait(&target, 20000);
	h_need_bpf(&r);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	db = h_db();
	cr_assert_gt(h_int(db, "SELECT count(*) FROM events_v WHERE pid = %s", pid), 0);
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE pid != %s", pid), 0);
	cr_assert_str_eq(h_text(db, "SELECT file FROM events_v WHERE syscall = 'read' AND fd = 0 "
				    "LIMIT 1"),
			 "/etc/hostname");
	sqlite3_close(db);
}

/* --comm keeps the records of one command name; --tid those of one thread;
 * -a traces every process but ior itself. */
Test(record, comm_tid_and_all)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "while :; do read x < /etc/hostname; sleep 0.02; done", NULL };
	struct proc target, rec;
	struct run tr, r;
	char pid[16];
	sqlite3 *db;

	h_record(&r, "-f", "--comm", "cat", "--", "/bin/sh", "-c",
		 "cat /etc/hostname; ls / > /dev/null");
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE comm != 'cat'"), 0);
	cr_assert_gt(h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'openat' AND "
			       "file = '/etc/hostname'"),
		     0);
	sqlite3_close(db);

	/* Each recording ends (SIGINT) once the loop's reads are committed,
	 * not after a fixed time that a loaded machine may not honour. */
	h_start(&target, &tr, argv);
	snprintf(pid, sizeof(pid), "%d", (int)target.pid);
	h_no_session();
	h_ior_start(&rec, &r, "record", "-q", "--force", "-o", h_path("s.db"), "-p", pid, "--tid",
		    pid, NULL);
	h_wait_rows(&rec, 20000, 3,
		    "SELECT count(*) FROM events_v WHERE tid = %s AND syscall = 'openat' AND "
		    "file = '/etc/hostname'",
		    pid);
	kill(rec.pid, SIGINT);
	h_wait(&rec, 20000);
	h_need_bpf(&r);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE tid != %s", pid), 0);
	sqlite3_close(db);

	/* -a sees a process it did not launch. */
	h_no_session();
	h_ior_start(&rec, &r, "record", "-q", "--force", "-o", h_path("s.db"), "-a", NULL);
	h_wait_rows(&rec, 20000, 3,
		    "SELECT count(*) FROM events_v WHERE pid = %s AND syscall = 'openat' AND "
		    "file = '/etc/hostname'",
		    pid);
	kill(rec.pid, SIGINT);
	h_wait(&rec, 20000);
	h_kill_tree(target.pid);
	h_wait(&target, 20000);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	db = h_db();
	/* By pid, not by comm 'ior': another ior on the machine (a parallel
	 * test, another checkout's make check) is traced like any process. */
	cr_assert_eq(h_int(db, "SELECT count(*) FROM events_v WHERE pid = %d", (int)rec.pid), 0,
		     "ior does not trace itself");
	cr_assert_eq(h_int(db, "SELECT count(*) FROM processes WHERE pid = %d", (int)rec.pid), 0,
		     "ior does not trace itself");
	sqlite3_close(db);
}

/* Under sudo (SUDO_UID/SUDO_GID set, ior root), the launched command runs
 * as the invoking user, as with strace -u. */
Test(record, launched_command_runs_as_sudo_user)
{
	struct run r;
	sqlite3 *db;

	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65534", 1);
	h_record(&r, "--", "/usr/bin/id", "-u");
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	cr_assert(strstr(r.out, "65534"), "id -u printed %s", r.out);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT ret FROM events_v WHERE syscall IN ('getuid', 'geteuid') "
			       "LIMIT 1"),
		     65534);
	sqlite3_close(db);
}

/* SIGINT, SIGTERM and SIGHUP finish the session (end time set) and are
 * passed on to the launched command, as strace does: it ends, and ior reaps
 * it and says how; after SIGKILL the file passes integrity_check and keeps
 * what was committed (and the command, orphaned, runs on). */
Test(record, signals_finish_or_keep_the_session)
{
	int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGKILL };

	for (int i = 0; i < 4; i++) {
		struct proc p;
		struct run r;
		sqlite3 *db;
		pid_t loop;

		h_no_session();
		h_ior_start(&p, &r, "record", "-q", "--force", "-o", h_path("s.db"), "--",
			    "/bin/sh", "-c", "while :; do read x </etc/hostname; sleep 0.01; done",
			    NULL);
		/* Wait until events are committed, not for a fixed time. */
		h_wait_rows(&p, 20000, 51, "SELECT count(*) FROM events");
		loop = h_only_child(&p);
		kill(p.pid, sigs[i]);
		h_wait(&p, 20000);
		if (sigs[i] == SIGKILL) {
			cr_assert_eq(kill(loop, 0), 0, "orphaned, the loop runs on");
			h_kill_tree(loop);
		} else {
			cr_assert(kill(loop, 0) && errno == ESRCH,
				  "signal %d: the loop ended, reaped", sigs[i]);
			cr_assert(strstr(r.err, "killed by signal"), "signal %d: %s", sigs[i],
				  r.err);
		}
		db = h_db();
		cr_assert_str_eq(h_text(db, "PRAGMA integrity_check"), "ok");
		cr_assert_gt(h_int(db, "SELECT count(*) FROM events_v"), 50);
		if (sigs[i] != SIGKILL) {
			cr_assert_eq(h_exit_code(&r), 0, "signal %d: %s", sigs[i], r.err);
			cr_assert_gt(h_int(db, "SELECT end_ns FROM session"), 0);
			cr_assert_eq(h_int(db, "SELECT events_recorded = (SELECT count(*) FROM "
					       "events) FROM session"),
				     1);
			cr_assert_eq(h_int(db,
					   "SELECT count(*) FROM processes WHERE pid = %d AND "
					   "exit_ns IS NOT NULL",
					   (int)loop),
				     1, "signal %d: the command's end is recorded", sigs[i]);
		}
		sqlite3_close(db);
	}
}

/* When -d ends, a launched command still running is ended too (SIGTERM,
 * then SIGKILL if it ignores that), never left orphaned. */
Test(record, duration_ends_the_launched_command)
{
	const char *cmds[] = { "sleep 60", "trap '' TERM; while :; do sleep 0.05; done" };

	for (int i = 0; i < 2; i++) {
		uint64_t t0 = h_now_ms();
		struct proc p;
		struct run r;
		pid_t child;

		h_no_session();
		h_ior_start(&p, &r, "record", "-q", "--force", "-o", h_path("s.db"), "-d", "0.5",
			    "--", "/bin/sh", "-c", cmds[i], NULL);
		h_wait_rows(&p, 20000, 1, "SELECT count(*) FROM events");
		child = h_only_child(&p);
		h_wait(&p, 20000);
		h_need_bpf(&r);
		cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
		cr_assert_lt(h_now_ms() - t0, 15000);
		cr_assert(kill(child, 0) && errno == ESRCH, "%s: the command was ended and reaped",
			  cmds[i]);
		cr_assert(strstr(r.err, i ? "signal 9" : "signal 15"), "%s", r.err);
	}
}

/* --force replaces an existing session only once the command has started:
 * one that cannot exec (a script without #!) leaves the old file as it was
 * and no new file behind; a new -o is removed on that failure. */
Test(record, force_replaces_only_once_started)
{
	struct stat before, after;
	struct run r;
	FILE *f = fopen(h_path("noshebang"), "w");
	DIR *d;
	struct dirent *e;

	fputs("echo hi\n", f);
	fclose(f);
	chmod(h_path("noshebang"), 0755);
	h_record(&r, "--", "/bin/true");
	cr_assert_eq(stat(h_path("s.db"), &before), 0);
	h_ior_run(&r, "record", "-q", "--force", "-o", h_path("s.db"), "--", h_path("noshebang"),
		  NULL);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "noshebang"), "%s", r.err);
	cr_assert_eq(stat(h_path("s.db"), &after), 0);
	cr_assert_eq(after.st_ino, before.st_ino, "the old session is untouched");
	cr_assert_eq(after.st_size, before.st_size);
	cr_assert_eq(after.st_mtime, before.st_mtime);
	h_ior_run(&r, "record", "-q", "-o", h_path("new.db"), "--", h_path("noshebang"), NULL);
	h_one_error_line(&r);
	d = opendir(h_dir);
	while ((e = readdir(d)))
		cr_assert(!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
				  !strcmp(e->d_name, "s.db") || !strcmp(e->d_name, "noshebang"),
			  "left behind: %s", e->d_name);
	closedir(d);
	h_ior_run(&r, "record", "-q", "--force", "-o", h_path("s.db"), "--", "/bin/echo", "x y",
		  NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	cr_assert_eq(stat(h_path("s.db"), &after), 0);
	cr_assert_neq(after.st_ino, before.st_ino, "replaced once started");
	h_ior_run(&r, "report", h_path("s.db"), NULL);
	cr_assert(strstr(r.out, "Target   /bin/echo 'x y'\n"), "%s", r.out);
}

/* A finished session is one file: no -wal or -shm beside it, after the
 * recording and after reading it. */
Test(record, finished_session_is_one_file)
{
	struct run r;

	h_record(&r, "--", "/bin/true");
	cr_assert_neq(access(h_path("s.db-wal"), F_OK), 0);
	cr_assert_neq(access(h_path("s.db-shm"), F_OK), 0);
	h_ior_run(&r, "report", h_path("s.db"), NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	h_ior_run(&r, "export", "csv", h_path("s.db"), NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	cr_assert_neq(access(h_path("s.db-wal"), F_OK), 0);
	cr_assert_neq(access(h_path("s.db-shm"), F_OK), 0);
}

/* Under sudo, the session belongs to the invoking user (still 0600). */
Test(record, session_given_to_sudo_user)
{
	struct run r;
	struct stat st;

	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65534", 1);
	h_record(&r, "--", "/bin/true");
	h_ior_run(&r, "export", "csv", h_path("s.db"), "-o", h_path("s.csv"), NULL);
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	cr_assert_eq(stat(h_path("s.db"), &st), 0);
	cr_assert_eq(st.st_uid, 65534);
	cr_assert_eq(st.st_gid, 65534);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(stat(h_path("s.csv"), &st), 0);
	cr_assert_eq(st.st_uid, 65534);
	cr_assert_eq(st.st_mode & 0777, 0600);
}

/* -p of a thread id (not a process) traces its process, and the recording
 * ends by itself when that process exits. */
Test(record, pid_of_a_thread_traces_its_process)
{
	const char *argv[] = { "/usr/bin/python3", "-c",
			       "import threading, time\n"
			       "def work():\n"
			       "    while True:\n"
			       "        open('/etc/hostname').read(); time.sleep(0.02)\n"
			       "t = threading.Thread(target=work, daemon=True); t.start()\n"
			       "time.sleep(3600)\n",
			       NULL };
	struct proc target, rec;
	struct run tr, r;
	char tid[16] = "";
	sqlite3 *db;

	h_start(&target, &tr, argv);
	/* The worker thread: a task of the target other than its leader. */
	for (uint64_t end = h_now_ms() + 10000; !*tid && h_now_ms() < end;) {
		char path[64];
		struct dirent *e;
		DIR *d;

		snprintf(path, sizeof(path), "/proc/%d/task", (int)target.pid);
		d = opendir(path);
		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.' && atoi(e->d_name) != target.pid)
				snprintf(tid, sizeof(tid), "%d", atoi(e->d_name));
		if (d)
			closedir(d);
		if (!*tid)
			poll(NULL, 0, 10);
	}
	cr_assert(*tid, "no worker thread");
	h_no_session();
	h_ior_start(&rec, &r, "record", "-q", "-o", h_path("s.db"), "-p", tid, NULL);
	h_wait_rows(&rec, 20000, 3,
		    "SELECT count(*) FROM events_v WHERE pid = %d AND syscall = 'openat' AND "
		    "file = '/etc/hostname'",
		    (int)target.pid);
	kill(target.pid, SIGKILL);
	h_wait(&target, 20000);
	h_wait(&rec, 20000); /* ends by itself: its target is gone */
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	db = h_db();
	cr_assert_gt(h_int(db, "SELECT count(*) FROM events_v WHERE tid = %s", tid), 0);
	sqlite3_close(db);
}

/* The session can be read while ior starts writing it (SPEC 4): a reader
 * polling the file from the moment it exists does not fail the recording
 * (it did, "session: schema: database is locked", issue 11). */
Test(record, readable_while_recording_starts)
{
	for (int i = 0; i < 20; i++) {
		uint64_t end = h_now_ms() + 20000;
		struct proc p;
		struct run r;

		h_no_session();
		h_ior_start(&p, &r, "record", "-q", "--force", "-o", h_path("s.db"), "--",
			    "/bin/true", NULL);
		/* No pause between reads: the window is the few microseconds
		 * between the file's creation and its switch to WAL. */
		while (!h_pump(&p, 0)) {
			h_peek("SELECT count(*) FROM sqlite_master");
			if (h_now_ms() > end)
				h_fail(&p, "run %d: timed out", i);
		}
		close(p.out_fd);
		close(p.err_fd);
		h_need_bpf(&r);
		cr_assert_eq(h_exit_code(&r), 0, "run %d: %s; stderr: %s", i, h_status(&r), r.err);
	}
}

/* The session file is private. */
Test(record, session_file_mode_0600)
{
	struct run r;
	struct stat st;

	h_record(&r, "--", "/bin/true");
	cr_assert_eq(stat(h_path("s.db"), &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
}

/* `ior report` and `ior export` read the recorded session. */
Test(record, report_and_export)
{
	struct run r;

	h_record(&r, "-f", "--", "/bin/sh", "-c", "cat /etc/hostname > /dev/null; ls /nope");
	h_ior_run(&r, "report", h_path("s.db"), NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	cr_assert(strstr(r.out, "Events   "));
	cr_assert(strstr(r.out, "LOST"));
	cr_assert(strstr(r.out, "p99 us"));
	cr_assert(strstr(r.out, "/etc/hostname"));
	cr_assert(strstr(r.out, "ENOENT"));
	cr_assert(strstr(r.out, "whole tree"));
	h_ior_run(&r, "export", "csv", h_path("s.db"), "-o", h_path("s.csv"), NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	h_ior_run(&r, "export", "folded", h_path("s.db"), NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	cr_assert(strstr(r.out, "cat;FS;openat "), "%s", r.out);
}

/* Is there a file s.db.* (a session being created) in the temp dir? */
static bool h_new_file_exists(void)
{
	struct dirent *e;
	bool found = false;
	DIR *d = opendir(h_dir);

	while (d && (e = readdir(d)))
		found |= !strncmp(e->d_name, "s.db.", 5);
	if (d)
		closedir(d);
	return found;
}

/* SIGKILL at several points of a busy recording (tests/bench/faults.sh does
 * it 100 times at random): each session left passes integrity_check, and
 * report reads it and says it was cut short; before the command runs, no
 * s.db at all (the new file is made beside it). */
Test(record, sigkill_anywhere_leaves_a_readable_cut_session)
{
	int delays_ms[] = { -1, 0, 30, 250, 700 }; /* -1: before the first commit */
	char loop[512];

	snprintf(loop, sizeof(loop), "while :; do %s %s 200; done", h_work("filemix"),
		 h_path("mix"));
	for (int i = 0; i < 5; i++) {
		struct proc p;
		struct run r, rep;
		sqlite3 *db;
		pid_t child = -1;

		h_no_session();
		h_ior_start(&p, &r, "record", "-q", "--force", "-f", "-o", h_path("s.db"), "--",
			    "/bin/sh", "-c", loop, NULL);
		if (delays_ms[i] < 0) {
			/* Once the new file exists (beside s.db until the
			 * command runs), before or as its schema commits. */
			while (!h_new_file_exists())
				if (h_pump(&p, 0))
					h_fail(&p, "ior exited (%s)", h_status(p.run));
		} else {
			h_wait_rows(&p, 20000, 1, "SELECT count(*) FROM events");
			child = h_only_child(&p);
			poll(NULL, 0, delays_ms[i]);
		}
		kill(p.pid, SIGKILL);
		h_wait(&p, 20000);
		if (child <= 0)
			h_each_child(getpid(), h_only_child_cb, &child);
		h_kill_tree(child);
		h_kill_children();
		if (delays_ms[i] < 0 && access(h_path("s.db"), F_OK))
			continue; /* killed before the command ran: no s.db at all */
		db = h_db();
		cr_assert_str_eq(h_text(db, "PRAGMA integrity_check"), "ok", "kill %d", i);
		sqlite3_close(db);
		h_ior_run(&rep, "report", h_path("s.db"), NULL);
		cr_assert_eq(h_exit_code(&rep), 0, "kill %d: %s", i, rep.err);
		cr_assert(strstr(rep.out, "CUT SHORT"), "kill %d: %s", i, rep.out);
	}
}

/* Every thread of pid back to nice 0 on every CPU. */
static void unstarve(pid_t pid)
{
	char dir[64];
	struct dirent *e;
	cpu_set_t all;
	DIR *d;

	CPU_ZERO(&all);
	for (int i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &all);
	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		pid_t tid = (pid_t)atoi(e->d_name);

		if (tid <= 0)
			continue;
		setpriority(PRIO_PROCESS, (id_t)tid, 0);
		sched_setaffinity(tid, sizeof(all), &all);
	}
	if (d)
		closedir(d);
}

/* Record sysloop N (then a 1 s pause, in which the ring drains) with a
 * 1 MiB ring, ior at nice 19 on the workload's CPU while it loops;
 * returns the session's events_recorded + events_lost and puts the loss
 * in *lost. */
static long long overload_run(long n, long long *lost)
{
	char cpu[16], count[32];
	const char *argv[] = { "/usr/bin/taskset",
			       "-c",
			       cpu,
			       "/usr/bin/nice",
			       "-n",
			       "19",
			       h_ior(),
			       "record",
			       "-q",
			       "--force",
			       "--ring-size",
			       "1",
			       "-o",
			       h_path("s.db"),
			       "--",
			       "/usr/bin/nice",
			       "-n",
			       "-19",
			       h_work("sysloop"),
			       count,
			       "1000",
			       NULL };
	long long total;
	struct proc p;
	struct run r;
	sqlite3 *db;

	snprintf(cpu, sizeof(cpu), "%ld", sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1L : 0L);
	snprintf(count, sizeof(count), "%ld", n);
	h_start(&p, &r, argv);
	/* The loop is done (it says so on stderr, through ior's): ior gets
	 * its priority and every CPU back, so that it drains the ring during
	 * the pause however busy that CPU is, and the exit's records (not
	 * syscalls, but counted as lost if dropped) are delivered. */
	while (!strstr(r.err, "sysloop: ") && !h_pump(&p, 20))
		;
	unstarve(p.pid);
	h_wait(&p, 60000);
	h_need_bpf(&r);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	db = h_db();
	*lost = h_int(db, "SELECT events_lost FROM session");
	total = h_int(db, "SELECT events_recorded + events_lost FROM session");
	cr_assert_eq(h_int(db, "SELECT events_recorded = (SELECT count(*) FROM events) FROM "
			       "session"),
		     1);
	sqlite3_close(db);
	return total;
}

/* Overload: the ring overflows (a 1 MiB ring, ior starved on the
 * workload's CPU); the calls issued = recorded + counted lost, exactly.
 * The calls around the loop (nice, the loader, the exit) are counted by
 * a run with no loop, which loses nothing. */
Test(record, overload_recorded_plus_lost_is_exact)
{
	long long lost, base = overload_run(0, &lost);

	cr_assert_eq(lost, 0, "the base run loses nothing");
	cr_assert_gt(base, 20);
	for (int i = 0; i < 2; i++) {
		long long total = overload_run(300000, &lost);

		cr_assert_gt(lost, 0, "run %d: the ring overflowed", i);
		cr_assert_eq(total, base + 300000, "run %d: %lld recorded + lost, %lld issued", i,
			     total, base + 300000);
	}
}

/* report says how often the recorder waited for its writer, when it did
 * (the reason the ring filled), apart from the kernel's loss; a session
 * from before those columns reads as none. */
Test(record, report_shows_writer_stalls)
{
	struct run r;
	sqlite3 *db;

	h_record(&r, "--", "/bin/true");
	h_ior_run(&r, "report", h_path("s.db"), NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	cr_assert_null(strstr(r.out, "Stalls"), "%s", r.out);
	cr_assert_eq(sqlite3_open(h_path("s.db"), &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db,
				  "UPDATE session SET writer_stalls = 12, "
				  "writer_stall_ns = 345000000",
				  NULL, NULL, NULL),
		     SQLITE_OK);
	sqlite3_close(db);
	h_ior_run(&r, "report", h_path("s.db"), NULL);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	cr_assert(strstr(r.out, "Stalls   the recorder waited 12 times (0.345 s in all)"), "%s",
		  r.out);
}
