/* Bad input to the command line: one clear line on stderr, a non-zero exit,
 * and nothing recorded so far lost. */
#include "harness.h"

TestSuite(cli, .init = h_setup, .fini = h_teardown, .timeout = 60);

/* An unknown pid is refused before anything is loaded. */
Test(cli, unknown_pid)
{
	struct run r;

	h_ior_run(&r, "record", "-o", h_path("s.db"), "-p", "999999999", NULL);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "not a process id") || strstr(r.err, "no process"), "%s", r.err);
	cr_assert_neq(access(h_path("s.db"), F_OK), 0, "no file left behind");
}

/* Unknown family and syscall names are named in the error. */
Test(cli, unknown_family_and_syscall)
{
	struct run r;

	h_ior_run(&r, "record", "-o", h_path("s.db"), "-e", "FS,bogus", "--", "/bin/true", NULL);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "'bogus'"), "%s", r.err);
	h_ior_run(&r, "record", "-o", h_path("s.db"), "-s", "openat,nosuchcall", "--", "/bin/true",
		  NULL);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "'nosuchcall'"), "%s", r.err);
}

/* A command that does not exist. */
Test(cli, command_not_found)
{
	struct run r;

	h_ior_run(&r, "record", "-o", h_path("s.db"), "--", "no-such-command-ior", NULL);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "command not found"), "%s", r.err);
}

/* An existing output is kept unless --force; a symlink is refused even
 * with --force; an unwritable directory is named. */
Test(cli, output_file_safety)
{
	struct run r;
	struct stat st;
	FILE *f = fopen(h_path("s.db"), "w");

	fputs("precious", f);
	fclose(f);
	h_ior_run(&r, "record", "-o", h_path("s.db"), "--", "/bin/true", NULL);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "--force"), "%s", r.err);
	cr_assert_eq(stat(h_path("s.db"), &st), 0);
	cr_assert_eq(st.st_size, 8, "existing file untouched");
	cr_assert_eq(symlink(h_path("target.db"), h_path("link.db")), 0);
	h_ior_run(&r, "record", "--force", "-o", h_path("link.db"), "--", "/bin/true", NULL);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "symbolic link"), "%s", r.err);
	cr_assert_neq(access(h_path("target.db"), F_OK), 0);
	h_ior_run(&r, "record", "-o", "/proc/ior-cannot-write-here.db", "--", "/bin/true", NULL);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "cannot create"), "%s", r.err);
}

/* report and export refuse corrupt, random and foreign files cleanly. */
Test(cli, bad_session_files)
{
	const char *cmds[][2] = { { "report", NULL }, { "export", "csv" } };
	char junk[8192];
	struct run r;
	sqlite3 *db;
	FILE *f;

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 13);
	f = fopen(h_path("junk.db"), "w");
	fwrite(junk, 1, sizeof(junk), f);
	fclose(f);
	cr_assert_eq(sqlite3_open(h_path("other.db"), &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	for (int c = 0; c < 2; c++) {
		const char *files[] = { "junk.db", "other.db", "missing.db" };

		for (int i = 0; i < 3; i++) {
			if (cmds[c][1])
				h_ior_run(&r, cmds[c][0], cmds[c][1], h_path(files[i]), NULL);
			else
				h_ior_run(&r, cmds[c][0], h_path(files[i]), NULL);
			h_one_error_line(&r);
			cr_assert_eq(h_exit_code(&r), 1, "%s", r.err);
		}
	}
	h_ior_run(&r, "record", NULL);
	h_one_error_line(&r);
	h_ior_run(&r, "frobnicate", NULL);
	h_one_error_line(&r);
}

/* --help and --version answer on stdout with status 0. */
Test(cli, help_and_version)
{
	struct run r;

	h_ior_run(&r, "--help", NULL);
	cr_assert_eq(h_exit_code(&r), 0);
	cr_assert(strstr(r.out, "ior record"));
	h_ior_run(&r, "--version", NULL);
	cr_assert_eq(h_exit_code(&r), 0);
	cr_assert(!strncmp(r.out, "ior ", 4));
}

/* A traced command's failure is reported, not mistaken for ior's. */
Test(cli, command_failure_is_not_ior_failure)
{
	struct run r;

	h_ior_run(&r, "record", "-q", "-o", h_path("s.db"), "--", "/bin/sh", "-c", "exit 3", NULL);
	h_need_bpf(&r);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	cr_assert(strstr(r.err, "exited with status 3"), "%s", r.err);
}

/* Start `ior ARGS...` as the unprivileged user nobody (setpriv). */
static void run_as_nobody(struct run *r, const char *const *args)
{
	const char *argv[32] = { "/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
				 "--clear-groups", h_ior() };
	struct proc p;
	int n = 5;

	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	h_start(&p, r, argv);
	h_wait(&p, 60000);
}

/* Each mistake on the command line gets one line naming the argument and
 * what is accepted: no control bytes, no option that does not exist, no
 * --force where it cannot help, nothing recorded (issue 9). */
Test(cli, argument_mistakes_named)
{
	char dir[512], out[512];
	struct {
		const char *args[8];
		const char *says;
	} cases[] = {
		{ { "record", "-o", h_path("a.db"), "--comm" }, "'--comm' needs an argument" },
		{ { "record", "-o", h_path("a.db"), "--tid" }, "'--tid' needs an argument" },
		{ { "record", "-o", h_path("a.db"), "--ring-size" }, "'--ring-size' needs" },
		{ { "record", "-o", h_path("a.db"), "-d", "nan", "--", "/bin/true" }, "'nan'" },
		{ { "record", "-o", h_path("a.db"), "-d", "0x10", "--", "/bin/true" }, "'0x10'" },
		{ { "record", "-o", h_path("a.db"), "--tid", "1.5", "-a" }, "'1.5'" },
		{ { "record", "-o", h_path("a.db"), "--tid", "0x10", "-a" }, "'0x10'" },
		{ { "record", "-o", h_path("a.db"), "--ring-size", "4096", "-a" }, "power of two" },
		{ { "record", "-o", h_path("a.db"), "--ring-size", "0.5", "-a" }, "'0.5'" },
		{ { "record", "-o", h_path("a.db"), "-e", ",", "-a" }, "-e: empty" },
		{ { "record", "-o", h_path("a.db"), "-s", "", "-a" }, "-s: empty" },
		{ { "record", "-o", h_path("a.db"), "--comm", "", "-a" }, "--comm: empty" },
		{ { "record", "-o", dir, "--", "/bin/true" }, "is a directory" },
		{ { "record", "-o", h_dir, "--", "/bin/true" }, "is a directory" },
		{ { "record", "-o", "/dev/full", "--", "/bin/true" }, "not a regular file" },
		{ { "record", "-o", "-", "--", "/bin/true" }, "name a file" },
		{ { "record", "-o", h_path("a.db"), "--bogus", "-a" }, "unknown option '--bogus'" },
		{ { "--bogus" }, "unknown option '--bogus'" },
		{ { "help", "bogus" }, "no command 'bogus'" },
		{ { "report" }, "no session file" },
		{ { "export", "csv" }, "usage: ior export" },
	};
	struct run r;

	snprintf(dir, sizeof(dir), "%s/", h_dir);
	snprintf(out, sizeof(out), "%s/a.db", h_dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[12] = { h_ior() };
		struct proc p;
		int n = 1;

		for (int a = 0; a < 8; a++)
			if (cases[i].args[a] && strstr(cases[i].args[a], "/a.db"))
				cases[i].args[a] = out;

		for (int a = 0; a < 8 && cases[i].args[a]; a++)
			argv[n++] = cases[i].args[a];
		h_start(&p, &r, argv);
		h_wait(&p, 60000);
		h_one_error_line(&r);
		cr_assert(strstr(r.err, cases[i].says), "case %zu: want '%s' in: %s", i,
			  cases[i].says, r.err);
		cr_assert(!strstr(r.err, "--debug") && !strstr(r.err, "BPF"), "%s", r.err);
		if (strstr(cases[i].says, "directory") || strstr(cases[i].says, "regular"))
			cr_assert(!strstr(r.err, "--force"), "%s", r.err);
		for (const char *c = r.err; *c; c++)
			cr_assert(*c == '\n' || (*c >= 0x20 && *c < 0x7f), "control byte: %s",
				  r.err);
		cr_assert_neq(access(out, F_OK), 0, "case %zu left a file", i);
	}
	cr_assert_neq(access("-", F_OK), 0, "no file named -");
}

/* Every subcommand answers --help, and `ior help CMD` too, on stdout with
 * status 0. */
Test(cli, every_subcommand_answers_help)
{
	const char *cases[][3] = {
		{ "record", "--help", "usage: ior record" },
		{ "report", "--help", "usage: ior report" },
		{ "export", "--help", "usage: ior export" },
		{ "replay", "--help", "usage: ior replay" },
		{ "help", "record", "usage: ior record" },
		{ "help", "export", "usage: ior export" },
		{ "help", NULL, "usage: ior" },
	};
	struct run r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h_ior_run(&r, cases[i][0], cases[i][1], NULL);
		cr_assert_eq(h_exit_code(&r), 0, "%s %s: %s", cases[i][0], cases[i][1], r.err);
		cr_assert(!strncmp(r.out, cases[i][2], strlen(cases[i][2])), "%s %s: %s",
			  cases[i][0], cases[i][1], r.out);
	}
}

/* A copy of the committed session in DIR/s.db, finished (rollback mode). */
static void finished_session_copy(void)
{
	const char *src = getenv("IOR_SRCDIR");
	char cmd[4096];
	sqlite3 *db;

	snprintf(cmd, sizeof(cmd), "cp '%s/tests/data/session-v1.db' '%s'", src ? src : ".",
		 h_path("s.db"));
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(sqlite3_open(h_path("s.db"), &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	chmod(h_path("s.db"), 0600);
}

/* A failed write to stdout fails the command: report, export and --help
 * into /dev/full exit non-zero with one line. */
Test(cli, stdout_write_errors_fail)
{
	const char *cmds[][2] = { { "report", "s.db" },
				  { "export csv", "s.db" },
				  { "--help", NULL },
				  { "--version", NULL } };
	char sh[4096];
	struct run r;

	finished_session_copy();
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char line[1024];
		const char *argv[] = { "/bin/sh", "-c", sh, NULL };
		struct proc p;

		snprintf(line, sizeof(line), "%s '%s'", cmds[i][0],
			 cmds[i][1] ? h_path(cmds[i][1]) : "");
		snprintf(sh, sizeof(sh), "exec '%s' %s > /dev/full", h_ior(), line);
		h_start(&p, &r, argv);
		h_wait(&p, 60000);
		h_one_error_line(&r);
		cr_assert(strstr(r.err, "No space left on device"), "%s: %s", line, r.err);
	}
}

/* A bad output is named before BPF is loaded: an unprivileged user hears
 * about the -o, not "cannot load BPF programs". */
Test(cli, bad_output_checked_before_bpf)
{
	const char *nodir[] = {
		"record", "-o", "/nonexistent-ior-dir/s.db", "--", "/bin/true", NULL
	};
	const char *exists[] = { "record", "-o", "/etc/passwd", "--", "/bin/true", NULL };
	struct run r;

	run_as_nobody(&r, nodir);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "/nonexistent-ior-dir") && !strstr(r.err, "BPF"), "%s", r.err);
	run_as_nobody(&r, exists);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "/etc/passwd: already exists"), "%s", r.err);
}

/* -p and -- CMD are alternatives; -p of ior itself and of a zombie are
 * refused (they recorded feedback, or nothing and never ended). */
Test(cli, pid_targets_refused)
{
	char self[16], sh[1024], zpid[16];
	const char *argv[] = { "/bin/sh", "-c", sh, NULL };
	struct proc p;
	struct run r;
	pid_t zombie;
	char state = 0;

	snprintf(self, sizeof(self), "%d", (int)getpid());
	h_ior_run(&r, "record", "-o", h_path("s.db"), "-p", self, "--", "/bin/true", NULL);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "alternatives"), "%s", r.err);
	/* $$ is the shell, then ior itself after exec. */
	snprintf(sh, sizeof(sh), "exec '%s' record -o '%s' -p $$", h_ior(), h_path("s.db"));
	h_start(&p, &r, argv);
	h_wait(&p, 60000);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "is ior itself"), "%s", r.err);
	zombie = fork();
	if (zombie == 0)
		_exit(0);
	snprintf(zpid, sizeof(zpid), "%d", (int)zombie);
	for (uint64_t end = h_now_ms() + 10000; state != 'Z' && h_now_ms() < end;) {
		char path[64];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)zombie);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
			state = 0;
		if (f)
			fclose(f);
		if (state != 'Z')
			poll(NULL, 0, 5);
	}
	cr_assert_eq(state, 'Z');
	h_ior_run(&r, "record", "-o", h_path("s.db"), "-p", zpid, NULL);
	waitpid(zombie, NULL, 0);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "zombie"), "%s", r.err);
	cr_assert_neq(access(h_path("s.db"), F_OK), 0);
}

/* A session the user may not read is said to be so, not "corrupt"; one on
 * a read-only mount reads fine. */
Test(cli, unreadable_and_read_only_sessions)
{
	const char *args[] = { "report", h_path("s.db"), NULL };
	char sh[4096];
	const char *argv[] = { "/usr/bin/unshare", "-m", "/bin/sh", "-c", sh, NULL };
	struct proc p;
	struct run r;

	finished_session_copy();
	run_as_nobody(&r, args);
	h_one_error_line(&r);
	cr_assert(strstr(r.err, "Permission denied"), "%s", r.err);
	cr_assert_eq(mkdir(h_path("ro"), 0755), 0);
	snprintf(sh, sizeof(sh),
		 "mount --make-rprivate / && mount -t tmpfs none '%s' && cp '%s' '%s/' && "
		 "mount -o remount,ro '%s' && exec '%s' report '%s/s.db'",
		 h_path("ro"), h_path("s.db"), h_path("ro"), h_path("ro"), h_ior(), h_path("ro"));
	h_start(&p, &r, argv);
	h_wait(&p, 60000);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	cr_assert(strstr(r.out, "Events   "), "%s", r.out);
}
