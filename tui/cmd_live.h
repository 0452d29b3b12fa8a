/* `ior [OPTIONS] [-- CMD]`: the live terminal UI over a capture that is
 * also recorded to a session (a temporary one unless -w names it). */
#ifndef IOR_TUI_CMD_LIVE_H
#define IOR_TUI_CMD_LIVE_H

#include "core/err.h"

/* argv[0] is "ior". Returns 0, 1 after --help, or a negative errno with err
 * filled. Main thread; the UI runs on it. */
int cmd_live(int argc, char **argv, struct ior_err *err);

#endif
