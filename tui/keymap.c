/* The key table (SPEC section 5: htop, csysdig, atop and less habits; every
 * F-key has a letter alias). */
#include "tui/keymap.h"

#include <stdio.h>
#include <string.h>

/* Order is the help screen's order; labels are the key bar's, left to right. */
const struct keymap_entry keymap[] = {
	{ ACT_HELP, "F1 h ?", "Help", "this help: every key", true },
	{ ACT_SCREENS, "F2 S", "Screens", "screen picker", true },
	{ ACT_NEXT_SCREEN, "Tab", NULL, "next screen", true },
	{ ACT_PREV_SCREEN, "S-Tab", NULL, "previous screen", true },
	{ ACT_SCREEN_1, "1", NULL, "Overview", true },
	{ ACT_SCREEN_2, "2", NULL, "Families", true },
	{ ACT_SCREEN_3, "3", NULL, "Syscalls", true },
	{ ACT_SCREEN_4, "4", NULL, "Files", true },
	{ ACT_SCREEN_5, "5", NULL, "Processes", true },
	{ ACT_SCREEN_6, "6", NULL, "Stream", true },
	{ ACT_SCREEN_7, "7", NULL, "Latency", true },
	{ ACT_SCREEN_8, "8", NULL, "Flame", true },
	{ ACT_UP, "Up k", NULL, "move up", true },
	{ ACT_DOWN, "Down j", NULL, "move down", true },
	{ ACT_PAGE_UP, "PageUp C-b", NULL, "page up", true },
	{ ACT_PAGE_DOWN, "PageDown C-f", NULL, "page down", true },
	{ ACT_HOME, "Home g", NULL, "first row", true },
	{ ACT_END, "End G", NULL, "last row (the Stream follows the tail again)", true },
	{ ACT_LEFT, "Left", NULL, "flame: previous frame; stream: scroll left", true },
	{ ACT_RIGHT, "Right", NULL, "flame: next frame; stream: scroll right", true },
	{ ACT_DRILL, "Enter", NULL, "drill into the row (pushes a filter) / flame: zoom in", true },
	{ ACT_BACK, "Backspace Escape", NULL, "back: pop the last filter / flame: zoom out", true },
	{ ACT_STREAM_OF, "d", NULL, "the Stream of the selected row", true },
	{ ACT_SEARCH, "F3 /", "Search", "search this screen (incremental)", true },
	{ ACT_SEARCH_NEXT, "n", NULL, "next match", true },
	{ ACT_SEARCH_PREV, "N", NULL, "previous match", true },
	{ ACT_FILTER, "F4 \\", "Filter",
	  "filter every screen: syscall, path part, pid, comm or errno", true },
	{ ACT_CLEAR, "c", NULL, "clear every filter and the family selection", true },
	{ ACT_FAMILIES, "f", "Families", "family panel (Space toggles, a all, n none)", true },
	{ ACT_FAMILY_PREV, "[", NULL, "show only the previous family", true },
	{ ACT_FAMILY_NEXT, "]", NULL, "show only the next family", true },
	{ ACT_TREE, "F5 v", "Tree", "tree: fold families, directory tree, process tree", true },
	{ ACT_SORT_NEXT_F6, "F6 >", "Sort", "sort by the next column", true },
	{ ACT_SORT_PREV, "<", NULL, "sort by the previous column", true },
	{ ACT_SORT_INVERT, "I", NULL, "invert the sort order", true },
	{ ACT_PAUSE, "Space", "Pause", "pause or resume the view (capture goes on)", true },
	{ ACT_FLAME_ORDER, "o", NULL, "flame: cycle the order (comm, syscall, path)", true },
	{ ACT_FLAME_METRIC, "M", NULL, "flame: cycle the metric (calls, bytes, time)", true },
	{ ACT_STEP_TICK, "t", NULL, "replay: step a tick forward", false },
	{ ACT_STEP_TICK_BACK, "T", NULL, "replay: step a tick back", false },
	{ ACT_STEP_EVENT, ".", NULL, "replay: step an event forward", false },
	{ ACT_STEP_EVENT_BACK, ",", NULL, "replay: step an event back", false },
	{ ACT_FASTER, "+", NULL, "replay: faster", false },
	{ ACT_SLOWER, "-", NULL, "replay: slower", false },
	{ ACT_SPEED_RESET, "=", NULL, "replay: speed 1x", false },
	{ ACT_JUMP, "b", NULL, "replay: jump to a time (14:03:07, +30s, 50%, #12345)", false },
	{ ACT_TO_START, "r", NULL, "replay: jump to the start", false },
	{ ACT_TO_END, "Z", NULL, "replay: jump to the end / back to live", false },
	{ ACT_MARK, "m", NULL, "replay: set a mark", false },
	{ ACT_TO_MARK, "'", NULL, "replay: jump to the mark", false },
	{ ACT_RECORD, "R", NULL, "recording: the live UI always records (kept or deleted at quit)",
	  true },
	{ ACT_EXPORT, "e", NULL, "export this screen's table (filtered, as of the cursor) as CSV",
	  true },
	{ ACT_EDIT_EXPORT, "E", NULL, "open the last export in $VISUAL or $EDITOR", true },
	{ ACT_PICKER, "p", NULL, "process picker: start ior with no target", true },
	{ ACT_REDRAW, "C-l", NULL, "redraw the screen", true },
	{ ACT_SUSPEND, "C-z", NULL, "suspend (replay only: live capture never stops)", true },
	{ ACT_QUIT, "F10 q C-c", "Quit", "quit (asks whether to keep the session)", true },
};

const size_t keymap_len = sizeof(keymap) / sizeof(keymap[0]);

/* Is name one of the space-separated words of keys? */
static bool has_key(const char *keys, const char *name)
{
	size_t len = strlen(name);

	while (*keys) {
		size_t w = strcspn(keys, " ");

		if (w == len && !memcmp(keys, name, len))
			return true;
		keys += w + (keys[w] == ' ');
	}
	return false;
}

enum action keymap_lookup(const char *key)
{
	for (size_t i = 0; i < keymap_len; i++)
		if (has_key(keymap[i].keys, key))
			return keymap[i].action;
	return ACT_NONE;
}

const struct keymap_entry *keymap_entry(enum action a)
{
	for (size_t i = 0; i < keymap_len; i++)
		if (keymap[i].action == a)
			return &keymap[i];
	return NULL;
}

const char *keymap_first_key(const struct keymap_entry *e, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s", (int)strcspn(e->keys, " "), e->keys);
	return buf;
}
