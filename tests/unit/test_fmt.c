/* Unit tests for numbers as the screens show them. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/fmt.h"
#include "tui/text.h"

static void utf8_locale(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
	text_init();
	/* fmt_clock is local time: make it UTC so expectations hold anywhere. */
	setenv("TZ", "UTC", 1);
	tzset();
}

TestSuite(fmt, .init = utf8_locale);

static const uint64_t boundaries[] = {
	0,
	1,
	9,
	10,
	99,
	100,
	999,
	1000,
	1001,
	1023,
	1024,
	1025,
	9999,
	10000,
	99949,
	99950,
	999499,
	999500,
	999999,
	1000000,
	1048575,
	1048576,
	1073741824,
	59999999999ull,
	3599999999999ull,
	86399999999999ull,
	UINT64_MAX / 2,
	UINT64_MAX - 1,
	UINT64_MAX,
};

typedef const char *(*fmt_u64_fn)(char *, size_t, uint64_t);

static void assert_widths(fmt_u64_fn fn, int width, const char *name)
{
	char buf[FMT_BUF];
	unsigned long long seed = 42;

	for (size_t i = 0; i < sizeof(boundaries) / sizeof(boundaries[0]); i++) {
		fn(buf, sizeof(buf), boundaries[i]);
		cr_assert_leq(text_width(buf), width, "%s(%llu) = \"%s\"", name,
			      (unsigned long long)boundaries[i], buf);
		cr_assert_gt(strlen(buf), 0);
	}
	/* Every power of two and ten, and near misses, and random values. */
	for (int k = 0; k < 64; k++) {
		uint64_t vals[] = { 1ull << k, (1ull << k) - 1, (1ull << k) + 1 };

		for (size_t j = 0; j < 3; j++) {
			fn(buf, sizeof(buf), vals[j]);
			cr_assert_leq(text_width(buf), width, "%s = \"%s\"", name, buf);
		}
	}
	for (uint64_t p = 1; p <= UINT64_MAX / 10; p *= 10) {
		uint64_t vals[] = { p - 1, p, p * 10 - p / 20, p * 10 - p / 20 - 1 };

		for (size_t j = 0; j < 4; j++) {
			fn(buf, sizeof(buf), vals[j]);
			cr_assert_leq(text_width(buf), width, "%s = \"%s\"", name, buf);
		}
	}
	for (int round = 0; round < 100000; round++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		fn(buf, sizeof(buf), seed >> (seed % 64));
		cr_assert_leq(text_width(buf), width, "%s = \"%s\"", name, buf);
	}
}

static const char *fmt_clock_micro(char *buf, size_t size, uint64_t ns)
{
	return fmt_clock(buf, size, ns, true);
}

static const char *fmt_clock_seconds(char *buf, size_t size, uint64_t ns)
{
	return fmt_clock(buf, size, ns, false);
}

Test(fmt, every_function_fits_its_width)
{
	assert_widths(fmt_count, FMT_COUNT_WIDTH, "fmt_count");
	assert_widths(fmt_si, FMT_SI_WIDTH, "fmt_si");
	assert_widths(fmt_bytes, FMT_BYTES_WIDTH, "fmt_bytes");
	assert_widths(fmt_duration, FMT_DURATION_WIDTH, "fmt_duration");
	assert_widths(fmt_clock_micro, FMT_CLOCK_WIDTH, "fmt_clock");
	assert_widths(fmt_clock_seconds, 8, "fmt_clock");
	assert_widths(fmt_elapsed, FMT_ELAPSED_WIDTH, "fmt_elapsed");
	text_set_ascii(true);
	assert_widths(fmt_duration, FMT_DURATION_WIDTH, "fmt_duration (ASCII)");
}

Test(fmt, count)
{
	char buf[FMT_BUF];

	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 0), "0");
	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 999), "999");
	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 1000), "1,000");
	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 12031331), "12,031,331");
	cr_assert_str_eq(fmt_count(buf, sizeof(buf), UINT64_MAX), "18,446,744,073,709,551,615");
	cr_assert_str_eq(fmt_count(buf, 4, 12031331), "12,", "cut short, not overrun");
}

Test(fmt, si)
{
	char buf[FMT_BUF];

	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 0), "0");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 999), "999");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 1000), "1.0k");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 1023), "1.0k");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 1050), "1.1k");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 99949), "99.9k");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 99950), "100k");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 412000), "412k");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 999499), "999k");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 999500), "1.0M");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 28100000), "28.1M");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), 3100000000ull), "3.1G");
	cr_assert_str_eq(fmt_si(buf, sizeof(buf), UINT64_MAX), "18.4E");
}

Test(fmt, bytes)
{
	char buf[FMT_BUF];

	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 0), "0 B");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 200), "200 B");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 999), "999 B");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 1000), "1000 B");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 1023), "1023 B");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 1024), "1.0 KiB");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 61542), "60.1 KiB");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 880 * 1024), "880 KiB");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 1023 * 1024), "1023 KiB");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 1024 * 1024 - 1), "1.0 MiB");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), 2254857830ull), "2.1 GiB");
	cr_assert_str_eq(fmt_bytes(buf, sizeof(buf), UINT64_MAX), "16.0 EiB");
}

Test(fmt, duration)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} cases[] = {
		{ 0, "0ns" },
		{ 812, "812ns" },
		{ 999, "999ns" },
		{ 1000, "1.0µs" },
		{ 1023, "1.0µs" },
		{ 1024, "1.0µs" },
		{ 3100, "3.1µs" },
		{ 48000, "48.0µs" },
		{ 99949, "99.9µs" },
		{ 99950, "100µs" },
		{ 999499, "999µs" },
		{ 999500, "1.0ms" },
		{ 12100000, "12.1ms" },
		{ 999500000, "1.00s" },
		{ 1200000000, "1.20s" },
		{ 9994999999ull, "9.99s" },
		{ 9995000000ull, "10.0s" },
		{ 59949999999ull, "59.9s" },
		{ 59950000000ull, "1m00s" },
		{ 123000000000ull, "2m03s" },
		{ 3599499999999ull, "59m59s" },
		{ 3599500000000ull, "1h00m" },
		{ 3720000000000ull, "1h02m" },
		{ 99ull * 3600 * 1000000000 + 59ull * 60 * 1000000000, "99h59m" },
		{ 100ull * 3600 * 1000000000, "4d04h" },
		{ 500ull * 86400 * 1000000000, "500d" },
		{ UINT64_MAX, "585y" },
	};
	char buf[FMT_BUF];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_str_eq(fmt_duration(buf, sizeof(buf), cases[i].ns), cases[i].want,
				 "%llu ns", (unsigned long long)cases[i].ns);
	text_set_ascii(true);
	cr_assert_str_eq(fmt_duration(buf, sizeof(buf), 48000), "48.0us");
}

Test(fmt, clock_and_elapsed)
{
	char buf[FMT_BUF];
	/* 2024-01-02 06:19:46.012301 UTC */
	uint64_t wall = 1704176386ull * 1000000000 + 12301999;

	cr_assert_str_eq(fmt_clock(buf, sizeof(buf), wall, true), "06:19:46.012301");
	cr_assert_str_eq(fmt_clock(buf, sizeof(buf), wall, false), "06:19:46");
	cr_assert_str_eq(fmt_elapsed(buf, sizeof(buf), 0), "00:00:00");
	cr_assert_str_eq(fmt_elapsed(buf, sizeof(buf), 72999999999ull), "00:01:12");
	cr_assert_str_eq(fmt_elapsed(buf, sizeof(buf), 86399ull * 1000000000), "23:59:59");
	cr_assert_str_eq(fmt_elapsed(buf, sizeof(buf), 93784ull * 1000000000), "1d02:03:04");
	cr_assert_str_eq(fmt_elapsed(buf, sizeof(buf), UINT64_MAX), "213503d23:34:33");
}

Test(fmt, percent)
{
	static const struct {
		double fraction;
		const char *want;
	} cases[] = {
		{ 0, "0.0%" },	      { -1, "0.0%" },	 { 0.0 / 0.0, "0.0%" }, { 0.0001, "<0.1%" },
		{ 0.0005, "0.1%" },   { 0.31, "31.0%" }, { 0.612, "61.2%" },	{ 0.9994, "99.9%" },
		{ 0.99999, "99.9%" }, { 1, "100%" },	 { 7, "100%" },
	};
	char buf[FMT_BUF];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fmt_percent(buf, sizeof(buf), cases[i].fraction);
		cr_assert_str_eq(buf, cases[i].want, "%g", cases[i].fraction);
		cr_assert_leq(strlen(buf), FMT_PERCENT_WIDTH);
	}
}
