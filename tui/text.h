/* Traced strings on screen: escaped, measured in display columns and cut to
 * fit; bars and sparklines. Pure (no curses); the UI thread. */
#ifndef IOR_TUI_TEXT_H
#define IOR_TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_cut {
	TEXT_CUT_END,	 /* "/usr/include/c++/12/bi…" */
	TEXT_CUT_MIDDLE, /* paths keep the file name: "/work/…/f199.dat" */
};

/* Choose UTF-8 or ASCII output from the locale's codeset
 * (nl_langinfo(CODESET)); call once after setlocale(LC_ALL, ""), before
 * anything else in this module or fmt.h, on the UI thread. */
void text_init(void);
/* Force ASCII (true) or UTF-8 (false) output; the mode is process-wide. In
 * UTF-8 mode widths come from wcwidth(3), so LC_CTYPE must be UTF-8. */
void text_set_ascii(bool ascii);
bool text_is_ascii(void);

/* Escape raw bytes (control characters, escape sequences and invalid UTF-8
 * become \n \x1b \xff via escape_bytes; bidirectional overrides and
 * unprintable code points become \u202e; in ASCII mode every non-ASCII byte
 * becomes \xc3) and fit them in cols display columns (wide CJK = 2,
 * combining = 0), cutting with "…" ("..." in ASCII mode) as cut says.
 * Writes a NUL-terminated string to out (size > 0; a small size cuts too);
 * returns the display width of what it wrote (0 <= width <= cols). Never
 * splits a UTF-8 sequence, an escape like \x1b, or a character from its
 * combining marks. */
int text_fit(char *out, size_t size, const char *raw, int cols, enum text_cut cut);
/* text_fit for text escaped already (picker rows, text_fit's own output):
 * its escapes are kept whole and not escaped again; anything unsafe still in
 * it is escaped all the same. */
int text_fit_safe(char *out, size_t size, const char *safe, int cols, enum text_cut cut);
/* Display columns of already-safe UTF-8 (text_fit's output); a byte that is
 * not valid UTF-8 or a code point wcwidth(3) rejects counts as one column. */
int text_width(const char *utf8);

/* A bar of fraction (0..1, clamped; NaN is 0) of cols columns with eighth
 * blocks ▏▎▍▌▋▊▉█ ('#' in ASCII); any fraction > 0 shows at least the
 * thinnest mark. Not padded; returns its width in columns. */
int text_bar(char *out, size_t size, double fraction, int cols);
/* Sparkline of n values scaled to their maximum, one column each, ▁▂▃▄▅▆▇█
 * (ASCII: " .:-=+*#"); a value > 0 is never drawn as the lowest level.
 * Stops early, whole characters only, when size is too small (3 bytes a
 * column in UTF-8, 1 in ASCII, plus the NUL). */
void text_spark(char *out, size_t size, const uint64_t *vals, size_t n);

#endif
