/* What `b` (jump to a time) accepts: a clock time "14:03:07[.123]", an
 * offset "+30s" "-5m" "+1h" "+250ms" from the cursor, a share of the
 * session "50%", or an event id "#12345". Pure; UI thread. */
#ifndef IOR_TUI_JUMP_H
#define IOR_TUI_JUMP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct jump_span {
	uint64_t start_ns, end_ns; /* the session's wall-clock span */
	uint64_t cursor_ns;	   /* where the cursor is now */
};

struct jump {
	bool by_id;	/* id is an event id; else ts_ns is a wall-clock time */
	uint64_t id;	/* 1-based */
	uint64_t ts_ns; /* clamped into the span */
};

/* Parse s against span into out; -EINVAL with a one-line reason in err. */
int jump_parse(const char *s, const struct jump_span *span, struct jump *out, struct ior_err *err);

#endif
