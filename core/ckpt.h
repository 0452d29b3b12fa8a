/* Checkpoints of the running statistics: a struct stats as a compressed
 * blob, so that a replay can seek by loading the nearest one and feeding
 * only the records after it. The store's writer keeps statistics of the
 * records it writes (records only: process events are the replay's to
 * apply, in the order the session says) and stores a blob every so many
 * records (table checkpoints, docs/session-schema.md). */
#ifndef IOR_CORE_CKPT_H
#define IOR_CORE_CKPT_H

#include <stddef.h>

#include "core/err.h"
#include "core/stats.h"

#define CKPT_FORMAT 1 /* the blob's layout; a reader skips other ones */

/* s as a new blob (malloc'd; *len its size). Source thread of s. */
void *ckpt_save(const struct stats *s, size_t *len);
/* Load a blob into s, which must be empty (stats_init): every syscall,
 * file, file-pid pair, error, flame triple and process with what its
 * records added (a process's comm is its latest record's; no process event
 * is in a blob). -EINVAL with err set on a corrupt or foreign blob; s is
 * then left empty again. */
int ckpt_load(struct stats *s, const void *blob, size_t len, struct ior_err *err);

#endif
