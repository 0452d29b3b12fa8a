/* The wire format between the BPF programs and user space: ring-buffer records,
 * the per-syscall capture spec kept in a map, and the arg roles that drive it.
 * Only fixed-width types and explicit padding: both sides compile this file. */
#ifndef IOR_BPF_IOR_EVENT_H
#define IOR_BPF_IOR_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define IOR_EVENT_VERSION 1

#define IOR_NR_MAX	 1024 /* syscall numbers below this are tabled */
#define IOR_PATH_MAX	 4096 /* PATH_MAX, NUL included */
#define IOR_STR_READ	 4097 /* one more than PATH_MAX: a full read means truncated */
#define IOR_COMM_LEN	 16
#define IOR_SOCKADDR_MAX 112 /* sizeof(struct sockaddr_un) rounded up */

/* Record types (struct ior_event.type). */
enum ior_event_type {
	IOR_EV_SYSCALL = 1, /* one completed (or never-returning) syscall */
	IOR_EV_FORK = 2,    /* args[0] child tgid, args[1] child tid, args[2] 1 if a thread */
	IOR_EV_EXIT = 3,    /* a task exited; ret = exit code, flag GROUP_DEAD on the last one */
	IOR_EV_COMM = 4,    /* comm changed (exec, prctl, /proc write); item COMM */
	IOR_EV_EXEC = 5,    /* exec succeeded; item FILENAME, args[0] old tid */
};

/* struct ior_event.flags */
#define IOR_EVF_NORETURN      0x01 /* emitted without an exit (exit, exit_group, killed) */
#define IOR_EVF_ENTER_MISSING 0x02 /* exit seen without its enter (seccomp, attach mid-call) */
#define IOR_EVF_GROUP_DEAD    0x04 /* EXIT: the last thread of the process */
#define IOR_EVF_FOLLOWED      0x08 /* FORK: the child was added to the traced set */

/* Every record starts with this header; args[nargs] and then nitems items
 * follow. size counts all of it and is a multiple of 8. Times are
 * CLOCK_MONOTONIC nanoseconds (bpf_ktime_get_ns). */
struct ior_event {
	__u16 size;
	__u8 type;  /* enum ior_event_type */
	__u8 flags; /* IOR_EVF_* */
	__u32 tgid;
	__u32 tid;
	__u16 nr; /* native syscall number */
	__u8 nargs;
	__u8 nitems;
	__u64 ts_ns;	   /* enter time */
	__u64 duration_ns; /* exit - enter on this thread */
	__u64 gap_ns;	   /* this enter - previous exit on this thread, 0 for the first */
	__s64 ret;
	__u64 args[]; /* raw syscall arguments, nargs of them */
};

/* An item: a variable-length payload read from user or kernel memory. len
 * counts the payload only; the item is padded to 8 bytes. */
struct ior_item {
	__u16 len;
	__u8 tag;   /* enum ior_item_tag */
	__u8 flags; /* IOR_ITEMF_* */
	__u32 pad;
};

enum ior_item_tag {
	IOR_ITEM_ARG0 = 0, /* ARG0..ARG5: the string (path, name) read from arg i */
	IOR_ITEM_SOCKADDR = 8,
	IOR_ITEM_FDPAIR = 9,	   /* int[2] written by pipe/pipe2/socketpair */
	IOR_ITEM_OPEN_HOW = 10,	   /* struct open_how (flags, mode, resolve) */
	IOR_ITEM_EPOLL_EVENT = 11, /* struct epoll_event as the caller passed it */
	IOR_ITEM_TIMESPEC = 12,	   /* struct __kernel_timespec requested */
	IOR_ITEM_CWD = 13,	   /* getcwd's result */
	IOR_ITEM_COMM = 14,
	IOR_ITEM_FILENAME = 15, /* exec: the binary's path */
	IOR_ITEM_FDINFO = 16,	/* struct ior_fdinfo of a descriptor the call created */
	IOR_ITEM_FDPATH = 17,	/* its path from the dentry walk: components leaf first,
				 * each NUL-terminated ("libc.so.6\0lib\0usr\0") */
};

/* What the kernel knows of a new descriptor: pipes and sockets are named by
 * inode ("pipe:[1234]") as /proc/PID/fd shows them. */
struct ior_fdinfo {
	__u64 ino;
	__u32 mode; /* i_mode: S_IFIFO, S_IFSOCK, ... */
	__s32 fd;
};

#define IOR_ITEMF_TRUNCATED 0x01 /* string longer than PATH_MAX - 1 */
#define IOR_ITEMF_FAULT	    0x02 /* could not be read */

/* Argument roles. The generated table gives each syscall arg one role; the
 * BPF side reads what the role asks for at exit, user space decodes it. */
enum ior_arg_role {
	IOR_ROLE_NONE = 0,
	IOR_ROLE_FD,	       /* the descriptor the call operates on */
	IOR_ROLE_FD2,	       /* a second descriptor (splice fd_out, dup2 newfd, ...) */
	IOR_ROLE_DIRFD,	       /* base directory of a relative path (*at) */
	IOR_ROLE_DIRFD2,       /* base directory of the second path (renameat newdfd) */
	IOR_ROLE_PATH,	       /* path string: the file the call acts on (destination) */
	IOR_ROLE_OLDPATH,      /* path string: the source (rename, link, symlink target) */
	IOR_ROLE_NAME,	       /* a non-path string worth keeping (memfd name, xattr name) */
	IOR_ROLE_SOCKADDR,     /* struct sockaddr * in, length in the next SOCKLEN arg */
	IOR_ROLE_SOCKADDR_OUT, /* struct sockaddr * out, length via SOCKLEN_PTR (accept) */
	IOR_ROLE_SOCKLEN,      /* socklen_t value */
	IOR_ROLE_SOCKLEN_PTR,  /* socklen_t * */
	IOR_ROLE_OPEN_FLAGS,   /* O_* flags */
	IOR_ROLE_OPEN_HOW,     /* struct open_how * (openat2) */
	IOR_ROLE_FDPAIR_OUT,   /* int[2] out (pipe, socketpair) */
	IOR_ROLE_CWD_OUT,      /* char * out (getcwd) */
	IOR_ROLE_EPOLL_OP,     /* EPOLL_CTL_* */
	IOR_ROLE_EPOLL_EVENT,  /* struct epoll_event * */
	IOR_ROLE_TIMESPEC,     /* const struct __kernel_timespec * requested sleep */
	IOR_ROLE_COUNT,	       /* byte count requested */
	IOR_ROLE_LEN,	       /* address-space length (mmap, munmap, ...) */
	IOR_ROLE_ADDR,	       /* address (brk, mremap new size is LEN2) */
	IOR_ROLE_LEN2,	       /* second length (mremap new_len) */
	IOR_ROLE_FCNTL_CMD,    /* fcntl cmd */
	IOR_ROLE_FLAGS,	       /* other flags worth decoding */
	IOR_ROLE_FD_FIRST,     /* close_range first */
	IOR_ROLE_FD_LAST,      /* close_range last */
	IOR_ROLE_MSGHDR_OUT,   /* struct user_msghdr * filled by recvmsg (SCM_RIGHTS fds) */
	IOR_ROLE_MAX,
};

/* Kernel-side flags in struct ior_sc_spec.flags, set by the loader. */
#define IOR_SCF_KEEP	 0x01 /* selected by -e/-s: emit a record */
#define IOR_SCF_STATE	 0x02 /* changes fd/process state: emit even if not KEEP */
#define IOR_SCF_AT_ENTER 0x04 /* never returns (exit, exit_group): emit at enter */
#define IOR_SCF_EXEC	 0x08 /* execve/execveat: read the filename at enter */
#define IOR_SCF_READS	 0x10 /* some role needs a read at exit */
#define IOR_SCF_FORK	 0x20 /* fork/vfork/clone/clone3: the child's return is not a record */
#define IOR_SCF_RET_FD	 0x40 /* returns a new descriptor: add its FDINFO */

/* The bit of a tgid in the BPF side's target_bits (a quick "not a
 * target"; see bpf/ior.bpf.c): below IOR_TARGET_BITS. */
#define IOR_TARGET_BITS	     65536
#define IOR_TARGET_BIT(tgid) ((__u32)((__u32)(tgid)*2654435761u) >> 16)

/* Values in the targets map. */
#define IOR_TARGET_ON	   1 /* traced */
#define IOR_TARGET_AT_EXEC 2 /* launched by ior: traced from its first execve on */

/* One entry per syscall number in the BPF array map sc_spec. */
struct ior_sc_spec {
	__u8 flags; /* IOR_SCF_* */
	__u8 nargs;
	__u8 role[6]; /* enum ior_arg_role */
};

#endif
