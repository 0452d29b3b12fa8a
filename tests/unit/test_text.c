/* Unit tests for traced strings on screen: escaping, widths, cuts, bars. */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "tui/text.h"

static void utf8_locale(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "the C.UTF-8 locale");
	text_init();
	cr_assert(!text_is_ascii());
}

TestSuite(text, .init = utf8_locale);

/* No raw control byte, and every backslash starts a whole escape. */
static void assert_safe(const char *s)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		cr_assert(c >= 0x20 && c != 0x7f, "raw byte 0x%02x in \"%s\"", c, s);
		if (c != '\\')
			continue;
		if (strchr("ntr\\", p[1])) {
			p++;
		} else if (p[1] == 'x' || p[1] == 'u' || p[1] == 'U') {
			size_t digits = p[1] == 'x' ? 2 : p[1] == 'u' ? 4 : 8;

			for (size_t i = 0; i < digits; i++)
				cr_assert(strchr("0123456789abcdef", p[2 + i]) && p[2 + i],
					  "split escape in \"%s\"", s);
			p += 1 + digits;
		} else {
			cr_assert_fail("lone backslash in \"%s\"", s);
		}
	}
}

/* Valid UTF-8 throughout (nothing split). */
static void assert_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		size_t n = *u < 0x80 ? 1 : (*u & 0xe0) == 0xc0 ? 2 : (*u & 0xf0) == 0xe0 ? 3 : 4;

		cr_assert((*u & 0xc0) != 0x80 && (*u & 0xf8) != 0xf8, "bad lead byte in \"%s\"", s);
		for (size_t i = 1; i < n; i++)
			cr_assert((u[i] & 0xc0) == 0x80, "split sequence in \"%s\"", s);
		u += n;
	}
}

static const char *fit(const char *raw, int cols, enum text_cut cut, int *width)
{
	static char out[512];

	*width = text_fit(out, sizeof(out), raw, cols, cut);
	return out;
}

Test(text, hostile_strings_escape)
{
	static const char *const hostile[] = {
		"\x1b[31mRED.txt",
		"a\nb\tc\rd",
		"\xff\xfe\xc3",
		"del\x7f",
		"\xc2\x9b"
		"2J",
		"back\\slash",
		"\x1b]0;title\x07",
		"\xe2\x80\xae"
		"txt.exe",
		"\xcc\x81start",
	};
	static const char *const want[] = {
		"\\x1b[31mRED.txt",   "a\\nb\\tc\\rd",	"\\xff\\xfe\\xc3",
		"del\\x7f",	      "\\xc2\\x9b2J",	"back\\\\slash",
		"\\x1b]0;title\\x07", "\\u202etxt.exe", "\\u0301start",
	};
	int width;

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const char *s = fit(hostile[i], 80, TEXT_CUT_END, &width);

		cr_assert_str_eq(s, want[i]);
		cr_assert_eq(width, (int)strlen(want[i]));
		assert_safe(s);
	}
}

Test(text, widths_of_cjk_combining_and_emoji)
{
	int width;

	cr_assert_eq(text_width("plain"), 5);
	cr_assert_eq(text_width("日本語"), 6);
	cr_assert_eq(text_width("cafe\xcc\x81"), 4, "e + combining acute");
	cr_assert_eq(text_width("\xf0\x9f\x98\x80"), 2, "emoji");
	cr_assert_eq(text_width(""), 0);

	cr_assert_str_eq(fit("日本語", 6, TEXT_CUT_END, &width), "日本語");
	cr_assert_eq(width, 6);
	cr_assert_str_eq(fit("日本語", 5, TEXT_CUT_END, &width), "日本…");
	cr_assert_eq(width, 5);
	cr_assert_str_eq(fit("日本語", 4, TEXT_CUT_END, &width), "日…", "a wide char is not split");
	cr_assert_eq(width, 3);
	cr_assert_str_eq(fit("cafe\xcc\x81s", 4, TEXT_CUT_END, &width), "caf…",
			 "the mark stays with its e");
	cr_assert_str_eq(fit("cafe\xcc\x81s", 5, TEXT_CUT_END, &width), "cafe\xcc\x81s");
	cr_assert_eq(width, 5);
}

Test(text, end_cut_keeps_escapes_whole)
{
	int width;

	cr_assert_str_eq(fit("abcdefghij", 5, TEXT_CUT_END, &width), "abcd…");
	cr_assert_eq(width, 5);
	cr_assert_str_eq(fit("ab\x1b[0m", 5, TEXT_CUT_END, &width), "ab…", "\\x1b is not split");
	cr_assert_eq(width, 3);
	cr_assert_str_eq(fit("abc", 0, TEXT_CUT_END, &width), "");
	cr_assert_eq(width, 0);
	cr_assert_str_eq(fit("abc", 1, TEXT_CUT_END, &width), "…");
	cr_assert_str_eq(fit(NULL, 4, TEXT_CUT_END, &width), "");
}

Test(text, middle_cut_keeps_the_file_name)
{
	int width;

	cr_assert_str_eq(fit("/usr/include/c++/12/bits/stl_algo.h", 32, TEXT_CUT_MIDDLE, &width),
			 "/usr/include/c++/12/…/stl_algo.h");
	cr_assert_eq(width, 32);
	cr_assert_str_eq(fit("/work/demo/f199.dat", 16, TEXT_CUT_MIDDLE, &width),
			 "/work/…/f199.dat");
	cr_assert_str_eq(fit("/work/demo/f199.dat", 10, TEXT_CUT_MIDDLE, &width), "…/f199.dat");
	cr_assert_str_eq(fit("/a/verylongname.dat", 8, TEXT_CUT_MIDDLE, &width), "…ame.dat",
			 "when the name does not fit, its end");
	cr_assert_eq(width, 8);
	cr_assert_str_eq(fit("/a/b/c/dir/", 8, TEXT_CUT_MIDDLE, &width), "/a…/dir/",
			 "a trailing slash stays with its name");
	cr_assert_str_eq(fit("abcdefghij", 5, TEXT_CUT_MIDDLE, &width), "ab…ij",
			 "no slash: both ends");
	cr_assert_str_eq(fit("/tmp/\x1b[31mred/x", 12, TEXT_CUT_MIDDLE, &width), "/tmp/\\x1b…/x");
	cr_assert_eq(width, 12);
}

Test(text, fit_safe_does_not_escape_twice)
{
	char once[128], twice[128];
	int width;

	text_fit(once, sizeof(once), "/tmp/\x1b[31m\xe2\x80\xae\\x\n", 80, TEXT_CUT_END);
	cr_assert_str_eq(once, "/tmp/\\x1b[31m\\u202e\\\\x\\n");
	width = text_fit_safe(twice, sizeof(twice), once, 80, TEXT_CUT_END);
	cr_assert_str_eq(twice, once);
	cr_assert_eq(width, (int)strlen(once));
	cr_assert_str_eq(fit("x", 80, TEXT_CUT_END, &width), "x");
	text_fit_safe(twice, sizeof(twice), once, 10, TEXT_CUT_END);
	cr_assert_str_eq(twice, "/tmp/\\x1b…", "an escape is cut whole");
	text_fit_safe(twice, sizeof(twice), "a\x1b\\q\\", 80, TEXT_CUT_END);
	cr_assert_str_eq(twice, "a\\x1b\\q\\", "raw controls are escaped, lone backslashes kept");
}

Test(text, fit_never_exceeds_cols)
{
	unsigned long long seed = 0x9e3779b97f4a7c15ull;
	char raw[97], out[300];

	for (int round = 0; round < 20000; round++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		size_t len = (seed >> 33) % (sizeof(raw) - 1);
		int cols = (int)((seed >> 20) % 50);
		size_t size = 1 + (seed >> 40) % sizeof(out);
		enum text_cut cut = (seed >> 50) & 1 ? TEXT_CUT_MIDDLE : TEXT_CUT_END;

		if (round == 10000)
			text_set_ascii(true);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			/* Mostly bytes that make trouble: controls, '/', '\\', UTF-8. */
			static const char pool[] =
				"/\\\x1b\n\x7f"
				"a.\xc3\xa9\xe6\x97\xa5\xcc\x81\xff\xf0\x9f\x98\x80";

			raw[i] = (seed >> 60) & 1 ? (char)(1 + (seed >> 40) % 255)
						  : pool[(seed >> 40) % (sizeof(pool) - 1)];
		}
		raw[len] = '\0';
		int width = text_fit(out, size, raw, cols, cut);

		cr_assert(width >= 0 && width <= cols, "width %d > cols %d", width, cols);
		cr_assert_lt(strlen(out), size);
		cr_assert_eq(text_width(out), width, "\"%s\" reported %d", out, width);
		assert_safe(out);
		assert_utf8(out);
		if (text_is_ascii())
			for (const char *p = out; *p; p++)
				cr_assert((unsigned char)*p < 0x80);

		/* Text given as safe that is not: still safe, still fits. */
		width = text_fit_safe(out, size, raw, cols, cut);
		cr_assert(width >= 0 && width <= cols);
		cr_assert_eq(text_width(out), width);
		for (const char *p = out; *p; p++)
			cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f, "raw byte in \"%s\"",
				  out);
		assert_utf8(out);
	}
}

Test(text, ascii_mode_is_ascii)
{
	char out[64];
	int width;

	text_set_ascii(true);
	cr_assert_str_eq(fit("caf\xc3\xa9", 20, TEXT_CUT_END, &width), "caf\\xc3\\xa9");
	cr_assert_str_eq(fit("abcdefghij", 6, TEXT_CUT_END, &width), "abc...");
	cr_assert_eq(width, 6);
	cr_assert_str_eq(fit("/work/demo/f199.dat", 18, TEXT_CUT_MIDDLE, &width),
			 "/work/.../f199.dat");
	cr_assert_str_eq(fit("abcdefghij", 2, TEXT_CUT_END, &width), "..");
	cr_assert_eq(text_bar(out, sizeof(out), 0.5, 10), 5);
	cr_assert_str_eq(out, "#####");
	uint64_t vals[] = { 0, 1, 4, 8 };

	text_spark(out, sizeof(out), vals, 4);
	cr_assert_str_eq(out, " .=#");

	setlocale(LC_ALL, "C");
	text_init();
	cr_assert(text_is_ascii(), "a non-UTF-8 codeset means ASCII");
}

Test(text, bar_in_eighths)
{
	char out[64];

	cr_assert_eq(text_bar(out, sizeof(out), 0.5, 10), 5);
	cr_assert_str_eq(out, "█████");
	cr_assert_eq(text_bar(out, sizeof(out), 0.55, 10), 6);
	cr_assert_str_eq(out, "█████▌");
	cr_assert_eq(text_bar(out, sizeof(out), 2.0, 3), 3, "clamped");
	cr_assert_str_eq(out, "███");
	cr_assert_eq(text_bar(out, sizeof(out), 0.0001, 10), 1, "visible when > 0");
	cr_assert_str_eq(out, "▏");
	cr_assert_eq(text_bar(out, sizeof(out), 0, 10), 0);
	cr_assert_str_eq(out, "");
	cr_assert_eq(text_bar(out, sizeof(out), 0.0 / 0.0, 10), 0, "NaN");
	cr_assert_eq(text_bar(out, 7, 1, 10), 2, "a small buffer stops at whole blocks");
	cr_assert_str_eq(out, "██");
}

Test(text, sparkline_scales_to_max)
{
	char out[64];
	uint64_t vals[] = { 0, 1, 7, 14 };
	uint64_t zeros[] = { 0, 0 };
	uint64_t huge[] = { UINT64_MAX, UINT64_MAX / 2, 1 };

	text_spark(out, sizeof(out), vals, 4);
	cr_assert_str_eq(out, "▁▂▅█");
	text_spark(out, sizeof(out), zeros, 2);
	cr_assert_str_eq(out, "▁▁");
	text_spark(out, sizeof(out), huge, 3);
	cr_assert_str_eq(out, "█▅▂");
	text_spark(out, 7, vals, 4);
	cr_assert_str_eq(out, "▁▂");
	text_spark(out, sizeof(out), vals, 0);
	cr_assert_str_eq(out, "");
}
