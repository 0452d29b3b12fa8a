/* The live state machine: raw records in, enriched records out. The rules
 * for descriptors follow SPEC section 3: state changes only on success,
 * close evicts only when it returned 0, pipes are read at exit. */
#include "core/tracker.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "bpf/ior_event.h"
#include "core/decode.h"
#include "core/intern.h"
#include "core/path.h"
#include "core/proctable.h"
#include "core/syscalls.h"
#include "core/xalloc.h"

#define F_DUPFD_CLOEXEC_     1030
#define CLOSE_RANGE_CLOEXEC_ 4

struct tracker {
	struct pipeline *pipe;
	struct intern *strings;
	struct proctable pt;
	const uint8_t *keep;
	char *comm_filter;
	uint32_t tid_filter;
	int64_t wall_offset_ns;
	struct tracker_counts counts;
	uint32_t self_pid;
	const struct syscall_info *bpf_info; /* bpf(2)'s row: returns_fd() */
	/* The last syscall record's process and thread: the next one is
	 * mostly the same thread's, and two table lookups fewer per record
	 * count on the reader. Cleared (memo_th = NULL) before anything that
	 * may add or remove a process or thread (which frees them). */
	struct proc *memo_p;
	struct thread *memo_th;
	char refetch_buf[2][IOR_STR_READ]; /* see refetch() */
	/* With strings_max: the table is aged when it holds strings_age bytes
	 * and swept when it holds strings_next (see sweep_strings). */
	size_t strings_max, strings_age, strings_next;
};

/* Per-record working set: the roles of one call, found once. */
struct call {
	const struct decoded *d;
	const struct syscall_info *info;
	int fd, fd2, dirfd, dirfd2;
	bool has_dirfd2;
	const struct decoded_item *path, *oldpath, *name;
	int open_flags_arg, fcntl_cmd_arg, first_arg, last_arg, len_arg, len2_arg, addr_arg;
	int epoll_op_arg;
	/* Strings the kernel could not read, fetched again from the process
	 * into the tracker's buffers (not here: a call is zeroed per event). */
	struct decoded_item refetched[2];
	char *refetch_buf[2];
};

static ior_str str(struct tracker *t, const char *s, size_t len)
{
	bool added;
	ior_str id = intern_get(t->strings, s, len, &added);

	if (added) {
		size_t n;
		const char *stored = intern_str(t->strings, id, &n);

		pipeline_string(t->pipe, id, stored, n);
	}
	return id;
}

static ior_str cstr(struct tracker *t, const char *s)
{
	return str(t, s, strlen(s));
}

static uint64_t wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Read a small /proc file into buf, trimming the newline; 0 on success. */
static int read_proc(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static int read_link(const char *path, char *buf, size_t size)
{
	ssize_t n = readlink(path, buf, size - 1);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

static uint32_t proc_ppid(uint32_t pid)
{
	char path[64], buf[512];
	const char *p;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if (read_proc(path, buf, sizeof(buf)))
		return 0;
	/* comm may hold spaces and parens: the state follows the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	return (uint32_t)strtoul(p + 4, NULL, 10);
}

static void emit_proc(struct tracker *t, enum ior_proc_kind kind, const struct proc *p,
		      uint32_t tid, ior_str comm, int exit_code, uint64_t ts)
{
	struct ior_proc_ev ev = {
		.ts_ns = ts,
		.kind = kind,
		.pid = p->pid,
		.tid = tid,
		.ppid = p->ppid,
		.comm = comm,
		.exe = p->exe,
		.exit_code = exit_code,
	};

	pipeline_proc(t->pipe, &ev);
}

/* A process seen for the first time without a fork record: read /proc. */
static struct proc *proc_discover(struct tracker *t, uint32_t pid, uint32_t ppid)
{
	struct proc *p = proctable_add_proc(&t->pt, pid, ppid ? ppid : proc_ppid(pid));
	char path[64], buf[PATH_MAX];

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	p->comm = cstr(t, read_proc(path, buf, sizeof(buf)) ? "?" : buf);
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	if (read_link(path, buf, sizeof(buf)) >= 0)
		p->exe = cstr(t, buf);
	emit_proc(t, PROC_START, p, pid, p->comm, 0, 0);
	return p;
}

static struct proc *proc_get(struct tracker *t, uint32_t pid)
{
	struct proc *p = proctable_proc(&t->pt, pid);

	return p ? p : proc_discover(t, pid, 0);
}

static struct thread *thread_get(struct tracker *t, struct proc *p, uint32_t tid)
{
	struct thread *th = proctable_thread(&t->pt, tid);
	char path[80], buf[64];

	if (th && th->pid == p->pid)
		return th;
	snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", p->pid, tid);
	return proctable_add_thread(&t->pt, tid, p->pid,
				    read_proc(path, buf, sizeof(buf)) ? p->comm : cstr(t, buf));
}

static const char *proc_cwd(struct proc *p)
{
	char path[64], buf[PATH_MAX];

	if (!p->cwd) {
		snprintf(path, sizeof(path), "/proc/%u/cwd", p->pid);
		if (read_link(path, buf, sizeof(buf)) < 0)
			return NULL;
		proc_set_cwd(p, buf);
	}
	return p->cwd;
}

/* Path behind fd; descriptors that predate tracing come from /proc once. */
static ior_str fd_path(struct tracker *t, struct proc *p, int fd)
{
	const struct fd_entry *e = fdtable_get(p->fds, fd);
	char path[64], buf[PATH_MAX];

	if (fd < 0)
		return 0;
	if (e->state == FD_OPEN)
		return e->path;
	if (e->state != FD_UNKNOWN)
		return 0;
	snprintf(path, sizeof(path), "/proc/%u/fd/%d", p->pid, fd);
	if (read_link(path, buf, sizeof(buf)) < 0) {
		/* Gone before the reader got here: an fd it never touched may
		 * still be open in the traced parent it was inherited from. */
		snprintf(path, sizeof(path), "/proc/%u/fd/%d", p->ppid, fd);
		if (!proctable_proc(&t->pt, p->ppid) || read_link(path, buf, sizeof(buf)) < 0) {
			fdtable_set_unresolved(p->fds, fd);
			return 0;
		}
	}
	fdtable_set(p->fds, fd, cstr(t, buf), false);
	return fdtable_get(p->fds, fd)->path;
}

/* Base directory for a relative path: the cwd or dirfd's path. */
static const char *dir_base(struct tracker *t, struct proc *p, int dirfd)
{
	size_t len;
	ior_str id;

	if (dirfd == AT_FDCWD)
		return proc_cwd(p);
	id = fd_path(t, p, dirfd);
	return id ? intern_str(t->strings, id, &len) : NULL;
}

/* Resolved absolute path of a path item; 0 when the item is empty. */
static ior_str resolve(struct tracker *t, struct proc *p, int dirfd, const struct decoded_item *it)
{
	char buf[IOR_STR_READ + PATH_MAX + 2];
	const char *base;
	int n;

	if (!it || (it->flags & IOR_ITEMF_FAULT))
		return 0;
	base = it->len && it->data[0] == '/' ? NULL : dir_base(t, p, dirfd);
	n = path_resolve(base, it->data, it->len, buf, sizeof(buf));
	if (n < 0)
		return str(t, it->data, it->len);
	return str(t, buf, (size_t)n);
}

/* A string whose page the process never touched (a literal the call
 * rejected before reading it) cannot be read from BPF, which may not fault.
 * process_vm_readv can: read it from the live process, once, here. */
static const struct decoded_item *refetch(struct call *c, const struct decoded_item *it,
					  uint32_t pid, int slot)
{
	char *buf = c->refetch_buf[slot];
	uint64_t addr;
	struct iovec local = { buf, IOR_STR_READ }, remote;
	ssize_t n;
	size_t len;

	if (!it || !(it->flags & IOR_ITEMF_FAULT) || it->tag > IOR_ITEM_ARG0 + 5)
		return it;
	addr = decode_arg(c->d, it->tag - IOR_ITEM_ARG0);
	if (!addr)
		return it;
	remote.iov_base = (void *)(uintptr_t)addr;
	remote.iov_len = IOR_STR_READ;
	n = process_vm_readv((pid_t)pid, &local, 1, &remote, 1, 0);
	if (n <= 0)
		return it;
	len = strnlen(buf, (size_t)n);
	if (len == (size_t)n && n < IOR_STR_READ)
		return it; /* no end in sight: leave it marked unreadable */
	c->refetched[slot] = (struct decoded_item){
		.data = buf,
		.len = (uint16_t)(len < IOR_PATH_MAX ? len : IOR_PATH_MAX),
		.tag = it->tag,
		.flags = len >= IOR_PATH_MAX ? IOR_ITEMF_TRUNCATED : 0,
	};
	return &c->refetched[slot];
}

static void find_roles(struct call *c)
{
	const struct syscall_info *info = c->info;

	c->fd = c->fd2 = REC_FD_NONE;
	c->dirfd = c->dirfd2 = AT_FDCWD;
	c->open_flags_arg = c->fcntl_cmd_arg = c->first_arg = c->last_arg = -1;
	c->len_arg = c->len2_arg = c->addr_arg = c->epoll_op_arg = -1;
	if (!info)
		return;
	for (int i = 0; i < info->nargs && i < 6; i++) {
		int64_t v = (int64_t)decode_arg(c->d, i);

		switch (info->role[i]) {
		case IOR_ROLE_FD:
			if (c->fd == REC_FD_NONE)
				c->fd = (int)v;
			break;
		case IOR_ROLE_FD2:
			c->fd2 = (int)v;
			break;
		case IOR_ROLE_DIRFD:
			c->dirfd = (int)v;
			break;
		case IOR_ROLE_DIRFD2:
			c->dirfd2 = (int)v;
			c->has_dirfd2 = true;
			break;
		case IOR_ROLE_PATH:
			c->path = decode_item(c->d, IOR_ITEM_ARG0 + i);
			break;
		case IOR_ROLE_OLDPATH:
			c->oldpath = decode_item(c->d, IOR_ITEM_ARG0 + i);
			break;
		case IOR_ROLE_NAME:
			c->name = decode_item(c->d, IOR_ITEM_ARG0 + i);
			break;
		case IOR_ROLE_OPEN_FLAGS:
			c->open_flags_arg = i;
			break;
		case IOR_ROLE_FCNTL_CMD:
			c->fcntl_cmd_arg = i;
			break;
		case IOR_ROLE_FD_FIRST:
			c->first_arg = i;
			break;
		case IOR_ROLE_FD_LAST:
			c->last_arg = i;
			break;
		case IOR_ROLE_LEN:
			c->len_arg = i;
			break;
		case IOR_ROLE_LEN2:
			c->len2_arg = i;
			break;
		case IOR_ROLE_ADDR:
			c->addr_arg = i;
			break;
		case IOR_ROLE_EPOLL_OP:
			c->epoll_op_arg = i;
			break;
		default:
			break;
		}
	}
}

/* Does the call ask for CLOEXEC on the descriptor it creates? */
static bool wants_cloexec(const struct call *c)
{
	const struct syscall_info *info = c->info;
	const char *name = info->name;

	if (!strcmp(name, "memfd_create") || !strcmp(name, "fanotify_init"))
		return decode_arg(c->d, 1) & 1; /* MFD_CLOEXEC, FAN_CLOEXEC */
	if (!strcmp(name, "perf_event_open"))
		return decode_arg(c->d, 4) & 8; /* PERF_FLAG_FD_CLOEXEC */
	if (!strcmp(name, "pidfd_open") || !strcmp(name, "pidfd_getfd") ||
	    !strcmp(name, "io_uring_setup") || !strcmp(name, "bpf"))
		return true;
	for (int i = 0; i < info->nargs && i < 6; i++) {
		const char *an = info->arg_name[i];

		if (info->role[i] == IOR_ROLE_OPEN_FLAGS ||
		    (an && (!strcmp(an, "flags") || !strcmp(an, "type"))))
			if (decode_arg(c->d, i) & O_CLOEXEC)
				return true;
	}
	if (!strcmp(name, "openat2")) {
		const struct decoded_item *how = decode_item(c->d, IOR_ITEM_OPEN_HOW);
		uint64_t flags = 0;

		if (how && how->len >= sizeof(flags))
			memcpy(&flags, how->data, sizeof(flags));
		return flags & O_CLOEXEC;
	}
	return false;
}

/* What /proc/PID/fd shows for descriptors that have no path. */
static const char *anon_name(const char *syscall)
{
	static const struct {
		const char *syscall, *name;
	} names[] = {
		{ "eventfd", "anon_inode:[eventfd]" },
		{ "eventfd2", "anon_inode:[eventfd]" },
		{ "signalfd", "anon_inode:[signalfd]" },
		{ "signalfd4", "anon_inode:[signalfd]" },
		{ "timerfd_create", "anon_inode:[timerfd]" },
		{ "inotify_init", "anon_inode:inotify" },
		{ "inotify_init1", "anon_inode:inotify" },
		{ "fanotify_init", "anon_inode:[fanotify]" },
		{ "epoll_create", "anon_inode:[eventpoll]" },
		{ "epoll_create1", "anon_inode:[eventpoll]" },
		{ "io_uring_setup", "anon_inode:[io_uring]" },
		{ "pidfd_open", "anon_inode:[pidfd]" },
		{ "userfaultfd", "anon_inode:[userfaultfd]" },
		{ "perf_event_open", "perf:[perf_event]" },
		{ "fsopen", "anon_inode:[fscontext]" },
		{ "fspick", "anon_inode:[fscontext]" },
		{ "landlock_create_ruleset", "anon_inode:[landlock-ruleset]" },
		{ "memfd_secret", "/secretmem (deleted)" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].syscall, syscall))
			return names[i].name;
	return NULL;
}

/* Name of a new descriptor from the kernel's inode info (pipes, sockets). */
static ior_str fdinfo_name(struct tracker *t, const struct decoded *d, int fd)
{
	char buf[64];

	for (int i = 0; i < d->nitems; i++) {
		struct ior_fdinfo fi;

		if (d->items[i].tag != IOR_ITEM_FDINFO || d->items[i].len < sizeof(fi))
			continue;
		memcpy(&fi, d->items[i].data, sizeof(fi));
		if (fi.fd != fd)
			continue;
		if (S_ISFIFO(fi.mode))
			snprintf(buf, sizeof(buf), "pipe:[%llu]", (unsigned long long)fi.ino);
		else if (S_ISSOCK(fi.mode))
			snprintf(buf, sizeof(buf), "socket:[%llu]", (unsigned long long)fi.ino);
		else
			return 0;
		return cstr(t, buf);
	}
	return 0;
}

/* The kernel's path of a new descriptor (IOR_ITEM_FDPATH, leaf first), or 0
 * when the walk was not made or did not reach the root. */
static ior_str fdpath_name(struct tracker *t, const struct decoded_item *it)
{
	char buf[IOR_PATH_MAX + 2];
	size_t pos = 0, end;

	if (!it || (it->flags & (IOR_ITEMF_TRUNCATED | IOR_ITEMF_FAULT)))
		return 0;
	end = it->len;
	if (end == 0)
		return cstr(t, "/");
	/* Components are NUL-terminated, leaf first: emit them root first. */
	while (end > 0) {
		size_t start = end - 1; /* at the NUL closing this component */
		size_t n;

		while (start > 0 && it->data[start - 1] != '\0')
			start--;
		n = end - 1 - start;
		if (pos + n + 1 >= sizeof(buf))
			return 0;
		buf[pos++] = '/';
		memcpy(buf + pos, it->data + start, n);
		pos += n;
		end = start;
	}
	return str(t, buf, pos);
}

/* bpf(2) commands that return a new descriptor, named as /proc shows it;
 * NULL for the others (and for BPF_OBJ_GET, whose object may be of any
 * kind: that descriptor is named from /proc when first used). */
static const char *bpf_fd_name(uint64_t cmd)
{
	switch (cmd) {
	case 0:	 /* BPF_MAP_CREATE */
	case 14: /* BPF_MAP_GET_FD_BY_ID */
		return "anon_inode:bpf-map";
	case 5:	 /* BPF_PROG_LOAD */
	case 13: /* BPF_PROG_GET_FD_BY_ID */
		return "anon_inode:bpf-prog";
	case 18: /* BPF_BTF_LOAD */
	case 19: /* BPF_BTF_GET_FD_BY_ID */
		return "anon_inode:btf";
	case 17: /* BPF_RAW_TRACEPOINT_OPEN */
	case 28: /* BPF_LINK_CREATE */
	case 30: /* BPF_LINK_GET_FD_BY_ID */
		return "anon_inode:bpf_link";
	case 32: /* BPF_ENABLE_STATS */
		return "anon_inode:bpf-stats";
	case 33: /* BPF_ITER_CREATE */
		return "anon_inode:bpf_iter";
	default:
		return NULL;
	}
}

/* Did the successful call return a new descriptor? *anon: its name when the
 * call alone gives it. Some calls return one only for some arguments. */
static bool returns_fd(const struct tracker *t, const struct call *c, const char **anon)
{
	const char *name = c->info->name;

	if (c->info == t->bpf_info) /* not a name compare: every successful call comes here */
		return (*anon = bpf_fd_name(decode_arg(c->d, 0))) != NULL;
	*anon = NULL;
	if (!(c->info->flags & SYSCALL_RET_FD))
		return false; /* most calls: no name lookups on the hot path */
	*anon = anon_name(name);
	if (!strcmp(name, "landlock_create_ruleset"))
		/* LANDLOCK_CREATE_RULESET_VERSION, _ERRATA: a number, no ruleset */
		return !(decode_arg(c->d, 2) & 3);
	return true;
}

/* Register the descriptor a successful call created; returns its path. */
static ior_str register_new_fd(struct tracker *t, struct proc *p, const struct call *c,
			       ior_str file, int fd, const char *anon)
{
	ior_str path = fdinfo_name(t, c->d, fd);
	char buf[IOR_STR_READ + 32];

	if (!path && !strcmp(c->info->name, "memfd_create") && c->name) {
		snprintf(buf, sizeof(buf), "/memfd:%.*s (deleted)", (int)c->name->len,
			 c->name->data);
		path = cstr(t, buf);
	}
	if (!path && anon)
		path = cstr(t, anon);
	if (!path)
		path = fdpath_name(t, decode_item(c->d, IOR_ITEM_FDPATH));
	if (!path)
		path = file;
	if (path)
		fdtable_set(p->fds, fd, path, wants_cloexec(c));
	return path;
}

static void apply_dup(struct proc *p, const struct call *c, int64_t ret)
{
	const char *name = c->info->name;
	int cmd;

	if (strcmp(name, "fcntl") != 0) {
		bool cloexec = !strcmp(name, "dup3") && (decode_arg(c->d, 2) & O_CLOEXEC);

		fdtable_alias(p->fds, (int)ret, c->fd, cloexec);
		return;
	}
	cmd = c->fcntl_cmd_arg >= 0 ? (int)decode_arg(c->d, c->fcntl_cmd_arg) : -1;
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC_)
		fdtable_alias(p->fds, (int)ret, c->fd, cmd == F_DUPFD_CLOEXEC_);
	else if (cmd == F_SETFD)
		fdtable_set_cloexec(p->fds, c->fd,
				    decode_arg(c->d, c->fcntl_cmd_arg + 1) & FD_CLOEXEC);
}

static void apply_fdpair(struct tracker *t, struct proc *p, const struct call *c)
{
	const struct decoded_item *pair = decode_item(c->d, IOR_ITEM_FDPAIR);
	int fds[2];

	if (!pair || pair->len < sizeof(fds))
		return;
	memcpy(fds, pair->data, sizeof(fds));
	for (int i = 0; i < 2; i++) {
		ior_str path = fdinfo_name(t, c->d, fds[i]);

		if (path)
			fdtable_set(p->fds, fds[i], path, wants_cloexec(c));
	}
}

/* recvmsg: descriptors passed with SCM_RIGHTS. Each came as an FDINFO item,
 * followed by its FDPATH item when it is a file. */
static void apply_passed_fds(struct tracker *t, struct proc *p, const struct call *c)
{
	bool cloexec = decode_arg(c->d, 2) & MSG_CMSG_CLOEXEC;

	for (int i = 0; i < c->d->nitems; i++) {
		const struct decoded_item *it = &c->d->items[i];
		struct ior_fdinfo fi;
		ior_str path;

		if (it->tag != IOR_ITEM_FDINFO || it->len < sizeof(fi))
			continue;
		memcpy(&fi, it->data, sizeof(fi));
		path = fdinfo_name(t, c->d, fi.fd);
		if (!path && i + 1 < c->d->nitems && it[1].tag == IOR_ITEM_FDPATH)
			path = fdpath_name(t, &it[1]);
		if (path)
			fdtable_set(p->fds, fi.fd, path, cloexec);
	}
}

/* Fill address_space_bytes: the signed change of the mapped size where the
 * call maps or unmaps, the range length where it only changes attributes. */
static void set_address_space(struct ior_rec *r, struct proc *p, const struct call *c)
{
	const char *name = c->info->name;

	if (c->len_arg >= 0) {
		uint64_t len = decode_arg(c->d, c->len_arg);

		/* Lengths are the caller's raw words: differences wrap (in unsigned
		 * arithmetic) rather than overflow a signed one. */
		r->address_space_bytes = (int64_t)len;
		if (!strcmp(name, "munmap"))
			r->address_space_bytes = (int64_t)(0 - len);
		else if (c->len2_arg >= 0)
			r->address_space_bytes = (int64_t)(decode_arg(c->d, c->len2_arg) - len);
		r->rec_flags |= REC_HAS_ASB;
	} else if (c->addr_arg >= 0 && !strcmp(name, "brk")) {
		uint64_t now = (uint64_t)r->ret;

		r->address_space_bytes = p->brk ? (int64_t)(now - p->brk) : 0;
		p->brk = now;
		r->rec_flags |= REC_HAS_ASB;
	}
}

static void set_extras(struct tracker *t, struct ior_rec *r, struct proc *p, const struct call *c)
{
	const struct decoded *d = c->d;
	const struct decoded_item *it;
	char buf[256];

	if (c->open_flags_arg >= 0)
		r->flags = cstr(
			t, decode_open_flags(decode_arg(d, c->open_flags_arg), buf, sizeof(buf)));
	if ((it = decode_item(d, IOR_ITEM_OPEN_HOW)) && it->len >= 8) {
		uint64_t flags;

		memcpy(&flags, it->data, sizeof(flags));
		r->flags = cstr(t, decode_open_flags(flags, buf, sizeof(buf)));
	}
	if ((it = decode_item(d, IOR_ITEM_SOCKADDR)) && it->len)
		r->addr = cstr(t, decode_sockaddr(it->data, it->len, buf, sizeof(buf)));
	if (c->epoll_op_arg >= 0) {
		r->epoll_op = (uint8_t)decode_arg(d, c->epoll_op_arg);
		r->epoll_target_fd = c->fd2;
		if ((it = decode_item(d, IOR_ITEM_EPOLL_EVENT)) && it->len >= 4)
			memcpy(&r->epoll_events, it->data, sizeof(r->epoll_events));
		r->rec_flags |= REC_HAS_EPOLL;
	}
	if ((it = decode_item(d, IOR_ITEM_TIMESPEC)) && it->len >= 16) {
		int64_t ts[2];

		memcpy(ts, it->data, sizeof(ts));
		/* `sleep infinity` asks for the largest time_t: saturate. */
		if (__builtin_mul_overflow(ts[0], 1000000000, &r->requested_sleep_ns) ||
		    __builtin_add_overflow(r->requested_sleep_ns, ts[1], &r->requested_sleep_ns))
			r->requested_sleep_ns = ts[0] < 0 ? INT64_MIN : INT64_MAX;
		r->rec_flags |= REC_HAS_SLEEP;
	}
	set_address_space(r, p, c);
}

static void mark_item_flags(struct ior_rec *r, const struct decoded_item *it)
{
	if (!it)
		return;
	if (it->flags & IOR_ITEMF_TRUNCATED)
		r->rec_flags |= REC_TRUNCATED;
	if (it->flags & IOR_ITEMF_FAULT)
		r->rec_flags |= REC_FAULT;
}

/* The descriptor a call is recorded with: its fd argument, else the dirfd it
 * acts on (fstatat(fd, "", AT_EMPTY_PATH)...), else symlinkat's newdirfd. */
static int record_fd(const struct call *c)
{
	if (c->fd != REC_FD_NONE)
		return c->fd;
	if (c->dirfd != AT_FDCWD)
		return c->dirfd;
	if (c->has_dirfd2 && c->dirfd2 != AT_FDCWD)
		return c->dirfd2;
	return REC_FD_NONE;
}

/* file, old_file and arg_path of a call. */
static void set_paths(struct tracker *t, struct ior_rec *r, struct proc *p, const struct call *c)
{
	/* renameat/linkat: the new path hangs off newdfd; symlinkat has only that. */
	int path_dir = c->has_dirfd2 ? c->dirfd2 : c->dirfd;

	if (c->path) {
		r->file = resolve(t, p, path_dir, c->path);
		if (!(c->path->flags & IOR_ITEMF_FAULT))
			r->arg_path = str(t, c->path->data, c->path->len);
		mark_item_flags(r, c->path);
	} else if (c->fd != REC_FD_NONE) {
		r->file = fd_path(t, p, c->fd);
	} else if (c->dirfd != AT_FDCWD) {
		/* utimensat(fd, NULL, ...): no path, the call acts on the dirfd. */
		r->file = fd_path(t, p, c->dirfd);
	}
	if (!c->path && c->name && !strncmp(c->info->name, "mq_", 3) &&
	    !(c->name->flags & IOR_ITEMF_FAULT)) {
		/* mq_open, mq_unlink: the queue's name is its path in the mqueue fs. */
		r->file = str(t, c->name->data, c->name->len);
	}
	if (c->oldpath) {
		/* Only here: a name compare on every call costs the reader. */
		if (!strncmp(c->info->name, "symlink", 7))
			r->old_file = (c->oldpath->flags & IOR_ITEMF_FAULT)
					      ? 0
					      : str(t, c->oldpath->data, c->oldpath->len);
		else
			r->old_file = resolve(t, p, c->dirfd, c->oldpath);
		mark_item_flags(r, c->oldpath);
	}
}

/* Descriptor, cwd and exec effects of a call that succeeded. */
static void apply_state(struct tracker *t, struct ior_rec *r, struct proc *p, const struct call *c)
{
	const struct syscall_info *info = c->info;
	int64_t ret = r->ret;
	const struct decoded_item *it;
	const char *anon;

	if (info->flags & SYSCALL_CLOSES_FD) {
		if (c->first_arg >= 0 && c->last_arg >= 0)
			fdtable_close_range(p->fds, (unsigned int)decode_arg(c->d, c->first_arg),
					    (unsigned int)decode_arg(c->d, c->last_arg),
					    decode_arg(c->d, c->last_arg + 1) &
						    CLOSE_RANGE_CLOEXEC_);
		else if (ret == 0)
			fdtable_close(p->fds, c->fd);
	} else if (info->flags & SYSCALL_DUPS_FD) {
		apply_dup(p, c, ret);
		if (ret != c->fd && strcmp(info->name, "fcntl") != 0)
			r->file = fd_path(t, p, (int)ret);
	} else if (returns_fd(t, c, &anon)) {
		/* The record names the new descriptor unless the call acts on
		 * another one (accept's listener). */
		ior_str path = register_new_fd(t, p, c, r->file, (int)ret, anon);

		if (c->fd == REC_FD_NONE) {
			r->fd = (int32_t)ret;
			r->file = path;
		}
	}
	if (decode_item(c->d, IOR_ITEM_FDPAIR))
		apply_fdpair(t, p, c);
	if (c->d->nitems && c->info->role[1] == IOR_ROLE_MSGHDR_OUT)
		apply_passed_fds(t, p, c);
	if (info->flags & SYSCALL_EXEC) {
		fdtable_exec(p->fds);
		/* The path read at enter faulted: the exec event named the binary. */
		if (c->path && (c->path->flags & IOR_ITEMF_FAULT) && p->exe) {
			r->file = p->exe;
			r->rec_flags &= ~(uint32_t)REC_FAULT;
		}
	}
	if (info->flags & SYSCALL_CWD) {
		size_t len;
		const char *s = r->file ? intern_str(t->strings, r->file, &len) : NULL;

		if (s)
			proc_set_cwd(p, s);
	}
	if ((it = decode_item(c->d, IOR_ITEM_CWD)) && it->len && !(it->flags & IOR_ITEMF_FAULT)) {
		char buf[PATH_MAX + 1];

		snprintf(buf, sizeof(buf), "%.*s", (int)it->len, it->data);
		proc_set_cwd(p, buf);
		r->file = str(t, it->data, it->len);
	}
}

static bool kept(struct tracker *t, const struct ior_rec *r)
{
	size_t len;

	if (t->keep && (r->nr < 0 || r->nr >= IOR_NR_MAX || !t->keep[r->nr]))
		return false;
	if (t->tid_filter && r->tid != t->tid_filter)
		return false;
	if (t->comm_filter) {
		const char *comm = intern_str(t->strings, r->comm, &len);

		if (!comm || strcmp(comm, t->comm_filter) != 0)
			return false;
	}
	return true;
}

static void on_syscall(struct tracker *t, const struct decoded *d)
{
	const struct ior_event *ev = d->ev;
	struct proc *p;
	struct thread *th;
	struct call c = { .d = d, .info = syscall_by_nr(ev->nr) };
	struct ior_rec r = {
		.ts_ns = ev->ts_ns + (uint64_t)t->wall_offset_ns,
		.duration_ns = ev->duration_ns,
		.gap_ns = ev->gap_ns,
		.ret = ev->ret,
		.pid = ev->tgid,
		.tid = ev->tid,
		.nr = (int16_t)ev->nr,
		.epoll_target_fd = REC_FD_NONE,
	};
	bool noreturn =
		(ev->flags & IOR_EVF_NORETURN) || (c.info && (c.info->flags & SYSCALL_NORETURN));
	bool ok;

	if (t->memo_th && t->memo_th->tid == ev->tid && t->memo_th->pid == ev->tgid) {
		p = t->memo_p;
		th = t->memo_th;
	} else {
		p = proc_get(t, ev->tgid);
		th = thread_get(t, p, ev->tid);
		t->memo_p = p;
		t->memo_th = th;
	}
	r.comm = th->comm;
	if (c.info && (c.info->flags & SYSCALL_RET_INT))
		r.ret = (int32_t)r.ret;
	find_roles(&c);
	c.refetch_buf[0] = t->refetch_buf[0];
	c.refetch_buf[1] = t->refetch_buf[1];
	c.path = refetch(&c, c.path, ev->tgid, 0);
	c.oldpath = refetch(&c, c.oldpath, ev->tgid, 1);
	r.fd = record_fd(&c);
	if (noreturn)
		r.rec_flags |= REC_NORETURN;
	if (ev->flags & IOR_EVF_ENTER_MISSING)
		r.rec_flags |= REC_ENTER_MISSING;
	if (!noreturn && decode_is_restart(r.ret))
		r.rec_flags |= REC_INTERRUPTED;
	else if (!noreturn && r.ret < 0 && r.ret >= -4095)
		r.rec_flags |= REC_FAILED;
	ok = !noreturn && !(r.rec_flags & (REC_FAILED | REC_INTERRUPTED));
	if (c.info) {
		if (c.info->byte_class != BYTES_NONE && ok && r.ret > 0)
			r.bytes = r.ret;
		set_paths(t, &r, p, &c);
		set_extras(t, &r, p, &c);
		if (ok)
			apply_state(t, &r, p, &c);
	}
	if (r.arg_path == r.file)
		r.arg_path = 0; /* as passed == resolved: say it once */
	if (!kept(t, &r))
		return;
	t->counts.events++;
	pipeline_event(t->pipe, &r);
}

static void on_fork(struct tracker *t, const struct decoded *d)
{
	const struct ior_event *ev = d->ev;
	uint32_t ctgid = (uint32_t)decode_arg(d, 0), ctid = (uint32_t)decode_arg(d, 1);
	struct proc *parent = proc_get(t, ev->tgid);
	struct thread *pth = thread_get(t, parent, ev->tid);
	struct proc *child;

	/* The kernel never says so; a record that does would free the parent. */
	if (ctid == ev->tid || (!decode_arg(d, 2) && ctgid == ev->tgid)) {
		t->counts.malformed++;
		return;
	}
	if (decode_arg(d, 2)) {
		proctable_add_thread(&t->pt, ctid, ctgid, pth->comm);
		return;
	}
	if (!(ev->flags & IOR_EVF_FOLLOWED))
		return;
	child = proctable_add_proc(&t->pt, ctgid, ev->tgid);
	fdtable_free(child->fds);
	child->fds = fdtable_dup(parent->fds);
	if (parent->cwd)
		proc_set_cwd(child, parent->cwd);
	child->comm = pth->comm;
	child->exe = parent->exe;
	child->brk = parent->brk;
	child->start_ns = ev->ts_ns + (uint64_t)t->wall_offset_ns;
	proctable_add_thread(&t->pt, ctid, ctgid, pth->comm);
	emit_proc(t, PROC_START, child, ctid, child->comm, 0, child->start_ns);
}

static void on_task_exit(struct tracker *t, const struct decoded *d)
{
	const struct ior_event *ev = d->ev;
	struct proc *p = proctable_proc(&t->pt, ev->tgid);

	proctable_remove_thread(&t->pt, ev->tid);
	if (!(ev->flags & IOR_EVF_GROUP_DEAD) || !p)
		return;
	emit_proc(t, PROC_EXIT, p, ev->tid, p->comm, (int)ev->ret,
		  ev->ts_ns + (uint64_t)t->wall_offset_ns);
	proctable_remove_proc(&t->pt, ev->tgid);
}

static void on_comm(struct tracker *t, const struct decoded *d)
{
	const struct ior_event *ev = d->ev;
	const struct decoded_item *it = decode_item(d, IOR_ITEM_COMM);
	struct proc *p = proc_get(t, ev->tgid);
	struct thread *th = thread_get(t, p, ev->tid);

	if (!it || (it->flags & IOR_ITEMF_FAULT))
		return;
	th->comm = str(t, it->data, it->len);
	if (ev->tid == ev->tgid)
		p->comm = th->comm;
	emit_proc(t, PROC_COMM, p, ev->tid, th->comm, 0, ev->ts_ns + (uint64_t)t->wall_offset_ns);
}

static void on_exec(struct tracker *t, const struct decoded *d)
{
	const struct ior_event *ev = d->ev;
	const struct decoded_item *it = decode_item(d, IOR_ITEM_FILENAME);
	struct proc *p = proc_get(t, ev->tgid);
	uint32_t old_tid = (uint32_t)decode_arg(d, 0);
	struct thread *th;

	if (old_tid && old_tid != ev->tid) {
		/* A non-leader thread exec'd and took over the leader's tid. */
		struct thread *old = proctable_thread(&t->pt, old_tid);
		ior_str comm = old ? old->comm : p->comm;

		proctable_remove_thread(&t->pt, old_tid);
		proctable_add_thread(&t->pt, ev->tid, ev->tgid, comm);
	}
	th = thread_get(t, p, ev->tid);
	p->comm = th->comm;
	if (it && !(it->flags & IOR_ITEMF_FAULT))
		p->exe = resolve(t, p, AT_FDCWD, it);
	p->brk = 0;
	emit_proc(t, PROC_EXEC, p, ev->tid, p->comm, 0, ev->ts_ns + (uint64_t)t->wall_offset_ns);
}

static void keep_fd(void *ctx, int fd, const struct fd_entry *e)
{
	(void)fd;
	intern_keep(ctx, e->path);
}

/* Forget the strings that no process, thread or open descriptor holds, no
 * sink keeps and no record named since the table was aged, halfway from
 * the last sweep.
 * Between records only: the tracker holds pointers into the table while it
 * handles one. */
static void sweep_strings(struct tracker *t)
{
	struct proc *p;
	struct thread *th;
	size_t pos = 0, held;

	while ((p = u32map_next(&t->pt.procs, &pos, NULL))) {
		intern_keep(t->strings, p->comm);
		intern_keep(t->strings, p->exe);
		if (p->fds)
			fdtable_each_open(p->fds, keep_fd, t->strings);
	}
	for (pos = 0; (th = u32map_next(&t->pt.threads, &pos, NULL));)
		intern_keep(t->strings, th->comm);
	pipeline_keep_strings(t->pipe, t->strings);
	t->counts.strings_forgotten += intern_sweep(t->strings);
	pipeline_strings_moved(t->pipe, t->strings);
	t->counts.string_sweeps++;
	/* A working set larger than half the bound stays whole: sweep again
	 * once as much has come again, so it costs a sweep per doubling, not
	 * one per string. */
	held = intern_bytes(t->strings);
	t->strings_next = held * 2 > t->strings_max ? held * 2 : t->strings_max;
	t->strings_age = held + (t->strings_next - held) / 2;
}

void tracker_handle(struct tracker *t, const void *data, size_t size)
{
	struct decoded d;

	if (t->strings_max && intern_bytes(t->strings) > t->strings_age) {
		if (intern_bytes(t->strings) > t->strings_next)
			sweep_strings(t);
		else if (t->strings_age < t->strings_next) {
			intern_age(t->strings);
			t->strings_age = t->strings_next; /* once a period */
		}
	}
	t->counts.records++;
	if (decode_event(data, size, &d)) {
		t->counts.malformed++;
		return;
	}
	if (d.ev->type != IOR_EV_SYSCALL)
		t->memo_th = NULL; /* forks, exits and execs change the tables */
	switch (d.ev->type) {
	case IOR_EV_SYSCALL:
		on_syscall(t, &d);
		break;
	case IOR_EV_FORK:
		on_fork(t, &d);
		break;
	case IOR_EV_EXIT:
		on_task_exit(t, &d);
		break;
	case IOR_EV_COMM:
		on_comm(t, &d);
		break;
	case IOR_EV_EXEC:
		on_exec(t, &d);
		break;
	default:
		t->counts.malformed++;
		break;
	}
}

struct tracker *tracker_new(struct pipeline *p, const struct tracker_opts *opts)
{
	struct tracker *t = xcalloc(1, sizeof(*t));

	t->pipe = p;
	t->strings = intern_new();
	t->bpf_info = syscall_by_name("bpf");
	proctable_init(&t->pt);
	t->keep = opts->keep;
	t->comm_filter = opts->comm ? xstrdup(opts->comm) : NULL;
	t->tid_filter = opts->tid;
	t->wall_offset_ns = opts->wall_offset_ns;
	t->strings_max = t->strings_next = opts->strings_max;
	t->strings_age = opts->strings_max / 2;
	t->self_pid = (uint32_t)getpid();
	return t;
}

void tracker_free(struct tracker *t)
{
	if (!t)
		return;
	proctable_fini(&t->pt);
	intern_free(t->strings);
	free(t->comm_filter);
	free(t);
}

void tracker_attach(struct tracker *t, uint32_t pid)
{
	struct proc *p;

	t->memo_th = NULL;
	p = proc_discover(t, pid, 0);

	p->start_ns = 0;
}

/* Name every descriptor pid holds now, with its CLOEXEC flag (from
 * /proc/PID/fdinfo). Used for a launched command, which waits before its
 * execve, so its table is complete and stable. */
static void scan_fds(struct tracker *t, struct proc *p)
{
	char path[64], buf[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%u/fd", p->pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		char info[512], *flags;
		int fd = atoi(de->d_name);

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%u/fd/%d", p->pid, fd);
		if (read_link(path, buf, sizeof(buf)) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%u/fdinfo/%d", p->pid, fd);
		flags = read_proc(path, info, sizeof(info)) ? NULL : strstr(info, "flags:");
		fdtable_set(p->fds, fd, cstr(t, buf),
			    flags && (strtoul(flags + 6, NULL, 8) & O_CLOEXEC));
	}
	closedir(dir);
}

void tracker_launch(struct tracker *t, uint32_t pid)
{
	struct proc *p;
	char cwd[PATH_MAX];

	t->memo_th = NULL;
	p = proctable_add_proc(&t->pt, pid, t->self_pid);

	p->comm = cstr(t, "ior");
	p->start_ns = wall_now();
	if (getcwd(cwd, sizeof(cwd)))
		proc_set_cwd(p, cwd);
	proctable_add_thread(&t->pt, pid, pid, p->comm);
	scan_fds(t, p);
	emit_proc(t, PROC_START, p, pid, p->comm, 0, p->start_ns);
}

void tracker_counts(const struct tracker *t, struct tracker_counts *out)
{
	*out = t->counts;
}

struct list_fds {
	void (*fn)(void *ctx, int fd, ior_str path, bool cloexec);
	void *ctx;
};

static void list_fd(void *ctx, int fd, const struct fd_entry *e)
{
	const struct list_fds *l = ctx;

	l->fn(l->ctx, fd, e->path, e->cloexec);
}

void tracker_list_fds(const struct tracker *t, uint32_t pid,
		      void (*fn)(void *ctx, int fd, ior_str path, bool cloexec), void *ctx)
{
	const struct proc *p = u32map_get(&t->pt.procs, pid);
	struct list_fds l = { fn, ctx };

	if (p && p->fds)
		fdtable_each_open(p->fds, list_fd, &l);
}

const struct intern *tracker_strings(const struct tracker *t)
{
	return t->strings;
}
