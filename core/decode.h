/* Decoding of ring-buffer records (bpf/ior_event.h) and of the raw values
 * they carry (open flags, socket addresses, epoll ops). Pure functions:
 * any thread, no allocation. */
#ifndef IOR_CORE_DECODE_H
#define IOR_CORE_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "bpf/ior_event.h"

#define DECODE_MAX_ITEMS 8

struct decoded_item {
	const char *data; /* into the record; not NUL-terminated */
	uint16_t len;
	uint8_t tag;   /* enum ior_item_tag */
	uint8_t flags; /* IOR_ITEMF_* */
};

struct decoded {
	const struct ior_event *ev; /* borrowed: the record */
	const uint64_t *args;	    /* ev->nargs of them */
	int nitems;
	struct decoded_item items[DECODE_MAX_ITEMS];
};

/* Parse and bounds-check a record of size bytes. -EINVAL when malformed
 * (a record that lies about its sizes is never read past its end). */
int decode_event(const void *data, size_t size, struct decoded *out);
/* The first item with tag, or NULL. Inline, as decode_arg: the tracker
 * asks several times per record. */
static inline const struct decoded_item *decode_item(const struct decoded *d, int tag)
{
	for (int i = 0; i < d->nitems; i++)
		if (d->items[i].tag == tag)
			return &d->items[i];
	return NULL;
}

/* Argument i, or 0 when the record carries fewer. */
static inline uint64_t decode_arg(const struct decoded *d, int i)
{
	if (!d->ev || i < 0 || i >= d->ev->nargs)
		return 0;
	return d->args[i];
}

/* "O_RDONLY|O_CLOEXEC"; unknown bits as hex. Returns buf. */
const char *decode_open_flags(uint64_t flags, char *buf, size_t size);
/* "AF_INET 127.0.0.1:80", "AF_INET6 [::1]:80", "AF_UNIX /run/x", "AF_UNIX @abstract";
 * len is the sockaddr length. Returns buf. */
const char *decode_sockaddr(const void *sa, size_t len, char *buf, size_t size);
/* "ADD", "MOD", "DEL", or NULL for another number. */
const char *decode_epoll_op(int op);
/* "ENOENT", "ERESTARTSYS", ...; NULL when unknown. err is positive. */
const char *decode_errno_name(int err);
/* Kernel restart codes (512..516) that user space never sees. */
int decode_is_restart(int64_t ret);

#endif
