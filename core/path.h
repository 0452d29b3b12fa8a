/* Lexical path arithmetic: join a relative path to its base directory and
 * fold "." and ".." the way the kernel walks them (no symlink lookups). */
#ifndef IOR_CORE_PATH_H
#define IOR_CORE_PATH_H

#include <stddef.h>

/* Write base/rel (or rel alone when absolute or base is NULL) into out,
 * normalized. Returns the length, or -1 when out is too small (out then
 * holds nothing useful). rel is rel_len bytes, not NUL-terminated. */
int path_resolve(const char *base, const char *rel, size_t rel_len, char *out, size_t size);

#endif
