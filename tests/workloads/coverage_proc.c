/* Coverage group "proc": the Memory, Process and Signals families. Every
 * syscall gets one call that succeeds and one that fails (tests/coverage/
 * expect-proc.txt lists those that cannot do both). Calls that change the
 * credentials, limits or state of a process run in a forked grandchild;
 * calls with global effect run inside private namespaces. */
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <linux/mempolicy.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/userfaultfd.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/syscalls.h"
#include "tests/workloads/coverage.h"

#define NOPATH	  COVERAGE_NOPATH
#define NOPID	  2000000000 /* above pid_max: no such process */
#define NOBODY	  65534
#define PAGE	  4096
#define SIGSETLEN 8

/* struct user_desc (asm/ldt.h), its bitfields as one word. */
struct ldt_desc {
	unsigned int entry_number;
	unsigned int base_addr;
	unsigned int limit;
	unsigned int flags;
};
#define GDT_TLS_MIN 12 /* GDT_ENTRY_TLS_MIN */

static void *map_pages(size_t n)
{
	void *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 1, n * PAGE);
	return p;
}

/* A page address with nothing mapped: mapped, then unmapped. */
static void *hole(void)
{
	void *p = map_pages(1);

	if (p)
		munmap(p, PAGE);
	return p;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* brk, mprotect, madvise, mincore, msync, mremap, mseal, remap_file_pages. */
static void mappings(void)
{
	char *p = map_pages(2), *q, vec[2];
	int fd;

	if (!p)
		return;
	syscall(SYS_brk, 0);					/* returns the break */
	syscall(SYS_mprotect, p, PAGE, PROT_READ | PROT_WRITE); /* ok */
	syscall(SYS_mprotect, p + 1, PAGE, PROT_READ);		/* EINVAL: unaligned */
	syscall(SYS_madvise, p, 2 * PAGE, MADV_NORMAL);		/* ok */
	syscall(SYS_madvise, p + 1, PAGE, MADV_NORMAL);		/* EINVAL */
	syscall(SYS_mincore, p, 2 * PAGE, vec);			/* ok */
	syscall(SYS_mincore, p + 1, PAGE, vec);			/* EINVAL */
	syscall(SYS_msync, p, PAGE, MS_ASYNC);			/* ok */
	syscall(SYS_msync, p, PAGE, MS_ASYNC | MS_SYNC);	/* EINVAL */
	q = (char *)syscall(SYS_mremap, p, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE); /* ok */
	if (q == MAP_FAILED)
		q = p;
	syscall(SYS_mremap, q + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE); /* EINVAL */
	syscall(coverage_nr("mseal"), q, PAGE, 1);		    /* EINVAL: flags */
	syscall(coverage_nr("mseal"), q, PAGE, 0); /* ok: sealed until this process ends */
	munmap(q + PAGE, 3 * PAGE);

	/* remap_file_pages: only on a shared file mapping. */
	fd = (int)syscall(SYS_memfd_create, "ior-remap", MFD_CLOEXEC);
	if (fd < 0)
		return;
	if (ftruncate(fd, 2 * PAGE) == 0) {
		p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p != MAP_FAILED) {
			syscall(SYS_remap_file_pages, p, PAGE, 0, 1, 0); /* ok */
			munmap(p, 2 * PAGE);
		}
	}
	syscall(SYS_remap_file_pages, hole(), PAGE, 0, 1, 0); /* EINVAL: not mapped */
	close(fd);
}

/* mlock, mlock2, munlock, mlockall, munlockall (in a grandchild: it locks). */
static void locking(void)
{
	char *p = map_pages(1), *h = hole();

	if (!p)
		return;
	syscall(SYS_mlock, p, PAGE);			  /* ok */
	syscall(SYS_mlock, h, PAGE);			  /* ENOMEM: nothing mapped */
	syscall(SYS_munlock, p, PAGE);			  /* ok */
	syscall(SYS_munlock, h, PAGE);			  /* ENOMEM */
	syscall(SYS_mlock2, p, PAGE, MLOCK_ONFAULT);	  /* ok */
	syscall(SYS_mlock2, p, PAGE, 0x100);		  /* EINVAL: flags */
	syscall(SYS_mlockall, MCL_CURRENT | MCL_ONFAULT); /* ok */
	syscall(SYS_mlockall, 0);			  /* EINVAL */
	syscall(SYS_munlockall);			  /* ok */
	munmap(p, PAGE);
}

/* NUMA policies on node 0, the node every machine has. */
static void numa(void)
{
	unsigned long node0 = 1;
	char *p = map_pages(1);
	int status;
	void *pages[1] = { p };

	if (!p)
		return;
	syscall(SYS_get_mempolicy, NULL, NULL, 0, NULL, 0);		/* ok */
	syscall(SYS_get_mempolicy, NULL, NULL, 0, NULL, 0xff);		/* EINVAL: flags */
	syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0);		/* ok */
	syscall(SYS_set_mempolicy, 99, NULL, 0);			/* EINVAL: mode */
	syscall(SYS_mbind, p, PAGE, MPOL_BIND, &node0, 64, 0);		/* ok */
	syscall(SYS_mbind, p, PAGE, 99, &node0, 64, 0);			/* EINVAL */
	syscall(coverage_nr("set_mempolicy_home_node"), p, PAGE, 0, 0); /* ok: range is MPOL_BIND */
	syscall(coverage_nr("set_mempolicy_home_node"), p, PAGE, 0, 1); /* EINVAL: flags */
	syscall(SYS_move_pages, 0, 1, pages, NULL, &status, 0);		/* ok: where is it */
	syscall(SYS_move_pages, 0, 1, pages, NULL, &status, 0x100);	/* EINVAL */
	syscall(SYS_migrate_pages, 0, 64, &node0, &node0);		/* ok: 0 to 0 */
	syscall(SYS_migrate_pages, NOPID, 64, &node0, &node0);		/* ESRCH */
	munmap(p, PAGE);
}

/* membarrier, memfd_create, memfd_secret, userfaultfd, pkeys, shadow stack. */
static void memory_fds(void)
{
	char *p = map_pages(1);
	long fd, key;

	syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);	/* ok */
	syscall(SYS_membarrier, 999, 0, 0);			/* EINVAL */
	fd = syscall(SYS_memfd_create, "ior-cov", MFD_CLOEXEC); /* ok */
	if (fd >= 0)
		close((int)fd);
	syscall(SYS_memfd_create, "ior-cov", 0x8000);	      /* EINVAL: flags */
	fd = syscall(coverage_nr("memfd_secret"), O_CLOEXEC); /* ok */
	if (fd >= 0)
		close((int)fd);
	syscall(coverage_nr("memfd_secret"), 0xff);	       /* EINVAL */
	fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK); /* ok */
	if (fd >= 0)
		close((int)fd);
	syscall(SYS_userfaultfd, 0xff);	     /* EINVAL */
	key = syscall(SYS_pkey_alloc, 0, 0); /* ok where pkeys exist */
	if (key > 0)
		syscall(SYS_pkey_free, key); /* ok */
	syscall(SYS_pkey_alloc, 1, 0);	     /* EINVAL: flags */
	syscall(SYS_pkey_free, -1);	     /* EINVAL */
	if (p) {
		syscall(SYS_pkey_mprotect, p, PAGE, PROT_READ, -1); /* ok: like mprotect */
		syscall(SYS_pkey_mprotect, p, PAGE, PROT_READ, 99); /* EINVAL */
		munmap(p, PAGE);
	}
	syscall(coverage_nr("map_shadow_stack"), 0, PAGE,
		0xff); /* ENOSYS here, else EINVAL: flags */
}

/* Fork a child, kill it and release its memory at once: 1 when that worked. */
static int mrelease_child(void)
{
	struct sched_param idle = { 0 };
	int pidfd, ok = 0;
	pid_t pid = fork();

	if (pid == 0) {
		sched_setscheduler(0, SCHED_IDLE, &idle);
		for (;;)
			pause();
	}
	if (pid < 0)
		return 1;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	usleep(1000); /* let it settle in pause() */
	kill(pid, SIGKILL);
	if (pidfd >= 0)
		ok = syscall(coverage_nr("process_mrelease"), pidfd, 0) == 0; /* ok */
	waitpid(pid, NULL, 0);
	if (pidfd >= 0)
		close(pidfd);
	return ok;
}

/* process_madvise and process_mrelease through pidfds. */
static void pidfd_memory(void)
{
	char *p = map_pages(1);
	struct iovec iov = { p, PAGE };
	int pidfd, released = 0;
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one); /* this grandchild and its children */

	pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (p && pidfd >= 0)
		syscall(coverage_nr("process_madvise"), pidfd, &iov, 1, MADV_COLD, 0); /* ok */
	syscall(coverage_nr("process_madvise"), -1, &iov, 1, MADV_COLD, 0);	       /* EBADF */
	if (pidfd >= 0)
		close(pidfd);
	if (p)
		munmap(p, PAGE);

	/* A killed child that has not exited yet: its memory can be released.
	 * Once it is a zombie the call says ESRCH, so it runs at idle priority
	 * on our CPU, where it cannot run before we sleep. */
	for (int try = 0; try < 5 && !released; try++)
		released = mrelease_child();
	pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	syscall(coverage_nr("process_mrelease"), pidfd, 0); /* EINVAL: we do not exit */
	if (pidfd >= 0)
		close(pidfd);
}

/* Read-only identity calls: they cannot fail, except those with arguments. */
static void identity(void)
{
	gid_t groups[64];
	uid_t r, e, s;
	struct rlimit rl;
	struct rusage ru;

	syscall(SYS_getpid);
	syscall(SYS_getppid);
	syscall(SYS_gettid);
	syscall(SYS_getuid);
	syscall(SYS_geteuid);
	syscall(SYS_getgid);
	syscall(SYS_getegid);
	syscall(SYS_getpgrp);
	syscall(SYS_getgroups, 64, groups);		 /* ok */
	syscall(SYS_getgroups, -1, groups);		 /* EINVAL */
	syscall(SYS_getpgid, 0);			 /* ok */
	syscall(SYS_getpgid, NOPID);			 /* ESRCH */
	syscall(SYS_getsid, 0);				 /* ok */
	syscall(SYS_getsid, NOPID);			 /* ESRCH */
	syscall(SYS_getresuid, &r, &e, &s);		 /* ok */
	syscall(SYS_getresuid, NULL, NULL, NULL);	 /* EFAULT */
	syscall(SYS_getresgid, &r, &e, &s);		 /* ok */
	syscall(SYS_getresgid, NULL, NULL, NULL);	 /* EFAULT */
	syscall(SYS_getrlimit, RLIMIT_NOFILE, &rl);	 /* ok */
	syscall(SYS_getrlimit, 999, &rl);		 /* EINVAL */
	syscall(SYS_getrusage, RUSAGE_SELF, &ru);	 /* ok */
	syscall(SYS_getrusage, 99, &ru);		 /* EINVAL */
	syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl);	 /* ok: the same limits */
	syscall(SYS_setrlimit, 999, &rl);		 /* EINVAL */
	syscall(SYS_personality, 0xffffffff);		 /* query, never fails */
	syscall(SYS_set_tid_address, NULL);		 /* returns the tid */
	syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0); /* ok */
	syscall(SYS_prctl, 9999, 0, 0, 0, 0);		 /* EINVAL */
}

/* Credentials as root, then as nobody (EPERM), and fork past RLIMIT_NPROC. */
static void drop_privileges(void)
{
	struct rlimit rl = { 0, 0 };
	struct clone_args ca = { .exit_signal = SIGCHLD };
	gid_t none[1];

	syscall(SYS_setgroups, 0, none);		/* ok: drops the supplementary groups */
	syscall(SYS_setgroups, -1, none);		/* EINVAL */
	syscall(SYS_setgid, 0);				/* ok: unchanged */
	syscall(SYS_setgid, -1);			/* EINVAL */
	syscall(SYS_setuid, 0);				/* ok */
	syscall(SYS_setuid, -1);			/* EINVAL */
	syscall(SYS_setfsuid, 0);			/* returns the old fsuid */
	syscall(SYS_setfsgid, 0);			/* returns the old fsgid */
	syscall(SYS_setregid, -1, 0);			/* ok */
	syscall(SYS_setreuid, -1, 0);			/* ok */
	syscall(SYS_setrlimit, RLIMIT_NPROC, &rl);	/* ok: lowering our own */
	syscall(SYS_setresgid, NOBODY, NOBODY, NOBODY); /* ok */
	syscall(SYS_setresuid, NOBODY, NOBODY, NOBODY); /* ok */
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	syscall(SYS_setrlimit, RLIMIT_NPROC, &rl); /* EPERM: raising the hard limit */
	syscall(SYS_setresuid, 0, 0, 0);	   /* EPERM */
	syscall(SYS_setresgid, 0, 0, 0);	   /* EPERM */
	syscall(SYS_setreuid, 0, 0);		   /* EPERM */
	syscall(SYS_setregid, 0, 0);		   /* EPERM */
	/* nobody already runs a process here, and the limit is 0. */
	syscall(SYS_fork);		      /* EAGAIN */
	syscall(SYS_vfork);		      /* EAGAIN */
	syscall(SYS_clone3, &ca, sizeof(ca)); /* EAGAIN */
}

/* fork, vfork, clone3, waitid, exit, exit_group, execveat. */
static void children(void)
{
	struct clone_args ca = { .exit_signal = SIGCHLD };
	char *argv[] = { (char *)"true", NULL };
	siginfo_t info;
	pid_t pid;

	pid = (pid_t)syscall(SYS_fork); /* ok */
	if (pid == 0)
		syscall(SYS_exit_group, 0);
	if (pid > 0)
		syscall(SYS_waitid, P_PID, pid, &info, WEXITED, NULL); /* ok */
	syscall(SYS_waitid, P_ALL, 0, &info, WEXITED | WNOHANG, NULL); /* ECHILD */
	pid = (pid_t)syscall(SYS_vfork); /* ok: the child only exits */
	if (pid == 0)
		syscall(SYS_exit, 0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca)); /* ok */
	if (pid == 0)
		syscall(SYS_exit_group, 0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	syscall(SYS_clone3, &ca, 8); /* EINVAL: size too small */
	pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, AT_FDCWD, NOPATH, argv, environ, 0);	/* ENOENT */
		syscall(SYS_execveat, AT_FDCWD, "/bin/true", argv, environ, 0); /* ok */
		_exit(1);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* setpgid: EPERM for a session leader, ok in a child of the session. */
static void new_group(void)
{
	syscall(SYS_setpgid, 0, 0);
}

static void pgids(void)
{
	syscall(SYS_setpgid, 0, 0); /* EPERM: we lead the session */
	coverage_fork(new_group);   /* ok */
}

/* ptrace: a child asks to be traced, then exits. */
static void traceme(void)
{
	syscall(SYS_ptrace, PTRACE_TRACEME, 0, NULL, NULL); /* ok */
}

/* kcmp, pidfds, process_vm_*, ptrace, setns, LDT and TLS descriptors. */
static void inspect(void)
{
	char src[16] = "ior", dst[16];
	struct iovec l = { dst, sizeof(dst) }, r = { src, sizeof(src) };
	struct ldt_desc d = { .entry_number = GDT_TLS_MIN };
	char ldt[16];
	pid_t me = getpid();
	int pidfd, fd;

	syscall(SYS_kcmp, me, me, 0 /* KCMP_FILE */, 0, 0); /* ok */
	syscall(SYS_kcmp, me, me, 99, 0, 0);		    /* EINVAL */
	pidfd = (int)syscall(SYS_pidfd_open, me, 0);	    /* ok */
	syscall(SYS_pidfd_open, me, 0x1);		    /* EINVAL: flags */
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);    /* ok */
	if (fd >= 0)
		close(fd);
	syscall(SYS_pidfd_getfd, -1, 0, 0);		   /* EBADF */
	syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0); /* ok */
	syscall(SYS_pidfd_send_signal, -1, 0, NULL, 0);	   /* EBADF */
	if (pidfd >= 0)
		close(pidfd);
	syscall(SYS_process_vm_readv, me, &l, 1, &r, 1, 0);    /* ok */
	syscall(SYS_process_vm_readv, NOPID, &l, 1, &r, 1, 0); /* ESRCH */
	syscall(SYS_process_vm_writev, me, &r, 1, &l, 1, 0);   /* ok */
	syscall(SYS_process_vm_writev, me, &r, 1, &l, 1, 1);   /* EINVAL: flags */
	coverage_fork(traceme);
	syscall(SYS_ptrace, PTRACE_PEEKDATA, NOPID, NULL, NULL); /* ESRCH */
	fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	syscall(SYS_setns, fd, CLONE_NEWUTS); /* ok: the one we are in */
	syscall(SYS_setns, fd, CLONE_NEWNET); /* EINVAL: not a net ns */
	if (fd >= 0)
		close(fd);
	syscall(SYS_modify_ldt, 0, ldt, sizeof(ldt)); /* ok: read */
	syscall(SYS_modify_ldt, 1, ldt, 0);	      /* EINVAL: write, bad size */
	/* ENOSYS: 32-bit only, 64-bit TLS is set with arch_prctl. */
	syscall(SYS_get_thread_area, &d);
	syscall(SYS_set_thread_area, &d);
}

/* acct in a private pid namespace: the accounting there is its own. */
static const char *acct_dir;

static void acct_in_ns(void)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/ior-acct", acct_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	syscall(SYS_acct, NOPATH); /* ENOENT */
	syscall(SYS_acct, path);   /* ok: this namespace only */
	syscall(SYS_acct, NULL);   /* ok: off again */
	unlink(path);
}

static void accounting(void)
{
	if (syscall(SYS_unshare, CLONE_NEWPID) == 0)
		coverage_fork(acct_in_ns); /* the first child is the ns's init */
}

/* Signal masks, queues, waits and the alternate stack. */
static void signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec zero = { 0, 0 };
	sigset_t usr1, old;
	siginfo_t info;
	stack_t ss;
	pid_t me = getpid();
	long tid = syscall(SYS_gettid);

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigaction(SIGUSR1, &sa, NULL);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &usr1, &old, SIGSETLEN); /* ok */
	syscall(SYS_rt_sigprocmask, 99, &usr1, &old, SIGSETLEN);	/* EINVAL */
	syscall(SYS_rt_sigpending, &old, SIGSETLEN);			/* ok */
	syscall(SYS_rt_sigpending, &old, 99);				/* EINVAL */
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGUSR1;
	info.si_code = SI_QUEUE;
	info.si_pid = me;
	info.si_uid = getuid();
	syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, &info);	      /* ok: pending, blocked */
	syscall(SYS_rt_sigqueueinfo, NOPID, SIGUSR1, &info);	      /* ESRCH */
	syscall(SYS_rt_tgsigqueueinfo, me, tid, SIGUSR1, &info);      /* ok */
	syscall(SYS_rt_tgsigqueueinfo, me, NOPID, SIGUSR1, &info);    /* ESRCH */
	syscall(SYS_rt_sigtimedwait, &usr1, &info, &zero, SIGSETLEN); /* ok: SIGUSR1 */
	syscall(SYS_rt_sigtimedwait, &usr1, &info, &zero, SIGSETLEN); /* ok: the second */
	syscall(SYS_rt_sigtimedwait, &usr1, &info, &zero, SIGSETLEN); /* EAGAIN */
	syscall(SYS_rt_sigsuspend, &old, 99);			      /* EINVAL */
	syscall(SYS_sigaltstack, NULL, &ss);			      /* ok */
	memset(&ss, 0, sizeof(ss));
	ss.ss_flags = 0x1234;
	syscall(SYS_sigaltstack, &ss, NULL); /* EINVAL: flags */
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, SIGSETLEN);
	/* The handler of a signal sent by a call that returned 0 ends in an
	 * rt_sigreturn that restores that 0. */
	syscall(SYS_tgkill, me, tid, SIGUSR1);
}

/* pause and rt_sigsuspend only return on a signal: EINTR, which the
 * handler's rt_sigreturn restores too. */
static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct itimerval t = { { 0, 0 }, { 0, 2000 } };
	sigset_t none;

	sigemptyset(&none);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &t, NULL);
	syscall(SYS_pause); /* EINTR */
	setitimer(ITIMER_REAL, &t, NULL);
	syscall(SYS_rt_sigsuspend, &none, SIGSETLEN); /* EINTR */
}

/* restart_syscall: a sleep stopped and continued (no handler runs) resumes
 * through it and then succeeds; called directly it fails with EINTR. */
static void sleeper(void)
{
	struct timespec ts = { 0, 150 * 1000 * 1000 };

	syscall(SYS_nanosleep, &ts, NULL);
}

static void restart(void)
{
	struct timespec ts = { 0, 30 * 1000 * 1000 };
	int status;
	pid_t pid;

	syscall(SYS_restart_syscall); /* EINTR: nothing to restart */
	pid = fork();
	if (pid == 0) {
		sleeper();
		_exit(0);
	}
	if (pid < 0)
		return;
	nanosleep(&ts, NULL);
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	kill(pid, SIGCONT);
	waitpid(pid, &status, 0);
}

void coverage_proc(const char *dir)
{
	acct_dir = dir;
	mappings();
	coverage_fork(locking);
	coverage_fork(numa);
	memory_fds();
	coverage_fork(pidfd_memory);
	identity();
	coverage_fork(drop_privileges);
	children();
	pgids();
	inspect();
	coverage_fork(accounting);
	coverage_fork(signals);
	coverage_fork(interrupted);
	restart();
}
