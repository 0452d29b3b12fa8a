/* Unit tests for the 64-bit-key map with inline values. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "core/u64map.h"

Test(u64map, counts_survive_growth_and_key_zero)
{
	struct u64map m;
	uint64_t key, sum = 0, *v;
	size_t pos = 0, n = 0;
	bool added;

	u64map_init(&m, sizeof(uint64_t));
	for (uint64_t k = 0; k < 5000; k++) {
		/* keys that differ only in the high half must not merge */
		v = u64map_put(&m, k << 32, &added);
		cr_assert(added);
		*v = k + 1;
	}
	v = u64map_put(&m, 7ull << 32, &added);
	cr_assert_not(added);
	cr_assert_eq(*v, 8);
	cr_assert_eq(*(uint64_t *)u64map_get(&m, 0), 1, "key 0 is a key like the others");
	cr_assert_null(u64map_get(&m, 5000ull << 32));
	cr_assert_null(u64map_get(&m, 7));
	cr_assert_eq(m.count, 5000);
	while ((v = u64map_next(&m, &pos, &key))) {
		cr_assert_eq(*v, (key >> 32) + 1);
		sum += *v;
		n++;
	}
	cr_assert_eq(n, 5000);
	cr_assert_eq(sum, 5000ull * 5001 / 2);
	u64map_clear(&m);
	cr_assert_eq(m.count, 0);
	cr_assert_null(u64map_get(&m, 0));
	cr_assert_null(u64map_get(&m, 7ull << 32));
	pos = 0;
	cr_assert_null(u64map_next(&m, &pos, NULL));
	u64map_fini(&m);
}

Test(u64map, a_set)
{
	struct u64map m;
	bool added;

	u64map_init(&m, 0);
	u64map_put(&m, 42, &added);
	cr_assert(added);
	u64map_put(&m, 42, &added);
	cr_assert_not(added);
	cr_assert_not_null(u64map_get(&m, 42));
	cr_assert_null(u64map_get(&m, 43));
	u64map_fini(&m);
}
