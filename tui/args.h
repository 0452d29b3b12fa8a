/* The options `ior record` and the live UI share (targets, filters,
 * duration, ring size) and those of each; argv to struct capture_opts. */
#ifndef IOR_TUI_ARGS_H
#define IOR_TUI_ARGS_H

#include <stdbool.h>

#include "core/capture.h"
#include "core/err.h"

enum args_mode { ARGS_RECORD, ARGS_LIVE };

struct args {
	struct capture_opts cap; /* cap.keep is owned: args_fini frees it */
	bool quiet;		 /* record: no status line */
	bool no_color;		 /* live: --no-color (NO_COLOR is the caller's) */
	const char *theme;	 /* live: --theme NAME|FILE */
	double delay;		 /* live: seconds between redraws (--delay) */
	bool help;		 /* --help was given: usage printed, nothing to do */
};

/* Parse argv (argv[0] is the subcommand, or "ior" for the live UI) for
 * mode. Prints the usage to stdout on --help. 0 or -EINVAL with err. */
int args_parse(struct args *a, enum args_mode mode, int argc, char **argv, struct ior_err *err);
void args_fini(struct args *a);

#endif
