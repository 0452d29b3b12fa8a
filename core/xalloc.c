/* Allocation that aborts cleanly on exhaustion. */
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static xalloc_panic_fn panic_hook;

void xalloc_set_panic(xalloc_panic_fn fn)
{
	panic_hook = fn;
}

static void *check(void *p)
{
	if (p)
		return p;
	if (panic_hook)
		panic_hook();
	fputs("ior: out of memory\n", stderr);
	exit(70);
}

void *xmalloc(size_t size)
{
	return check(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t size)
{
	return check(realloc(p, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
	return check(strndup(s, n));
}
