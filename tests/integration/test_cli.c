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
