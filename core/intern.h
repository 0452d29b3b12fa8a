/* String interning: each distinct byte string gets a small id; the bytes
 * stay at a stable address until intern_sweep or intern_free. Owned by one
 * thread (the source: reader or replay).
 *
 * A table that must not grow for as long as new strings come (a recording
 * of hours) is swept now and then: the strings nobody got or kept since the
 * last sweep are forgotten. A forgotten string asked for again gets a new
 * id, so one string may then have two ids (the session holds it twice). */
#ifndef IOR_CORE_INTERN_H
#define IOR_CORE_INTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/event.h"

struct intern;

struct intern *intern_new(void);
void intern_free(struct intern *in);

/* Id of s[0..len) (no NUL needed); *added is set when the string is new.
 * Ids start at 1 and are handed out in order. */
ior_str intern_get(struct intern *in, const char *s, size_t len, bool *added);
/* Put a string under a given id (replay: ids come from the session).
 * Returns -EEXIST when the id holds another string, -EINVAL for id 0 or
 * after a sweep. A string already held under another id is kept under both
 * (intern_get answers the first). */
int intern_put(struct intern *in, ior_str id, const char *s, size_t len);
/* The bytes of id (NUL-terminated) and their length, or NULL. */
const char *intern_str(const struct intern *in, ior_str id, size_t *len);
/* Number of ids handed out (the largest id). */
ior_str intern_count(const struct intern *in);
/* Keep id through the next sweep (as intern_get does for what it answers). */
void intern_keep(struct intern *in, ior_str id);
/* Bytes the table holds: strings, entries and indexes. */
size_t intern_bytes(const struct intern *in);
/* Start a new period: what is got or kept from now on survives the next
 * sweep; what was only got before does not. */
void intern_age(struct intern *in);
/* Forget every string neither got nor kept in the current period, pack the
 * rest (their pointers move), start a new period and return how many were
 * forgotten. */
size_t intern_sweep(struct intern *in);

#endif
