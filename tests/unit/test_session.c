/* Unit tests for reading sessions as a careless or hostile user would
 * (issue 9): output and input the same file, sessions cut short, files left
 * beside the session, hostile header text, another arch's syscall numbers,
 * every events_v column in the CSV, and the output checks. */
#include <criterion/criterion.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/escape.h"
#include "core/export.h"
#include "core/intern.h"
#include "core/output.h"
#include "core/report.h"
#include "core/session.h"
#include "core/store.h"
#include "core/syscalls.h"

#define T0 1700000000000000000ull

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ior-session-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(session, .init = setup, .fini = teardown);

static const char *in_dir(const char *name)
{
	static char path[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static bool exists(const char *name)
{
	return access(in_dir(name), F_OK) == 0;
}

/* A session of a worker's openat and read of /etc/passwd, with nr as
 * given (this arch's numbers unless the test rewrites them). */
static void write_session(const char *path, const char *target, int nr_openat, int nr_read)
{
	struct intern *in = intern_new();
	struct store *st;
	struct ior_err err = { 0 };
	struct store_meta meta = { .cmdline = "ior record", .target = target, .start_ns = T0 };
	const char *strs[] = { "worker", "/etc/passwd" };

	cr_assert_eq(store_open(&st, path, false, &meta, &err), 0, "%s", err.msg);
	for (int i = 0; i < 2; i++) {
		size_t len = strlen(strs[i]);
		ior_str id = intern_get(in, strs[i], len, NULL);

		store_sink_ops.string(st, id, intern_str(in, id, NULL), len);
	}
	store_sink_ops.event(st, &(struct ior_rec){ .ts_ns = T0 + 100,
						    .duration_ns = 5000,
						    .ret = 3,
						    .pid = 10,
						    .tid = 10,
						    .comm = 1,
						    .file = 2,
						    .fd = 3,
						    .nr = (int16_t)nr_openat });
	store_sink_ops.event(st, &(struct ior_rec){ .ts_ns = T0 + 200,
						    .duration_ns = 900,
						    .ret = 4242,
						    .bytes = 4242,
						    .pid = 10,
						    .tid = 10,
						    .comm = 1,
						    .file = 2,
						    .fd = 3,
						    .nr = (int16_t)nr_read });
	cr_assert_eq(store_close(st, T0 + 1000000, &err), 0, "%s", err.msg);
	intern_free(in);
}

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

static void exec_sql(const char *path, const char *sql)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* `ior report path` into a string (free it). */
static char *report(const char *path, int *rc)
{
	struct ior_err err = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	*rc = report_run(path, out, &err);
	fclose(out);
	if (*rc)
		cr_log_info("report: %s", err.msg);
	return text;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[65536];
	size_t n;

	cr_assert_not_null(f, "%s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* export -o the session itself, however named (the path, another path to
 * it, a hard link), is refused even with --force, and the session stays. */
Test(session, export_refuses_its_own_input)
{
	struct ior_err err = { 0 };
	struct stat before, after;
	char other[160];

	write_session(in_dir("s.db"), "t", nr_of("openat"), nr_of("read"));
	cr_assert_eq(stat(in_dir("s.db"), &before), 0);
	cr_assert_lt(export_run("csv", in_dir("s.db"), in_dir("s.db"), true, &err), 0);
	cr_assert(strstr(err.msg, "is the session being read"), "%s", err.msg);
	snprintf(other, sizeof(other), "%s/../%s/./s.db", dir, strrchr(dir, '/') + 1);
	cr_assert_lt(export_run("folded", in_dir("s.db"), other, true, &err), 0);
	cr_assert_eq(link(in_dir("s.db"), in_dir("hard.db")), 0);
	cr_assert_lt(export_run("csv", in_dir("s.db"), in_dir("hard.db"), true, &err), 0);
	cr_assert_eq(stat(in_dir("s.db"), &after), 0);
	cr_assert_eq(after.st_ino, before.st_ino);
	cr_assert_eq(after.st_size, before.st_size);
	cr_assert_eq(export_run("csv", in_dir("s.db"), in_dir("out.csv"), false, &err), 0, "%s",
		     err.msg);
}

/* A session with no end (the recorder was killed) is reported as cut
 * short; its time span runs to its last event. */
Test(session, cut_short_is_said)
{
	struct session_info info;
	struct ior_err err = { 0 };
	sqlite3 *db;
	char *text;
	int rc;

	write_session(in_dir("s.db"), "t", nr_of("openat"), nr_of("read"));
	text = report(in_dir("s.db"), &rc);
	cr_assert_eq(rc, 0);
	cr_assert_null(strstr(text, "CUT SHORT"), "%s", text);
	free(text);
	exec_sql(in_dir("s.db"), "UPDATE session SET end_ns = NULL");
	cr_assert_eq(session_open(in_dir("s.db"), &db, &info, &err), 0, "%s", err.msg);
	sqlite3_close(db);
	cr_assert_eq(info.end_ns, 0, "no end is made up");
	cr_assert_eq(info.last_ns, T0 + 5100, "the openat's end, the latest");
	text = report(in_dir("s.db"), &rc);
	cr_assert_eq(rc, 0);
	cr_assert(strstr(text, "CUT SHORT"), "%s", text);
	free(text);
}

/* Reading writes nothing beside the session: not for a finished session
 * in rollback mode, nor for one an older ior left in WAL mode without its
 * log, nor for junk. */
Test(session, readers_leave_no_files_beside)
{
	const char *modes[] = { "PRAGMA journal_mode=DELETE", "PRAGMA journal_mode=WAL" };
	struct ior_err err = { 0 };
	char *text;
	int rc;

	for (int m = 0; m < 2; m++) {
		unlink(in_dir("s.db"));
		write_session(in_dir("s.db"), "t", nr_of("openat"), nr_of("read"));
		exec_sql(in_dir("s.db"), modes[m]);
		cr_assert(!exists("s.db-wal") && !exists("s.db-shm"), "mode %d", m);
		text = report(in_dir("s.db"), &rc);
		cr_assert_eq(rc, 0);
		free(text);
		unlink(in_dir("out.csv"));
		cr_assert_eq(export_run("csv", in_dir("s.db"), in_dir("out.csv"), false, &err), 0,
			     "%s", err.msg);
		cr_assert(!exists("s.db-wal"), "%s: no -wal left", modes[m]);
		cr_assert(!exists("s.db-shm"), "%s: no -shm left", modes[m]);
	}
	{
		FILE *f = fopen(in_dir("junk.db"), "w");

		fputs("SQLite format 3", f); /* no NUL, then junk */
		for (int i = 0; i < 4096; i++)
			fputc(i * 7, f);
		fclose(f);
		text = report(in_dir("junk.db"), &rc);
		cr_assert_lt(rc, 0);
		free(text);
		cr_assert(!exists("junk.db-wal") && !exists("junk.db-shm"));
	}
}

/* The header's text from the session is shown escaped: a hostile target
 * (launched command line) cannot send escape sequences to the terminal. */
Test(session, report_header_escaped)
{
	char *text;
	int rc;

	write_session(in_dir("s.db"), "evil\x1b]0;owned\x07\n$(x)", nr_of("openat"), nr_of("read"));
	exec_sql(in_dir("s.db"), "UPDATE session SET cmdline = 'ior record -- ' || "
				 "char(27) || '[2J', host = 'h' || char(13)");
	text = report(in_dir("s.db"), &rc);
	cr_assert_eq(rc, 0);
	cr_assert_null(strchr(text, '\x1b'), "%s", text);
	cr_assert_null(strchr(text, '\x07'));
	cr_assert_null(strchr(text, '\r'));
	cr_assert(strstr(text, "Target   evil\\x1b]0;owned\\x07\\n$(x)\n"), "%s", text);
	free(text);
}

/* Command lines are quoted as a shell would read them back. */
Test(session, shell_words)
{
	char out[128];

	escape_shell_word("plain/path-1.db", out, sizeof(out));
	cr_assert_str_eq(out, "plain/path-1.db");
	escape_shell_word("two words", out, sizeof(out));
	cr_assert_str_eq(out, "'two words'");
	escape_shell_word("it's", out, sizeof(out));
	cr_assert_str_eq(out, "'it'\\''s'");
	escape_shell_word("", out, sizeof(out));
	cr_assert_str_eq(out, "''");
	escape_shell_word("a\nb\x1b", out, sizeof(out));
	cr_assert_str_eq(out, "$'a\\nb\\x1b'");
	escape_shell_word("caf\xc3\xa9 \xff", out, sizeof(out));
	cr_assert_str_eq(out, "$'caf\xc3\xa9 \\xff'");
	escape_shell_word("a very long word that does not fit", out, 12);
	cr_assert_leq(strlen(out), 11);
	cr_assert_eq(out[strlen(out) - 1], '\'', "closed even when cut: %s", out);
}

/* An aarch64 session is read with its own syscall numbers: openat is 56
 * and read 63 there (clone and uname on x86_64). */
Test(session, another_arch_uses_its_own_numbers)
{
	char *text;
	int rc;

	write_session(in_dir("s.db"), "t", 56, 63);
	exec_sql(in_dir("s.db"), "UPDATE session SET arch = 'aarch64';"
				 "DELETE FROM syscalls;"
				 "INSERT INTO syscalls VALUES(56, 'openat', 'FS', NULL), (63, "
				 "'read', 'FS', 'READ')");
	text = report(in_dir("s.db"), &rc);
	cr_assert_eq(rc, 0);
#if defined(__x86_64__)
	cr_assert_null(strstr(text, "clone"), "%s", text);
	cr_assert_null(strstr(text, "uname"), "%s", text);
#endif
	cr_assert(strstr(text, "  openat "), "%s", text);
	cr_assert(strstr(text, "  read "), "%s", text);
	cr_assert(strstr(text, " 4242            0            0         2"),
		  "bytes by the session's read: %s", text);
	free(text);
}

/* The CSV has every column of events_v, in its order. */
Test(session, csv_has_every_events_v_column)
{
	struct ior_err err = { 0 };
	char want[2048] = "", *csv;
	sqlite3_stmt *s;
	sqlite3 *db;

	write_session(in_dir("s.db"), "t", nr_of("openat"), nr_of("read"));
	cr_assert_eq(sqlite3_open(in_dir("s.db"), &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('events_v')", -1,
					&s, NULL),
		     SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (*want)
			strcat(want, ",");
		strcat(want, (const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	strcat(want, "\n");
	cr_assert(strstr(want, "id,") == want && strstr(want, ",nr,") &&
		  strstr(want, ",enter_missing\n"));
	cr_assert_eq(export_run("csv", in_dir("s.db"), in_dir("out.csv"), false, &err), 0, "%s",
		     err.msg);
	csv = slurp(in_dir("out.csv"));
	cr_assert_eq(strncmp(csv, want, strlen(want)), 0, "header %.*s, want %s",
		     (int)(strchr(csv, '\n') - csv), csv, want);
}

/* Outputs are checked before any work: what --force cannot fix is not
 * offered --force. */
Test(session, output_checks)
{
	struct ior_err err = { 0 };

	cr_assert_eq(output_check(in_dir("new.db"), false, NULL, &err), 0, "%s", err.msg);
	cr_assert_lt(output_check(dir, true, NULL, &err), 0);
	cr_assert(strstr(err.msg, "is a directory") && !strstr(err.msg, "--force"), "%s", err.msg);
	cr_assert_lt(output_check("/dev/full", true, NULL, &err), 0);
	cr_assert(strstr(err.msg, "not a regular file") && !strstr(err.msg, "--force"), "%s",
		  err.msg);
	cr_assert_lt(output_check("-", false, NULL, &err), 0);
	cr_assert_lt(output_check("", false, NULL, &err), 0);
	cr_assert_lt(output_check(in_dir("nodir/x.db"), false, NULL, &err), 0);
	cr_assert(strstr(err.msg, "No such file or directory"), "%s", err.msg);
	write_session(in_dir("s.db"), "t", nr_of("openat"), nr_of("read"));
	cr_assert_lt(output_check(in_dir("s.db"), false, NULL, &err), 0);
	cr_assert(strstr(err.msg, "--force"), "%s", err.msg);
	cr_assert_eq(output_check(in_dir("s.db"), true, NULL, &err), 0, "%s", err.msg);
}
