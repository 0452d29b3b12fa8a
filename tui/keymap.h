/* The key table: one row per action with its keys, help text and key-bar
 * label. Dispatch, the help screen and the key bar all read it, so they
 * cannot drift apart. Pure; UI thread. */
#ifndef IOR_TUI_KEYMAP_H
#define IOR_TUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

enum action {
	ACT_NONE,
	ACT_HELP,
	ACT_SCREENS,
	ACT_NEXT_SCREEN,
	ACT_PREV_SCREEN,
	ACT_SCREEN_1,
	ACT_SCREEN_2,
	ACT_SCREEN_3,
	ACT_SCREEN_4,
	ACT_SCREEN_5,
	ACT_SCREEN_6,
	ACT_SCREEN_7,
	ACT_SCREEN_8,
	ACT_UP,
	ACT_DOWN,
	ACT_PAGE_UP,
	ACT_PAGE_DOWN,
	ACT_HOME,
	ACT_END,
	ACT_LEFT,
	ACT_RIGHT,
	ACT_DRILL,
	ACT_BACK,
	ACT_STREAM_OF,
	ACT_SEARCH,
	ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV,
	ACT_FILTER,
	ACT_CLEAR,
	ACT_FAMILIES,
	ACT_FAMILY_PREV,
	ACT_FAMILY_NEXT,
	ACT_SORT_PREV,
	ACT_SORT_INVERT,
	ACT_SORT_NEXT_F6,
	ACT_TREE,
	ACT_PAUSE,
	ACT_FLAME_ORDER,
	ACT_FLAME_METRIC,
	ACT_STEP_TICK,
	ACT_STEP_TICK_BACK,
	ACT_STEP_EVENT,
	ACT_STEP_EVENT_BACK,
	ACT_FASTER,
	ACT_SLOWER,
	ACT_SPEED_RESET,
	ACT_JUMP,
	ACT_TO_START,
	ACT_TO_END,
	ACT_MARK,
	ACT_TO_MARK,
	ACT_RECORD,
	ACT_EXPORT,
	ACT_EDIT_EXPORT,
	ACT_PICKER,
	ACT_REDRAW,
	ACT_SUSPEND,
	ACT_QUIT,
	ACT_COUNT,
};

struct keymap_entry {
	enum action action;
	const char *keys;  /* space-separated canonical names (tui/input.h) */
	const char *label; /* key-bar word, NULL when not on the bar */
	const char *help;  /* one line for the help screen */
	bool live;	   /* available in the live UI (false: replay only) */
};

extern const struct keymap_entry keymap[];
extern const size_t keymap_len;

/* The action bound to key name, ACT_NONE if none. */
enum action keymap_lookup(const char *key);
/* The row of an action, NULL if it has none. */
const struct keymap_entry *keymap_entry(enum action a);
/* The first key of an action's row ("F1"), for the key bar. */
const char *keymap_first_key(const struct keymap_entry *e, char *buf, size_t size);

#endif
