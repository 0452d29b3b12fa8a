/* Statistics as a sink: per syscall (and so per family), per file and per
 * process: calls, errors, bytes by class, latency totals and log-linear
 * histograms for percentiles. Fixed memory per key, no allocation per event
 * except the first time a file or process is seen. Source thread only; the
 * UI reads what core/snapshot copies out of it. */
#ifndef IOR_CORE_STATS_H
#define IOR_CORE_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "bpf/ior_event.h"
#include "core/sink.h"
#include "core/u32map.h"

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
	struct stats_hist hist;
};

struct stats_file {
	ior_str path;
	struct stats_row row;
};

struct stats_proc {
	uint32_t pid, ppid;
	ior_str comm;
	struct stats_row row;
};

struct stats {
	struct stats_syscall sys[IOR_NR_MAX];
	struct stats_row total;
	struct u32map files; /* file string id -> struct stats_file * */
	struct u32map procs; /* pid -> struct stats_proc * */
	uint64_t lost;
};

extern const struct sink_ops stats_sink_ops;

void stats_init(struct stats *s);
void stats_fini(struct stats *s);
/* Add one record (what the sink does). */
void stats_add(struct stats *s, const struct ior_rec *rec);
/* Value at quantile q (0..1) of a histogram; 0 when empty. */
uint64_t stats_quantile(const struct stats_hist *h, uint64_t count, double q);
/* Histogram bucket of a value, and back to the bucket's midpoint. */
int stats_bucket(uint64_t v);
uint64_t stats_bucket_value(int bucket);
/* Merge src into dst (family totals from syscalls). */
void stats_hist_merge(struct stats_hist *dst, const struct stats_hist *src);
void stats_row_merge(struct stats_row *dst, const struct stats_row *src);

#endif
