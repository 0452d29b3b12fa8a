/* Errors: fill a fixed buffer, never allocate. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>

int ior_err_set(struct ior_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}
