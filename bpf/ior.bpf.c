/* Kernel side of ior: pair sys_enter/sys_exit per thread in task storage,
 * read what the per-syscall spec asks for, and emit one ring-buffer record
 * per completed syscall; follow forks and exits of the traced set. */
#include <vmlinux.h>

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bpf/ior_event.h"

#define S_IFMT	0170000
#define S_IFREG 0100000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFBLK 0060000

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load. */
const volatile __u32 self_tgid = 0;
const volatile __u8 trace_all = 0;
const volatile __u8 follow = 0;
/* Wake-ups are left to the reader's 10 ms poll below this much data; past it
 * each record forces one (an IRQ work interrupt on this CPU). The loader
 * sets half the ring (issue 10). */
const volatile __u64 wakeup_bytes = 16 << 20;

#define SCRATCH_SIZE 24576
#define ITEM_MASK    16383 /* item offsets stay below this, so a 4 KiB read always fits */
#define HDR_SIZE     96	   /* struct ior_event (48) + 6 args */
#define MAX_STRINGS  3
#define PATH_DEPTH   48 /* dentry walk steps (components + mount crossings) */
#define NAME_READ    256

/* The record under construction. off and strings live in map memory on
 * purpose: the verifier does not track their exact values there, so the
 * paths through put_items() converge instead of multiplying. */
struct scratch {
	__u8 buf[SCRATCH_SIZE];
	__u32 off;     /* end of the record so far */
	__u32 strings; /* string items so far */
	__u32 pathlen; /* bytes of the FDPATH item so far */
	__u32 pad;
};

struct inflight {
	__u64 ts; /* enter time; 0 when no call is in flight */
	__u64 last_exit;
	__u64 args[6];
	__u32 nr;
	__u8 plain; /* set at enter: 1 + the args of a record with no items,
		     * so that exit needs no look at the spec; 0: look */
	__u8 pad[3];
};

struct exec_path {
	__s32 len; /* bpf_probe_read_user_str's result */
	__u32 pad;
	char path[IOR_STR_READ];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20); /* default; --ring-size resizes it */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);  /* tgid */
	__type(value, __u8); /* IOR_TARGET_* */
} targets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, IOR_NR_MAX);
	__type(key, __u32);
	__type(value, struct ior_sc_spec);
} sc_spec SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight_map SEC(".maps");

/* execve's path must be read before the old image is gone. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct exec_path);
} exec_map SEC(".maps");

#if defined(__TARGET_ARCH_x86)
#define REG_NR(r) ((long)(r)->orig_ax)
static __always_inline void regs_args(struct pt_regs *r, __u64 *a)
{
	a[0] = r->di;
	a[1] = r->si;
	a[2] = r->dx;
	a[3] = r->r10;
	a[4] = r->r8;
	a[5] = r->r9;
}
#elif defined(__TARGET_ARCH_arm64)
#define REG_NR(r) ((long)(r)->syscallno)
static __always_inline void regs_args(struct pt_regs *r, __u64 *a)
{
	a[0] = r->orig_x0;
	a[1] = r->regs[1];
	a[2] = r->regs[2];
	a[3] = r->regs[3];
	a[4] = r->regs[4];
	a[5] = r->regs[5];
}
#else
#error "ior supports x86_64 and arm64"
#endif

/* A quick "not a target" for every other process on the machine, whose
 * calls run these programs too: one bit per hash of a tgid, set for each
 * target (by ior for -p and the launched command, by ior_fork for a
 * followed child) and never cleared, so a clear bit is a sure no and a set
 * one sends the question on to the targets map. Mapped by ior (.bss). */
__u64 target_bits[IOR_TARGET_BITS / 64];

static __always_inline bool maybe_target(__u32 tgid)
{
	__u32 b = IOR_TARGET_BIT(tgid);

	return trace_all || (target_bits[b / 64] & (1ull << (b % 64)));
}

static __always_inline __u8 target_state(__u32 tgid)
{
	__u8 *v;

	if (trace_all)
		return tgid != self_tgid ? IOR_TARGET_ON : 0;
	if (!maybe_target(tgid))
		return 0;
	v = bpf_map_lookup_elem(&targets, &tgid);
	return v ? *v : 0;
}

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		*n += 1;
}

static __always_inline __u64 wakeup_flag(void);

static __always_inline void submit(void *buf, __u32 size)
{
	if (size > SCRATCH_SIZE || bpf_ringbuf_output(&events, buf, size, wakeup_flag()))
		count_lost();
}

static __always_inline struct scratch *scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch_map, &zero);
}

static __always_inline struct ior_event *hdr_init(struct scratch *s, __u8 type, __u64 pid_tgid)
{
	struct ior_event *e = (void *)s->buf;

	e->size = HDR_SIZE;
	e->type = type;
	e->flags = 0;
	e->tgid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->nr = 0;
	e->nargs = 6; /* always: items start at HDR_SIZE */
	e->nitems = 0;
	e->ts_ns = 0;
	e->duration_ns = 0;
	e->gap_ns = 0;
	e->ret = 0;
	for (int i = 0; i < 6; i++)
		e->args[i] = 0;
	s->off = HDR_SIZE;
	s->strings = 0;
	return e;
}

/* Item header at the current end of the record; masked so the verifier can
 * bound every write that follows. */
static __always_inline struct ior_item *item_cur(struct scratch *s)
{
	return (void *)(s->buf + (s->off & ITEM_MASK));
}

/* Close the item at the current end: header, then advance past the padded
 * payload. */
static __always_inline void item_end(struct scratch *s, __u8 tag, __u8 flags, __u32 len)
{
	struct ior_item *it = item_cur(s);
	struct ior_event *e = (void *)s->buf;

	it->len = len;
	it->tag = tag;
	it->flags = flags;
	it->pad = 0;
	e->nitems++;
	s->off = (s->off & ITEM_MASK) + sizeof(*it) + ((len + 7) & ~7u);
}

static __always_inline void put_user_str(struct scratch *s, __u8 tag, __u64 uptr)
{
	long n = bpf_probe_read_user_str((void *)(item_cur(s) + 1), IOR_STR_READ,
					 (const void *)uptr);
	__u8 flags = 0;

	if (n <= 0) {
		flags = IOR_ITEMF_FAULT;
		n = 1;
	} else if (n == IOR_STR_READ) {
		flags = IOR_ITEMF_TRUNCATED;
	}
	item_end(s, tag, flags, (__u32)(n - 1) & 8191);
}

static __always_inline void put_user_bytes(struct scratch *s, __u8 tag, __u64 uptr, __u32 len)
{
	__u8 flags = 0;

	len &= 127;
	if (bpf_probe_read_user((void *)(item_cur(s) + 1), len, (const void *)uptr)) {
		flags = IOR_ITEMF_FAULT;
		len = 0;
	}
	item_end(s, tag, flags, len);
}

/* execve's path was read at enter, before the old image could go away. If
 * that read faulted and the call failed, the old image is still there: read
 * it again now. */
static __always_inline void put_exec_path(struct scratch *s, __u8 tag, struct task_struct *task,
					  __u64 uptr, long ret)
{
	struct exec_path *xp = bpf_task_storage_get(&exec_map, task, 0, 0);
	__u32 len;
	__u8 flags = 0;

	if (!xp || xp->len <= 0) {
		if (ret < 0 && uptr)
			put_user_str(s, tag, uptr);
		else
			item_end(s, tag, IOR_ITEMF_FAULT, 0);
		return;
	}
	if (xp->len == IOR_STR_READ)
		flags = IOR_ITEMF_TRUNCATED;
	len = (__u32)(xp->len - 1) & 8191;
	if (len > IOR_STR_READ - 1)
		len = IOR_STR_READ - 1;
	bpf_probe_read_kernel((void *)(item_cur(s) + 1), len, xp->path);
	xp->len = 0;
	item_end(s, tag, flags, len);
	/* Not deleted: a task storage element is freed through an RCU Tasks
	 * Trace grace period, and while one runs every traced syscall takes
	 * the slow way out of its tracepoint (rcu_read_unlock_trace_special:
	 * +4% on sysloop). It goes with the task. */
}

/* The path of an open file as the kernel names it (what /proc/PID/fd and
 * strace -y show: symlinks resolved, mounts crossed), by walking dentries up
 * to the namespace root. Emitted leaf first; user space reverses it. A
 * global function: the verifier checks the walk once, not at each of its
 * callers (every inlined copy cost ~10 ms of start-up). file is a kernel
 * address, read only through probe reads. */
__noinline int put_fd_path(struct scratch *s, __u64 file)
{
	__u64 mnt_off = bpf_core_field_offset(struct mount, mnt);
	struct file *f = (void *)file;
	struct dentry *d;
	__u8 flags = IOR_ITEMF_TRUNCATED;
	struct vfsmount *vm;
	struct mount *m;
	__u32 start;

	if (!s)
		return 0;
	d = BPF_CORE_READ(f, f_path.dentry);
	vm = BPF_CORE_READ(f, f_path.mnt);
	m = (void *)vm - mnt_off;
	start = s->off & ITEM_MASK;
	s->pathlen = 0;
	for (int i = 0; i < PATH_DEPTH; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		const unsigned char *name;
		__u32 len;
		long n;

		if (d == BPF_CORE_READ(vm, mnt_root)) {
			struct mount *up = BPF_CORE_READ(m, mnt_parent);

			if (up == m) {
				flags = 0;
				break;
			}
			d = BPF_CORE_READ(m, mnt_mountpoint);
			m = up;
			vm = (void *)m + mnt_off;
			continue;
		}
		if (d == parent) {
			flags = 0;
			break;
		}
		len = s->pathlen & 4095;
		name = BPF_CORE_READ(d, d_name.name);
		n = bpf_probe_read_kernel_str(s->buf + start + sizeof(struct ior_item) + len,
					      NAME_READ, name);
		if (n <= 0)
			break;
		s->pathlen = len + n;
		if (s->pathlen > IOR_PATH_MAX - NAME_READ)
			break;
		d = parent;
	}
	item_end(s, IOR_ITEM_FDPATH, flags, s->pathlen & 4095);
	return 0;
}

static __always_inline void put_fdinfo(struct scratch *s, struct task_struct *task, int fd,
				       int with_path)
{
	struct ior_fdinfo *fi = (void *)(item_cur(s) + 1);
	struct files_struct *files = BPF_CORE_READ(task, files);
	struct fdtable *fdt = BPF_CORE_READ(files, fdt);
	struct file **fdarr = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	__u32 mode;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return;
	bpf_probe_read_kernel(&f, sizeof(f), &fdarr[fd]);
	if (!f)
		return;
	mode = BPF_CORE_READ(f, f_inode, i_mode);
	fi->ino = BPF_CORE_READ(f, f_inode, i_ino);
	fi->mode = mode;
	fi->fd = fd;
	item_end(s, IOR_ITEM_FDINFO, 0, sizeof(*fi));
	mode &= S_IFMT;
	if (with_path && (mode == S_IFREG || mode == S_IFDIR || mode == S_IFCHR || mode == S_IFBLK))
		put_fd_path(s, (__u64)f);
}

/* Descriptors received with SCM_RIGHTS: recvmsg has installed them by exit,
 * so each is named like a descriptor the call created (FDINFO + FDPATH). The
 * control messages are read from the caller's msghdr (the kernel has just
 * written them, so the pages are resident); the rights are looked for in the
 * first two messages (SCM_CREDENTIALS may come first), at most
 * MAX_PASSED_FDS of them, and no more than the scratch can hold. */
#define MAX_PASSED_FDS	     4
#define ITEMS_AND_PASSED_FDS 2	/* emit_syscall's with_items: also read SCM_RIGHTS */
#define CMSG_HDR	     16 /* struct cmsghdr on LP64: len, level, type */
#define MSG_CONTROL	     32 /* offsetof(struct user_msghdr, msg_control) on LP64 */

static __always_inline void put_passed_fds(struct scratch *s, struct task_struct *task, __u64 umsg)
{
	struct {
		__u64 control, controllen;
	} mc;
	struct {
		__u64 len;
		__s32 level, type;
	} cm;
	/* Twice as big as needed: the verifier sees the read bounded by a mask. */
	int fds[2 * MAX_PASSED_FDS];
	__u64 at = 0;
	__u32 n, size;

	if (!umsg || bpf_probe_read_user(&mc, sizeof(mc), (const void *)(umsg + MSG_CONTROL)))
		return;
	for (int j = 0; j < 2; j++) {
		if (!mc.control || at + CMSG_HDR > mc.controllen ||
		    bpf_probe_read_user(&cm, sizeof(cm), (const void *)(mc.control + at)))
			return;
		if (cm.level == 1 /* SOL_SOCKET */ && cm.type == 1 /* SCM_RIGHTS */)
			break;
		if (j == 1 || cm.len < CMSG_HDR)
			return;
		at += (cm.len + 7) & ~7ull;
	}
	if (cm.len < CMSG_HDR + sizeof(int))
		return;
	n = (cm.len - CMSG_HDR) / sizeof(int);
	if (n > MAX_PASSED_FDS)
		n = MAX_PASSED_FDS;
	size = n * sizeof(int);
	barrier_var(size); /* keep the mask: the verifier needs it */
	if (bpf_probe_read_user(fds, size & (sizeof(fds) - 1),
				(const void *)(mc.control + at + CMSG_HDR)))
		return;
	for (__u32 i = 0; i < MAX_PASSED_FDS; i++) {
		if (i >= n || s->off > ITEM_MASK - IOR_PATH_MAX - 128)
			break;
		put_fdinfo(s, task, fds[i], 1);
	}
}

/* Read at exit what the roles ask for; strings are still mapped then, and a
 * page that was not resident at enter has been faulted in by the call.
 * Descriptors received with SCM_RIGHTS only on the normal exit path (a call
 * seen without its enter was skipped by seccomp and received nothing). */
static __always_inline void put_items(struct scratch *s, const struct ior_sc_spec *spec,
				      const __u64 *args, long ret, struct task_struct *task,
				      int with_passed_fds)
{
	for (int i = 0; i < 6; i++) {
		__u8 role = spec->role[i];
		__u32 len;

		if (i >= spec->nargs)
			break;
		switch (role) {
		case IOR_ROLE_PATH:
		case IOR_ROLE_OLDPATH:
		case IOR_ROLE_NAME:
			if (s->strings >= MAX_STRINGS || !args[i])
				break;
			s->strings++;
			if ((spec->flags & IOR_SCF_EXEC) && role == IOR_ROLE_PATH)
				put_exec_path(s, IOR_ITEM_ARG0 + i, task, args[i], ret);
			else
				put_user_str(s, IOR_ITEM_ARG0 + i, args[i]);
			break;
		case IOR_ROLE_SOCKADDR:
			if (i < 5 && args[i])
				put_user_bytes(s, IOR_ITEM_SOCKADDR, args[i],
					       args[i + 1] < IOR_SOCKADDR_MAX ? args[i + 1]
									      : IOR_SOCKADDR_MAX);
			break;
		case IOR_ROLE_SOCKADDR_OUT:
			if (ret < 0 || i >= 5 || !args[i] || !args[i + 1])
				break;
			len = 0;
			bpf_probe_read_user(&len, sizeof(len), (const void *)args[i + 1]);
			put_user_bytes(s, IOR_ITEM_SOCKADDR, args[i],
				       len < IOR_SOCKADDR_MAX ? len : IOR_SOCKADDR_MAX);
			break;
		case IOR_ROLE_FDPAIR_OUT:
			if (ret == 0 && args[i]) {
				int fds[2] = { -1, -1 };

				put_user_bytes(s, IOR_ITEM_FDPAIR, args[i], 8);
				bpf_probe_read_user(fds, sizeof(fds), (const void *)args[i]);
				put_fdinfo(s, task, fds[0], 0);
				put_fdinfo(s, task, fds[1], 0);
			}
			break;
		case IOR_ROLE_OPEN_HOW:
			if (args[i])
				put_user_bytes(s, IOR_ITEM_OPEN_HOW, args[i], 24);
			break;
		case IOR_ROLE_EPOLL_EVENT:
			if (args[i])
				put_user_bytes(s, IOR_ITEM_EPOLL_EVENT, args[i],
					       bpf_core_type_size(struct epoll_event));
			break;
		case IOR_ROLE_TIMESPEC:
			if (args[i])
				put_user_bytes(s, IOR_ITEM_TIMESPEC, args[i], 16);
			break;
		case IOR_ROLE_CWD_OUT:
			if (ret > 0 && args[i])
				put_user_str(s, IOR_ITEM_CWD, args[i]);
			break;
		default:
			break;
		}
	}
	if ((spec->flags & IOR_SCF_RET_FD) && ret >= 0)
		put_fdinfo(s, task, ret, 1);
	if (with_passed_fds && spec->role[1] == IOR_ROLE_MSGHDR_OUT && ret >= 0)
		put_passed_fds(s, task, args[1]);
}

/* The rest of a record built in the scratch (header and args filled):
 * its items, then out. Not inlined: the programs' common path (a record
 * reserved and filled in place) stays short. */
static __noinline void emit_items(struct scratch *s, const struct ior_sc_spec *spec,
				  struct task_struct *task, int with_passed_fds)
{
	struct ior_event *e = (void *)s->buf;

	put_items(s, spec, e->args, e->ret, task, with_passed_fds);
	e->size = s->off;
	submit(s->buf, s->off);
}

static __always_inline __u64 wakeup_flag(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP
									     : BPF_RB_NO_WAKEUP;
}

static __always_inline void fill_syscall(struct ior_event *e, __u64 pid_tgid, __u32 nr,
					 const __u64 *args, __u64 ts, __u64 dur, __u64 gap,
					 long ret, __u8 flags, __u8 nargs)
{
	e->size = sizeof(*e) + nargs * sizeof(__u64);
	e->type = IOR_EV_SYSCALL;
	e->flags = flags;
	e->tgid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->nr = nr;
	e->nargs = nargs;
	e->nitems = 0;
	e->ts_ns = ts;
	e->duration_ns = dur;
	e->gap_ns = gap;
	e->ret = ret;
	for (int i = 0; i < 6; i++)
		if (i < nargs)
			e->args[i] = args[i];
}

/* A record with no items, only the args the call has: reserved in the ring
 * and filled in place. nargs is a constant at each call site (the verifier
 * wants a constant size). */
static __always_inline void emit_plain(__u64 pid_tgid, __u32 nr, const __u64 *args, __u64 ts,
				       __u64 dur, __u64 gap, long ret, __u8 flags, __u8 nargs)
{
	struct ior_event *e = bpf_ringbuf_reserve(&events, sizeof(*e) + nargs * sizeof(__u64), 0);

	if (!e) {
		count_lost();
		return;
	}
	fill_syscall(e, pid_tgid, nr, args, ts, dur, gap, ret, flags, nargs);
	/* The ring's fill is looked at for about one record in 16 (by the low
	 * bits of the exit time, ts + dur): a forced wake-up, when one is
	 * due, comes a few records later, and the other records skip a
	 * helper call. */
	bpf_ringbuf_submit(e, (ts + dur) & 15 ? BPF_RB_NO_WAKEUP : wakeup_flag());
}

/* emit_plain with n args (a constant at each emit_plain: the verifier
 * wants a constant size). */
static __always_inline void emit_plain_n(__u64 pid_tgid, __u32 nr, const __u64 *args, __u64 ts,
					 __u64 dur, __u64 gap, long ret, __u8 flags, __u8 n)
{
	switch (n) {
	case 0:
		emit_plain(pid_tgid, nr, args, ts, dur, gap, ret, flags, 0);
		break;
	case 1:
		emit_plain(pid_tgid, nr, args, ts, dur, gap, ret, flags, 1);
		break;
	case 2:
		emit_plain(pid_tgid, nr, args, ts, dur, gap, ret, flags, 2);
		break;
	case 3:
		emit_plain(pid_tgid, nr, args, ts, dur, gap, ret, flags, 3);
		break;
	case 4:
		emit_plain(pid_tgid, nr, args, ts, dur, gap, ret, flags, 4);
		break;
	default:
		emit_plain(pid_tgid, nr, args, ts, dur, gap, ret, flags, 6);
		break;
	}
}

/* Most calls need nothing read: reserve the record in the ring and fill it
 * in place, with the args the loader says the call needs (spec->nargs: a
 * pread, only its descriptor: 56 bytes, not 96). The rest are built in
 * the per-CPU scratch and copied. */
static __always_inline void emit_syscall(__u64 pid_tgid, __u32 nr, const struct ior_sc_spec *spec,
					 const __u64 *args, __u64 ts, __u64 dur, __u64 gap,
					 long ret, __u8 flags, struct task_struct *task,
					 int with_items)
{
	struct ior_event *e;
	struct scratch *s;

	if (!with_items || !(spec->flags & (IOR_SCF_READS | IOR_SCF_RET_FD))) {
		emit_plain_n(pid_tgid, nr, args, ts, dur, gap, ret, flags, spec->nargs);
		return;
	}
	s = scratch_get();
	if (!s)
		return;
	e = (void *)s->buf;
	/* Six args here: items start at HDR_SIZE. */
	fill_syscall(e, pid_tgid, nr, args, ts, dur, gap, ret, flags, 6);
	s->off = HDR_SIZE;
	s->strings = 0;
	emit_items(s, spec, task, with_items == ITEMS_AND_PASSED_FDS);
}

/* A call that never reached sys_exit (st->ts set): emit it now. Apart from
 * the programs' common path, as the two below. */
static __noinline void emit_unfinished(struct inflight *st, __u64 pid_tgid,
				       struct task_struct *task)
{
	struct ior_sc_spec *spec = bpf_map_lookup_elem(&sc_spec, &st->nr);

	if (spec)
		emit_syscall(pid_tgid, st->nr, spec, st->args, st->ts, 0, 0, 0, IOR_EVF_NORETURN,
			     task, 0);
	st->ts = 0;
}

/* A call that does not return (exit, exit_group): emitted at enter. */
static __noinline void emit_at_enter(struct inflight *st, __u64 pid_tgid, __u64 now,
				     struct task_struct *task)
{
	struct ior_sc_spec *spec = bpf_map_lookup_elem(&sc_spec, &st->nr);

	if (spec)
		emit_syscall(pid_tgid, st->nr, spec, st->args, now, 0,
			     st->last_exit ? now - st->last_exit : 0, 0, IOR_EVF_NORETURN, task, 1);
}

/* execve's path, read at enter: the old image is gone at exit. */
static __noinline void stash_exec_path(struct task_struct *task, const struct ior_sc_spec *spec,
				       const __u64 *args)
{
	struct exec_path *xp =
		bpf_task_storage_get(&exec_map, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	for (int i = 0; i < 6 && xp; i++) {
		if (spec->role[i] == IOR_ROLE_PATH) {
			xp->len = bpf_probe_read_user_str(xp->path, sizeof(xp->path),
							  (const void *)args[i]);
			break;
		}
	}
}

SEC("tp_btf/sys_enter")
int BPF_PROG(ior_sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	struct task_struct *task;
	struct inflight *st;
	struct ior_sc_spec *spec;
	__u32 nr = id;
	__u8 state;
	__u64 now;

	if (!maybe_target(tgid))
		return 0;
	task = bpf_get_current_task_btf();
	/* A task with in-flight storage is traced: skip the targets lookup. */
	st = bpf_task_storage_get(&inflight_map, task, 0, 0);
	state = st ? IOR_TARGET_ON : target_state(tgid);
	if (!state || id < 0 || id >= IOR_NR_MAX)
		return 0;
	spec = bpf_map_lookup_elem(&sc_spec, &nr);
	if (!spec)
		return 0;
	if (state == IOR_TARGET_AT_EXEC) {
		/* A launched command is traced from its first execve: what ran
		 * before it is ior's own set-up in the child. */
		if (!(spec->flags & IOR_SCF_EXEC))
			return 0;
		state = IOR_TARGET_ON;
		bpf_map_update_elem(&targets, &tgid, &state, BPF_ANY);
	}
	if (!(spec->flags & (IOR_SCF_KEEP | IOR_SCF_STATE)))
		return 0;
	if (!st)
		st = bpf_task_storage_get(&inflight_map, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!st)
		return 0;
	now = bpf_ktime_get_ns();
	if (st->ts) /* the previous call never reached sys_exit */
		emit_unfinished(st, pid_tgid, task);
	regs_args(regs, st->args);
	st->nr = nr;
	st->plain = spec->flags & (IOR_SCF_READS | IOR_SCF_RET_FD) ? 0 : spec->nargs + 1;
	if (spec->flags & (IOR_SCF_AT_ENTER | IOR_SCF_EXEC)) {
		if (spec->flags & IOR_SCF_AT_ENTER) {
			emit_at_enter(st, pid_tgid, now, task);
			return 0;
		}
		stash_exec_path(task, spec, st->args);
	}
	st->ts = now;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ior_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_struct *task;
	struct inflight *st;
	struct ior_sc_spec *spec;
	__u64 now, args[6];
	__u8 flags = 0;
	long id;
	__u32 nr;

	if (!maybe_target(pid_tgid >> 32))
		return 0;
	task = bpf_get_current_task_btf();
	st = bpf_task_storage_get(&inflight_map, task, 0, 0);
	if (!st) {
		/* First call seen from this task (or an untraced one). */
		if (target_state(pid_tgid >> 32) != IOR_TARGET_ON)
			return 0;
		st = bpf_task_storage_get(&inflight_map, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!st)
			return 0;
	}
	now = bpf_ktime_get_ns();
	if (st->ts) {
		/* Trust the enter's number: rt_sigreturn resets orig_ax to -1. */
		__u64 gap = st->last_exit ? st->ts - st->last_exit : 0;

		nr = st->nr;
		if (st->plain) { /* most calls: what enter saw of the spec */
			emit_plain_n(pid_tgid, nr, st->args, st->ts, now - st->ts, gap, ret, 0,
				     st->plain - 1);
		} else {
			spec = bpf_map_lookup_elem(&sc_spec, &nr);
			if (!spec)
				return 0;
			emit_syscall(pid_tgid, nr, spec, st->args, st->ts, now - st->ts, gap, ret,
				     0, task, ITEMS_AND_PASSED_FDS);
		}
	} else {
		/* No enter: seccomp skipped the call, or tracing began mid-call. */
		id = REG_NR(regs);
		if (id < 0 || id >= IOR_NR_MAX)
			return 0;
		nr = id;
		spec = bpf_map_lookup_elem(&sc_spec, &nr);
		if (!spec || !(spec->flags & (IOR_SCF_KEEP | IOR_SCF_STATE)))
			return 0;
		/* A new child returning from fork/clone is the parent's call. */
		if ((spec->flags & IOR_SCF_FORK) && ret == 0)
			goto done;
		flags = IOR_EVF_ENTER_MISSING;
		regs_args(regs, args);
		emit_syscall(pid_tgid, nr, spec, args, now, 0,
			     st->last_exit ? now - st->last_exit : 0, ret, flags, task, 1);
	}
done:
	st->ts = 0;
	st->last_exit = now;
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(ior_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u32 ctid = BPF_CORE_READ(child, pid);
	__u8 state = target_state(ptgid);
	struct ior_event *e;
	struct scratch *s;

	if (!state)
		return 0;
	s = scratch_get();
	if (!s)
		return 0;
	e = hdr_init(s, IOR_EV_FORK, ((__u64)ptgid << 32) | BPF_CORE_READ(parent, pid));
	e->ts_ns = bpf_ktime_get_ns();
	e->args[0] = ctgid;
	e->args[1] = ctid;
	e->args[2] = ctgid == ptgid;
	if (ctgid != ptgid && follow && !trace_all) {
		/* Membership is the kernel's: the child is traced before its
		 * first syscall, whoever its parent becomes later. */
		__u32 b = IOR_TARGET_BIT(ctgid);

		__sync_fetch_and_or(&target_bits[b / 64], 1ull << (b % 64));
		bpf_map_update_elem(&targets, &ctgid, &state, BPF_ANY);
		e->flags = IOR_EVF_FOLLOWED;
	} else if (ctgid != ptgid && trace_all) {
		e->flags = IOR_EVF_FOLLOWED;
	}
	e->size = HDR_SIZE;
	submit(s->buf, e->size);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(ior_exit, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 tid = BPF_CORE_READ(task, pid);
	__u64 pid_tgid = ((__u64)tgid << 32) | tid;
	struct ior_event *e;
	struct inflight *st;
	struct scratch *s;
	int live;

	if (!target_state(tgid))
		return 0;
	s = scratch_get();
	if (!s)
		return 0;
	st = bpf_task_storage_get(&inflight_map, task, 0, 0);
	if (st && st->ts) {
		/* Killed inside a call (seccomp kill, exit of the group). */
		struct ior_sc_spec *spec = bpf_map_lookup_elem(&sc_spec, &st->nr);

		if (spec)
			emit_syscall(pid_tgid, st->nr, spec, st->args, st->ts, 0, 0, 0,
				     IOR_EVF_NORETURN, task, 0);
		st->ts = 0;
	}
	live = BPF_CORE_READ(task, signal, live.counter);
	e = hdr_init(s, IOR_EV_EXIT, pid_tgid);
	e->ts_ns = bpf_ktime_get_ns();
	e->ret = BPF_CORE_READ(task, exit_code);
	if (live == 0) {
		e->flags = IOR_EVF_GROUP_DEAD;
		if (!trace_all)
			bpf_map_delete_elem(&targets, &tgid);
	}
	submit(s->buf, e->size);
	return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(ior_rename, struct task_struct *task, const char *comm)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct ior_event *e;
	struct scratch *s;
	long n;

	if (!target_state(tgid))
		return 0;
	s = scratch_get();
	if (!s)
		return 0;
	e = hdr_init(s, IOR_EV_COMM, ((__u64)tgid << 32) | BPF_CORE_READ(task, pid));
	e->ts_ns = bpf_ktime_get_ns();
	n = bpf_probe_read_kernel_str((void *)(item_cur(s) + 1), IOR_COMM_LEN, comm);
	item_end(s, IOR_ITEM_COMM, n <= 0 ? IOR_ITEMF_FAULT : 0, n <= 0 ? 0 : (__u32)(n - 1) & 15);
	e->size = s->off;
	submit(s->buf, s->off);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(ior_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct ior_event *e;
	struct scratch *s;
	const char *fname;
	__u8 flags = 0;
	long n;

	if (!target_state(tgid))
		return 0;
	s = scratch_get();
	if (!s)
		return 0;
	e = hdr_init(s, IOR_EV_EXEC, ((__u64)tgid << 32) | BPF_CORE_READ(task, pid));
	e->ts_ns = bpf_ktime_get_ns();
	e->args[0] = old_pid;
	fname = BPF_CORE_READ(bprm, filename);
	n = bpf_probe_read_kernel_str((void *)(item_cur(s) + 1), IOR_STR_READ, fname);
	if (n <= 0) {
		flags = IOR_ITEMF_FAULT;
		n = 1;
	} else if (n == IOR_STR_READ) {
		flags = IOR_ITEMF_TRUNCATED;
	}
	item_end(s, IOR_ITEM_FILENAME, flags, (__u32)(n - 1) & 8191);
	e->size = s->off;
	submit(s->buf, s->off);
	return 0;
}
