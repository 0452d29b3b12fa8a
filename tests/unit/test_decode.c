/* Unit tests for ring-record decoding and value formatting. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "core/decode.h"

/* Build a record: header, 6 args, then one string item. */
static size_t build(uint8_t *buf, const char *s, uint16_t claimed_len)
{
	struct ior_event *e = (void *)buf;
	struct ior_item *it;
	size_t off = sizeof(*e) + 6 * 8, len = strlen(s);

	memset(buf, 0, 512);
	e->type = IOR_EV_SYSCALL;
	e->nr = 2;
	e->nargs = 6;
	e->nitems = 1;
	e->args[1] = 0x1234;
	it = (void *)(buf + off);
	it->tag = IOR_ITEM_ARG0;
	it->len = claimed_len;
	memcpy(it + 1, s, len);
	off += sizeof(*it) + ((len + 7) & ~(size_t)7);
	e->size = (uint16_t)off;
	return off;
}

Test(decode, parses_args_and_items)
{
	uint8_t buf[512];
	size_t n = build(buf, "/etc/passwd", 11);
	struct decoded d;
	const struct decoded_item *it;

	cr_assert_eq(decode_event(buf, n, &d), 0);
	cr_assert_eq(decode_arg(&d, 1), 0x1234);
	cr_assert_eq(decode_arg(&d, 7), 0);
	it = decode_item(&d, IOR_ITEM_ARG0);
	cr_assert_not_null(it);
	cr_assert_eq(it->len, 11);
	cr_assert_eq(memcmp(it->data, "/etc/passwd", 11), 0);
	cr_assert_null(decode_item(&d, IOR_ITEM_SOCKADDR));
}

Test(decode, rejects_lying_sizes)
{
	uint8_t buf[512];
	size_t n = build(buf, "abc", 3);
	struct decoded d;

	cr_assert_lt(decode_event(buf, 10, &d), 0, "shorter than a header");
	((struct ior_event *)buf)->size = (uint16_t)(n + 100);
	cr_assert_lt(decode_event(buf, n, &d), 0, "size beyond the buffer");
	n = build(buf, "abc", 400);
	cr_assert_lt(decode_event(buf, n, &d), 0, "item longer than the record");
	n = build(buf, "abc", 3);
	((struct ior_event *)buf)->nargs = 9;
	cr_assert_lt(decode_event(buf, n, &d), 0, "more than 6 args");
}

Test(decode, open_flags)
{
	char buf[128];

	cr_assert_str_eq(decode_open_flags(O_RDONLY | O_CLOEXEC, buf, sizeof(buf)),
			 "O_RDONLY|O_CLOEXEC");
	cr_assert_str_eq(decode_open_flags(O_WRONLY | O_CREAT | O_TRUNC, buf, sizeof(buf)),
			 "O_WRONLY|O_CREAT|O_TRUNC");
	cr_assert_str_eq(decode_open_flags(O_RDWR | O_TMPFILE, buf, sizeof(buf)),
			 "O_RDWR|O_TMPFILE");
	cr_assert_str_eq(decode_open_flags(O_RDONLY | 0x40000000, buf, sizeof(buf)),
			 "O_RDONLY|0x40000000");
}

Test(decode, sockaddr_inet_and_unix)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(8080) };
	struct sockaddr_un un = { .sun_family = AF_UNIX, .sun_path = "/run/x.sock" };
	char buf[128];

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_str_eq(decode_sockaddr(&in, sizeof(in), buf, sizeof(buf)),
			 "AF_INET 127.0.0.1:8080");
	cr_assert_str_eq(decode_sockaddr(&un, sizeof(un), buf, sizeof(buf)), "AF_UNIX /run/x.sock");
	un.sun_path[0] = '\0';
	memcpy(un.sun_path + 1, "abs", 3);
	cr_assert_str_eq(
		decode_sockaddr(&un, offsetof(struct sockaddr_un, sun_path) + 4, buf, sizeof(buf)),
		"AF_UNIX @abs");
	cr_assert_str_eq(decode_sockaddr(&in, 1, buf, sizeof(buf)), "(none)");
}

Test(decode, errno_names_and_restart_codes)
{
	cr_assert_str_eq(decode_errno_name(2), "ENOENT");
	cr_assert_str_eq(decode_errno_name(512), "ERESTARTSYS");
	cr_assert_str_eq(decode_errno_name(516), "ERESTART_RESTARTBLOCK");
	cr_assert_null(decode_errno_name(0));
	cr_assert_null(decode_errno_name(100000));
	cr_assert(decode_is_restart(-512));
	cr_assert(decode_is_restart(-513));
	cr_assert(decode_is_restart(-514));
	cr_assert(decode_is_restart(-516));
	cr_assert_not(decode_is_restart(-4));
	cr_assert_not(decode_is_restart(-515));
}

Test(decode, epoll_ops)
{
	cr_assert_str_eq(decode_epoll_op(1), "ADD");
	cr_assert_str_eq(decode_epoll_op(2), "DEL");
	cr_assert_str_eq(decode_epoll_op(3), "MOD");
	cr_assert_null(decode_epoll_op(9));
}
