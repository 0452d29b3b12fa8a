/* The generated syscall table and its lookups: every classification rule of
 * SPEC section 3, the shape of the table, and drift between the table, its
 * doc and the generator. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf/ior_event.h"
#include "core/syscalls.h"

static const struct syscall_info *row(const char *name)
{
	const struct syscall_info *info = syscall_by_name(name);

	cr_assert_not_null(info, "no row for %s", name);
	return info;
}

/* The role of arg `arg` of syscall `name`; fails the test when it has none. */
static int role_of(const char *name, const char *arg)
{
	const struct syscall_info *info = row(name);

	for (int i = 0; i < info->nargs; i++)
		if (!strcmp(info->arg_name[i], arg))
			return info->role[i];
	cr_assert_fail("%s has no arg %s", name, arg);
	return -1;
}

static bool has_role(const struct syscall_info *info, int role)
{
	for (int i = 0; i < info->nargs; i++)
		if (info->role[i] == role)
			return true;
	return false;
}

/* --- the table's shape ------------------------------------------------------ */

Test(syscalls, table_sorted_and_names_unique)
{
	cr_assert_gt(syscall_table_len, 360);
	for (size_t i = 1; i < syscall_table_len; i++)
		cr_expect_lt(strcmp(syscall_table[i - 1].name, syscall_table[i].name), 0,
			     "%s before %s", syscall_table[i - 1].name, syscall_table[i].name);
}

Test(syscalls, every_row_has_one_valid_family_and_sane_fields)
{
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_info *s = &syscall_table[i];

		cr_expect_lt(s->family, FAMILY_COUNT, "%s", s->name);
		cr_expect_not_null(family_name(s->family), "%s", s->name);
		cr_expect_leq(s->byte_class, BYTES_TRANSFER, "%s", s->name);
		cr_expect_leq(s->nargs, 6, "%s", s->name);
		cr_expect(s->nr_x86_64 != SYSCALL_NR_NONE || s->nr_aarch64 != SYSCALL_NR_NONE,
			  "%s has no number", s->name);
		for (int a = 0; a < 6; a++) {
			cr_expect_lt(s->role[a], IOR_ROLE_MAX, "%s arg %d", s->name, a);
			if (a < s->nargs) {
				cr_expect_not_null(s->arg_name[a], "%s arg %d", s->name, a);
			} else {
				cr_expect_null(s->arg_name[a], "%s arg %d", s->name, a);
				cr_expect_eq(s->role[a], IOR_ROLE_NONE, "%s arg %d", s->name, a);
			}
		}
	}
}

Test(syscalls, numbers_unique_per_arch_and_in_range)
{
	static bool seen_x86[IOR_NR_MAX], seen_arm[IOR_NR_MAX];

	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_info *s = &syscall_table[i];

		if (s->nr_x86_64 != SYSCALL_NR_NONE) {
			cr_assert(s->nr_x86_64 >= 0 && s->nr_x86_64 < 512, "%s", s->name);
			cr_expect_not(seen_x86[s->nr_x86_64], "x86_64 %d twice", s->nr_x86_64);
			seen_x86[s->nr_x86_64] = true;
		}
		if (s->nr_aarch64 != SYSCALL_NR_NONE) {
			cr_assert(s->nr_aarch64 >= 0 && s->nr_aarch64 < 512, "%s", s->name);
			cr_expect_not(seen_arm[s->nr_aarch64], "aarch64 %d twice", s->nr_aarch64);
			seen_arm[s->nr_aarch64] = true;
		}
	}
}

/* --- lookups ------------------------------------------------------------------ */

Test(syscalls, by_nr_round_trips_every_native_row)
{
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_info *s = &syscall_table[i];
		int nr = syscall_native_nr(s);

		if (nr != SYSCALL_NR_NONE)
			cr_expect_eq(syscall_by_nr(nr), s, "%s (%d)", s->name, nr);
	}
}

Test(syscalls, native_numbers_match_libc)
{
	static const struct {
		const char *name;
		long nr;
	} known[] = {
		{ "read", SYS_read },
		{ "write", SYS_write },
		{ "openat", SYS_openat },
		{ "close", SYS_close },
		{ "pread64", SYS_pread64 },
		{ "sendfile", SYS_sendfile },
		{ "splice", SYS_splice },
		{ "epoll_ctl", SYS_epoll_ctl },
		{ "execve", SYS_execve },
		{ "exit_group", SYS_exit_group },
		{ "clone3", SYS_clone3 },
		{ "close_range", SYS_close_range },
		{ "openat2", SYS_openat2 },
		{ "set_mempolicy_home_node", SYS_set_mempolicy_home_node },
#ifdef __x86_64__
		{ "open", SYS_open },
		{ "stat", SYS_stat },
		{ "arch_prctl", SYS_arch_prctl },
#endif
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const struct syscall_info *s = syscall_by_nr((int)known[i].nr);

		cr_assert_not_null(s, "%s (%ld)", known[i].name, known[i].nr);
		cr_expect_str_eq(s->name, known[i].name);
	}
}

/* Numbers after linux-libc-dev 6.1's headers, from the kernel's tables. */
Test(syscalls, numbers_newer_than_debian_headers)
{
	static const struct {
		const char *name;
		int nr;
	} newer[] = {
		{ "cachestat", 451 },	      { "fchmodat2", 452 },
		{ "map_shadow_stack", 453 },  { "futex_wake", 454 },
		{ "futex_wait", 455 },	      { "futex_requeue", 456 },
		{ "statmount", 457 },	      { "listmount", 458 },
		{ "lsm_get_self_attr", 459 }, { "lsm_set_self_attr", 460 },
		{ "lsm_list_modules", 461 },  { "mseal", 462 },
		{ "setxattrat", 463 },	      { "getxattrat", 464 },
		{ "listxattrat", 465 },	      { "removexattrat", 466 },
		{ "open_tree_attr", 467 },    { "file_getattr", 468 },
		{ "file_setattr", 469 },
	};

	for (size_t i = 0; i < sizeof(newer) / sizeof(newer[0]); i++) {
		cr_expect_eq(row(newer[i].name)->nr_x86_64, newer[i].nr, "%s", newer[i].name);
		cr_expect_eq(row(newer[i].name)->nr_aarch64, newer[i].nr, "%s", newer[i].name);
	}
	cr_expect_eq(row("uretprobe")->nr_x86_64, 335);
	cr_expect_eq(row("uprobe")->nr_x86_64, 336);
	cr_expect_eq(row("uprobe")->nr_aarch64, SYSCALL_NR_NONE);
}

Test(syscalls, arch_only_rows)
{
	cr_expect_eq(row("open")->nr_x86_64, 2);
	cr_expect_eq(row("open")->nr_aarch64, SYSCALL_NR_NONE);
	cr_expect_eq(row("fork")->nr_aarch64, SYSCALL_NR_NONE);
	cr_expect_eq(row("openat")->nr_aarch64, 56);
	cr_expect_eq(row("renameat")->nr_aarch64, 38);
	cr_expect_eq(row("newfstatat")->nr_aarch64, 79);
	cr_expect_eq(row("fstat")->nr_aarch64, 80);
}

Test(syscalls, by_name_and_tracepoint_aliases)
{
	cr_expect_str_eq(row("openat")->name, "openat");
	cr_expect_str_eq(row("sendfile64")->name, "sendfile");
	cr_expect_str_eq(row("newstat")->name, "stat");
	cr_expect_str_eq(row("newfstat")->name, "fstat");
	cr_expect_str_eq(row("umount")->name, "umount2");
	cr_expect_str_eq(row("newuname")->name, "uname");
	cr_expect_null(syscall_by_name("no_such_syscall"));
	cr_expect_null(syscall_by_name(""));
	cr_expect_null(syscall_by_name(NULL));
}

Test(syscalls, unknown_numbers_are_syscall_nr)
{
	char buf[32];

	cr_expect_null(syscall_by_nr(1000));
	cr_expect_null(syscall_by_nr(IOR_NR_MAX));
	cr_expect_null(syscall_by_nr(-1));
	cr_expect_null(syscall_by_nr(400)); /* unused on both arches */
	cr_expect_str_eq(syscall_name(1000, buf, sizeof(buf)), "syscall_1000");
	cr_expect_str_eq(syscall_name(400, buf, sizeof(buf)), "syscall_400");
	cr_expect_str_eq(syscall_name(-1, buf, sizeof(buf)), "syscall_-1");
	cr_expect_str_eq(syscall_name(syscall_native_nr(row("read")), buf, sizeof(buf)), "read");
	cr_expect_eq(syscall_native_nr(NULL), SYSCALL_NR_NONE);
}

Test(syscalls, family_and_byte_class_names)
{
	cr_expect_str_eq(family_name(FAMILY_FS), "FS");
	cr_expect_str_eq(family_name(FAMILY_NETWORK), "Network");
	cr_expect_str_eq(family_name(FAMILY_MISC), "Misc");
	cr_expect_null(family_name(FAMILY_COUNT));
	cr_expect_null(family_name(-1));
	for (int f = 0; f < FAMILY_COUNT; f++)
		cr_expect_eq(family_by_name(family_name(f)), f);
	cr_expect_eq(family_by_name("fs"), FAMILY_FS);
	cr_expect_eq(family_by_name("network"), FAMILY_NETWORK);
	cr_expect_eq(family_by_name("IPC"), FAMILY_IPC);
	cr_expect_eq(family_by_name("ipc"), FAMILY_IPC);
	cr_expect_eq(family_by_name("SIGNALS"), FAMILY_SIGNALS);
	cr_expect_eq(family_by_name("aio"), FAMILY_AIO);
	cr_expect_eq(family_by_name("files"), -1);
	cr_expect_eq(family_by_name(""), -1);
	cr_expect_eq(family_by_name(NULL), -1);
	cr_expect_null(byte_class_name(BYTES_NONE));
	cr_expect_str_eq(byte_class_name(BYTES_READ), "READ");
	cr_expect_str_eq(byte_class_name(BYTES_WRITE), "WRITE");
	cr_expect_str_eq(byte_class_name(BYTES_TRANSFER), "TRANSFER");
	cr_expect_null(byte_class_name(99));
}

/* --- SPEC 3: descriptors not called fd ------------------------------------------ */

Test(syscalls, descriptor_overrides)
{
	static const struct {
		const char *syscall, *arg;
		int role;
	} o[] = {
		{ "read", "fd", IOR_ROLE_FD },
		{ "readv", "fd", IOR_ROLE_FD }, /* unsigned long fd */
		{ "timerfd_gettime", "ufd", IOR_ROLE_FD },
		{ "timerfd_settime", "ufd", IOR_ROLE_FD },
		{ "splice", "fd_in", IOR_ROLE_FD },
		{ "splice", "fd_out", IOR_ROLE_FD2 },
		{ "tee", "fdin", IOR_ROLE_FD },
		{ "tee", "fdout", IOR_ROLE_FD2 },
		{ "epoll_wait", "epfd", IOR_ROLE_FD },
		{ "epoll_pwait", "epfd", IOR_ROLE_FD },
		{ "epoll_pwait2", "epfd", IOR_ROLE_FD },
		{ "epoll_ctl", "epfd", IOR_ROLE_FD },
		{ "epoll_ctl", "fd", IOR_ROLE_FD2 },
		{ "epoll_ctl", "op", IOR_ROLE_EPOLL_OP },
		{ "epoll_ctl", "event", IOR_ROLE_EPOLL_EVENT },
		{ "mq_timedsend", "mqdes", IOR_ROLE_FD },
		{ "mq_timedreceive", "mqdes", IOR_ROLE_FD },
		{ "mq_notify", "mqdes", IOR_ROLE_FD },
		{ "mq_getsetattr", "mqdes", IOR_ROLE_FD },
		{ "sendfile", "out_fd", IOR_ROLE_FD },
		{ "sendfile", "in_fd", IOR_ROLE_FD2 },
		{ "copy_file_range", "fd_in", IOR_ROLE_FD },
		{ "copy_file_range", "fd_out", IOR_ROLE_FD2 },
		{ "dup", "fildes", IOR_ROLE_FD },
		{ "dup2", "oldfd", IOR_ROLE_FD },
		{ "dup2", "newfd", IOR_ROLE_FD2 },
		{ "dup3", "oldfd", IOR_ROLE_FD },
		{ "dup3", "newfd", IOR_ROLE_FD2 },
		{ "perf_event_open", "group_fd", IOR_ROLE_FD },
		{ "signalfd4", "ufd", IOR_ROLE_FD },
		{ "fanotify_mark", "fanotify_fd", IOR_ROLE_FD },
		{ "pidfd_getfd", "pidfd", IOR_ROLE_FD },
		{ "close_range", "fd", IOR_ROLE_FD_FIRST },
		{ "close_range", "max_fd", IOR_ROLE_FD_LAST },
		{ "fcntl", "cmd", IOR_ROLE_FCNTL_CMD },
	};

	for (size_t i = 0; i < sizeof(o) / sizeof(o[0]); i++)
		cr_expect_eq(role_of(o[i].syscall, o[i].arg), o[i].role, "%s %s", o[i].syscall,
			     o[i].arg);
}

static bool is_descriptor_role(int role)
{
	return role == IOR_ROLE_FD || role == IOR_ROLE_FD2 || role == IOR_ROLE_DIRFD ||
	       role == IOR_ROLE_DIRFD2 || role == IOR_ROLE_FD_FIRST || role == IOR_ROLE_FD_LAST;
}

Test(syscalls, not_descriptors)
{
	static const struct {
		const char *syscall, *arg;
	} never[] = {
		{ "select", "n" },
		{ "pselect6", "n" },
		{ "poll", "nfds" },
		{ "kill", "pid" },
		{ "tkill", "pid" },
		{ "tgkill", "pid" },
		{ "tgkill", "tgid" },
		{ "msgctl", "msqid" },
		{ "msgsnd", "msqid" },
		{ "msgrcv", "msqid" },
		{ "semctl", "semid" },
		{ "semop", "semid" },
		{ "semtimedop", "semid" },
		{ "shmctl", "shmid" },
		{ "shmat", "shmid" },
		{ "socketpair", "family" },
		{ "perf_event_open", "attr_uptr" },
		{ "perf_event_open", "pid" },
		{ "pidfd_getfd", "fd" }, /* the other process's */
	};

	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		cr_expect_not(is_descriptor_role(role_of(never[i].syscall, never[i].arg)), "%s %s",
			      never[i].syscall, never[i].arg);
	cr_expect_eq(row("shmdt")->role[0], IOR_ROLE_NONE);
	cr_expect_eq(row("msgget")->role[0], IOR_ROLE_NONE);
	/* No arg called like an id is a descriptor anywhere. */
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_info *s = &syscall_table[i];

		for (int a = 0; a < s->nargs; a++) {
			const char *n = s->arg_name[a];

			if (!strcmp(n, "pid") || !strcmp(n, "msqid") || !strcmp(n, "semid") ||
			    !strcmp(n, "shmid") || !strcmp(n, "n") || !strcmp(n, "nfds"))
				cr_expect_not(is_descriptor_role(s->role[a]), "%s %s", s->name, n);
		}
	}
}

/* --- SPEC 3: paths ---------------------------------------------------------------- */

Test(syscalls, at_calls_capture_dirfd_and_path)
{
	static const char *const at[] = {
		"openat",	 "openat2",	  "mkdirat",	  "mknodat",	"fchownat",
		"futimesat",	 "newfstatat",	  "unlinkat",	  "readlinkat", "fchmodat",
		"fchmodat2",	 "faccessat",	  "faccessat2",	  "utimensat",	"name_to_handle_at",
		"execveat",	 "statx",	  "getxattrat",	  "setxattrat", "listxattrat",
		"removexattrat", "file_getattr",  "file_setattr", "open_tree",	"open_tree_attr",
		"mount_setattr", "fspick",	  "renameat",	  "renameat2",	"linkat",
		"move_mount",	 "fanotify_mark",
	};

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		const struct syscall_info *s = row(at[i]);

		cr_expect(has_role(s, IOR_ROLE_DIRFD) || has_role(s, IOR_ROLE_DIRFD2), "%s dirfd",
			  at[i]);
		cr_expect(has_role(s, IOR_ROLE_PATH), "%s path", at[i]);
	}
	cr_expect_eq(role_of("openat", "dfd"), IOR_ROLE_DIRFD);
	cr_expect_eq(role_of("openat", "filename"), IOR_ROLE_PATH);
	cr_expect_eq(role_of("unlinkat", "pathname"), IOR_ROLE_PATH);
	cr_expect_eq(role_of("execveat", "fd"), IOR_ROLE_DIRFD);
	cr_expect_eq(role_of("open_by_handle_at", "mountdirfd"), IOR_ROLE_DIRFD);
}

Test(syscalls, plain_path_calls)
{
	static const struct {
		const char *syscall, *arg;
	} p[] = {
		{ "open", "filename" },
		{ "creat", "pathname" },
		{ "stat", "filename" },
		{ "lstat", "filename" },
		{ "access", "filename" },
		{ "chdir", "filename" },
		{ "mkdir", "pathname" },
		{ "rmdir", "pathname" },
		{ "unlink", "pathname" },
		{ "truncate", "path" },
		{ "readlink", "path" },
		{ "execve", "filename" },
		{ "getxattr", "pathname" },
		{ "umount2", "name" },
		{ "acct", "name" },
		{ "swapon", "specialfile" },
		{ "name_to_handle_at", "name" },
	};

	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		cr_expect_eq(role_of(p[i].syscall, p[i].arg), IOR_ROLE_PATH, "%s %s", p[i].syscall,
			     p[i].arg);
}

Test(syscalls, two_path_calls_old_to_new)
{
	static const struct {
		const char *syscall, *old, *new_;
	} p[] = {
		{ "rename", "oldname", "newname" },
		{ "renameat", "oldname", "newname" },
		{ "renameat2", "oldname", "newname" },
		{ "link", "oldname", "newname" },
		{ "linkat", "oldname", "newname" },
		{ "symlink", "oldname", "newname" },
		{ "symlinkat", "oldname", "newname" }, /* oldname is the link target */
		{ "move_mount", "from_pathname", "to_pathname" },
	};

	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		cr_expect_eq(role_of(p[i].syscall, p[i].old), IOR_ROLE_OLDPATH, "%s", p[i].syscall);
		cr_expect_eq(role_of(p[i].syscall, p[i].new_), IOR_ROLE_PATH, "%s", p[i].syscall);
	}
	cr_expect_eq(role_of("renameat", "olddfd"), IOR_ROLE_DIRFD);
	cr_expect_eq(role_of("renameat", "newdfd"), IOR_ROLE_DIRFD2);
	cr_expect_eq(role_of("linkat", "olddfd"), IOR_ROLE_DIRFD);
	cr_expect_eq(role_of("linkat", "newdfd"), IOR_ROLE_DIRFD2);
	cr_expect_eq(role_of("symlinkat", "newdfd"), IOR_ROLE_DIRFD2);
}

Test(syscalls, names_that_are_not_paths)
{
	cr_expect_eq(role_of("memfd_create", "uname"), IOR_ROLE_NAME);
	cr_expect_eq(role_of("setxattr", "name"), IOR_ROLE_NAME);
	cr_expect_eq(role_of("getxattr", "name"), IOR_ROLE_NAME);
	cr_expect_eq(role_of("fgetxattr", "name"), IOR_ROLE_NAME);
	cr_expect_eq(role_of("removexattrat", "name"), IOR_ROLE_NAME);
	cr_expect_eq(role_of("mq_open", "u_name"), IOR_ROLE_NAME);
}

/* --- SPEC 3: other roles ------------------------------------------------------------- */

Test(syscalls, socket_roles)
{
	cr_expect_eq(role_of("connect", "uservaddr"), IOR_ROLE_SOCKADDR);
	cr_expect_eq(role_of("connect", "addrlen"), IOR_ROLE_SOCKLEN);
	cr_expect_eq(role_of("bind", "umyaddr"), IOR_ROLE_SOCKADDR);
	cr_expect_eq(role_of("bind", "addrlen"), IOR_ROLE_SOCKLEN);
	cr_expect_eq(role_of("accept", "upeer_sockaddr"), IOR_ROLE_SOCKADDR_OUT);
	cr_expect_eq(role_of("accept", "upeer_addrlen"), IOR_ROLE_SOCKLEN_PTR);
	cr_expect_eq(role_of("accept4", "upeer_sockaddr"), IOR_ROLE_SOCKADDR_OUT);
	cr_expect_eq(role_of("accept4", "upeer_addrlen"), IOR_ROLE_SOCKLEN_PTR);
	cr_expect_eq(role_of("socketpair", "usockvec"), IOR_ROLE_FDPAIR_OUT);
	/* The BPF side reads the length from the arg right after the address. */
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_info *s = &syscall_table[i];

		for (int a = 0; a < s->nargs; a++) {
			if (s->role[a] == IOR_ROLE_SOCKADDR)
				cr_expect_eq(s->role[a + 1], IOR_ROLE_SOCKLEN, "%s", s->name);
			if (s->role[a] == IOR_ROLE_SOCKADDR_OUT)
				cr_expect_eq(s->role[a + 1], IOR_ROLE_SOCKLEN_PTR, "%s", s->name);
		}
	}
}

Test(syscalls, open_pipe_cwd_sleep_roles)
{
	cr_expect_eq(role_of("open", "flags"), IOR_ROLE_OPEN_FLAGS);
	cr_expect_eq(role_of("openat", "flags"), IOR_ROLE_OPEN_FLAGS);
	cr_expect_eq(role_of("openat2", "how"), IOR_ROLE_OPEN_HOW);
	cr_expect_eq(role_of("pipe", "fildes"), IOR_ROLE_FDPAIR_OUT);
	cr_expect_eq(role_of("pipe2", "fildes"), IOR_ROLE_FDPAIR_OUT);
	cr_expect_eq(role_of("getcwd", "buf"), IOR_ROLE_CWD_OUT);
	cr_expect_eq(role_of("nanosleep", "rqtp"), IOR_ROLE_TIMESPEC);
	cr_expect_eq(role_of("clock_nanosleep", "rqtp"), IOR_ROLE_TIMESPEC);
	cr_expect_eq(role_of("read", "count"), IOR_ROLE_COUNT);
	cr_expect_eq(role_of("write", "count"), IOR_ROLE_COUNT);
	cr_expect_eq(role_of("pread64", "count"), IOR_ROLE_COUNT);
	cr_expect_eq(role_of("pwrite64", "count"), IOR_ROLE_COUNT);
}

Test(syscalls, address_space_roles)
{
	cr_expect_eq(role_of("mmap", "len"), IOR_ROLE_LEN);
	cr_expect_eq(role_of("munmap", "len"), IOR_ROLE_LEN);
	cr_expect_eq(role_of("mprotect", "len"), IOR_ROLE_LEN);
	cr_expect_eq(role_of("madvise", "len_in"), IOR_ROLE_LEN);
	cr_expect_eq(role_of("mlock", "len"), IOR_ROLE_LEN);
	cr_expect_eq(role_of("munlock", "len"), IOR_ROLE_LEN);
	cr_expect_eq(role_of("mremap", "old_len"), IOR_ROLE_LEN);
	cr_expect_eq(role_of("mremap", "new_len"), IOR_ROLE_LEN2);
	cr_expect_eq(role_of("brk", "brk"), IOR_ROLE_ADDR);
	cr_expect_eq(role_of("mmap", "fd"), IOR_ROLE_FD);
}

/* --- SPEC 3: byte classes --------------------------------------------------------- */

static void expect_class(const char *const *names, size_t n, int byte_class)
{
	for (size_t i = 0; i < n; i++)
		cr_expect_eq(row(names[i])->byte_class, byte_class, "%s", names[i]);
}

#define EXPECT_CLASS(list, cls) expect_class(list, sizeof(list) / sizeof(list[0]), cls)

Test(syscalls, byte_classes)
{
	static const char *const reads[] = {
		"read",	      "pread64",    "readv",	   "preadv",
		"preadv2",    "recvfrom",   "recvmsg",	   "getxattr",
		"lgetxattr",  "fgetxattr",  "getxattrat",  "listxattr",
		"llistxattr", "flistxattr", "listxattrat", "mq_timedreceive",
		"msgrcv",
	};
	static const char *const writes[] = {
		"write", "pwrite64", "writev", "pwritev", "pwritev2", "sendto", "sendmsg",
	};
	static const char *const transfers[] = {
		"sendfile", "splice", "tee", "vmsplice", "copy_file_range",
	};
	/* The return value is not a byte count: 0, an offset, a message count. */
	static const char *const none[] = {
		"msgsnd",   "mq_timedsend", "lseek", "sendmmsg", "recvmmsg", "setxattr",
		"getdents", "readlink",	    "mmap",  "open",	 "close",    "ioctl",
	};

	EXPECT_CLASS(reads, BYTES_READ);
	EXPECT_CLASS(writes, BYTES_WRITE);
	EXPECT_CLASS(transfers, BYTES_TRANSFER);
	EXPECT_CLASS(none, BYTES_NONE);
	cr_expect_eq(row("sendfile64")->byte_class, BYTES_TRANSFER);
}

/* --- SPEC 3: families ---------------------------------------------------------------- */

Test(syscalls, family_placement)
{
	static const struct {
		const char *syscall;
		int family;
	} f[] = {
		{ "alarm", FAMILY_TIME },
		{ "adjtimex", FAMILY_TIME },
		{ "file_getattr", FAMILY_FS },
		{ "file_setattr", FAMILY_FS },
		{ "fanotify_init", FAMILY_IPC },
		{ "fanotify_mark", FAMILY_IPC },
		{ "inotify_init", FAMILY_IPC },
		{ "inotify_init1", FAMILY_IPC },
		{ "inotify_add_watch", FAMILY_IPC },
		{ "inotify_rm_watch", FAMILY_IPC },
		{ "eventfd", FAMILY_IPC },
		{ "eventfd2", FAMILY_IPC },
		{ "signalfd", FAMILY_IPC },
		{ "signalfd4", FAMILY_IPC },
		{ "timerfd_create", FAMILY_IPC },
		{ "timerfd_settime", FAMILY_IPC },
		{ "timerfd_gettime", FAMILY_IPC },
		{ "kexec_load", FAMILY_SECURITY },
		{ "kexec_file_load", FAMILY_SECURITY },
		{ "vmsplice", FAMILY_NETWORK },
		{ "splice", FAMILY_NETWORK },
		{ "tee", FAMILY_NETWORK },
		{ "sendfile", FAMILY_NETWORK },
		{ "arch_prctl", FAMILY_PROCESS },
		{ "openat", FAMILY_FS },
		{ "connect", FAMILY_NETWORK },
		{ "mmap", FAMILY_MEMORY },
		{ "clone", FAMILY_PROCESS },
		{ "kill", FAMILY_SIGNALS },
		{ "sched_yield", FAMILY_SCHED },
		{ "io_uring_enter", FAMILY_AIO },
		{ "epoll_wait", FAMILY_POLLING },
		{ "seccomp", FAMILY_SECURITY },
		{ "pipe2", FAMILY_IPC },
		{ "nanosleep", FAMILY_TIME },
		{ "uname", FAMILY_MISC },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		cr_expect_eq(row(f[i].syscall)->family, f[i].family, "%s is %s", f[i].syscall,
			     family_name(row(f[i].syscall)->family));
}

/* --- flags ---------------------------------------------------------------------------- */

static void expect_flag(const char *const *names, size_t n, unsigned flag)
{
	for (size_t i = 0; i < n; i++)
		cr_expect(row(names[i])->flags & flag, "%s lacks flag %#x", names[i], flag);
}

#define EXPECT_FLAG(list, flag) expect_flag(list, sizeof(list) / sizeof(list[0]), flag)

Test(syscalls, flags)
{
	static const char *const noreturn[] = { "exit", "exit_group", "rt_sigreturn" };
	static const char *const ret_fd[] = {
		"open",
		"openat",
		"openat2",
		"creat",
		"open_by_handle_at",
		"memfd_create",
		"memfd_secret",
		"socket",
		"accept",
		"accept4",
		"dup",
		"dup2",
		"dup3",
		"eventfd",
		"eventfd2",
		"signalfd",
		"signalfd4",
		"timerfd_create",
		"inotify_init",
		"inotify_init1",
		"fanotify_init",
		"epoll_create",
		"epoll_create1",
		"perf_event_open",
		"io_uring_setup",
		"pidfd_open",
		"pidfd_getfd",
		"userfaultfd",
		"fsopen",
		"fsmount",
		"fspick",
		"open_tree",
		"open_tree_attr",
		"landlock_create_ruleset",
		"mq_open",
	};
	static const char *const exec[] = { "execve", "execveat" };
	static const char *const closes[] = { "close", "close_range" };
	static const char *const cwd[] = { "chdir", "fchdir" };
	static const char *const dups[] = { "dup", "dup2", "dup3", "fcntl" };

	EXPECT_FLAG(noreturn, SYSCALL_NORETURN);
	EXPECT_FLAG(ret_fd, SYSCALL_RET_FD);
	EXPECT_FLAG(exec, SYSCALL_EXEC);
	EXPECT_FLAG(closes, SYSCALL_CLOSES_FD);
	EXPECT_FLAG(cwd, SYSCALL_CWD);
	EXPECT_FLAG(dups, SYSCALL_DUPS_FD);
	cr_expect_not(row("fcntl")->flags & SYSCALL_RET_FD);
	cr_expect_not(row("bpf")->flags & SYSCALL_RET_FD);
	cr_expect_not(row("read")->flags);
	cr_expect_not(row("execve")->flags & SYSCALL_NORETURN);
}

/* --- drift between table, doc and generator ----------------------------------------- */

static const char *srcdir(void)
{
	const char *dir = getenv("IOR_SRCDIR");

	if (dir && *dir)
		return dir;
	if (access("gen/rules.txt", R_OK) == 0)
		return ".";
	return NULL;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Each docs/syscalls.md row names the same syscall, numbers, family and byte
 * class as the compiled table, in the same order. */
Test(syscalls, doc_rows_match_table)
{
	const char *dir = srcdir();
	char path[PATH_MAX], *doc, *line, *save = NULL;
	size_t i = 0;

	if (!dir)
		cr_skip_test("IOR_SRCDIR not set");
	snprintf(path, sizeof(path), "%s/docs/syscalls.md", dir);
	doc = read_all(path);
	for (line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64], x86[16], arm[16], family[16], bytes[16], want[16];
		const struct syscall_info *s;

		if (strncmp(line, "| `", 3) != 0)
			continue;
		cr_assert_eq(sscanf(line, "| `%63[^`]` | %15s | %15s | %15s | %15s |", name, x86,
				    arm, family, bytes),
			     5, "bad doc row: %s", line);
		cr_assert_lt(i, syscall_table_len, "doc has more rows than the table");
		s = &syscall_table[i++];
		cr_expect_str_eq(name, s->name);
		snprintf(want, sizeof(want), "%d", s->nr_x86_64);
		cr_expect_str_eq(x86, s->nr_x86_64 == SYSCALL_NR_NONE ? "–" : want, "%s", name);
		snprintf(want, sizeof(want), "%d", s->nr_aarch64);
		cr_expect_str_eq(arm, s->nr_aarch64 == SYSCALL_NR_NONE ? "–" : want, "%s", name);
		cr_expect_str_eq(family, family_name(s->family), "%s", name);
		cr_expect_str_eq(bytes, s->byte_class ? byte_class_name(s->byte_class) : "–", "%s",
				 name);
	}
	cr_expect_eq(i, syscall_table_len, "doc has %zu rows, the table %zu", i, syscall_table_len);
	free(doc);
}

/* Runs the generator in --check mode from the source dir, rebuilt first if
 * gen/ changed (under a lock: criterion runs tests in parallel); its exit
 * status. */
static int run_check(const char *dir, const char *out_c, const char *out_doc, bool quiet)
{
	char cmd[3 * PATH_MAX];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && mkdir -p build && "
		 "flock build/.gen_syscalls.lock make -s build/gen_syscalls >/dev/null && "
		 "build/gen_syscalls --data gen --check --out-c '%s' --out-doc '%s'%s",
		 dir, out_c, out_doc, quiet ? " 2>/dev/null" : "");
	st = system(cmd);
	cr_assert_neq(st, -1);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* What make gen-check does: doc, table and generator (and, where tracefs is
 * readable, gen/formats.txt and the running kernel) agree. */
Test(syscalls, generated_files_match)
{
	const char *dir = srcdir();

	if (!dir)
		cr_skip_test("IOR_SRCDIR not set");
	cr_expect_eq(run_check(dir, "core/syscalls_gen.c", "docs/syscalls.md", false), 0,
		     "core/syscalls_gen.c or docs/syscalls.md drifted: run make gen");
}

/* And the check does catch a doc edited by hand. */
Test(syscalls, check_catches_an_edited_doc)
{
	const char *dir = srcdir();
	char tmp[] = "/tmp/ior-test-syscalls-XXXXXX", path[PATH_MAX], src[PATH_MAX];
	char *doc, *hit;
	FILE *f;

	if (!dir)
		cr_skip_test("IOR_SRCDIR not set");
	cr_assert_not_null(mkdtemp(tmp));
	snprintf(src, sizeof(src), "%s/docs/syscalls.md", dir);
	doc = read_all(src);
	hit = strstr(doc, "| `alarm` | 37 | – | Time |");
	cr_assert_not_null(hit);
	memcpy(hit + strlen("| `alarm` | 37 | – | "), "Misc", 4);
	snprintf(path, sizeof(path), "%s/syscalls.md", tmp);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(doc, f);
	fclose(f);
	cr_expect_neq(run_check(dir, "core/syscalls_gen.c", path, true), 0,
		      "--check accepted a doc that says alarm is Misc");
	unlink(path);
	rmdir(tmp);
	free(doc);
}
