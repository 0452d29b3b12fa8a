/* String interning: each distinct byte string gets a small id once; the
 * bytes stay at a stable address until intern_free. Owned by one thread
 * (the source: reader or replay). */
#ifndef IOR_CORE_INTERN_H
#define IOR_CORE_INTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/event.h"

struct intern;

struct intern *intern_new(void);
void intern_free(struct intern *in);

/* Id of s[0..len) (no NUL needed); *added is set when the string is new.
 * Ids start at 1 and are dense. */
ior_str intern_get(struct intern *in, const char *s, size_t len, bool *added);
/* Put a string under a given id (replay: ids come from the session). Returns
 * -EEXIST when the id or string is already taken by something else. */
int intern_put(struct intern *in, ior_str id, const char *s, size_t len);
/* The bytes of id (NUL-terminated) and their length, or NULL. */
const char *intern_str(const struct intern *in, ior_str id, size_t *len);
/* Number of ids handed out (the largest id). */
ior_str intern_count(const struct intern *in);

#endif
