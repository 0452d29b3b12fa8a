/* The syscall table: every syscall the kernel has, with its numbers on
 * x86_64 and aarch64, family, byte class, arg roles and flags. The rows are
 * generated (core/syscalls_gen.c, by gen/); lookups live in syscalls.c. */
#ifndef IOR_CORE_SYSCALLS_H
#define IOR_CORE_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>

enum ior_family {
	FAMILY_FS,
	FAMILY_NETWORK,
	FAMILY_IPC,
	FAMILY_MEMORY,
	FAMILY_PROCESS,
	FAMILY_SIGNALS,
	FAMILY_TIME,
	FAMILY_SCHED,
	FAMILY_SECURITY,
	FAMILY_AIO,
	FAMILY_POLLING,
	FAMILY_MISC,
	FAMILY_COUNT,
};

enum ior_byte_class {
	BYTES_NONE,
	BYTES_READ,
	BYTES_WRITE,
	BYTES_TRANSFER,
};

/* struct syscall_info.flags */
#define SYSCALL_NORETURN  0x01 /* exit, exit_group, rt_sigreturn: no usable return */
#define SYSCALL_RET_FD	  0x02 /* returns a new descriptor on success */
#define SYSCALL_EXEC	  0x04 /* execve, execveat */
#define SYSCALL_CLOSES_FD 0x08 /* close, close_range */
#define SYSCALL_CWD	  0x10 /* chdir, fchdir: changes the cwd */
#define SYSCALL_DUPS_FD	  0x20 /* dup, dup2, dup3, fcntl (F_DUPFD*, F_SETFD) */
#define SYSCALL_RET_INT	  0x40 /* returns a 32-bit int, errors included (modify_ldt) */

#define SYSCALL_NR_NONE (-1)

struct syscall_info {
	const char *name;  /* "pread64" */
	int16_t nr_x86_64; /* SYSCALL_NR_NONE when the arch lacks it */
	int16_t nr_aarch64;
	uint8_t family;		 /* enum ior_family */
	uint8_t byte_class;	 /* enum ior_byte_class */
	uint8_t nargs;		 /* from the tracepoint format */
	uint8_t flags;		 /* SYSCALL_* */
	uint8_t role[6];	 /* enum ior_arg_role, per arg */
	const char *arg_name[6]; /* tracepoint field names, NULL past nargs */
};

/* The generated rows, sorted by name. */
extern const struct syscall_info syscall_table[];
extern const size_t syscall_table_len;

/* Row for a native (this build's arch) syscall number, or NULL. Any thread. */
const struct syscall_info *syscall_by_nr(int nr);
/* Row by name, or NULL. */
const struct syscall_info *syscall_by_name(const char *name);
/* Native number of a row, SYSCALL_NR_NONE when this arch lacks it. */
int syscall_native_nr(const struct syscall_info *info);
/* Name for a native number: the row's name, or "syscall_<nr>" written into buf. */
const char *syscall_name(int nr, char *buf, size_t size);

/* "FS", "Network", ...; NULL when out of range. */
const char *family_name(int family);
/* Family by name (case-insensitive), or -1. */
int family_by_name(const char *name);
/* "READ", "WRITE", "TRANSFER" or NULL for BYTES_NONE. */
const char *byte_class_name(int byte_class);

#endif
