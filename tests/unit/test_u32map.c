/* Unit tests for the pid/tid hash map. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "core/u32map.h"

Test(u32map, put_get_take)
{
	struct u32map m;
	int a, b;

	u32map_init(&m);
	u32map_put(&m, 7, &a);
	u32map_put(&m, 7 + 64, &b);
	cr_assert_eq(u32map_get(&m, 7), &a);
	cr_assert_eq(u32map_get(&m, 71), &b);
	cr_assert_eq(u32map_take(&m, 7), &a);
	cr_assert_null(u32map_get(&m, 7));
	cr_assert_eq(u32map_get(&m, 71), &b, "probe chain intact after removal");
	u32map_fini(&m);
}

Test(u32map, many_with_removals)
{
	struct u32map m;
	static int v;
	size_t pos = 0;
	int n = 0;

	u32map_init(&m);
	for (uint32_t k = 1; k <= 20000; k++)
		u32map_put(&m, k * 7919u, &v);
	for (uint32_t k = 1; k <= 20000; k += 2)
		cr_assert_eq(u32map_take(&m, k * 7919u), &v);
	for (uint32_t k = 1; k <= 20000; k++)
		cr_assert_eq(u32map_get(&m, k * 7919u) != NULL, k % 2 == 0, "key %u", k);
	while (u32map_next(&m, &pos, NULL))
		n++;
	cr_assert_eq(n, 10000);
	cr_assert_eq(m.count, 10000);
	u32map_fini(&m);
}
