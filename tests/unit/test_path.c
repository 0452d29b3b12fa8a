/* Unit tests for lexical path resolution. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/path.h"

static const char *res(const char *base, const char *rel)
{
	static char out[256];

	if (path_resolve(base, rel, strlen(rel), out, sizeof(out)) < 0)
		return "(overflow)";
	return out;
}

Test(path, absolute_ignores_base)
{
	cr_assert_str_eq(res("/home/u", "/etc/passwd"), "/etc/passwd");
}

Test(path, relative_joins_base)
{
	cr_assert_str_eq(res("/home/u", "a/b"), "/home/u/a/b");
	cr_assert_str_eq(res("/", "a"), "/a");
}

Test(path, dots_fold)
{
	cr_assert_str_eq(res("/home/u", "./x/../y"), "/home/u/y");
	cr_assert_str_eq(res("/home/u", "../../.."), "/");
	cr_assert_str_eq(res("/a//b/", "c//d/"), "/a/b/c/d");
	cr_assert_str_eq(res("/a", "."), "/a");
}

Test(path, no_base_keeps_relative)
{
	cr_assert_str_eq(res(NULL, "x/./y"), "x/y");
	cr_assert_str_eq(res(NULL, "."), ".");
}

Test(path, overflow_reported)
{
	char out[8];

	cr_assert_lt(path_resolve("/abcdef", "ghijkl", 6, out, sizeof(out)), 0);
}

Test(path, not_nul_terminated_input)
{
	char out[64];
	const char buf[] = { 'a', 'b', 'X', 'Y' };

	cr_assert_eq(path_resolve("/r", buf, 2, out, sizeof(out)), 5);
	cr_assert_str_eq(out, "/r/ab");
}
