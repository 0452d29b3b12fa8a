/* The live UI as a person sees it: ior runs in a real terminal (tmux, a
 * private server per test), keys go in with send-keys, and the assertions
 * read the screen with capture-pane. */
#include <ctype.h>

#include "tests/integration/harness.h"

struct term {
	char sock[64];	    /* tmux -L name: this test's own server */
	char screen[65536]; /* the last capture */
};

static void t_cmd(struct term *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run a tmux command on this test's server. */
static void t_cmd(struct term *t, const char *fmt, ...)
{
	char args[4096], cmd[4300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "tmux -L %s -f /dev/null %s", t->sock, args);
	if (system(cmd) != 0)
		cr_log_warn("tmux: %s failed", args);
}

/* Start a w x h terminal running `sh -c SCRIPT` in the test's dir. */
static void t_start(struct term *t, int w, int h, const char *script)
{
	char path[600];
	FILE *f;

	snprintf(t->sock, sizeof(t->sock), "ior-ui-%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/run.sh", h_dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f,
		"cd %s\nexport TERM=xterm-256color LANG=C.UTF-8 TMPDIR=%s\n%s\n"
		"echo; echo IOR-EXIT=$?; stty -a | tr '\\n' ' '; echo; echo STTY-DONE\n"
		"sleep 600\n",
		h_dir, h_dir, script);
	fclose(f);
	t_cmd(t, "new-session -d -s ui -x %d -y %d 'sh %s'", w, h, path);
}

static void t_stop(struct term *t)
{
	t_cmd(t, "kill-server");
}

static const char *t_capture(struct term *t)
{
	char cmd[256];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "tmux -L %s capture-pane -p -t ui", t->sock);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(t->screen, 1, sizeof(t->screen) - 1, p);
	t->screen[n] = '\0';
	pclose(p);
	return t->screen;
}

/* BPF unavailable: the UI never starts and ior said why. */
static void t_need_bpf(struct term *t)
{
	if (!strstr(t->screen, "cannot load BPF programs"))
		return;
	if (!strcmp(h_env("IOR_REQUIRE_BPF", "0"), "1"))
		cr_assert_fail("BPF required (IOR_REQUIRE_BPF=1) but unavailable: %s", t->screen);
	fprintf(stderr, "SKIP: BPF unavailable\n");
	t_stop(t);
	cr_skip_test("BPF unavailable");
}

/* Wait until the screen shows text; fail with the screen after timeout. */
static uint64_t t_wait(struct term *t, const char *text, int timeout_ms)
{
	uint64_t start = h_now_ms(), end = start + (uint64_t)timeout_ms;

	for (;;) {
		if (strstr(t_capture(t), text))
			return h_now_ms() - start;
		if (strstr(t->screen, "IOR-EXIT="))
			t_need_bpf(t);
		if (h_now_ms() > end) {
			t_stop(t);
			cr_assert_fail("'%s' not on screen after %d ms:\n%s", text, timeout_ms,
				       t->screen);
		}
		poll(NULL, 0, 50);
	}
}

/* Wait until text is gone from the screen. */
static void t_wait_gone(struct term *t, const char *text, int timeout_ms)
{
	uint64_t end = h_now_ms() + (uint64_t)timeout_ms;

	while (strstr(t_capture(t), text)) {
		if (h_now_ms() > end) {
			t_stop(t);
			cr_assert_fail("'%s' still on screen after %d ms:\n%s", text, timeout_ms,
				       t->screen);
		}
		poll(NULL, 0, 50);
	}
}

static void t_keys(struct term *t, const char *keys)
{
	t_cmd(t, "send-keys -t ui %s", keys);
}

/* The terminal after ior: canonical mode and echo back on. */
static void t_assert_terminal_restored(struct term *t)
{
	t_wait(t, "STTY-DONE", 10000);
	cr_assert(strstr(t->screen, " icanon") && strstr(t->screen, " echo"),
		  "terminal not restored:\n%s", t->screen);
	cr_assert(!strstr(t->screen, "-icanon"), "terminal left raw:\n%s", t->screen);
}

/* A workload that keeps making file-system calls, renames among them. */
static void t_start_workload(struct term *t, int w, int h, const char *extra_opts)
{
	char script[1024];

	snprintf(script, sizeof(script),
		 "%s %s -f -- sh -c 'while :; do %s %s/fm 20; sleep 0.2; done'", h_ior(),
		 extra_opts, h_work("filemix"), h_dir);
	t_start(t, w, h, script);
}

TestSuite(ui, .init = h_setup, .fini = h_teardown, .timeout = 60);

/* The workload's syscalls show within a second of the first frame. */
Test(ui, syscalls_appear_live)
{
	struct term t;
	uint64_t ms;

	t_start_workload(&t, 200, 50, "");
	t_wait(&t, "1 Overview", 10000);
	t_keys(&t, "3");
	ms = t_wait(&t, "openat", 5000);
	cr_assert_lt(ms, 1000, "openat took %llu ms to show", (unsigned long long)ms);
	cr_assert(strstr(t.screen, "LIVE"));
	t_wait(&t, "rename", 5000); /* the workload renames after its first opens */
	t_keys(&t, "q");
	t_wait(&t, "Keep the session", 5000);
	t_keys(&t, "n");
	t_wait(&t, "session deleted", 10000);
	t_assert_terminal_restored(&t);
	t_stop(&t);
}

/* f, none, FS: only file-system calls on every screen; the header says so. */
Test(ui, family_filter_hides_other_families)
{
	struct term t;

	t_start_workload(&t, 200, 50, "");
	t_wait(&t, "1 Overview", 10000);
	t_keys(&t, "3");
	t_wait(&t, "mmap", 5000);
	t_keys(&t, "f n Space Enter");
	t_wait(&t, "[FS]", 3000);
	t_wait_gone(&t, "mmap", 3000);
	cr_assert(strstr(t.screen, "openat"), "FS calls stay:\n%s", t.screen);
	t_keys(&t, "2");
	t_wait(&t, "FAMILY / SYSCALL", 3000);
	cr_assert(!strstr(t.screen, "Memory"), "Families shows only FS:\n%s", t.screen);
	t_keys(&t, "c");
	t_wait_gone(&t, "[FS]", 3000);
	t_keys(&t, "q y");
	t_assert_terminal_restored(&t);
	t_stop(&t);
}

/* Enter drills into a syscall (breadcrumb), Backspace comes back. */
Test(ui, drill_down_and_back)
{
	struct term t;

	t_start_workload(&t, 200, 50, "");
	t_wait(&t, "1 Overview", 10000);
	t_keys(&t, "3");
	t_wait(&t, "rename", 5000);
	t_keys(&t, "/ rename Enter Enter");
	t_wait(&t, "Syscalls \u203a rename", 3000);
	t_wait_gone(&t, "openat", 3000);
	t_keys(&t, "BSpace");
	t_wait_gone(&t, "Syscalls \u203a rename", 3000);
	t_wait(&t, "openat", 3000);
	t_keys(&t, "q y");
	t_wait(&t, "session kept", 10000);
	t_assert_terminal_restored(&t);
	t_stop(&t);
}

/* Resizing re-lays the screen out; a terminal under 80x24 says so. */
Test(ui, resize)
{
	struct term t;

	t_start_workload(&t, 200, 50, "");
	t_wait(&t, "1 Overview", 10000);
	t_keys(&t, "3");
	t_wait(&t, "P50", 5000);
	t_cmd(&t, "resize-window -t ui -x 80 -y 24");
	t_wait(&t, "1 Over", 3000);
	t_wait_gone(&t, "P50", 3000); /* a column dropped at 80 */
	t_cmd(&t, "resize-window -t ui -x 60 -y 20");
	t_wait(&t, "ior needs 80x24", 3000);
	t_cmd(&t, "resize-window -t ui -x 120 -y 40");
	t_wait(&t, "8 Flame", 3000);
	t_keys(&t, "q y");
	t_assert_terminal_restored(&t);
	t_stop(&t);
}

/* F1 lists every key of the key table. */
Test(ui, help_lists_every_key)
{
	static const char *const keys[] = { "F1 h ?", "F2 S", "Tab",   "Enter",	    "F3 /", "F4 \\",
					    "F5 v",   "F6 >", "Space", "F10 q C-c", "C-l",  "f" };
	struct term t;

	t_start_workload(&t, 200, 50, "");
	t_wait(&t, "1 Overview", 10000);
	t_keys(&t, "F1");
	t_wait(&t, "every key", 3000);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		bool seen = strstr(t.screen, keys[i]);

		for (int page = 0; !seen && page < 4; page++) {
			t_keys(&t, "PageDown");
			poll(NULL, 0, 150);
			seen = strstr(t_capture(&t), keys[i]);
		}
		cr_assert(seen, "help does not list %s:\n%s", keys[i], t.screen);
		t_keys(&t, "Home PageUp PageUp PageUp PageUp");
		poll(NULL, 0, 150);
		t_capture(&t);
	}
	t_keys(&t, "Escape"); /* alone: Escape then q at once reads as Alt-q */
	t_wait_gone(&t, "every key", 3000);
	t_keys(&t, "q y");
	t_assert_terminal_restored(&t);
	t_stop(&t);
}

/* SIGTERM ends ior cleanly: the session is kept, the terminal restored. */
Test(ui, sigterm_restores_the_terminal)
{
	struct term t;
	char cmd[256];

	t_start_workload(&t, 120, 40, "");
	t_wait(&t, "1 Overview", 10000);
	snprintf(cmd, sizeof(cmd), "pkill -TERM -P $(tmux -L %s display -p -t ui '#{pane_pid}')",
		 t.sock);
	cr_assert_eq(system(cmd), 0);
	t_wait(&t, "session kept", 10000);
	t_assert_terminal_restored(&t);
	t_stop(&t);
}

/* A file name with an escape sequence is shown escaped, never raw. */
Test(ui, hostile_names_are_escaped)
{
	struct term t;
	char script[1024];

	snprintf(script, sizeof(script),
		 "%s -f -- sh -c 'while :; do touch \"$(printf \"%s/a\\033[31mRED\")\"; sleep 0.2; "
		 "done'",
		 h_ior(), h_dir);
	t_start(&t, 200, 50, script);
	t_wait(&t, "1 Overview", 10000);
	t_keys(&t, "4");
	t_wait(&t, "\\x1b[31mRED", 5000);
	t_keys(&t, "q y");
	t_assert_terminal_restored(&t);
	t_stop(&t);
}

/* The Stream shows a rename as old:<src> -> new:<dst>. */
Test(ui, stream_shows_renames)
{
	struct term t;

	t_start_workload(&t, 200, 50, "");
	t_wait(&t, "1 Overview", 10000);
	/* A busy machine may not have run the first rename yet: the search
	 * looks at the records already there, so wait for one. */
	t_keys(&t, "3");
	t_wait(&t, "rename", 10000);
	t_keys(&t, "6");
	t_wait(&t, "TIME", 3000);
	t_keys(&t, "/ rename Enter");
	t_wait(&t, "-> new:", 5000);
	cr_assert(strstr(t.screen, "old:"), "%s", t.screen);
	t_keys(&t, "q y");
	t_assert_terminal_restored(&t);
	t_stop(&t);
}

/* A number in the screen's text after a label: "openat ... 1,234" etc. */
static long long t_row_number(const char *screen, const char *row_start, int col)
{
	const char *line = strstr(screen, row_start);
	long long v = -1;

	if (line)
		line += strlen(row_start);
	for (int i = 0; line && i <= col; i++) {
		char num[64];
		size_t n = 0;

		line += strcspn(line, "0123456789\n");
		if (*line == '\n' || !*line)
			return -1;
		while (n + 1 < sizeof(num) && (isdigit((unsigned char)*line) || *line == ',')) {
			if (*line != ',')
				num[n++] = *line;
			line++;
		}
		num[n] = '\0';
		v = atoll(num);
	}
	return v;
}

/* ior replay: pause, step, seek to 50%, search a file on the Stream and
 * land on it, jump to the end; the end's tables equal ior report's. */
Test(ui, replay_transport_and_report_agree, .timeout = 90)
{
	struct term t;
	struct run r;
	char script[1024], want[64];
	const char *line;
	long long calls, reported;
	sqlite3 *db;

	h_ior_run(&r, "record", "-q", "-f", "-o", h_path("s.db"), "--", "/bin/sh", "-c",
		  "for i in 1 2 3; do $0 $1 30; sleep 0.3; done", h_work("filemix"), h_path("fm"),
		  NULL);
	h_need_bpf(&r);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	snprintf(script, sizeof(script), "%s replay --paused %s", h_ior(), h_path("s.db"));
	t_start(&t, 200, 50, script);
	t_wait(&t, "PAUSED", 10000);
	t_wait(&t, "#0 ", 3000);
	t_keys(&t, ". . .");
	t_wait(&t, "#3 ", 3000);
	t_keys(&t, ",");
	t_wait(&t, "#2 ", 3000);
	t_keys(&t, "b 50% Enter");
	t_wait(&t, "00:00:0", 3000);
	t_keys(&t, "6");
	t_wait(&t, "TIME", 3000);
	t_keys(&t, "r / f17.dat Enter");
	t_wait(&t, "f17.dat", 5000);
	t_keys(&t, "Z 3");
	t_wait(&t, "END", 5000);
	t_wait(&t, "SYSCALL", 3000);
	calls = t_row_number(t.screen, "\nopenat", 0);
	cr_assert_gt(calls, 0, "%s", t.screen);
	db = h_db();
	reported = h_int(db, "SELECT count(*) FROM events_v WHERE syscall = 'openat'");
	sqlite3_close(db);
	cr_assert_eq(calls, reported, "replay shows %lld openat calls, the session has %lld", calls,
		     reported);
	h_ior_run(&r, "report", h_path("s.db"), NULL);
	line = strstr(r.out, "  openat ");
	snprintf(want, sizeof(want), " %lld ", calls);
	cr_assert(line && strstr(line, want) && strstr(line, want) < strchr(line, '\n'),
		  "report's openat line lacks %lld calls:\n%s", calls, r.out);
	t_keys(&t, "q");
	t_assert_terminal_restored(&t);
	t_stop(&t);
}

/* Twin mode: going back in time while capture goes on (r, then b -1s),
 * then Z returns to live; the session has lost nothing. */
Test(ui, live_twin_mode_goes_back_and_returns)
{
	struct term t;
	sqlite3 *db;
	char opts[700];

	snprintf(opts, sizeof(opts), "-w %s", h_path("s.db"));
	t_start_workload(&t, 200, 50, opts);
	t_wait(&t, "LIVE", 10000);
	t_keys(&t, "3");
	t_wait(&t, "openat", 5000);
	t_keys(&t, "r");
	t_wait(&t, "behind", 5000);
	t_wait(&t, "#0 ", 5000);
	t_wait(&t, " / 00:", 5000);
	t_wait_gone(&t, " / 00:00:00", 5000); /* the past has a length */
	t_keys(&t, "b 50% Enter");
	t_wait_gone(&t, "#0 ", 5000);
	t_keys(&t, "Space");
	t_wait(&t, "REPLAY 1x", 5000);
	t_keys(&t, "Z");
	t_wait(&t, "back to live", 5000);
	t_wait_gone(&t, "behind", 5000);
	t_keys(&t, "q y");
	t_wait(&t, "session kept", 10000);
	t_assert_terminal_restored(&t);
	t_stop(&t);
	db = h_db();
	cr_assert_eq(h_int(db, "SELECT events_lost FROM session"), 0);
	cr_assert_gt(h_int(db, "SELECT count(*) FROM events"), 100);
	sqlite3_close(db);
}

/* Under sudo, the CSV that e exports belongs to the invoking user (still
 * 0600), as the session file does. */
Test(ui, export_given_to_sudo_user)
{
	char script[1024];
	struct term t;
	struct dirent *e;
	struct stat st;
	int found = 0;
	DIR *d;

	snprintf(script, sizeof(script),
		 "SUDO_UID=65534 SUDO_GID=65534 %s -- sh -c 'while :; do cat /etc/hostname "
		 ">/dev/null; sleep 0.2; done'",
		 h_ior());
	t_start(&t, 200, 50, script);
	t_wait(&t, "1 Overview", 10000);
	t_keys(&t, "3");
	t_wait(&t, "openat", 5000);
	t_keys(&t, "e");
	t_wait(&t, "exported", 5000);
	d = opendir(h_dir);
	while ((e = readdir(d))) {
		char path[700];

		if (strncmp(e->d_name, "ior-", 4) || !strstr(e->d_name, ".csv"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", h_dir, e->d_name);
		cr_assert_eq(stat(path, &st), 0);
		cr_assert_eq(st.st_uid, 65534, "%s", path);
		cr_assert_eq(st.st_gid, 65534, "%s", path);
		cr_assert_eq(st.st_mode & 0777, 0600);
		found++;
	}
	closedir(d);
	cr_assert_eq(found, 1, "one CSV exported");
	t_keys(&t, "q");
	t_wait(&t, "Keep the session", 5000);
	t_keys(&t, "n");
	t_wait(&t, "session deleted", 10000);
	t_stop(&t);
}
