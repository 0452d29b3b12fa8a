/* Unit tests for statistics: histogram buckets, percentiles, errors. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "core/syscalls.h"

Test(stats, buckets_within_a_sixteenth)
{
	for (uint64_t v = 0; v < 5000000; v += 1 + v / 50) {
		uint64_t mid = stats_bucket_value(stats_bucket(v));
		double rel = v ? ((double)mid - (double)v) / (double)v : 0;

		cr_assert_lt(rel < 0 ? -rel : rel, 1.0 / 16 + 1e-9, "v=%llu mid=%llu",
			     (unsigned long long)v, (unsigned long long)mid);
	}
	cr_assert_lt(stats_bucket(UINT64_MAX), STATS_BUCKETS);
}

Test(stats, percentiles_of_uniform_values)
{
	struct stats_hist *h = calloc(1, sizeof(*h));
	uint64_t p50, p99;

	for (uint64_t v = 1; v <= 10000; v++)
		h->n[stats_bucket(v * 1000)]++;
	p50 = stats_quantile(h, 10000, 0.5);
	p99 = stats_quantile(h, 10000, 0.99);
	cr_assert(p50 > 4700000 && p50 < 5300000, "p50 %llu", (unsigned long long)p50);
	cr_assert(p99 > 9300000 && p99 < 10600000, "p99 %llu", (unsigned long long)p99);
	cr_assert_eq(stats_quantile(h, 0, 0.5), 0);
	free(h);
}

Test(stats, errors_bytes_and_interrupts)
{
	struct stats *s = calloc(1, sizeof(*s));
	int read_nr = syscall_native_nr(syscall_by_name("read"));
	struct ior_rec ok = { .nr = (int16_t)read_nr,
			      .ret = 10,
			      .bytes = 10,
			      .duration_ns = 100,
			      .pid = 1,
			      .tid = 1,
			      .file = 5 };
	struct ior_rec bad = { .nr = (int16_t)read_nr,
			       .ret = -9,
			       .rec_flags = REC_FAILED,
			       .duration_ns = 50,
			       .pid = 1,
			       .tid = 1 };
	struct ior_rec intr = { .nr = (int16_t)read_nr,
				.ret = -512,
				.rec_flags = REC_INTERRUPTED,
				.duration_ns = 7000,
				.pid = 2,
				.tid = 2 };

	stats_init(s);
	stats_add(s, &ok);
	stats_add(s, &bad);
	stats_add(s, &intr);
	cr_assert_eq(s->sys[read_nr].row.calls, 3);
	cr_assert_eq(s->sys[read_nr].row.errors, 1, "interrupted is not an error");
	cr_assert_eq(s->sys[read_nr].row.interrupted, 1);
	cr_assert_eq(s->sys[read_nr].row.bytes[BYTES_READ], 10);
	cr_assert_eq(s->sys[read_nr].row.max_ns, 7000);
	cr_assert_eq(s->total.total_ns, 7150);
	cr_assert_eq(s->files.count, 1);
	cr_assert_eq(s->procs.count, 2);
	stats_fini(s);
	free(s);
}

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

static struct ior_rec call(const char *name, uint32_t pid, ior_str comm, ior_str file, int64_t ret)
{
	struct ior_rec r = { .nr = (int16_t)nr_of(name),
			     .pid = pid,
			     .tid = pid,
			     .comm = comm,
			     .file = file,
			     .ret = ret,
			     .duration_ns = 100 };

	if (ret < 0)
		r.rec_flags = REC_FAILED;
	return r;
}

Test(stats, families_procs_and_opens_per_file)
{
	struct stats *s = calloc(1, sizeof(*s));
	struct ior_rec r;
	struct stats_file *f;
	struct stats_proc *p;

	stats_init(s);
	r = call("openat", 1, 9, 5, 3);
	stats_add(s, &r);
	r = call("openat", 1, 9, 5, -2); /* failed: not an open */
	stats_add(s, &r);
	r = call("read", 1, 9, 5, 10);
	stats_add(s, &r);
	r = call("openat", 2, 9, 5, 4);
	stats_add(s, &r);
	r = call("mmap", 2, 9, 5, 4096);
	stats_add(s, &r);
	r = call("sendto", 3, 9, 6, 10);
	stats_add(s, &r);
	f = u32map_get(&s->files, 5);
	cr_assert_eq(f->nprocs, 2, "pids 1 and 2, each counted once");
	cr_assert_eq(f->opens, 2);
	cr_assert_eq(f->families, STATS_FAMILY_BIT(FAMILY_FS) | STATS_FAMILY_BIT(FAMILY_MEMORY));
	f = u32map_get(&s->files, 6);
	cr_assert_eq(f->nprocs, 1);
	cr_assert_eq(f->opens, 0);
	cr_assert_eq(f->families, STATS_FAMILY_BIT(FAMILY_NETWORK));
	p = u32map_get(&s->procs, 2);
	cr_assert_eq(p->families, STATS_FAMILY_BIT(FAMILY_FS) | STATS_FAMILY_BIT(FAMILY_MEMORY));
	p = u32map_get(&s->procs, 1);
	cr_assert_eq(p->families, STATS_FAMILY_BIT(FAMILY_FS));
	stats_fini(s);
	free(s);
}

Test(stats, process_events)
{
	struct stats *s = calloc(1, sizeof(*s));
	struct ior_proc_ev start = {
		.kind = PROC_START, .pid = 10, .ppid = 1, .comm = 2, .exe = 3, .ts_ns = 1000
	};
	struct ior_proc_ev exec = { .kind = PROC_EXEC, .pid = 10, .tid = 10, .comm = 4, .exe = 5 };
	struct ior_proc_ev thread_comm = { .kind = PROC_COMM, .pid = 10, .tid = 11, .comm = 6 };
	struct ior_proc_ev exit = { .kind = PROC_EXIT,
				    .pid = 10,
				    .tid = 10,
				    .comm = 4,
				    .exit_code = 3 << 8,
				    .ts_ns = 5000 };
	struct ior_proc_ev bad = { .kind = 77, .pid = 99 };
	struct stats_proc *p;

	stats_init(s);
	stats_proc_event(s, &start);
	p = u32map_get(&s->procs, 10);
	cr_assert_eq(p->ppid, 1);
	cr_assert_eq(p->exe, 3);
	cr_assert_eq(p->start_ns, 1000);
	cr_assert_not(p->exited);
	stats_proc_event(s, &exec);
	cr_assert_eq(p->comm, 4);
	cr_assert_eq(p->exe, 5);
	stats_proc_event(s, &thread_comm);
	cr_assert_eq(p->comm, 4, "a thread's rename is not the process's");
	stats_proc_event(s, &exit);
	cr_assert(p->exited);
	cr_assert_eq(p->exit_code, 3 << 8);
	cr_assert_eq(p->exit_ns, 5000);
	start.ts_ns = 9000; /* pid reused */
	stats_proc_event(s, &start);
	cr_assert_not(p->exited);
	cr_assert_eq(p->exit_code, 0);
	cr_assert_eq(p->start_ns, 9000);
	stats_proc_event(s, &bad);
	cr_assert_null(u32map_get(&s->procs, 99));
	stats_fini(s);
	free(s);
}

/* Triples that a lossy packing (comm in 24 bits, nr in 10) would merge stay
 * apart; many triples force the index to grow. */
Test(stats, flame_triples_are_exact)
{
	struct stats *s = calloc(1, sizeof(*s));
	struct ior_rec r;
	uint64_t calls = 0;

	stats_init(s);
	r = call("read", 1, 1, 7, 5);
	r.bytes = 5;
	stats_add(s, &r);
	r.comm = 1 + (1u << 24);
	stats_add(s, &r);
	r.nr = (int16_t)(r.nr + 1024);
	stats_add(s, &r);
	r.comm = 1, r.nr = (int16_t)nr_of("read"), r.file = 0;
	stats_add(s, &r);
	r.file = 7, r.ret = -9, r.rec_flags = REC_FAILED, r.bytes = 0;
	stats_add(s, &r);
	cr_assert_eq(s->flames.n, 4);
	cr_assert_eq(s->flames.v[0].comm, 1);
	cr_assert_eq(s->flames.v[0].file, 7);
	cr_assert_eq(s->flames.calls[0], 2);
	cr_assert_eq(s->flames.v[0].errors, 1);
	cr_assert_eq(s->flames.v[0].bytes, 5);
	cr_assert_eq(s->flames.v[0].total_ns, 200);
	cr_assert_eq(s->flames.v[1].comm, 1 + (1u << 24));
	cr_assert_eq(s->flames.v[2].nr, nr_of("read") + 1024);
	cr_assert_eq(s->flames.v[3].file, 0);
	for (uint32_t i = 0; i < 3000; i++) {
		r = call("write", 100 + i % 3, 50 + i % 7, 1000 + i % 1000, 1);
		stats_add(s, &r);
	}
	/* (comm, file) repeats only every lcm(7, 1000) = 7000 calls */
	cr_assert_eq(s->flames.n, 4 + 3000);
	for (size_t i = 0; i < s->flames.n; i++)
		calls += s->flames.calls[i];
	cr_assert_eq(calls, s->total.calls);
	stats_fini(s);
	free(s);
}

Test(stats, errors_by_syscall_and_errno)
{
	struct stats *s = calloc(1, sizeof(*s));
	struct ior_rec r;
	uint64_t *n;

	stats_init(s);
	for (int i = 0; i < 3; i++) {
		r = call("openat", 1, 1, 1, -2);
		stats_add(s, &r);
	}
	r = call("openat", 1, 1, 1, -13);
	stats_add(s, &r);
	r = call("read", 1, 1, 1, -2);
	stats_add(s, &r);
	r = call("read", 1, 1, 1, -512);
	r.rec_flags = REC_INTERRUPTED;
	stats_add(s, &r);
	cr_assert_eq(s->errors.count, 3, "restart codes are not errors");
	n = u64map_get(&s->errors, STATS_ERROR_KEY(nr_of("openat"), 2));
	cr_assert_eq(*n, 3);
	n = u64map_get(&s->errors, STATS_ERROR_KEY(nr_of("openat"), 13));
	cr_assert_eq(*n, 1);
	n = u64map_get(&s->errors, STATS_ERROR_KEY(nr_of("read"), 2));
	cr_assert_eq(*n, 1);
	cr_assert_eq(STATS_ERROR_NR(STATS_ERROR_KEY(-5, 7)), -5);
	cr_assert_eq(STATS_ERROR_ERR(STATS_ERROR_KEY(-5, 7)), 7);
	stats_fini(s);
	free(s);
}

Test(stats, gap_histogram_skips_first_calls)
{
	struct stats *s = calloc(1, sizeof(*s));
	int nr = nr_of("read");
	struct ior_rec r = call("read", 1, 1, 0, 0);

	stats_init(s);
	stats_add(s, &r); /* gap_ns 0: a thread's first call */
	r.gap_ns = 1000;
	stats_add(s, &r);
	r.gap_ns = 3000;
	stats_add(s, &r);
	cr_assert_eq(s->sys[nr].gap_calls, 2);
	cr_assert_eq(s->sys[nr].gap_total_ns, 4000);
	cr_assert_eq(s->sys[nr].gap.n[stats_bucket(1000)], 1);
	cr_assert_eq(s->sys[nr].gap.n[0], 0);
	cr_assert_eq(s->sys[nr].hist.n[stats_bucket(100)], 3);
	stats_fini(s);
	free(s);
}

/* Past files_max distinct files, the half with the fewest calls is folded
 * into one "(other files)" entry: counts move there (totals unchanged),
 * with their flame triples and none of their file-pid pairs; a folded file
 * seen again starts over apart. */
Test(stats, files_fold_past_the_cap)
{
	struct stats *s = calloc(1, sizeof(*s));
	int read_nr = syscall_native_nr(syscall_by_name("read"));
	struct ior_rec r = {
		.nr = (int16_t)read_nr, .ret = 1, .bytes = 1, .pid = 7, .tid = 7, .comm = 1
	};
	const struct stats_file *other, *f;
	uint64_t flame_other = 0, flame_all = 0;

	stats_init(s);
	s->files_max = 10;
	for (ior_str file = 2; file <= 11; file++) /* file k: k - 1 calls */
		for (ior_str i = 1; i < file; i++) {
			r.file = file;
			stats_add(s, &r);
		}
	cr_assert_eq(s->files.count, 10);
	r.file = 12;
	stats_add(s, &r); /* the 11th: files 2..6 (1..5 calls, the median 5) fold */
	cr_assert_eq(s->files_folded, 5);
	cr_assert_eq(s->files.count, 7, "7..11, 12 and other: %zu", s->files.count);
	other = u32map_get(&s->files, STATS_FILE_OTHER);
	cr_assert_not_null(other);
	cr_assert_eq(other->row.calls, 1 + 2 + 3 + 4 + 5);
	cr_assert_eq(other->row.bytes[BYTES_READ], 15);
	cr_assert_eq(other->nprocs, 5, "a sum over the folded files");
	cr_assert_eq(s->total.calls, 55 + 1);
	for (ior_str file = 2; file <= 6; file++) {
		cr_assert_null(u32map_get(&s->files, file));
		cr_assert_null(u64map_get(&s->file_pids, (uint64_t)file << 32 | 7));
	}
	cr_assert_not_null(u64map_get(&s->file_pids, (uint64_t)7 << 32 | 7));
	for (size_t i = 0; i < s->flames.n; i++) {
		flame_all += s->flames.calls[i];
		if (s->flames.v[i].file == STATS_FILE_OTHER)
			flame_other += s->flames.calls[i];
		cr_assert(s->flames.v[i].file < 2 || s->flames.v[i].file > 6);
	}
	cr_assert_eq(flame_other, 15);
	cr_assert_eq(flame_all, 56);
	r.file = 3; /* folded before: apart again, from nothing */
	stats_add(s, &r);
	f = u32map_get(&s->files, 3);
	cr_assert(f && f->row.calls == 1 && f->nprocs == 1);
	cr_assert_eq(u32map_get(&s->files, STATS_FILE_OTHER), other, "the other entry stays");
	stats_fini(s);
	free(s);
}

/* Every table of two stats is the same (the memo aside). */
static void assert_same_stats(struct stats *a, struct stats *b)
{
	size_t pos = 0;
	uint32_t key;
	void *v;
	uint64_t k;

	cr_assert(!memcmp(a->sys, b->sys, IOR_NR_MAX * sizeof(*a->sys)));
	cr_assert(!memcmp(&a->total, &b->total, sizeof(a->total)));
	cr_assert_eq(a->files.count, b->files.count);
	while ((v = u32map_next(&a->files, &pos, &key))) {
		struct stats_file *fb = u32map_get(&b->files, key);

		cr_assert(fb && !memcmp(v, fb, sizeof(*fb)), "file %u", key);
	}
	cr_assert_eq(a->procs.count, b->procs.count);
	pos = 0;
	while ((v = u32map_next(&a->procs, &pos, &key))) {
		struct stats_proc *pb = u32map_get(&b->procs, key);

		cr_assert(pb && !memcmp(v, pb, sizeof(*pb)), "proc %u", key);
	}
	cr_assert_eq(a->file_pids.count, b->file_pids.count);
	pos = 0;
	while (u64map_next(&a->file_pids, &pos, &k))
		cr_assert(u64map_get(&b->file_pids, k));
	cr_assert_eq(a->errors.count, b->errors.count);
	pos = 0;
	while ((v = u64map_next(&a->errors, &pos, &k)))
		cr_assert_eq(*(uint64_t *)v, *(uint64_t *)u64map_get(&b->errors, k));
	cr_assert_eq(a->flames.n, b->flames.n);
	cr_assert(!memcmp(a->flames.v, b->flames.v, a->flames.n * sizeof(*a->flames.v)));
	cr_assert(!memcmp(a->flames.calls, b->flames.calls, a->flames.n * sizeof(uint64_t)));
}

Test(stats, memo_changes_no_count)
{
	struct stats *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	const char *names[] = { "read", "openat", "pread64", "write", "close" };
	uint64_t seed = 42;

	stats_init(a);
	stats_init(b);
	struct ior_rec r = call("read", 10, 1, 1, 1);

	/* Runs of repeats (memo hits) broken by a change of one key at a time:
	 * syscall, result, file (0 included), comm, pid (a tid that moves to
	 * another process), tid (threads whose tids share a memo slot). */
	for (int i = 0; i < 200000; i++) {
		uint32_t x;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		x = (uint32_t)(seed >> 33);
		switch (x % 16) {
		case 0:
			r.nr = (int16_t)nr_of(names[(x >> 4) % 5]);
			break;
		case 1:
			r.ret = (x >> 4) % 3 ? 1 : -2;
			r.rec_flags = r.ret < 0 ? REC_FAILED : 0;
			break;
		case 2:
			r.file = (x >> 4) % 6;
			break;
		case 3:
			r.comm = 1 + (x >> 4) % 3;
			break;
		case 4:
			r.pid = 10 + (x >> 4) % 4;
			break;
		case 5:
			r.tid = 10 + STATS_MEMOS * ((x >> 4) % 3);
			break;
		default:
			break; /* a repeat */
		}
		r.duration_ns = x % 1000;
		stats_add(a, &r);
		stats_memo_reset(b);
		stats_add(b, &r);
	}
	assert_same_stats(a, b);
	stats_fini(a);
	stats_fini(b);
	free(a);
	free(b);
}

static void proc_event(struct stats *s, enum ior_proc_kind kind, uint32_t pid)
{
	struct ior_proc_ev ev = { .kind = kind, .pid = pid, .tid = pid, .ppid = 1, .comm = 9 };

	stats_proc_event(s, &ev);
}

static uint64_t calls_of_all(struct stats *s)
{
	const struct stats_proc *p;
	size_t pos = 0;
	uint64_t n = 0;

	while ((p = u32map_next(&s->procs, &pos, NULL)))
		n += p->row.calls;
	return n;
}

/* Past procs_max processes, the exited half with the fewest calls is folded
 * into one "(other processes)" row after a record: counts move there
 * (totals unchanged), running processes stay, whatever their calls; a
 * folded pid seen again starts over apart (its memo, which pointed at the
 * freed row, is not used: ASan). */
Test(stats, procs_fold_past_the_cap_exited_only)
{
	struct stats *s = calloc(1, sizeof(*s));
	const struct stats_proc *other, *p;

	stats_init(s);
	s->procs_max = 10;
	for (uint32_t pid = 1; pid <= 10; pid++) { /* pid k: k calls */
		proc_event(s, PROC_START, pid);
		for (uint32_t i = 0; i < pid; i++) {
			struct ior_rec r = call("read", pid, 1, 0, 1);

			stats_add(s, &r);
		}
	}
	for (uint32_t pid = 1; pid <= 10; pid++)
		if (pid != 2 && pid <= 7) /* 2 runs on, with the fewest calls but one */
			proc_event(s, PROC_EXIT, pid);
	cr_assert_eq(s->procs.count, 10);
	cr_assert_eq(s->procs_folded, 0);
	proc_event(s, PROC_START, 11);
	cr_assert_eq(s->procs.count, 11, "no fold between process events");
	{
		struct ior_rec r = call("read", 11, 1, 0, 1);

		stats_add(s, &r); /* exited 1, 3..7 (median 4): 1, 3, 4 fold */
	}
	cr_assert_eq(s->procs_folded, 3);
	cr_assert_eq(s->procs.count, 11 - 3 + 1, "%zu", s->procs.count);
	other = u32map_get(&s->procs, STATS_PROC_OTHER);
	cr_assert_not_null(other);
	cr_assert_eq(other->row.calls, 1 + 3 + 4);
	cr_assert_eq(other->families, STATS_FAMILY_BIT(FAMILY_FS));
	cr_assert(other->exited);
	for (uint32_t pid = 1; pid <= 11; pid++) {
		p = u32map_get(&s->procs, pid);
		if (pid == 1 || pid == 3 || pid == 4)
			cr_assert_null(p, "pid %u folded", pid);
		else
			cr_assert(p && p->row.calls == (pid == 11 ? 1 : pid), "pid %u kept", pid);
	}
	cr_assert_eq(calls_of_all(s), s->total.calls, "no call lost or counted twice");
	cr_assert_eq(s->procs_retry, 0, "9 left: no retry pending");
	/* pid 3 again (its memo filled when its last record was added): a row
	 * of its own, from nothing. */
	{
		struct ior_rec r = call("read", 3, 1, 0, 1);

		stats_add(s, &r);
	}
	p = u32map_get(&s->procs, 3);
	cr_assert(p && p->row.calls == 1 && !p->exited);
	cr_assert_eq(p->since, s->total.calls - 1, "made before its first record counted");
	cr_assert_eq(u32map_get(&s->procs, STATS_PROC_OTHER), other, "the other row stays");
	cr_assert_eq(calls_of_all(s), s->total.calls);
	stats_fini(s);
	free(s);
}

/* With too few exited to fold (running processes never are), a fold is not
 * tried again on every record: only once a quarter more processes came. */
Test(stats, procs_fold_waits_when_too_few_exited)
{
	struct stats *s = calloc(1, sizeof(*s));
	struct ior_rec r;

	stats_init(s);
	s->procs_max = 4;
	for (uint32_t pid = 1; pid <= 4; pid++) {
		r = call("read", pid, 1, 0, 1);
		stats_add(s, &r);
	}
	proc_event(s, PROC_EXIT, 1);
	r = call("read", 5, 1, 0, 1);
	stats_add(s, &r); /* 5 > 4: pid 1 folds, 4 running and the other row stay */
	cr_assert_eq(s->procs_folded, 1);
	cr_assert_eq(s->procs.count, 5);
	cr_assert_eq(s->procs_retry, 5 + 5 / 4, "next try past 6");
	for (uint32_t pid = 6; pid <= 20; pid++) {
		r = call("read", pid, 1, 0, 1);
		stats_add(s, &r);
		proc_event(s, PROC_EXIT, pid); /* 6.. exit: foldable from the next try */
		if (pid == 6)
			cr_assert_eq(s->procs_folded, 1, "6 processes: no try yet");
	}
	cr_assert_gt(s->procs_folded, 1, "tried again, and folded");
	for (uint32_t pid = 2; pid <= 5; pid++)
		cr_assert_not_null(u32map_get(&s->procs, pid), "running pid %u folded", pid);
	cr_assert_leq(s->procs.count, 4 + 1 + 20 / 4, "%zu kept", s->procs.count);
	cr_assert_eq(calls_of_all(s), s->total.calls);
	stats_fini(s);
	free(s);
}

/* A file every short process names (the loader's cache): the pairs that
 * count its processes go with the processes folded, its count stays. */
Test(stats, procs_fold_drops_their_file_pairs)
{
	struct stats *s = calloc(1, sizeof(*s));
	const struct stats_file *f;
	uint32_t pid;

	stats_init(s);
	s->procs_max = 100;
	for (pid = 1; pid <= 1000; pid++) {
		struct ior_rec r = call("openat", pid, 1, 5, 3);

		proc_event(s, PROC_START, pid);
		stats_add(s, &r);
		proc_event(s, PROC_EXIT, pid);
	}
	f = u32map_get(&s->files, 5);
	cr_assert_not_null(f);
	cr_assert_eq(f->nprocs, 1000, "every process counted once");
	cr_assert_gt(s->procs_folded, 800);
	cr_assert_leq(s->file_pids.count, s->procs.count, "%zu pairs for %zu processes kept apart",
		      s->file_pids.count, s->procs.count);
	{
		size_t pos = 0;
		uint64_t key;

		while (u64map_next(&s->file_pids, &pos, &key))
			cr_assert_not_null(u32map_get(&s->procs, (uint32_t)key),
					   "a pair of pid %u, folded", (uint32_t)key);
	}
	stats_fini(s);
	free(s);
}
