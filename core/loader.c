/* BPF lifecycle: skeleton open/load/attach, the syscall spec map, targets. */
#include "core/loader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf/ior_event.h"
#include "core/log.h"
#include "core/syscalls.h"
#include "core/xalloc.h"
#include "ior.skel.h"

struct loader {
	struct ior_bpf *skel;
	int ncpus;
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return log_libbpf(level, fmt, ap);
}

static bool role_reads(int role)
{
	switch (role) {
	case IOR_ROLE_PATH:
	case IOR_ROLE_OLDPATH:
	case IOR_ROLE_NAME:
	case IOR_ROLE_SOCKADDR:
	case IOR_ROLE_SOCKADDR_OUT:
	case IOR_ROLE_FDPAIR_OUT:
	case IOR_ROLE_OPEN_HOW:
	case IOR_ROLE_EPOLL_EVENT:
	case IOR_ROLE_TIMESPEC:
	case IOR_ROLE_CWD_OUT:
	case IOR_ROLE_MSGHDR_OUT:
		return true;
	default:
		return false;
	}
}

static bool is_fork(const char *name)
{
	return !strcmp(name, "fork") || !strcmp(name, "vfork") || !strcmp(name, "clone") ||
	       !strcmp(name, "clone3");
}

/* The args a record of a call that reads nothing carries: all of them,
 * except for calls whose args only name descriptors (and counts, pointers
 * the tracker never looks at): those up to the last descriptor. The read
 * and write family then sends 56-byte records instead of 80 (issue 10).
 * Calls the tracker reads other args of by number (dup3's flags, fcntl's
 * value, the fd-creating and process calls) keep them all. */
static int args_needed(const struct syscall_info *info)
{
	int need = 0;

	if (info->flags & (SYSCALL_NORETURN | SYSCALL_RET_FD | SYSCALL_EXEC | SYSCALL_DUPS_FD |
			   SYSCALL_CLOSES_FD | SYSCALL_CWD) ||
	    is_fork(info->name))
		return info->nargs;
	for (int i = 0; i < info->nargs && i < 6; i++) {
		switch (info->role[i]) {
		case IOR_ROLE_NONE:
		case IOR_ROLE_COUNT:
			break;
		case IOR_ROLE_FD:
		case IOR_ROLE_FD2:
			need = i + 1;
			break;
		default:
			return info->nargs;
		}
	}
	return need;
}

/* The kernel's view of one syscall: what to read and whether to emit. */
static struct ior_sc_spec spec_for(int nr, const uint8_t *keep)
{
	const struct syscall_info *info = syscall_by_nr(nr);
	struct ior_sc_spec spec = { 0 };

	if (!keep || keep[nr])
		spec.flags |= IOR_SCF_KEEP;
	if (!info) {
		spec.nargs = 6;
		return spec;
	}
	spec.nargs = (uint8_t)args_needed(info);
	memcpy(spec.role, info->role, sizeof(spec.role));
	for (int i = 0; i < 6; i++) {
		if (role_reads(info->role[i]))
			spec.flags |= IOR_SCF_READS;
		if (info->role[i] == IOR_ROLE_FDPAIR_OUT || info->role[i] == IOR_ROLE_MSGHDR_OUT)
			spec.flags |= IOR_SCF_STATE;
	}
	if (info->flags &
	    (SYSCALL_RET_FD | SYSCALL_CLOSES_FD | SYSCALL_CWD | SYSCALL_DUPS_FD | SYSCALL_EXEC))
		spec.flags |= IOR_SCF_STATE;
	if (info->flags & SYSCALL_RET_FD)
		spec.flags |= IOR_SCF_RET_FD;
	if (info->flags & SYSCALL_EXEC)
		spec.flags |= IOR_SCF_EXEC;
	if (is_fork(info->name))
		spec.flags |= IOR_SCF_FORK;
	/* exit and exit_group never reach sys_exit; rt_sigreturn does. */
	if ((info->flags & SYSCALL_NORETURN) && strcmp(info->name, "rt_sigreturn") != 0)
		spec.flags |= IOR_SCF_AT_ENTER;
	return spec;
}

static int fill_specs(struct loader *l, const uint8_t *keep, struct ior_err *err)
{
	int fd = bpf_map__fd(l->skel->maps.sc_spec);

	for (__u32 nr = 0; nr < IOR_NR_MAX; nr++) {
		struct ior_sc_spec spec = spec_for((int)nr, keep);

		if (bpf_map_update_elem(fd, &nr, &spec, BPF_ANY))
			return ior_err_set(err, -errno, "filling the syscall map: %s",
					   strerror(errno));
	}
	return 0;
}

static int load_error(int code, struct ior_err *err)
{
	if (code == -EPERM || code == -EACCES)
		return ior_err_set(err, code,
				   "cannot load BPF programs: permission denied (run as root or "
				   "with CAP_BPF and CAP_PERFMON)");
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return ior_err_set(err, code,
				   "cannot load BPF programs: this kernel has no BTF "
				   "(/sys/kernel/btf/vmlinux); ior needs CONFIG_DEBUG_INFO_BTF");
	return ior_err_set(err, code,
			   "cannot load BPF programs: %s (IOR_DEBUG=1 shows libbpf's messages)",
			   strerror(-code));
}

int loader_open(struct loader **out, const struct loader_opts *opts, struct ior_err *err)
{
	struct loader *l = xcalloc(1, sizeof(*l));
	int rc;

	libbpf_set_print(libbpf_print);
	l->ncpus = libbpf_num_possible_cpus();
	if (l->ncpus <= 0) {
		rc = ior_err_set(err, l->ncpus ? l->ncpus : -EINVAL, "cannot count CPUs");
		goto out;
	}
	l->skel = ior_bpf__open();
	if (!l->skel) {
		rc = load_error(-errno, err);
		goto out;
	}
	l->skel->rodata->self_tgid = (__u32)getpid();
	l->skel->rodata->trace_all = opts->trace_all;
	l->skel->rodata->follow = opts->follow;
	if (opts->ring_bytes) {
		rc = bpf_map__set_max_entries(l->skel->maps.events, (__u32)opts->ring_bytes);
		if (rc) {
			rc = ior_err_set(err, rc, "ring buffer size %zu: %s", opts->ring_bytes,
					 strerror(-rc));
			goto out;
		}
	}
	/* Forced wake-ups (an IRQ work interrupt on the traced CPU each) only
	 * past half the ring: the reader drains it every 10 ms anyway and never
	 * waits for the writer (core/spsc spills), so they are a safety valve,
	 * not the flow control they once were (issue 10). */
	l->skel->rodata->wakeup_bytes = opts->wakeup_bytes
						? opts->wakeup_bytes
						: bpf_map__max_entries(l->skel->maps.events) / 2;
	rc = ior_bpf__load(l->skel);
	if (rc) {
		rc = load_error(rc, err);
		goto out;
	}
	rc = fill_specs(l, opts->keep, err);
	if (rc)
		goto out;
	rc = ior_bpf__attach(l->skel);
	if (rc) {
		rc = ior_err_set(err, rc, "cannot attach BPF programs: %s", strerror(-rc));
		goto out;
	}
	*out = l;
	return 0;
out:
	loader_close(l);
	return rc;
}

void loader_close(struct loader *l)
{
	if (!l)
		return;
	ior_bpf__destroy(l->skel);
	free(l);
}

int loader_add_target(struct loader *l, pid_t tgid, int state, struct ior_err *err)
{
	__u32 key = (__u32)tgid, bit = IOR_TARGET_BIT(key);
	__u8 value = (__u8)state;

	/* The quick filter first: the programs look at it before the map. */
	__atomic_fetch_or(&l->skel->bss->target_bits[bit / 64], 1ull << (bit % 64),
			  __ATOMIC_RELAXED);
	if (bpf_map_update_elem(bpf_map__fd(l->skel->maps.targets), &key, &value, BPF_ANY))
		return ior_err_set(err, -errno, "cannot trace pid %d: %s", (int)tgid,
				   strerror(errno));
	return 0;
}

bool loader_has_target(struct loader *l, pid_t tgid)
{
	__u32 key = (__u32)tgid;
	__u8 value;

	return bpf_map_lookup_elem(bpf_map__fd(l->skel->maps.targets), &key, &value) == 0;
}

int loader_target_count(struct loader *l)
{
	int fd = bpf_map__fd(l->skel->maps.targets);
	__u32 key, next;
	int n = 0;

	if (bpf_map_get_next_key(fd, NULL, &key))
		return 0;
	do {
		n++;
	} while (bpf_map_get_next_key(fd, &key, &next) == 0 && (key = next, 1));
	return n;
}

int loader_ring_fd(struct loader *l)
{
	return bpf_map__fd(l->skel->maps.events);
}

uint64_t loader_lost(struct loader *l)
{
	__u64 per_cpu[l->ncpus];
	__u32 zero = 0;
	uint64_t total = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(l->skel->maps.lost), &zero, per_cpu))
		return 0;
	for (int i = 0; i < l->ncpus; i++)
		total += per_cpu[i];
	return total;
}
