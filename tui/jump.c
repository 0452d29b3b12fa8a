/* Time expressions for `b`. */
#include "tui/jump.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS 1000000000ull

static uint64_t clamp(uint64_t v, const struct jump_span *span)
{
	if (v < span->start_ns)
		return span->start_ns;
	if (span->end_ns && v > span->end_ns)
		return span->end_ns;
	return v;
}

/* "30s", "5m", "1h", "250ms", "2.5s", "90" (seconds) into ns. */
static int duration(const char *s, uint64_t *out)
{
	char *end;
	double v, unit = 1e9;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0 || v > 1e7)
		return -1;
	if (!strcmp(end, "ms"))
		unit = 1e6;
	else if (!strcmp(end, "us"))
		unit = 1e3;
	else if (!strcmp(end, "m"))
		unit = 60e9;
	else if (!strcmp(end, "h"))
		unit = 3600e9;
	else if (*end && strcmp(end, "s"))
		return -1;
	*out = (uint64_t)(v * unit);
	return 0;
}

/* "HH:MM[:SS[.frac]]" on the day of the session's start (the next day
 * when that is before the start: a session across midnight). */
static int clock_time(const char *s, const struct jump_span *span, uint64_t *out)
{
	unsigned h, m, sec = 0;
	double frac = 0;
	int n = 0;
	time_t day;
	struct tm tm;
	uint64_t t;
	const char *dot;

	if (sscanf(s, "%2u:%2u%n", &h, &m, &n) != 2)
		return -1;
	if (s[n] == ':' && sscanf(s + n + 1, "%2u", &sec) == 1) {
		n += 3;
		dot = s + n;
		if (*dot == '.') {
			char *end;

			frac = strtod(dot, &end);
			if (*end)
				return -1;
		} else if (*dot) {
			return -1;
		}
	} else if (s[n]) {
		return -1;
	}
	if (h > 23 || m > 59 || sec > 60)
		return -1;
	day = (time_t)(span->start_ns / NS);
	localtime_r(&day, &tm);
	tm.tm_hour = (int)h;
	tm.tm_min = (int)m;
	tm.tm_sec = (int)sec;
	tm.tm_isdst = -1;
	t = (uint64_t)mktime(&tm) * NS + (uint64_t)(frac * 1e9);
	if (t + 43200 * NS < span->start_ns) /* well before the start: the next day */
		t += 86400 * NS;
	*out = t;
	return 0;
}

int jump_parse(const char *s, const struct jump_span *span, struct jump *out, struct ior_err *err)
{
	uint64_t v;

	while (isspace((unsigned char)*s))
		s++;
	memset(out, 0, sizeof(*out));
	if (*s == '#') {
		char *end;
		unsigned long long id;

		errno = 0;
		id = strtoull(s + 1, &end, 10);
		if (errno || end == s + 1 || *end || !id)
			return ior_err_set(err, -EINVAL, "'%s': an event id is # and a number", s);
		out->by_id = true;
		out->id = id;
		return 0;
	}
	if (*s == '+' || *s == '-') {
		if (duration(s + 1, &v))
			return ior_err_set(err, -EINVAL,
					   "'%s': an offset is like +30s, -5m, +250ms", s);
		out->ts_ns = clamp(*s == '+'		 ? span->cursor_ns + v
				   : v > span->cursor_ns ? 0
							 : span->cursor_ns - v,
				   span);
		return 0;
	}
	if (*s && s[strlen(s) - 1] == '%') {
		char *end;
		double pct;

		errno = 0;
		pct = strtod(s, &end);
		if (errno || end == s || *end != '%' || end[1] || pct < 0 || pct > 100)
			return ior_err_set(err, -EINVAL, "'%s': a share is 0%% to 100%%", s);
		out->ts_ns = span->start_ns +
			     (uint64_t)((double)(span->end_ns - span->start_ns) * pct / 100.0);
		return 0;
	}
	if (strchr(s, ':')) {
		if (clock_time(s, span, &v))
			return ior_err_set(err, -EINVAL,
					   "'%s': a time is like 14:03:07 or 14:03:07.5", s);
		out->ts_ns = clamp(v, span);
		return 0;
	}
	return ior_err_set(err, -EINVAL,
			   "'%s': give a time (14:03:07), an offset (+30s, -5m), a share (50%%) or "
			   "an event (#12345)",
			   s);
}
