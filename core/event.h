/* The enriched records that flow through the pipeline: one struct ior_rec
 * per syscall and one struct ior_proc_ev per process-table change. A live
 * capture (core/reader) and a replay (core/replay) produce the same structs,
 * so every sink sees the same thing from both sources. */
#ifndef IOR_CORE_EVENT_H
#define IOR_CORE_EVENT_H

#include <stdint.h>

/* String ids come from struct intern; 0 means "none" (NULL in SQL). */
typedef uint32_t ior_str;

/* struct ior_rec.rec_flags */
#define REC_NORETURN	  0x0001 /* the call never returned (exit, exit_group, killed) */
#define REC_INTERRUPTED	  0x0002 /* ret is a kernel restart code: not a failure */
#define REC_ENTER_MISSING 0x0004 /* only the exit was seen (seccomp, attach mid-call) */
#define REC_TRUNCATED	  0x0008 /* a path was longer than PATH_MAX - 1 */
#define REC_FAULT	  0x0010 /* a path argument could not be read */
#define REC_HAS_ASB	  0x0020 /* address_space_bytes applies */
#define REC_HAS_SLEEP	  0x0040 /* requested_sleep_ns applies */
#define REC_HAS_EPOLL	  0x0080 /* epoll_op / target / events apply */
#define REC_FAILED	  0x0100 /* ret is an error (not counting restart codes) */

#define REC_FD_NONE (-1)

struct ior_rec {
	uint64_t ts_ns;		     /* wall clock at enter, ns since the epoch */
	uint64_t duration_ns;	     /* exit - enter on that thread */
	uint64_t gap_ns;	     /* enter - previous exit on that thread */
	int64_t ret;		     /* raw return value (negative errno on failure) */
	int64_t bytes;		     /* bytes moved, 0 unless byte_class */
	int64_t address_space_bytes; /* REC_HAS_ASB: mapped/unmapped/changed bytes */
	int64_t requested_sleep_ns;  /* REC_HAS_SLEEP */
	uint32_t pid;		     /* tgid */
	uint32_t tid;
	ior_str comm;
	ior_str file;	  /* path behind fd, or the (resolved) path argument */
	ior_str old_file; /* rename/link source */
	ior_str arg_path; /* the path as passed, when it differs from file */
	ior_str flags;	  /* decoded flags, "O_RDONLY|O_CLOEXEC" */
	ior_str addr;	  /* socket address, "127.0.0.1:80", "/run/x.sock" */
	int32_t fd;	  /* REC_FD_NONE when the call takes no descriptor */
	int32_t epoll_target_fd;
	uint32_t epoll_events;
	int16_t nr;	  /* native syscall number */
	uint8_t epoll_op; /* EPOLL_CTL_ADD/MOD/DEL (1..3), or the raw number */
	uint8_t pad;
	uint32_t rec_flags; /* REC_* */
};

enum ior_proc_kind {
	PROC_START = 1, /* first seen: fork/clone (ppid known) or attach */
	PROC_EXEC,	/* exec: comm and exe change */
	PROC_COMM,	/* comm change of one thread (prctl, /proc/.../comm) */
	PROC_EXIT,	/* the last thread exited */
};

struct ior_proc_ev {
	uint64_t ts_ns; /* wall clock */
	uint32_t kind;	/* enum ior_proc_kind */
	uint32_t pid;
	uint32_t tid;  /* PROC_COMM: the renamed thread */
	uint32_t ppid; /* PROC_START */
	ior_str comm;
	ior_str exe;	   /* PROC_EXEC, PROC_START when known */
	int32_t exit_code; /* PROC_EXIT: wait status style (code << 8 | signal) */
	uint32_t pad;
};

#endif
