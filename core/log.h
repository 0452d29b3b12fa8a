/* Diagnostics: warnings and debug lines go to one stream (stderr by default;
 * the TUI points it at a file so nothing writes to the terminal). */
#ifndef IOR_CORE_LOG_H
#define IOR_CORE_LOG_H

#include <stdarg.h>
#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Where lines go (NULL: nowhere) and the most verbose level kept. Call before
 * threads start. */
void log_set(FILE *out, enum log_level max);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* libbpf's print callback, routed to log_msg at DEBUG (WARN for warnings). */
int log_libbpf(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
