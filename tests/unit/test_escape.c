/* Unit tests for escaping traced bytes for display. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/escape.h"

static const char *esc(const char *s)
{
	static char out[256];

	return escape_bytes(s, strlen(s), out, sizeof(out));
}

Test(escape, plain_and_utf8_pass)
{
	cr_assert_str_eq(esc("/tmp/plain"), "/tmp/plain");
	cr_assert_str_eq(esc("/tmp/caf\xc3\xa9"), "/tmp/caf\xc3\xa9");
}

Test(escape, controls_and_escapes)
{
	cr_assert_str_eq(esc("a\nb\tc"), "a\\nb\\tc");
	cr_assert_str_eq(esc("\x1b[31mred"), "\\x1b[31mred");
	cr_assert_str_eq(esc("back\\slash"), "back\\\\slash");
	cr_assert_str_eq(esc("del\x7f"), "del\\x7f");
}

Test(escape, invalid_utf8_and_c1)
{
	cr_assert_str_eq(esc("\xff\xfe"), "\\xff\\xfe");
	cr_assert_str_eq(esc("\xc3"), "\\xc3", "truncated sequence");
	cr_assert_str_eq(esc("\xc0\xaf"), "\\xc0\\xaf", "overlong");
	cr_assert_str_eq(esc("\xc2\x9b"), "\\xc2\\x9b", "C1 CSI is a terminal control");
}

Test(escape, truncates_with_ellipsis)
{
	char out[12];

	escape_bytes("abcdefghijklmnop", 16, out, sizeof(out));
	cr_assert_str_eq(out, "abcdefgh...");
	escape_bytes("\n\n\n\n\n", 5, out, sizeof(out));
	cr_assert_leq(strlen(out), sizeof(out) - 1);
}
