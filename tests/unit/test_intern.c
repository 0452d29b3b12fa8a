/* Unit tests for string interning. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/intern.h"

Test(intern, same_string_same_id)
{
	struct intern *in = intern_new();
	bool added;
	ior_str a = intern_get(in, "abc", 3, &added);

	cr_assert(added);
	cr_assert_eq(a, 1);
	cr_assert_eq(intern_get(in, "abc", 3, &added), a);
	cr_assert_not(added);
	cr_assert_neq(intern_get(in, "abd", 3, NULL), a);
	intern_free(in);
}

Test(intern, raw_bytes_round_trip)
{
	struct intern *in = intern_new();
	const char hostile[] = "a\nb\tc\x1b[31m\xff\xfe";
	size_t len;
	ior_str id = intern_get(in, hostile, sizeof(hostile) - 1, NULL);
	const char *s = intern_str(in, id, &len);

	cr_assert_eq(len, sizeof(hostile) - 1);
	cr_assert_eq(memcmp(s, hostile, len), 0);
	cr_assert_eq(s[len], '\0');
	intern_free(in);
}

Test(intern, many_strings_stable_pointers)
{
	struct intern *in = intern_new();
	const char *first;
	char buf[32];

	intern_get(in, "first", 5, NULL);
	first = intern_str(in, 1, NULL);
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof(buf), "s%d", i);

		cr_assert_eq(intern_get(in, buf, (size_t)n, NULL), (ior_str)(i + 2));
	}
	cr_assert_eq(intern_str(in, 1, NULL), first, "pointers never move");
	cr_assert_str_eq(intern_str(in, 50002, NULL), "s50000");
	cr_assert_eq(intern_count(in), 100001);
	intern_free(in);
}

Test(intern, put_keeps_given_ids)
{
	struct intern *in = intern_new();

	cr_assert_eq(intern_put(in, 5, "five", 4), 0);
	cr_assert_eq(intern_put(in, 5, "five", 4), 0);
	cr_assert_lt(intern_put(in, 5, "other", 5), 0);
	cr_assert_lt(intern_put(in, 0, "zero", 4), 0);
	cr_assert_str_eq(intern_str(in, 5, NULL), "five");
	cr_assert_eq(intern_get(in, "five", 4, NULL), 5);
	cr_assert_eq(intern_get(in, "six", 3, NULL), 6);
	cr_assert_null(intern_str(in, 99, NULL));
	intern_free(in);
}

Test(intern, put_same_string_under_two_ids)
{
	struct intern *in = intern_new();

	/* A bounded recording forgot "a" and met it again: ids 1 and 3. */
	cr_assert_eq(intern_put(in, 1, "a", 1), 0);
	cr_assert_eq(intern_put(in, 2, "b", 1), 0);
	cr_assert_eq(intern_put(in, 3, "a", 1), 0);
	cr_assert_str_eq(intern_str(in, 3, NULL), "a");
	cr_assert_str_eq(intern_str(in, 1, NULL), "a");
	cr_assert_eq(intern_get(in, "a", 1, NULL), 1, "the first id answers");
	cr_assert_lt(intern_put(in, 3, "c", 1), 0, "an id keeps its string");
	intern_free(in);
}

Test(intern, sweep_forgets_what_was_not_wanted)
{
	struct intern *in = intern_new();
	char buf[32];
	ior_str kept, got, old;

	old = intern_get(in, "old", 3, NULL);
	kept = intern_get(in, "kept", 4, NULL);
	got = intern_get(in, "got", 3, NULL);
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "churn%d", i);

		intern_get(in, buf, (size_t)n, NULL);
	}
	intern_age(in);
	intern_keep(in, kept);
	cr_assert_eq(intern_get(in, "got", 3, NULL), got);
	cr_assert_eq(intern_sweep(in), 5001, "old and the churn");
	cr_assert_null(intern_str(in, old, NULL));
	cr_assert_null(intern_str(in, 4, NULL), "churn0");
	cr_assert_str_eq(intern_str(in, kept, NULL), "kept");
	cr_assert_str_eq(intern_str(in, got, NULL), "got");
	cr_assert_eq(intern_get(in, "kept", 4, NULL), kept, "a kept string keeps its id");
	/* Met again: a new id after every one handed out. */
	cr_assert_eq(intern_get(in, "old", 3, NULL), 5004);
	cr_assert_eq(intern_get(in, "churn7", 6, NULL), 5005);
	cr_assert_str_eq(intern_str(in, 5005, NULL), "churn7");
	cr_assert_lt(intern_put(in, 9000, "x", 1), 0, "ids are the table's own now");
	/* The next sweep keeps what this period got: everything above but
	 * "got", which nobody got or kept since (intern_str does not count). */
	cr_assert_eq(intern_sweep(in), 1);
	cr_assert_null(intern_str(in, got, NULL));
	cr_assert_str_eq(intern_str(in, kept, NULL), "kept");
	cr_assert_str_eq(intern_str(in, 5005, NULL), "churn7");
	intern_free(in);
}

Test(intern, sweeps_bound_the_bytes)
{
	struct intern *in = intern_new();
	char buf[64];
	size_t after_first = 0, peak = 0;

	/* 200,000 distinct strings, a sweep whenever the table passes 1 MiB,
	 * aged halfway: the table never grows past the bound by more than the
	 * last chunk, whatever comes. */
	for (int i = 0; i < 200000; i++) {
		int n = snprintf(buf, sizeof(buf), "/tmp/churn/%d/name", i);

		cr_assert_eq(intern_get(in, buf, (size_t)n, NULL), (ior_str)i + 1);
		if (intern_bytes(in) > peak)
			peak = intern_bytes(in);
		if (intern_bytes(in) > (1 << 20)) {
			intern_sweep(in);
			intern_age(in);
			if (!after_first)
				after_first = intern_bytes(in);
		}
	}
	cr_assert_gt(after_first, 0);
	cr_assert_lt(peak, (1 << 20) + (512 << 10), "peak %zu", peak);
	cr_assert_str_eq(intern_str(in, 200000, NULL), "/tmp/churn/199999/name");
	intern_free(in);
}
