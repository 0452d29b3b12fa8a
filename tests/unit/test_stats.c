/* Unit tests for statistics: histogram buckets, percentiles, errors. */
#include <criterion/criterion.h>
#include <stdlib.h>

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
