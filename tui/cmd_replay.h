/* `ior replay SESSION.db`: the live UI's screens over a recorded session,
 * played back at a speed, paused, stepped and sought. */
#ifndef IOR_TUI_CMD_REPLAY_H
#define IOR_TUI_CMD_REPLAY_H

#include "core/err.h"

/* argv[0] is "replay". Returns 0, 1 after --help, or a negative errno with
 * err filled. Main thread; the UI runs on it. */
int cmd_replay(int argc, char **argv, struct ior_err *err);

#endif
