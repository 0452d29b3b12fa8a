/* Showing traced bytes safely: control characters, escape sequences and
 * invalid UTF-8 become visible escapes (\n, \t, \x1b, \xff); valid UTF-8
 * passes through. Pure; any thread. */
#ifndef IOR_CORE_ESCAPE_H
#define IOR_CORE_ESCAPE_H

#include <stddef.h>

/* Escape s[0..len) into out (always NUL-terminated when size > 0); a result
 * that does not fit ends in "...". Returns out. */
const char *escape_bytes(const char *s, size_t len, char *out, size_t size);

#endif
