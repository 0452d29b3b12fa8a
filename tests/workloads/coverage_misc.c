/* Coverage group "misc": the Sched, Security, Time and Misc families. Every
 * syscall gets one call that succeeds and one that fails (tests/coverage/
 * expect-misc.txt lists those that cannot do both). Calls that change the
 * state of a process run in a forked grandchild; those with global effect
 * run inside private namespaces, or are made as no-ops that rewrite the
 * current value. */
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/ioprio.h>
#include <linux/keyctl.h>
#include <linux/landlock.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/syscalls.h"
#include "tests/workloads/coverage.h"

#define NOPATH COVERAGE_NOPATH
#define NOPID  2000000000  /* above pid_max: no such process */
#define BADPTR ((void *)1) /* never mapped: EFAULT */

/* struct sched_attr (linux/sched/types.h), version 1 with utilization. */
struct sched_attr_v1 {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

/* struct lsm_ctx and LSM_ATTR_CURRENT (linux/lsm.h, absent here). */
struct lsm_ctx_hdr {
	uint64_t id;
	uint64_t flags;
	uint64_t len;
	uint64_t ctx_len;
};
#define LSM_ATTR_CURRENT 100

/* Syscalls the kernel no longer has, or never had, on x86_64: ENOSYS. */
static void gone(void)
{
	static const char *const names[] = {
		"_sysctl",	 "afs_syscall",	    "getpmsg",	    "putpmsg",
		"security",	 "tuxcall",	    "vserver",	    "lookup_dcookie",
		"create_module", "get_kernel_syms", "query_module", NULL,
	};

	for (int i = 0; names[i]; i++)
		if (coverage_nr(names[i]) >= 0)
			syscall(coverage_nr(names[i]), 0, 0, 0, 0, 0, 0);
}

/* System information: uname, sysinfo, getrandom, syslog. */
static void sysinfo_calls(void)
{
	struct utsname u;
	struct sysinfo si;
	char buf[16];

	syscall(SYS_uname, &u);
	syscall(SYS_uname, BADPTR); /* EFAULT */
	syscall(SYS_sysinfo, &si);
	syscall(SYS_sysinfo, BADPTR); /* EFAULT */
	syscall(SYS_getrandom, buf, sizeof(buf), GRND_NONBLOCK);
	syscall(SYS_getrandom, buf, sizeof(buf), 0xff00); /* EINVAL: flags */
	syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	syscall(SYS_syslog, 99, NULL, 0); /* EINVAL: no such action */
}

/* Host and domain names, in a private UTS namespace. */
static void uts_names(void)
{
	char big[128];

	memset(big, 'x', sizeof(big));
	if (syscall(SYS_unshare, CLONE_NEWUTS))
		return;
	syscall(SYS_sethostname, "ior-coverage", 12);
	syscall(SYS_sethostname, big, sizeof(big)); /* EINVAL: longer than 64 */
	syscall(SYS_setdomainname, "ior-coverage", 12);
	syscall(SYS_setdomainname, big, sizeof(big)); /* EINVAL */
}

/* I/O port permissions: dropping permissions we do not have is a no-op
 * (ENOSYS on a kernel without CONFIG_X86_IOPL_IOPERM). */
static void io_ports(void)
{
	syscall(SYS_ioperm, 0x80, 1, 0);
	syscall(SYS_ioperm, 0xffff, 2, 0); /* EINVAL: past the last port */
	syscall(SYS_iopl, 0);		   /* the level we have */
	syscall(SYS_iopl, 4);		   /* EINVAL: above 3 */
}

/* reboot: only the ctrl-alt-del switch, set to the value it already has. */
static void reboot_calls(void)
{
	char c = 0;
	int fd = open("/proc/sys/kernel/ctrl-alt-del", O_RDONLY);

	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, 0, LINUX_REBOOT_CMD_CAD_ON,
		NULL); /* EINVAL: magic */
	if (fd < 0)
		return;
	if (read(fd, &c, 1) == 1) {
		if (c == '1')
			syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
				LINUX_REBOOT_CMD_CAD_ON, NULL);
		else if (c == '0')
			syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
				LINUX_REBOOT_CMD_CAD_OFF, NULL);
	}
	close(fd);
}

/* vhangup without CAP_SYS_TTY_CONFIG: capset drops every capability. */
static void hangup_unprivileged(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d) == 0)
		syscall(SYS_vhangup); /* EPERM */
}

/* Capabilities: read them, write them back unchanged. */
static void caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_header_struct bad = { 0x12345678, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	syscall(SYS_capget, &bad, d); /* EINVAL: unknown version */
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = 0;
	syscall(SYS_capset, &h, d);
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = 1;
	syscall(SYS_capset, &h, d); /* EPERM: only our own */
	syscall(SYS_vhangup);	    /* no controlling terminal: harmless */
	coverage_fork(hangup_unprivileged);
}

/* BPF: an array map, freed when closed; perf: a software counter on us. */
static void bpf_perf(void)
{
	union bpf_attr attr;
	struct perf_event_attr pe;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd >= 0)
		close(fd);
	syscall(SYS_bpf, 9999, &attr, sizeof(attr)); /* EINVAL: no such command */

	memset(&pe, 0, sizeof(pe));
	pe.type = PERF_TYPE_SOFTWARE;
	pe.size = sizeof(pe);
	pe.config = PERF_COUNT_SW_TASK_CLOCK;
	pe.disabled = 1;
	pe.exclude_kernel = 1;
	pe.exclude_hv = 1;
	fd = syscall(SYS_perf_event_open, &pe, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd >= 0)
		close(fd);
	syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0xff00); /* EINVAL: flags */
}

/* Kernel modules: only failures (loading or unloading would change the
 * kernel; ENOSYS on a kernel without CONFIG_MODULES). */
static void modules(void)
{
	syscall(SYS_init_module, NULL, 0, "");			      /* ENOEXEC: empty image */
	syscall(SYS_finit_module, -1, "", 0);			      /* EBADF */
	syscall(SYS_delete_module, "ior_no_such_module", O_NONBLOCK); /* ENOENT */
}

/* Keys, in a fresh session keyring of a grandchild: a "user" key added,
 * found, and invalidated; the keyring goes with the process. */
static void keys_child(void)
{
	static const char data[] = "ior";
	long key;

	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		return;
	key = syscall(SYS_add_key, "user", "ior:coverage", data, sizeof(data),
		      KEY_SPEC_SESSION_KEYRING);
	syscall(SYS_add_key, "ior-no-such-type", "ior:coverage", data, sizeof(data),
		KEY_SPEC_SESSION_KEYRING); /* ENODEV */
	syscall(SYS_request_key, "user", "ior:coverage", NULL, KEY_SPEC_SESSION_KEYRING);
	syscall(SYS_request_key, "user", "ior:absent", NULL, 0); /* ENOKEY: no upcall */
	syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	syscall(SYS_keyctl, 9999, 0, 0); /* EOPNOTSUPP */
	if (key > 0)
		syscall(SYS_keyctl, KEYCTL_INVALIDATE, key);
}

/* Landlock: a ruleset with one rule, enforced on a grandchild. */
static const char *landlock_dir;

static void landlock_child(void)
{
	struct landlock_ruleset_attr ra = { .handled_access_fs = LANDLOCK_ACCESS_FS_EXECUTE };
	struct landlock_path_beneath_attr pb = { .allowed_access = LANDLOCK_ACCESS_FS_EXECUTE };
	long rs;

	syscall(coverage_nr("landlock_create_ruleset"), NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	rs = syscall(coverage_nr("landlock_create_ruleset"), &ra, sizeof(ra), 0);
	syscall(coverage_nr("landlock_create_ruleset"), &ra, sizeof(ra), 0x80); /* EINVAL */
	pb.parent_fd = open(landlock_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	syscall(coverage_nr("landlock_add_rule"), rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	syscall(coverage_nr("landlock_add_rule"), -1, LANDLOCK_RULE_PATH_BENEATH, &pb,
		0);					       /* EBADF */
	syscall(coverage_nr("landlock_restrict_self"), -1, 0); /* EBADF */
	syscall(coverage_nr("landlock_restrict_self"), rs, 0);
	if (pb.parent_fd >= 0)
		close(pb.parent_fd);
	if (rs >= 0)
		close(rs);
}

/* LSM attributes of our own process. */
static void lsm_attrs(void)
{
	uint64_t ids[32];
	uint32_t size = sizeof(ids);
	char ctx[4096];
	uint32_t csize = sizeof(ctx);
	struct lsm_ctx_hdr *h = (void *)ctx;

	syscall(coverage_nr("lsm_list_modules"), ids, &size, 0);
	size = sizeof(ids);
	syscall(coverage_nr("lsm_list_modules"), ids, &size, 1); /* EINVAL: flags */
	syscall(coverage_nr("lsm_get_self_attr"), LSM_ATTR_CURRENT, ctx, &csize, 0);
	csize = sizeof(ctx);
	syscall(coverage_nr("lsm_get_self_attr"), 9999, ctx, &csize, 0); /* EOPNOTSUPP */
	memset(ctx, 0, sizeof(ctx));
	h->len = sizeof(*h);
	syscall(coverage_nr("lsm_set_self_attr"), LSM_ATTR_CURRENT, ctx, sizeof(*h),
		1); /* EINVAL */
}

/* seccomp: ask whether an action is known. */
static void seccomp_calls(void)
{
	uint32_t action = SECCOMP_RET_KILL_PROCESS;

	syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action);
	syscall(SYS_seccomp, 99, 0, NULL); /* EINVAL: no such operation */
}

/* Scheduling queries. */
static void sched_queries(void)
{
	struct sched_attr_v1 a;
	struct sched_param sp;
	struct timespec ts;
	unsigned int cpu, node;
	char mask[128];

	syscall(SYS_getcpu, &cpu, &node, NULL);
	syscall(SYS_getcpu, BADPTR, NULL, NULL); /* EFAULT */
	syscall(SYS_getpriority, PRIO_PROCESS, 0);
	syscall(SYS_getpriority, 99, 0); /* EINVAL */
	syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
	syscall(SYS_ioprio_get, 99, 0); /* EINVAL */
	syscall(SYS_sched_get_priority_max, SCHED_FIFO);
	syscall(SYS_sched_get_priority_max, 99); /* EINVAL */
	syscall(SYS_sched_get_priority_min, SCHED_FIFO);
	syscall(SYS_sched_get_priority_min, 99); /* EINVAL */
	syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	syscall(SYS_sched_getaffinity, NOPID, sizeof(mask), mask); /* ESRCH */
	syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0);
	syscall(SYS_sched_getattr, 0, &a, sizeof(a), 1); /* EINVAL: flags */
	syscall(SYS_sched_getparam, 0, &sp);
	syscall(SYS_sched_getparam, -1, &sp); /* EINVAL */
	syscall(SYS_sched_getscheduler, 0);
	syscall(SYS_sched_getscheduler, -1); /* EINVAL */
	syscall(SYS_sched_rr_get_interval, 0, &ts);
	syscall(SYS_sched_rr_get_interval, -1, &ts); /* EINVAL */
	syscall(SYS_sched_yield);
}

/* Scheduling changes, made to a grandchild (to values it has already, or
 * lower ones). */
static void sched_changes(void)
{
	struct sched_attr_v1 a;
	struct sched_param sp = { 0 };
	char mask[128];
	long prio, n;

	n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	if (n > 0)
		syscall(SYS_sched_setaffinity, 0, n, mask);
	syscall(SYS_sched_setaffinity, NOPID, sizeof(mask), mask); /* ESRCH */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = SCHED_OTHER;
	a.sched_nice = 1;
	syscall(SYS_sched_setattr, 0, &a, 0);
	a.sched_policy = 99;
	syscall(SYS_sched_setattr, 0, &a, 0); /* EINVAL: no such policy */
	syscall(SYS_sched_setparam, 0, &sp);
	sp.sched_priority = 50;
	syscall(SYS_sched_setparam, 0, &sp); /* EINVAL: SCHED_OTHER wants 0 */
	sp.sched_priority = 0;
	syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &sp);
	syscall(SYS_sched_setscheduler, 0, 99, &sp); /* EINVAL */
	syscall(SYS_setpriority, PRIO_PROCESS, 0, 2);
	syscall(SYS_setpriority, 99, 0, 2); /* EINVAL */
	prio = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
	if (prio >= 0)
		syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, prio);
	syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(7, 0)); /* EINVAL */
}

/* Clocks: read them; adjtimex and clock_adjtime with modes 0 only read. */
static void clocks(void)
{
	struct timespec ts, zero = { 0, 0 };
	struct timeval tv;
	struct timex tx;
	struct tms t;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	syscall(SYS_clock_gettime, 999, &ts); /* EINVAL */
	syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
	syscall(SYS_clock_getres, 999, &ts);	/* EINVAL */
	syscall(SYS_clock_settime, 999, &zero); /* EINVAL */
	syscall(SYS_gettimeofday, &tv, NULL);
	syscall(SYS_gettimeofday, BADPTR, NULL); /* EFAULT */
	/* Neither time nor zone: checks the capability, changes nothing. */
	syscall(SYS_settimeofday, NULL, NULL);
	syscall(SYS_settimeofday, NULL, &(struct timezone){ 100000, 0 }); /* EINVAL */
	syscall(SYS_time, NULL);
	syscall(SYS_time, BADPTR); /* EFAULT */
	syscall(SYS_times, &t);
	syscall(SYS_times, BADPTR); /* EFAULT */
	memset(&tx, 0, sizeof(tx));
	syscall(SYS_adjtimex, &tx);
	syscall(SYS_adjtimex, BADPTR); /* EFAULT */
	memset(&tx, 0, sizeof(tx));
	syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
	syscall(SYS_clock_adjtime, 999, &tx); /* EINVAL */
}

/* Interval timers, alarms and POSIX timers of our own. */
static void timers(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	struct itimerspec its = { { 0, 0 }, { 100, 0 } }, cur;
	struct itimerval itv;
	int id = -1;
	long left;

	syscall(SYS_getitimer, ITIMER_REAL, &itv);
	syscall(SYS_getitimer, 99, &itv); /* EINVAL */
	/* Cancels the group's 20 s watchdog alarm, then sets it back. */
	left = syscall(SYS_alarm, 0);
	syscall(SYS_alarm, left);
	syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id);
	syscall(SYS_timer_create, 999, &sev, &id); /* EINVAL */
	syscall(SYS_timer_settime, id, 0, &its, NULL);
	syscall(SYS_timer_settime, 9999, 0, &its, NULL); /* EINVAL: no such timer */
	syscall(SYS_timer_gettime, id, &cur);
	syscall(SYS_timer_gettime, 9999, &cur); /* EINVAL */
	syscall(SYS_timer_getoverrun, id);
	syscall(SYS_timer_getoverrun, 9999); /* EINVAL */
	syscall(SYS_timer_delete, id);
	syscall(SYS_timer_delete, id); /* EINVAL: deleted */
}

void coverage_misc(const char *dir)
{
	landlock_dir = dir;
	gone();
	sysinfo_calls();
	coverage_fork(uts_names);
	io_ports();
	reboot_calls();
	caps();
	bpf_perf();
	modules();
	coverage_fork(keys_child);
	coverage_fork(landlock_child);
	lsm_attrs();
	seccomp_calls();
	sched_queries();
	coverage_fork(sched_changes);
	clocks();
	timers();
}
