/* Names of roles, families, byte classes and flags as the rules spell them,
 * and the assignment of arg roles: defaults from the tracepoint field names
 * and types, then the explicit overrides of gen/rules.txt. */
#include <string.h>

#include "bpf/ior_event.h"
#include "core/syscalls.h"
#include "gen/gen.h"

/* Rule spelling and doc wording of each role; NULL wording: not listed. */
static const struct {
	const char *name;
	const char *doc;
} roles[IOR_ROLE_MAX] = {
	[IOR_ROLE_NONE] = { "NONE", NULL },
	[IOR_ROLE_FD] = { "FD", "fd" },
	[IOR_ROLE_FD2] = { "FD2", "fd2" },
	[IOR_ROLE_DIRFD] = { "DIRFD", "dirfd" },
	[IOR_ROLE_DIRFD2] = { "DIRFD2", "dirfd2" },
	[IOR_ROLE_PATH] = { "PATH", "path" },
	[IOR_ROLE_OLDPATH] = { "OLDPATH", "old path" },
	[IOR_ROLE_NAME] = { "NAME", "name" },
	[IOR_ROLE_SOCKADDR] = { "SOCKADDR", "sockaddr" },
	[IOR_ROLE_SOCKADDR_OUT] = { "SOCKADDR_OUT", "sockaddr (out)" },
	[IOR_ROLE_SOCKLEN] = { "SOCKLEN", NULL },
	[IOR_ROLE_SOCKLEN_PTR] = { "SOCKLEN_PTR", NULL },
	[IOR_ROLE_OPEN_FLAGS] = { "OPEN_FLAGS", "open flags" },
	[IOR_ROLE_OPEN_HOW] = { "OPEN_HOW", "open_how" },
	[IOR_ROLE_FDPAIR_OUT] = { "FDPAIR_OUT", "fd pair (out)" },
	[IOR_ROLE_CWD_OUT] = { "CWD_OUT", "cwd (out)" },
	[IOR_ROLE_MSGHDR_OUT] = { "MSGHDR_OUT", "fds received (SCM_RIGHTS)" },
	[IOR_ROLE_EPOLL_OP] = { "EPOLL_OP", "epoll op" },
	[IOR_ROLE_EPOLL_EVENT] = { "EPOLL_EVENT", "epoll event" },
	[IOR_ROLE_TIMESPEC] = { "TIMESPEC", "requested sleep" },
	[IOR_ROLE_COUNT] = { "COUNT", "count" },
	[IOR_ROLE_LEN] = { "LEN", "len" },
	[IOR_ROLE_ADDR] = { "ADDR", "addr" },
	[IOR_ROLE_LEN2] = { "LEN2", "new len" },
	[IOR_ROLE_FCNTL_CMD] = { "FCNTL_CMD", "fcntl cmd" },
	[IOR_ROLE_FLAGS] = { "FLAGS", "flags" },
	[IOR_ROLE_FD_FIRST] = { "FD_FIRST", "fd range" },
	[IOR_ROLE_FD_LAST] = { "FD_LAST", NULL },
};

static const struct {
	const char *name, *enum_name;
} families[FAMILY_COUNT] = {
	[FAMILY_FS] = { "FS", "FAMILY_FS" },
	[FAMILY_NETWORK] = { "Network", "FAMILY_NETWORK" },
	[FAMILY_IPC] = { "IPC", "FAMILY_IPC" },
	[FAMILY_MEMORY] = { "Memory", "FAMILY_MEMORY" },
	[FAMILY_PROCESS] = { "Process", "FAMILY_PROCESS" },
	[FAMILY_SIGNALS] = { "Signals", "FAMILY_SIGNALS" },
	[FAMILY_TIME] = { "Time", "FAMILY_TIME" },
	[FAMILY_SCHED] = { "Sched", "FAMILY_SCHED" },
	[FAMILY_SECURITY] = { "Security", "FAMILY_SECURITY" },
	[FAMILY_AIO] = { "AIO", "FAMILY_AIO" },
	[FAMILY_POLLING] = { "Polling", "FAMILY_POLLING" },
	[FAMILY_MISC] = { "Misc", "FAMILY_MISC" },
};

static const struct {
	const char *name, *enum_name;
} byte_classes[] = {
	[BYTES_NONE] = { "NONE", "BYTES_NONE" },
	[BYTES_READ] = { "READ", "BYTES_READ" },
	[BYTES_WRITE] = { "WRITE", "BYTES_WRITE" },
	[BYTES_TRANSFER] = { "TRANSFER", "BYTES_TRANSFER" },
};

static const struct {
	unsigned bit;
	const char *name;
} flags[] = {
	{ SYSCALL_NORETURN, "NORETURN" }, { SYSCALL_RET_FD, "RET_FD" },
	{ SYSCALL_EXEC, "EXEC" },	  { SYSCALL_CLOSES_FD, "CLOSES_FD" },
	{ SYSCALL_CWD, "CWD" },		  { SYSCALL_DUPS_FD, "DUPS_FD" },
	{ SYSCALL_RET_INT, "RET_INT" },
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

int gen_role_by_name(const char *name)
{
	for (int i = 0; i < IOR_ROLE_MAX; i++)
		if (roles[i].name && !strcmp(roles[i].name, name))
			return i;
	return -1;
}

const char *gen_role_name(int role)
{
	return role >= 0 && role < IOR_ROLE_MAX ? roles[role].name : NULL;
}

int gen_family_by_name(const char *name)
{
	for (int i = 0; i < FAMILY_COUNT; i++)
		if (!strcmp(families[i].name, name))
			return i;
	return -1;
}

const char *gen_family_name(int family)
{
	return family >= 0 && family < FAMILY_COUNT ? families[family].name : NULL;
}

const char *gen_family_enum(int family)
{
	return family >= 0 && family < FAMILY_COUNT ? families[family].enum_name : NULL;
}

int gen_byte_class_by_name(const char *name)
{
	for (size_t i = 0; i < COUNT_OF(byte_classes); i++)
		if (!strcmp(byte_classes[i].name, name))
			return (int)i;
	return -1;
}

const char *gen_byte_class_name(int byte_class)
{
	if (byte_class == BYTES_NONE)
		return "–";
	return byte_class > 0 && (size_t)byte_class < COUNT_OF(byte_classes)
		       ? byte_classes[byte_class].name
		       : NULL;
}

const char *gen_byte_class_enum(int byte_class)
{
	return byte_class >= 0 && (size_t)byte_class < COUNT_OF(byte_classes)
		       ? byte_classes[byte_class].enum_name
		       : NULL;
}

int gen_flag_by_name(const char *name)
{
	for (size_t i = 0; i < COUNT_OF(flags); i++)
		if (!strcmp(flags[i].name, name))
			return (int)flags[i].bit;
	return -1;
}

const char *gen_flag_name(unsigned bit)
{
	for (size_t i = 0; i < COUNT_OF(flags); i++)
		if (flags[i].bit == bit)
			return flags[i].name;
	return NULL;
}

static bool is_string(const char *type)
{
	return !strcmp(type, "const char *") || !strcmp(type, "char *");
}

static bool is_integer(const char *type)
{
	return !strchr(type, '*');
}

static bool name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

/* The defaults. A descriptor is an integer field called fd; a base directory
 * is one called dfd, dirfd or olddfd (newdfd for the second path); a path is a
 * string called filename, pathname, path, newname or newpath, and the source
 * of a two-path call (rename, link, symlink's target) is oldname or oldpath.
 * Everything else is NONE unless a rule says otherwise. */
int gen_default_role(const char *type, const char *name)
{
	static const char *const dirfds[] = { "dfd", "dirfd", "olddfd", NULL };
	static const char *const paths[] = { "filename", "pathname", "path",
					     "newname",	 "newpath",  NULL };
	static const char *const oldpaths[] = { "oldname", "oldpath", NULL };

	if (is_integer(type)) {
		if (!strcmp(name, "fd"))
			return IOR_ROLE_FD;
		if (name_in(name, dirfds))
			return IOR_ROLE_DIRFD;
		if (!strcmp(name, "newdfd"))
			return IOR_ROLE_DIRFD2;
	} else if (is_string(type)) {
		if (name_in(name, paths))
			return IOR_ROLE_PATH;
		if (name_in(name, oldpaths))
			return IOR_ROLE_OLDPATH;
	}
	return IOR_ROLE_NONE;
}

static int find_role(const struct gen_syscall *sc, int role)
{
	for (int i = 0; i < sc->nargs; i++)
		if (sc->role[i] == role)
			return i;
	return -1;
}

/* What the BPF side and the tracker rely on: one arg per role, strings where
 * a string is read, lengths right after the sockaddr they measure. */
static int check_roles(const struct gen_syscall *sc, const char *rules_path)
{
	int line = sc->rule_line;

	for (int i = 0; i < sc->nargs; i++) {
		int r = sc->role[i];
		const char *type = sc->arg[i].type;

		if (r == IOR_ROLE_NONE)
			continue;
		for (int j = i + 1; j < sc->nargs; j++)
			if (sc->role[j] == r)
				return gen_error(rules_path, line, "%s: role %s given to %s and %s",
						 sc->name, roles[r].name, sc->arg[i].name,
						 sc->arg[j].name);
		switch (r) {
		case IOR_ROLE_PATH:
		case IOR_ROLE_OLDPATH:
		case IOR_ROLE_NAME:
		case IOR_ROLE_CWD_OUT:
			if (!strstr(type, "char *"))
				return gen_error(rules_path, line, "%s: %s is %s, not a string",
						 sc->name, sc->arg[i].name, roles[r].name);
			break;
		case IOR_ROLE_FD:
		case IOR_ROLE_FD2:
		case IOR_ROLE_DIRFD:
		case IOR_ROLE_DIRFD2:
		case IOR_ROLE_FD_FIRST:
		case IOR_ROLE_FD_LAST:
			if (!is_integer(type))
				return gen_error(rules_path, line, "%s: %s (%s) cannot be %s",
						 sc->name, sc->arg[i].name, type, roles[r].name);
			break;
		case IOR_ROLE_SOCKADDR:
			if (i + 1 >= sc->nargs || sc->role[i + 1] != IOR_ROLE_SOCKLEN)
				return gen_error(rules_path, line,
						 "%s: SOCKADDR must be followed by SOCKLEN",
						 sc->name);
			break;
		case IOR_ROLE_SOCKADDR_OUT:
			if (i + 1 >= sc->nargs || sc->role[i + 1] != IOR_ROLE_SOCKLEN_PTR)
				return gen_error(rules_path, line,
						 "%s: SOCKADDR_OUT must be followed by SOCKLEN_PTR",
						 sc->name);
			break;
		case IOR_ROLE_MSGHDR_OUT:
			/* bpf/ and the tracker look for it there (recvmsg's msg),
			 * outside their per-arg loops, to keep the verifier's work
			 * small. */
			if (i != 1)
				return gen_error(rules_path, line,
						 "%s: MSGHDR_OUT must be the second arg", sc->name);
			break;
		default:
			break;
		}
	}
	if ((find_role(sc, IOR_ROLE_FD_FIRST) < 0) != (find_role(sc, IOR_ROLE_FD_LAST) < 0))
		return gen_error(rules_path, line, "%s: FD_FIRST and FD_LAST go together",
				 sc->name);
	if (find_role(sc, IOR_ROLE_DIRFD2) >= 0 && find_role(sc, IOR_ROLE_PATH) < 0)
		return gen_error(rules_path, line, "%s: DIRFD2 without a PATH", sc->name);
	return 0;
}

int gen_assign_roles(struct gen_db *db, const char *rules_path)
{
	for (int i = 0; i < IOR_ROLE_MAX; i++)
		if (!roles[i].name)
			return gen_error("gen/gen_roles.c", 0,
					 "role %d of bpf/ior_event.h has no name", i);
	for (size_t k = 0; k < db->n; k++) {
		struct gen_syscall *sc = &db->v[k];

		for (int i = 0; i < sc->nargs; i++)
			sc->role[i] = (uint8_t)gen_default_role(sc->arg[i].type, sc->arg[i].name);
		for (int o = 0; o < sc->noverride; o++) {
			int i;

			for (i = 0; i < sc->nargs; i++)
				if (!strcmp(sc->arg[i].name, sc->override_arg[o]))
					break;
			if (i == sc->nargs)
				return gen_error(rules_path, sc->rule_line,
						 "%s has no arg named %s", sc->name,
						 sc->override_arg[o]);
			sc->role[i] = (uint8_t)sc->override_role[o];
		}
		if (check_roles(sc, rules_path) < 0)
			return -1;
	}
	return 0;
}

static void add_part(struct gen_buf *out, const char *s)
{
	if (out->len)
		gen_buf_puts(out, ", ");
	gen_buf_puts(out, s);
}

/* "fd", or "fd `epfd`" when the descriptor is not called fd. */
static void add_named(struct gen_buf *out, const struct gen_syscall *sc, int role, const char *fd)
{
	int i = find_role(sc, role);

	if (i < 0)
		return;
	if (out->len)
		gen_buf_puts(out, ", ");
	if (strcmp(sc->arg[i].name, fd) != 0)
		gen_buf_printf(out, "%s `%s`", roles[role].doc, sc->arg[i].name);
	else
		gen_buf_puts(out, roles[role].doc);
}

/* The paths as the tracker pairs them: the old path hangs off DIRFD, the
 * path off DIRFD2 when there is one, else off DIRFD. */
static void add_paths(struct gen_buf *out, const struct gen_syscall *sc)
{
	bool dirfd = find_role(sc, IOR_ROLE_DIRFD) >= 0;
	bool dirfd2 = find_role(sc, IOR_ROLE_DIRFD2) >= 0;
	bool old = find_role(sc, IOR_ROLE_OLDPATH) >= 0;
	bool path = find_role(sc, IOR_ROLE_PATH) >= 0;
	struct gen_buf s = { 0 };

	if (old && path)
		gen_buf_printf(&s, "%sold path → %snew path", dirfd ? "dirfd+" : "",
			       dirfd2 ? "dirfd2+" : "");
	else if (path)
		gen_buf_printf(&s, "%spath", dirfd2 ? "dirfd2+" : dirfd ? "dirfd+" : "");
	else if (old)
		gen_buf_printf(&s, "%sold path", dirfd ? "dirfd+" : "");
	else if (dirfd)
		gen_buf_puts(&s, "dirfd");
	if (s.len)
		add_part(out, s.data);
	gen_buf_fini(&s);
}

void gen_captured(const struct gen_syscall *sc, struct gen_buf *out)
{
	static const int rest[] = {
		IOR_ROLE_NAME,	     IOR_ROLE_SOCKADDR,	  IOR_ROLE_SOCKADDR_OUT,
		IOR_ROLE_OPEN_FLAGS, IOR_ROLE_OPEN_HOW,	  IOR_ROLE_FDPAIR_OUT,
		IOR_ROLE_CWD_OUT,    IOR_ROLE_EPOLL_OP,	  IOR_ROLE_EPOLL_EVENT,
		IOR_ROLE_TIMESPEC,   IOR_ROLE_COUNT,	  IOR_ROLE_ADDR,
		IOR_ROLE_LEN,	     IOR_ROLE_LEN2,	  IOR_ROLE_FCNTL_CMD,
		IOR_ROLE_FLAGS,	     IOR_ROLE_MSGHDR_OUT,
	};

	if (find_role(sc, IOR_ROLE_FD_FIRST) >= 0)
		add_part(out, roles[IOR_ROLE_FD_FIRST].doc);
	add_named(out, sc, IOR_ROLE_FD, "fd");
	add_named(out, sc, IOR_ROLE_FD2, "fd2");
	add_paths(out, sc);
	for (size_t i = 0; i < COUNT_OF(rest); i++)
		if (find_role(sc, rest[i]) >= 0)
			add_part(out, roles[rest[i]].doc);
	if (!out->len)
		gen_buf_puts(out, "–");
}
