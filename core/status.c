/* The live status line of `ior record`. */
#include "core/status.h"

#include <time.h>
#include <unistd.h>

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void status_init(struct status *s, FILE *out)
{
	*s = (struct status){ .out = out, .tty = out && isatty(fileno(out)) };
	s->period_ns = s->tty ? 1000000000ull : 10000000000ull;
	s->last_ns = mono_ns();
}

static void print_line(struct status *s, uint64_t now)
{
	double secs = (double)(now - s->last_ns) / 1e9;
	double rate = secs > 0 ? (double)(s->events - s->last_events) / secs : 0;

	fprintf(s->out, "%sior: %llu events, %.0f/s, %llu lost", s->tty ? "\r\033[K" : "",
		(unsigned long long)s->events, rate, (unsigned long long)s->lost);
	if (s->stalls)
		fprintf(s->out, ", writer stalled %llu times (%.0f ms)",
			(unsigned long long)s->stalls, (double)s->stall_ns / 1e6);
	fputs(s->tty ? "" : "\n", s->out);
	fflush(s->out);
	s->last_ns = now;
	s->last_events = s->events;
}

static void on_event(void *ctx, const struct ior_rec *rec)
{
	struct status *s = ctx;

	(void)rec;
	s->events++;
}

static void on_lost(void *ctx, uint64_t total)
{
	struct status *s = ctx;

	s->lost = total;
}

static void on_flush(void *ctx)
{
	struct status *s = ctx;
	uint64_t now = mono_ns();

	if (s->stalls_fn)
		s->stalls_fn(s->stalls_ctx, &s->stalls, &s->stall_ns);
	if (s->out && now - s->last_ns >= s->period_ns)
		print_line(s, now);
}

void status_finish(struct status *s)
{
	if (!s->out)
		return;
	print_line(s, mono_ns());
	if (s->tty)
		fputc('\n', s->out);
}

const struct sink_ops status_sink_ops = {
	.event = on_event,
	.lost = on_lost,
	.flush = on_flush,
};
