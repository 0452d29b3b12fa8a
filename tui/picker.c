/* The process picker: /proc read defensively (processes vanish, files are
 * unreadable, names are hostile), then filtered and sorted for the screen. */
#include "tui/picker.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/escape.h"
#include "core/xalloc.h"

/* include/linux/sched.h: set on every kernel thread. */
#define PF_KTHREAD 0x00200000u

struct user_name {
	uid_t uid;
	char name[33];
};

struct picker {
	struct picker_proc *procs; /* every process read, in sort order */
	size_t n_procs;
	size_t *rows; /* indices into procs of those that match */
	size_t n_rows;
	char *query; /* owned; NULL when empty */
	enum picker_sort key;
	bool descending;
	bool show_kernel;
	size_t selected;	 /* row */
	pid_t selected_pid;	 /* 0 before there is a row */
	struct user_name *users; /* getpwuid_r answers, kept across scans */
	size_t n_users;
};

struct picker *picker_new(void)
{
	return xcalloc(1, sizeof(struct picker));
}

static void procs_free(struct picker_proc *procs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(procs[i].cmdline);
	free(procs);
}

void picker_free(struct picker *p)
{
	if (!p)
		return;
	procs_free(p->procs, p->n_procs);
	free(p->rows);
	free(p->query);
	free(p->users);
	free(p);
}

/* Read up to cap bytes of name under dir into buf (NUL-terminated, so
 * cap + 1 bytes); *truncated says whether more was there. 0 or -errno. */
static int read_file(int dir, const char *name, char *buf, size_t cap, size_t *len, bool *truncated)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t pos = 0;

	*len = 0;
	if (truncated)
		*truncated = false;
	if (fd < 0)
		return -errno;
	while (pos < cap) {
		ssize_t got = read(fd, buf + pos, cap - pos);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int code = -errno;

			close(fd);
			return code;
		}
		if (got == 0)
			break;
		pos += (size_t)got;
	}
	if (pos == cap && truncated) {
		char more;

		*truncated = read(fd, &more, 1) > 0;
	}
	close(fd);
	buf[pos] = '\0';
	*len = pos;
	return 0;
}

static void user_lookup(struct picker *p, uid_t uid, char *out, size_t size)
{
	struct passwd pw, *found = NULL;
	char buf[4096];

	for (size_t i = 0; i < p->n_users; i++) {
		if (p->users[i].uid == uid) {
			snprintf(out, size, "%s", p->users[i].name);
			return;
		}
	}
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) == 0 && found && found->pw_name[0])
		escape_bytes(found->pw_name, strlen(found->pw_name), out, size);
	else
		snprintf(out, size, "%u", (unsigned)uid);
	p->users = xrealloc(p->users, (p->n_users + 1) * sizeof(*p->users));
	p->users[p->n_users].uid = uid;
	snprintf(p->users[p->n_users].name, sizeof(p->users[p->n_users].name), "%s", out);
	p->n_users++;
}

/* stat: "pid (comm) state ppid ... flags(9) ... starttime(22) ...", where
 * comm may hold spaces and parentheses, so fields count from the last ')'
 * (proc(5)). Fills comm (raw) when it is there. 0, or -1 when malformed. */
static int parse_stat(char *stat, char *comm, size_t comm_size, unsigned long *flags,
		      unsigned long long *start_ticks)
{
	char *open = strchr(stat, '('), *close = strrchr(stat, ')');
	char *field;
	int index = 3;

	if (!open || !close || close < open)
		return -1;
	snprintf(comm, comm_size, "%.*s", (int)(close - open - 1), open + 1);
	field = close + 1;
	*flags = 0;
	*start_ticks = 0;
	while (*field) {
		char *end;

		while (*field == ' ')
			field++;
		if (!*field)
			break;
		unsigned long long value = strtoull(field, &end, 10);

		if (index == 9)
			*flags = (unsigned long)value;
		if (index == 22) {
			*start_ticks = value;
			return 0;
		}
		field = strchr(field, ' ');
		if (!field)
			break;
		index++;
	}
	return -1;
}

/* status's "Uid:\treal\teffective\tsaved\tfs" (proc(5)); the effective one,
 * as ps's USER. 0, or -1 when missing. */
static int parse_uid(const char *status, uid_t *uid)
{
	const char *line = strstr(status, "Uid:");
	unsigned long real, effective;

	while (line && line != status && line[-1] != '\n')
		line = strstr(line + 1, "Uid:");
	if (!line || sscanf(line, "Uid: %lu %lu", &real, &effective) != 2)
		return -1;
	*uid = (uid_t)effective;
	return 0;
}

/* One process, from the files of its directory dir. 0, or -1 when there is
 * nothing to show (it vanished, or nothing in it could be read). */
static int read_proc(struct picker *p, int dir, pid_t pid, struct picker_proc *proc)
{
	char buf[1024], stat_comm[64] = "", raw_comm[64] = "";
	char *cmdline;
	size_t len;
	bool truncated, have_stat = false;
	unsigned long flags = 0;
	struct stat st;

	memset(proc, 0, sizeof(*proc));
	proc->pid = pid;
	if (read_file(dir, "stat", buf, sizeof(buf) - 1, &len, NULL) == 0 &&
	    parse_stat(buf, stat_comm, sizeof(stat_comm), &flags, &proc->start_ticks) == 0)
		have_stat = true;
	if (read_file(dir, "comm", raw_comm, sizeof(raw_comm) - 1, &len, NULL) == 0 && len) {
		/* The kernel ends it in a newline; a hostile name may hold more. */
		if (raw_comm[len - 1] == '\n')
			raw_comm[--len] = '\0';
	} else if (have_stat) {
		snprintf(raw_comm, sizeof(raw_comm), "%s", stat_comm);
	} else {
		return -1;
	}
	/* strlen: a comm holding a NUL stops there, as the kernel's does. */
	escape_bytes(raw_comm, strlen(raw_comm), proc->comm, sizeof(proc->comm));
	proc->kernel = have_stat && (flags & PF_KTHREAD);

	if (read_file(dir, "status", buf, sizeof(buf) - 1, &len, NULL) != 0 ||
	    parse_uid(buf, &proc->uid) != 0)
		proc->uid = fstat(dir, &st) == 0 ? st.st_uid : (uid_t)-1;
	user_lookup(p, proc->uid, proc->user, sizeof(proc->user));

	cmdline = xmalloc(PICKER_CMDLINE_MAX + 1);
	if (read_file(dir, "cmdline", cmdline, PICKER_CMDLINE_MAX, &len, &truncated) != 0)
		len = 0, truncated = false;
	while (len && cmdline[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		cmdline[i] = cmdline[i] ? cmdline[i] : ' ';
	if (len) {
		/* 4 bytes an escaped byte, "..." and the NUL. */
		size_t size = 4 * len + 8;

		proc->cmdline = xmalloc(size);
		escape_bytes(cmdline, len, proc->cmdline, size);
		if (truncated)
			strcat(proc->cmdline, "...");
	} else {
		size_t size = strlen(proc->comm) + 3;

		proc->cmdline = xmalloc(size);
		snprintf(proc->cmdline, size, "[%s]", proc->comm);
	}
	free(cmdline);
	return 0;
}

/* Case-insensitive (ASCII) substring; locale-free, unlike strcasestr. */
static bool contains(const char *haystack, const char *needle, size_t needle_len)
{
	for (; *haystack; haystack++) {
		size_t i = 0;

		while (i < needle_len && haystack[i] &&
		       (haystack[i] | (haystack[i] >= 'A' && haystack[i] <= 'Z' ? 0x20 : 0)) ==
			       (needle[i] | (needle[i] >= 'A' && needle[i] <= 'Z' ? 0x20 : 0)))
			i++;
		if (i == needle_len)
			return true;
	}
	return false;
}

static bool matches(const struct picker *p, const struct picker_proc *proc)
{
	const char *word = p->query;
	char pid[16];

	if (proc->kernel && !p->show_kernel)
		return false;
	if (!word)
		return true;
	snprintf(pid, sizeof(pid), "%d", (int)proc->pid);
	while (*word) {
		size_t len;

		word += strspn(word, " \t");
		len = strcspn(word, " \t");
		if (!len)
			break;
		if (!contains(pid, word, len) && !contains(proc->user, word, len) &&
		    !contains(proc->comm, word, len) && !contains(proc->cmdline, word, len))
			return false;
		word += len;
	}
	return true;
}

/* Rebuild the rows; the selection goes back to its pid if it is still
 * there, else to row fallback (clamped). */
static void refilter(struct picker *p, size_t fallback)
{
	bool found = false;

	p->rows = xrealloc(p->rows, (p->n_procs ? p->n_procs : 1) * sizeof(*p->rows));
	p->n_rows = 0;
	for (size_t i = 0; i < p->n_procs; i++) {
		if (!matches(p, &p->procs[i]))
			continue;
		if (p->selected_pid && p->procs[i].pid == p->selected_pid) {
			p->selected = p->n_rows;
			found = true;
		}
		p->rows[p->n_rows++] = i;
	}
	if (!found)
		p->selected = fallback;
	if (p->selected >= p->n_rows)
		p->selected = p->n_rows ? p->n_rows - 1 : 0;
	p->selected_pid = p->n_rows ? p->procs[p->rows[p->selected]].pid : 0;
}

static int compare(const void *a_, const void *b_, void *picker)
{
	const struct picker_proc *a = a_, *b = b_;
	const struct picker *p = picker;
	int order = 0;

	switch (p->key) {
	case PICKER_SORT_PID:
		break;
	case PICKER_SORT_USER:
		order = strcmp(a->user, b->user);
		break;
	case PICKER_SORT_COMM:
		order = strcmp(a->comm, b->comm);
		break;
	case PICKER_SORT_CMD:
		order = strcmp(a->cmdline, b->cmdline);
		break;
	case PICKER_SORT_START:
		order = (a->start_ticks > b->start_ticks) - (a->start_ticks < b->start_ticks);
		break;
	}
	if (!order)
		order = (a->pid > b->pid) - (a->pid < b->pid);
	return p->descending ? -order : order;
}

static void sort_procs(struct picker *p)
{
	qsort_r(p->procs, p->n_procs, sizeof(*p->procs), compare, p);
}

int picker_scan(struct picker *p, const char *proc_root, struct ior_err *err)
{
	DIR *root = opendir(proc_root);
	struct picker_proc *procs = NULL;
	size_t n = 0, cap = 0;
	pid_t self = getpid();
	struct dirent *entry;

	if (!root)
		return ior_err_set(err, -errno, "open %s", proc_root);
	while ((entry = readdir(root))) {
		char *end;
		long pid = strtol(entry->d_name, &end, 10);
		int dir;

		if (*end || end == entry->d_name || pid <= 0 || pid == self)
			continue;
		/* Read through the directory's descriptor: if the pid is reused
		 * meanwhile, the files still belong to the process we opened. */
		dir = openat(dirfd(root), entry->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0)
			continue; /* vanished, or not ours to read */
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			procs = xrealloc(procs, cap * sizeof(*procs));
		}
		if (read_proc(p, dir, (pid_t)pid, &procs[n]) == 0)
			n++;
		close(dir);
	}
	closedir(root);
	procs_free(p->procs, p->n_procs);
	p->procs = procs;
	p->n_procs = n;
	sort_procs(p);
	refilter(p, p->selected);
	return 0;
}

void picker_set_query(struct picker *p, const char *query)
{
	free(p->query);
	p->query = query && query[strspn(query, " \t")] ? xstrdup(query) : NULL;
	refilter(p, 0);
}

void picker_show_kernel(struct picker *p, bool show)
{
	p->show_kernel = show;
	refilter(p, p->selected);
}

void picker_sort(struct picker *p, enum picker_sort key, bool descending)
{
	p->key = key;
	p->descending = descending;
	sort_procs(p);
	refilter(p, p->selected);
}

size_t picker_count(const struct picker *p)
{
	return p->n_rows;
}

const struct picker_proc *picker_row(const struct picker *p, size_t i)
{
	return i < p->n_rows ? &p->procs[p->rows[i]] : NULL;
}

void picker_move(struct picker *p, long delta)
{
	/* -(delta + 1) + 1: LONG_MIN has no positive counterpart. */
	size_t step = delta < 0 ? (size_t)(-(delta + 1)) + 1 : (size_t)delta;

	if (!p->n_rows)
		return;
	if (delta < 0)
		p->selected = step > p->selected ? 0 : p->selected - step;
	else
		p->selected =
			step >= p->n_rows - 1 - p->selected ? p->n_rows - 1 : p->selected + step;
	p->selected_pid = p->procs[p->rows[p->selected]].pid;
}

size_t picker_selected(const struct picker *p)
{
	return p->selected;
}

const struct picker_proc *picker_selected_proc(const struct picker *p)
{
	return picker_row(p, p->selected);
}
