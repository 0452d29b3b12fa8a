/* The time expressions `b` accepts, good and bad. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/jump.h"

#define NS 1000000000ull

static struct jump_span span(void)
{
	struct tm tm = { .tm_year = 126,
			 .tm_mon = 10,
			 .tm_mday = 30,
			 .tm_hour = 14,
			 .tm_min = 3,
			 .tm_isdst = -1 };
	uint64_t start = (uint64_t)mktime(&tm) * NS; /* 14:03:00 local */

	return (struct jump_span){ start, start + 600 * NS, start + 60 * NS };
}

static struct jump parse_ok(const char *s)
{
	struct jump_span sp = span();
	struct ior_err err = { 0 };
	struct jump j;

	cr_assert_eq(jump_parse(s, &sp, &j, &err), 0, "%s: %s", s, err.msg);
	return j;
}

Test(jump, clock_times)
{
	struct jump_span sp = span();

	setenv("TZ", "UTC", 1);
	tzset();
	sp = span();
	cr_assert_eq(jump_parse("14:03:07", &sp, &(struct jump){ 0 }, &(struct ior_err){ 0 }), 0);
	{
		struct jump j = parse_ok("14:03:07");

		cr_assert_eq(j.ts_ns, sp.start_ns + 7 * NS);
		j = parse_ok("14:03:07.5");
		cr_assert_eq(j.ts_ns, sp.start_ns + 7500000000ull);
		j = parse_ok("14:05");
		cr_assert_eq(j.ts_ns, sp.start_ns + 120 * NS);
		j = parse_ok("23:00"); /* after the end: clamped */
		cr_assert_eq(j.ts_ns, sp.end_ns);
	}
}

Test(jump, offsets_shares_and_ids)
{
	struct jump_span sp = span();
	struct jump j = parse_ok("+30s");

	cr_assert_eq(j.ts_ns, sp.cursor_ns + 30 * NS);
	j = parse_ok("-5m");
	cr_assert_eq(j.ts_ns, sp.start_ns, "clamped to the start");
	j = parse_ok("+250ms");
	cr_assert_eq(j.ts_ns, sp.cursor_ns + 250000000ull);
	j = parse_ok("50%");
	cr_assert_eq(j.ts_ns, sp.start_ns + 300 * NS);
	j = parse_ok("100%");
	cr_assert_eq(j.ts_ns, sp.end_ns);
	j = parse_ok("#12345");
	cr_assert(j.by_id);
	cr_assert_eq(j.id, 12345);
}

Test(jump, bad_input_says_why)
{
	static const char *const bad[] = { "",	    "#",	 "#0",	 "#12x",  "+",
					   "+3x",   "101%",	 "-1%",	 "x%",	  "25:00",
					   "14:61", "14:03:07x", "soon", "+1e9h", "12:34:56.x" };
	struct jump_span sp = span();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ior_err err = { 0 };
		struct jump j;

		cr_assert_eq(jump_parse(bad[i], &sp, &j, &err), -EINVAL, "'%s' accepted", bad[i]);
		cr_assert(err.msg[0] && !strchr(err.msg, '\n'), "'%s': %s", bad[i], err.msg);
	}
}
