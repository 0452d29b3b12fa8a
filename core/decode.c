/* Decoding of ring-buffer records and of raw syscall values. */
#include "core/decode.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int decode_event(const void *data, size_t size, struct decoded *out)
{
	const struct ior_event *ev = data;
	size_t off;

	memset(out, 0, sizeof(*out));
	if (size < sizeof(*ev) || ev->size > size || ev->size < sizeof(*ev) || ev->nargs > 6)
		return -EINVAL;
	off = sizeof(*ev) + ev->nargs * sizeof(uint64_t);
	if (off > ev->size)
		return -EINVAL;
	out->ev = ev;
	out->args = (const uint64_t *)ev->args;
	for (int i = 0; i < ev->nitems; i++) {
		const struct ior_item *it = (const void *)((const char *)data + off);
		size_t padded;

		if (off + sizeof(*it) > ev->size)
			return -EINVAL;
		padded = sizeof(*it) + (((size_t)it->len + 7) & ~(size_t)7);
		if (off + sizeof(*it) + it->len > ev->size)
			return -EINVAL;
		if (out->nitems < DECODE_MAX_ITEMS) {
			struct decoded_item *d = &out->items[out->nitems++];

			d->data = (const char *)(it + 1);
			d->len = it->len;
			d->tag = it->tag;
			d->flags = it->flags;
		}
		off += padded;
	}
	return 0;
}

struct bit_name {
	uint64_t bit;
	const char *name;
};

static const struct bit_name open_bits[] = {
	{ O_CREAT, "O_CREAT" },		{ O_EXCL, "O_EXCL" },
	{ O_NOCTTY, "O_NOCTTY" },	{ O_TRUNC, "O_TRUNC" },
	{ O_APPEND, "O_APPEND" },	{ O_NONBLOCK, "O_NONBLOCK" },
	{ O_DSYNC, "O_DSYNC" },		{ 020000 /* FASYNC */, "O_ASYNC" },
	{ O_DIRECT, "O_DIRECT" },	{ O_LARGEFILE, "O_LARGEFILE" },
	{ O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" },
	{ O_NOATIME, "O_NOATIME" },	{ O_CLOEXEC, "O_CLOEXEC" },
	{ O_PATH, "O_PATH" },
};

static size_t append(char *buf, size_t size, size_t pos, const char *s)
{
	int n = snprintf(buf + pos, pos < size ? size - pos : 0, "%s%s", pos ? "|" : "", s);

	return n < 0 ? pos : pos + (size_t)n;
}

const char *decode_open_flags(uint64_t flags, char *buf, size_t size)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	size_t pos = 0;
	char hex[32];

	if (!size)
		return buf;
	buf[0] = '\0';
	pos = append(buf, size, pos, acc[flags & O_ACCMODE]);
	flags &= ~(uint64_t)O_ACCMODE;
	/* O_TMPFILE includes O_DIRECTORY's bit. */
	if ((flags & (uint64_t)O_TMPFILE) == (uint64_t)O_TMPFILE) {
		pos = append(buf, size, pos, "O_TMPFILE");
		flags &= ~(uint64_t)O_TMPFILE;
	}
	/* O_SYNC includes O_DSYNC's bit. */
	if ((flags & (uint64_t)O_SYNC) == (uint64_t)O_SYNC) {
		pos = append(buf, size, pos, "O_SYNC");
		flags &= ~(uint64_t)O_SYNC;
	}
	for (size_t i = 0; i < sizeof(open_bits) / sizeof(open_bits[0]); i++) {
		if (flags & open_bits[i].bit) {
			pos = append(buf, size, pos, open_bits[i].name);
			flags &= ~open_bits[i].bit;
		}
	}
	if (flags) {
		snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)flags);
		append(buf, size, pos, hex);
	}
	return buf;
}

const char *decode_sockaddr(const void *sa, size_t len, char *buf, size_t size)
{
	sa_family_t family;
	char host[INET6_ADDRSTRLEN];

	if (!size)
		return buf;
	buf[0] = '\0';
	if (len < sizeof(family)) {
		snprintf(buf, size, "(none)");
		return buf;
	}
	memcpy(&family, sa, sizeof(family));
	if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in in;

		memcpy(&in, sa, sizeof(in));
		inet_ntop(AF_INET, &in.sin_addr, host, sizeof(host));
		snprintf(buf, size, "AF_INET %s:%u", host, ntohs(in.sin_port));
	} else if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 in6;

		memcpy(&in6, sa, sizeof(in6));
		inet_ntop(AF_INET6, &in6.sin6_addr, host, sizeof(host));
		snprintf(buf, size, "AF_INET6 [%s]:%u", host, ntohs(in6.sin6_port));
	} else if (family == AF_UNIX) {
		const char *path = (const char *)sa + offsetof(struct sockaddr_un, sun_path);
		size_t plen = len > offsetof(struct sockaddr_un, sun_path)
				      ? len - offsetof(struct sockaddr_un, sun_path)
				      : 0;

		if (plen == 0)
			snprintf(buf, size, "AF_UNIX (unnamed)");
		else if (path[0] == '\0')
			snprintf(buf, size, "AF_UNIX @%.*s", (int)(plen - 1), path + 1);
		else
			snprintf(buf, size, "AF_UNIX %.*s", (int)strnlen(path, plen), path);
	} else if (family == AF_NETLINK) {
		snprintf(buf, size, "AF_NETLINK");
	} else {
		snprintf(buf, size, "AF_%u", (unsigned)family);
	}
	return buf;
}

const char *decode_epoll_op(int op)
{
	switch (op) {
	case 1:
		return "ADD";
	case 2:
		return "DEL";
	case 3:
		return "MOD";
	default:
		return NULL;
	}
}

int decode_is_restart(int64_t ret)
{
	return ret == -512 || ret == -513 || ret == -514 || ret == -516;
}

/* Names of errno values (asm-generic/errno*.h, plus the kernel-internal
 * codes of include/linux/errno.h that can leak to a tracer). */
static const char *const errno_names[] = {
	[1] = "EPERM",
	[2] = "ENOENT",
	[3] = "ESRCH",
	[4] = "EINTR",
	[5] = "EIO",
	[6] = "ENXIO",
	[7] = "E2BIG",
	[8] = "ENOEXEC",
	[9] = "EBADF",
	[10] = "ECHILD",
	[11] = "EAGAIN",
	[12] = "ENOMEM",
	[13] = "EACCES",
	[14] = "EFAULT",
	[15] = "ENOTBLK",
	[16] = "EBUSY",
	[17] = "EEXIST",
	[18] = "EXDEV",
	[19] = "ENODEV",
	[20] = "ENOTDIR",
	[21] = "EISDIR",
	[22] = "EINVAL",
	[23] = "ENFILE",
	[24] = "EMFILE",
	[25] = "ENOTTY",
	[26] = "ETXTBSY",
	[27] = "EFBIG",
	[28] = "ENOSPC",
	[29] = "ESPIPE",
	[30] = "EROFS",
	[31] = "EMLINK",
	[32] = "EPIPE",
	[33] = "EDOM",
	[34] = "ERANGE",
	[35] = "EDEADLK",
	[36] = "ENAMETOOLONG",
	[37] = "ENOLCK",
	[38] = "ENOSYS",
	[39] = "ENOTEMPTY",
	[40] = "ELOOP",
	[42] = "ENOMSG",
	[43] = "EIDRM",
	[44] = "ECHRNG",
	[45] = "EL2NSYNC",
	[46] = "EL3HLT",
	[47] = "EL3RST",
	[48] = "ELNRNG",
	[49] = "EUNATCH",
	[50] = "ENOCSI",
	[51] = "EL2HLT",
	[52] = "EBADE",
	[53] = "EBADR",
	[54] = "EXFULL",
	[55] = "ENOANO",
	[56] = "EBADRQC",
	[57] = "EBADSLT",
	[59] = "EBFONT",
	[60] = "ENOSTR",
	[61] = "ENODATA",
	[62] = "ETIME",
	[63] = "ENOSR",
	[64] = "ENONET",
	[65] = "ENOPKG",
	[66] = "EREMOTE",
	[67] = "ENOLINK",
	[68] = "EADV",
	[69] = "ESRMNT",
	[70] = "ECOMM",
	[71] = "EPROTO",
	[72] = "EMULTIHOP",
	[73] = "EDOTDOT",
	[74] = "EBADMSG",
	[75] = "EOVERFLOW",
	[76] = "ENOTUNIQ",
	[77] = "EBADFD",
	[78] = "EREMCHG",
	[79] = "ELIBACC",
	[80] = "ELIBBAD",
	[81] = "ELIBSCN",
	[82] = "ELIBMAX",
	[83] = "ELIBEXEC",
	[84] = "EILSEQ",
	[85] = "ERESTART",
	[86] = "ESTRPIPE",
	[87] = "EUSERS",
	[88] = "ENOTSOCK",
	[89] = "EDESTADDRREQ",
	[90] = "EMSGSIZE",
	[91] = "EPROTOTYPE",
	[92] = "ENOPROTOOPT",
	[93] = "EPROTONOSUPPORT",
	[94] = "ESOCKTNOSUPPORT",
	[95] = "EOPNOTSUPP",
	[96] = "EPFNOSUPPORT",
	[97] = "EAFNOSUPPORT",
	[98] = "EADDRINUSE",
	[99] = "EADDRNOTAVAIL",
	[100] = "ENETDOWN",
	[101] = "ENETUNREACH",
	[102] = "ENETRESET",
	[103] = "ECONNABORTED",
	[104] = "ECONNRESET",
	[105] = "ENOBUFS",
	[106] = "EISCONN",
	[107] = "ENOTCONN",
	[108] = "ESHUTDOWN",
	[109] = "ETOOMANYREFS",
	[110] = "ETIMEDOUT",
	[111] = "ECONNREFUSED",
	[112] = "EHOSTDOWN",
	[113] = "EHOSTUNREACH",
	[114] = "EALREADY",
	[115] = "EINPROGRESS",
	[116] = "ESTALE",
	[117] = "EUCLEAN",
	[118] = "ENOTNAM",
	[119] = "ENAVAIL",
	[120] = "EISNAM",
	[121] = "EREMOTEIO",
	[122] = "EDQUOT",
	[123] = "ENOMEDIUM",
	[124] = "EMEDIUMTYPE",
	[125] = "ECANCELED",
	[126] = "ENOKEY",
	[127] = "EKEYEXPIRED",
	[128] = "EKEYREVOKED",
	[129] = "EKEYREJECTED",
	[130] = "EOWNERDEAD",
	[131] = "ENOTRECOVERABLE",
	[132] = "ERFKILL",
	[133] = "EHWPOISON",
	[512] = "ERESTARTSYS",
	[513] = "ERESTARTNOINTR",
	[514] = "ERESTARTNOHAND",
	[515] = "ENOIOCTLCMD",
	[516] = "ERESTART_RESTARTBLOCK",
	[517] = "EPROBE_DEFER",
	[518] = "EOPENSTALLED",
	[521] = "EBADHANDLE",
	[522] = "ENOTSYNC",
	[523] = "EBADCOOKIE",
	[524] = "ENOTSUPP",
	[525] = "ETOOSMALL",
	[526] = "ESERVERFAULT",
	[527] = "EBADTYPE",
	[528] = "EJUKEBOX",
	[529] = "EIOCBQUEUED",
	[530] = "ERECALLCONFLICT",
};

const char *decode_errno_name(int err)
{
	if (err <= 0 || (size_t)err >= sizeof(errno_names) / sizeof(errno_names[0]))
		return NULL;
	return errno_names[err];
}
