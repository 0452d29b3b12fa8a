/* Allocation that cannot fail: on exhaustion it restores the terminal (via
 * the hook main installs) and exits. */
#ifndef IOR_CORE_XALLOC_H
#define IOR_CORE_XALLOC_H

#include <stddef.h>

typedef void (*xalloc_panic_fn)(void);

/* Called before exiting on allocation failure (e.g. to end curses). */
void xalloc_set_panic(xalloc_panic_fn fn);

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
