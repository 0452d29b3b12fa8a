/* `ior record`: headless capture into a session file. */
#ifndef IOR_TUI_CMD_RECORD_H
#define IOR_TUI_CMD_RECORD_H

#include "core/err.h"

/* argv[0] is "record". Returns 0, 1 after --help, or a negative errno with
 * err filled. Main thread; starts and joins the reader and writer. */
int cmd_record(int argc, char **argv, struct ior_err *err);
/* Say on stderr how a launched command ended, when it failed (status is a
 * wait status, -1 for unknown). */
void record_report_child(const char *cmd, int status);

#endif
