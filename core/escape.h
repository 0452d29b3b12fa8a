/* Showing traced bytes safely: control characters, escape sequences and
 * invalid UTF-8 become visible escapes (\n, \t, \x1b, \xff); valid UTF-8
 * passes through. Pure; any thread. */
#ifndef IOR_CORE_ESCAPE_H
#define IOR_CORE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/* Escape s[0..len) into out (always NUL-terminated when size > 0); a result
 * that does not fit ends in "...". Returns out. */
const char *escape_bytes(const char *s, size_t len, char *out, size_t size);

/* Is s[0..len) printable as it is: valid UTF-8 without control characters
 * (escape_bytes would change nothing but backslashes)? */
bool escape_is_plain(const char *s, size_t len);

/* Quote s (NUL-terminated) as one shell word into out, so that a command
 * line reads back with its argument boundaries: bare when it holds only
 * safe characters, '...' when printable, else bash's $'...' with \n, \t,
 * \xHH escapes. Returns the length written (out always NUL-terminated; a
 * word that does not fit is cut, still closed). */
size_t escape_shell_word(const char *s, char *out, size_t size);

#endif
