/* Statistics as a sink: per syscall (and so per family), per file and per
 * process: calls, errors, bytes by class, latency totals and log-linear
 * histograms of latency and gap for percentiles; per (comm, syscall, file)
 * for the flame graph; per (syscall, errno). Fixed memory per key, no
 * allocation per event except the first time a key is seen (or a table
 * grows). Source thread only; the UI reads what core/snapshot copies out. */
#ifndef IOR_CORE_STATS_H
#define IOR_CORE_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "bpf/ior_event.h"
#include "core/sink.h"
#include "core/u32map.h"
#include "core/u64map.h"

struct syscall_info;

/* Values below 16 exactly, then 16 sub-buckets per power of two: at most
 * 1/16 (6%) from the true value, reported as the bucket's midpoint. */
#define STATS_SUB     16
#define STATS_BUCKETS (16 + 60 * STATS_SUB)

struct stats_hist {
	uint32_t n[STATS_BUCKETS];
};

struct stats_row {
	uint64_t calls;
	uint64_t errors;      /* failed (restart codes are not failures) */
	uint64_t interrupted; /* ERESTARTSYS and friends */
	uint64_t bytes[4];    /* by enum ior_byte_class; [0] unused */
	uint64_t total_ns, max_ns;
};

struct stats_syscall {
	struct stats_row row;
	struct stats_hist hist; /* latency (duration_ns) of every call */
	struct stats_hist gap;	/* gap_ns of the calls with gap_ns > 0 (a thread's
				 * first call has none) */
	uint64_t gap_calls;	/* calls counted in gap */
	uint64_t gap_total_ns;	/* sum of their gap_ns */
};

/* Bit of a family in a families mask. */
#define STATS_FAMILY_BIT(family) ((uint16_t)(1u << (family)))

struct stats_file {
	ior_str path;
	uint16_t families; /* STATS_FAMILY_BIT of every family whose calls named it */
	uint32_t nprocs;   /* distinct pids that named it */
	uint64_t opens;	   /* successful calls of SYSCALL_RET_FD syscalls on it */
	struct stats_row row;
};

struct stats_proc {
	uint32_t pid, ppid;
	ior_str comm;	   /* of its latest record or PROC_START/EXEC/leader's COMM */
	ior_str exe;	   /* PROC_START (when known) and PROC_EXEC; 0 unknown */
	uint16_t families; /* STATS_FAMILY_BIT of every family it called */
	bool exited;	   /* PROC_EXIT seen (a later PROC_START clears it) */
	int32_t exit_code; /* PROC_EXIT: wait status style (code << 8 | signal) */
	uint64_t start_ns; /* PROC_START's wall clock; 0 when it predates tracing */
	uint64_t exit_ns;  /* PROC_EXIT's wall clock */
	uint64_t last_rec; /* total.calls as of its latest record: in a session,
			    * that record's id (core/ckpt) */
	uint64_t since;	   /* total.calls when this row was made: the process
			    * events of its pid before that were those of a row
			    * folded since (core/ckpt) */
	struct stats_row row;
};

/* One (comm, syscall, file) triple, for the flame graph; its calls are in
 * struct stats_flames.calls. */
struct stats_flame {
	ior_str comm;	/* the thread's comm at the call */
	ior_str file;	/* 0: the call named no file */
	int nr;		/* native syscall number, as recorded */
	uint64_t bytes; /* of every byte class */
	uint64_t total_ns, errors;
};

/* The triples in first-seen order plus an index over them: the key is the
 * whole triple, compared in full, so no two triples ever merge. */
struct stats_flames {
	struct stats_flame *v; /* n used of cap, owned */
	uint64_t *calls;       /* calls[i] of v[i], owned: apart, so that the
				* snapshot's pick of the heaviest reads 8 bytes
				* a triple, not 40 */
	size_t n, cap;
	uint32_t *index;  /* index_cap slots: entry + 1, 0 = empty; owned */
	size_t index_cap; /* a power of two, at least 2 * n */
};

/* Files kept apart at most (struct stats.files_max): past that, the half
 * with the fewest calls is folded into one entry, STATS_FILE_OTHER, so that
 * an hour of churn (a million distinct paths) takes bounded memory. */
#define STATS_FILES_MAX	  100000
#define STATS_FILE_OTHER  UINT32_MAX /* the files folded together: "(other files)" */
#define STATS_OTHER_FILES "(other files)"

/* Processes kept apart at most (struct stats.procs_max): past that, the
 * exited half with the fewest calls is folded into one row,
 * STATS_PROC_OTHER, so that an hour of short processes (a build, a shell
 * loop) takes bounded memory. Running processes are never folded. */
#define STATS_PROCS_MAX	  100000
#define STATS_PROC_OTHER  UINT32_MAX /* the pid of the processes folded together */
#define STATS_OTHER_PROCS "(other processes)"

/* What stats_add found for a thread's last record: consecutive records of
 * one thread mostly repeat its process, file and flame triple, so these
 * skip the hash lookups (and the file-pid set: the pair was put when the
 * memo was filled). A cache only: no count lives here. Entries point into
 * files and procs, whose values are freed only by stats_fini, by a fold
 * of files (which forgets the file and triple of every memo) and by a fold
 * of processes (which empties the memos of the processes it folds). */
struct stats_memo {
	uint32_t tid, pid;    /* of the record; the entry is empty when !p */
	struct stats_proc *p; /* procs[pid] */
	struct stats_file *f; /* files[file], and (file, pid) is in file_pids; or NULL */
	ior_str file;	      /* f's key */
	ior_str flame_comm;   /* flame's triple, valid when has_flame */
	ior_str flame_file;
	int flame_nr;
	bool has_flame;
	uint32_t flame;			 /* index in flames.v */
	const struct syscall_info *info; /* of info_nr (NULL: none), valid when has_info */
	int info_nr;
	bool has_info;
};

#define STATS_MEMOS 64 /* by tid, direct-mapped; a power of two */

struct stats {
	/* IOR_NR_MAX of them, owned: allocated apart (8 MiB of zeros the
	 * kernel hands out as pages are first written, so only the syscalls seen
	 * take memory). */
	struct stats_syscall *sys;
	struct stats_row total;
	struct u32map files;	 /* file string id -> struct stats_file * */
	struct u32map procs;	 /* pid -> struct stats_proc * */
	struct u64map file_pids; /* set of (file id << 32 | pid): counts nprocs */
	struct u64map errors;	 /* STATS_ERROR_KEY(nr, err) -> uint64_t count */
	struct stats_flames flames;
	uint64_t lost;
	/* Files kept apart at most (STATS_FILES_MAX unless set between
	 * stats_init and the first record; a replay must use the recorder's),
	 * and how many were folded into STATS_FILE_OTHER so far: their counts
	 * go on there (its nprocs is a sum over them: an upper bound), their
	 * (comm, syscall, file) triples become (comm, syscall, other), and one
	 * seen again starts over apart. */
	size_t files_max;
	uint64_t files_folded;
	/* Processes kept apart at most (STATS_PROCS_MAX unless set between
	 * stats_init and the first record; a replay must use the recorder's),
	 * and how many were folded into STATS_PROC_OTHER so far: exited ones
	 * only, their rows and families summed there; a folded pid seen again
	 * starts a row of its own. Tried after a record only, never between
	 * process events, so that the order of those applied after one record
	 * makes no difference. When a fold leaves more than procs_max (too few
	 * had exited), the next waits until procs.count passes procs_retry. The
	 * file-pid pairs of folded processes go (the files' nprocs keep them):
	 * a folded pid naming a file again counts in its nprocs again, as the
	 * new process it is. */
	size_t procs_max;
	uint64_t procs_folded;
	size_t procs_retry;

	struct stats_memo memo[STATS_MEMOS]; /* see struct stats_memo; zeroed by
					      * stats_init and stats_memo_reset */
};

/* Key of struct stats.errors: the 16-bit syscall number and errno, exact. */
#define STATS_ERROR_KEY(nr, err) ((uint64_t)(uint16_t)(nr) << 32 | (uint32_t)(err))
#define STATS_ERROR_NR(key)	 ((int)(int16_t)(uint16_t)((key) >> 32))
#define STATS_ERROR_ERR(key)	 ((int)(uint32_t)(key))

extern const struct sink_ops stats_sink_ops;

void stats_init(struct stats *s);
void stats_fini(struct stats *s);
/* Forget the lookups stats_add remembers (struct stats_memo): to be called
 * by anything that frees or moves values of files or procs. */
void stats_memo_reset(struct stats *s);
/* Add one record (what the sink does). */
void stats_add(struct stats *s, const struct ior_rec *rec);
/* The index in s->flames of a (comm, syscall, file) triple, added with
 * nothing counted the first time it is seen. */
size_t stats_flame(struct stats *s, ior_str comm, int nr, ior_str file);
/* Apply one process event (what the sink does). */
void stats_proc_event(struct stats *s, const struct ior_proc_ev *ev);
/* errno of a failed record: -ret, or 0 when that is no errno (corrupt). */
int stats_errno(const struct ior_rec *rec);
/* Value at quantile q (0..1) of a histogram; 0 when empty. */
uint64_t stats_quantile(const struct stats_hist *h, uint64_t count, double q);
/* Histogram bucket of a value, and back to the bucket's midpoint. */
int stats_bucket(uint64_t v);
uint64_t stats_bucket_value(int bucket);
/* Merge src into dst (family totals from syscalls). */
void stats_hist_merge(struct stats_hist *dst, const struct stats_hist *src);
void stats_row_merge(struct stats_row *dst, const struct stats_row *src);

#endif
