/* The process picker screen that `ior` with no target opens: a searchable
 * list of processes (type to filter, arrows to move, Enter attaches,
 * Ctrl-F toggles follow mode). Its own small loop over tui/picker's
 * model, before any capture starts. UI thread. */
#ifndef IOR_TUI_PICK_H
#define IOR_TUI_PICK_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/err.h"
#include "tui/input.h"

/* Run until the user picks (1, *pid set, *follow updated) or gives up (0).
 * sfd is the signalfd the live loop reads (SIGWINCH resizes; a terminating
 * signal gives up). Negative errno when /proc cannot be read. */
int pick_run(struct input *in, int sfd, pid_t *pid, bool *follow, struct ior_err *err);

#endif
