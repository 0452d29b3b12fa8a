/* The terminal: curses set-up, colours and teardown. The terminal is given
 * back on every way out: normal exit, error, the signals main reads
 * (SIGINT, SIGTERM, SIGHUP) and crash signals (SIGSEGV, SIGABRT, SIGBUS,
 * SIGFPE, SIGILL), after which the signal is raised again. UI thread. */
#ifndef IOR_TUI_TUI_H
#define IOR_TUI_TUI_H

#include <stdbool.h>

#include "core/err.h"
#include "tui/theme.h"

/* Take the terminal (alternate screen, no cursor, mouse reporting on). */
int tui_open(const struct theme *theme, bool no_color, struct ior_err *err);
/* Give it back as it was. Safe to call twice, and when tui_open failed. */
void tui_close(void);
bool tui_is_open(void);
/* Re-read the window size after SIGWINCH. */
void tui_resize(void);
/* Give the terminal to $VISUAL or $EDITOR (vi) on path and take it back;
 * the caller stops reading keys around it (input_suspend/resume). */
void tui_run_editor(const char *path);
/* Suspend to the shell (Ctrl-Z) and come back. */
void tui_suspend(void);

#endif
