/* Small helpers of the generator: growable strings, whole-file reads,
 * error messages with a location. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gen.h"

void *gen_xalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p) {
		fprintf(stderr, "gen_syscalls: out of memory\n");
		abort();
	}
	return p;
}

char *gen_xstrndup(const char *s, size_t n)
{
	char *p = gen_xalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *gen_xstrdup(const char *s)
{
	return gen_xstrndup(s, strlen(s));
}

static void buf_reserve(struct gen_buf *b, size_t more)
{
	size_t need = b->len + more + 1;
	char *p;

	if (need <= b->cap)
		return;
	b->cap = b->cap ? b->cap : 4096;
	while (b->cap < need)
		b->cap *= 2;
	p = realloc(b->data, b->cap);
	if (!p) {
		fprintf(stderr, "gen_syscalls: out of memory\n");
		abort();
	}
	b->data = p;
}

void gen_buf_puts(struct gen_buf *b, const char *s)
{
	size_t n = strlen(s);

	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n + 1);
	b->len += n;
}

void gen_buf_printf(struct gen_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	buf_reserve(b, 256);
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		buf_reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void gen_buf_fini(struct gen_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int gen_read_file(const char *path, struct gen_buf *out)
{
	FILE *f = fopen(path, "r");
	char chunk[8192];
	size_t n;
	int saved;

	if (!f)
		return -1;
	gen_buf_puts(out, "");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_reserve(out, n);
		memcpy(out->data + out->len, chunk, n);
		out->len += n;
		out->data[out->len] = '\0';
	}
	saved = ferror(f) ? EIO : 0;
	fclose(f);
	if (saved) {
		errno = saved;
		return -1;
	}
	return 0;
}

int gen_error(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		fprintf(stderr, "gen_syscalls: %s:%d: ", file, line);
	else
		fprintf(stderr, "gen_syscalls: %s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}
