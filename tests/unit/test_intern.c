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
