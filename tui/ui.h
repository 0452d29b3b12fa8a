/* The interactive UI over snapshots: screens, the shared filter, panels
 * (help, screens, families, quit), prompts (search, filter), the frame
 * (header, tabs, transport and key bars) and key and mouse dispatch. The
 * caller owns the loop, the terminal and the source. UI thread. */
#ifndef IOR_TUI_UI_H
#define IOR_TUI_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "core/player.h"
#include "core/snapshot.h"
#include "tui/input.h"

struct ui_opts {
	const char *target;  /* what is traced: "make -j2", "pid 42", "all" */
	const char *session; /* the session file */
	bool temporary;	     /* the session is deleted unless the user keeps it */
	uint64_t start_ns;   /* CLOCK_MONOTONIC at the start of capture */
	/* Replay: the player the transport keys drive (NULL live), and where
	 * the session was recorded. */
	struct player *player;
	const struct session_info *info;
};

enum ui_quit {
	UI_RUNNING,
	UI_QUIT_KEEP,	/* quit, keep the session */
	UI_QUIT_DELETE, /* quit, delete the temporary session */
};

struct ui;

struct ui *ui_new(const struct ui_opts *o);
void ui_free(struct ui *ui);
/* A new snapshot from the source (kept as is while the view is paused);
 * it must stay valid until the next call. */
void ui_snapshot(struct ui *ui, const struct snapshot *s);
/* The capture ended by itself (targets gone, -d): say so in the header. */
void ui_set_ended(struct ui *ui);
void ui_input(struct ui *ui, const struct input_event *ev);
/* Draw everything (the caller refreshes). */
void ui_draw(struct ui *ui);
bool ui_dirty(const struct ui *ui);
/* Is the view paused? Then the caller must not take new snapshots: the one
 * shown stays in use (snapshot_box_acquire would hand its buffer back). */
bool ui_paused(const struct ui *ui);
enum ui_quit ui_quit_state(const struct ui *ui);
/* Twin mode (live): the player over the live session's past the user
 * went back into, NULL at live. Its snapshots go to ui_twin_snapshot, and
 * the caller takes none from the live source meanwhile (the last one stays
 * in use for the return to live). */
struct player *ui_twin(const struct ui *ui);
void ui_twin_snapshot(struct ui *ui, const struct snapshot *s);
/* The file the user asked to open in an editor (E), once; NULL for none.
 * The caller gives the terminal to the editor (tui_run_editor). */
const char *ui_take_edit(struct ui *ui);
/* The process whose descriptors the Files screen wants (0: none). */
uint32_t ui_wanted_fds(const struct ui *ui);
/* A one-line message in the key bar for a few seconds. */
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The next time (ms) a redraw is due without input, -1 for none. */
int ui_timeout_ms(const struct ui *ui);

#endif
