/* Diagnostics to one stream. */
#include "core/log.h"

#include <bpf/libbpf.h>

static FILE *log_out;
static enum log_level log_max = LOG_WARN;

void log_set(FILE *out, enum log_level max)
{
	log_out = out;
	log_max = max;
}

__attribute__((format(printf, 2, 0))) static void log_v(enum log_level level, const char *fmt,
							va_list ap)
{
	FILE *out = log_out ? log_out : stderr;

	if (level > log_max)
		return;
	vfprintf(out, fmt, ap);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(level, fmt, ap);
	va_end(ap);
}

int log_libbpf(int level, const char *fmt, va_list ap)
{
	log_v(level == LIBBPF_WARN ? LOG_INFO : LOG_DEBUG, fmt, ap);
	return 0;
}
