/* Coverage group "net": the Network, IPC, Polling and AIO families. Each
 * syscall gets one call that succeeds and one that fails, made with raw
 * syscall(2). SysV IPC and POSIX message queues run in a child of their own
 * IPC namespace; sockets use the abstract AF_UNIX namespace, which leaves
 * nothing behind once closed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/fanotify.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/syscalls.h"
#include "tests/workloads/coverage.h"

/* futex2 flags (linux/futex.h of kernels >= 6.7; this header may lack them) */
#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32 0x02
#endif
#ifndef FUTEX2_PRIVATE
#define FUTEX2_PRIVATE 128
#endif
#define FUTEX2_FLAGS (FUTEX2_SIZE_U32 | FUTEX2_PRIVATE)

/* struct __aio_sigset of fs/aio.c (io_pgetevents), not in the UAPI headers */
struct cov_aio_sigset {
	const sigset_t *sigmask;
	size_t sigsetsize;
};

/* union semun: the caller defines it (see semctl(2)) */
union cov_semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static long nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

static void close_fd(int fd)
{
	if (fd >= 0)
		syscall(SYS_close, fd);
}

/* Calls whose only failures are resource limits: fail them with EMFILE by
 * lowering this process's own RLIMIT_NOFILE to 0 for a moment. */
static void emfile_calls(void)
{
	struct rlimit old, none;
	int p[2];

	if (getrlimit(RLIMIT_NOFILE, &old))
		return;
	none = old;
	none.rlim_cur = 0;
	if (setrlimit(RLIMIT_NOFILE, &none))
		return;
	syscall(SYS_eventfd, 0);   /* EMFILE */
	syscall(SYS_inotify_init); /* EMFILE */
	syscall(SYS_pipe, p);	   /* EMFILE */
	setrlimit(RLIMIT_NOFILE, &old);
}

/* eventfd, eventfd2, pipe */
static void eventfds(void)
{
	int p[2];

	close_fd(syscall(SYS_eventfd, 0));		  /* succeeds */
	close_fd(syscall(SYS_eventfd2, 0, EFD_NONBLOCK)); /* succeeds */
	syscall(SYS_eventfd2, 0, -1);			  /* EINVAL: flags */
	if (syscall(SYS_pipe, p) == 0) {		  /* succeeds */
		close_fd(p[0]);
		close_fd(p[1]);
	}
	syscall(SYS_pipe, NULL); /* EFAULT */
}

/* inotify and fanotify on DIR */
static void notify(const char *dir)
{
	int fd, wd;

	fd = syscall(SYS_inotify_init); /* succeeds */
	close_fd(fd);
	fd = syscall(SYS_inotify_init1, IN_NONBLOCK);			/* succeeds */
	syscall(SYS_inotify_init1, -1);					/* EINVAL: flags */
	wd = syscall(SYS_inotify_add_watch, fd, dir, IN_CREATE);	/* succeeds */
	syscall(SYS_inotify_add_watch, fd, COVERAGE_NOPATH, IN_CREATE); /* ENOENT */
	syscall(SYS_inotify_rm_watch, fd, wd);				/* succeeds */
	syscall(SYS_inotify_rm_watch, fd, wd); /* EINVAL: no longer watched */
	close_fd(fd);

	fd = syscall(SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_NONBLOCK, O_RDONLY); /* succeeds */
	syscall(SYS_fanotify_init, 0xffffffffu, O_RDONLY); /* EINVAL: flags */
	syscall(SYS_fanotify_mark, fd, FAN_MARK_ADD, FAN_CLOSE_WRITE, AT_FDCWD, dir); /* succeeds */
	syscall(SYS_fanotify_mark, -1, FAN_MARK_ADD, FAN_CLOSE_WRITE, AT_FDCWD, dir); /* EBADF */
	close_fd(fd);
}

/* signalfd, signalfd4, timerfd_* */
static void sig_timer_fds(void)
{
	struct itimerspec its = { .it_value = { .tv_sec = 3600 } }, cur;
	sigset_t mask;
	int fd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	close_fd(syscall(SYS_signalfd, -1, &mask, 8));		      /* succeeds */
	syscall(SYS_signalfd, -1, &mask, 4);			      /* EINVAL: size */
	close_fd(syscall(SYS_signalfd4, -1, &mask, 8, SFD_NONBLOCK)); /* ok */
	syscall(SYS_signalfd4, -1, &mask, 8, -1);		      /* EINVAL: flags */

	fd = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_NONBLOCK); /* ok */
	syscall(SYS_timerfd_create, -1, 0);				 /* EINVAL: clock */
	syscall(SYS_timerfd_settime, fd, 0, &its, NULL);		 /* succeeds */
	syscall(SYS_timerfd_settime, -1, 0, &its, NULL);		 /* EBADF */
	syscall(SYS_timerfd_gettime, fd, &cur);				 /* succeeds */
	syscall(SYS_timerfd_gettime, -1, &cur);				 /* EBADF */
	close_fd(fd);
}

/* futex2: a helper thread wakes the waits of the main thread */
static _Atomic uint32_t fword;
static atomic_int woken;

static void *futex_waker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 4000 && atomic_load(&woken) < 2; i++) {
		if (syscall(nr_of("futex_wake"), &fword, FUTEX_BITSET_MATCH_ANY, 1, FUTEX2_FLAGS) >
		    0)
			atomic_fetch_add(&woken, 1);
		else
			usleep(500);
	}
	return NULL;
}

static void deadline(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += 2;
}

static void futexes(void)
{
	struct futex_waitv w[2] = {
		{ .val = 0, .uaddr = (uintptr_t)&fword, .flags = FUTEX2_FLAGS },
		{ .val = 0, .uaddr = (uintptr_t)&fword, .flags = FUTEX2_FLAGS },
	};
	struct robust_list_head *head;
	struct timespec ts;
	pthread_t t;
	size_t len;

	syscall(nr_of("futex_wake"), &fword, FUTEX_BITSET_MATCH_ANY, 1,
		FUTEX2_FLAGS); /* succeeds: wakes nobody */
	syscall(nr_of("futex_wake"), &fword, FUTEX_BITSET_MATCH_ANY, 1, -1); /* EINVAL: flags */
	syscall(nr_of("futex_requeue"), w, 0, 1, 1); /* succeeds: no waiters */
	syscall(nr_of("futex_requeue"), w, 1, 1, 1); /* EINVAL: flags */
	deadline(&ts);
	syscall(nr_of("futex_wait"), &fword, 1, FUTEX_BITSET_MATCH_ANY, FUTEX2_FLAGS, &ts,
		CLOCK_MONOTONIC); /* EAGAIN: value differs */
	w[0].val = 1;
	syscall(SYS_futex_waitv, w, 1, 0, &ts, CLOCK_MONOTONIC); /* EAGAIN: value differs */
	w[0].val = 0;

	if (pthread_create(&t, NULL, futex_waker, NULL))
		return;
	deadline(&ts);
	syscall(nr_of("futex_wait"), &fword, 0, FUTEX_BITSET_MATCH_ANY, FUTEX2_FLAGS, &ts,
		CLOCK_MONOTONIC); /* succeeds: woken */
	deadline(&ts);
	syscall(SYS_futex_waitv, w, 1, 0, &ts, CLOCK_MONOTONIC); /* woken */
	atomic_store(&woken, 2);
	pthread_join(t, NULL);

	syscall(SYS_get_robust_list, 0, &head, &len);	       /* succeeds */
	syscall(SYS_get_robust_list, 0x3fffffff, &head, &len); /* ESRCH */
}

/* POSIX message queues (in a private IPC namespace) */
static void mqueues(void)
{
	char buf[8192];
	unsigned int prio;
	struct mq_attr_k {
		long mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs, pad[4];
	} attr;
	int fd;

	fd = syscall(SYS_mq_open, "ior-coverage", O_CREAT | O_RDWR | O_NONBLOCK, 0600,
		     NULL);						 /* succeeds */
	syscall(SYS_mq_open, "ior-coverage-none", O_RDONLY, 0, NULL);	 /* ENOENT */
	syscall(SYS_mq_timedsend, fd, "x", 1, 0, NULL);			 /* succeeds */
	syscall(SYS_mq_timedsend, -1, "x", 1, 0, NULL);			 /* EBADF */
	syscall(SYS_mq_timedreceive, fd, buf, sizeof(buf), &prio, NULL); /* ok */
	syscall(SYS_mq_timedreceive, fd, buf, sizeof(buf), &prio, NULL); /* EAGAIN: empty */
	syscall(SYS_mq_notify, fd, NULL);				 /* succeeds */
	syscall(SYS_mq_notify, -1, NULL);				 /* EBADF */
	syscall(SYS_mq_getsetattr, fd, NULL, &attr);			 /* succeeds */
	syscall(SYS_mq_getsetattr, -1, NULL, &attr);			 /* EBADF */
	close_fd(fd);
	syscall(SYS_mq_unlink, "ior-coverage"); /* succeeds */
	syscall(SYS_mq_unlink, "ior-coverage"); /* ENOENT */
}

/* SysV message queues, semaphores, shared memory (private IPC namespace) */
static void sysv(void)
{
	struct {
		long mtype;
		char mtext[8];
	} msg = { .mtype = 1, .mtext = "x" };
	struct sembuf up = { 0, 1, IPC_NOWAIT }, down = { 0, -1, IPC_NOWAIT };
	struct sembuf big = { 0, -5, IPC_NOWAIT }, bad = { 5, 1, IPC_NOWAIT };
	struct timespec zero = { 0 };
	struct msqid_ds mds;
	struct shmid_ds sds;
	union cov_semun arg = { .val = 0 };
	int id;
	long addr;

	id = syscall(SYS_msgget, IPC_PRIVATE, IPC_CREAT | 0600); /* succeeds */
	syscall(SYS_msgget, 0x10c0ffee, 0);			 /* ENOENT */
	syscall(SYS_msgsnd, id, &msg, 1, IPC_NOWAIT);		 /* succeeds */
	msg.mtype = 0;
	syscall(SYS_msgsnd, id, &msg, 1, IPC_NOWAIT);			 /* EINVAL: mtype 0 */
	syscall(SYS_msgrcv, id, &msg, sizeof(msg.mtext), 0, IPC_NOWAIT); /* ok */
	syscall(SYS_msgrcv, id, &msg, sizeof(msg.mtext), 0, IPC_NOWAIT); /* ENOMSG: empty */
	syscall(SYS_msgctl, id, IPC_STAT, &mds);			 /* succeeds */
	syscall(SYS_msgctl, id, IPC_RMID, NULL);			 /* succeeds */
	syscall(SYS_msgctl, id, IPC_STAT, &mds);			 /* EINVAL: removed */

	id = syscall(SYS_semget, IPC_PRIVATE, 1, IPC_CREAT | 0600); /* ok */
	syscall(SYS_semget, IPC_PRIVATE, -1, IPC_CREAT | 0600);	    /* EINVAL */
	syscall(SYS_semop, id, &up, 1);				    /* succeeds */
	syscall(SYS_semop, id, &big, 1);			    /* EAGAIN */
	syscall(SYS_semtimedop, id, &down, 1, &zero);		    /* succeeds */
	syscall(SYS_semtimedop, id, &bad, 1, &zero);		    /* EFBIG: sem_num */
	syscall(SYS_semctl, id, 0, GETVAL, arg);		    /* succeeds */
	syscall(SYS_semctl, id, 0, IPC_RMID, arg);		    /* succeeds */
	syscall(SYS_semctl, id, 0, GETVAL, arg);		    /* EINVAL: removed */

	id = syscall(SYS_shmget, IPC_PRIVATE, 4096, IPC_CREAT | 0600); /* ok */
	syscall(SYS_shmget, 0x10c0ffee, 0, 0);			       /* ENOENT */
	addr = syscall(SYS_shmat, id, NULL, 0);			       /* succeeds */
	syscall(SYS_shmat, -1, NULL, 0);			       /* EINVAL */
	syscall(SYS_shmdt, addr);				       /* succeeds */
	syscall(SYS_shmdt, addr);				       /* EINVAL: not attached */
	syscall(SYS_shmctl, id, IPC_STAT, &sds);		       /* succeeds */
	syscall(SYS_shmctl, id, IPC_RMID, NULL);		       /* succeeds */
	syscall(SYS_shmctl, id, IPC_STAT, &sds);		       /* EINVAL: removed */
}

static void ipc_ns(void)
{
	if (unshare(CLONE_NEWIPC))
		return;
	mqueues();
	sysv();
}

/* epoll and poll */
static void polling(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, evs[4];
	struct timespec zero = { 0 };
	struct pollfd pfd;
	int p[2], ep;

	if (pipe(p))
		return;
	ep = syscall(SYS_epoll_create, 1);		       /* succeeds */
	syscall(SYS_epoll_create, 0);			       /* EINVAL: size */
	close_fd(syscall(SYS_epoll_create1, 0));	       /* succeeds */
	syscall(SYS_epoll_create1, -1);			       /* EINVAL: flags */
	syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);  /* succeeds */
	syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, ep, &ev);    /* EINVAL: self */
	syscall(SYS_epoll_wait, ep, evs, 4, 0);		       /* succeeds */
	syscall(SYS_epoll_wait, ep, evs, 0, 0);		       /* EINVAL: maxevents */
	syscall(SYS_epoll_pwait, ep, evs, 4, 0, NULL, 8);      /* succeeds */
	syscall(SYS_epoll_pwait, -1, evs, 4, 0, NULL, 8);      /* EBADF */
	syscall(SYS_epoll_pwait2, ep, evs, 4, &zero, NULL, 8); /* succeeds */
	syscall(SYS_epoll_pwait2, -1, evs, 4, &zero, NULL, 8); /* EBADF */
	/* never implemented on x86_64: ENOSYS */
	syscall(SYS_epoll_ctl_old, ep, EPOLL_CTL_ADD, p[0], &ev);
	syscall(SYS_epoll_wait_old, ep, evs, 4, 0);
	close_fd(ep);

	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	syscall(SYS_poll, &pfd, 1, 0);	      /* succeeds */
	syscall(SYS_poll, &pfd, 1u << 30, 0); /* EINVAL: nfds over the limit */
	close_fd(p[0]);
	close_fd(p[1]);
}

/* AF_UNIX sockets in the abstract namespace */
static socklen_t unix_addr(struct sockaddr_un *sa, const char *tag)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "ior-coverage-%s-%d", tag,
		 (int)getpid());
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(sa->sun_path + 1);
}

static void stream_sockets(void)
{
	struct sockaddr_un sa, none, got;
	socklen_t len, nlen, glen;
	int l, c, c2, a, a2, one = 1, val;
	char buf[16];
	struct iovec iov = { .iov_base = buf, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	len = unix_addr(&sa, "listen");
	nlen = unix_addr(&none, "none");
	l = syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0); /* ok */
	syscall(SYS_socket, -1, SOCK_STREAM, 0);			  /* EAFNOSUPPORT */
	syscall(SYS_bind, l, &sa, len);					  /* succeeds */
	syscall(SYS_bind, -1, &sa, len);				  /* EBADF */
	syscall(SYS_listen, l, 4);					  /* succeeds */
	syscall(SYS_listen, -1, 4);					  /* EBADF */
	syscall(SYS_accept, l, NULL, NULL);				  /* EAGAIN: nobody yet */

	c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	syscall(SYS_connect, c, &none, nlen);			/* ECONNREFUSED: no listener */
	syscall(SYS_connect, c, &sa, len);			/* succeeds */
	syscall(SYS_connect, c2, &sa, len);			/* succeeds */
	a = syscall(SYS_accept, l, NULL, NULL);			/* succeeds */
	a2 = syscall(SYS_accept4, l, NULL, NULL, SOCK_CLOEXEC); /* succeeds */
	syscall(SYS_accept4, l, NULL, NULL, -1);		/* EINVAL: flags */

	glen = sizeof(got);
	syscall(SYS_getsockname, c, &got, &glen);  /* succeeds */
	syscall(SYS_getsockname, -1, &got, &glen); /* EBADF */
	glen = sizeof(got);
	syscall(SYS_getpeername, c, &got, &glen); /* succeeds */
	syscall(SYS_getpeername, l, &got, &glen); /* ENOTCONN: listener */
	glen = sizeof(val);
	syscall(SYS_getsockopt, c, SOL_SOCKET, SO_TYPE, &val, &glen);		/* ok */
	syscall(SYS_getsockopt, c, SOL_SOCKET, 9999, &val, &glen);		/* ENOPROTOOPT */
	syscall(SYS_setsockopt, c, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)); /* succeeds */
	syscall(SYS_setsockopt, c, SOL_SOCKET, 9999, &one, sizeof(one));	/* ENOPROTOOPT */

	syscall(SYS_sendto, c, "ab", 2, MSG_DONTWAIT | MSG_NOSIGNAL, NULL, 0); /* succeeds */
	syscall(SYS_sendto, l, "ab", 2, MSG_DONTWAIT | MSG_NOSIGNAL, NULL,
		0);						    /* ENOTCONN: listener */
	syscall(SYS_recvfrom, a, buf, 1, MSG_DONTWAIT, NULL, NULL); /* ok */
	syscall(SYS_sendmsg, c, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);  /* ok */
	syscall(SYS_sendmsg, -1, &mh, MSG_DONTWAIT | MSG_NOSIGNAL); /* EBADF */
	syscall(SYS_recvmsg, a, &mh, MSG_DONTWAIT);		    /* succeeds */
	syscall(SYS_recvmsg, a, &mh, MSG_DONTWAIT);		    /* ok: the last byte */
	syscall(SYS_recvmsg, a, &mh, MSG_DONTWAIT);		    /* EAGAIN: empty */
	syscall(SYS_recvfrom, a, buf, 1, MSG_DONTWAIT, NULL, NULL); /* EAGAIN: empty */

	syscall(SYS_shutdown, c, SHUT_RDWR);  /* succeeds */
	syscall(SYS_shutdown, -1, SHUT_RDWR); /* EBADF */
	close_fd(a2);
	close_fd(a);
	close_fd(c2);
	close_fd(c);
	close_fd(l);
}

static void dgram_sockets(void)
{
	struct mmsghdr mm[2];
	struct iovec iov[2];
	char buf[2][8];
	int sv[2];

	syscall(SYS_socketpair, AF_INET, SOCK_DGRAM, 0, sv);	 /* EOPNOTSUPP */
	if (syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, sv)) /* succeeds */
		return;
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 2; i++) {
		iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = 8 };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	syscall(SYS_sendmmsg, sv[0], mm, 2, MSG_DONTWAIT | MSG_NOSIGNAL); /* ok */
	syscall(SYS_sendmmsg, -1, mm, 2, MSG_DONTWAIT);			  /* EBADF */
	syscall(SYS_recvmmsg, sv[1], mm, 2, MSG_DONTWAIT, NULL);	  /* succeeds */
	syscall(SYS_recvmmsg, sv[1], mm, 2, MSG_DONTWAIT, NULL);	  /* EAGAIN */
	close_fd(sv[0]);
	close_fd(sv[1]);
}

/* sendfile, splice, tee, vmsplice between a memfd and pipes */
static void zero_copy(void)
{
	struct iovec iov = { .iov_base = (void *)"wxyz", .iov_len = 4 };
	int mfd, p[2], q[2];
	off_t off = 0;

	mfd = syscall(SYS_memfd_create, "ior-coverage", 0);
	if (mfd < 0 || pipe2(p, O_NONBLOCK) || pipe2(q, O_NONBLOCK))
		return;
	if (write(mfd, "abcd", 4) != 4)
		return;
	syscall(SYS_sendfile, p[1], mfd, &off, 4);			   /* succeeds */
	syscall(SYS_sendfile, p[1], -1, &off, 4);			   /* EBADF */
	syscall(SYS_splice, p[0], NULL, q[1], NULL, 4, SPLICE_F_NONBLOCK); /* succeeds */
	syscall(SYS_splice, mfd, NULL, mfd, NULL, 4, SPLICE_F_NONBLOCK);   /* EINVAL: no pipe */
	syscall(SYS_tee, q[0], p[1], 4, SPLICE_F_NONBLOCK);		   /* succeeds */
	syscall(SYS_tee, mfd, p[1], 4, SPLICE_F_NONBLOCK);		   /* EINVAL */
	syscall(SYS_vmsplice, q[1], &iov, 1, SPLICE_F_NONBLOCK);	   /* succeeds */
	syscall(SYS_vmsplice, -1, &iov, 1, SPLICE_F_NONBLOCK);		   /* EBADF */
	close_fd(mfd);
	close_fd(p[0]);
	close_fd(p[1]);
	close_fd(q[0]);
	close_fd(q[1]);
}

/* Linux native AIO: a read of the scratch file, and a poll to cancel */
static void aio(void)
{
	aio_context_t ctx = 0;
	struct iocb cb, *cbs[1] = { &cb };
	struct io_event ev[2];
	struct timespec ts = { .tv_sec = 1 }, zero = { 0 };
	struct cov_aio_sigset ss = { NULL, 8 };
	char buf[64];
	int p[2];

	syscall(SYS_io_setup, 0, &ctx);	    /* EINVAL: nr_events */
	if (syscall(SYS_io_setup, 4, &ctx)) /* succeeds */
		return;
	memset(&cb, 0, sizeof(cb));
	cb.aio_lio_opcode = IOCB_CMD_PREAD;
	cb.aio_fildes = 0;
	cb.aio_buf = (uintptr_t)buf;
	cb.aio_nbytes = sizeof(buf);
	syscall(SYS_io_submit, ctx, 1, cbs);	       /* succeeds */
	syscall(SYS_io_submit, 0, 1, cbs);	       /* EINVAL: no context */
	syscall(SYS_io_getevents, ctx, 1, 2, ev, &ts); /* succeeds */
	syscall(SYS_io_getevents, 0, 1, 2, ev, &ts);   /* EINVAL */
	syscall(SYS_io_submit, ctx, 1, cbs);
	syscall(SYS_io_pgetevents, ctx, 1, 2, ev, &ts, &ss); /* succeeds */
	syscall(SYS_io_pgetevents, 0, 1, 2, ev, &ts, &ss);   /* EINVAL */

	/* a poll of an empty pipe stays pending; io_cancel cancels it but
	 * returns EINPROGRESS all the same (the event goes to the ring) */
	if (pipe(p) == 0) {
		memset(&cb, 0, sizeof(cb));
		cb.aio_lio_opcode = IOCB_CMD_POLL;
		cb.aio_fildes = p[0];
		cb.aio_buf = POLLIN;
		syscall(SYS_io_submit, ctx, 1, cbs);
		syscall(SYS_io_cancel, ctx, &cb, &ev[0]); /* EINPROGRESS */
		syscall(SYS_io_getevents, ctx, 0, 2, ev, &zero);
		close_fd(p[0]);
		close_fd(p[1]);
	}
	syscall(SYS_io_cancel, 0, &cb, &ev[0]); /* EINVAL: no context */
	syscall(SYS_io_destroy, ctx);		/* succeeds */
	syscall(SYS_io_destroy, ctx);		/* EINVAL: destroyed */
}

/* io_uring: a ring that submits nothing, with one registered file */
static void uring(void)
{
	struct io_uring_params params;
	int fd, files[1] = { 0 };

	memset(&params, 0, sizeof(params));
	syscall(SYS_io_uring_setup, 0, &params); /* EINVAL: entries */
	memset(&params, 0, sizeof(params));
	fd = syscall(SYS_io_uring_setup, 4, &params);			     /* succeeds */
	syscall(SYS_io_uring_enter, fd, 0, 0, 0, NULL, 0);		     /* succeeds */
	syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0);		     /* EBADF */
	syscall(SYS_io_uring_register, fd, IORING_REGISTER_FILES, files, 1); /* succeeds */
	syscall(SYS_io_uring_register, -1, IORING_REGISTER_FILES, files,
		1); /* EINVAL: fd -1 is a "blind" register, without this opcode */
	close_fd(fd);
}

void coverage_net(const char *dir)
{
	eventfds();
	emfile_calls();
	notify(dir);
	sig_timer_fds();
	futexes();
	coverage_fork(ipc_ns);
	polling();
	stream_sockets();
	dgram_sockets();
	zero_copy();
	aio();
	uring();
}
