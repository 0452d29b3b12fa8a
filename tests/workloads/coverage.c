/* Coverage workload: every syscall of the generated table that can be called
 * here without harming the machine, once with arguments made to fail
 * harmlessly (descriptor 0 = a scratch file in DIR, never a shared one such as
 * /dev/null, which fchmod(0, 0) as root would ruin; paths under a directory
 * that does not exist; NULL buffers) and, for many, once made to succeed. Calls that could
 * hurt the machine get explicit arguments that make them fail; a few are
 * skipped with a reason (tests/coverage/reasons.txt). Each group runs in a
 * child process that has left the terminal (setsid), so nothing it does
 * reaches the caller. usage: coverage DIR */
#include "tests/workloads/coverage.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf/ior_event.h"
#include "core/syscalls.h"

#define NOPATH COVERAGE_NOPATH

/* Never called with generic arguments: they get explicit ones below, or are
 * skipped (reasons.txt says why). */
static const char *const special[] = {
	"exit",		 "exit_group",	    "rt_sigreturn",    "vfork",
	"fork",		 "clone",	    "clone3",	       "pause",
	"select",	 "pselect6",	    "ppoll",	       "kill",
	"tkill",	 "tgkill",	    "rt_sigqueueinfo", "rt_tgsigqueueinfo",
	"sethostname",	 "setdomainname",   "shmctl",	       "msgctl",
	"semctl",	 "msgrcv",	    "msgsnd",	       "semop",
	"semtimedop",	 "shmat",	    "shmdt",	       "seccomp",
	"ptrace",	 "kexec_load",	    "kexec_file_load", "reboot",
	"uretprobe",	 "uprobe",	    "vhangup",	       "setsid",
	"execve",	 "execveat",	    "nanosleep",       "clock_nanosleep",
	"rt_sigsuspend", "epoll_pwait2",    "futex",	       "acct",
	"swapon",	 "swapoff",	    "close_range",     "settimeofday",
	"clock_settime", "adjtimex",	    "clock_adjtime",   "personality",
	"setrlimit",	 "prlimit64",	    "munlockall",      "mlockall",
	"sync",		 "syncfs",	    "io_destroy",      "unshare",
	"setns",	 "chroot",	    "pivot_root",      "timer_create",
	"setitimer",	 "alarm",	    "rt_sigtimedwait", "wait4",
	"waitid",	 "set_tid_address", "msgget",	       NULL,
};

static int is_special(const char *name)
{
	for (int i = 0; special[i]; i++)
		if (!strcmp(special[i], name))
			return 1;
	return 0;
}

/* Arguments from the table's roles: fd 0 (a scratch file of ours), paths that
 * cannot exist, names "user.ior", everything else 0. */
static void generic_args(const struct syscall_info *info, long *a)
{
	for (int i = 0; i < 6; i++) {
		a[i] = 0;
		if (i >= info->nargs)
			continue;
		switch (info->role[i]) {
		case IOR_ROLE_PATH:
		case IOR_ROLE_OLDPATH:
			a[i] = (long)NOPATH;
			break;
		case IOR_ROLE_NAME:
			a[i] = (long)"user.ior";
			break;
		case IOR_ROLE_DIRFD:
		case IOR_ROLE_DIRFD2:
			a[i] = AT_FDCWD;
			break;
		default:
			break;
		}
	}
}

/* The hand-written groups (tests/workloads/coverage_GROUP.c): each makes, for
 * the syscalls of its families, at least one call that succeeds and one that
 * fails. Weak, so that a group can be built and tried alone. */
#define GROUPS(X)  X(fs1) X(fs2) X(net) X(proc) X(misc)
#define DECLARE(g) extern __typeof__(coverage_##g) coverage_##g __attribute__((weak));
GROUPS(DECLARE)
#define ENTRY(g) { #g, coverage_##g },
static const struct group {
	const char *name;
	void (*run)(const char *dir);
} groups[] = { GROUPS(ENTRY) };

long coverage_nr(const char *name)
{
	const struct syscall_info *info = syscall_by_name(name);

	return info ? syscall_native_nr(info) : -1;
}

void coverage_path(char *buf, size_t size, const char *dir, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

void coverage_fork(void (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		setsid();
		alarm(20); /* nothing here may block for long */
		fn(arg);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* A call that rejects its other arguments before it reads the path never
 * faults the path's page in, and BPF may not fault: in a child that exits at
 * once ior could not read the path (a live process is read again from user
 * space). Touch the strings first so that every record can show them. */
static void prefault(void)
{
	static const char *const strings[] = { NOPATH, "user.ior" };

	/* Volatile reads: the compiler knows the literals and would fold them. */
	for (int i = 0; i < 2; i++)
		(void)*(const volatile char *)strings[i];
}

static void run_generic(void *arg)
{
	const struct syscall_info *info = arg;
	long a[6];

	prefault();
	generic_args(info, a);
	syscall(syscall_native_nr(info), a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Calls that never return, or end the process. */
static void run_exit(void *arg)
{
	(void)arg;
	syscall(SYS_exit, 0);
}

static void run_exit_group(void *arg)
{
	(void)arg;
	syscall(SYS_exit_group, 0);
}

static void run_sigreturn(void *arg)
{
	(void)arg;
	signal(SIGUSR1, on_signal); /* the handler's return is an rt_sigreturn */
	raise(SIGUSR1);
}

static void run_execve(void *arg)
{
	char *argv[] = { (char *)"true", NULL };

	(void)arg;
	syscall(SYS_execve, NOPATH, argv, environ);		   /* fails: ENOENT */
	syscall(SYS_execveat, AT_FDCWD, NOPATH, argv, environ, 0); /* ENOENT */
	syscall(SYS_execve, "/bin/true", argv, environ);	   /* succeeds */
}

/* The rest, one by one, with arguments that fail harmlessly (and some that
 * succeed). */
static void run_specials(void *arg)
{
	struct timespec zero = { 0, 0 }, bad = { 0, -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t none;
	char big[128];
	int p[2];

	(void)arg;
	memset(big, 'x', sizeof(big));
	sigemptyset(&none);
	sigaction(SIGALRM, &sa, NULL);
	syscall(SYS_nanosleep, &zero, NULL);
	syscall(SYS_nanosleep, &bad, NULL);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &zero, NULL);
	syscall(SYS_clock_nanosleep, 999, 0, &zero, NULL);
	syscall(SYS_select, 0, NULL, NULL, NULL, &(struct timeval){ 0, 0 });
	syscall(SYS_select, -1, NULL, NULL, NULL, NULL);
	syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, NULL);
	syscall(SYS_pselect6, -1, NULL, NULL, NULL, &zero, NULL);
	syscall(SYS_ppoll, NULL, 0, &zero, NULL, 8);
	syscall(SYS_ppoll, NULL, 1, &zero, NULL, 8);
	syscall(SYS_epoll_pwait2, 0, NULL, 0, &zero, NULL, 8);
	syscall(SYS_kill, getpid(), 0);
	syscall(SYS_kill, 2000000000, 0);
	syscall(SYS_tkill, syscall(SYS_gettid), 0);
	syscall(SYS_tkill, -5, 0);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 0);
	syscall(SYS_tgkill, -5, -5, 0);
	syscall(SYS_rt_sigqueueinfo, getpid(), 0, NULL);
	syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), 0, NULL);
	syscall(SYS_sethostname, big, sizeof(big));   /* EINVAL: longer than 64 */
	syscall(SYS_setdomainname, big, sizeof(big)); /* EINVAL */
	syscall(SYS_msgget, 0x10c0ffee, 0);	      /* ENOENT: no IPC_CREAT, so nothing is made */
	syscall(SYS_shmctl, -1, 2 /* IPC_STAT */, NULL);
	syscall(SYS_msgctl, -1, 2, NULL);
	syscall(SYS_semctl, -1, 0, 2, NULL);
	syscall(SYS_msgrcv, -1, NULL, 0, 0, 04000 /* IPC_NOWAIT */);
	syscall(SYS_msgsnd, -1, NULL, 0, 04000);
	syscall(SYS_semop, -1, NULL, 0);
	syscall(SYS_semtimedop, -1, NULL, 0, &zero);
	syscall(SYS_shmat, -1, NULL, 0);
	syscall(SYS_shmdt, NULL);
	syscall(SYS_seccomp, 99, 0, NULL); /* EINVAL: no such operation */
	syscall(SYS_ptrace, 0x7fff, 0, NULL, NULL);
	syscall(SYS_reboot, 0, 0, 0, NULL); /* EINVAL: wrong magic */
	syscall(SYS_futex, NULL, 0, 0, NULL, NULL, 0);
	syscall(SYS_futex, &(int){ 1 }, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0);
	syscall(SYS_acct, NOPATH);
	syscall(SYS_swapon, NOPATH, 0);
	syscall(SYS_swapoff, NOPATH);
	syscall(SYS_close_range, 1000, 999, 0); /* EINVAL: first > last */
	syscall(SYS_close_range, 1000, 1010, 0);
	syscall(SYS_settimeofday, NULL, &(struct timezone){ 100000, 0 }); /* EINVAL: beyond 15 h */
	syscall(SYS_clock_settime, 999, &zero);				  /* EINVAL */
	syscall(SYS_adjtimex, NULL);
	syscall(SYS_clock_adjtime, 999, NULL);
	syscall(SYS_personality, 0xffffffff); /* query */
	syscall(SYS_setrlimit, 999, NULL);
	syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &(struct rlimit){ 0 });
	syscall(SYS_prlimit64, 0, 999, NULL, NULL);
	syscall(SYS_mlockall, 0); /* EINVAL */
	syscall(SYS_munlockall);
	syscall(SYS_sync);
	syscall(SYS_syncfs, -1);
	syscall(SYS_syncfs, 0);
	syscall(SYS_io_destroy, 0);
	syscall(SYS_unshare, 0);
	syscall(SYS_unshare, -1);
	syscall(SYS_setns, -1, 0);
	syscall(SYS_setns, 0, 0); /* the scratch file is no namespace: EINVAL */
	syscall(SYS_chroot, NOPATH);
	syscall(SYS_pivot_root, NOPATH, NOPATH);
	syscall(SYS_timer_create, 999, NULL, NULL);
	syscall(SYS_setitimer, 999, NULL, NULL);
	syscall(SYS_setitimer, ITIMER_REAL, &(struct itimerval){ 0 }, NULL);
	syscall(SYS_alarm, 0);
	syscall(SYS_rt_sigtimedwait, &none, NULL, &zero, 8);
	syscall(SYS_rt_sigtimedwait, NULL, NULL, NULL, 8);
	syscall(SYS_wait4, -1, NULL, WNOHANG, NULL);
	syscall(SYS_waitid, P_ALL, 0, NULL, WNOHANG | WEXITED, NULL);
	syscall(SYS_waitid, 99, 0, NULL, 0, NULL);
	syscall(SYS_set_tid_address, NULL);
	syscall(SYS_vhangup); /* no controlling terminal after setsid: harmless */
	syscall(SYS_setsid);  /* EPERM: already a session leader */
	syscall(SYS_rt_sigsuspend, NULL, 8);
	if (pipe(p) == 0) {
		/* pause returns when SIGALRM's handler has run. */
		alarm(1);
		syscall(SYS_pause);
	}
}

static void run_fork_family(void *arg)
{
	pid_t pid;

	(void)arg;
	pid = fork(); /* clone */
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	pid = (pid_t)syscall(SYS_fork); /* the raw call: the child returns right here */
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	pid = vfork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	syscall(SYS_clone3, NULL, 0); /* EINVAL */
	syscall(SYS_clone, -1L, NULL, NULL, NULL, 0);
}

static const char *group_dir;

static void run_group(void *arg)
{
	const struct group *g = arg;

	g->run(group_dir);
}

/* usage: coverage DIR [GROUP]: GROUP runs that hand-written group alone. */
int main(int argc, char **argv)
{
	char scratch[4096];
	int fd;

	if (argc < 2) {
		fputs("usage: coverage DIR [GROUP]\n", stderr);
		return 2;
	}
	group_dir = argv[1];
	snprintf(scratch, sizeof(scratch), "%s/coverage-scratch", argv[1]);
	fd = open(scratch, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || dup2(fd, 0) != 0) {
		perror("coverage: scratch file");
		return 1;
	}
	if (fd != 0)
		close(fd);
	if (argc > 2) {
		for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
			if (!strcmp(groups[i].name, argv[2]) && groups[i].run) {
				in_child(run_group, (void *)&groups[i]);
				return 0;
			}
		fprintf(stderr, "coverage: no group %s\n", argv[2]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].run)
			in_child(run_group, (void *)&groups[i]);
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_info *info = &syscall_table[i];

		if (syscall_native_nr(info) < 0 || is_special(info->name))
			continue;
		in_child(run_generic, (void *)info);
	}
	in_child(run_specials, NULL);
	in_child(run_fork_family, NULL);
	in_child(run_exit, NULL);
	in_child(run_exit_group, NULL);
	in_child(run_sigreturn, NULL);
	in_child(run_execve, NULL);
	return 0;
}
