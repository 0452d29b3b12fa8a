/* Unit tests for the process picker's model, on fake /proc trees. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/picker.h"

#define KTHREAD	   0x00200000u
#define NOBODY_UID 4242424u /* no such user: shown by number */

static char root[64];

static void make_root(void)
{
	snprintf(root, sizeof(root), "/tmp/ior-picker-XXXXXX");
	cr_assert_not_null(mkdtemp(root));
}

static void remove_root(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx %s; rm -rf %s", root, root);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(picker, .init = make_root, .fini = remove_root);

static void put(int pid, const char *name, const char *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/%s", root, pid, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* A process as the kernel shows it; cmdline holds NUL-separated args. */
static void proc(int pid, const char *comm, const char *cmdline, size_t cmdline_len, unsigned uid,
		 unsigned long long start, unsigned flags)
{
	char buf[512];
	int len;

	len = snprintf(buf, sizeof(buf), "%s\n", comm);
	put(pid, "comm", buf, (size_t)len);
	put(pid, "cmdline", cmdline, cmdline_len);
	len = snprintf(buf, sizeof(buf),
		       "Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\n"
		       "Uid:\t%u\t%u\t%u\t%u\nGid:\t0\t0\t0\t0\n",
		       comm, uid + 1, uid, uid, uid);
	put(pid, "status", buf, (size_t)len);
	len = snprintf(buf, sizeof(buf),
		       "%d (%s) S 1 %d %d 0 -1 %u 0 0 0 0 0 0 0 0 20 0 1 0 %llu 1000 200 "
		       "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
		       pid, comm, pid, pid, flags, start);
	put(pid, "stat", buf, (size_t)len);
}

static void standard_tree(void)
{
	proc(100, "bash", "bash\0-l\0", 8, 0, 5000, 0);
	proc(200, "python3", "python3\0/srv/app.py\0--port\0008080\0", 32, NOBODY_UID, 7000, 0);
	proc(300, "kworker/0:1", "", 0, 0, 10, KTHREAD);
	proc(getpid(), "ior", "ior\0", 4, 0, 9000, 0);
}

static struct picker *scan(void)
{
	struct picker *p = picker_new();
	struct ior_err err = { 0 };

	cr_assert_eq(picker_scan(p, root, &err), 0, "%s", err.msg);
	return p;
}

static pid_t pid_at(const struct picker *p, size_t row)
{
	cr_assert_lt(row, picker_count(p));
	return picker_row(p, row)->pid;
}

Test(picker, reads_the_tree)
{
	struct picker *p;
	const struct picker_proc *row;

	standard_tree();
	p = scan();
	cr_assert_eq(picker_count(p), 2, "ior itself and kernel threads are left out");
	row = picker_row(p, 0);
	cr_assert_eq(row->pid, 100);
	cr_assert_str_eq(row->comm, "bash");
	cr_assert_str_eq(row->cmdline, "bash -l");
	cr_assert_eq(row->uid, 0, "the effective uid");
	cr_assert_str_eq(row->user, "root");
	cr_assert_eq(row->start_ticks, 5000);
	cr_assert(!row->kernel);
	row = picker_row(p, 1);
	cr_assert_str_eq(row->cmdline, "python3 /srv/app.py --port 8080");
	cr_assert_str_eq(row->user, "4242424");
	cr_assert_null(picker_row(p, 2));

	picker_show_kernel(p, true);
	cr_assert_eq(picker_count(p), 3);
	row = picker_row(p, 2);
	cr_assert(row->kernel);
	cr_assert_str_eq(row->cmdline, "[kworker/0:1]", "as ps shows it");
	picker_free(p);
	picker_free(NULL);
}

Test(picker, filters_on_every_word)
{
	struct picker *p;

	standard_tree();
	p = scan();
	picker_set_query(p, "APP.PY");
	cr_assert_eq(picker_count(p), 1);
	cr_assert_eq(pid_at(p, 0), 200);
	picker_set_query(p, "python 8080");
	cr_assert_eq(picker_count(p), 1);
	picker_set_query(p, "python bash");
	cr_assert_eq(picker_count(p), 0);
	cr_assert_eq(picker_selected(p), 0);
	cr_assert_null(picker_selected_proc(p));
	picker_move(p, 3);
	picker_set_query(p, "roo");
	cr_assert_eq(picker_count(p), 1, "by user");
	cr_assert_eq(pid_at(p, 0), 100);
	picker_set_query(p, "10");
	cr_assert_eq(picker_count(p), 1, "by pid");
	picker_set_query(p, "4242424");
	cr_assert_eq(pid_at(p, 0), 200);
	picker_set_query(p, "kworker");
	cr_assert_eq(picker_count(p), 0, "hidden kernel threads stay hidden");
	picker_show_kernel(p, true);
	cr_assert_eq(pid_at(p, 0), 300);
	picker_set_query(p, "  ");
	cr_assert_eq(picker_count(p), 3);
	picker_set_query(p, NULL);
	cr_assert_eq(picker_count(p), 3);
	picker_free(p);
}

Test(picker, sorts)
{
	struct picker *p;

	standard_tree();
	proc(150, "awk", "awk\0{print}\0", 12, 0, 6000, 0);
	p = scan();
	picker_sort(p, PICKER_SORT_PID, true);
	cr_assert_eq(pid_at(p, 0), 200);
	cr_assert_eq(pid_at(p, 2), 100);
	picker_sort(p, PICKER_SORT_COMM, false);
	cr_assert_eq(pid_at(p, 0), 150);
	cr_assert_eq(pid_at(p, 1), 100);
	cr_assert_eq(pid_at(p, 2), 200);
	picker_sort(p, PICKER_SORT_START, true);
	cr_assert_eq(pid_at(p, 0), 200, "newest first");
	picker_sort(p, PICKER_SORT_USER, false);
	cr_assert_eq(pid_at(p, 0), 200, "\"4242424\" before \"root\"");
	cr_assert_eq(pid_at(p, 1), 100, "ties by pid");
	cr_assert_eq(pid_at(p, 2), 150);
	picker_sort(p, PICKER_SORT_CMD, true);
	cr_assert_eq(pid_at(p, 0), 200);
	picker_free(p);
}

Test(picker, selection_follows_its_pid)
{
	struct picker *p;
	struct ior_err err = { 0 };
	char path[128];

	standard_tree();
	p = scan();
	picker_move(p, 1);
	cr_assert_eq(picker_selected_proc(p)->pid, 200);
	proc(150, "awk", "awk\0", 4, 0, 6000, 0);
	cr_assert_eq(picker_scan(p, root, &err), 0);
	cr_assert_eq(picker_count(p), 3);
	cr_assert_eq(picker_selected(p), 2, "still on 200 after 150 appeared above it");
	cr_assert_eq(picker_selected_proc(p)->pid, 200);

	picker_sort(p, PICKER_SORT_PID, true);
	cr_assert_eq(picker_selected(p), 0, "sorting keeps it too");
	picker_set_query(p, "a");
	cr_assert_eq(picker_selected_proc(p)->pid, 200, "it still matches");
	picker_set_query(p, NULL);

	picker_move(p, LONG_MAX);
	cr_assert_eq(picker_selected(p), 2);
	picker_move(p, LONG_MIN);
	cr_assert_eq(picker_selected(p), 0);
	picker_move(p, 1);
	cr_assert_eq(picker_selected_proc(p)->pid, 150);
	snprintf(path, sizeof(path), "rm -rf %s/150", root);
	cr_assert_eq(system(path), 0);
	cr_assert_eq(picker_scan(p, root, &err), 0);
	cr_assert_eq(picker_selected(p), 1, "gone: the same row");
	cr_assert_eq(picker_selected_proc(p)->pid, 100);

	cr_assert_eq(picker_scan(p, "/nonexistent/proc", &err), -ENOENT);
	cr_assert(strstr(err.msg, "/nonexistent/proc"));
	cr_assert_eq(picker_count(p), 2, "a failed scan keeps the list");
	picker_free(p);
}

Test(picker, survives_missing_and_unreadable_files)
{
	struct picker *p;
	char path[256];
	const struct picker_proc *row;

	proc(10, "nostatus", "nostatus\0", 9, 0, 1, 0);
	snprintf(path, sizeof(path), "%s/10/status", root);
	unlink(path);
	proc(11, "nocmdline", "x", 1, 0, 1, 0);
	snprintf(path, sizeof(path), "%s/11/cmdline", root);
	unlink(path);
	proc(12, "nocomm", "nocomm\0", 7, 0, 1, 0);
	snprintf(path, sizeof(path), "%s/12/comm", root);
	unlink(path);
	proc(13, "unreadable", "unreadable\0", 11, 0, 1, 0);
	/* Unreadable even for root (the tests may run as root): directories
	 * where files should be, so read() fails with EISDIR. */
	snprintf(path, sizeof(path), "%s/13/status", root);
	unlink(path);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/13/cmdline", root);
	unlink(path);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/14", root);
	mkdir(path, 0755); /* vanished: an empty directory */
	put(15, "stat", "garbage", 7);
	put(16, "comm", "onlycomm\n", 9);
	snprintf(path, sizeof(path), "%s/self", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/123abc", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/17", root);
	mkdir(path, 0); /* not ours to read (unless we are root) */

	p = scan();
	cr_assert_eq(pid_at(p, 0), 10);
	cr_assert_eq(picker_row(p, 0)->uid, geteuid(), "without status: the directory's owner");
	cr_assert_eq(pid_at(p, 1), 11);
	cr_assert_str_eq(picker_row(p, 1)->cmdline, "[nocmdline]");
	cr_assert_eq(pid_at(p, 2), 12);
	cr_assert_str_eq(picker_row(p, 2)->comm, "nocomm", "from stat");
	cr_assert_eq(pid_at(p, 3), 13);
	cr_assert_eq(picker_row(p, 3)->uid, geteuid());
	cr_assert_str_eq(picker_row(p, 3)->cmdline, "[unreadable]");
	cr_assert_eq(pid_at(p, 4), 16, "14 and 15 show nothing; a comm is enough");
	cr_assert_str_eq(picker_row(p, 4)->cmdline, "[onlycomm]");
	cr_assert_eq(picker_count(p), 5);
	for (size_t i = 0; i < picker_count(p); i++) {
		row = picker_row(p, i);
		cr_assert_neq(row->pid, 15);
		cr_assert_neq(row->pid, 17);
	}
	picker_free(p);
}

static void assert_safe(const char *s)
{
	for (; *s; s++)
		cr_assert((unsigned char)*s >= 0x20 && *s != 0x7f, "raw control byte");
}

Test(picker, hostile_names_and_huge_cmdlines)
{
	struct picker *p;
	const struct picker_proc *row;
	size_t huge = 100000;
	char *big = malloc(huge);

	/* A comm with an escape, a newline of its own and a ')' that stat's
	 * parser must see past. */
	proc(20, "\x1b[31mev) il\n\xff", "\x1b]0;owned\x07\0\xff\xfe\0", 14, 0, 1, 0);
	for (size_t i = 0; i < huge; i++)
		big[i] = i % 10 == 9 ? '\0' : 'a';
	proc(21, "big", big, huge, 0, 1, 0);
	p = scan();
	row = picker_row(p, 0);
	cr_assert_str_eq(row->comm, "\\x1b[31mev) il\\n\\xff");
	cr_assert_str_eq(row->cmdline, "\\x1b]0;owned\\x07 \\xff\\xfe");
	cr_assert_eq(row->start_ticks, 1, "stat parsed past the ')' in the name");
	assert_safe(row->comm);
	assert_safe(row->cmdline);
	assert_safe(row->user);
	row = picker_row(p, 1);
	cr_assert_eq(strlen(row->cmdline), PICKER_CMDLINE_MAX + 3, "capped");
	cr_assert_str_eq(row->cmdline + strlen(row->cmdline) - 4, "a...");
	picker_free(p);
	free(big);
}

Test(picker, reads_the_real_proc)
{
	struct picker *p = picker_new();
	struct ior_err err = { 0 };

	cr_assert_eq(picker_scan(p, "/proc", &err), 0, "%s", err.msg);
	cr_assert_gt(picker_count(p), 0, "at least our parent");
	picker_show_kernel(p, true);
	for (size_t i = 0; i < picker_count(p); i++) {
		cr_assert_neq(picker_row(p, i)->pid, getpid());
		assert_safe(picker_row(p, i)->cmdline);
	}
	picker_free(p);
}
