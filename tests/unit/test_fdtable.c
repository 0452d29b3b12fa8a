/* Unit tests for the descriptor table rules of SPEC section 3. */
#include <criterion/criterion.h>

#include "core/fdtable.h"

Test(fdtable, set_and_get)
{
	struct fdtable *t = fdtable_new();

	fdtable_set(t, 3, 7, false);
	cr_assert_eq(fdtable_get(t, 3)->state, FD_OPEN);
	cr_assert_eq(fdtable_get(t, 3)->path, 7);
	cr_assert_eq(fdtable_get(t, 4)->state, FD_UNKNOWN);
	cr_assert_eq(fdtable_get(t, 100000)->state, FD_UNKNOWN);
	cr_assert_eq(fdtable_get(t, -1)->state, FD_UNKNOWN);
	fdtable_free(t);
}

Test(fdtable, close_evicts)
{
	struct fdtable *t = fdtable_new();

	fdtable_set(t, 3, 7, false);
	fdtable_close(t, 3);
	cr_assert_eq(fdtable_get(t, 3)->state, FD_CLOSED);
	cr_assert_eq(fdtable_get(t, 3)->path, 0);
	fdtable_free(t);
}

Test(fdtable, alias_shares_path_with_own_cloexec)
{
	struct fdtable *t = fdtable_new();

	fdtable_set(t, 3, 7, true);
	fdtable_alias(t, 10, 3, false);
	cr_assert_eq(fdtable_get(t, 10)->path, 7);
	cr_assert_eq(fdtable_get(t, 10)->cloexec, false);
	fdtable_exec(t);
	cr_assert_eq(fdtable_get(t, 3)->state, FD_CLOSED, "CLOEXEC fd closed on exec");
	cr_assert_eq(fdtable_get(t, 10)->state, FD_OPEN, "dup without CLOEXEC survives exec");
	fdtable_free(t);
}

Test(fdtable, alias_of_unknown_stays_resolvable)
{
	struct fdtable *t = fdtable_new();

	fdtable_alias(t, 5, 1, false);
	cr_assert_eq(fdtable_get(t, 5)->state, FD_UNKNOWN);
	fdtable_free(t);
}

Test(fdtable, set_cloexec_then_exec)
{
	struct fdtable *t = fdtable_new();

	fdtable_set(t, 4, 9, false);
	fdtable_set_cloexec(t, 4, true);
	fdtable_exec(t);
	cr_assert_eq(fdtable_get(t, 4)->state, FD_CLOSED);
	fdtable_free(t);
}

Test(fdtable, close_range_evicts_range_only)
{
	struct fdtable *t = fdtable_new();

	for (int fd = 0; fd < 10; fd++)
		fdtable_set(t, fd, (ior_str)(fd + 1), false);
	fdtable_close_range(t, 3, 5, false);
	cr_assert_eq(fdtable_get(t, 2)->state, FD_OPEN);
	cr_assert_eq(fdtable_get(t, 3)->state, FD_CLOSED);
	cr_assert_eq(fdtable_get(t, 5)->state, FD_CLOSED);
	cr_assert_eq(fdtable_get(t, 6)->state, FD_OPEN);
	fdtable_close_range(t, 7, ~0u, false);
	cr_assert_eq(fdtable_get(t, 9)->state, FD_CLOSED);
	fdtable_free(t);
}

Test(fdtable, close_range_cloexec_flag)
{
	struct fdtable *t = fdtable_new();

	fdtable_set(t, 3, 1, false);
	fdtable_close_range(t, 0, ~0u, true);
	cr_assert_eq(fdtable_get(t, 3)->state, FD_OPEN);
	cr_assert(fdtable_get(t, 3)->cloexec);
	fdtable_free(t);
}

Test(fdtable, dup_is_independent)
{
	struct fdtable *t = fdtable_new(), *c;

	fdtable_set(t, 3, 1, false);
	c = fdtable_dup(t);
	fdtable_close(t, 3);
	cr_assert_eq(fdtable_get(c, 3)->state, FD_OPEN, "child keeps its inherited fd");
	cr_assert_eq(fdtable_count(c), 1);
	cr_assert_eq(fdtable_count(t), 0);
	fdtable_free(t);
	fdtable_free(c);
}

Test(fdtable, out_of_range_ignored)
{
	struct fdtable *t = fdtable_new();

	fdtable_set(t, FDTABLE_MAX_FD, 1, false);
	fdtable_set(t, -5, 1, false);
	cr_assert_eq(fdtable_count(t), 0);
	fdtable_free(t);
	fdtable_free(NULL);
}

/* A high descriptor costs an entry, not an array up to it (issue 9: dense
 * tables of 1M entries were copied on every fork). */
Test(fdtable, high_descriptors_are_sparse)
{
	struct fdtable *t = fdtable_new(), *c;

	fdtable_set(t, 3, 1, false);
	fdtable_set(t, FDTABLE_MAX_FD - 1, 2, true);
	cr_assert_lt(fdtable_bytes(t), 4096, "%zu bytes", fdtable_bytes(t));
	c = fdtable_dup(t);
	cr_assert_lt(fdtable_bytes(c), 4096);
	cr_assert_eq(fdtable_get(c, FDTABLE_MAX_FD - 1)->path, 2);
	cr_assert_eq(fdtable_get(c, FDTABLE_MAX_FD - 2)->state, FD_UNKNOWN);
	fdtable_exec(c);
	cr_assert_eq(fdtable_get(c, FDTABLE_MAX_FD - 1)->state, FD_CLOSED, "CLOEXEC, sparse");
	cr_assert_eq(fdtable_get(t, FDTABLE_MAX_FD - 1)->state, FD_OPEN, "the copy is apart");
	fdtable_free(c);
	fdtable_free(t);
}

/* Many descriptors past the dense part: each kept (through rehashing),
 * aliased, counted, closed by a range. */
Test(fdtable, many_high_descriptors)
{
	struct fdtable *t = fdtable_new();

	for (int fd = 0; fd < 100000; fd++)
		fdtable_set(t, fd, (ior_str)(fd + 1), false);
	cr_assert_eq(fdtable_count(t), 100000);
	for (int fd = 0; fd < 100000; fd += 997)
		cr_assert_eq(fdtable_get(t, fd)->path, (ior_str)(fd + 1), "fd %d", fd);
	fdtable_alias(t, 200000, 50000, true);
	cr_assert_eq(fdtable_get(t, 200000)->path, 50001);
	fdtable_set_unresolved(t, 300000);
	cr_assert_eq(fdtable_get(t, 300000)->state, FD_UNRESOLVED);
	fdtable_close_range(t, 2000, 60000, false);
	cr_assert_eq(fdtable_get(t, 1999)->state, FD_OPEN);
	cr_assert_eq(fdtable_get(t, 2000)->state, FD_CLOSED);
	cr_assert_eq(fdtable_get(t, 60000)->state, FD_CLOSED);
	cr_assert_eq(fdtable_get(t, 60001)->state, FD_OPEN);
	cr_assert_eq(fdtable_count(t), 100000 - 58001 + 1);
	fdtable_close_range(t, 0, ~0u, true);
	fdtable_exec(t);
	cr_assert_eq(fdtable_count(t), 0);
	fdtable_free(t);
}

static void collect_fd(void *ctx, int fd, const struct fd_entry *e)
{
	int *out = ctx;

	cr_assert_eq(e->state, FD_OPEN);
	out[++out[0]] = fd;
}

Test(fdtable, each_open_lowest_first_dense_and_sparse)
{
	struct fdtable *t = fdtable_new();
	int got[16] = { 0 };
	const int want[] = { 1, 5, 2000, 3000, 1000000 };

	fdtable_set(t, 3000, 7, false);
	fdtable_set(t, 5, 7, false);
	fdtable_set(t, 1000000, 7, false);
	fdtable_set(t, 2000, 7, false);
	fdtable_set(t, 1, 7, false);
	fdtable_set(t, 9, 7, false);
	fdtable_close(t, 9);
	fdtable_set(t, 4000, 7, false);
	fdtable_close(t, 4000);
	fdtable_each_open(t, collect_fd, got);
	cr_assert_eq(got[0], 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(got[i + 1], want[i], "fd %d: %d", i, got[i + 1]);
	fdtable_free(t);
}
