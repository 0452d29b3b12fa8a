/* Themes: a style (colours and attributes) per screen role, read from the
 * INI-like files of docs/themes.md, built in or the user's, and turned into
 * curses attributes for the terminal's colour count. */
#ifndef IOR_TUI_THEME_H
#define IOR_TUI_THEME_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum theme_role {
	THEME_NORMAL,	    /* body text */
	THEME_DIM,	    /* secondary text: units, zeros, closed descriptors */
	THEME_HEADER,	    /* line 1: target, state, totals */
	THEME_TAB,	    /* an inactive tab */
	THEME_TAB_ACTIVE,   /* the current tab */
	THEME_TABLE_HEADER, /* column titles */
	THEME_SORT_COLUMN,  /* the sorted column's title */
	THEME_SELECTED,	    /* the selected row */
	THEME_ERROR,	    /* failed calls, errno names */
	THEME_WARNING,	    /* lost events > 0, alerts */
	THEME_OK,	    /* LIVE, REC indicators */
	THEME_ACCENT,	    /* family names, breadcrumb, emphasis */
	THEME_MATCH,	    /* search matches */
	THEME_BAR,	    /* transport bar */
	THEME_BAR_CURSOR,   /* the cursor on the transport bar */
	THEME_KEY,	    /* a key's name in the key bar */
	THEME_KEY_LABEL,    /* its label */
	THEME_GRAPH,	    /* sparklines and histogram bars */
	THEME_FLAME_1,	    /* flame frames, alternating */
	THEME_FLAME_2,	    /* .. */
	THEME_FLAME_3,	    /* .. */
	THEME_FLAME_4,	    /* .. */
	THEME_PANEL,	    /* pop-up panels and prompts */
	THEME_PANEL_BORDER, /* their border */
	THEME_ROLE_COUNT,
};

#define THEME_A_BOLD	  1u
#define THEME_A_UNDERLINE 2u
#define THEME_A_REVERSE	  4u
#define THEME_A_DIM	  8u
#define THEME_A_ITALIC	  16u

#define THEME_LINE_MAX 255   /* longest line of a theme file, in bytes */
#define THEME_FILE_MAX 65536 /* largest theme file, in bytes */
#define THEME_DEPTH    8     /* longest chain of inherit */

struct theme_style {
	short fg, bg;	/* -1 = terminal default, 0..255 (xterm's 256 colours) */
	unsigned attrs; /* THEME_A_* */
};

struct theme {
	char name[64]; /* what theme_load was given, without a path or .theme */
	struct theme_style role[THEME_ROLE_COUNT];
};

/* The theme files compiled in (build/tui/themes_gen.c, made from the
 * files in themes/): name without .theme, text of len bytes, NUL-ended. */
struct theme_builtin {
	const char *name;
	const char *text;
	size_t len;
};
extern const struct theme_builtin theme_builtins[];
extern const size_t theme_builtins_len;

/* The role's name in the file format ("normal", "table_header", ...), or
 * NULL outside 0..THEME_ROLE_COUNT-1. Any thread. */
const char *theme_role_name(int role);

/* Parse a theme file's text into t; origin names it in errors ("FILE:LINE:
 * problem", one line). Roles the file leaves out keep what t had (callers
 * start from the built-in default); `inherit = NAME` starts from that theme
 * instead (user's, then built-in). On error t is unchanged and -EINVAL (or
 * the inherited theme's error) is returned. t->name is never changed. */
int theme_parse(struct theme *t, const char *text, size_t len, const char *origin,
		struct ior_err *err);

/* NAME: $XDG_CONFIG_HOME/ior/themes/NAME.theme (~/.config when unset), then
 * the built-in NAME. A FILE (contains '/' or ends in .theme): that file. On
 * any error t holds the built-in default and err says "FILE:LINE: problem"
 * in one line (the caller warns and carries on). Any thread. */
int theme_load(struct theme *t, const char *name_or_file, struct ior_err *err);

/* The built-in "default". */
void theme_default(struct theme *t);

/* The colour to ask curses for when the terminal has `colors` colours:
 * 0..255 as is on 256, the nearest of 16 or 8 on 16 (or 88) and 8, an
 * RGB value (0xRRGGBB) for 8..255 on a direct-colour terminal (> 256),
 * -1 for -1 or when the terminal has fewer than 8. On 8, 8..15 give their
 * dark twin (theme_apply adds bold to a bright foreground). */
int theme_color_map(int color, int colors);

/* Curses side (UI thread, after initscr/newterm and start_color): asks for
 * the terminal's default colours (use_default_colors) and makes colour pair
 * role+1 for each role, its colours mapped for COLORS. no_color (--no-color,
 * NO_COLOR), or a terminal without 8 colours, uses attributes only: a role
 * that t tells apart by colour takes the built-in monochrome theme's. */
void theme_apply(const struct theme *t, bool no_color);

/* After theme_apply: COLOR_PAIR | attributes for the role (A_NORMAL for an
 * unknown role or before any theme_apply). UI thread. */
attr_t theme_attr(int role);

#endif
