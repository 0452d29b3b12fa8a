/* `ior report SESSION.db`: the text summary of a session. */
#ifndef IOR_CORE_REPORT_H
#define IOR_CORE_REPORT_H

#include <stdio.h>

#include "core/err.h"

/* Replay path through the stats sink and print the report to out. Caller's
 * thread. Errors: the session cannot be opened or read. */
int report_run(const char *path, FILE *out, struct ior_err *err);

#endif
