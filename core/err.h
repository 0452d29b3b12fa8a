/* Errors: a failing function returns a negative errno and fills a struct
 * ior_err with a one-line message that main prints once. */
#ifndef IOR_CORE_ERR_H
#define IOR_CORE_ERR_H

struct ior_err {
	int code;      /* negative errno, 0 when clear */
	char msg[512]; /* one line, no trailing newline */
};

/* Record code and a printf-style message; returns code, so a caller can
 * `return ior_err_set(err, -errno, "open %s", path);`. err may be NULL. */
int ior_err_set(struct ior_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
