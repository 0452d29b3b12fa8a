/* Numbers for the screens, rounded to at most three or four digits. */
#include "tui/fmt.h"

#include <stdio.h>
#include <time.h>

#include "tui/text.h"

/* n / d rounded half up, without overflowing near UINT64_MAX. */
static uint64_t div_round(uint64_t n, uint64_t d)
{
	return n / d + (n % d >= d - d / 2);
}

const char *fmt_count(char *buf, size_t size, uint64_t n)
{
	char digits[24], grouped[32];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	size_t pos = 0;

	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[pos++] = ',';
		grouped[pos++] = digits[i];
	}
	grouped[pos] = '\0';
	snprintf(buf, size, "%s", grouped);
	return buf;
}

/* v in units of scale^k with one decimal under 100 and none under limit;
 * 0 when v is too big for the unit (the caller tries the next). */
static int scaled(char *buf, size_t size, uint64_t v, uint64_t scale, uint64_t limit,
		  const char *unit)
{
	uint64_t tenths = div_round(v, scale / 10), whole = div_round(v, scale);

	if (tenths < 1000)
		return snprintf(buf, size, "%llu.%llu%s", (unsigned long long)(tenths / 10),
				(unsigned long long)(tenths % 10), unit) > 0;
	if (whole < limit)
		return snprintf(buf, size, "%llu%s", (unsigned long long)whole, unit) > 0;
	return 0;
}

const char *fmt_si(char *buf, size_t size, uint64_t n)
{
	static const char *const units[] = { "k", "M", "G", "T", "P", "E" };
	uint64_t scale = 1000;

	if (n < 1000) {
		snprintf(buf, size, "%llu", (unsigned long long)n);
		return buf;
	}
	for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++, scale *= 1000)
		if (scaled(buf, size, n, scale, 1000, units[k]))
			break;
	return buf;
}

const char *fmt_bytes(char *buf, size_t size, uint64_t bytes)
{
	static const char *const units[] = { " KiB", " MiB", " GiB", " TiB", " PiB", " EiB" };
	uint64_t scale = 1024;

	if (bytes < 1024) {
		snprintf(buf, size, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++, scale *= 1024) {
		/* scaled() works in tenths of a decimal scale; 1024^k is not a
		 * multiple of 10, so round in tenths here. */
		uint64_t tenths =
			(uint64_t)((unsigned __int128)bytes * 10 / scale +
				   ((unsigned __int128)bytes * 10 % scale >= scale - scale / 2));
		uint64_t whole = div_round(bytes, scale);

		if (tenths < 1000) {
			snprintf(buf, size, "%llu.%llu%s", (unsigned long long)(tenths / 10),
				 (unsigned long long)(tenths % 10), units[k]);
			break;
		}
		if (whole < 1024) {
			snprintf(buf, size, "%llu%s", (unsigned long long)whole, units[k]);
			break;
		}
	}
	return buf;
}

const char *fmt_duration(char *buf, size_t size, uint64_t ns)
{
	const char *us = text_is_ascii() ? "us" : "\u00b5s";
	const uint64_t sec = 1000000000, min = 60 * sec, hour = 60 * min, day = 24 * hour;
	unsigned long long v;

	if (ns < 1000) {
		snprintf(buf, size, "%lluns", (unsigned long long)ns);
	} else if (scaled(buf, size, ns, 1000, 1000, us)) {
	} else if (scaled(buf, size, ns, 1000000, 1000, "ms")) {
	} else if ((v = div_round(ns, sec / 100)) < 1000) {
		snprintf(buf, size, "%llu.%02llus", v / 100, v % 100);
	} else if ((v = div_round(ns, sec / 10)) < 600) {
		snprintf(buf, size, "%llu.%llus", v / 10, v % 10);
	} else if ((v = div_round(ns, sec)) < 3600) {
		snprintf(buf, size, "%llum%02llus", v / 60, v % 60);
	} else if ((v = div_round(ns, min)) < 100 * 60) {
		snprintf(buf, size, "%lluh%02llum", v / 60, v % 60);
	} else if ((v = div_round(ns, hour)) < 100 * 24) {
		snprintf(buf, size, "%llud%02lluh", v / 24, v % 24);
	} else if ((v = div_round(ns, day)) < 1000) {
		snprintf(buf, size, "%llud", v);
	} else {
		snprintf(buf, size, "%lluy", (unsigned long long)div_round(ns, 365 * day));
	}
	return buf;
}

const char *fmt_clock(char *buf, size_t size, uint64_t wall_ns, bool micro)
{
	time_t secs = (time_t)(wall_ns / 1000000000);
	struct tm tm;

	if (!localtime_r(&secs, &tm)) {
		snprintf(buf, size, "%s", micro ? "--:--:--.------" : "--:--:--");
		return buf;
	}
	if (micro)
		snprintf(buf, size, "%02d:%02d:%02d.%06llu", tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (unsigned long long)(wall_ns % 1000000000 / 1000));
	else
		snprintf(buf, size, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

const char *fmt_elapsed(char *buf, size_t size, uint64_t ns)
{
	unsigned long long s = ns / 1000000000;

	if (s < 86400)
		snprintf(buf, size, "%02llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%llud%02llu:%02llu:%02llu", s / 86400, s / 3600 % 24,
			 s / 60 % 60, s % 60);
	return buf;
}

const char *fmt_percent(char *buf, size_t size, double fraction)
{
	double percent = fraction * 100;

	if (!(percent > 0)) /* also NaN */
		snprintf(buf, size, "0.0%%");
	else if (percent < 0.05)
		snprintf(buf, size, "<0.1%%");
	else if (fraction >= 1)
		snprintf(buf, size, "100%%");
	else if (percent >= 99.95)
		snprintf(buf, size, "99.9%%");
	else
		snprintf(buf, size, "%.1f%%", percent);
	return buf;
}
