/* Checkpoints of the running statistics: a struct stats as a compressed
 * blob, so that a replay can seek by loading the nearest one and feeding
 * only the records after it. The store's writer keeps statistics of the
 * records it writes, with the process starts and exits applied where a
 * replay applies them (so that it folds the same processes), and stores a
 * blob every so many records (table checkpoints, docs/session-schema.md).
 * A blob holds the records' counts only: the process events are the
 * replay's to apply again, in the order the session says. */
#ifndef IOR_CORE_CKPT_H
#define IOR_CORE_CKPT_H

#include <stddef.h>

#include "core/err.h"
#include "core/stats.h"

/* The blob's layout; a reader takes this one and the older ones, and skips
 * newer ones. 1: processes with calls only, none folded. 2: every process,
 * with when its row was made (struct stats_proc.since), and the fold of
 * processes (procs_folded, procs_retry). */
#define CKPT_FORMAT 2

/* s as a new blob (malloc'd; *len its size). Source thread of s. */
void *ckpt_save(const struct stats *s, size_t *len);
/* The same in an older format (tests: what an older recorder wrote; format
 * 1 leaves out the processes without calls and the fold of processes). */
void *ckpt_save_format(const struct stats *s, uint32_t format, size_t *len);
/* The format of a blob (CKPT_FORMAT or an older one), 0 when it is none.
 * Only the header is read. */
uint32_t ckpt_format(const void *blob, size_t len);
/* Load a blob into s, which must be empty (stats_init; files_max and
 * procs_max as the recorder's): every syscall, file, file-pid pair, error,
 * flame triple and process with what its records added (a process's comm
 * is its latest record's, or a later start's). No process event is in a
 * blob: the caller applies those up to the blob's last record again, for
 * format 2 only to the processes it holds, each from its since on.
 * -EINVAL with err set on a corrupt or foreign blob; s is then left empty
 * again (its bounds kept). */
int ckpt_load(struct stats *s, const void *blob, size_t len, struct ior_err *err);

#endif
