/* A sink that prints a live status line on stderr while recording:
 * events, events/s, lost records (the kernel's ring), and the times the
 * reader waited for the session writer, apart (issue 9). Runs on the reader thread, prints at most once
 * a second (on flush). */
#ifndef IOR_CORE_STATUS_H
#define IOR_CORE_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/sink.h"

struct status {
	FILE *out;
	bool tty;	  /* rewrite one line with \r; else print a line each 10 s */
	uint64_t events;  /* records seen */
	uint64_t lost;	  /* running total from the kernel */
	uint64_t last_ns; /* monotonic time of the last line */
	uint64_t last_events;
	uint64_t period_ns; /* between lines */
	/* Where the writer's stalls come from (NULL: none), read on flush;
	 * the last values read, kept for status_finish. */
	void (*stalls_fn)(void *ctx, uint64_t *count, uint64_t *ns);
	void *stalls_ctx;
	uint64_t stalls, stall_ns;
};

extern const struct sink_ops status_sink_ops;

void status_init(struct status *s, FILE *out);
/* Print the final line (and a newline on a tty). */
void status_finish(struct status *s);

#endif
