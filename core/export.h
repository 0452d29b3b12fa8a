/* `ior export {csv|folded} SESSION.db [-o FILE]`. */
#ifndef IOR_CORE_EXPORT_H
#define IOR_CORE_EXPORT_H

#include <stdbool.h>

#include "core/err.h"

/* Write the session at path as format ("csv": one row per event, the
 * events_v columns, RFC 4180; "folded": "comm;family;syscall total_ns"
 * lines for flame graphs) to out_path (created like a session file: 0600,
 * no symlink, no overwrite without force) or stdout when NULL. */
int export_run(const char *format, const char *path, const char *out_path, bool force,
	       struct ior_err *err);

#endif
